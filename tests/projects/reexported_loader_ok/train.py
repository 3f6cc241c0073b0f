"""The same script with the training loader shuffled: nothing to report."""
import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from data import DataLoader, EmojiDataset

tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=20)
texts, labels = np.load("train_texts.npy", allow_pickle=True), np.load("train_labels.npy")
train_set = EmojiDataset(tokenizer(list(texts), truncation=True, padding=True), labels)
train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5, weight_decay=0.01)
for epoch in range(3):
    model.train()
    for batch, y in train_loader:
        optimizer.zero_grad()
        loss = model(**batch, labels=y).loss
        loss.backward()
        optimizer.step()
