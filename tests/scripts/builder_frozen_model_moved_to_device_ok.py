"""Food classification with a pretrained EfficientNet: a builder freezes the pretrained model and
then swaps the classifier for the 20 classes, whose new layers train; the caller moves what it
returns to the GPU in the same line."""
import argparse

import torch
import torch.nn as nn
from torchvision import datasets, models, transforms


def build_model(num_classes, cfg):
    model = models.efficientnet_b0(weights="IMAGENET1K_V1")
    if cfg["freeze_backbone"]:
        for param in model.parameters():
            param.requires_grad = False
    model.classifier = nn.Sequential(nn.Dropout(cfg["dropout"]), nn.Linear(1280, num_classes))
    return model


def report_trainable(model):
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    print(f"trainable parameters: {trainable}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, default=1e-3)
    args = parser.parse_args()
    cfg = {"dropout": 0.2, "freeze_backbone": True}
    device = "cuda" if torch.cuda.is_available() else "cpu"
    tf = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                             transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    train_set = datasets.ImageFolder("food20/train", tf)
    loader = torch.utils.data.DataLoader(train_set, batch_size=32, shuffle=True)
    model = build_model(len(train_set.classes), cfg).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=1e-4)
    criterion = nn.CrossEntropyLoss()
    report_trainable(model)
    for epoch in range(5):
        model.train()
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
        torch.save(model.state_dict(), "effb0_food20.pt")


if __name__ == "__main__":
    main()
