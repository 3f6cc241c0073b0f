"""The same graph autoencoder with `model.train()` at the top of each epoch: the evaluation mode the
link-prediction check sets is undone before the next `encode()` trains: nothing to report."""
import torch
import torch.nn.functional as F
from torch_geometric.datasets import Planetoid
from torch_geometric.nn import GAE, GCNConv
from torch_geometric.transforms import RandomLinkSplit
from torch_geometric.utils import negative_sampling

dataset = Planetoid("data", "Cora")
train_data, val_data, test_data = RandomLinkSplit(is_undirected=True, split_labels=True)(dataset[0])


class Encoder(torch.nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.conv1 = GCNConv(in_channels, 2 * out_channels)
        self.dropout = torch.nn.Dropout(0.2)
        self.conv2 = GCNConv(2 * out_channels, out_channels)

    def forward(self, x, edge_index):
        return self.conv2(self.dropout(F.relu(self.conv1(x, edge_index))), edge_index)


model = GAE(Encoder(dataset.num_features, 16))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(200):
    model.train()
    optimizer.zero_grad()
    z = model.encode(train_data.x, train_data.edge_index)
    loss = model.recon_loss(z, train_data.pos_edge_label_index)
    loss.backward()
    optimizer.step()
    with torch.no_grad():
        model.eval()
        z = model.encode(val_data.x, val_data.edge_index)
        auc, ap = model.test(z, val_data.pos_edge_label_index, val_data.neg_edge_label_index)
    print(epoch, loss.item(), auc, ap)
