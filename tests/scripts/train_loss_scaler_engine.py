"""The same Swin/DeiT-style engine with the validation's `@torch.no_grad()` left out: the
validation builds a graph for every batch (FIT202); the training loop, whose backward pass and
step run in the loss scaler, is still no evaluation."""
import math
import sys

import torch
from timm.utils import NativeScaler, accuracy

from config import get_config
from data import build_loader
from models import build_model


def train_one_epoch(config, model, criterion, data_loader, optimizer, epoch, lr_scheduler, loss_scaler):
    model.train()
    optimizer.zero_grad()
    num_steps = len(data_loader)
    for idx, (samples, targets) in enumerate(data_loader):
        samples = samples.cuda(non_blocking=True)
        targets = targets.cuda(non_blocking=True)
        with torch.cuda.amp.autocast(enabled=config.AMP_ENABLE):
            outputs = model(samples)
        loss = criterion(outputs, targets) / config.ACCUMULATION_STEPS
        if not math.isfinite(loss.item()):
            sys.exit(1)
        grad_norm = loss_scaler(loss, optimizer, clip_grad=config.CLIP_GRAD, parameters=model.parameters(),
                                update_grad=(idx + 1) % config.ACCUMULATION_STEPS == 0)
        if (idx + 1) % config.ACCUMULATION_STEPS == 0:
            optimizer.zero_grad()
            lr_scheduler.step_update((epoch * num_steps + idx) // config.ACCUMULATION_STEPS)
        if idx % 100 == 0:
            print(f"epoch {epoch} step {idx}/{num_steps} loss {loss.item():.4f} grad norm {grad_norm}")


def validate(model, data_loader):
    model.eval()
    correct = total = 0
    for images, target in data_loader:  # expect: FIT202
        output = model(images.cuda(non_blocking=True))
        acc1, = accuracy(output, target.cuda(non_blocking=True), topk=(1,))
        correct += acc1.item() * target.size(0) / 100
        total += target.size(0)
    return correct / total


def main(config):
    dataset_train, dataset_val, data_loader_train, data_loader_val = build_loader(config)
    model = build_model(config).cuda()
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.BASE_LR, weight_decay=0.05)
    lr_scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=config.BASE_LR, total_steps=config.EPOCHS * len(data_loader_train))
    criterion = torch.nn.CrossEntropyLoss(label_smoothing=0.1)
    loss_scaler = NativeScaler()
    for epoch in range(config.EPOCHS):
        train_one_epoch(config, model, criterion, data_loader_train, optimizer, epoch, lr_scheduler, loss_scaler)
        print(f"epoch {epoch}: validation accuracy {validate(model, data_loader_val):.4f}")


if __name__ == "__main__":
    main(get_config())
