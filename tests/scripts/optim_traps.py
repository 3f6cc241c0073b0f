"""Correct optimization code that a naive linter would flag: every block here must stay silent.

Gradient accumulation, a GAN that zeroes through the networks, a reset_grad() helper, an LBFGS
closure, multi-term losses summed before backward(), evaluation totals under no_grad, fine-tuning
that freezes the backbone and replaces the head, distillation with a frozen teacher, GroupNorm
with small batches, small validation batches, and learning rates that are normal for their
optimizer (Adadelta and LBFGS default to 1.0).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset
from torchvision import models

device = "cuda" if torch.cuda.is_available() else "cpu"
x_train, x_val = torch.randn(3584, 3, 32, 32), torch.randn(512, 3, 32, 32)
y_train, y_val = torch.randint(0, 10, (3584,)), torch.randint(0, 10, (512,))
train_set = TensorDataset(x_train, y_train)
val_set = TensorDataset(x_val, y_val)
train_loader = DataLoader(train_set, batch_size=64, shuffle=True, drop_last=True)
val_loader = DataLoader(val_set, batch_size=8, shuffle=False)


class SmallNet(nn.Module):
    def __init__(self, norm="batch"):
        super().__init__()
        self.conv = nn.Conv2d(3, 32, 3, padding=1)
        self.norm = nn.BatchNorm2d(32)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        return self.fc(F.relu(self.norm(self.conv(x))).mean((2, 3)))


class GroupNormNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 32, 3, padding=1)
        self.norm = nn.GroupNorm(8, 32)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        return self.fc(F.relu(self.norm(self.conv(x))).mean((2, 3)))


def evaluate(model, loader):
    model.eval()
    val_loss, correct = 0, 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            out = model(x)
            val_loss += F.cross_entropy(out, y, reduction="sum")
            correct += (out.argmax(1) == y).sum()
    model.train()
    return val_loss.item() / len(loader.dataset), correct.item() / len(loader.dataset)


def train_with_accumulation(epochs=5, accum_steps=4):
    model = SmallNet().to(device)
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    model.train()
    optimizer.zero_grad()
    for epoch in range(epochs):
        running = 0.0
        for i, (x, y) in enumerate(train_loader):
            x, y = x.to(device), y.to(device)
            loss = F.cross_entropy(model(x), y) / accum_steps
            loss.backward()
            running += loss.item()
            if (i + 1) % accum_steps == 0:
                optimizer.step()
                optimizer.zero_grad()
        print(epoch, running, evaluate(model, val_loader))


def train_small_batches_groupnorm(epochs=5):
    model = GroupNormNet().to(device)
    loader = DataLoader(train_set, batch_size=8, shuffle=True)
    optimizer = optim.Adadelta(model.parameters(), lr=1.0)
    model.train()
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad(set_to_none=True)
            F.cross_entropy(model(x.to(device)), y.to(device)).backward()
            optimizer.step()
        print(epoch, evaluate(model, val_loader))


class Generator(nn.Module):
    def __init__(self, nz=64):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(nz, 256), nn.ReLU(), nn.Linear(256, 3 * 32 * 32), nn.Tanh())

    def forward(self, z):
        return self.net(z).view(-1, 3, 32, 32)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1))

    def forward(self, x):
        return self.net(x)


def train_gan(epochs=5, nz=64):
    netG, netD = Generator(nz).to(device), Discriminator().to(device)
    optimizerD = optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optimizerG = optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))
    criterion = nn.BCEWithLogitsLoss()
    d_losses, g_losses = [], []
    for epoch in range(epochs):
        for real, _ in train_loader:
            real = real.to(device)
            ones = torch.ones(real.size(0), 1, device=device)
            zeros = torch.zeros(real.size(0), 1, device=device)
            netD.zero_grad()
            fake = netG(torch.randn(real.size(0), nz, device=device))
            errD = criterion(netD(real), ones) + criterion(netD(fake.detach()), zeros)
            errD.backward()
            optimizerD.step()
            netG.zero_grad()
            errG = criterion(netD(fake), ones)
            errG.backward()
            optimizerG.step()
            d_losses.append(errD.item())
            g_losses.append(errG.item())


def train_with_reset_helper(epochs=3):
    encoder, decoder = SmallNet().to(device), nn.Linear(10, 10).to(device)
    enc_opt = optim.Adam(encoder.parameters(), lr=1e-3)
    dec_opt = optim.Adam(decoder.parameters(), lr=1e-3)

    def reset_grad():
        enc_opt.zero_grad()
        dec_opt.zero_grad()

    for epoch in range(epochs):
        for x, y in train_loader:
            x, y = x.to(device), y.to(device)
            loss = F.cross_entropy(decoder(encoder(x)), y)
            reset_grad()
            loss.backward()
            enc_opt.step()
            dec_opt.step()


def train_lbfgs(steps=20):
    model = nn.Linear(3 * 32 * 32, 10).to(device)
    optimizer = optim.LBFGS(model.parameters(), lr=1, history_size=10, max_iter=4)
    x, y = x_train[:512].flatten(1).to(device), y_train[:512].to(device)
    for step in range(steps):
        def closure():
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            return loss
        optimizer.step(closure)


def train_sequence_model(epochs=3, steps=8):
    rnn = nn.GRU(32, 64, batch_first=True).to(device)
    head = nn.Linear(64, 10).to(device)
    params = list(rnn.parameters()) + list(head.parameters())
    optimizer = optim.RMSprop(params, lr=1e-3)
    seqs = torch.randn(256, steps, 32)
    targets = torch.randint(0, 10, (256, steps))
    seq_loader = DataLoader(TensorDataset(seqs, targets), batch_size=32, shuffle=True)
    for epoch in range(epochs):
        epoch_loss = 0.0
        for x, y in seq_loader:
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad()
            out, _ = rnn(x)
            logits = head(out)
            loss = 0
            for t in range(steps):
                loss += F.cross_entropy(logits[:, t], y[:, t])
            loss.backward()
            optimizer.step()
            epoch_loss += loss.detach()
        print(epoch, float(epoch_loss))


def finetune_new_head(epochs=3):
    model = models.resnet18(weights="IMAGENET1K_V1")
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, 10)
    model = model.to(device)
    optimizer = optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=0.01, momentum=0.9)
    model.train()
    for epoch in range(epochs):
        for x, y in train_loader:
            optimizer.zero_grad()
            F.cross_entropy(model(x.to(device)), y.to(device)).backward()
            optimizer.step()
        print(epoch, evaluate(model, val_loader))


def distill(epochs=3, temperature=4.0):
    teacher = models.resnet50(weights="IMAGENET1K_V2").to(device).eval()
    teacher.requires_grad_(False)
    student = SmallNet().to(device)
    optimizer = optim.AdamW(student.parameters(), lr=3e-4, weight_decay=0.05)
    student.train()
    for epoch in range(epochs):
        total = 0.0
        for x, y in train_loader:
            x, y = x.to(device), y.to(device)
            with torch.no_grad():
                soft = F.softmax(teacher(x)[:, :10] / temperature, dim=1)
            logits = student(x)
            loss = F.kl_div(F.log_softmax(logits / temperature, dim=1), soft, reduction="batchmean")
            loss = loss + F.cross_entropy(logits, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
        print(epoch, total, evaluate(student, val_loader))


if __name__ == "__main__":
    train_with_accumulation()
    train_small_batches_groupnorm()
    train_gan()
    train_with_reset_helper()
    train_lbfgs()
    train_sequence_model()
    finetune_new_head()
    distill()
