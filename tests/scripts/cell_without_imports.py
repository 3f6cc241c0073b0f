# The data cell of a notebook saved as its own file: the imports live in the notebook's first
# cell, so torchvision, transforms and DataLoader are used here without being imported. They
# can only be torch's: the augmenting training transform is reused for the test set, and the
# training loader is built without shuffle.

transform = transforms.Compose(
    [transforms.Resize((256, 256)),
     transforms.RandomCrop(227),
     transforms.RandomHorizontalFlip(),
     transforms.ToTensor(),
     transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])

trainset = torchvision.datasets.CIFAR10(root='./data', train=True, download=True, transform=transform)
trainloader = DataLoader(trainset, batch_size=64, num_workers=2)  # expect: FIT101
testset = torchvision.datasets.CIFAR10(root='./data', train=False,
                                       download=True, transform=transform)  # expect: FIT402
testloader = DataLoader(testset, batch_size=256, shuffle=False, num_workers=2)

for epoch in range(10):
    net.train()
    for inputs, labels in trainloader:
        optimizer.zero_grad()
        loss = criterion(net(inputs), labels)
        loss.backward()
        optimizer.step()
