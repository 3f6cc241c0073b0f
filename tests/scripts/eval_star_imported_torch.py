"""predict.py of an ants / bees / wasps VGG-16 project. Every import comes from the project's
lib.py (`from lib import *` gathers torch, nn, tqdm, ...), so `torch` is never imported here: the
names are torch's all the same, and the evaluation of the saved weights on the validation folder
builds the autograd graph for every batch."""
from lib import *
from model import build_vgg
from data import make_loader


def evaluate_saved(loader, path="weights/vgg16.pth"):
    net = build_vgg()
    net.load_state_dict(torch.load(path, map_location="cpu"))
    net.eval()
    criterion = nn.CrossEntropyLoss()
    total_loss, hits = 0.0, 0
    for inputs, labels in tqdm(loader):  # expect: FIT202
        outputs = net(inputs)
        total_loss += criterion(outputs, labels).item() * inputs.size(0)
        hits += (outputs.argmax(1) == labels).sum().item()
    print(total_loss / len(loader.dataset), hits / len(loader.dataset))


if __name__ == "__main__":
    evaluate_saved(make_loader("val"))
