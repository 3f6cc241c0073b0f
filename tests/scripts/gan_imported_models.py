"""A GAN whose networks come from the project's own module: the discriminator's optimizer is
stepped every iteration but only the generator's gradients are zeroed, so the discriminator's
gradients pile up batch after batch (FIT501). Two constructor calls build two sets of parameters,
and neither network is handed the other."""
import argparse

import torch
import torch.nn as nn
from torch import optim

from models import Discriminator, Generator
from data import make_loader

parser = argparse.ArgumentParser()
parser.add_argument("--nz", type=int, default=100)
parser.add_argument("--lr", type=float, default=2e-4)
opt = parser.parse_args()
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

netG = Generator(opt.nz, 64).to(device)
netD = Discriminator(64).to(device)
criterion = nn.BCEWithLogitsLoss()
optimizerD = optim.Adam(netD.parameters(), lr=opt.lr, betas=(0.5, 0.999))
optimizerG = optim.Adam(netG.parameters(), lr=opt.lr, betas=(0.5, 0.999))
loader = make_loader(batch_size=128)

for epoch in range(25):
    for real, _ in loader:
        real = real.to(device)
        b = real.size(0)
        noise = torch.randn(b, opt.nz, 1, 1, device=device)
        fake = netG(noise)
        loss_d = criterion(netD(real), torch.ones(b, device=device)) + criterion(
            netD(fake.detach()), torch.zeros(b, device=device))
        loss_d.backward()
        optimizerD.step()  # FIT501

        netG.zero_grad()
        loss_g = criterion(netD(fake), torch.ones(b, device=device))
        loss_g.backward()
        optimizerG.step()
