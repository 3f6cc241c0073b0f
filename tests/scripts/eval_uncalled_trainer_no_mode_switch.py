"""A course project's helper module for EEG classification with recurrent networks: `init_rnn`
builds the model with dropout, `train_val` (called from a notebook, not from this file) trains it
and measures validation accuracy every epoch. Nothing in the file ever switches the model's mode,
so the validation pass runs in the mode the training pass runs in: training mode, dropout on."""
import time

import numpy as np
import torch
import torch.nn as nn
from models import GRUNet, LSTMNet

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def init_rnn(rnn_type="LSTM", input_size=22, hidden_size=64, dropout=0.5, lr=1e-3):
    if rnn_type == "LSTM":
        model = LSTMNet(input_size=input_size, hidden_size=hidden_size, output_dim=4, dropout=dropout)
    else:
        model = GRUNet(input_size=input_size, hidden_size=hidden_size, output_dim=4, dropout=dropout)
    model = model.to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-5)
    return model, criterion, optimizer


def train_val(model, criterion, optimizer, train_loader, val_loader, num_epochs=20):
    history = []
    for epoch in range(num_epochs):
        start = time.time()
        running_loss = 0.0
        for batch in train_loader:
            optimizer.zero_grad()
            output = model(batch["X"].to(device))
            loss = criterion(output, batch["y"].to(device))
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
        correct, total = 0, 0
        for batch in val_loader:  # expect: FIT201, FIT202
            output = model(batch["X"].to(device))
            pred = torch.argmax(output, dim=1)
            correct += (pred.cpu() == batch["y"]).sum().item()
            total += batch["y"].shape[0]
        history.append(correct / total)
        print(f"epoch {epoch + 1}: loss {running_loss:.3f} val acc {correct / total:.3f} ({time.time() - start:.1f}s)")
    return model, np.array(history)

