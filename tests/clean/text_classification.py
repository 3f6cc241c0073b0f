"""Text classification with an EmbeddingBag: a collate function building offsets, a training split
carved at random from the training data, the learning rate decayed when validation accuracy stalls."""
import time

import torch
from torch import nn
from torch.utils.data import DataLoader
from torch.utils.data.dataset import random_split
from torchtext.data.functional import to_map_style_dataset
from torchtext.data.utils import get_tokenizer
from torchtext.datasets import AG_NEWS
from torchtext.vocab import build_vocab_from_iterator

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
tokenizer = get_tokenizer("basic_english")
vocab = build_vocab_from_iterator((tokenizer(text) for _, text in AG_NEWS(split="train")), specials=["<unk>"])
vocab.set_default_index(vocab["<unk>"])


def collate_batch(batch):
    label_list, text_list, offsets = [], [], [0]
    for label, text in batch:
        label_list.append(label - 1)
        processed = torch.tensor(vocab(tokenizer(text)), dtype=torch.int64)
        text_list.append(processed)
        offsets.append(processed.size(0))
    return (torch.tensor(label_list, dtype=torch.int64).to(device), torch.cat(text_list).to(device),
            torch.tensor(offsets[:-1]).cumsum(dim=0).to(device))


class TextClassificationModel(nn.Module):
    def __init__(self, vocab_size, embed_dim, num_class):
        super().__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, embed_dim, sparse=False)
        self.fc = nn.Linear(embed_dim, num_class)

    def forward(self, text, offsets):
        return self.fc(self.embedding(text, offsets))


train_dataset = to_map_style_dataset(AG_NEWS(split="train"))
test_dataset = to_map_style_dataset(AG_NEWS(split="test"))
num_train = int(len(train_dataset) * 0.95)
split_train, split_valid = random_split(train_dataset, [num_train, len(train_dataset) - num_train])
train_dataloader = DataLoader(split_train, batch_size=64, shuffle=True, collate_fn=collate_batch)
valid_dataloader = DataLoader(split_valid, batch_size=64, shuffle=True, collate_fn=collate_batch)
test_dataloader = DataLoader(test_dataset, batch_size=64, shuffle=True, collate_fn=collate_batch)

model = TextClassificationModel(len(vocab), 64, 4).to(device)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=5)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1.0, gamma=0.1)


def train(dataloader):
    model.train()
    for label, text, offsets in dataloader:
        optimizer.zero_grad()
        loss = criterion(model(text, offsets), label)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
        optimizer.step()


def evaluate(dataloader):
    model.eval()
    correct, count = 0, 0
    with torch.no_grad():
        for label, text, offsets in dataloader:
            correct += (model(text, offsets).argmax(1) == label).sum().item()
            count += label.size(0)
    return correct / count


best_accu = None
for epoch in range(1, 11):
    start = time.time()
    train(train_dataloader)
    accu_val = evaluate(valid_dataloader)
    if best_accu is not None and best_accu > accu_val:
        scheduler.step()
    else:
        best_accu = accu_val
    print(f"epoch {epoch} | {time.time() - start:.1f}s | valid accuracy {accu_val:.3f}")
print(f"test accuracy {evaluate(test_dataloader):.3f}")
