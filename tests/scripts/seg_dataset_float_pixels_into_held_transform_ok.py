"""dataset.py of a segmentation project: the images are read as float32 arrays in 0..255 and handed
to the transform the dataset holds; the project's utils.py builds the dataset with an
albumentations pipeline whose Normalize divides by 255 itself, so nothing reaches the model
unscaled."""
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
        img = np.array(Image.open(self.images[index]).convert("RGB"), dtype=np.float32)
        mask = np.array(Image.open(self.masks[index]).convert("L"), dtype=np.float32)
        mask = np.where(mask == 255, 1.0, 0.0)
        if self.transform is not None:
            augmented = self.transform(image=img, mask=mask)
            img = augmented["image"]
            mask = augmented["mask"]
        return img, mask
