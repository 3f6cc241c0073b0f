"""A student's image classifier with Romanian names: after training, `rc.eval()` and a loop over
the held-out loader (`load_verificare`, a name that says no split in English) collect the
predictions for a confusion matrix, with gradients on (FIT202): the switch to evaluation mode
says what the loop does."""
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
y_corect = []
y_prezis = []
for intrare, eticheta in load_verificare:  # expect: FIT202
    iesire = rc(intrare)
    y_corect.extend(eticheta.tolist())
    y_prezis.extend(iesire.argmax(1).tolist())

sns.heatmap(confusion_matrix(y_corect, y_prezis), annot=True, fmt="d")
plt.show()
