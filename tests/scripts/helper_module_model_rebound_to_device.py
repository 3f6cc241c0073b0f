"""A training helper module (`engine.py`): `fit()` is handed the model by a script elsewhere and
rebinds it to the device (`model = model.to(device)`); it switches to training mode each epoch and
validates without switching back, so validation runs with dropout and batch-norm in training mode."""
import torch
import torch.nn.functional as F


def fit(model, train_loader, val_loader, optimizer, device, epochs):
    model = model.to(device)
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            F.cross_entropy(model(x.to(device)), y.to(device)).backward()
            optimizer.step()
        losses = []
        with torch.no_grad():
            for x, y in val_loader:  # expect: FIT201
                losses.append(F.cross_entropy(model(x.to(device)), y.to(device)).item())
        print(f"epoch {epoch}: validation loss {sum(losses) / len(losses):.4f}")
    return model
