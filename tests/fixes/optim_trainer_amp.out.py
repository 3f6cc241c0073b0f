"""A Trainer class with mixed precision: no zero_grad() in the batch loop. The epoch total is a
tensor on purpose here (the caller calls .item() on it), so it must not become a float."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader


class Trainer:
    def __init__(self, model, train_set, lr=1e-3, device="cuda"):
        self.device = device
        self.model = model.to(device)
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=lr, weight_decay=0.01)
        self.scaler = torch.cuda.amp.GradScaler()
        self.loader = DataLoader(train_set, batch_size=64, shuffle=True, num_workers=4)

    def train_epoch(self):
        self.model.train()
        epoch_loss = 0.0
        for images, labels in self.loader:
            self.optimizer.zero_grad()
            images = images.to(self.device, non_blocking=True)
            labels = labels.to(self.device, non_blocking=True)

            with torch.autocast("cuda", dtype=torch.float16):
                loss = self.criterion(self.model(images), labels)
            self.scaler.scale(loss).backward()
            self.scaler.step(self.optimizer)
            self.scaler.update()
            epoch_loss = epoch_loss + loss
        return epoch_loss / len(self.loader)

    def fit(self, epochs):
        for epoch in range(epochs):
            loss = self.train_epoch()
            print(f"epoch {epoch}: {loss.item():.4f}")  # a tensor method: the total stays a tensor
