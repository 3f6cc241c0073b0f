"""A data module of a multi-file project: the validation folder's path is a copy of the training
folder's line (`seg_train` left in place of `seg_test`), so both ImageFolders read the same images
(FIT603)."""
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
    val_dir = os.path.join(cfg.root, "seg_train")
    train_set = datasets.ImageFolder(train_dir, transform=train_tf)
    val_set = datasets.ImageFolder(val_dir, transform=eval_tf)  # expect: FIT603
    train_loader = DataLoader(train_set, batch_size=cfg.batch_size, shuffle=True, num_workers=cfg.workers)
    val_loader = DataLoader(val_set, batch_size=cfg.batch_size * 2, shuffle=False, num_workers=cfg.workers)
    return train_loader, val_loader
