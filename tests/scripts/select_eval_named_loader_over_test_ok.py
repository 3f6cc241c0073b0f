"""The twin of select_eval_named_loader_over_test.py: the loader called `eval_loader` walks a
validation part carved at random from the training interactions, and the test interactions are
evaluated once, after training, with the kept checkpoint. The other trap: an `eval_loader` over
data whose name says nothing (`pairs_b`) keeps the name's reading (held out, no test evidence),
so nothing chosen on it is reported."""
import numpy as np
import pandas as pd
import torch
from torch import nn
from torch.optim.lr_scheduler import ReduceLROnPlateau
from torch.utils.data import DataLoader
from sklearn.model_selection import train_test_split

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
all_train = pd.DataFrame(dataset["train"], columns=["user", "item", "rating"])
test_pairs = pd.DataFrame(dataset["test"], columns=["user", "item", "rating"])
train_pairs, val_pairs = train_test_split(all_train, test_size=0.1, random_state=0)
train_loader = DataLoader(train_pairs.values, batch_size=1024, shuffle=True)
eval_loader = DataLoader(dataset=val_pairs.values, batch_size=1000, shuffle=False)
test_loader = DataLoader(test_pairs.values, batch_size=1000, shuffle=False)

model = GMF(int(dataset["n_users"]), int(dataset["n_items"]))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-6)
scheduler = ReduceLROnPlateau(optimizer, mode="max", patience=2)
best_ndcg = 0.0
for epoch in range(30):
    train_epoch(model, optimizer, train_loader)
    hr, ndcg = evaluate(model, eval_loader)
    scheduler.step(ndcg)
    if ndcg > best_ndcg:
        best_ndcg = ndcg
        torch.save(model.state_dict(), "gmf.pt")

model.load_state_dict(torch.load("gmf.pt"))
print("test HR / NDCG", evaluate(model, test_loader))

pairs_b = pd.DataFrame(np.load("other.npz")["pairs"], columns=["user", "item", "rating"])
other_eval_loader = DataLoader(pairs_b.values, batch_size=1000)
best_other = 0.0
for epoch in range(5):
    train_epoch(model, optimizer, train_loader)
    _, other_ndcg = evaluate(model, other_eval_loader)
    if other_ndcg > best_other:
        best_other = other_ndcg
        torch.save(model.state_dict(), "gmf_other.pt")
