import numpy as np
import torch
import torch.nn as nn

N_CLASSES = 6
device = "cuda" if torch.cuda.is_available() else "cpu"


def block(n_in, n_out):
    return [nn.Linear(n_in, n_out), nn.ReLU()]


def build_model(n_features):
    return nn.Sequential(
        *block(n_features, 256),
        nn.Dropout(0.3),
        *block(256, 128),
        nn.Dropout(0.3),
        *block(128, N_CLASSES),  # expect: FIT301
    )


def build_head(width, classes):
    body = [nn.Linear(width, width), nn.GELU()]
    head = [nn.Linear(width, classes), nn.Sigmoid()]  # expect: FIT301
    return nn.Sequential(*body, *head)


X = torch.from_numpy(np.load("features.npy")).float().to(device)
y = torch.from_numpy(np.load("labels.npy")).long().to(device)
model = build_model(X.shape[1]).to(device)
probe = build_head(X.shape[1], N_CLASSES).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(list(model.parameters()) + list(probe.parameters()), lr=1e-3)
for epoch in range(30):
    model.train()
    order = torch.randperm(len(X), device=device)
    for i in range(0, len(X), 128):
        idx = order[i:i + 128]
        optimizer.zero_grad()
        loss = criterion(model(X[idx]), y[idx]) + criterion(probe(X[idx]), y[idx])
        loss.backward()
        optimizer.step()
