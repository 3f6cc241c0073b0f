"""A Hugging Face fine-tune whose `valid_dl` is the IMDB test split (`split="test"`, through
.map() and .with_format()); the best checkpoint is saved on it (FIT601)."""
import torch
import torch.nn as nn
from datasets import load_dataset
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, AutoTokenizer

tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")
raw_train = load_dataset("imdb", split="train")
raw_valid = load_dataset("imdb", split="test")


def encode(batch):
    return tokenizer(batch["text"], truncation=True, padding="max_length", max_length=256)


train_ds = raw_train.map(encode, batched=True).with_format("torch")
valid_ds = raw_valid.map(encode, batched=True).with_format("torch")
train_dl = DataLoader(train_ds, batch_size=16, shuffle=True)
valid_dl = DataLoader(valid_ds, batch_size=64)

model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=2)
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
best_acc = 0.0
for epoch in range(3):
    model.train()
    for batch in train_dl:
        out = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], labels=batch["label"])
        out.loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    model.eval()
    correct = 0
    with torch.no_grad():
        for batch in valid_dl:
            logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
            correct += (logits.argmax(-1) == batch["label"]).sum().item()
    acc = correct / len(valid_ds)
    if acc > best_acc:  # FIT601
        best_acc = acc
        model.save_pretrained("best_model")
