"""Training on the loaders the loader module builds: the validation loop over
`get_dataloader(split="valid")` runs the model with autograd on (FIT202). Each loader is judged by
the split its call names, not taken for the training loader the same helper also builds."""
import numpy as np
import torch
import torch.nn as nn

from gtzan_loader import train_loader, valid_loader
from model import GenreCNN

model = GenreCNN()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
loss_function = nn.CrossEntropyLoss()
for epoch in range(30):
    model.train()
    for wav, genre in train_loader:
        optimizer.zero_grad()
        loss_function(model(wav.unsqueeze(1)), genre).backward()
        optimizer.step()
    model.eval()
    losses = []
    for wav, genre in valid_loader:  # expect: FIT202
        losses.append(loss_function(model(wav.unsqueeze(1)), genre).item())
    print(epoch, np.mean(losses))
