"""The same trainer module with the scheduler stepped after each epoch's training, and the
handed-in objects whose `step()` at the top of an epoch is right: a KL-annealing schedule of a
VAE (`kl_scheduler`, not a learning rate), a diffusion noise scheduler stepped with its
arguments, and a scheduler that is given the epoch explicitly from 0 (the closed form).
"""
import torch
from torch.nn import functional as F


class PseudoLabelTrainer:
    def __init__(self, model, optimizer, device, scheduler=None):
        self.model = model
        self.optimizer = optimizer
        self.device = device
        self.scheduler = scheduler

    def train(self, loader):
        self.model.train()
        for x, y in loader:
            loss = F.cross_entropy(self.model(x.to(self.device)), y.to(self.device))
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()

    def loop(self, epochs, train_data):
        for epoch in range(epochs):
            self.train(train_data)
            if self.scheduler is not None:
                self.scheduler.step()


def fit_vae(vae, optimizer, kl_scheduler, loader, epochs):
    for epoch in range(epochs):
        kl_scheduler.step()
        beta = kl_scheduler.value
        vae.train()
        for x, _ in loader:
            recon, mu, logvar = vae(x)
            kld = -0.5 * torch.mean(1 + logvar - mu.pow(2) - logvar.exp())
            loss = F.binary_cross_entropy(recon, x) + beta * kld
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def fit_closed_form(model, optimizer, scheduler, loader, epochs):
    for epoch in range(epochs):
        scheduler.step(epoch)
        model.train()
        for x, y in loader:
            loss = F.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def sample(unet, noise_scheduler, shape):
    x = torch.randn(shape)
    for t in noise_scheduler.timesteps:
        with torch.no_grad():
            noise = unet(x, t)
        x = noise_scheduler.step(noise, t, x).prev_sample
    return x
