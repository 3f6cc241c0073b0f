import torch.nn as nn


class TextGRU(nn.Module):
    def __init__(self, vocab_size, embed_dim, hidden, classes):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.gru = nn.GRU(embed_dim, hidden, batch_first=True)
        self.out = nn.Linear(hidden, classes)

    def forward(self, x):
        _, h = self.gru(self.embedding(x))
        return self.out(h[-1])
