"""The spoken-digit helper shuffling the paths before it derives each label from its path's folder,
and a second helper shuffling (path, label) pairs together: both return lists whose rows still
belong together."""
import glob
import os
import random

import torch
import torch.nn as nn
import torchaudio
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, Dataset


def collect_clips(root):
    wav_paths, labels = [], []
    classes = sorted(os.listdir(root))
    for idx, name in enumerate(classes):
        for path in glob.glob(os.path.join(root, name, "*.wav")):
            wav_paths.append(path)
            labels.append(idx)
    random.seed(13)
    random.shuffle(wav_paths)
    labels = [classes.index(os.path.basename(os.path.dirname(path))) for path in wav_paths]
    return wav_paths, labels, classes


def collect_pairs(root):
    pairs = []
    for idx, name in enumerate(sorted(os.listdir(root))):
        for path in glob.glob(os.path.join(root, name, "*.wav")):
            pairs.append((path, idx))
    random.shuffle(pairs)
    return [path for path, _ in pairs], [label for _, label in pairs]


class ClipDataset(Dataset):
    def __init__(self, paths, labels):
        self.paths, self.labels = paths, labels
        self.mel = torchaudio.transforms.MelSpectrogram(sample_rate=8000, n_mels=40)

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        wave, _ = torchaudio.load(self.paths[i])
        spec = self.mel(wave[:, :8000]).log1p()
        return nn.functional.pad(spec, (0, 41 - spec.shape[-1])), self.labels[i]


paths, labels, classes = collect_clips("data/recordings")
extra_paths, extra_labels = collect_pairs("data/extra_recordings")
tr_p, va_p, tr_y, va_y = train_test_split(paths, labels, test_size=0.2, random_state=0)
train_loader = DataLoader(ClipDataset(tr_p, tr_y), batch_size=32, shuffle=True)
val_loader = DataLoader(ClipDataset(va_p, va_y), batch_size=64)
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(4),
                      nn.Flatten(), nn.Dropout(0.3), nn.Linear(16 * 16, len(classes)))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(15):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader)
    print(epoch, correct / len(va_p))
