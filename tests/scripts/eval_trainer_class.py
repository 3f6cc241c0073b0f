"""A Trainer class holding self.model / self.optimizer / self.scheduler (text classification).

validate() runs under torch.no_grad() but never switches the model to eval mode: train_epoch()
left it in training mode, so the dropout layers keep dropping units on the validation data and the
validation accuracy that drives checkpointing is lower and noisier than the model's real one.
predict() is correct: eval mode and inference_mode.
"""
import logging

import torch
from torch import nn
from torch.utils.data import DataLoader

log = logging.getLogger(__name__)


class TextClassifier(nn.Module):
    def __init__(self, vocab_size, embed_dim=128, hidden=256, num_classes=4):
        super().__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, embed_dim)
        self.dropout = nn.Dropout(0.3)
        self.hidden = nn.Linear(embed_dim, hidden)
        self.out = nn.Linear(hidden, num_classes)

    def forward(self, tokens, offsets):
        x = self.embedding(tokens, offsets)
        x = self.dropout(torch.relu(self.hidden(x)))
        return self.out(x)


class Trainer:
    def __init__(self, model, train_loader, val_loader, lr=5e-3, epochs=10, device="cpu"):
        self.model = model.to(device)
        self.train_loader = train_loader
        self.val_loader = val_loader
        self.device = device
        self.epochs = epochs
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=lr)
        self.scheduler = torch.optim.lr_scheduler.StepLR(self.optimizer, step_size=1, gamma=0.9)
        self.best_acc = 0.0

    def train_epoch(self):
        self.model.train()
        total, correct = 0, 0
        for labels, tokens, offsets in self.train_loader:
            labels, tokens, offsets = labels.to(self.device), tokens.to(self.device), offsets.to(self.device)
            self.optimizer.zero_grad()
            logits = self.model(tokens, offsets)
            loss = self.criterion(logits, labels)
            loss.backward()
            nn.utils.clip_grad_norm_(self.model.parameters(), 0.1)
            self.optimizer.step()
            correct += (logits.argmax(1) == labels).sum().item()
            total += labels.size(0)
        return correct / total

    def validate(self):
        total, correct = 0, 0
        with torch.no_grad():
            for labels, tokens, offsets in self.val_loader:  # FIT201
                logits = self.model(tokens.to(self.device), offsets.to(self.device))
                correct += (logits.argmax(1) == labels.to(self.device)).sum().item()
                total += labels.size(0)
        return correct / total

    @torch.inference_mode()
    def predict(self, tokens, offsets):
        self.model.eval()
        return self.model(tokens, offsets).argmax(1)

    def fit(self):
        for epoch in range(self.epochs):
            train_acc = self.train_epoch()
            val_acc = self.validate()
            self.scheduler.step()
            log.info("epoch %d: train acc %.3f, val acc %.3f", epoch, train_acc, val_acc)
            if val_acc > self.best_acc:
                self.best_acc = val_acc
                torch.save(self.model.state_dict(), "best.pt")


def collate(batch):
    labels = torch.tensor([label for label, _ in batch])
    tokens = [torch.tensor(ids) for _, ids in batch]
    offsets = torch.tensor([0] + [len(t) for t in tokens[:-1]]).cumsum(dim=0)
    return labels, torch.cat(tokens), offsets


def run(train_data, val_data, vocab_size):
    train_loader = DataLoader(train_data, batch_size=64, shuffle=True, collate_fn=collate)
    val_loader = DataLoader(val_data, batch_size=256, collate_fn=collate)
    trainer = Trainer(TextClassifier(vocab_size), train_loader, val_loader)
    trainer.fit()
    return trainer
