"""pygcn's train.py shape: full-graph training with a per-epoch validation pass under no_grad, and a
test() that runs the model once over the whole graph after training, under @torch.no_grad()."""
import torch
import torch.nn.functional as F
import torch.optim as optim

from pygcn.models import GCN
from pygcn.utils import accuracy, load_data

adj, features, labels, idx_train, idx_val, idx_test = load_data()
model = GCN(nfeat=features.shape[1], nhid=16, nclass=labels.max().item() + 1, dropout=0.5)
optimizer = optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)


def train(epoch):
    model.train()
    optimizer.zero_grad()
    output = model(features, adj)
    loss_train = F.nll_loss(output[idx_train], labels[idx_train])
    loss_train.backward()
    optimizer.step()
    model.eval()
    with torch.no_grad():
        output = model(features, adj)
    print(epoch, loss_train.item(), accuracy(output[idx_val], labels[idx_val]).item())


@torch.no_grad()
def test():
    model.eval()
    output = model(features, adj)
    loss_test = F.nll_loss(output[idx_test], labels[idx_test])
    print("test", loss_test.item(), accuracy(output[idx_test], labels[idx_test]).item())


for epoch in range(200):
    train(epoch)
test()
