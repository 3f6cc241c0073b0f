"""A training loop pasted from a notebook with only `import numpy as np` above it: `torch` is used
and never imported (the cell that imported it stayed behind). The names keep their conventional
meaning, so the validation loop after `model.eval()` without `torch.no_grad()` is found (FIT202)."""
import numpy as np

epochs = 20
min_valid_loss = np.inf
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
    for data, labels in validloader:  # expect: FIT202
        if torch.cuda.is_available():
            data, labels = data.cuda(), labels.cuda()
        loss = criterion(model(data), labels)
        valid_loss += loss.item() * data.size(0)
    if valid_loss < min_valid_loss:
        min_valid_loss = valid_loss
        torch.save(model.state_dict(), "saved_model.pth")
