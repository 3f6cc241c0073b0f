import torch
from torch.nn import *


class LSTMClassifier(torch.nn.Module):
    def __init__(self, vocab_size, hidden_size, classes):
        super().__init__()
        self.embedding = Embedding(vocab_size, hidden_size)
        self.lstm = LSTM(hidden_size, hidden_size)
        self.fc = Linear(hidden_size, classes)
        self.log_softmax = LogSoftmax(dim=-1)

    def forward(self, tokens):
        x = self.embedding(tokens.t())
        x, (h, c) = self.lstm(x)
        logits = self.fc(h.view(len(tokens), -1))
        return logits
