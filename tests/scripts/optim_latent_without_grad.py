"""Anomaly scoring with a trained GAN (AnoGAN): search the latent code that best rebuilds each
test image, then score the image by how far the rebuild stays from it.

The latent batch is created as a plain tensor (``torch.zeros`` filled in place by
``init.normal_``) without ``requires_grad=True``, so ``backward()`` gives it no gradient and the
optimizer built over it skips it on every step: the search never moves, the printed loss is the
same at every step and every score is the one of a random code.
"""
import torch
import torch.nn as nn
import torch.nn.init as init

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

generator = nn.Sequential(nn.Linear(100, 256), nn.ReLU(), nn.Linear(256, 784), nn.Tanh()).to(device)
generator.load_state_dict(torch.load("generator.pt"))
test_images = torch.load("test_images.pt").view(-1, 784).to(device)

# a look at a few samples first: the name is reused below for the code being searched
for i in range(4):
    z = torch.randn(16, 100, device=device)
    print(generator(z).view(-1, 28, 28).shape)

z = init.normal_(torch.zeros(len(test_images), 100).to(device), mean=0, std=0.1)
z_optimizer = torch.optim.Adam([z], lr=1e-2)  # FIT503

for step in range(2000):
    z_optimizer.zero_grad()
    rebuilt = generator(z)
    loss = torch.abs(test_images - rebuilt).sum()
    loss.backward()
    z_optimizer.step()
    if step % 500 == 0:
        print(step, loss.item())

with torch.no_grad():
    scores = torch.abs(test_images - generator(z)).sum(dim=1)
print(scores[:10])
