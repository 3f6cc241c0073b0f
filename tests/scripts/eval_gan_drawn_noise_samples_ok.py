"""An AC-GAN in the 2017 style: every 100 iterations the generator draws a grid of samples from a
fixed noise batch named `eval_noise` (and a second one named `test_z`) to save as images. The
noise is drawn at random (`torch.FloatTensor(...).normal_(0, 1)`, `torch.randn`), moved and
wrapped under the same name: it is no validation or test data, so these sample grids are not an
evaluation whatever the names say."""
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
import torchvision.datasets as dset
import torchvision.transforms as transforms
import torchvision.utils as vutils
from torch.autograd import Variable

nz, num_classes, batch_size = 110, 10, 100
dataset = dset.CIFAR10("data", download=True, transform=transforms.Compose([
    transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))]))
dataloader = torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=True)

netG = nn.Sequential(nn.ConvTranspose2d(nz, 64, 4, 1, 0), nn.BatchNorm2d(64), nn.ReLU(),
                     nn.ConvTranspose2d(64, 3, 4, 4, 0), nn.Tanh())
netD = nn.Sequential(nn.Conv2d(3, 64, 4, 2, 1), nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(64 * 8 * 8, 1),
                     nn.Sigmoid())
criterion = nn.BCELoss()
optimizerD = optim.Adam(netD.parameters(), lr=0.0002, betas=(0.5, 0.999))
optimizerG = optim.Adam(netG.parameters(), lr=0.0002, betas=(0.5, 0.999))

noise = torch.FloatTensor(batch_size, nz, 1, 1)
eval_noise = torch.FloatTensor(batch_size, nz, 1, 1).normal_(0, 1)
if torch.cuda.is_available():
    netD.cuda()
    netG.cuda()
    noise, eval_noise = noise.cuda(), eval_noise.cuda()
noise = Variable(noise)
eval_noise = Variable(eval_noise)
test_z = torch.randn(64, nz, 1, 1)
eval_label = np.random.randint(0, num_classes, batch_size)

for epoch in range(25):
    for i, (real, _) in enumerate(dataloader):
        netD.zero_grad()
        real_out = netD(real).view(-1)
        errD_real = criterion(real_out, torch.ones_like(real_out))
        errD_real.backward()
        noise.data.resize_(real.size(0), nz, 1, 1).normal_(0, 1)
        fake = netG(noise)
        fake_out = netD(fake.detach()).view(-1)
        errD_fake = criterion(fake_out, torch.zeros_like(fake_out))
        errD_fake.backward()
        optimizerD.step()

        netG.zero_grad()
        gen_out = netD(fake).view(-1)
        errG = criterion(gen_out, torch.ones_like(gen_out))
        errG.backward()
        optimizerG.step()

        if i % 100 == 0:
            print("label for eval =", eval_label)
            fake = netG(eval_noise)
            vutils.save_image(fake.data, f"fake_samples_epoch_{epoch:03d}.png", normalize=True)
            grid = netG(test_z)
            vutils.save_image(grid.data, f"grid_{epoch:03d}.png", normalize=True)
