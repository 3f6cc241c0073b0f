"""The GTZAN tutorial's loader module: one helper builds every split's loader (shuffled only for
'train'), and the loaders are made here, once per split, for the training script to import."""
import os

import numpy as np
import torch
from torch.utils import data


class GenreDataset(data.Dataset):
    def __init__(self, root, split):
        self.items = [line.split() for line in open(os.path.join(root, f"{split}_filtered.txt"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        path, label = self.items[index]
        return torch.from_numpy(np.load(path)).float(), int(label)


def get_dataloader(root="gtzan", split="train", batch_size=16):
    return data.DataLoader(GenreDataset(root, split), batch_size=batch_size, shuffle=(split == "train"))


train_loader = get_dataloader(split="train")
valid_loader = get_dataloader(split="valid")
test_loader = get_dataloader(split="test")
