"""A seq2seq model whose decoding for evaluation lives in its own `inference()` method (greedy
decoding, no teacher forcing). The validation loop calls `model.inference(...)` after
`model.eval()` with gradients on: the method runs the whole network like `model(...)` does (FIT202)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader


class Seq2Seq(nn.Module):
    def __init__(self, vocab, hidden=256):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden)
        self.encoder = nn.GRU(hidden, hidden, batch_first=True)
        self.decoder = nn.GRU(hidden, hidden, batch_first=True)
        self.dropout = nn.Dropout(0.3)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, src, tgt):
        _, state = self.encoder(self.dropout(self.embed(src)))
        output, _ = self.decoder(self.dropout(self.embed(tgt[:, :-1])), state)
        return self.out(output)

    def inference(self, src, max_len=50):
        _, state = self.encoder(self.embed(src))
        token = torch.zeros(src.size(0), 1, dtype=torch.long)
        logits = []
        for _ in range(max_len):
            output, state = self.decoder(self.embed(token), state)
            step = self.out(output)
            logits.append(step)
            token = step.argmax(-1)
        return torch.cat(logits, 1)


model = Seq2Seq(8000)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss(ignore_index=0)
train_loader = DataLoader(train_pairs, batch_size=64, shuffle=True)
val_loader = DataLoader(val_pairs, batch_size=64)
for epoch in range(20):
    model.train()
    for src, tgt in train_loader:
        optimizer.zero_grad()
        logits = model(src, tgt)
        criterion(logits.reshape(-1, logits.size(-1)), tgt[:, 1:].reshape(-1)).backward()
        optimizer.step()
    model.eval()
    total = 0.0
    for src, tgt in val_loader:  # expect: FIT202
        logits = model.inference(src, max_len=tgt.size(1) - 1)
        total += criterion(logits.reshape(-1, logits.size(-1)), tgt[:, 1:].reshape(-1)).item()
    print(epoch, total / len(val_loader))
