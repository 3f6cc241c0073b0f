"""The same YOLOv1 train.py with a validation split: the boxes' names are reused for the training
and the validation loader, and the checkpoint is kept on the best validation mAP."""
import torch
from torch.utils.data import DataLoader

from dataset import VOCDataset
from loss import YoloLoss
from model import Yolov1
from utils import get_bboxes, mean_average_precision

device = "cuda" if torch.cuda.is_available() else "cpu"
train_dataset = VOCDataset("data", split="train")
val_dataset = VOCDataset("data", split="val")
train_loader = DataLoader(train_dataset, batch_size=16, shuffle=True, drop_last=True)
val_loader = DataLoader(val_dataset, batch_size=16, shuffle=False)

model = Yolov1(split_size=7, num_boxes=2, num_classes=20).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=2e-5, weight_decay=5e-4)
criterion = YoloLoss()
best_val_map = 0.0
for epoch in range(100):
    model.train()
    for imgs, labels in train_loader:
        imgs, labels = imgs.to(device), labels.to(device)
        loss = criterion(model(imgs), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if epoch % 5 == 0:
        pred_boxes, target_boxes = get_bboxes(train_loader, model, iou_threshold=0.5, threshold=0.4)
        train_map = mean_average_precision(pred_boxes, target_boxes, iou_threshold=0.5)
        pred_boxes, target_boxes = get_bboxes(val_loader, model, iou_threshold=0.5, threshold=0.4)
        val_map = mean_average_precision(pred_boxes, target_boxes, iou_threshold=0.5)
        print(f"epoch {epoch}: train mAP {train_map:.3f}, val mAP {val_map:.3f}")
        if val_map > best_val_map:
            best_val_map = val_map
            torch.save(model.state_dict(), "best_yolo.pth")
