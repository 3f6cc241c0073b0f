"""The course helper module's `train()`: the scheduler is handed in by the caller (a notebook that
builds a ReduceLROnPlateau), and each epoch steps it with the loss measured on `test_dataloader`.
A step given a loss is ReduceLROnPlateau's whatever the caller built, so the learning-rate
schedule is tuned on the test set (FIT601)."""
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


def train(model, train_dataloader, test_dataloader, optimizer, loss_fn, epochs, device, scheduler=None):
    results = {"train_loss": [], "test_loss": []}
    for epoch in range(epochs):
        train_loss = train_step(model, train_dataloader, loss_fn, optimizer, device)
        test_loss = test_step(model, test_dataloader, loss_fn, device)
        if scheduler:
            scheduler.step(test_loss)  # expect: FIT601
        results["train_loss"].append(train_loss)
        results["test_loss"].append(test_loss)
    return results
