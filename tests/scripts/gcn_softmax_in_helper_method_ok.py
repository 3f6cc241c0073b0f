"""Two-layer GCN on Cora (PyTorch Geometric): forward returns the logits (a helper method of the
model turns them into probabilities for reports), and the training loss is cross-entropy on them."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch_geometric.datasets import Planetoid
from torch_geometric.nn import GCNConv


class GCN(nn.Module):
    def __init__(self, in_dim, hid, n_cls, p=0.5):
        super().__init__()
        self.conv1 = GCNConv(in_dim, hid, cached=True)
        self.conv2 = GCNConv(hid, n_cls, cached=True)
        self.p = p

    def class_probs(self, h):
        return h.softmax(dim=-1)

    def forward(self, x, edge_index):
        x = F.dropout(x, self.p, training=self.training)
        h = F.relu(self.conv1(x, edge_index))
        h = F.dropout(h, self.p, training=self.training)
        return self.conv2(h, edge_index)


def main():
    data = Planetoid("data", "Cora")[0]
    model = GCN(data.num_features, 16, 7)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
    for epoch in range(200):
        model.train()
        optimizer.zero_grad()
        out = model(data.x, data.edge_index)
        loss = F.cross_entropy(out[data.train_mask], data.y[data.train_mask])
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.no_grad():
            pred = model.class_probs(model(data.x, data.edge_index)).argmax(dim=1)
            print(epoch, (pred[data.val_mask] == data.y[data.val_mask]).float().mean().item())
