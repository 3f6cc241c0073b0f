"""A training helper that takes the test loader under its own name and keeps the checkpoint with
the best test accuracy: the choice is made inside the helper, where the finding points."""
import torch
import torch.nn as nn
import torch.optim as optim

from datamodule import CIFARDataModule
from models import ResNet18


def train_one_epoch(model, loader, criterion, optimizer, device):
    model.train()
    for inputs, targets in loader:
        inputs, targets = inputs.to(device), targets.to(device)
        optimizer.zero_grad()
        loss = criterion(model(inputs), targets)
        loss.backward()
        optimizer.step()


def evaluate(model, test_loader, criterion, device):
    model.eval()
    running_loss, correct, total = 0.0, 0, 0
    with torch.no_grad():
        for inputs, targets in test_loader:
            inputs, targets = inputs.to(device), targets.to(device)
            outputs = model(inputs)
            running_loss += criterion(outputs, targets).item()
            correct += outputs.argmax(1).eq(targets).sum().item()
            total += targets.size(0)
    return running_loss / len(test_loader), 100.0 * correct / total


def train_model(model, train_loader, test_loader, criterion, optimizer, device, num_epochs, save_dir):
    best_acc = 0
    for epoch in range(num_epochs):
        train_one_epoch(model, train_loader, criterion, optimizer, device)
        test_loss, test_acc = evaluate(model, test_loader, criterion, device)
        print(f"epoch {epoch}: test loss {test_loss:.3f} acc {test_acc:.2f}")
        if test_acc > best_acc:  # expect: FIT601
            best_acc = test_acc
            torch.save({"epoch": epoch, "model_state_dict": model.state_dict()}, f"{save_dir}/best_model.pth")
    return best_acc


def main():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    data_module = CIFARDataModule(batch_size=128)
    train_loader = data_module.train_dataloader()
    test_loader = data_module.test_dataloader()
    model = ResNet18().to(device)
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    best = train_model(model, train_loader, test_loader, nn.CrossEntropyLoss(), optimizer, device, 100, "checkpoints")
    print(f"best test accuracy {best:.2f}")


if __name__ == "__main__":
    main()
