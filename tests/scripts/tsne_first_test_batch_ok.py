"""An EEG/CIFAR embedding experiment: after each epoch the first test batch is embedded with t-SNE
and plotted (`for ...: ...; break`, one batch: no more graph than a training step), and a
predict() helper classifies one sentence made a batch of one, moved to the GPU when asked."""
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
from sklearn.manifold import TSNE


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 32, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.head = nn.Linear(32, 10)

    def forward(self, x):
        z = self.features(x).flatten(1)
        return z, self.head(z)


def predict(text, model, vocab, cuda_flag):
    model.eval()
    x = torch.tensor(vocab(text.split())).unsqueeze(0)
    if cuda_flag:
        x = x.cuda()
    return model(x)[1].argmax(1).item()


cnn = Encoder()
optimizer = torch.optim.Adam(cnn.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(20):
    cnn.train()
    for data, label in dataloader_train:
        optimizer.zero_grad()
        _, logits = cnn(data)
        criterion(logits, label).backward()
        optimizer.step()
    cnn.eval()
    fig, ax = plt.subplots(figsize=(7, 7))
    for data, label in dataloader_test:
        x, _ = cnn(data)
        x = TSNE(n_components=2).fit_transform(x.detach().numpy())
        ax.scatter(x[:, 0], x[:, 1], c=label, cmap="rainbow")
        break
    plt.show()
print(predict("a fine movie", cnn, vocab, torch.cuda.is_available()))
