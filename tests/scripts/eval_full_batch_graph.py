"""Semi-supervised node classification in the shape of the most-copied GCN script: one graph,
index sets for the splits, and the validation pass written inline in train(epoch) after the
optimizer step (model.eval(), then a forward on the whole graph read at idx_val). Nothing turns
gradients off: every epoch's validation forward records a graph over the full adjacency.
"""
import argparse
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=200)
parser.add_argument("--lr", type=float, default=0.01)
parser.add_argument("--weight_decay", type=float, default=5e-4)
parser.add_argument("--hidden", type=int, default=16)
parser.add_argument("--dropout", type=float, default=0.5)
args = parser.parse_args()


class GraphConvolution(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(in_features, out_features))
        self.bias = nn.Parameter(torch.zeros(out_features))
        nn.init.xavier_uniform_(self.weight)

    def forward(self, x, adj):
        return torch.spmm(adj, x @ self.weight) + self.bias


class GCN(nn.Module):
    def __init__(self, nfeat, nhid, nclass, dropout):
        super().__init__()
        self.gc1 = GraphConvolution(nfeat, nhid)
        self.gc2 = GraphConvolution(nhid, nclass)
        self.dropout = dropout

    def forward(self, x, adj):
        x = F.relu(self.gc1(x, adj))
        x = F.dropout(x, self.dropout, training=self.training)
        x = self.gc2(x, adj)
        return F.log_softmax(x, dim=1)


def load_graph(n=2708, f=1433, c=7):
    features = torch.rand(n, f)
    features = features / features.sum(1, keepdim=True)
    labels = torch.randint(0, c, (n,))
    adj = torch.eye(n).to_sparse()
    return adj, features, labels, torch.arange(140), torch.arange(200, 500), torch.arange(500, 1500)


def accuracy(output, labels):
    preds = output.max(1)[1].type_as(labels)
    return preds.eq(labels).double().sum() / len(labels)


adj, features, labels, idx_train, idx_val, idx_test = load_graph()
model = GCN(features.shape[1], args.hidden, int(labels.max()) + 1, args.dropout)
optimizer = optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)


def train(epoch):
    t = time.time()
    model.train()
    optimizer.zero_grad()
    output = model(features, adj)
    loss_train = F.nll_loss(output[idx_train], labels[idx_train])
    acc_train = accuracy(output[idx_train], labels[idx_train])
    loss_train.backward()
    optimizer.step()

    model.eval()
    output = model(features, adj)  # expect: FIT202
    loss_val = F.nll_loss(output[idx_val], labels[idx_val])
    acc_val = accuracy(output[idx_val], labels[idx_val])
    print(f"epoch {epoch + 1:04d} loss_train {loss_train.item():.4f} acc_train {acc_train.item():.4f} "
          f"loss_val {loss_val.item():.4f} acc_val {acc_val.item():.4f} time {time.time() - t:.4f}s")


@torch.no_grad()
def test():
    model.eval()
    output = model(features, adj)
    loss_test = F.nll_loss(output[idx_test], labels[idx_test])
    acc_test = accuracy(output[idx_test], labels[idx_test])
    print(f"test loss {loss_test.item():.4f} accuracy {acc_test.item():.4f}")


for epoch in range(args.epochs):
    train(epoch)
test()
