"""Transfer learning on a folder of dog breeds, notebook style: the optimizer is built over the
pretrained ResNet-50's `fc` right after loading it, and the head is swapped for the breed count
afterwards (sized from the old layer's `in_features`). The optimizer holds the old head, which
is no longer in the model: the new head never trains."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

norm = T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))
train_tf = T.Compose([T.RandomResizedCrop(224), T.RandomHorizontalFlip(), T.ToTensor(), norm])
val_tf = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(), norm])
train_ds = datasets.ImageFolder("data/dogs/train", train_tf)
val_ds = datasets.ImageFolder("data/dogs/val", val_tf)
train_loader = DataLoader(train_ds, batch_size=32, shuffle=True, num_workers=4)
val_loader = DataLoader(val_ds, batch_size=128, num_workers=4)

model = models.resnet50(weights=models.ResNet50_Weights.IMAGENET1K_V2)
for name, p in model.named_parameters():
    p.requires_grad = name.startswith("fc.")
optimizer = torch.optim.SGD(model.fc.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)  # expect: FIT503
model.fc = nn.Linear(model.fc.in_features, len(train_ds.classes))
criterion = nn.CrossEntropyLoss()

for epoch in range(10):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val_loader:
            correct += (model(x).argmax(1) == y).sum().item()
    print(f"epoch {epoch}: val acc {correct / len(val_ds):.3f}")
