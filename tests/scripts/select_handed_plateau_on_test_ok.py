"""The same helper module done right: the handed-in scheduler is stepped with the validation loss
(`val_dataloader`), and a second helper steps its handed scheduler with the epoch number (the
closed form): nothing is tuned on the test set."""
import torch


def train_step(model, dataloader, loss_fn, optimizer, device):
    model.train()
    train_loss = 0.0
    for X, y in dataloader:
        X, y = X.to(device), y.to(device)
        loss = loss_fn(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        train_loss += loss.item()
    return train_loss / len(dataloader)


def test_step(model, dataloader, loss_fn, device):
    model.eval()
    test_loss = 0.0
    with torch.inference_mode():
        for X, y in dataloader:
            X, y = X.to(device), y.to(device)
            test_loss += loss_fn(model(X), y).item()
    return test_loss / len(dataloader)


def train(model, train_dataloader, val_dataloader, optimizer, loss_fn, epochs, device, scheduler=None):
    results = {"train_loss": [], "val_loss": []}
    for epoch in range(epochs):
        train_loss = train_step(model, train_dataloader, loss_fn, optimizer, device)
        val_loss = test_step(model, val_dataloader, loss_fn, device)
        if scheduler:
            scheduler.step(val_loss)
        results["train_loss"].append(train_loss)
        results["val_loss"].append(test_loss)
    return results


def train_scheduled(model, train_dataloader, optimizer, loss_fn, epochs, device, lr_scheduler):
    for epoch in range(epochs):
        train_step(model, train_dataloader, loss_fn, optimizer, device)
        lr_scheduler.step(epoch)
