"""A torchtext-style script: the iterators come from one library call unpacked into
`train_iter, dev_iter, test_iter`, so only their names say which split each walks. Every few
hundred iterations the dev set is evaluated inside the training loop, in eval mode but with
gradients on (FIT202)."""
import torch
import torch.nn as nn
from torchtext.legacy import data, datasets

TEXT = data.Field(lower=True, batch_first=True)
LABEL = data.LabelField()
train, dev, test = datasets.SNLI.splits(TEXT, LABEL)
TEXT.build_vocab(train)
LABEL.build_vocab(train)
train_iter, dev_iter, test_iter = data.BucketIterator.splits((train, dev, test), batch_size=128)


class Classifier(nn.Module):
    def __init__(self, vocab, classes):
        super().__init__()
        self.embed = nn.Embedding(vocab, 100)
        self.drop = nn.Dropout(0.2)
        self.out = nn.Linear(100, classes)

    def forward(self, batch):
        return self.out(self.drop(self.embed(batch.premise).mean(1)))


model = Classifier(len(TEXT.vocab), len(LABEL.vocab))
opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
criterion = nn.CrossEntropyLoss()
iterations = 0
for epoch in range(10):
    for batch in train_iter:
        model.train()
        opt.zero_grad()
        loss = criterion(model(batch), batch.label)
        loss.backward()
        opt.step()
        iterations += 1
        if iterations % 500 == 0:
            model.eval()
            correct = 0
            for dev_batch in dev_iter:  # FIT202
                answer = model(dev_batch)
                correct += (answer.argmax(1) == dev_batch.label).sum().item()
            print(iterations, correct / len(dev))
