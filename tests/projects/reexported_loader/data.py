"""The project's data module: its dataset class, and the loader class it imports from torch, which
the training script takes from here along with the dataset."""
import torch
from torch.utils.data import DataLoader, Dataset


class EmojiDataset(Dataset):
    def __init__(self, encodings, labels):
        self.encodings, self.labels = encodings, labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return {key: torch.tensor(value[i]) for key, value in self.encodings.items()}, self.labels[i]
