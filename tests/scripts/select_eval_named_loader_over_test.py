"""A neural collaborative filtering script (implicit feedback, MovieLens-style): the interactions
come split into "train" and "test", and the loader over the test interactions is called
`eval_loader` ("test loader for validation"). `eval` says the data is held out, not which part:
the data it walks is the test split, and the learning-rate plateau, early stopping and the kept
checkpoint are all decided on its NDCG."""
import numpy as np
import pandas as pd
import torch
from torch import nn
from torch.optim.lr_scheduler import ReduceLROnPlateau
from torch.utils.data import DataLoader

from ncf_utils import hit_ratio_ndcg


class GMF(nn.Module):
    def __init__(self, n_user, n_item, n_emb=8):
        super().__init__()
        self.user = nn.Embedding(n_user, n_emb)
        self.item = nn.Embedding(n_item, n_emb)
        self.out = nn.Linear(n_emb, 1)

    def forward(self, users, items):
        return self.out(self.user(users) * self.item(items)).squeeze(1)


def train_epoch(model, optimizer, loader):
    model.train()
    for batch in loader:
        users, items, labels = batch[:, 0], batch[:, 1], batch[:, 2].float()
        optimizer.zero_grad()
        loss = nn.functional.binary_cross_entropy_with_logits(model(users, items), labels)
        loss.backward()
        optimizer.step()


@torch.no_grad()
def evaluate(model, loader, topk=10):
    model.eval()
    scores = [hit_ratio_ndcg(model(b[:, 0], b[:, 1]), topk) for b in loader]
    return float(np.mean([s[0] for s in scores])), float(np.mean([s[1] for s in scores]))


dataset = np.load("interactions.npz")
train_pairs = pd.DataFrame(dataset["train"], columns=["user", "item", "rating"])
test_pairs = pd.DataFrame(dataset["test"], columns=["user", "item", "rating"])
train_loader = DataLoader(train_pairs.values, batch_size=1024, shuffle=True)
# test loader for validation
eval_loader = DataLoader(dataset=test_pairs.values, batch_size=1000, shuffle=False)

model = GMF(int(dataset["n_users"]), int(dataset["n_items"]))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-6)
scheduler = ReduceLROnPlateau(optimizer, mode="max", patience=2)
best_ndcg, bad_epochs = 0.0, 0
for epoch in range(30):
    train_epoch(model, optimizer, train_loader)
    hr, ndcg = evaluate(model, eval_loader)
    scheduler.step(ndcg)  # FIT601
    if ndcg > best_ndcg:  # FIT601
        best_ndcg, bad_epochs = ndcg, 0
        torch.save(model.state_dict(), "gmf.pt")
    else:
        bad_epochs += 1
        if bad_epochs >= 5:
            break
