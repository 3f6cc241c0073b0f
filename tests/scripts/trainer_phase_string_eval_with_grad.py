"""Segmentation trainer in the shape of a much-copied Kaggle starter kernel: one `iterate(epoch,
phase)` runs both phases, switching the mode with `self.net.train(phase == "train")` and stepping
only when the phase is "train". The validation pass is called without `torch.no_grad()`."""
import torch
import torch.nn as nn
import torch.optim as optim


class Trainer:
    def __init__(self, model, dataloaders, num_epochs=20, accumulation_steps=4):
        self.net = model
        self.dataloaders = dataloaders
        self.num_epochs = num_epochs
        self.accumulation_steps = accumulation_steps
        self.criterion = nn.BCEWithLogitsLoss()
        self.optimizer = optim.Adam(self.net.parameters(), lr=5e-4, weight_decay=1e-5)
        self.scheduler = optim.lr_scheduler.ReduceLROnPlateau(self.optimizer, mode="min", patience=3)
        self.best_loss = float("inf")

    def forward(self, images, targets):
        outputs = self.net(images)
        loss = self.criterion(outputs, targets)
        return loss, outputs

    def iterate(self, epoch, phase):
        self.net.train(phase == "train")
        dataloader = self.dataloaders[phase]
        running_loss = 0.0
        self.optimizer.zero_grad()
        for itr, (images, targets) in enumerate(dataloader):
            loss, outputs = self.forward(images, targets)
            loss = loss / self.accumulation_steps
            if phase == "train":
                loss.backward()
                if (itr + 1) % self.accumulation_steps == 0:
                    self.optimizer.step()
                    self.optimizer.zero_grad()
            running_loss += loss.item()
        return running_loss * self.accumulation_steps / len(dataloader)

    def start(self):
        for epoch in range(self.num_epochs):
            self.iterate(epoch, "train")
            val_loss = self.iterate(epoch, "val")  # expect: FIT202
            self.scheduler.step(val_loss)
            if val_loss < self.best_loss:
                self.best_loss = val_loss
                torch.save(self.net.state_dict(), "model.pth")
