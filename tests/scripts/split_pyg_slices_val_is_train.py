"""A PyG graph classifier: the shuffled TUDataset is sliced into test, validation and training
parts (`dataset[2 * n_test:]`), and the validation loader is built over the training part by a
copy-paste slip (FIT603)."""
import argparse

import torch
import torch.nn.functional as F
from torch_geometric.datasets import TUDataset
from torch_geometric.loader import DataLoader
from torch_geometric.nn import GINConv, global_add_pool

parser = argparse.ArgumentParser()
parser.add_argument("--root", default="data/TUDataset")
parser.add_argument("--name", default="MUTAG")
parser.add_argument("--batch_size", type=int, default=64)
args = parser.parse_args()

dataset = TUDataset(args.root, name=args.name).shuffle()
n_test = len(dataset) // 10
test_dataset = dataset[:n_test]
val_dataset = dataset[n_test:2 * n_test]
train_dataset = dataset[2 * n_test:]
train_loader = DataLoader(train_dataset, batch_size=args.batch_size, shuffle=True)
val_loader = DataLoader(train_dataset, batch_size=args.batch_size)  # expect: FIT603
test_loader = DataLoader(test_dataset, batch_size=args.batch_size)


class GIN(torch.nn.Module):
    def __init__(self, in_channels, hidden, out_channels):
        super().__init__()
        self.conv1 = GINConv(torch.nn.Sequential(torch.nn.Linear(in_channels, hidden), torch.nn.BatchNorm1d(hidden),
                                                 torch.nn.ReLU(), torch.nn.Linear(hidden, hidden)))
        self.conv2 = GINConv(torch.nn.Sequential(torch.nn.Linear(hidden, hidden), torch.nn.ReLU()))
        self.lin = torch.nn.Linear(hidden, out_channels)

    def forward(self, x, edge_index, batch):
        x = self.conv2(self.conv1(x, edge_index).relu(), edge_index)
        return self.lin(F.dropout(global_add_pool(x, batch), p=0.5, training=self.training))


model = GIN(dataset.num_features, 64, dataset.num_classes)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=1e-4)


@torch.no_grad()
def accuracy(loader):
    model.eval()
    correct = 0
    for data in loader:
        correct += int((model(data.x, data.edge_index, data.batch).argmax(-1) == data.y).sum())
    return correct / len(loader.dataset)


for epoch in range(1, 101):
    model.train()
    for data in train_loader:
        optimizer.zero_grad()
        F.cross_entropy(model(data.x, data.edge_index, data.batch), data.y).backward()
        optimizer.step()
    print(f"epoch {epoch:03d} val {accuracy(val_loader):.4f} test {accuracy(test_loader):.4f}")
