"""Full-graph training done right, and the shapes a full-batch check must leave alone: the
validation pass under no_grad, the training accuracy read from the training forward itself (no second pass),
a regulariser on the unlabelled nodes' predictions that is trained on, and an adversarial
example made in eval mode whose gradient is wanted.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class GCN(nn.Module):
    def __init__(self, nfeat, nhid, nclass):
        super().__init__()
        self.fc1 = nn.Linear(nfeat, nhid)
        self.fc2 = nn.Linear(nhid, nclass)

    def forward(self, x, adj):
        x = F.relu(adj @ self.fc1(x))
        x = F.dropout(x, 0.5, training=self.training)
        return F.log_softmax(adj @ self.fc2(x), dim=1)


features, adj, labels = torch.load("cora.pt")
idx_train, idx_val, idx_test = torch.arange(140), torch.arange(200, 500), torch.arange(500, 1500)
model = GCN(64, 16, 4)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)


def accuracy(output, target):
    return (output.argmax(1) == target).float().mean()


def train(epoch):
    model.train()
    optimizer.zero_grad()
    output = model(features, adj)
    loss_train = F.nll_loss(output[idx_train], labels[idx_train])
    loss_train.backward()
    optimizer.step()
    # the training accuracy off the same pass: no second forward (the validation part of that
    # pass would be measured in training mode, see gcn_validation_from_training_pass.py)
    acc_train = accuracy(output[idx_train], labels[idx_train])

    model.eval()
    with torch.no_grad():
        output = model(features, adj)
    loss_val = F.nll_loss(output[idx_val], labels[idx_val])
    print(epoch, loss_train.item(), acc_train.item(), loss_val.item())


def train_with_entropy(epoch):
    model.train()
    optimizer.zero_grad()
    output = model(features, adj)
    unlabelled = model(features, adj)
    entropy = -(unlabelled[idx_test].exp() * unlabelled[idx_test]).sum(1).mean()
    loss = F.nll_loss(output[idx_train], labels[idx_train]) + 0.1 * entropy
    loss.backward()
    optimizer.step()


def adversarial_accuracy(eps=0.01):
    model.eval()
    x = features.clone().requires_grad_(True)
    output = model(x, adj)
    loss = F.nll_loss(output[idx_test], labels[idx_test])
    loss.backward()
    with torch.no_grad():
        attacked = model(x + eps * x.grad.sign(), adj)
    return accuracy(attacked[idx_test], labels[idx_test])


for epoch in range(200):
    train(epoch)
    train_with_entropy(epoch)
print(adversarial_accuracy())
