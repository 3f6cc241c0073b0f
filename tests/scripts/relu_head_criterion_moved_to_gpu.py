"""A text classifier in the shape of a much-copied BERT fine-tuning tutorial: the head ends in a
ReLU and the loss is moved to the GPU under `if use_cuda:` (`criterion = criterion.cuda()`)."""
import torch
from torch import nn
from torch.optim import Adam
from transformers import BertModel


class BertClassifier(nn.Module):
    def __init__(self, dropout=0.5):
        super(BertClassifier, self).__init__()
        self.bert = BertModel.from_pretrained("bert-base-cased")
        self.dropout = nn.Dropout(dropout)
        self.linear = nn.Linear(768, 5)
        self.relu = nn.ReLU()

    def forward(self, input_id, mask):
        _, pooled_output = self.bert(input_ids=input_id, attention_mask=mask, return_dict=False)
        dropout_output = self.dropout(pooled_output)
        linear_output = self.linear(dropout_output)
        final_layer = self.relu(linear_output)  # expect: FIT301
        return final_layer


def train(model, train_dataloader, val_dataloader, learning_rate, epochs):
    use_cuda = torch.cuda.is_available()
    device = torch.device("cuda" if use_cuda else "cpu")
    criterion = nn.CrossEntropyLoss()
    optimizer = Adam(model.parameters(), lr=learning_rate, weight_decay=0.01)
    if use_cuda:
        model = model.cuda()
        criterion = criterion.cuda()
    for epoch_num in range(epochs):
        model.train()
        for train_input, train_label in train_dataloader:
            train_label = train_label.to(device)
            mask = train_input["attention_mask"].to(device)
            input_id = train_input["input_ids"].squeeze(1).to(device)
            output = model(input_id, mask)
            batch_loss = criterion(output, train_label.long())
            model.zero_grad()
            batch_loss.backward()
            optimizer.step()
        model.eval()
        total_acc_val = 0
        with torch.no_grad():
            for val_input, val_label in val_dataloader:
                val_label = val_label.to(device)
                mask = val_input["attention_mask"].to(device)
                input_id = val_input["input_ids"].squeeze(1).to(device)
                output = model(input_id, mask)
                total_acc_val += (output.argmax(dim=1) == val_label).sum().item()
        print(f"epoch {epoch_num + 1}: val accuracy {total_acc_val}")


if __name__ == "__main__":
    from data import loaders

    train_loader, val_loader = loaders(shuffle_train=True)
    train(BertClassifier(), train_loader, val_loader, 1e-6, 5)
