"""A pseudo-labelling loop: after the warm-up, `make_pseudo_labels()` switches the model to
evaluation mode to label the unlabeled images, and the training helper called next in the same
epoch never switches it back, so training runs with dropout and batch-norm frozen (FIT203)."""
import torch
import torch.nn.functional as F
from torch.utils.data import ConcatDataset, DataLoader, TensorDataset
from torchvision.models import resnet18

device = "cuda" if torch.cuda.is_available() else "cpu"
EPOCHS, WARMUP_EPOCHS, THRESH = 60, 10, 0.95


def make_pseudo_labels(model, loader, thresh):
    model.eval()  # expect: FIT203
    images, labels = [], []
    with torch.no_grad():
        for x, _ in loader:
            conf, pred = F.softmax(model(x.to(device)), dim=1).max(1)
            keep = conf >= thresh
            images.append(x[keep.cpu()])
            labels.append(pred[keep].cpu())
    return TensorDataset(torch.cat(images), torch.cat(labels))


def train_epoch(model, loader, optimizer):
    running = 0.0
    for x, y in loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x.to(device)), y.to(device))
        loss.backward()
        optimizer.step()
        running += loss.item()
    return running / len(loader)


def evaluate(model, loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x.to(device)).argmax(1).cpu() == y).sum().item()
    model.train()
    return correct / len(loader.dataset)


def main(labeled_set, unlabeled_set, val_set):
    model = resnet18(num_classes=10).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, weight_decay=5e-4)
    unlabeled_loader = DataLoader(unlabeled_set, batch_size=512)
    val_loader = DataLoader(val_set, batch_size=512)
    model.train()
    for epoch in range(EPOCHS):
        train_data = labeled_set
        if epoch >= WARMUP_EPOCHS:
            train_data = ConcatDataset([labeled_set, make_pseudo_labels(model, unlabeled_loader, THRESH)])
        train_loader = DataLoader(train_data, batch_size=64, shuffle=True, drop_last=True)
        loss = train_epoch(model, train_loader, optimizer)
        print(f"epoch {epoch}: loss {loss:.4f} val acc {evaluate(model, val_loader):.4f}")
