"""The same fine-tune with the model switched back to training mode right after each periodic
validation."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from transformers import AutoModel

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = AutoModel.from_pretrained("roberta-base")
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(768, 2)

    def forward(self, ids, mask):
        hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state[:, 0]
        return self.head(self.dropout(hidden))


@torch.no_grad()
def valid_epoch(loader, model):
    model.eval()
    losses = []
    for batch in loader:
        logits = model(batch["ids"].to(device), batch["mask"].to(device))
        losses.append(criterion(logits, batch["labels"].to(device)).item())
    return sum(losses) / len(losses)


def train_epoch(train_loader, valid_loader, model, optimizer):
    model.train()
    for batch_id, batch in enumerate(train_loader):
        if batch_id % 1000 == 0:
            print("valid loss", valid_epoch(valid_loader, model))
            model.train()
        optimizer.zero_grad()
        logits = model(batch["ids"].to(device), batch["mask"].to(device))
        loss = criterion(logits, batch["labels"].to(device))
        loss.backward()
        optimizer.step()


model = Classifier().to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5, weight_decay=0.01)
train_loader = DataLoader(train_set, batch_size=16, shuffle=True)
valid_loader = DataLoader(valid_set, batch_size=64)
for epoch in range(3):
    train_epoch(train_loader, valid_loader, model, optimizer)
