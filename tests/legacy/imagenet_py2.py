# A Python 2 training script of the PyTorch 0.3 era, in the shape of the ImageNet example of
# that time: `async=True`, print statements, `except E, e`. It does not parse as Python 3.7+.
import shutil

import torch
import torch.nn as nn
import torchvision.datasets as datasets
import torchvision.models as models
import torchvision.transforms as transforms
from torch.autograd import Variable

model = models.resnet18()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), 0.1, momentum=0.9, weight_decay=1e-4)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
normalize = transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
train_dataset = datasets.ImageFolder("data/train", transforms.Compose([
    transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor(), normalize]))
train_loader = torch.utils.data.DataLoader(train_dataset, batch_size=256, shuffle=True, num_workers=4)
val_loader = torch.utils.data.DataLoader(datasets.ImageFolder("data/val", transforms.Compose([
    transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(), normalize])),
    batch_size=256, shuffle=False, num_workers=4)


def train(epoch):
    model.train()
    for i, (input, target) in enumerate(train_loader):
        target = target.cuda(async=True)
        output = model(Variable(input))
        loss = criterion(output, Variable(target))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if i % 10 == 0:
            print "Epoch: [%d][%d/%d] loss %.4f" % (epoch, i, len(train_loader), loss.data[0])


def validate():
    correct = 0
    for input, target in val_loader:  # expect: FIT202 FIT201
        target = target.cuda(async=True)
        output = model(Variable(input, volatile=True))
        correct += (output.data.max(1)[1] == target).sum()
    return 100.0 * correct / len(val_loader.dataset)


best_prec1 = 0
for epoch in range(90):
    scheduler.step()  # expect: FIT001
    train(epoch)
    try:
        prec1 = validate()
    except RuntimeError, error:
        print "validation failed:", error
        raise SystemExit, "stopped"
    if prec1 > best_prec1:
        best_prec1 = prec1
        torch.save(model.state_dict(), "model_best.pth")
