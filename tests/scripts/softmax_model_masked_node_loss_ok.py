"""Two node classifiers trained the PyG way on the training nodes only: one returns raw scores to
CrossEntropyLoss, the other log-probabilities to nll_loss (`out[data.train_mask]`); a softmax taken
for reporting (`probs[data.test_mask]`) feeds no loss."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch_geometric.datasets import Planetoid
from torch_geometric.nn import GCNConv

dataset = Planetoid("data", "Cora")
data = dataset[0]


class GCN(nn.Module):
    def __init__(self, in_feats, hidden, classes):
        super().__init__()
        self.conv1 = GCNConv(in_feats, hidden)
        self.conv2 = GCNConv(hidden, classes)

    def forward(self, x, edge_index):
        x = F.relu(self.conv1(x, edge_index))
        x = F.dropout(x, training=self.training)
        return self.conv2(x, edge_index)


model = GCN(dataset.num_features, 16, dataset.num_classes)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(200):
    model.train()
    optimizer.zero_grad()
    out = model(data.x, data.edge_index)
    loss = loss_fn(out[data.train_mask], data.y[data.train_mask])
    loss.backward()
    optimizer.step()


class LogGCN(GCN):
    def forward(self, x, edge_index):
        return F.log_softmax(super().forward(x, edge_index), dim=1)


log_model = LogGCN(dataset.num_features, 16, dataset.num_classes)
log_optimizer = torch.optim.Adam(log_model.parameters(), lr=0.01, weight_decay=5e-4)
for epoch in range(200):
    log_model.train()
    log_optimizer.zero_grad()
    out = log_model(data.x, data.edge_index)
    F.nll_loss(out[data.train_mask], data.y[data.train_mask]).backward()
    log_optimizer.step()
model.eval()
with torch.no_grad():
    probs = F.softmax(model(data.x, data.edge_index), dim=1)
    print((probs[data.test_mask].argmax(1) == data.y[data.test_mask]).float().mean().item())
