"""The same train() keeping its checkpoint on the validation accuracy; the test accuracy is computed
into the reused name afterwards and only recorded."""
import torch
from torch.utils.data import DataLoader

from data import AudioDataset


def run_epoch(model, loader, optimizer=None):
    correct = total = 0
    for x, y in loader:
        out = model(x)
        if optimizer is not None:
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(out, y).backward()
            optimizer.step()
        correct += (out.argmax(1) == y).sum().item()
        total += y.numel()
    return correct / total, total


def train(model, optimizer, logger, epochs=30):
    train_loader = DataLoader(AudioDataset("manifests/train.csv"), batch_size=32, shuffle=True)
    eval_loader = DataLoader(AudioDataset("manifests/eval.csv"), batch_size=64)
    test_loader = DataLoader(AudioDataset("manifests/test.csv"), batch_size=64)
    for epoch in range(epochs):
        model.train()
        acc, _ = run_epoch(model, train_loader, optimizer)
        model.eval()
        with torch.no_grad():
            acc, _ = run_epoch(model, eval_loader)
        if acc > logger.train_info["best_eval_acc"]:
            logger.train_info["best_eval_acc"] = acc
            torch.save(model.state_dict(), "best.model.pth")
            with torch.no_grad():
                acc, _ = run_epoch(model, test_loader)
            logger.train_info["test_acc_at_best_eval"] = acc
