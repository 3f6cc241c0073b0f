"""A graph network that trains itself (`model.train_model(...)`): each epoch it scores the test
nodes, converts labels and predictions along the way (`LongTensor(Y)`, `.detach().cpu().numpy()`),
and saves the checkpoint whenever that test accuracy improves: the model is picked on the test set."""
import os

import numpy as np
import torch
import torch.nn as nn
from torch.nn.functional import cross_entropy

LongTensor = torch.LongTensor


class GCN(nn.Module):
    def __init__(self, A, in_features, hidden, classes, dropout=0.5):
        super().__init__()
        self.A = A
        self.W1 = nn.Linear(in_features, hidden)
        self.W2 = nn.Linear(hidden, classes)
        self.dropout = nn.Dropout(dropout)

    def get_logits(self, X):
        H = torch.relu(self.A @ self.W1(self.dropout(X)))
        return self.A @ self.W2(self.dropout(H))

    def train_model(self, num_epochs, lr, dataset, train_indices, test_indices, ckpt_path):
        opt = torch.optim.Adam(self.parameters(), lr=lr, weight_decay=5e-4)
        X = dataset.features
        max_acc = 0.0
        for i in range(num_epochs):
            self.train()
            _, Y = dataset[train_indices]
            Y = LongTensor(Y)
            Z = self.get_logits(X)[LongTensor(train_indices)]
            opt.zero_grad()
            train_loss = cross_entropy(Z, Y)
            train_loss.backward()
            opt.step()

            with torch.no_grad():
                self.eval()
                _, Y = dataset[test_indices]
                Y = LongTensor(Y)
                Z = self.get_logits(X)[LongTensor(test_indices)]
                Y = Y.detach().cpu().numpy()
                Z = np.argmax(Z.detach().cpu().numpy(), axis=-1)
                acc = np.mean(Y == Z)
                if acc > max_acc:  # expect: FIT601
                    torch.save(self.state_dict(), os.path.join(ckpt_path, "model.ckpt"))
                    max_acc = acc
        return max_acc


class CoraDataset:
    def __init__(self, root):
        data = np.load(os.path.join(root, "cora.npz"))
        self.features = torch.tensor(data["features"], dtype=torch.float32)
        self.labels = data["labels"]
        self.A = torch.tensor(data["adjacency"], dtype=torch.float32)
        order = np.random.default_rng(0).permutation(len(self.labels))
        self.train_indices, self.val_indices, self.test_indices = order[:140], order[140:640], order[1708:]

    def __getitem__(self, indices):
        return self.features[indices], self.labels[indices]


dataset = CoraDataset("data/cora")
model = GCN(dataset.A, dataset.features.shape[1], 16, 7)
model.train_model(200, 0.01, dataset, dataset.train_indices, dataset.test_indices, "checkpoints")
