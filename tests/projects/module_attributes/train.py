"""The layout of a widely copied course template: `import model.net as net`, then `net.Net(...)`."""
import argparse

import torch
import torch.optim as optim

import model.data_loader as data_loader
import model.net as net


def train(model, optimizer, loss_fn, dataloader):
    model.train()
    for train_batch, labels_batch in dataloader:
        output_batch = model(train_batch)
        loss = loss_fn(output_batch, labels_batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def evaluate(model, loss_fn, dataloader):
    losses = []
    for data_batch, labels_batch in dataloader:  # expect: FIT201 FIT202
        output_batch = model(data_batch)
        losses.append(loss_fn(output_batch, labels_batch).item())
    return sum(losses) / len(losses)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--data_dir", default="data/64x64_SIGNS")
    parser.add_argument("--batch_size", type=int, default=32)
    parser.add_argument("--dropout_rate", type=float, default=0.5)
    params = parser.parse_args()
    dataloaders = data_loader.fetch_dataloader(["train", "val"], params.data_dir, params)
    model = net.Net(params)
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    best_loss = float("inf")
    for epoch in range(10):
        train(model, optimizer, net.loss_fn, dataloaders["train"])
        val_loss = evaluate(model, net.loss_fn, dataloaders["val"])
        if val_loss < best_loss:
            best_loss = val_loss
            torch.save(model.state_dict(), "best.pth.tar")
