"""The same Cora training choosing on the validation nodes: the helper takes the mask to score, the
epoch loop hands it `data.val_mask`, and the test nodes are scored once at the end: nothing to
report."""
import torch
import torch.nn.functional as F
from torch_geometric.datasets import Planetoid
from torch_geometric.nn import GCNConv

dataset = Planetoid(root="data/Planetoid", name="Cora")
data = dataset[0]


class GCN(torch.nn.Module):
    def __init__(self, hidden=16):
        super().__init__()
        self.conv1 = GCNConv(dataset.num_features, hidden)
        self.conv2 = GCNConv(hidden, dataset.num_classes)

    def forward(self, x, edge_index):
        x = F.dropout(F.relu(self.conv1(x, edge_index)), p=0.5, training=self.training)
        return self.conv2(x, edge_index)


model = GCN()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)


def train():
    model.train()
    optimizer.zero_grad()
    out = model(data.x, data.edge_index)
    loss = F.cross_entropy(out[data.train_mask], data.y[data.train_mask])
    loss.backward()
    optimizer.step()
    return loss.item()


@torch.no_grad()
def evaluate_accuracy(model, data, mask):
    model.eval()
    pred = model(data.x, data.edge_index).argmax(dim=1)
    correct = (pred[mask] == data.y[mask]).sum()
    return int(correct) / int(mask.sum())


best_acc, counter, patience = 0.0, 0, 20
for epoch in range(500):
    loss = train()
    acc = evaluate_accuracy(model, data, data.val_mask)
    if acc > best_acc:
        best_acc = acc
        counter = 0
        torch.save(model.state_dict(), "best_model.pth")
    else:
        counter += 1
        if counter >= patience:
            break
model.load_state_dict(torch.load("best_model.pth"))
print("test accuracy", evaluate_accuracy(model, data, data.test_mask))
