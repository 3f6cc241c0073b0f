"""The run's settings, imported by train.py."""
BATCH_SIZE = 32
EPOCHS = 30
LR = 1e-3
