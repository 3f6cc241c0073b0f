# A full-batch GCN on Cora: train() reads the validation loss and accuracy off the same forward pass
# it trains on, with dropout active (pygcn without its `if not args.fastmode:` re-evaluation).
import torch
import torch.nn as nn
import torch.nn.functional as F

data = torch.load("cora.pt")
features, adj, labels = data["features"], data["adj"], data["labels"]
idx_train, idx_val, idx_test = data["idx_train"], data["idx_val"], data["idx_test"]


class GraphConvolution(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(in_features, out_features))
        nn.init.xavier_uniform_(self.weight)

    def forward(self, x, adj):
        return torch.spmm(adj, x @ self.weight)


class GCN(nn.Module):
    def __init__(self, nfeat, nhid, nclass, dropout):
        super().__init__()
        self.gc1 = GraphConvolution(nfeat, nhid)
        self.gc2 = GraphConvolution(nhid, nclass)
        self.dropout = dropout

    def forward(self, x, adj):
        x = F.dropout(F.relu(self.gc1(x, adj)), self.dropout, training=self.training)
        return F.log_softmax(self.gc2(x, adj), dim=1)


def accuracy(output, labels):
    return (output.argmax(1) == labels).double().mean().item()


model = GCN(features.shape[1], 16, int(labels.max()) + 1, dropout=0.5)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)


for epoch in range(200):
    model.train()
    optimizer.zero_grad()
    output = model(features, adj)
    loss_train = F.nll_loss(output[idx_train], labels[idx_train])
    loss_train.backward()
    optimizer.step()
    loss_val = F.nll_loss(output[idx_val], labels[idx_val])  # expect: FIT201
    acc_val = accuracy(output[idx_val], labels[idx_val])
    print(f"epoch {epoch} train {loss_train.item():.4f} val {loss_val.item():.4f} acc {acc_val:.4f}")

# the final test pass assigns `output` again, after the loop: it does not make the reads above
# evaluation-mode ones
model.eval()
with torch.no_grad():
    output = model(features, adj)
print("test accuracy", accuracy(output[idx_test], labels[idx_test]))
