"""The training helpers of a regression project: a script elsewhere (not in this folder) builds the
model and hands it to train(), which never switches modes. The model the project builds (model.py
beside this file) has neither dropout nor batch-norm (`use_dropout = False` names a layer it does
not build), so training and evaluation mode compute the same thing."""
import torch
from torch.optim import Adam


def train(model, train_data, val_data, learning_rate, criterion, epochs, batch_size):
    train_loader = torch.utils.data.DataLoader(train_data, batch_size=batch_size, shuffle=True)
    val_loader = torch.utils.data.DataLoader(val_data, batch_size=batch_size)
    optimizer = Adam(model.parameters(), lr=learning_rate, weight_decay=1e-5)
    device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
    model = model.to(device)
    for epoch in range(epochs):
        total_train = 0.0
        for inputs, targets in train_loader:
            inputs, targets = inputs.to(device), targets.to(device)
            model.zero_grad()
            loss = criterion(model(inputs), targets)
            total_train += loss.item()
            loss.backward()
            optimizer.step()
        total_val = 0.0
        with torch.no_grad():
            for inputs, targets in val_loader:
                inputs, targets = inputs.to(device), targets.to(device)
                total_val += criterion(model(inputs), targets).item()
        print(f"epoch {epoch + 1}: train {total_train / len(train_data):.4f} val {total_val / len(val_data):.4f}")
