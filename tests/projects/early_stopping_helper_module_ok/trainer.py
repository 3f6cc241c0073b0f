"""The project's training routine: early stopping and a plateau scheduler on the loader it is
handed as validation data."""
import torch


class EarlyStopping:
    def __init__(self, patience=5, path="checkpoint.pth"):
        self.patience, self.path = patience, path
        self.best, self.counter, self.early_stop = None, 0, False

    def __call__(self, val_loss, model):
        if self.best is None or val_loss < self.best:
            self.best, self.counter = val_loss, 0
            torch.save(model.state_dict(), self.path)
        else:
            self.counter += 1
            self.early_stop = self.counter >= self.patience


def evaluate(model, loader, device):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for tokens, tags in loader:
            total += model.loss(tokens.to(device), tags.to(device)).item()
    return total / len(loader)


def train(model, optimizer, train_dl, val_dl, device=None, epochs=500, early_stop_epochs=10):
    early_stopping = EarlyStopping(patience=early_stop_epochs)
    reduce_lr = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=3)
    for epoch in range(epochs):
        model.train()
        for tokens, tags in train_dl:
            optimizer.zero_grad()
            model.loss(tokens.to(device), tags.to(device)).backward()
            optimizer.step()
        val_loss = evaluate(model, val_dl, device)
        early_stopping(val_loss, model)
        if early_stopping.early_stop:
            break
        reduce_lr.step(val_loss)
