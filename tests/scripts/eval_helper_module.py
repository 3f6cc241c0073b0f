"""A project's helper module: the training script imports `evaluate` from here. It loops over
the loader it is given with the model in eval mode but gradients on; no code of this file calls
it, so the finding (info) says it holds unless the callers run it under no_grad."""
import torch
import torch.nn.functional as F
from sklearn.metrics import f1_score


def evaluate(model, data_iter, device):
    model.to(device)
    model.eval()
    total_loss, preds, golds = 0.0, [], []
    for batch in data_iter:  # expect: FIT202
        feature, target = batch.text.to(device), batch.label.to(device)
        logits = model(feature)
        total_loss += F.cross_entropy(logits, target).item()
        preds += logits.argmax(1).tolist()
        golds += target.tolist()
    return total_loss / len(data_iter), f1_score(golds, preds, average="macro")
