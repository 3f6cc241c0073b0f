"""The SimCLR-style trainer with the cosine schedule sized in epochs (`T_max=args.epochs`), handed
through **kwargs and stepped once per epoch: the cadence matches the construction."""
import torch
import torch.nn.functional as F
from torch.cuda.amp import GradScaler, autocast
from torchvision import models


class SimCLR(object):
    def __init__(self, *args, **kwargs):
        self.args = kwargs["args"]
        self.model = kwargs["model"].to(self.args.device)
        self.optimizer = kwargs["optimizer"]
        self.scheduler = kwargs["scheduler"]
        self.criterion = torch.nn.CrossEntropyLoss().to(self.args.device)

    def info_nce_loss(self, features):
        labels = torch.cat([torch.arange(self.args.batch_size) for _ in range(2)], dim=0)
        labels = (labels.unsqueeze(0) == labels.unsqueeze(1)).float().to(self.args.device)
        features = F.normalize(features, dim=1)
        similarity = features @ features.T
        mask = torch.eye(labels.shape[0], dtype=torch.bool, device=self.args.device)
        labels, similarity = labels[~mask].view(labels.shape[0], -1), similarity[~mask].view(labels.shape[0], -1)
        positives = similarity[labels.bool()].view(labels.shape[0], -1)
        negatives = similarity[~labels.bool()].view(similarity.shape[0], -1)
        logits = torch.cat([positives, negatives], dim=1) / self.args.temperature
        return logits, torch.zeros(logits.shape[0], dtype=torch.long, device=self.args.device)

    def train(self, train_loader):
        scaler = GradScaler(enabled=self.args.fp16_precision)
        for epoch_counter in range(self.args.epochs):
            for images, _ in train_loader:
                images = torch.cat(images, dim=0).to(self.args.device)
                with autocast(enabled=self.args.fp16_precision):
                    logits, labels = self.info_nce_loss(self.model(images))
                    loss = self.criterion(logits, labels)
                self.optimizer.zero_grad()
                scaler.scale(loss).backward()
                scaler.step(self.optimizer)
                scaler.update()
            if epoch_counter >= 10:
                self.scheduler.step()
            print(f"epoch {epoch_counter}: loss {loss.item():.4f}")


def main(args, train_dataset):
    train_loader = torch.utils.data.DataLoader(train_dataset, batch_size=args.batch_size, shuffle=True,
                                               num_workers=args.workers, drop_last=True)
    model = models.resnet18(num_classes=args.out_dim)
    optimizer = torch.optim.Adam(model.parameters(), args.lr, weight_decay=args.weight_decay)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs, eta_min=0)
    simclr = SimCLR(model=model, optimizer=optimizer, scheduler=scheduler, args=args)
    simclr.train(train_loader)
