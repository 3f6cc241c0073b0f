"""The helper of selection_test_named_parameter.py choosing on the validation loader it is given."""
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


def evaluate(model, val_loader, criterion, device):
    model.eval()
    running_loss, correct, total = 0.0, 0, 0
    with torch.no_grad():
        for inputs, targets in val_loader:
            inputs, targets = inputs.to(device), targets.to(device)
            outputs = model(inputs)
            running_loss += criterion(outputs, targets).item()
            correct += outputs.argmax(1).eq(targets).sum().item()
            total += targets.size(0)
    return running_loss / len(val_loader), 100.0 * correct / total


def train_model(model, train_loader, val_loader, criterion, optimizer, device, num_epochs, save_dir):
    best_acc = 0
    for epoch in range(num_epochs):
        train_one_epoch(model, train_loader, criterion, optimizer, device)
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        print(f"epoch {epoch}: test loss {val_loss:.3f} acc {val_acc:.2f}")
        if val_acc > best_acc:
            best_acc = val_acc
            torch.save({"epoch": epoch, "model_state_dict": model.state_dict()}, f"{save_dir}/best_model.pth")
    return best_acc


def main():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    data_module = CIFARDataModule(batch_size=128)
    train_loader = data_module.train_dataloader()
    val_loader = data_module.test_dataloader()
    model = ResNet18().to(device)
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    best = train_model(model, train_loader, val_loader, nn.CrossEntropyLoss(), optimizer, device, 100, "checkpoints")
    print(f"best validation accuracy {best:.2f}")


if __name__ == "__main__":
    main()
