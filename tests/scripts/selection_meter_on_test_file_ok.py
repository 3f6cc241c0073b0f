"""The twin: the evaluation file defaults to a validation set cut from the training images
(`../data/valid_data_y.h5`); the test file is only evaluated once, after training, and the best
training loss (gathered in a meter over the training loader) chooses nothing on the test data."""
import argparse
import copy

import torch
from torch import nn
from torch.utils.data import DataLoader

from datasets import EvalDataset, TrainDataset
from models import SRCNN
from utils import AverageMeter, calc_psnr

parser = argparse.ArgumentParser()
parser.add_argument("--train-file", type=str, default="../data/train_data_y.h5")
parser.add_argument("--eval-file", type=str, default="../data/valid_data_y.h5")
parser.add_argument("--test-file", type=str, default="../data/test_data_y.h5")
parser.add_argument("--num-epochs", type=int, default=200)
args = parser.parse_args()

model = SRCNN()
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
train_loader = DataLoader(TrainDataset(args.train_file), batch_size=16, shuffle=True)
eval_loader = DataLoader(EvalDataset(args.eval_file), batch_size=1)
test_loader = DataLoader(EvalDataset(args.test_file), batch_size=1)

best_psnr = 0.0
best_loss = float("inf")
best_weights = copy.deepcopy(model.state_dict())
for epoch in range(args.num_epochs):
    model.train()
    epoch_losses = AverageMeter()
    for inputs, labels in train_loader:
        loss = criterion(model(inputs), labels)
        epoch_losses.update(loss.item(), len(inputs))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if epoch_losses.avg < best_loss:
        best_loss = epoch_losses.avg
        torch.save(model.state_dict(), "lowest_train_loss.pth")

    model.eval()
    epoch_psnr = AverageMeter()
    for inputs, labels in eval_loader:
        with torch.no_grad():
            preds = model(inputs).clamp(0.0, 1.0)
        epoch_psnr.update(calc_psnr(preds, labels), len(inputs))

    if epoch_psnr.avg > best_psnr:
        best_psnr = epoch_psnr.avg
        best_weights = copy.deepcopy(model.state_dict())

model.load_state_dict(best_weights)
test_psnr = AverageMeter()
with torch.no_grad():
    for inputs, labels in test_loader:
        test_psnr.update(calc_psnr(model(inputs).clamp(0.0, 1.0), labels), len(inputs))
print(f"test psnr {test_psnr.avg:.2f}")
