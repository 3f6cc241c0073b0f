"""Pet localizer whose training and validation loops share one step helper, fixed: the helper
switches no mode; the training loop calls `model.train()` and the validation loop
`model.eval()`. A Monte Carlo dropout helper, called only from evaluation, switches on purpose."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


class Localizer(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        backbone = torchvision.models.resnet18(weights="IMAGENET1K_V1")
        backbone.fc = nn.Identity()
        self.backbone = backbone
        self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(512, n_classes))
        self.box = nn.Sequential(nn.Linear(512, 4), nn.Sigmoid())

    def forward(self, x):
        feats = self.backbone(x)
        return self.head(feats), self.box(feats)


def compute_losses(model, images, labels, boxes):
    logits, pred_boxes = model(images)
    return F.cross_entropy(logits, labels), F.smooth_l1_loss(pred_boxes, boxes), logits


def main(train_loader, val_loader):
    model = Localizer(37)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=1e-4)
    for epoch in range(20):
        model.train()
        for images, labels, boxes in train_loader:
            optimizer.zero_grad()
            cls_loss, box_loss, _ = compute_losses(model, images, labels, boxes)
            (cls_loss + 5.0 * box_loss).backward()
            optimizer.step()
        model.eval()
        hits, n = 0, 0
        with torch.no_grad():
            for images, labels, boxes in val_loader:
                _, _, logits = compute_losses(model, images, labels, boxes)
                hits += (logits.argmax(1) == labels).sum().item()
                n += labels.numel()
        print(f"epoch {epoch}: val accuracy {hits / n:.3f}")


def mc_dropout_predict(model, images, samples=20):
    model.train()
    with torch.no_grad():
        return torch.stack([model(images)[0].softmax(1) for _ in range(samples)]).mean(0)


def uncertainty(model, test_loader):
    return [mc_dropout_predict(model, images) for images, _, _ in test_loader]
