"""Two full-graph node classifiers scored once on the test nodes after training, each pass under
torch.no_grad(). The test split is read off the predictions made of the output in one, and off
the output indexed where it is made in the other."""
import torch
import torch.nn.functional as F
from torch_geometric.datasets import Planetoid
from torch_geometric.nn import GCNConv


class GCN(torch.nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.conv1, self.conv2 = GCNConv(n_in, n_hidden), GCNConv(n_hidden, n_out)

    def forward(self, x, edge_index):
        x = F.dropout(F.relu(self.conv1(x, edge_index)), p=0.5, training=self.training)
        return self.conv2(x, edge_index)


def accuracy(logits, labels):
    return (logits.argmax(1) == labels).float().mean().item()


def run_pyg(data):
    model = GCN(data.num_features, 16, 7)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
    for epoch in range(200):
        model.train()
        optimizer.zero_grad()
        out = model(data.x, data.edge_index)
        F.cross_entropy(out[data.train_mask], data.y[data.train_mask]).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        out = model(data.x, data.edge_index)
    _, pred = out.max(dim=1)
    correct = int((pred[data.test_mask] == data.y[data.test_mask]).sum())
    print("test accuracy", correct / int(data.test_mask.sum()))


def run_masks(features, edge_index, labels, train_mask, test_mask):
    model = GCN(features.shape[1], 16, int(labels.max()) + 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
    for epoch in range(200):
        model.train()
        logits = model(features, edge_index)
        loss = F.cross_entropy(logits[train_mask], labels[train_mask])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        acc = accuracy(model(features, edge_index)[test_mask], labels[test_mask])
    print("test accuracy", acc)


if __name__ == "__main__":
    dataset = Planetoid("data/Planetoid", "Cora")
    run_pyg(dataset[0])
