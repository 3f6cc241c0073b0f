"""Helpers of a project's module that no code of this file calls, written so nothing is left to
the callers: the evaluation loop under no_grad, and a one-pass predict() whose output a caller may
still use with gradients (a single forward, not an evaluation over data)."""
import torch
import torch.nn.functional as F


@torch.no_grad()
def evaluate(model, data_iter, device):
    model.eval()
    total_loss = 0.0
    for batch in data_iter:
        feature, target = batch.text.to(device), batch.label.to(device)
        total_loss += F.cross_entropy(model(feature), target).item()
    return total_loss / len(data_iter)


def predict(model, text_ids):
    model.eval()
    logits = model(text_ids)
    return logits.softmax(1)
