"""The subclass moves the network the base class holds to the device (`self.network =
self.network.to(device)`) and validates each epoch in eval mode under `torch.no_grad()`; its
training pass over the same attribute stays a training pass."""
import torch

from trainer.base import BaseTrainer


class Trainer(BaseTrainer):
    def __init__(self, cfg, network, optimizer, loss, device, trainloader, testloader):
        super().__init__(cfg, network, optimizer, loss, device, trainloader, testloader)
        self.network = self.network.to(device)
        self.best_acc = 0.0

    def train_one_epoch(self, epoch):
        self.network.train()
        for images, labels in self.trainloader:
            images, labels = images.to(self.device), labels.to(self.device)
            self.optimizer.zero_grad()
            loss = self.loss(self.network(images), labels)
            loss.backward()
            self.optimizer.step()

    @torch.no_grad()
    def validate(self, epoch):
        self.network.eval()
        correct, seen = 0, 0
        for images, labels in self.testloader:
            images, labels = images.to(self.device), labels.to(self.device)
            outputs = self.network(images)
            correct += (outputs.argmax(1) == labels).sum().item()
            seen += labels.size(0)
        return correct / seen

    def train(self):
        for epoch in range(self.cfg["epochs"]):
            self.train_one_epoch(epoch)
            acc = self.validate(epoch)
            print(f"epoch {epoch}: validation accuracy {acc:.4f}")
