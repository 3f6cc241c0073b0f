"""The fine-tuning tutorial's builder in its own order: `initialize_model` freezes the pretrained
model, then replaces the head, which is trainable: the optimizer over the returned model trains
the head."""
import torch.nn as nn
import torch.optim as optim
from torchvision import models


def set_parameter_requires_grad(model, feature_extracting):
    if feature_extracting:
        for param in model.parameters():
            param.requires_grad = False


def initialize_model(num_classes, feature_extract, use_pretrained=True):
    model_ft = models.resnet50(pretrained=use_pretrained)
    num_ftrs = model_ft.fc.in_features
    set_parameter_requires_grad(model_ft, feature_extract)
    model_ft.fc = nn.Sequential(nn.Dropout(0.5), nn.Linear(num_ftrs, num_classes))
    return model_ft, 224


def train_model(model, dataloader, criterion, optimizer, num_epochs=25):
    for epoch in range(num_epochs):
        model.train()
        for inputs, labels in dataloader:
            optimizer.zero_grad()
            loss = criterion(model(inputs), labels)
            loss.backward()
            optimizer.step()
    return model


def main(dataloader, num_classes=2, feature_extract=True):
    model_ft, input_size = initialize_model(num_classes, feature_extract)
    optimizer_ft = optim.SGD(model_ft.parameters(), lr=0.001, momentum=0.9, weight_decay=1e-4)
    train_model(model_ft, dataloader, nn.CrossEntropyLoss(), optimizer_ft)
