"""The words of an identifier or a logged name, the one splitter the analysis and the log reader share.

``evaluateModel`` -> ['evaluate', 'model']; ``HTTPServer`` -> ['http', 'server']; ``X_train_ts`` ->
['x', 'train', 'ts']; ``val/top1_acc`` -> ['val', 'top1', 'acc']. Digits stay with the letters before
them (``top1``, ``acc5``: metric names in logs) unless ``digits=False`` drops them (``conv1`` ->
['conv']: the analysis compares words with vocabularies of plain words).
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"[0-9]+")


def words(name: str | None, digits: bool = True) -> list[str]:
    """The lower-case words of ``name``, in order."""
    if not name:
        return []
    text = _BOUNDARY.sub("_", name.strip()).lower()
    if not digits:
        text = _DIGITS.sub("_", text)
    return [word for word in _SEPARATORS.split(text) if word]
