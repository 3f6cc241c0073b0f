"""CS homework style: dataclass configs, a `get_loaders(data_cfg, train_cfg)` helper that returns
(train_loader, val_loader), and a run function that keeps the best checkpoint. The "validation"
loader is the official CIFAR-10 test split (`train=False`); the `train_cfg` handed to the helper
holds the batch size, not training data."""
import copy
from dataclasses import dataclass

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


@dataclass
class DataConfig:
    data_dir: str = "./data"
    num_workers: int = 2


@dataclass
class TrainingConfig:
    batch_size: int = 128
    epochs: int = 30
    learning_rate: float = 1e-3
    weight_decay: float = 5e-4
    save_path: str = "best.pt"


def get_loaders(data_cfg: DataConfig, train_cfg: TrainingConfig) -> tuple[DataLoader, DataLoader]:
    train_tf = transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(),
                                   transforms.ToTensor(), transforms.Normalize((0.49, 0.48, 0.45), (0.25, 0.24, 0.26))])
    val_tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.49, 0.48, 0.45), (0.25, 0.24, 0.26))])
    train_ds = datasets.CIFAR10(data_cfg.data_dir, train=True, download=True, transform=train_tf)
    val_ds = datasets.CIFAR10(data_cfg.data_dir, train=False, download=True, transform=val_tf)
    train_loader = DataLoader(train_ds, batch_size=train_cfg.batch_size, shuffle=True,
                              num_workers=data_cfg.num_workers)
    val_loader = DataLoader(val_ds, batch_size=train_cfg.batch_size, shuffle=False,
                            num_workers=data_cfg.num_workers)
    return train_loader, val_loader


def train_one_epoch(model, loader, optimizer, criterion, device):
    model.train()
    for imgs, labels in loader:
        imgs, labels = imgs.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(imgs), labels)
        loss.backward()
        optimizer.step()


def validate(model: nn.Module, loader: DataLoader, device: torch.device) -> tuple[float, float]:
    model.eval()
    criterion = nn.CrossEntropyLoss()
    total_loss, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for imgs, labels in loader:
            imgs, labels = imgs.to(device), labels.to(device)
            out = model(imgs)
            total_loss += criterion(out, labels).item() * imgs.size(0)
            correct += out.argmax(1).eq(labels).sum().item()
            n += imgs.size(0)
    return total_loss / n, correct / n


def run_training(model: nn.Module, data_cfg: DataConfig, train_cfg: TrainingConfig, device: torch.device) -> float:
    train_loader, val_loader = get_loaders(data_cfg, train_cfg)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=train_cfg.learning_rate,
                                 weight_decay=train_cfg.weight_decay)
    best_acc, best_weights = 0.0, None
    for epoch in range(1, train_cfg.epochs + 1):
        train_one_epoch(model, train_loader, optimizer, criterion, device)
        val_loss, val_acc = validate(model, val_loader, device)
        print(f"epoch {epoch}: val loss {val_loss:.4f} acc {val_acc:.4f}")
        if val_acc > best_acc:  # expect: FIT601
            best_acc = val_acc
            best_weights = copy.deepcopy(model.state_dict())
            torch.save(best_weights, train_cfg.save_path)
    model.load_state_dict(best_weights)
    return best_acc
