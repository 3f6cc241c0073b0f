"""BPR matrix factorization whose held-out interactions are named the test rows (`test_idx`) and
which keeps its checkpoint on recall@10 over them: the checkpoint is chosen on the test set
(FIT601). Named `test_idx`, as in the correct twin, they say only "held out"."""
import pandas as pd
import torch
import torch.nn as nn

df = pd.read_csv("interactions.csv")
test_idx = df.groupby("u").sample(n=1, random_state=0).index
val_pairs = df.loc[test_idx, ["u", "i"]].values
train_pairs = torch.tensor(df.drop(test_idx)[["u", "i"]].values)
n_users, n_items = df.u.max() + 1, df.i.max() + 1


class BPR(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.users, self.items = nn.Embedding(n_users, dim), nn.Embedding(n_items, dim)

    def forward(self, u, i):
        return (self.users(u) * self.items(i)).sum(-1)


def recall_at_k(model, pairs, k=10):
    model.eval()
    with torch.no_grad():
        users = torch.tensor(pairs[:, 0])
        scores = model.users(users) @ model.items.weight.T
        top = scores.topk(k, dim=1).indices.numpy()
    return float(sum(pairs[j, 1] in top[j] for j in range(len(pairs))) / len(pairs))


model = BPR()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
best = 0.0
for epoch in range(30):
    perm = torch.randperm(len(train_pairs))
    for start in range(0, len(perm), 1024):
        batch = train_pairs[perm[start:start + 1024]]
        neg = torch.randint(0, n_items, (len(batch),))
        optimizer.zero_grad()
        loss = -nn.functional.logsigmoid(model(batch[:, 0], batch[:, 1]) - model(batch[:, 0], neg)).mean()
        loss.backward()
        optimizer.step()
    rec = recall_at_k(model, val_pairs)
    if rec > best:  # expect: FIT601
        best = rec
        torch.save(model.state_dict(), "bpr.pt")
