"""A project's model wrapper (imported by its training script): the public `test_model()` loads
checkpoints and hands each to `_test_model()`, which loops over the test loader in eval mode but
with gradients on. No code of this file calls `test_model()`, and the wrapper switches nothing, so
the private helper is entered with whatever its callers elsewhere set: the finding (info) says so."""
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
        for inputs, labels in self.dataloaders["test"]:  # expect: FIT202
            inputs, labels = inputs.to(self.device), labels.to(self.device)
            outputs = self.model(inputs)
            correct += (outputs.argmax(1) == labels).sum().item()
            total += labels.size(0)
        print(f"{self.name}: {100.0 * correct / total:.1f}%")

    def test_model(self, checkpoints=("best.pt", "last.pt")):
        test_set = datasets.ImageFolder(f"{self.data_dir}/test", transforms.ToTensor())
        self.dataloaders = {"test": torch.utils.data.DataLoader(test_set, batch_size=32)}
        for path in checkpoints:
            self._test_model(torch.load(path))
