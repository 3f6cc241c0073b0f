"""An encoder trained against a discriminator, both built by the project's own classes from a
config and a logger the training function is handed: only the encoder's optimizer is zeroed, so
the discriminator's gradients (its own loss's and the encoder's adversarial term's) pile up batch
after batch. The config and the logger are settings, not modules: the two networks share nothing."""
import torch
from torch.utils.data import DataLoader

from datasets.faces import FaceDataset
from models.encoder import Encoder
from models.discriminator import Discriminator


def training_loop(config, logger=None, max_epoch=50):
    train_loader = DataLoader(FaceDataset(config.root, train=True), batch_size=config.batch_size, shuffle=True)
    E = Encoder(config.model_name, logger, gpu_ids=config.gpu_ids)
    D = Discriminator(config.model_name, logger, gpu_ids=config.gpu_ids)
    G = config.generator
    optimizer_E = torch.optim.Adam(E.net.parameters(), lr=1e-4)
    optimizer_D = torch.optim.Adam(D.net.parameters(), lr=1e-4)
    for epoch in range(max_epoch):
        for x in train_loader:
            z = E.net(x)
            x_rec = G(z)
            loss_d = torch.nn.functional.softplus(D.net(x_rec.detach())).mean() + \
                torch.nn.functional.softplus(-D.net(x)).mean()
            loss_d.backward()
            optimizer_D.step()  # expect: FIT501

            loss_e = ((x - x_rec) ** 2).mean() + torch.nn.functional.softplus(-D.net(x_rec)).mean()
            optimizer_E.zero_grad()
            loss_e.backward()
            optimizer_E.step()
        if logger:
            logger.info(f"epoch {epoch}: d {loss_d.item():.3f} e {loss_e.item():.3f}")
