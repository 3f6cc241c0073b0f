"""gan_models_from_config.py where a config may carry a module: the discriminator is built around
`config.backbone`, which may be the encoder's network, so zeroing the encoder's optimizer may zero
the discriminator's gradients too: silence over a guess."""
import torch
from torch.utils.data import DataLoader

from datasets.faces import FaceDataset
from models.encoder import Encoder
from models.discriminator import Discriminator


def training_loop(config, logger=None, max_epoch=50):
    train_loader = DataLoader(FaceDataset(config.root, train=True), batch_size=config.batch_size, shuffle=True)
    E = Encoder(config.model_name, logger, gpu_ids=config.gpu_ids)
    D = Discriminator(config.backbone, logger, gpu_ids=config.gpu_ids)
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
            optimizer_D.step()

            loss_e = ((x - x_rec) ** 2).mean() + torch.nn.functional.softplus(-D.net(x_rec)).mean()
            optimizer_E.zero_grad()
            loss_e.backward()
            optimizer_E.step()
        if logger:
            logger.info(f"epoch {epoch}: d {loss_d.item():.3f} e {loss_e.item():.3f}")
