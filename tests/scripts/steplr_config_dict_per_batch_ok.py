"""Fashion-MNIST MLP with every setting in a CFG dict, as Kaggle notebooks keep them; the StepLR's
step size (2000 batches, about four epochs) is read from the dict and the scheduler is stepped
after every batch, as that size means."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

CFG = {
    "batch_size": 128,
    "hidden": 512,
    "dropout": 0.2,
    "lr": 0.05,
    "lr_step": 2000,
    "lr_gamma": 0.5,
    "epochs": 30,
}

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.286,), (0.353,))])
train_ds = datasets.FashionMNIST("data", train=True, download=True, transform=tf)
train_dl = DataLoader(train_ds, batch_size=CFG["batch_size"], shuffle=True, num_workers=2)

model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, CFG["hidden"]), nn.ReLU(), nn.Dropout(CFG["dropout"]),
                      nn.Linear(CFG["hidden"], 10))
optimizer = torch.optim.SGD(model.parameters(), lr=CFG["lr"], momentum=0.9, weight_decay=5e-4)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=CFG["lr_step"], gamma=CFG["lr_gamma"])
criterion = nn.CrossEntropyLoss()

for epoch in range(CFG["epochs"]):
    model.train()
    for images, labels in train_dl:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        scheduler.step()
    print(f"epoch {epoch + 1}: lr {scheduler.get_last_lr()[0]:.5f}")
