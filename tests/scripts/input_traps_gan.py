"""A DCGAN on MNIST plus a few image pipelines that are scaled correctly: nothing here may fire.

[-1, 1] inputs (Normalize((0.5,), (0.5,)) after ToTensor, or / 127.5 - 1 by hand) are what a
tanh generator needs; labels cast with .float() are not images."""
import numpy as np
import torch
import torch.nn as nn
import torchvision.transforms as transforms
from PIL import Image
from torch.utils.data import DataLoader, Dataset, TensorDataset
from torchvision import datasets

device = "cuda" if torch.cuda.is_available() else "cpu"
latent_dim = 100

transform = transforms.Compose([transforms.Resize(28), transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
mnist = datasets.MNIST("data", train=True, download=True, transform=transform)
dataloader = DataLoader(mnist, batch_size=128, shuffle=True)


class PixelFolder(Dataset):
    """Extra real images, read with PIL and scaled to [-1, 1] by hand."""

    def __init__(self, paths):
        self.paths = paths

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        pixels = np.array(Image.open(self.paths[index]).convert("L"), dtype=np.uint8)
        image = torch.from_numpy(pixels).unsqueeze(0).float()
        image = image / 127.5 - 1.0
        return image, 0


# a third source: a raw uint8 dump, scaled once for the whole array before batching
raw = np.fromfile("extra_digits.bin", dtype=np.uint8).reshape(-1, 1, 28, 28)
raw = raw.astype(np.float32) / 255.0
extra = TensorDataset(torch.from_numpy(raw), torch.zeros(len(raw)).long())


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(latent_dim, 256),
            nn.LeakyReLU(0.2),
            nn.Linear(256, 784),
            nn.Tanh(),
        )

    def forward(self, z):
        return self.net(z).view(-1, 1, 28, 28)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1), nn.Sigmoid())

    def forward(self, x):
        return self.net(x)


generator = Generator().to(device)
discriminator = Discriminator().to(device)
adversarial_loss = nn.BCELoss()
opt_g = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))

for epoch in range(50):
    for imgs, labels in dataloader:
        real = imgs.to(device)
        valid = torch.ones(imgs.size(0), 1, device=device)
        fake_target = labels.new_zeros(imgs.size(0), 1).float()
        z = torch.randn(imgs.size(0), latent_dim, device=device)

        opt_g.zero_grad()
        fake = generator(z)
        g_loss = adversarial_loss(discriminator(fake), valid)
        g_loss.backward()
        opt_g.step()

        opt_d.zero_grad()
        real_loss = adversarial_loss(discriminator(real), valid)
        fake_loss = adversarial_loss(discriminator(fake.detach()), fake_target)
        d_loss = (real_loss + fake_loss) / 2
        d_loss.backward()
        opt_d.step()
    print(f"epoch {epoch}: d {d_loss.item():.3f} g {g_loss.item():.3f}")
