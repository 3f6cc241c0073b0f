"""THUCNews-style text classification with an LSTM: the forward applies functional dropout told
the mode (`training=self.training`), and evaluate() puts the model in evaluation mode first, so
the validation accuracy is measured with dropout off."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TextRNN(nn.Module):
    def __init__(self, vocab_size=5000, n_classes=10):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, 64)
        self.rnn = nn.LSTM(input_size=64, hidden_size=128, bidirectional=True)
        self.fc = nn.Linear(256, n_classes)

    def forward(self, x):
        x = self.embedding(x).permute(1, 0, 2)
        _, (h_n, _) = self.rnn(x)
        h = F.dropout(h_n, 0.8, training=self.training)
        return self.fc(torch.cat([h[0], h[1]], dim=1))


def evaluate(model, criterion, x_val, y_val):
    model.eval()
    correct, total_loss = 0, 0.0
    with torch.no_grad():
        for start in range(0, len(x_val), 256):
            x, y = x_val[start:start + 256], y_val[start:start + 256]
            out = model(x)
            total_loss += criterion(out, y).item() * len(y)
            correct += (out.argmax(1) == y).sum().item()
    return total_loss / len(y_val), correct / len(y_val)


def train(x_train, y_train, x_val, y_val, epochs=20):
    model = TextRNN()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
    best_acc = 0.0
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(x_train))
        for start in range(0, len(x_train), 64):
            idx = perm[start:start + 64]
            optimizer.zero_grad()
            loss = criterion(model(x_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()
        val_loss, val_acc = evaluate(model, criterion, x_val, y_val)
        print(f"epoch {epoch}: val loss {val_loss:.4f} acc {val_acc:.4f}")
        if val_acc > best_acc:
            best_acc = val_acc
            torch.save(model.state_dict(), "best_rnn.pt")
