"""Segmentation baseline building its datasets and loaders per phase in dict comprehensions over
a named list of phases; the transform dict gives the validation phase its own deterministic
pipeline."""
import albumentations as A
import torch
from albumentations.pytorch import ToTensorV2
from torch.utils.data import DataLoader, Dataset


def get_train_transform():
    return A.Compose([A.Resize(480, 854), A.RandomCrop(480, 640), A.HorizontalFlip(p=0.5), ToTensorV2()])


def get_valid_transform():
    return A.Compose([A.Resize(480, 640), ToTensorV2()])


class CustomDataset(Dataset):
    def __init__(self, items, transforms=None):
        self.items = items
        self.transforms = transforms

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        image, mask = self.items[i]
        out = self.transforms(image=image, mask=mask)
        return out["image"], out["mask"]


def make_loaders(items):
    TRAIN_PROCESS = ["train", "val"]
    defined_transforms = {
        "train": get_train_transform(),
        "val": get_valid_transform(),
    }
    datasets = {x: CustomDataset(items[x], transforms=defined_transforms[x]) for x in TRAIN_PROCESS}
    return {x: DataLoader(datasets[x], batch_size=8, shuffle=(x == "train")) for x in TRAIN_PROCESS}


def train(model, items, epochs=10):
    loaders = make_loaders(items)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-4)
    criterion = torch.nn.CrossEntropyLoss()
    for epoch in range(epochs):
        model.train()
        for images, masks in loaders["train"]:
            optimizer.zero_grad()
            criterion(model(images.float() / 255), masks.long()).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            val_loss = sum(criterion(model(x.float() / 255), m.long()).item() for x, m in loaders["val"])
        print(epoch, val_loss)
