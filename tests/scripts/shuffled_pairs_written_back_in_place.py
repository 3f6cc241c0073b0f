import random

import torch
import torch.nn as nn

input, label = [], []
for fold in range(1, 10):
    input += torch.load(f"features_fold{fold}.pt")
    label += torch.load(f"labels_fold{fold}.pt")

train_fg = len(input) * 19 // 20
eval_input = input[train_fg:]  # expect: FIT102
eval_label = label[train_fg:]
input, label = input[:train_fg], label[:train_fg]

model = nn.Sequential(nn.Flatten(), nn.Linear(40 * 41, 128), nn.ReLU(), nn.Linear(128, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(30):
    order = list(range(len(input)))
    random.shuffle(order)
    for start in range(0, len(order), 32):
        idx = order[start:start + 32]
        x = torch.stack([input[i] for i in idx])
        y = torch.tensor([label[i] for i in idx])
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
