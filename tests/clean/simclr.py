"""SimCLR pre-training: two random augmentations of each image, an NT-Xent loss over the batch,
a cosine schedule per epoch; a linear probe evaluated on held-out data with the encoder frozen."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader
from torchvision import transforms


class TwoViews:
    def __init__(self, base):
        self.base = base

    def __call__(self, x):
        return self.base(x), self.base(x)


augment = transforms.Compose([transforms.RandomResizedCrop(32), transforms.RandomHorizontalFlip(),
                              transforms.RandomApply([transforms.ColorJitter(0.4, 0.4, 0.4, 0.1)], p=0.8),
                              transforms.RandomGrayscale(p=0.2), transforms.ToTensor()])
plain = transforms.ToTensor()
pretrain_set = torchvision.datasets.CIFAR10("data", train=True, download=True, transform=TwoViews(augment))
pretrain_loader = DataLoader(pretrain_set, batch_size=256, shuffle=True, drop_last=True, num_workers=8)


def nt_xent(z1, z2, temperature=0.5):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.t() / temperature
    sim.fill_diagonal_(float("-inf"))
    n = z1.size(0)
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(z.device)
    return F.cross_entropy(sim, targets)


encoder = torchvision.models.resnet18(num_classes=128)
encoder.fc = nn.Sequential(nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 128))
device = torch.device("cuda")
encoder = encoder.to(device)
optimizer = torch.optim.Adam(encoder.parameters(), lr=3e-4, weight_decay=1e-6)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=100)
for epoch in range(100):
    encoder.train()
    for (x1, x2), _ in pretrain_loader:
        loss = nt_xent(encoder(x1.to(device)), encoder(x2.to(device)))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    scheduler.step()

encoder.fc = nn.Identity()
for param in encoder.parameters():
    param.requires_grad = False
probe = nn.Linear(512, 10).to(device)
probe_optimizer = torch.optim.Adam(probe.parameters(), lr=1e-3)
train_loader = DataLoader(torchvision.datasets.CIFAR10("data", train=True, transform=plain), batch_size=256, shuffle=True)
test_loader = DataLoader(torchvision.datasets.CIFAR10("data", train=False, transform=plain), batch_size=512)
encoder.eval()
for epoch in range(20):
    for x, y in train_loader:
        with torch.no_grad():
            features = encoder(x.to(device))
        loss = F.cross_entropy(probe(features), y.to(device))
        probe_optimizer.zero_grad()
        loss.backward()
        probe_optimizer.step()
with torch.no_grad():
    correct = sum((probe(encoder(x.to(device))).argmax(1) == y.to(device)).sum().item() for x, y in test_loader)
print(f"linear probe accuracy {correct / len(test_loader.dataset):.4f}")
