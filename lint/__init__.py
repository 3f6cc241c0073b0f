"""fitlint: find the training mistakes that keep validation accuracy at chance."""

__version__ = "0.1.0"
