# A loader wrapper that forwards extra keywords to DataLoader: the training call passes only
# drop_last=True, so the training loader never shuffles (the validation call's shuffle=False is fine).
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def _loader(dataset, batch_size, workers, **kw):
    return DataLoader(dataset, batch_size=batch_size, num_workers=workers, pin_memory=True, **kw)  # expect: FIT101


def make_loaders(cfg):
    train_ds = TensorDataset(torch.randn(4096, 40), torch.randint(0, 6, (4096,)))
    val_ds = TensorDataset(torch.randn(512, 40), torch.randint(0, 6, (512,)))
    train_loader = _loader(train_ds, cfg["batch_size"], cfg["workers"], drop_last=True)
    val_loader = _loader(val_ds, cfg["batch_size"] * 2, cfg["workers"], shuffle=False)
    return train_loader, val_loader


def main():
    cfg = {"batch_size": 64, "workers": 2, "epochs": 20}
    train_loader, val_loader = make_loaders(cfg)
    model = nn.Sequential(nn.Linear(40, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 6))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(cfg["epochs"]):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            correct = sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader)
        print(epoch, correct / len(val_loader.dataset))


if __name__ == "__main__":
    main()
