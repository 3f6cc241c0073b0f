"""The audio-classification tutorial's sound dataset: `__getitem__` shifts each clip in time and
masks frequency and time bands of its spectrogram (SpecAugment, through a helper of the file) for
every item, and the validation part is a `random_split` of that one dataset. The validation clips
are randomly masked on every pass (FIT402, reported at the augmenting call in `__getitem__`)."""
import random

import pandas as pd
import torch
import torch.nn as nn
import torchaudio
from torch.utils.data import DataLoader, Dataset, random_split


def spectro_augment(spec, max_mask_pct=0.1, n_freq_masks=2, n_time_masks=2):
    _, n_mels, n_steps = spec.shape
    mask_value = spec.mean()
    for _ in range(n_freq_masks):
        spec = torchaudio.transforms.FrequencyMasking(max_mask_pct * n_mels)(spec, mask_value)
    for _ in range(n_time_masks):
        spec = torchaudio.transforms.TimeMasking(max_mask_pct * n_steps)(spec, mask_value)
    return spec


def time_shift(signal, shift_limit):
    return signal.roll(int(random.random() * shift_limit * signal.shape[1]))


class SoundDS(Dataset):
    def __init__(self, df, data_path):
        self.df, self.data_path = df, data_path
        self.mel = torchaudio.transforms.MelSpectrogram(44100, n_fft=1024, hop_length=512, n_mels=64)

    def __len__(self):
        return len(self.df)

    def __getitem__(self, idx):
        signal, _ = torchaudio.load(self.data_path + self.df.loc[idx, "relative_path"])
        shifted = time_shift(signal, 0.4)
        spec = torchaudio.transforms.AmplitudeToDB(top_db=80)(self.mel(shifted))
        return spectro_augment(spec), self.df.loc[idx, "classID"]  # expect: FIT402


df = pd.read_csv("UrbanSound8K/metadata/UrbanSound8K.csv")
df["relative_path"] = "/fold" + df["fold"].astype(str) + "/" + df["slice_file_name"].astype(str)
dataset = SoundDS(df, "UrbanSound8K/audio")
num_train = round(len(dataset) * 0.8)
train_ds, val_ds = random_split(dataset, [num_train, len(dataset) - num_train])
train_dl = DataLoader(train_ds, batch_size=16, shuffle=True)
val_dl = DataLoader(val_ds, batch_size=16, shuffle=False)

model = nn.Sequential(nn.Conv2d(2, 8, 5, stride=2), nn.BatchNorm2d(8), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Linear(8, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(20):
    model.train()
    for x, y in train_dl:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val_dl:
            correct += (model(x).argmax(1) == y).sum().item()
    print(epoch, correct / len(val_ds))
