"""Every parameter tensor frozen (the loop walks them all, with no early exit), then an optimizer
over those parameters alone: nothing it holds has a gradient, so no step changes the model; the
second model skips its head in the freeze loop and trains it."""
import argparse

import torch
import torch.nn as nn
from torchvision import models

parser = argparse.ArgumentParser()
parser.add_argument("--freeze-layers", type=int, default=40)
parser.add_argument("--lr", type=float, default=1e-3)
args = parser.parse_args()

model = models.resnet18(num_classes=5)
if args.freeze_layers:
    count = 0
    for param in model.parameters():
        param.requires_grad = False
        count = count + 1
        if count == args.freeze_layers:  # counted, never stops the loop
            print("froze", count)
optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=1e-4)  # expect: FIT503

head_tuned = models.resnet34(num_classes=5)
for name, param in head_tuned.named_parameters():
    if name.startswith("fc."):
        continue
    param.requires_grad = False
head_optimizer = torch.optim.SGD(head_tuned.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)

criterion = nn.CrossEntropyLoss()
x, y = torch.randn(8, 3, 224, 224), torch.randint(0, 5, (8,))
for net, opt in ((model, optimizer), (head_tuned, head_optimizer)):
    opt.zero_grad()
    criterion(net(x), y).backward()
    opt.step()
