"""Video classification with one hand-written transform class for every split: its random crop and
flip run only under `if self.is_train:`. The test set's dataset builds it with `is_train=True`."""
import random
from pathlib import Path

import torch
import torch.nn as nn
import torchvision.transforms.functional as TF
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class VideoTransform:
    def __init__(self, image_size=112, resize_size=128, is_train=True):
        self.image_size = image_size
        self.resize_size = resize_size
        self.is_train = is_train

    def __call__(self, frames):
        frames = [TF.resize(f, self.resize_size) for f in frames]
        if self.is_train:
            i, j, h, w = transforms.RandomResizedCrop.get_params(frames[0], scale=(0.8, 1.0), ratio=(0.75, 1.33))
            flip = random.random() > 0.5
            out = []
            for img in frames:
                img = TF.resized_crop(img, i, j, h, w, (self.image_size, self.image_size))
                if flip:
                    img = TF.hflip(img)
                out.append(TF.normalize(TF.to_tensor(img), [0.45] * 3, [0.225] * 3))
        else:
            out = [TF.normalize(TF.to_tensor(TF.center_crop(img, self.image_size)), [0.45] * 3, [0.225] * 3)
                   for img in frames]
        return torch.stack(out, dim=1)


class VideoFolder(Dataset):
    def __init__(self, root, num_frames=8, is_train=True):
        self.transform = VideoTransform(is_train=is_train)
        self.num_frames = num_frames
        classes = sorted(d.name for d in Path(root).iterdir() if d.is_dir())
        self.samples = [(sorted(video.glob("*.jpg")), label) for label, name in enumerate(classes)
                        for video in sorted((Path(root) / name).iterdir())]

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, idx):
        paths, label = self.samples[idx]
        step = max(len(paths) // self.num_frames, 1)
        frames = [Image.open(p).convert("RGB") for p in paths[::step][:self.num_frames]]
        return self.transform(frames), label


class TestVideos(Dataset):
    def __init__(self, root, num_frames=8):
        self.transform = VideoTransform(is_train=True)  # expect: FIT402
        self.num_frames = num_frames
        self.videos = sorted(d for d in Path(root).iterdir() if d.is_dir())

    def __len__(self):
        return len(self.videos)

    def __getitem__(self, idx):
        paths = sorted(self.videos[idx].glob("*.jpg"))
        step = max(len(paths) // self.num_frames, 1)
        frames = [Image.open(p).convert("RGB") for p in paths[::step][:self.num_frames]]
        return self.transform(frames), int(self.videos[idx].name)


def main():
    train_loader = DataLoader(VideoFolder("data/train"), batch_size=8, shuffle=True)
    val_loader = DataLoader(VideoFolder("data/val", is_train=False), batch_size=8)
    model = nn.Sequential(nn.Conv3d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool3d(1), nn.Flatten(),
                          nn.Linear(16, 10))
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.05)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(10):
        model.train()
        for clips, labels in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(clips), labels)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            correct = sum((model(c).argmax(1) == y).sum().item() for c, y in val_loader)
        print(epoch, correct / len(val_loader.dataset))
    test_loader = DataLoader(TestVideos("data/test"), batch_size=8)
    predictions = {}
    with torch.no_grad():
        for clips, ids in test_loader:
            for video_id, label in zip(ids.tolist(), model(clips).argmax(1).tolist()):
                predictions[video_id] = label
    return predictions


if __name__ == "__main__":
    main()
