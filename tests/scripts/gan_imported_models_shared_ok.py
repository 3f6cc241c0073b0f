"""Networks from the project's module built around one backbone that a factory returns: zeroing
the generator's gradients may clear the discriminator's shared part too, so nothing is reported
(the analysis cannot see what `make_backbone` returns)."""
import torch
from torch import optim

from models import Discriminator, Generator, make_backbone


def train(cfg, loader):
    backbone = make_backbone(cfg)
    netG = Generator(backbone)
    netD = Discriminator(backbone)
    opt_g = optim.Adam(netG.parameters(), lr=2e-4)
    opt_d = optim.Adam(netD.parameters(), lr=2e-4)
    for real in loader:
        opt_g.zero_grad()
        loss_d = -netD(real).mean() + netD(netG(torch.randn(len(real), 128)).detach()).mean()
        loss_d.backward()
        opt_d.step()
        loss_g = -netD(netG(torch.randn(len(real), 128))).mean()
        loss_g.backward()
        opt_g.step()
