"""A course-style MNIST script: the evaluation helper is called `test` and its running list
`test_correct`, and here the loader it is handed really is the test set, so the best checkpoint is
chosen on the test split."""
import torch
from torch import nn, optim
from torch.utils.data import DataLoader
from torchvision.datasets import MNIST
from torchvision.transforms import ToTensor

training_data = MNIST("assets", train=True, transform=ToTensor())
test_data = MNIST("assets", train=False, transform=ToTensor())


def train(dataloader, model, loss_fn, optimizer):
    model.train()
    for X, y in dataloader:
        loss = loss_fn(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def test(dataloader, model, loss_fn):
    model.eval()
    test_loss, test_correct = [], []
    with torch.no_grad():
        for X, y in dataloader:
            pred = model(X)
            test_loss.append(loss_fn(pred, y).item())
            test_correct.extend((pred.argmax(dim=1) == y).type(torch.float).tolist())
    return sum(test_loss) / len(test_loss), sum(test_correct) / len(test_correct)


def evaluate_model(epochs=30):
    model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 10))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    train_dataloader = DataLoader(training_data, batch_size=32, shuffle=True)
    test_dataloader = DataLoader(test_data, batch_size=32)
    best_acc = None
    for epoch in range(epochs):
        train(train_dataloader, model, loss_fn, optimizer)
        test_loss, test_acc = test(test_dataloader, model, loss_fn)
        if best_acc is None or test_acc > best_acc:  # FIT601
            best_acc = test_acc
            torch.save(model.state_dict(), "best.pt")


if __name__ == "__main__":
    evaluate_model()
