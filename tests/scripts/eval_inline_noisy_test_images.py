"""A denoising autoencoder on MNIST whose test inputs are the test images with noise added
(`x_test_noisy = x_test + 0.3 * torch.randn_like(x_test)`): a name about noise, but made from the
test images. Every 200 steps the training loop reconstructs the whole noisy test set inline,
outside `torch.no_grad()`, after switching the model to eval mode: an evaluation on test data
with gradients on (the twin eval_gan_drawn_noise_samples_ok.py holds noise drawn from nothing)."""
import torch
import torch.nn as nn
from torchvision import datasets

train = datasets.MNIST("data", train=True, download=True)
test = datasets.MNIST("data", train=False, download=True)
x_train = train.data.float().div(255).view(-1, 784)
x_test = test.data.float().div(255).view(-1, 784)
x_test_noisy = (x_test + 0.3 * torch.randn_like(x_test)).clamp(0, 1)

model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.1), nn.Linear(128, 784), nn.Sigmoid())
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.MSELoss()

step = 0
for epoch in range(10):
    perm = torch.randperm(len(x_train))
    for i in range(0, len(x_train), 128):
        model.train()
        clean = x_train[perm[i:i + 128]]
        noisy = (clean + 0.3 * torch.randn_like(clean)).clamp(0, 1)
        optimizer.zero_grad()
        loss = criterion(model(noisy), clean)
        loss.backward()
        optimizer.step()
        step += 1
        if step % 200 == 0:
            model.eval()
            recon = model(x_test_noisy)  # expect: FIT202
            print(step, loss.item(), criterion(recon, x_test).item())
