"""A BERT review classifier: the texts are shuffled before the cut but the labels are not, and both
are handed to the dataset class beside the tokenizer and the maximum length, so review i is
trained with another review's label (FIT103)."""
import random

import torch
from torch.utils.data import DataLoader, Dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer

MAX_LEN = 128
tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")


class ReviewDataset(Dataset):
    def __init__(self, texts, labels, tokenizer, max_len):
        self.texts = texts
        self.labels = labels
        self.tokenizer = tokenizer
        self.max_len = max_len

    def __len__(self):
        return len(self.texts)

    def __getitem__(self, i):
        enc = self.tokenizer(self.texts[i], truncation=True, max_length=self.max_len,
                             padding="max_length", return_tensors="pt")
        return enc["input_ids"][0], enc["attention_mask"][0], self.labels[i]


lines = [line.rstrip("\n").split("\t") for line in open("reviews.tsv", encoding="utf-8")]
texts = [text for text, _ in lines]
labels = [int(label) for _, label in lines]
random.shuffle(texts)  # expect: FIT103
cut = int(len(texts) * 0.9)
train_ds = ReviewDataset(texts[:cut], labels[:cut], tokenizer, MAX_LEN)
val_ds = ReviewDataset(texts[cut:], labels[cut:], tokenizer, MAX_LEN)
train_loader = DataLoader(train_ds, batch_size=32, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=64)

model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=2)
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5, weight_decay=0.01)
for epoch in range(3):
    model.train()
    for input_ids, mask, label in train_loader:
        optimizer.zero_grad()
        model(input_ids=input_ids, attention_mask=mask, labels=label).loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(input_ids=i, attention_mask=m).logits.argmax(-1) == y).sum().item()
                      for i, m, y in val_loader)
    print(epoch, correct / len(val_ds))
