"""IMDB sentiment with an LSTM: `evaluate(model, X_test, y_test)` is handed the whole test tensor
every epoch and runs it with gradients on (FIT202); `predict_sentiment(model, sentence)` scores
one review typed at the prompt, which is left alone."""
import torch
import torch.nn as nn


class SentimentLSTM(nn.Module):
    def __init__(self, vocab_size, emb=64, hidden=128):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, emb)
        self.lstm = nn.LSTM(emb, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(self.emb(x))
        return self.fc(h[-1]).squeeze(1)


def evaluate(model, X_test, y_test):
    model.eval()
    logits = model(X_test)  # expect: FIT202
    return ((logits > 0).long() == y_test).float().mean().item()


def predict_sentiment(model, sentence, vocab):
    model.eval()
    ids = torch.tensor([[vocab.get(word, 0) for word in sentence.lower().split()]])
    return torch.sigmoid(model(ids)).item()


def main(X_train, y_train, X_test, y_test, vocab):
    model = SentimentLSTM(len(vocab) + 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
    criterion = nn.BCEWithLogitsLoss()
    for epoch in range(10):
        model.train()
        perm = torch.randperm(len(X_train))
        for i in range(0, len(X_train), 64):
            idx = perm[i:i + 64]
            optimizer.zero_grad()
            criterion(model(X_train[idx]), y_train[idx].float()).backward()
            optimizer.step()
        print(epoch, evaluate(model, X_test, y_test))
    review = input("review (or quit): ")
    while review != "quit":
        print(predict_sentiment(model, review, vocab))
        review = input("review (or quit): ")
