"""The twin of select_helper_result_on_test.py, as a university assignment wrote it: the helper is
still called `test` and counts into `test_correct`, but the call that the checkpoint depends on
hands it the validation half of a random_split of the training set. The helper's own names
describe every caller; the split is the one the call passes."""
import torch
from torch import nn, optim
from torch.utils.data import DataLoader
from torchvision.datasets import MNIST
from torchvision.transforms import ToTensor

training_data = MNIST("assets", train=True, transform=ToTensor())
training_data, validation_data = torch.utils.data.random_split(training_data, (48000, 12000))
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
    validate_dataloader = DataLoader(validation_data, batch_size=32)
    test_dataloader = DataLoader(test_data, batch_size=32)
    best_acc = None
    for epoch in range(epochs):
        train(train_dataloader, model, loss_fn, optimizer)
        val_loss, val_acc = test(validate_dataloader, model, loss_fn)
        if best_acc is None or val_acc > best_acc:
            best_acc = val_acc
            torch.save(model.state_dict(), "best.pt")
    model.load_state_dict(torch.load("best.pt"))
    test_loss, test_acc = test(test_dataloader, model, loss_fn)
    print(f"test accuracy {test_acc:.3f}")


if __name__ == "__main__":
    evaluate_model()
