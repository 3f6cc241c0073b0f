"""The twin of select_keras_style_fit_val_data.py: val_data is a random split of the training set."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, random_split
from torchkeras import KerasModel
from torchvision import datasets, transforms

tf = transforms.ToTensor()
full = datasets.MNIST("mnist/", train=True, download=True, transform=tf)
ds_train, ds_val = random_split(full, [55000, 5000])
dl_train = DataLoader(ds_train, batch_size=128, shuffle=True)
dl_val = DataLoader(ds_val, batch_size=128)

net = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout2d(0.1), nn.Flatten(), nn.Linear(32 * 13 * 13, 10))
model = KerasModel(net, loss_fn=nn.CrossEntropyLoss(), optimizer=torch.optim.Adam(net.parameters(), lr=1e-3))
history = model.fit(train_data=dl_train, val_data=dl_val, epochs=20, patience=3, monitor="val_acc", mode="max")
