"""The project's data preparation, run at import: the list of image paths is read in a `with`
block, shuffled in place (`random.shuffle(lines)`, a statement that binds nothing), then cut into
the validation fifth and the training rest."""
from numpy import random
from torch.utils.data import DataLoader
from torchvision import transforms

from dataset import PathDataset

with open("data.txt", "r") as f:
    lines = f.readlines()
random.shuffle(lines)
val_number = int(len(lines) * 0.2)
transform = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor()])
val_dataset = PathDataset(lines[:val_number], transform=transform)
train_dataset = PathDataset(lines[val_number:], transform=transform)
val_dataloader = DataLoader(val_dataset, batch_size=32)
train_dataloader = DataLoader(train_dataset, batch_size=32, shuffle=True)
