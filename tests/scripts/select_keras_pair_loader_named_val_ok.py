"""A course TextRNN: the project's own `data_processor.load_data(args)` returns the training and the
development iterators (any two parts: not Keras' (train, test) pair), and the best checkpoint is
kept on the development accuracy."""
import argparse

import torch
import torch.nn.functional as F

import data_processor
from model import TextRNN

parser = argparse.ArgumentParser()
parser.add_argument("-lr", type=float, default=0.01)
parser.add_argument("-epoch", type=int, default=20)
parser.add_argument("-test-interval", type=int, default=100)
args = parser.parse_args()


def evaluate(data_iter, model):
    model.eval()
    corrects = total = 0
    with torch.no_grad():
        for batch in data_iter:
            logits = model(batch.text.t())
            corrects += (logits.argmax(1) == batch.label - 1).sum().item()
            total += batch.batch_size
    model.train()
    return corrects / total


def train():
    train_iter, dev_iter = data_processor.load_data(args)
    model = TextRNN(args)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=1e-5)
    best_acc, steps = 0.0, 0
    model.train()
    for epoch in range(args.epoch):
        for batch in train_iter:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(batch.text.t()), batch.label - 1)
            loss.backward()
            optimizer.step()
            steps += 1
            if steps % args.test_interval == 0:
                dev_acc = evaluate(dev_iter, model)
                if dev_acc > best_acc:
                    best_acc = dev_acc
                    torch.save(model.state_dict(), "best_textrnn.pt")


train()
