"""A PyG utilities module: `train_epoch()` and `test()` are called by a notebook elsewhere. `test()`
switches the model to evaluation mode and runs it once over the whole graph with autograd on: one
pass, but over every node of the test graph, and a graph of activations for all of them (FIT202,
as info: the callers are not in view)."""
import torch


def train_epoch(model, criterion, optimizer, data):
    model.train()
    optimizer.zero_grad()
    out = model(data.x, data.edge_index)
    loss = criterion(out[data.train_mask], data.y[data.train_mask])
    loss.backward()
    optimizer.step()
    return loss.item()


def test(model, dataset):
    model.eval()
    out = model(dataset.x, dataset.edge_index)  # expect: FIT202
    pred = out.argmax(dim=1)
    return int((pred == dataset.y).sum()) / len(dataset.y)
