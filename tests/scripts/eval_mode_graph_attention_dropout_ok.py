"""The DGL graph classifier of a course project: two GraphConv layers and mean pooling, no dropout
and no batch-norm anywhere (DGL's GraphConv holds weights only), so evaluating it without
model.eval() measures the same model; the evaluation itself runs under no_grad."""
import dgl
import torch
import torch.nn as nn
import torch.nn.functional as F
from dgl.dataloading import GraphDataLoader
from dgl.data import GINDataset
from dgl.nn import GraphConv
from torch.utils.data.sampler import SubsetRandomSampler

dataset = GINDataset("PROTEINS", self_loop=True)
num_train = int(len(dataset) * 0.8)
perm = torch.randperm(len(dataset))
train_loader = GraphDataLoader(dataset, sampler=SubsetRandomSampler(perm[:num_train]), batch_size=32)
val_loader = GraphDataLoader(dataset, sampler=SubsetRandomSampler(perm[num_train:]), batch_size=32)


class GCN(nn.Module):
    def __init__(self, in_feats, h_feats, num_classes):
        super().__init__()
        self.conv1 = GraphConv(in_feats, h_feats)
        self.conv2 = GraphConv(h_feats, num_classes)

    def forward(self, g, in_feat):
        h = F.relu(self.conv1(g, in_feat))
        g.ndata["h"] = self.conv2(g, h)
        return dgl.mean_nodes(g, "h")


def run_epoch(model, optimizer, criterion):
    for batched_graph, labels in train_loader:
        loss = criterion(model(batched_graph, batched_graph.ndata["attr"].float()), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    correct = total = 0
    with torch.no_grad():
        for batched_graph, labels in val_loader:
            pred = model(batched_graph, batched_graph.ndata["attr"].float())
            correct += (pred.argmax(1) == labels).sum().item()
            total += len(labels)
    return correct / total


model = GCN(dataset.dim_nfeats, 16, dataset.gclasses)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
for epoch in range(20):
    print(epoch, run_epoch(model, optimizer, F.cross_entropy))
