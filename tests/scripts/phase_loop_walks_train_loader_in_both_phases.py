"""A backend module's train_model() in the transfer-learning tutorial's shape, but its batch loop
walks `trainloader` in both phases: the "val" loss is the training loss."""
import copy
import time

import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def train_model(model, trainloader, criterion, optimizer, scheduler, num_epochs=25):
    since = time.time()
    best_model_wts = copy.deepcopy(model.state_dict())
    for epoch in range(num_epochs):
        for phase in ["train", "val"]:
            if phase == "train":
                model.train()
            else:
                model.eval()
            running_loss = 0.0
            for inputs, labels in trainloader:  # expect: FIT603
                inputs, labels = inputs.to(device), labels.to(device)
                optimizer.zero_grad()
                with torch.set_grad_enabled(phase == "train"):
                    outputs = model(inputs)
                    loss = criterion(outputs, labels)
                    if phase == "train":
                        loss.backward()
                        optimizer.step()
                running_loss += loss.item() * inputs.size(0)
            if phase == "train":
                scheduler.step()
            print(f"{phase} loss: {running_loss / len(trainloader.dataset):.4f}")
    print(f"done in {time.time() - since:.0f}s")
    model.load_state_dict(best_model_wts)
    return model
