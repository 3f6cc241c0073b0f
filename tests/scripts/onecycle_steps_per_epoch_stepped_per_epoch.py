"""Covertype MLP batched by hand from a permutation each epoch; a OneCycleLR sized as
`steps_per_epoch * epochs` is built in a helper and stepped once per epoch."""
import argparse

import torch
import torch.nn as nn


def build_optim(model, steps_per_epoch, epochs, max_lr):
    opt = torch.optim.AdamW(model.parameters(), lr=max_lr / 25, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=max_lr, total_steps=steps_per_epoch * epochs)
    return opt, sched


def main(X_tr, y_tr):
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--bs", type=int, default=512)
    args = parser.parse_args()
    model = nn.Sequential(nn.Linear(54, 256), nn.ReLU(), nn.Linear(256, 7))
    loss_fn = nn.CrossEntropyLoss()
    n = X_tr.size(0)
    steps_per_epoch = n // args.bs
    optimizer, scheduler = build_optim(model, steps_per_epoch, args.epochs, 3e-3)
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(n)
        for step in range(steps_per_epoch):
            idx = perm[step * args.bs:(step + 1) * args.bs]
            optimizer.zero_grad()
            loss = loss_fn(model(X_tr[idx]), y_tr[idx])
            loss.backward()
            optimizer.step()
        scheduler.step()  # expect: FIT002
