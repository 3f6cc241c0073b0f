"""A PyG node classifier whose attention layers drop attention weights (GATConv's dropout=0.6):
its validation pass after each epoch runs without model.eval(), so the dropout is still on."""
import torch
import torch.nn.functional as F
from torch_geometric.datasets import Planetoid
from torch_geometric.nn import GATConv

dataset = Planetoid(root="data/Cora", name="Cora")
data = dataset[0]


class GAT(torch.nn.Module):
    def __init__(self, in_channels, hidden, out_channels, heads=8):
        super().__init__()
        self.conv1 = GATConv(in_channels, hidden, heads=heads, dropout=0.6)
        self.conv2 = GATConv(hidden * heads, out_channels, heads=1, concat=False, dropout=0.6)

    def forward(self, x, edge_index):
        x = F.elu(self.conv1(x, edge_index))
        return self.conv2(x, edge_index)


model = GAT(dataset.num_features, 8, dataset.num_classes)
optimizer = torch.optim.Adam(model.parameters(), lr=0.005, weight_decay=5e-4)

for epoch in range(200):
    model.train()
    optimizer.zero_grad()
    out = model(data.x, data.edge_index)
    loss = F.cross_entropy(out[data.train_mask], data.y[data.train_mask])
    loss.backward()
    optimizer.step()

    with torch.no_grad():
        pred = model(data.x, data.edge_index).argmax(dim=1)  # expect: FIT201
    val_acc = (pred[data.val_mask] == data.y[data.val_mask]).float().mean().item()
    print(f"epoch {epoch:03d} loss {loss.item():.4f} val {val_acc:.4f}")
