"""The same dataset.py with the transform only resizing the mask: the float32 images in 0..255 are
returned as they were read, and reach the model unscaled."""
import glob

import numpy as np
from PIL import Image
from torch.utils.data import Dataset


class SegmentationDataset(Dataset):
    def __init__(self, img_dir, mask_dir, transform=None):
        super().__init__()
        self.transform = transform
        self.images = sorted(glob.glob(f"{img_dir}/*.jpg"))
        self.masks = sorted(glob.glob(f"{mask_dir}/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, index):
        img = np.array(Image.open(self.images[index]).convert("RGB"), dtype=np.float32)  # expect: FIT401
        mask = np.array(Image.open(self.masks[index]).convert("L"), dtype=np.float32)
        mask = np.where(mask == 255, 1.0, 0.0)
        if self.transform is not None:
            mask = self.transform(mask)
        return img, mask
