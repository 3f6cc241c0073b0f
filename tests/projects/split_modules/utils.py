def evaluate(model, loader, device):
    correct = 0
    for images, labels in loader:  # expect: FIT201 FIT202
        images, labels = images.to(device), labels.to(device)
        correct += (model(images).argmax(1) == labels).sum().item()
    return correct / len(loader.dataset)
