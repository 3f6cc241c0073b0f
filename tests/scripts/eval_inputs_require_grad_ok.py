"""Distillation zoo's test(): in the Sobolev mode the test images are made to require gradients
(`img.requires_grad = True`), because the distillation loss, imported from another module,
differentiates the networks' outputs with respect to them. That evaluation needs the graph; the
other modes run under `torch.no_grad()`."""
import torch
import torch.nn as nn
from kd_losses import *  # noqa: F401,F403 (Sobolev, LwM, ...)


def test(test_loader, student, teacher, criterion_cls, criterion_kd, kd_mode):
    student.eval()
    teacher.eval()
    total_kd, correct = 0.0, 0
    for img, target in test_loader:
        if kd_mode in ("sobolev", "lwm"):
            img.requires_grad = True
            out_s = student(img)
            out_t = teacher(img)
            kd_loss = criterion_kd(out_s, out_t, img, target)
        else:
            with torch.no_grad():
                out_s = student(img)
                out_t = teacher(img)
                kd_loss = criterion_kd(out_s, out_t.detach())
        total_kd += kd_loss.item()
        correct += (out_s.argmax(1) == target).sum().item()
    return total_kd / len(test_loader), correct / len(test_loader.dataset)


def main(train_loader, test_loader, criterion_kd, kd_mode):
    student = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                            nn.Flatten(), nn.Linear(16, 10))
    teacher = nn.Sequential(nn.Conv2d(3, 64, 3), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                            nn.Flatten(), nn.Linear(64, 10))
    optimizer = torch.optim.SGD(student.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    criterion_cls = nn.CrossEntropyLoss()
    for epoch in range(200):
        student.train()
        for img, target in train_loader:
            optimizer.zero_grad()
            criterion_cls(student(img), target).backward()
            optimizer.step()
        print(test(test_loader, student, teacher, criterion_cls, criterion_kd, kd_mode))
