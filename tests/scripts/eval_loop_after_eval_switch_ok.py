"""The same classifier collecting its confusion matrix under torch.no_grad(); before that, a pass in
training mode over the held-out images adapts the batch-norm statistics to them (`rc.train()`
after `rc.eval()`: the last switch before that loop is to training mode, so it is no evaluation)."""
import matplotlib.pyplot as plt
import seaborn as sns
import torch
import torch.nn as nn
from sklearn.metrics import confusion_matrix
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

transformare = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
date_antrenare = datasets.ImageFolder("date/antrenare", transform=transformare)
date_verificare = datasets.ImageFolder("date/verificare", transform=transformare)
load_antrenare = DataLoader(date_antrenare, batch_size=32, shuffle=True)
load_verificare = DataLoader(date_verificare, batch_size=32)


class ReteaConv(nn.Module):
    def __init__(self):
        super().__init__()
        self.straturi = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Dropout(0.3), nn.Linear(32 * 16 * 16, 3),
        )

    def forward(self, x):
        return self.straturi(x)


rc = ReteaConv()
criteriu = nn.CrossEntropyLoss()
optimizator = torch.optim.Adam(rc.parameters(), lr=1e-3, weight_decay=1e-4)
for epoca in range(10):
    rc.train()
    for intrare, eticheta in load_antrenare:
        optimizator.zero_grad()
        criteriu(rc(intrare), eticheta).backward()
        optimizator.step()

rc.eval()
print(sum(p.numel() for p in rc.parameters()))
rc.train()
for intrare, _ in load_verificare:
    rc(intrare)

rc.eval()
y_corect = []
y_prezis = []
with torch.no_grad():
    for intrare, eticheta in load_verificare:
        iesire = rc(intrare)
        y_corect.extend(eticheta.tolist())
        y_prezis.extend(iesire.argmax(1).tolist())

sns.heatmap(confusion_matrix(y_corect, y_prezis), annot=True, fmt="d")
plt.show()
