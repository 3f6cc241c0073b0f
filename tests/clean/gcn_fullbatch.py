"""A two-layer GCN on a citation graph, full-batch: one random permutation of the nodes cut into
training, validation and test masks; the best epoch chosen on validation accuracy."""
import torch
import torch.nn as nn
import torch.nn.functional as F

features = torch.load("cora_features.pt")
labels = torch.load("cora_labels.pt")
adjacency = torch.load("cora_adjacency.pt")
num_nodes = features.size(0)
perm = torch.randperm(num_nodes)
idx_train, idx_val, idx_test = perm[:140], perm[140:640], perm[640:1640]


class GraphConvolution(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(in_features, out_features))
        nn.init.xavier_uniform_(self.weight)

    def forward(self, x, adj):
        return torch.sparse.mm(adj, x @ self.weight)


class GCN(nn.Module):
    def __init__(self, nfeat, nhid, nclass, dropout=0.5):
        super().__init__()
        self.gc1 = GraphConvolution(nfeat, nhid)
        self.gc2 = GraphConvolution(nhid, nclass)
        self.dropout = dropout

    def forward(self, x, adj):
        x = F.dropout(F.relu(self.gc1(x, adj)), self.dropout, training=self.training)
        return F.log_softmax(self.gc2(x, adj), dim=1)


model = GCN(features.size(1), 16, int(labels.max()) + 1)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
best_val, best_state = 0.0, None
for epoch in range(200):
    model.train()
    optimizer.zero_grad()
    output = model(features, adjacency)
    F.nll_loss(output[idx_train], labels[idx_train]).backward()
    optimizer.step()
    model.eval()
    with torch.no_grad():
        output = model(features, adjacency)
        val_acc = (output[idx_val].argmax(1) == labels[idx_val]).float().mean().item()
    if val_acc > best_val:
        best_val, best_state = val_acc, {k: v.clone() for k, v in model.state_dict().items()}

model.load_state_dict(best_state)
model.eval()
with torch.no_grad():
    test_acc = (model(features, adjacency)[idx_test].argmax(1) == labels[idx_test]).float().mean().item()
print(f"best val {best_val:.3f} test {test_acc:.3f}")
