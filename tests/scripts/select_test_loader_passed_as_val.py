"""Knowledge distillation where the loaders come from a helper module as a tuple
(`train_loader, test_loader = get_loaders(...)`): nothing is known of their datasets but their
names. The training routine validates on its `val_loader` parameter and keeps the best student
on it, and the script hands it the test loader: the checkpoint is chosen on the test set.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from data import get_loaders
from models import resnet8, resnet32


def evaluate(model, loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in loader:
            correct += (model(images).argmax(1) == labels).sum().item()
    return correct / len(loader.dataset)


def distill(student, teacher, train_loader, val_loader, optimizer, epochs, temperature=4.0):
    best_acc = 0.0
    teacher.eval()
    for epoch in range(epochs):
        student.train()
        for images, labels in train_loader:
            with torch.no_grad():
                soft = F.softmax(teacher(images) / temperature, dim=1)
            logits = student(images)
            kd = F.kl_div(F.log_softmax(logits / temperature, dim=1), soft, reduction="batchmean")
            loss = 0.9 * kd * temperature ** 2 + 0.1 * F.cross_entropy(logits, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        acc = evaluate(student, val_loader)
        if acc > best_acc:  # expect: FIT601
            best_acc = acc
            torch.save(student.state_dict(), "student_best.pth")


train_loader, test_loader = get_loaders(batch_size=64)
teacher = resnet32(num_classes=100)
teacher.load_state_dict(torch.load("teacher.pth"))
student = resnet8(num_classes=100)
optimizer = torch.optim.SGD(student.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
distill(student, teacher, train_loader, test_loader, optimizer, epochs=240)  # hands the test loader to distill()
