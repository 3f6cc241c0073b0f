"""The same AnoGAN latent search done right, next to the neighbours a careless rule would confuse
with it: a latent code that requires grad, one switched on after it is built, an image optimized
in place (style transfer), a learnable tensor wrapped in nn.Parameter, and a dummy optimizer over
a plain tensor that only drives a learning-rate schedule being plotted (nothing back-propagates
into it, and nothing has to).
"""
import torch
import torch.nn as nn
import torch.nn.init as init
import torch.optim as optim

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

generator = nn.Sequential(nn.Linear(100, 256), nn.ReLU(), nn.Linear(256, 784), nn.Tanh()).to(device)
generator.load_state_dict(torch.load("generator.pt"))
test_images = torch.load("test_images.pt").view(-1, 784).to(device)

z = torch.randn(len(test_images), 100, device=device, requires_grad=True)
z_optimizer = optim.Adam([z], lr=1e-2)
for step in range(2000):
    z_optimizer.zero_grad()
    loss = torch.abs(test_images - generator(z)).sum()
    loss.backward()
    z_optimizer.step()

w = init.normal_(torch.zeros(len(test_images), 100).to(device), mean=0, std=0.1)
w.requires_grad_()
w_optimizer = optim.Adam([w], lr=1e-2)
for step in range(2000):
    w_optimizer.zero_grad()
    loss = torch.abs(test_images - generator(w)).sum()
    loss.backward()
    w_optimizer.step()

content = test_images[:1].clone()
image = content.clone()
image_optimizer = optim.LBFGS([image.requires_grad_()])
for step in range(20):
    def closure():
        image_optimizer.zero_grad()
        loss = torch.abs(generator(torch.randn(1, 100, device=device)) - image).sum()
        loss.backward()
        return loss
    image_optimizer.step(closure)

codes = nn.Parameter(torch.zeros(len(test_images), 100, device=device))
code_optimizer = optim.SGD([codes], lr=0.1)
for step in range(100):
    code_optimizer.zero_grad()
    loss = torch.abs(test_images - generator(codes)).sum()
    loss.backward()
    code_optimizer.step()

dummy = optim.SGD([torch.zeros(1)], lr=0.1)
schedule = optim.lr_scheduler.CosineAnnealingLR(dummy, T_max=100)
lrs = []
for epoch in range(100):
    lrs.append(schedule.get_last_lr()[0])
    dummy.step()
    schedule.step()
print(lrs[::10])
