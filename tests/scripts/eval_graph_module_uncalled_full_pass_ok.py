"""The same utilities module with `test()` under `@torch.no_grad()`, and a helper that pictures
one image's prediction (`model(image.unsqueeze(0))`): a single item costs no more than a training
step, and its caller may want the graph: nothing to report."""
import torch


def train_epoch(model, criterion, optimizer, data):
    model.train()
    optimizer.zero_grad()
    out = model(data.x, data.edge_index)
    loss = criterion(out[data.train_mask], data.y[data.train_mask])
    loss.backward()
    optimizer.step()
    return loss.item()


@torch.no_grad()
def test(model, dataset):
    model.eval()
    out = model(dataset.x, dataset.edge_index)
    pred = out.argmax(dim=1)
    return int((pred == dataset.y).sum()) / len(dataset.y)


def test_image(model, dataset, index):
    model.eval()
    image, label = dataset[index]
    output = model(image.unsqueeze(0))
    return torch.softmax(output, dim=1), label
