"""A book's utils module: one training helper, called from other files only, that trains on
train_data and measures valid_data every epoch. It switches the network to eval mode but never
turns gradients off: the validation pass records a graph for every batch. No caller can have
wrapped it in no_grad, since the same function calls backward()."""
from datetime import datetime

import torch


def get_acc(output, label):
    total = output.shape[0]
    _, pred_label = output.max(1)
    num_correct = (pred_label == label).sum().item()
    return num_correct / total


def train(net, train_data, valid_data, num_epochs, optimizer, criterion):
    if torch.cuda.is_available():
        net = net.cuda()
    prev_time = datetime.now()
    for epoch in range(num_epochs):
        train_loss = 0
        train_acc = 0
        net = net.train()
        for im, label in train_data:
            if torch.cuda.is_available():
                im, label = im.cuda(), label.cuda()
            output = net(im)
            loss = criterion(output, label)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            train_loss += loss.item()
            train_acc += get_acc(output, label)
        if valid_data is not None:
            valid_loss = 0
            valid_acc = 0
            net = net.eval()
            for im, label in valid_data:  # expect: FIT202
                if torch.cuda.is_available():
                    im, label = im.cuda(), label.cuda()
                output = net(im)
                loss = criterion(output, label)
                valid_loss += loss.item()
                valid_acc += get_acc(output, label)
            print(f"Epoch {epoch}. Train Loss: {train_loss / len(train_data):f}, "
                  f"Valid Loss: {valid_loss / len(valid_data):f}, Valid Acc: {valid_acc / len(valid_data):f}")
        else:
            print(f"Epoch {epoch}. Train Loss: {train_loss / len(train_data):f}")
        print(datetime.now() - prev_time)
