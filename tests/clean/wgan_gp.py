"""WGAN-GP: the critic trained n_critic times per generator step, a gradient penalty computed with
autograd.grad (create_graph=True), RMSprop-free Adam with betas (0, 0.9)."""
import torch
import torch.autograd as autograd
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

latent_dim, img_size, n_critic, lambda_gp = 100, 28, 5, 10
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = nn.Sequential(nn.Linear(latent_dim, 256), nn.LeakyReLU(0.2, inplace=True), nn.Linear(256, 512),
                                   nn.BatchNorm1d(512), nn.LeakyReLU(0.2, inplace=True), nn.Linear(512, img_size ** 2),
                                   nn.Tanh())

    def forward(self, z):
        return self.model(z).view(z.size(0), 1, img_size, img_size)


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = nn.Sequential(nn.Linear(img_size ** 2, 512), nn.LeakyReLU(0.2, inplace=True), nn.Linear(512, 256),
                                   nn.LeakyReLU(0.2, inplace=True), nn.Linear(256, 1))

    def forward(self, img):
        return self.model(img.view(img.size(0), -1))


def gradient_penalty(critic, real, fake):
    alpha = torch.rand(real.size(0), 1, 1, 1, device=real.device)
    interpolates = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    scores = critic(interpolates)
    gradients = autograd.grad(outputs=scores, inputs=interpolates, grad_outputs=torch.ones_like(scores),
                              create_graph=True, retain_graph=True)[0]
    return ((gradients.view(gradients.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()


generator, critic = Generator().to(device), Critic().to(device)
optimizer_G = torch.optim.Adam(generator.parameters(), lr=1e-4, betas=(0.0, 0.9))
optimizer_C = torch.optim.Adam(critic.parameters(), lr=1e-4, betas=(0.0, 0.9))
loader = DataLoader(datasets.MNIST("data", train=True, download=True, transform=transforms.Compose(
    [transforms.ToTensor(), transforms.Normalize([0.5], [0.5])])), batch_size=64, shuffle=True, drop_last=True)

for epoch in range(200):
    for i, (imgs, _) in enumerate(loader):
        real = imgs.to(device)
        optimizer_C.zero_grad()
        z = torch.randn(real.size(0), latent_dim, device=device)
        fake = generator(z).detach()
        loss_C = critic(fake).mean() - critic(real).mean() + lambda_gp * gradient_penalty(critic, real, fake)
        loss_C.backward()
        optimizer_C.step()
        if i % n_critic == 0:
            optimizer_G.zero_grad()
            loss_G = -critic(generator(torch.randn(real.size(0), latent_dim, device=device))).mean()
            loss_G.backward()
            optimizer_G.step()
            print(f"epoch {epoch} batch {i} critic {loss_C.item():.3f} generator {loss_G.item():.3f}")
