"""A BiLSTM-CRF NER project's main.py: the routine in trainer.py stops early and lowers the rate on
the data it is handed as validation: a validation split of the training file."""
import torch
from torch.utils.data import DataLoader

from data import NERDataset
from model import BiLSTMCRF
from trainer import train

train_dl = DataLoader(NERDataset("data/train.txt"), batch_size=32, shuffle=True)
val_dl = DataLoader(NERDataset("data/valid.txt"), batch_size=64)
model = BiLSTMCRF(vocab_size=5000, tagset_size=9, dropout=0.5)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
device = "cuda" if torch.cuda.is_available() else "cpu"
history = train(model, optimizer, train_dl, val_dl, device=device, epochs=50)
