"""Action recognition on short clips: each item of the dataset is a window of consecutive frames of
one video (sliced in `__getitem__`), and the videos, listed class by class, are cut into train and
validation parts after one shuffle of the video list."""
import glob
import os
import random

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import ConcatDataset, DataLoader, Dataset


class VideoClips(Dataset):
    """The clips of one video: a window of `clip_len` frames, and the `horizon` frames after it."""

    def __init__(self, frame_paths, label, clip_len=16, horizon=8, stride=8):
        self.frame_paths = sorted(frame_paths)
        self.label = label
        self.input_len = clip_len
        self.target_len = horizon
        self.valid_starts = list(range(0, len(self.frame_paths) - clip_len - horizon + 1, stride))

    def __len__(self):
        return len(self.valid_starts)

    def __getitem__(self, idx):
        start_index = self.valid_starts[idx]
        input_paths = self.frame_paths[start_index:start_index + self.input_len]
        target_paths = self.frame_paths[start_index + self.input_len:start_index + self.input_len + self.target_len]
        clip = np.stack([np.load(p) for p in input_paths]).astype(np.float32) / 255.0
        return torch.from_numpy(clip).permute(3, 0, 1, 2), self.label, len(target_paths)


def clips_of(videos):
    return ConcatDataset([VideoClips(frames, label) for frames, label in videos])


def list_videos(root):
    videos = []
    for label, cls in enumerate(sorted(os.listdir(root))):
        for video in sorted(glob.glob(os.path.join(root, cls, "*"))):
            videos.append((sorted(glob.glob(os.path.join(video, "*.npy"))), label))
    return videos


def main():
    videos = list_videos("data/ucf_frames")
    random.Random(0).shuffle(videos)
    n_train = int(0.8 * len(videos))
    train_videos = videos[:n_train]
    val_videos = videos[n_train:]
    train_loader = DataLoader(clips_of(train_videos), batch_size=16, shuffle=True)
    val_loader = DataLoader(clips_of(val_videos), batch_size=16)
    model = nn.Sequential(nn.Conv3d(3, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool3d(1), nn.Flatten(),
                          nn.Linear(32, 101))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(20):
        model.train()
        for clips, labels, _ in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(clips), labels)
            loss.backward()
            optimizer.step()
        model.eval()
        correct = 0
        with torch.no_grad():
            for clips, labels, _ in val_loader:
                correct += (model(clips).argmax(1) == labels).sum().item()
        print(epoch, correct / len(val_loader.dataset))


if __name__ == "__main__":
    main()
