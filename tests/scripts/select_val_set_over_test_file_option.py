"""A Korean movie-review BERT fine-tune: the `--validation_data_path` option defaults to the
dataset's published test file, read into a frame, wrapped in the file's own Dataset class and a
`val_loader`, and the best checkpoint is saved on its accuracy. The data is the test file whatever
the option and the loader are called (FIT601)."""
import argparse

import pandas as pd
import torch
from torch.utils.data import DataLoader, Dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer

parser = argparse.ArgumentParser()
parser.add_argument("--train_data_path", default="ratings_data/ratings_train.txt")
parser.add_argument("--validation_data_path", default="ratings_data/ratings_test.txt")
parser.add_argument("--save_path", default="best.pt")
args = parser.parse_args()

tokenizer = AutoTokenizer.from_pretrained("klue/bert-base")
train = pd.read_csv(args.train_data_path, sep="\t").dropna()
test = pd.read_csv(args.validation_data_path, sep="\t").dropna()


class ReviewDataset(Dataset):
    def __init__(self, frame):
        self.encodings = tokenizer(list(frame["document"]), truncation=True, padding="max_length", max_length=64)
        self.labels = list(frame["label"])

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return torch.tensor(self.encodings["input_ids"][i]), torch.tensor(self.labels[i])


train_loader = DataLoader(ReviewDataset(train), batch_size=32, shuffle=True)
val_set = ReviewDataset(test)
val_loader = DataLoader(val_set, batch_size=64)
model = AutoModelForSequenceClassification.from_pretrained("klue/bert-base", num_labels=2)
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
best_accuracy = 0
for epoch in range(3):
    model.train()
    for input_ids, label in train_loader:
        optimizer.zero_grad()
        model(input_ids=input_ids, labels=label).loss.backward()
        optimizer.step()
    model.eval()
    collect = 0
    with torch.no_grad():
        for input_ids, label in val_loader:
            collect += (model(input_ids=input_ids).logits.argmax(-1) == label).sum().item()
    accuracy = collect / len(test)
    if accuracy > best_accuracy:  # expect: FIT601
        best_accuracy = accuracy
        torch.save(model.state_dict(), args.save_path)
