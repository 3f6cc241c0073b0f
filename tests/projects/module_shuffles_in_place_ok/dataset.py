from PIL import Image
from torch.utils.data import Dataset


class PathDataset(Dataset):
    def __init__(self, lines, transform=None):
        self.items = [line.split() for line in lines]
        self.transform = transform

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        return self.transform(Image.open(path).convert("RGB")), int(label)
