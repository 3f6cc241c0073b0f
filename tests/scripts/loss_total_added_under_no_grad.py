"""The same train() with the running total added outside no_grad: every batch's graph stays
attached to `train_loss` for the whole epoch."""
import torch
import torch.nn as nn


def train(net, train_dataloader, valid_dataloader, epochs, device, lr=1e-3):
    criterion = nn.BCELoss()
    optimizer = torch.optim.Adam(net.parameters(), lr=lr, weight_decay=1e-5)
    for epoch in range(epochs):
        net.train()
        train_loss = torch.tensor(0.0, device=device)
        for X, y in train_dataloader:
            X, y = X.to(device), y.to(device).view(-1, 1)
            preds = net(X)
            loss = criterion(preds, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            train_loss += loss * train_dataloader.batch_size  # expect: FIT502
        print(f"train loss {train_loss.item() / len(train_dataloader.dataset):.5f}")
        net.eval()
        valid_loss = torch.tensor(0.0, device=device)
        with torch.no_grad():
            for X, y in valid_dataloader:
                X, y = X.to(device), y.to(device).view(-1, 1)
                loss = criterion(net(X), y)
                valid_loss += loss * valid_dataloader.batch_size
        print(f"valid loss {valid_loss.item() / len(valid_dataloader.dataset):.5f}")
