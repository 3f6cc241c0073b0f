"""A pre-0.4 language model in the shape of the old pytorch/examples script: the project's module
`rnn` is imported and the name is then rebound to the model (`rnn = rnn.LSTMModel(...)`); the
evaluation relies on `Variable(..., volatile=flag)` inside a batching helper called with True,
which has done nothing since PyTorch 0.4 (FIT202)."""
import math

import torch
import torch.nn as nn
from torch.autograd import Variable

import rnn
import corpus_tools

bptt = 35
data = corpus_tools.Corpus("./data/wikitext-2")
train_data = corpus_tools.batchify(data.train, 20)
val_data = corpus_tools.batchify(data.valid, 10)
ntokens = len(data.dictionary)
rnn = rnn.LSTMModel(ntokens, 200, 200, 2, dropout=0.2)
criterion = nn.CrossEntropyLoss()
lr = 20.0


def batch_at(source, i, evaluation=False):
    length = min(bptt, len(source) - 1 - i)
    inputs = Variable(source[i:i + length], volatile=evaluation)
    targets = Variable(source[i + 1:i + 1 + length].view(-1))
    return inputs, targets


def evaluate(source):
    rnn.eval()
    total = 0.0
    hidden = rnn.init_hidden(10)
    for i in range(0, source.size(0) - 1, bptt):  # FIT202
        inputs, targets = batch_at(source, i, evaluation=True)
        output, hidden = rnn(inputs, hidden)
        total += len(inputs) * criterion(output.view(-1, ntokens), targets).item()
        hidden = tuple(h.detach() for h in hidden)
    return total / len(source)


def train_epoch():
    rnn.train()
    hidden = rnn.init_hidden(20)
    for i in range(0, train_data.size(0) - 1, bptt):
        inputs, targets = batch_at(train_data, i)
        hidden = tuple(h.detach() for h in hidden)
        rnn.zero_grad()
        output, hidden = rnn(inputs, hidden)
        loss = criterion(output.view(-1, ntokens), targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(rnn.parameters(), 0.25)
        for p in rnn.parameters():
            p.data.add_(p.grad.data, alpha=-lr)


for epoch in range(1, 41):
    train_epoch()
    val_loss = evaluate(val_data)
    print(epoch, val_loss, math.exp(val_loss))
