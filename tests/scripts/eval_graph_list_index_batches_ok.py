"""The graph-list evaluation done right: the fixed index batches over the list of graphs run
under no_grad. Training's random minibatches (`selected_idx = np.random.permutation(n)[:bs]`,
`[train_graphs[idx] for idx in selected_idx]`) are not an evaluation pass.
"""
import argparse

import numpy as np
import torch
import torch.nn as nn

from util import load_data, separate_data


class GraphClassifier(nn.Module):
    def __init__(self, n_features, hidden, n_classes, dropout):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(n_features, hidden), nn.BatchNorm1d(hidden), nn.ReLU())
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(hidden, n_classes)

    def forward(self, batch_graph):
        pooled = torch.stack([self.mlp(g.node_features).sum(0) for g in batch_graph])
        return self.out(self.dropout(pooled))


criterion = nn.CrossEntropyLoss()


def train(args, model, train_graphs, optimizer):
    model.train()
    for _ in range(args.iters_per_epoch):
        selected_idx = np.random.permutation(len(train_graphs))[:args.batch_size]
        batch_graph = [train_graphs[idx] for idx in selected_idx]
        labels = torch.LongTensor([graph.label for graph in batch_graph])
        loss = criterion(model(batch_graph), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


# pass data to the model in minibatches during testing to avoid memory overflow
def pass_data_iteratively(model, graphs, minibatch_size=64):
    model.eval()
    output = []
    idx = np.arange(len(graphs))
    with torch.no_grad():
        for i in range(0, len(graphs), minibatch_size):
            sampled_idx = idx[i:i + minibatch_size]
            output.append(model([graphs[j] for j in sampled_idx]))
    return torch.cat(output, 0)


def test(model, train_graphs, test_graphs):
    pred = pass_data_iteratively(model, train_graphs).argmax(1)
    labels = torch.LongTensor([graph.label for graph in train_graphs])
    acc_train = (pred == labels).float().mean().item()
    pred = pass_data_iteratively(model, test_graphs).argmax(1)
    labels = torch.LongTensor([graph.label for graph in test_graphs])
    acc_test = (pred == labels).float().mean().item()
    return acc_train, acc_test


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", default="MUTAG")
    parser.add_argument("--fold_idx", type=int, default=0)
    parser.add_argument("--batch_size", type=int, default=32)
    parser.add_argument("--iters_per_epoch", type=int, default=50)
    parser.add_argument("--epochs", type=int, default=350)
    args = parser.parse_args()
    graphs, num_classes = load_data(args.dataset)
    train_graphs, test_graphs = separate_data(graphs, 0, args.fold_idx)
    model = GraphClassifier(train_graphs[0].node_features.shape[1], 64, num_classes, 0.5)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=50, gamma=0.5)
    for epoch in range(args.epochs):
        train(args, model, train_graphs, optimizer)
        scheduler.step()
        print(epoch, test(model, train_graphs, test_graphs))


if __name__ == "__main__":
    main()
