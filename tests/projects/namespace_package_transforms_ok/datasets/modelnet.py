import os

import numpy as np
import torch
from torch.utils.data import Dataset


class ModelNet(Dataset):
    def __init__(self, root, dtype, transform=None):
        self.data = np.load(os.path.join(root, "pc_" + dtype + ".npy"))
        self.label = np.load(os.path.join(root, "label_" + dtype + ".npy"))
        self.transform = transform

    def __len__(self):
        return len(self.label)

    def __getitem__(self, index):
        points = self.data[index]
        if self.transform is not None:
            points = self.transform(points)
        return torch.from_numpy(points).float(), int(self.label[index])
