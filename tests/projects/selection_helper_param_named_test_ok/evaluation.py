"""The evaluation step of a small classification template: its parameter is called `test`, but
what it holds is whatever the training script hands it."""
import torch


def test(model, test, loss_fn, best_loss, path):
    model.eval()
    total_loss = 0.0
    with torch.no_grad():
        for x, y in test:
            total_loss += loss_fn(model(x), y).item()
    curr_loss = total_loss / len(test)
    if best_loss is None or curr_loss < best_loss:
        torch.save(model.state_dict(), path)
        best_loss = curr_loss
    return best_loss, curr_loss
