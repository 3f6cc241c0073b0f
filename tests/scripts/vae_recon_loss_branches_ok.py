"""Beta-VAE's reconstruction loss: with a Bernoulli decoder the raw logits go to
`binary_cross_entropy_with_logits`; only the Gaussian branch, later and exclusive, squashes them
with a sigmoid for `mse_loss`. No output is squashed twice."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def reconstruction_loss(x, x_recon, distribution):
    batch_size = x.size(0)
    if distribution == "bernoulli":
        recon_loss = F.binary_cross_entropy_with_logits(x_recon, x, reduction="sum").div(batch_size)
    elif distribution == "gaussian":
        x_recon = torch.sigmoid(x_recon)
        recon_loss = F.mse_loss(x_recon, x, reduction="sum").div(batch_size)
    else:
        recon_loss = None
    return recon_loss


def kl_divergence(mu, logvar):
    return (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp())).sum(1).mean()


class BetaVAE(nn.Module):
    def __init__(self, z_dim=10):
        super().__init__()
        self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(64 * 64, 256), nn.ReLU(), nn.Linear(256, 2 * z_dim))
        self.decoder = nn.Sequential(nn.Linear(z_dim, 256), nn.ReLU(), nn.Linear(256, 64 * 64))
        self.z_dim = z_dim

    def forward(self, x):
        stats = self.encoder(x)
        mu, logvar = stats[:, :self.z_dim], stats[:, self.z_dim:]
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
        return self.decoder(z).view_as(x), mu, logvar


def train(loader, distribution="bernoulli", beta=4.0, epochs=50):
    model = BetaVAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(epochs):
        for x in loader:
            x_recon, mu, logvar = model(x)
            loss = reconstruction_loss(x, x_recon, distribution) + beta * kl_divergence(mu, logvar)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model
