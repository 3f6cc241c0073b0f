"""The widely copied "AudioUtil" sound-classification tutorial: a class of static methods does
the audio work, and the dataset's `__getitem__` calls `AudioUtil.spectro_augment(...)` (SpecAugment
masks) on every item. The validation part is a `random_split` of that one dataset, so its
spectrograms are masked at random on every pass (FIT402, at the augmenting call)."""
import random

import pandas as pd
import torch
import torchaudio
from torchaudio import transforms
from torch.utils.data import DataLoader, Dataset, random_split


class AudioUtil:
    @staticmethod
    def open(audio_file):
        sig, sr = torchaudio.load(audio_file)
        return sig, sr

    @staticmethod
    def time_shift(aud, shift_limit):
        sig, sr = aud
        _, sig_len = sig.shape
        return sig.roll(int(random.random() * shift_limit * sig_len)), sr

    @staticmethod
    def spectro_gram(aud, n_mels=64, n_fft=1024, hop_len=None):
        sig, sr = aud
        spec = transforms.MelSpectrogram(sr, n_fft=n_fft, hop_length=hop_len, n_mels=n_mels)(sig)
        return transforms.AmplitudeToDB(top_db=80)(spec)

    @staticmethod
    def spectro_augment(spec, max_mask_pct=0.1, n_freq_masks=1, n_time_masks=1):
        _, n_mels, n_steps = spec.shape
        mask_value = spec.mean()
        aug_spec = spec
        for _ in range(n_freq_masks):
            aug_spec = transforms.FrequencyMasking(max_mask_pct * n_mels)(aug_spec, mask_value)
        for _ in range(n_time_masks):
            aug_spec = transforms.TimeMasking(max_mask_pct * n_steps)(aug_spec, mask_value)
        return aug_spec


class SoundDS(Dataset):
    def __init__(self, df, data_path):
        self.df = df
        self.data_path = str(data_path)
        self.shift_pct = 0.4

    def __len__(self):
        return len(self.df)

    def __getitem__(self, idx):
        aud = AudioUtil.open(self.data_path + self.df.loc[idx, "relative_path"])
        shift_aud = AudioUtil.time_shift(aud, self.shift_pct)
        sgram = AudioUtil.spectro_gram(shift_aud, n_mels=64, n_fft=1024)
        aug_sgram = AudioUtil.spectro_augment(sgram, max_mask_pct=0.1, n_freq_masks=2, n_time_masks=2)  # expect: FIT402
        return aug_sgram, self.df.loc[idx, "classID"]


df = pd.read_csv("UrbanSound8K/metadata/UrbanSound8K.csv")
df["relative_path"] = "/fold" + df["fold"].astype(str) + "/" + df["slice_file_name"].astype(str)
myds = SoundDS(df, "UrbanSound8K/audio")
num_items = len(myds)
num_train = round(num_items * 0.8)
train_ds, val_ds = random_split(myds, [num_train, num_items - num_train])
train_dl = DataLoader(train_ds, batch_size=16, shuffle=True)
val_dl = DataLoader(val_ds, batch_size=16, shuffle=False)
