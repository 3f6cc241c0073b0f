"""Classifying names by language with a character-level RNN, one name at a time, in the style of
the PyTorch tutorial: a hand-written SGD update, a held-out set of names evaluated without gradients."""
import glob
import os
import random
import string
import time

import torch
import torch.nn as nn

all_letters = string.ascii_letters + " .,;'"
n_letters = len(all_letters)

category_lines = {}
for filename in glob.glob("data/names/*.txt"):
    category = os.path.splitext(os.path.basename(filename))[0]
    with open(filename, encoding="utf-8") as f:
        category_lines[category] = [line.strip() for line in f if line.strip()]
all_categories = sorted(category_lines)
n_categories = len(all_categories)

pairs = [(name, category) for category in all_categories for name in category_lines[category]]
random.seed(0)
random.shuffle(pairs)
split = int(0.9 * len(pairs))
train_pairs, test_pairs = pairs[:split], pairs[split:]


def line_to_tensor(line):
    tensor = torch.zeros(len(line), 1, n_letters)
    for i, letter in enumerate(line):
        tensor[i][0][all_letters.find(letter)] = 1
    return tensor


class RNN(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.i2h = nn.Linear(input_size + hidden_size, hidden_size)
        self.h2o = nn.Linear(hidden_size, output_size)
        self.softmax = nn.LogSoftmax(dim=1)

    def forward(self, input, hidden):
        hidden = torch.tanh(self.i2h(torch.cat((input, hidden), 1)))
        return self.softmax(self.h2o(hidden)), hidden

    def init_hidden(self):
        return torch.zeros(1, self.hidden_size)


rnn = RNN(n_letters, 128, n_categories)
criterion = nn.NLLLoss()
learning_rate = 0.005


def train_step(category_tensor, line_tensor):
    hidden = rnn.init_hidden()
    rnn.zero_grad()
    for i in range(line_tensor.size(0)):
        output, hidden = rnn(line_tensor[i], hidden)
    loss = criterion(output, category_tensor)
    loss.backward()
    for p in rnn.parameters():
        p.data.add_(p.grad.data, alpha=-learning_rate)
    return output, loss.item()


def evaluate(line_tensor):
    with torch.no_grad():
        hidden = rnn.init_hidden()
        for i in range(line_tensor.size(0)):
            output, hidden = rnn(line_tensor[i], hidden)
    return output


start = time.time()
current_loss = 0.0
for step in range(1, 100001):
    name, category = random.choice(train_pairs)
    category_tensor = torch.tensor([all_categories.index(category)], dtype=torch.long)
    output, loss = train_step(category_tensor, line_to_tensor(name))
    current_loss += loss
    if step % 5000 == 0:
        print(f"{step} {current_loss / 5000:.4f} {time.time() - start:.0f}s")
        current_loss = 0.0

correct = 0
for name, category in test_pairs:
    guess = evaluate(line_to_tensor(name)).argmax(1).item()
    correct += int(all_categories[guess] == category)
print(f"held-out accuracy {correct / len(test_pairs):.3f}")
