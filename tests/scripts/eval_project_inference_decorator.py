"""The same validator decorated only with a timing wrapper (`@timed_run()`, named for no gradient
switch): its evaluation runs with gradients on (FIT202)."""
import torch
from tqdm import tqdm

from utils.torch_utils import select_device, timed_run


@timed_run()
def run(model=None, dataloader=None, criterion=None, device=""):
    device = select_device(device)
    model.eval()
    pred, targets, loss = [], [], 0
    bar = tqdm(dataloader, desc="validating")
    with torch.cuda.amp.autocast(enabled=device.type != "cpu"):
        for images, labels in bar:  # expect: FIT202
            images, labels = images.to(device, non_blocking=True), labels.to(device)
            y = model(images)
            pred.append(y.argsort(1, descending=True)[:, :5])
            targets.append(labels)
            if criterion:
                loss += criterion(y, labels)
    pred, targets = torch.cat(pred), torch.cat(targets)
    correct = (targets[:, None] == pred).float()
    top1 = correct[:, 0].mean().item()
    return top1, loss / len(dataloader)
