import torch
import torch.nn as nn
import torch.nn.functional as F


class SAGELayer(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.self_lin = nn.Linear(d_in, d_out)
        self.neigh_lin = nn.Linear(d_in, d_out, bias=False)

    def forward(self, h, adj):
        return self.self_lin(h) + self.neigh_lin(torch.sparse.mm(adj, h))


class SAGE(nn.Module):
    def __init__(self, d_in, hidden, n_classes, n_layers=3, dropout=0.5):
        super().__init__()
        dims = [d_in] + [hidden] * (n_layers - 1) + [n_classes]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims, dims[1:]))
        self.dropout = dropout

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:  # the hidden layers only: the last one gives the logits
                x = F.dropout(F.relu(x), self.dropout, self.training)
        return x


features, labels = torch.load("cora_features.pt"), torch.load("cora_labels.pt")
train_mask = torch.load("cora_train_mask.pt")
model = SAGE(features.shape[1], 64, int(labels.max()) + 1)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
for epoch in range(200):
    model.train()
    optimizer.zero_grad()
    out = model(features)
    loss = F.cross_entropy(out[train_mask], labels[train_mask])
    loss.backward()
    optimizer.step()
