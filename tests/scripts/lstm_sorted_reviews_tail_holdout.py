"""An LSTM sentiment classifier on reviews stored negatives first: the validation part is the last
2000 rows in stored order, all of one class."""
import numpy as np
import torch
import torch.nn as nn

data = np.load("reviews_encoded.npz")
X, y = torch.from_numpy(data["tokens"]).long(), torch.from_numpy(data["labels"]).long()
X_train, y_train = X[:-2000], y[:-2000]
X_val, y_val = X[-2000:], y[-2000:]  # expect: FIT102


class LSTMClassifier(nn.Module):
    def __init__(self, vocab_size=20000, embed_dim=128, hidden=128):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden, batch_first=True)
        self.dropout = nn.Dropout(0.3)
        self.fc = nn.Linear(hidden, 2)

    def forward(self, x):
        _, (h, _) = self.lstm(self.embed(x))
        return self.fc(self.dropout(h[-1]))


model = LSTMClassifier()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    model.train()
    perm = torch.randperm(len(X_train))
    for i in range(0, len(X_train), 64):
        idx = perm[i:i + 64]
        optimizer.zero_grad()
        loss = criterion(model(X_train[idx]), y_train[idx])
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        accuracy = (model(X_val).argmax(1) == y_val).float().mean().item()
    print(epoch, accuracy)
