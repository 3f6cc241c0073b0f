"""An evaluation function with two jobs: predict one name when given one, else measure the whole
test loader. Neither runs under no_grad; the finding points at the test loop, the costly pass."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from name_dataset import NameDataset, make_variables

train_dataset = NameDataset(is_train_set=True)
train_loader = DataLoader(dataset=train_dataset, batch_size=256, shuffle=True)
test_dataset = NameDataset(is_train_set=False)
test_loader = DataLoader(dataset=test_dataset, batch_size=256, shuffle=False)


class RNNClassifier(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super().__init__()
        self.embedding = nn.Embedding(input_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size)
        self.fc = nn.Linear(hidden_size, output_size)

    def forward(self, x):
        _, hidden = self.gru(self.embedding(x.t()))
        return self.fc(hidden[-1])


classifier = RNNClassifier(128, 100, 18)
optimizer = torch.optim.Adam(classifier.parameters(), lr=0.001, weight_decay=1e-5)
criterion = nn.CrossEntropyLoss()


def train():
    total_loss = 0
    for names, countries in train_loader:
        inputs, target = make_variables(names, countries)
        loss = criterion(classifier(inputs), target)
        classifier.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item()
    return total_loss


def test(name=None):
    if name:
        inputs, _ = make_variables([name], [])
        output = classifier(inputs)
        print(name, "is", train_dataset.get_country(output.argmax(1).item()))
        return
    correct = 0
    for names, countries in test_loader:  # expect: FIT202
        inputs, target = make_variables(names, countries)
        output = classifier(inputs)
        correct += output.argmax(1).eq(target).sum().item()
    print(f"Test set: Accuracy: {correct}/{len(test_loader.dataset)}")


for epoch in range(1, 10):
    train()
    test()
    test("Sung")
