"""A segmentation script in the DeepLab style: get_dataset(opts) builds the training and validation
sets for the chosen dataset and returns both; for Cityscapes the 'validation' set is the test split,
and the best checkpoint is kept on its mean IoU."""
import argparse

import torch
import torch.nn as nn
from torch.utils import data

from datasets import Cityscapes, VOCSegmentation
from network import deeplabv3plus_resnet50
from utils import ext_transforms as et


def get_argparser():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data_root", type=str, default="./datasets/data")
    parser.add_argument("--dataset", type=str, default="voc", choices=["voc", "cityscapes"])
    parser.add_argument("--batch_size", type=int, default=16)
    parser.add_argument("--total_itrs", type=int, default=30000)
    parser.add_argument("--val_interval", type=int, default=100)
    return parser


def get_dataset(opts):
    train_transform = et.ExtCompose([et.ExtRandomCrop(513), et.ExtRandomHorizontalFlip(), et.ExtToTensor()])
    val_transform = et.ExtCompose([et.ExtToTensor()])
    if opts.dataset == "voc":
        train_dst = VOCSegmentation(root=opts.data_root, image_set="train", transform=train_transform)
        val_dst = VOCSegmentation(root=opts.data_root, image_set="val", transform=val_transform)
    elif opts.dataset == "cityscapes":
        train_dst = Cityscapes(root=opts.data_root, split="train", transform=train_transform)
        val_dst = Cityscapes(root=opts.data_root, split="test", transform=val_transform)
    return train_dst, val_dst


def validate(model, loader, device):
    model.eval()
    intersection = union = 0
    with torch.no_grad():
        for images, labels in loader:
            preds = model(images.to(device)).argmax(1).cpu()
            intersection += ((preds == labels) & (labels != 255)).sum().item()
            union += (labels != 255).sum().item()
    return intersection / max(union, 1)


def main():
    opts = get_argparser().parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    train_dst, val_dst = get_dataset(opts)
    train_loader = data.DataLoader(train_dst, batch_size=opts.batch_size, shuffle=True, num_workers=2, drop_last=True)
    val_loader = data.DataLoader(val_dst, batch_size=1, num_workers=2)
    model = deeplabv3plus_resnet50(num_classes=21).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    criterion = nn.CrossEntropyLoss(ignore_index=255)
    best_score = 0.0
    cur_itrs = 0
    while cur_itrs < opts.total_itrs:
        model.train()
        for images, labels in train_loader:
            cur_itrs += 1
            optimizer.zero_grad()
            loss = criterion(model(images.to(device)), labels.to(device))
            loss.backward()
            optimizer.step()
            if cur_itrs % opts.val_interval == 0:
                score = validate(model, val_loader, device)
                if score > best_score:  # expect: FIT601
                    best_score = score
                    torch.save(model.state_dict(), f"checkpoints/best_{opts.dataset}.pth")
                model.train()
            if cur_itrs >= opts.total_itrs:
                break


if __name__ == "__main__":
    main()
