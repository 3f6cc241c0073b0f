"""A seed ensemble: three CNNs are trained, then their averaged softmax is scored on the test set
by running each member (`for m in members:`) with gradients on (FIT202)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Flatten(), nn.Dropout(0.4), nn.Linear(32 * 14 * 14, 10))

    def forward(self, x):
        return self.net(x)


def fit_member(seed, train_loader, epochs=10):
    torch.manual_seed(seed)
    model = SmallCNN().to(DEVICE)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            opt.zero_grad()
            F.cross_entropy(model(x.to(DEVICE)), y.to(DEVICE)).backward()
            opt.step()
    return model


def ensemble_predict(members, loader):
    for m in members:
        m.eval()
    all_probs, all_targets = [], []
    for x, y in loader:  # expect: FIT202
        outs = []
        for m in members:
            outs.append(F.softmax(m(x.to(DEVICE)), dim=1))
        all_probs.append(torch.stack(outs).mean(0).cpu())
        all_targets.append(y)
    return torch.cat(all_probs), torch.cat(all_targets)


def main():
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.2860,), (0.3530,))])
    train_loader = DataLoader(datasets.FashionMNIST("data", train=True, transform=tf), batch_size=128, shuffle=True)
    test_loader = DataLoader(datasets.FashionMNIST("data", train=False, transform=tf), batch_size=512)
    members = [fit_member(seed, train_loader) for seed in (0, 1, 2)]
    probs, targets = ensemble_predict(members, test_loader)
    print("ensemble test acc", (probs.argmax(1) == targets).float().mean().item())


if __name__ == "__main__":
    main()
