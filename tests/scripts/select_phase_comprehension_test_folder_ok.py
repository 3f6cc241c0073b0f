"""The same tutorial shape done right: the dict comprehensions build every split from its own
folder (`ImageFolder(os.path.join(data_dir, x))` for 'train' and 'val'), and the test folder is
evaluated once, after training, through its own loader: nothing is chosen on it."""
import copy
import os

import torch
import torch.nn as nn
import torch.optim as optim
from torchvision import datasets, models, transforms

data_dir = "chest_xray"
data_transforms = {
    "train": transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(),
                                 transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]),
    "val": transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                               transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]),
}
image_datasets = {x: datasets.ImageFolder(os.path.join(data_dir, x), data_transforms[x]) for x in ["train", "val"]}
dataloaders = {x: torch.utils.data.DataLoader(image_datasets[x], batch_size=32, shuffle=(x == "train"), num_workers=4)
               for x in ["train", "val"]}
dataset_sizes = {x: len(image_datasets[x]) for x in ["train", "val"]}

model = models.resnet18(weights="IMAGENET1K_V1")
model.fc = nn.Linear(model.fc.in_features, 2)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=7, gamma=0.1)

best_model_wts = copy.deepcopy(model.state_dict())
best_acc = 0.0
for epoch in range(25):
    for phase in ["train", "val"]:
        if phase == "train":
            model.train()
        else:
            model.eval()
        running_corrects = 0
        for inputs, labels in dataloaders[phase]:
            optimizer.zero_grad()
            with torch.set_grad_enabled(phase == "train"):
                outputs = model(inputs)
                loss = criterion(outputs, labels)
                if phase == "train":
                    loss.backward()
                    optimizer.step()
            running_corrects += (outputs.argmax(1) == labels).sum().item()
        if phase == "train":
            scheduler.step()
        epoch_acc = running_corrects / dataset_sizes[phase]
        if phase == "val" and epoch_acc > best_acc:
            best_acc = epoch_acc
            best_model_wts = copy.deepcopy(model.state_dict())
model.load_state_dict(best_model_wts)

test_set = datasets.ImageFolder(os.path.join(data_dir, "test"), data_transforms["val"])
test_loader = torch.utils.data.DataLoader(test_set, batch_size=32)
model.eval()
correct = 0
with torch.no_grad():
    for inputs, labels in test_loader:
        correct += (model(inputs).argmax(1) == labels).sum().item()
print("test accuracy", correct / len(test_set))
