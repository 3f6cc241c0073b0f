"""A language-model homework: the cache model is evaluated through the model's own
`forward_all` method (which also returns the hidden states) on the validation and test
iterators, under no_grad."""
import math

import torch
import torch.nn as nn


class LstmLm(nn.Module):
    def __init__(self, vsize, nhid=650, nlayers=2, dropout=0.5):
        super().__init__()
        self.lut = nn.Embedding(vsize, nhid)
        self.rnn = nn.LSTM(nhid, nhid, nlayers, dropout=dropout)
        self.drop = nn.Dropout(dropout)
        self.proj = nn.Linear(nhid, vsize)

    def forward(self, x, hid):
        out, hid = self.rnn(self.lut(x), hid)
        return self.proj(self.drop(out)), hid

    def forward_all(self, x, hid):
        hids, hid = self.rnn(self.lut(x), hid)
        return self.proj(self.drop(hids)), hids, hid


@torch.no_grad()
def evaluate_cache(model, data_iter):
    model.eval()
    total_loss, total_len, hid = 0.0, 0, None
    for batch in data_iter:
        output, rnn_outs, hid = model.forward_all(batch.text, hid)
        total_loss += nn.functional.cross_entropy(output.view(-1, output.size(-1)), batch.target.view(-1)).item()
        total_len += batch.text.size(0)
    return total_loss / total_len


model = torch.load("LstmLm.pth")
print("valid ppl", math.exp(evaluate_cache(model, valid_iter)))
print("test ppl", math.exp(evaluate_cache(model, test_iter)))
