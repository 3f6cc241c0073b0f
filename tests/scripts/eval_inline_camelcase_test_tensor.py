"""Titanic, the Kaggle "simplest PyTorch" notebook: full-batch training on `XTrain`, and every
epoch the whole `XTest` tensor goes through the model in the same loop, with gradients on. The
graph of that pass is kept until the next epoch's training step."""
import pandas as pd
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.model_selection import train_test_split

df = pd.read_csv("../input/train.csv")[["Survived", "Pclass", "Sex", "Age", "Fare"]].dropna()
df["Sex"] = (df["Sex"] == "male").astype(float)
X = df.drop(columns="Survived").values
y = df["Survived"].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
XTrain, yTrain, XTest, yTest = map(torch.tensor, (X_train, y_train, X_test, y_test))
XTrain, XTest = XTrain.float(), XTest.float()
XTrain = (XTrain - XTrain.mean(0)) / XTrain.std(0)
XTest = (XTest - XTrain.mean(0)) / XTrain.std(0)


class Model(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.fc1 = nn.Linear(4, hidden)
        self.fc2 = nn.Linear(hidden, 2)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


model = Model(50)
loss = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)

for epoch in range(200):
    optimizer.zero_grad()
    preds = model(XTrain)
    loss_value = loss(preds, yTrain)
    loss_value.backward()
    optimizer.step()

    test_preds = model(XTest)  # expect: FIT202
    accuracy = (test_preds.argmax(dim=1) == yTest).float().mean()
    print(epoch, loss_value.item(), accuracy.item())
