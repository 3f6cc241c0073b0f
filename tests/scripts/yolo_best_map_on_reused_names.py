"""A YOLOv1-from-scratch train.py: every few epochs it computes mAP on the training loader and then
on the test loader, reusing the same names for the boxes; the checkpoint is kept on the best test
mAP."""
import torch
from torch.utils.data import DataLoader

from dataset import VOCDataset
from loss import YoloLoss
from model import Yolov1
from utils import get_bboxes, mean_average_precision

device = "cuda" if torch.cuda.is_available() else "cpu"
train_dataset = VOCDataset("data", split="train")
test_dataset = VOCDataset("data", split="test")
train_loader = DataLoader(train_dataset, batch_size=16, shuffle=True, drop_last=True)
test_loader = DataLoader(test_dataset, batch_size=16, shuffle=False)

model = Yolov1(split_size=7, num_boxes=2, num_classes=20).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=2e-5, weight_decay=5e-4)
criterion = YoloLoss()
best_test_map = 0.0
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
        pred_boxes, target_boxes = get_bboxes(test_loader, model, iou_threshold=0.5, threshold=0.4)
        test_map = mean_average_precision(pred_boxes, target_boxes, iou_threshold=0.5)
        print(f"epoch {epoch}: train mAP {train_map:.3f}, test mAP {test_map:.3f}")
        if test_map > best_test_map:  # expect: FIT601
            best_test_map = test_map
            torch.save(model.state_dict(), "best_yolo.pth")
