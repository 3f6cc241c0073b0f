import numpy as np
import torch
from torch.utils.data import Dataset


class FacialKeypointsDataset(Dataset):
    def __init__(self, csv_file, root_dir, transform=None):
        self.frame = np.loadtxt(csv_file, delimiter=",", dtype=str)
        self.root_dir = root_dir
        self.transform = transform

    def __len__(self):
        return len(self.frame)

    def __getitem__(self, idx):
        image = np.load(self.root_dir + self.frame[idx][0]).astype(np.float32) / 255.0
        sample = {"image": image, "keypoints": self.frame[idx][1:].astype(np.float32).reshape(-1, 2)}
        return self.transform(sample) if self.transform else sample


class RandomCrop(object):
    def __init__(self, output_size):
        self.output_size = (output_size, output_size)

    def __call__(self, sample):
        image, key_pts = sample["image"], sample["keypoints"]
        h, w = image.shape[:2]
        new_h, new_w = self.output_size
        top = np.random.randint(0, h - new_h)
        left = np.random.randint(0, w - new_w)
        return {"image": image[top:top + new_h, left:left + new_w], "keypoints": key_pts - [left, top]}


class CenterCrop(object):
    def __init__(self, output_size):
        self.output_size = (output_size, output_size)

    def __call__(self, sample):
        image, key_pts = sample["image"], sample["keypoints"]
        h, w = image.shape[:2]
        top, left = (h - self.output_size[0]) // 2, (w - self.output_size[1]) // 2
        return {"image": image[top:top + self.output_size[0], left:left + self.output_size[1]],
                "keypoints": key_pts - [left, top]}


class ToTensor(object):
    def __call__(self, sample):
        return {"image": torch.from_numpy(sample["image"][None]), "keypoints": torch.from_numpy(sample["keypoints"])}
