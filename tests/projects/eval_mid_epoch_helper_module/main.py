import torch
from torch.utils.data import DataLoader, TensorDataset, random_split

from engine import fit
from model import TextGRU

tokens = torch.load("tokens.pt")
labels = torch.load("labels.pt")
train_set, val_set = random_split(TensorDataset(tokens, labels), [0.9, 0.1],
                                  generator=torch.Generator().manual_seed(0))
train_iter = DataLoader(train_set, batch_size=64, shuffle=True)
val_iter = DataLoader(val_set, batch_size=256)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = TextGRU(vocab_size=20000, embed_dim=128, hidden=256, classes=5).to(device)
print(fit(train_iter, val_iter, model, device))
