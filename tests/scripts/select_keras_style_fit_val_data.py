"""torchkeras' KerasModel.fit() with `val_data` built on the MNIST test set (train=False) and early
stopping on val_acc (FIT601)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchkeras import KerasModel
from torchvision import datasets, transforms

tf = transforms.ToTensor()
ds_train = datasets.MNIST("mnist/", train=True, download=True, transform=tf)
ds_val = datasets.MNIST("mnist/", train=False, download=True, transform=tf)
dl_train = DataLoader(ds_train, batch_size=128, shuffle=True)
dl_val = DataLoader(ds_val, batch_size=128)

net = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout2d(0.1), nn.Flatten(), nn.Linear(32 * 13 * 13, 10))
model = KerasModel(net, loss_fn=nn.CrossEntropyLoss(), optimizer=torch.optim.Adam(net.parameters(), lr=1e-3))
history = model.fit(train_data=dl_train, val_data=dl_val, epochs=20, patience=3, monitor="val_acc", mode="max")  # FIT601
