"""Super-resolution (SRCNN) trained on patches of the 91-image set. The evaluation file defaults to
the test images (`--eval-file ../data/test_data_y.h5`), its PSNR is gathered in an average meter
(`epoch_psnr.update(...)` inside the loop over the evaluation loader), and the weights of the best
epoch on it are the ones saved: the checkpoint is chosen on the test data."""
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
parser.add_argument("--eval-file", type=str, default="../data/test_data_y.h5")
parser.add_argument("--num-epochs", type=int, default=200)
args = parser.parse_args()

model = SRCNN()
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
train_loader = DataLoader(TrainDataset(args.train_file), batch_size=16, shuffle=True)
eval_loader = DataLoader(EvalDataset(args.eval_file), batch_size=1)

best_psnr = 0.0
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

    model.eval()
    epoch_psnr = AverageMeter()
    for inputs, labels in eval_loader:
        with torch.no_grad():
            preds = model(inputs).clamp(0.0, 1.0)
        epoch_psnr.update(calc_psnr(preds, labels), len(inputs))

    if epoch_psnr.avg > best_psnr:  # expect: FIT601
        best_psnr = epoch_psnr.avg
        best_weights = copy.deepcopy(model.state_dict())

torch.save(best_weights, "best.pth")
