"""Kaggle image-classification script: after training, `write_submission()` switches the model
to evaluation mode itself and predicts the competition's unlabelled images batch by batch with
gradients on. Its name says nothing about evaluating; `net.eval()` before the loop does."""
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

images, labels = torch.randn(2000, 3, 32, 32), torch.randint(0, 5, (2000,))
kaggle_images, kaggle_ids = torch.randn(800, 3, 32, 32), torch.arange(800)

model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Dropout(0.3), nn.Linear(16, 5))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
train_loader = DataLoader(TensorDataset(images, labels), batch_size=64, shuffle=True)
kaggle_loader = DataLoader(TensorDataset(kaggle_images, kaggle_ids), batch_size=256)


def write_submission(net, loader, path):
    net.eval()
    rows = []
    for batch, ids in loader:  # expect: FIT202
        probs = torch.softmax(net(batch), dim=1)
        rows += list(zip(ids.tolist(), probs.argmax(1).tolist()))
    pd.DataFrame(rows, columns=["id", "label"]).to_csv(path, index=False)


for epoch in range(10):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()

write_submission(model, kaggle_loader, "submission.csv")
