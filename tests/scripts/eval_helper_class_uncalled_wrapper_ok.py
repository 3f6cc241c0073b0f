"""The same wrapper with the evaluation run under no_grad by the wrapper itself: whatever its
callers elsewhere do, the private helper is entered with gradients off. Nothing to report."""
import torch
import torch.nn as nn
from torchvision import datasets, models, transforms


class Classifier:
    def __init__(self, data_dir, name):
        self.data_dir = data_dir
        self.name = name
        self.model = models.resnet18(num_classes=2)
        self.model.fc = nn.Linear(self.model.fc.in_features, 2)
        self.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

    def _test_model(self, weights):
        self.model.load_state_dict(weights)
        self.model.eval()
        correct = total = 0
        for inputs, labels in self.dataloaders["test"]:
            inputs, labels = inputs.to(self.device), labels.to(self.device)
            outputs = self.model(inputs)
            correct += (outputs.argmax(1) == labels).sum().item()
            total += labels.size(0)
        print(f"{self.name}: {100.0 * correct / total:.1f}%")

    def test_model(self, checkpoints=("best.pt", "last.pt")):
        test_set = datasets.ImageFolder(f"{self.data_dir}/test", transforms.ToTensor())
        self.dataloaders = {"test": torch.utils.data.DataLoader(test_set, batch_size=32)}
        for path in checkpoints:
            with torch.no_grad():
                self._test_model(torch.load(path))
