"""The same DenseNet-201 fine-tuning with its two parameter groups and batches of 32."""
import torch
import torch.nn as nn
import torchvision
from torchvision import datasets, transforms

batch_size = 32
learning_rate = 1e-3
tf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
trainset = datasets.ImageFolder("data/train", transform=tf)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=batch_size, shuffle=True, num_workers=2)

model = torchvision.models.densenet201(weights="IMAGENET1K_V1")
model.classifier = nn.Sequential(nn.Linear(model.classifier.in_features, 120))
new_params = list(map(id, model.classifier.parameters()))
base_params = filter(lambda p: id(p) not in new_params, model.parameters())
optimizer = torch.optim.SGD([
    {"params": base_params},
    {"params": model.classifier.parameters(), "lr": learning_rate},
], lr=learning_rate * 0.1, momentum=0.9, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
if torch.cuda.is_available():
    model = torch.nn.DataParallel(model).cuda()

for epoch in range(10):
    model.train()
    for inputs, targets in trainloader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), targets)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
