"""Pet localizer (class + box) whose training and validation loops share one step helper,
`compute_losses(model, ...)`, that starts with `model.train()`: the validation loop's
`model.eval()` is undone inside the helper, so validation runs with dropout and batch-norm in
training mode (FIT201 at the helper's switch)."""
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
    model.train()  # expect: FIT201
    logits, pred_boxes = model(images)
    return F.cross_entropy(logits, labels), F.smooth_l1_loss(pred_boxes, boxes), logits


def main(train_loader, val_loader):
    model = Localizer(37)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=1e-4)
    for epoch in range(20):
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
