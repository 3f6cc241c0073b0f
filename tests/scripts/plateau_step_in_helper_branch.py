"""A CLIP-style training script: train_epoch() steps the scheduler per batch only when told
`step == "batch"`. main() builds a ReduceLROnPlateau and passes `step = "batch"`, so the bare
`lr_scheduler.step()` runs after the first batch and raises (ReduceLROnPlateau needs the metric)."""
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F


class AvgMeter:
    def __init__(self):
        self.sum, self.count = 0.0, 0

    def update(self, value, n=1):
        self.sum += value * n
        self.count += n

    @property
    def avg(self):
        return self.sum / max(self.count, 1)


class CLIPModel(nn.Module):
    def __init__(self, image_dim=2048, text_dim=768, projection_dim=256, temperature=1.0):
        super().__init__()
        self.image_projection = nn.Sequential(nn.Linear(image_dim, projection_dim), nn.Dropout(0.1))
        self.text_projection = nn.Sequential(nn.Linear(text_dim, projection_dim), nn.Dropout(0.1))
        self.temperature = temperature

    def forward(self, batch):
        image_embeddings = self.image_projection(batch["image_features"])
        text_embeddings = self.text_projection(batch["text_features"])
        logits = text_embeddings @ image_embeddings.T / self.temperature
        targets = torch.arange(len(logits))
        return (F.cross_entropy(logits, targets) + F.cross_entropy(logits.T, targets)) / 2


def train_epoch(model, train_loader, optimizer, lr_scheduler, step):
    model.train()
    loss_meter = AvgMeter()
    for batch in train_loader:
        loss = model(batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step == "batch":
            lr_scheduler.step()  # expect: FIT003
        loss_meter.update(loss.item(), len(batch["image_features"]))
    return loss_meter


def valid_epoch(model, valid_loader):
    model.eval()
    loss_meter = AvgMeter()
    with torch.no_grad():
        for batch in valid_loader:
            loss_meter.update(model(batch).item(), len(batch["image_features"]))
    return loss_meter


def main(train_loader, valid_loader, epochs=4):
    model = CLIPModel()
    params = [{"params": model.image_projection.parameters(), "lr": 1e-3},
              {"params": itertools.chain(model.text_projection.parameters()), "lr": 1e-3}]
    optimizer = torch.optim.AdamW(params, weight_decay=1e-3)
    lr_scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", patience=1, factor=0.8)
    step = "batch"
    best_loss = float("inf")
    for epoch in range(epochs):
        train_loss = train_epoch(model, train_loader, optimizer, lr_scheduler, step)
        valid_loss = valid_epoch(model, valid_loader)
        print(f"epoch {epoch}: train {train_loss.avg:.4f} valid {valid_loss.avg:.4f}")
        if valid_loss.avg < best_loss:
            best_loss = valid_loss.avg
            torch.save(model.state_dict(), "best.pt")
