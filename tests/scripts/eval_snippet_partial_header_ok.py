"""The same pasted loop with its validation under `torch.no_grad()`, and a name the file binds
itself (`F`, a feature matrix here) that keeps its own meaning: nothing to report."""
import numpy as np

epochs = 20
min_valid_loss = np.inf
F = np.load("features.npy")
print(F.softmax if hasattr(F, "softmax") else F.shape)
for e in range(epochs):
    train_loss = 0.0
    model.train()
    for data, labels in trainloader:
        if torch.cuda.is_available():
            data, labels = data.cuda(), labels.cuda()
        optimizer.zero_grad()
        loss = criterion(model(data), labels)
        loss.backward()
        optimizer.step()
        train_loss += loss.item()

    valid_loss = 0.0
    model.eval()
    with torch.no_grad():
        for data, labels in validloader:
            if torch.cuda.is_available():
                data, labels = data.cuda(), labels.cuda()
            loss = criterion(model(data), labels)
            valid_loss += loss.item() * data.size(0)
    if valid_loss < min_valid_loss:
        min_valid_loss = valid_loss
        torch.save(model.state_dict(), "saved_model.pth")
