"""Knowledge distillation: a trained teacher in evaluation mode under no_grad, a student trained on
a mix of the soft teacher targets (temperature) and the labels."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
train_loader = DataLoader(datasets.CIFAR10("data", train=True, download=True, transform=tf), batch_size=128, shuffle=True)
test_loader = DataLoader(datasets.CIFAR10("data", train=False, transform=tf), batch_size=512)

teacher = models.resnet50(num_classes=10)
teacher.load_state_dict(torch.load("teacher.pt"))
teacher = teacher.to(device).eval()
student = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                        nn.Flatten(), nn.Linear(64, 10)).to(device)
optimizer = torch.optim.SGD(student.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
T, alpha = 4.0, 0.7

for epoch in range(30):
    student.train()
    for x, y in train_loader:
        x, y = x.to(device), y.to(device)
        with torch.no_grad():
            teacher_logits = teacher(x)
        student_logits = student(x)
        soft = F.kl_div(F.log_softmax(student_logits / T, dim=1), F.softmax(teacher_logits / T, dim=1),
                        reduction="batchmean") * T * T
        loss = alpha * soft + (1 - alpha) * F.cross_entropy(student_logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    student.eval()
    with torch.no_grad():
        correct = sum((student(x.to(device)).argmax(1) == y.to(device)).sum().item() for x, y in test_loader)
    print(f"epoch {epoch}: student test accuracy {correct / len(test_loader.dataset):.4f}")
