"""Tweets stored sorted by sentiment, tokenized in a loop and padded row by row, then cut at fixed
points with nothing shuffled anywhere: validation holds only the tweets stored last."""
import numpy as np
import pandas as pd
import torch
from torch.utils.data import DataLoader, TensorDataset

tweets = pd.read_csv("tweets_by_sentiment.csv", encoding="latin-1")
tweets = tweets.dropna()
texts = tweets["text"].tolist()
vocab = {word: i + 1 for i, word in enumerate(sorted({w for t in texts for w in t.split()}))}

encoded = []
for text in texts:
    encoded.append([vocab[w] for w in text.split()])


def pad(rows, length=32):
    out = np.zeros((len(rows), length), dtype=np.int64)
    for i, row in enumerate(rows):
        out[i, -len(row[:length]):] = row[:length]
    return out


features = pad(encoded)
labels = tweets["sentiment"].tolist()
n = len(features)
train_x = np.array(features[:int(0.8 * n)])
train_y = np.array(labels[:int(0.8 * n)])
rest_x = np.array(features[int(0.8 * n):])  # expect: FIT102
rest_y = np.array(labels[int(0.8 * n):])
valid_x = rest_x[:len(rest_x) // 2]  # expect: FIT102
valid_y = rest_y[:len(rest_y) // 2]  # expect: FIT102

train_loader = DataLoader(TensorDataset(torch.from_numpy(train_x), torch.tensor(train_y)), batch_size=64, shuffle=True)
valid_loader = DataLoader(TensorDataset(torch.from_numpy(valid_x), torch.tensor(valid_y)), batch_size=256)
