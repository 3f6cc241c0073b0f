class BaseTrainer:
    """Holds what every trainer of the project needs; the subclasses write the loops."""

    def __init__(self, cfg, network, optimizer, loss, device, trainloader, testloader):
        self.cfg = cfg
        self.network = network
        self.optimizer = optimizer
        self.loss = loss
        self.device = device
        self.trainloader = trainloader
        self.testloader = testloader

    def train_one_epoch(self, epoch):
        raise NotImplementedError

    def validate(self, epoch):
        raise NotImplementedError
