"""Cora with a PyG-style Data object: train() runs one full-batch step per epoch, and every ten
epochs test(model, data) measures the validation and test masks in eval mode but with gradients
on, so each call records a graph over the whole graph."""
import torch
import torch.nn.functional as F
from torch_geometric.datasets import Planetoid
from torch_geometric.nn import GCNConv
import torch_geometric.transforms as T


class GCN(torch.nn.Module):
    def __init__(self, num_features, hidden, num_classes):
        super().__init__()
        self.conv1 = GCNConv(num_features, hidden)
        self.conv2 = GCNConv(hidden, num_classes)

    def forward(self, x, edge_index):
        x = F.relu(self.conv1(x, edge_index))
        x = F.dropout(x, p=0.5, training=self.training)
        return self.conv2(x, edge_index)


def train(model, data, optimizer):
    model.train()
    optimizer.zero_grad()
    out = model(data.x, data.edge_index)
    loss = F.cross_entropy(out[data.train_mask], data.y[data.train_mask])
    loss.backward()
    optimizer.step()
    return loss.item()


def test(model, data):
    model.eval()
    out = model(data.x, data.edge_index)  # expect: FIT202
    pred = out.argmax(dim=1)
    test_acc = int((pred[data.test_mask] == data.y[data.test_mask]).sum()) / int(data.test_mask.sum())
    val_acc = int((pred[data.val_mask] == data.y[data.val_mask]).sum()) / int(data.val_mask.sum())
    return test_acc, val_acc


def main():
    dataset = Planetoid(root="data/Planetoid", name="Cora", transform=T.NormalizeFeatures())
    data = dataset[0]
    model = GCN(dataset.num_features, 16, dataset.num_classes)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
    for epoch in range(1, 201):
        loss = train(model, data, optimizer)
        if epoch % 10 == 0:
            test_acc, val_acc = test(model, data)
            print(f"Epoch {epoch:03d} loss {loss:.4f} val {val_acc:.4f} test {test_acc:.4f}")
    print("final", test(model, data))


if __name__ == "__main__":
    main()
