import os

from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

train_transformer = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor()])
eval_transformer = transforms.Compose([transforms.ToTensor()])


class SIGNSDataset(Dataset):
    def __init__(self, data_dir, transform):
        self.filenames = [os.path.join(data_dir, f) for f in os.listdir(data_dir) if f.endswith(".jpg")]
        self.labels = [int(os.path.split(filename)[-1][0]) for filename in self.filenames]
        self.transform = transform

    def __len__(self):
        return len(self.filenames)

    def __getitem__(self, idx):
        return self.transform(Image.open(self.filenames[idx])), self.labels[idx]


def fetch_dataloader(types, data_dir, params):
    dataloaders = {}
    for split in ["train", "val", "test"]:
        if split in types:
            path = os.path.join(data_dir, f"{split}_signs")
            if split == "train":
                dl = DataLoader(SIGNSDataset(path, train_transformer), batch_size=params.batch_size, shuffle=True)
            else:
                dl = DataLoader(SIGNSDataset(path, eval_transformer), batch_size=params.batch_size, shuffle=False)
            dataloaders[split] = dl
    return dataloaders
