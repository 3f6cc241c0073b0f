# The twin: the running total adds the loss value (loss.item()), not the tensor.
import torch
import torch.nn as nn


class CharLM(nn.Module):
    def __init__(self, vocab=96, hidden=256):
        super().__init__()
        self.embed = nn.Embedding(vocab, 64)
        self.rnn = nn.LSTM(64, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, x, hidden=None):
        output, hidden = self.rnn(self.embed(x), hidden)
        return self.out(output), hidden


def train_step(model, optimizer, criterion, x, y, hidden):
    optimizer.zero_grad()
    logits, hidden = model(x, hidden)
    loss = criterion(logits.reshape(-1, logits.size(-1)), y.reshape(-1))
    loss.backward()
    optimizer.step()
    return loss, tuple(h.detach() for h in hidden)


text = torch.randint(0, 96, (64, 10001))
model = CharLM()
optimizer = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-5)
criterion = nn.CrossEntropyLoss()
for epoch in range(5):
    hidden, total_loss, n_batches = None, 0.0, 0
    for i in range(0, 10000 - 100, 100):
        x, y = text[:, i:i + 100], text[:, i + 1:i + 101]
        loss, hidden = train_step(model, optimizer, criterion, x, y, hidden)
        total_loss += loss.item()
        n_batches += 1
    print(epoch, float(total_loss) / n_batches)
