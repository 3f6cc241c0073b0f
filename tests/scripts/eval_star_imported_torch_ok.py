"""The twin of eval_star_imported_torch.py: the evaluation runs under `torch.no_grad()`."""
from lib import *
from model import build_vgg
from data import make_loader


def evaluate_saved(loader, path="weights/vgg16.pth"):
    net = build_vgg()
    net.load_state_dict(torch.load(path, map_location="cpu"))
    net.eval()
    criterion = nn.CrossEntropyLoss()
    total_loss, hits = 0.0, 0
    with torch.no_grad():
        for inputs, labels in tqdm(loader):
            outputs = net(inputs)
            total_loss += criterion(outputs, labels).item() * inputs.size(0)
            hits += (outputs.argmax(1) == labels).sum().item()
    print(total_loss / len(loader.dataset), hits / len(loader.dataset))


if __name__ == "__main__":
    evaluate_saved(make_loader("val"))
