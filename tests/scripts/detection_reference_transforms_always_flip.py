"""A Mask R-CNN project on the older detection tutorial: `transforms` is the project's copy of
torchvision's detection references, and get_transform(train) appends its RandomHorizontalFlip
whatever it is asked for: the test set is flipped at random."""
import torch
import torchvision
import transforms as T
from torch.utils.data import DataLoader

from dataset import InstanceSegmentationDataSet


def get_transform(train):
    transforms = []
    transforms.append(T.ToTensor())
    transforms.append(T.RandomHorizontalFlip(0.5))
    return T.Compose(transforms)


dataset = InstanceSegmentationDataSet(root_dir="dataset/train_and_val", transforms=get_transform(train=True))
dataset_test = InstanceSegmentationDataSet(root_dir="dataset/test", transforms=get_transform(train=False))  # expect: FIT402
data_loader = DataLoader(dataset, batch_size=2, shuffle=True, collate_fn=lambda batch: tuple(zip(*batch)))
data_loader_test = DataLoader(dataset_test, batch_size=1, collate_fn=lambda batch: tuple(zip(*batch)))
model = torchvision.models.detection.maskrcnn_resnet50_fpn(weights="DEFAULT")
optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.005, momentum=0.9, weight_decay=0.0005)
for epoch in range(10):
    model.train()
    for images, targets in data_loader:
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
