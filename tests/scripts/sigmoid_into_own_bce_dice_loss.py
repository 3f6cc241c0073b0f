"""Car-mask segmentation, Kaggle style: the U-Net ends in `torch.sigmoid`, and the loss is a
`BCEDiceLoss` class of the file whose `forward(logits, target)` hands its input, as it is, to
`nn.BCEWithLogitsLoss` (plus a Dice term on its sigmoid): the probabilities are squashed by a
second sigmoid inside the loss (FIT302 at the model's sigmoid)."""
import torch
import torch.nn as nn


def cbr(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class SegNetLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1, self.enc2 = cbr(3, 32), cbr(32, 64)
        self.pool = nn.MaxPool2d(2)
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
        self.dec1 = cbr(64 + 32, 32)
        self.final = nn.Conv2d(32, 1, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        d1 = self.dec1(torch.cat([self.up(e2), e1], 1))
        return torch.sigmoid(self.final(d1))  # expect: FIT302


class BCEDiceLoss(nn.Module):
    def __init__(self, bce_weight=0.5):
        super().__init__()
        self.bce = nn.BCEWithLogitsLoss()
        self.w = bce_weight

    def forward(self, logits, target):
        probs = torch.sigmoid(logits)
        inter = (probs * target).sum((1, 2, 3))
        dice = 1 - (2 * inter + 1) / (probs.sum((1, 2, 3)) + target.sum((1, 2, 3)) + 1)
        return self.w * self.bce(logits, target) + (1 - self.w) * dice.mean()


def train(train_loader, epochs=20):
    model = SegNetLite()
    criterion = BCEDiceLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-4, weight_decay=1e-5)
    for epoch in range(epochs):
        model.train()
        for img, mask in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(img), mask)
            loss.backward()
            optimizer.step()
    return model
