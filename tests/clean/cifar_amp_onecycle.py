"""CIFAR-10 with mixed precision: GradScaler, gradient clipping after unscale_, OneCycleLR stepped
every batch, label smoothing, early stopping on the validation loss."""
import argparse

import torch
import torch.nn as nn
import torchvision
import torchvision.transforms as T
from torch.utils.data import DataLoader, random_split


def conv_bn(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


def make_model(num_classes=10):
    return nn.Sequential(conv_bn(3, 64), conv_bn(64, 128), nn.MaxPool2d(2), conv_bn(128, 256), nn.MaxPool2d(2),
                         conv_bn(256, 512), nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Dropout(0.2),
                         nn.Linear(512, num_classes))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--max-lr", type=float, default=0.01)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--patience", type=int, default=5)
    args = parser.parse_args()
    device = torch.device("cuda")

    stats = ((0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616))
    train_tf = T.Compose([T.RandomCrop(32, padding=4, padding_mode="reflect"), T.RandomHorizontalFlip(),
                          T.ToTensor(), T.Normalize(*stats)])
    full = torchvision.datasets.CIFAR10("data", train=True, download=True, transform=train_tf)
    train_set, val_set = random_split(full, [45000, 5000], generator=torch.Generator().manual_seed(42))
    val_set.dataset = torchvision.datasets.CIFAR10("data", train=True, transform=T.Compose([T.ToTensor(), T.Normalize(*stats)]))
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True, num_workers=4, pin_memory=True)
    val_loader = DataLoader(val_set, batch_size=512, num_workers=4, pin_memory=True)

    model = make_model().to(device)
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.max_lr, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, args.max_lr, epochs=args.epochs,
                                                    steps_per_epoch=len(train_loader))
    scaler = torch.cuda.amp.GradScaler()

    best_loss, waited = float("inf"), 0
    for epoch in range(args.epochs):
        model.train()
        for images, labels in train_loader:
            images, labels = images.to(device, non_blocking=True), labels.to(device, non_blocking=True)
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast("cuda", dtype=torch.float16):
                loss = criterion(model(images), labels)
            scaler.scale(loss).backward()
            scaler.unscale_(optimizer)
            nn.utils.clip_grad_norm_(model.parameters(), 0.1)
            scaler.step(optimizer)
            scaler.update()
            scheduler.step()

        model.eval()
        val_loss, correct = 0.0, 0
        with torch.inference_mode():
            for images, labels in val_loader:
                images, labels = images.to(device), labels.to(device)
                outputs = model(images)
                val_loss += criterion(outputs, labels).item() * len(labels)
                correct += (outputs.argmax(1) == labels).sum().item()
        val_loss /= len(val_set)
        print(f"epoch {epoch}: val loss {val_loss:.4f} acc {correct / len(val_set):.4f}")
        if val_loss < best_loss:
            best_loss, waited = val_loss, 0
            torch.save(model.state_dict(), "best.pt")
        else:
            waited += 1
            if waited >= args.patience:
                break


if __name__ == "__main__":
    main()
