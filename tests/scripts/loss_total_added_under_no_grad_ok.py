"""A course project's train(): after each optimizer step the batch loss is added to a running total
inside `with torch.no_grad():` (no graph is recorded for the sum), and the validation loop runs
entirely under no_grad while reusing the name `loss`."""
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
            with torch.no_grad():
                train_loss += loss * train_dataloader.batch_size
        print(f"train loss {train_loss.item() / len(train_dataloader.dataset):.5f}")
        net.eval()
        valid_loss = torch.tensor(0.0, device=device)
        with torch.no_grad():
            for X, y in valid_dataloader:
                X, y = X.to(device), y.to(device).view(-1, 1)
                loss = criterion(net(X), y)
                valid_loss += loss * valid_dataloader.batch_size
        print(f"valid loss {valid_loss.item() / len(valid_dataloader.dataset):.5f}")
