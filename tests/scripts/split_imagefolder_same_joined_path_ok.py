"""The same data module with the validation folder joined from its own name: two joins of one root
with different folder names are different data."""
import os

from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def build_transforms(size):
    train_tf = transforms.Compose([
        transforms.RandomResizedCrop(size),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ])
    eval_tf = transforms.Compose([
        transforms.Resize(size),
        transforms.CenterCrop(size),
        transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ])
    return train_tf, eval_tf


def get_loaders(cfg):
    train_tf, eval_tf = build_transforms(cfg.img_size)
    train_dir = os.path.join(cfg.root, "seg_train")
    val_dir = os.path.join(cfg.root, "seg_test")
    train_set = datasets.ImageFolder(train_dir, transform=train_tf)
    val_set = datasets.ImageFolder(val_dir, transform=eval_tf)
    train_loader = DataLoader(train_set, batch_size=cfg.batch_size, shuffle=True, num_workers=cfg.workers)
    val_loader = DataLoader(val_set, batch_size=cfg.batch_size * 2, shuffle=False, num_workers=cfg.workers)
    return train_loader, val_loader

