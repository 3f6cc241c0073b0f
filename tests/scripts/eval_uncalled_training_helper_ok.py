"""Training helpers no code of the file calls, written correctly: the validation pass under no_grad
(with and without eval mode, the model unknown), and a GAN helper whose end-of-epoch samples are
not held-out data."""
import torch


def fit(model, train_loader, val_loader, optimizer, criterion, epochs=10):
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            correct = 0
            for x, y in val_loader:
                correct += (model(x).argmax(1) == y).sum().item()
        print(epoch, correct / len(val_loader.dataset))


def fit_no_eval(model, train_loader, val_loader, optimizer, criterion, epochs=10):
    for epoch in range(epochs):
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            val_loss = sum(criterion(model(x), y).item() for x, y in val_loader)
        print(epoch, val_loss)


def train_gan(generator, discriminator, loader, opt_g, opt_d, fixed_noise, epochs=5):
    for epoch in range(epochs):
        for real, _ in loader:
            noise = torch.randn(real.size(0), 100)
            fake = generator(noise)
            opt_d.zero_grad()
            d_loss = -(torch.log(discriminator(real)) + torch.log(1 - discriminator(fake.detach()))).mean()
            d_loss.backward()
            opt_d.step()
            opt_g.zero_grad()
            g_loss = -torch.log(discriminator(fake)).mean()
            g_loss.backward()
            opt_g.step()
        samples = generator(fixed_noise)
        print(samples.shape)
