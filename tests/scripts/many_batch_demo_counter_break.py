"""The same walkthrough pushing 200 training batches through the model with gradients on, only to
print their shapes."""
import torch
import torch.nn as nn
import torch.optim as optim
from torchvision import datasets, models, transforms

data_transforms = transforms.Compose([transforms.RandomResizedCrop(224), transforms.ToTensor()])
image_dataset = datasets.ImageFolder("data/hymenoptera/train", data_transforms)
loader = torch.utils.data.DataLoader(image_dataset, batch_size=16, shuffle=True)

model_conv = models.resnet18(weights="IMAGENET1K_V1")
for param in model_conv.parameters():
    param.requires_grad = False
model_conv.fc = nn.Linear(model_conv.fc.in_features, 2)

iteration = 0
for inputs, labels in loader:  # expect: FIT202
    if iteration == 200:
        break
    print("input batch", inputs.shape)
    output = model_conv(inputs)
    print("output", output.shape)
    iteration += 1

optimizer = optim.SGD(model_conv.fc.parameters(), lr=0.001, momentum=0.9)
criterion = nn.CrossEntropyLoss()
for epoch in range(5):
    model_conv.train()
    for inputs, labels in loader:
        optimizer.zero_grad()
        criterion(model_conv(inputs), labels).backward()
        optimizer.step()
