from torchvision.models import resnet18


def build_model(classes):
    return resnet18(num_classes=classes)
