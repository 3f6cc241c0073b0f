"""A VAE course exercise: after every epoch, the first test batch is reconstructed and logged
as an image grid. One batch drawn with next() per epoch: no evaluation pass to wrap in no_grad."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.utils import save_image


class VAE(nn.Module):
    def __init__(self, latent_dim=16):
        super().__init__()
        self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(784, 400), nn.ReLU())
        self.mu = nn.Linear(400, latent_dim)
        self.log_var = nn.Linear(400, latent_dim)
        self.decoder = nn.Sequential(nn.Linear(latent_dim, 400), nn.ReLU(), nn.Linear(400, 784), nn.Sigmoid())

    def forward(self, x):
        h = self.encoder(x)
        mu, log_var = self.mu(h), self.log_var(h)
        z = mu + torch.exp(log_var / 2) * torch.randn_like(mu)
        return self.decoder(z).view(-1, 1, 28, 28), mu, log_var


def vae_loss(reconstruction, x, mu, log_var):
    bce = F.binary_cross_entropy(reconstruction, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp())
    return (bce + kld) / x.size(0)


def test_reconstruction(model, loader, device):
    examples = enumerate(loader)
    _, (images, _labels) = next(examples)
    reconstruction, _, _ = model.forward(images[:8].to(device))
    return torch.cat([images[:8].to(device), reconstruction.detach()], dim=0)


device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
to_tensor = transforms.ToTensor()
train_loader = DataLoader(datasets.MNIST("data", train=True, download=True, transform=to_tensor),
                          batch_size=128, shuffle=True)
test_loader = DataLoader(datasets.MNIST("data", train=False, download=True, transform=to_tensor),
                         batch_size=128)

model = VAE().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(20):
    model.train()
    for images, _ in train_loader:
        images = images.to(device)
        optimizer.zero_grad()
        reconstruction, mu, log_var = model(images)
        loss = vae_loss(reconstruction, images, mu, log_var)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.2f}")
    save_image(test_reconstruction(model, test_loader, device), f"reconstruction_{epoch}.png", nrow=8)
