"""A detection fine-tune with the project's dataset class (defined in dataset.py, out of view) given
its transform by position: the test set's pipeline flips at random."""
import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import transforms as T

from dataset import PennFudanDataset

train_tf = T.Compose([T.RandomHorizontalFlip(0.5), T.ToTensor()])
dataset = PennFudanDataset("data/PennFudanPed/train", train_tf)
dataset_test = PennFudanDataset("data/PennFudanPed/test", T.Compose([T.RandomHorizontalFlip(0.5), T.ToTensor()]))  # expect: FIT402
data_loader = DataLoader(dataset, batch_size=2, shuffle=True, collate_fn=lambda batch: tuple(zip(*batch)))
data_loader_test = DataLoader(dataset_test, batch_size=1, collate_fn=lambda batch: tuple(zip(*batch)))

model = torchvision.models.detection.fasterrcnn_resnet50_fpn(weights="DEFAULT")
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)
for epoch in range(10):
    model.train()
    for images, targets in data_loader:
        losses = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        for images, targets in data_loader_test:
            detections = model(list(images))
