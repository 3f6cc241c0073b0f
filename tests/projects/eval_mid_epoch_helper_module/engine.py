"""The training helper of a text classifier: every 1000 steps it validates and keeps the best
weights, and training goes on without switching back to training mode. The model it is handed
(model.py) has dropout: after the first validation it trains with dropout off, on the borrowed
view of main.py (engine.py alone does not show the layers)."""
import torch
import torch.nn.functional as F


def evaluate(val_iter, model, device):
    model.eval()  # expect: FIT203
    correct, seen = 0, 0
    with torch.no_grad():
        for text, label in val_iter:
            text, label = text.to(device), label.to(device)
            correct += (model(text).argmax(1) == label).sum().item()
            seen += label.size(0)
    return correct / seen


def fit(train_iter, val_iter, model, device, epochs=10, lr=1e-3):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-5)
    best_acc, step = 0.0, 0
    model.train()
    for epoch in range(epochs):
        for text, label in train_iter:
            text, label = text.to(device), label.to(device)
            optimizer.zero_grad()
            loss = F.cross_entropy(model(text), label)
            loss.backward()
            optimizer.step()
            step += 1
            if step % 1000 == 0:
                acc = evaluate(val_iter, model, device)
                if acc > best_acc:
                    best_acc = acc
                    torch.save(model.state_dict(), "best.pt")
    return best_acc
