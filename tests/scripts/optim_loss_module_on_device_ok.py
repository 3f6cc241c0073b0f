"""The loss module moved to the GPU, the epoch average kept as a number: nothing to report."""
import torch
import torchvision.datasets as dsets
import torchvision.transforms as transforms

device = "cuda" if torch.cuda.is_available() else "cpu"

mnist_train = dsets.MNIST(root="MNIST_data/", train=True, transform=transforms.ToTensor(), download=True)
data_loader = torch.utils.data.DataLoader(mnist_train, batch_size=100, shuffle=True, drop_last=True)

model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 256), torch.nn.ReLU(),
                            torch.nn.Linear(256, 10)).to(device)
criterion = torch.nn.CrossEntropyLoss().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=0.001, weight_decay=1e-4)

total_batch = len(data_loader)
for epoch in range(15):
    avg_cost = 0
    for X, Y in data_loader:
        X, Y = X.to(device), Y.to(device)
        optimizer.zero_grad()
        hypothesis = model(X)
        cost = criterion(hypothesis, Y)
        cost.backward()
        optimizer.step()
        avg_cost += cost.item() / total_batch
    print(f"[Epoch {epoch + 1:>4}] cost = {float(avg_cost):.9f}")
