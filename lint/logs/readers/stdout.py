"""Plain stdout training logs.

Two shapes are read:

* the seed's progress bar (kuangliu's ``progress_bar``): ``Epoch: N`` then
  ``Loss: %.3f | Acc: %.3f%% (%d/%d)`` updates for the training batches, then the same bar for
  the test batches (the held-out split); the last update of each bar is that loader's epoch
  value, and ``starts_new_bar`` tells where the second bar begins from the sample counts (a
  terminal capture joins the updates with carriage returns, a redirected one may not);
* ``key: value`` / ``key value`` pairs after an epoch marker: Keras' ``Epoch 3/10`` then
  ``- loss: 0.51 - accuracy: 0.81 - val_loss: ...``, PyTorch examples' ``Train Epoch: 1 ...
  Loss: 0.30`` and ``Test set: Average loss: 0.05, Accuracy: 9800/10000 (98%)``, and the common
  ``epoch 3 ... loss 0.51 ... acc 81.2%``. Only loss, accuracy and learning-rate keys are read; a
  split word earlier on the line (``Test set:``, ``val``) gives the split of unprefixed keys.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from fitlint.logs.names import SPLIT_WORDS, classify, tokens
from fitlint.logs.readers.base import LogReadError, Piece, RecordList, Reader as BaseReader, checked_bytes, looks_binary

NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf|infinity)"
EPOCH = re.compile(r"\bepoch\b\s*[:=#]?\s*\[?\s*(\d+)(?:\s*/\s*\d+)?", re.IGNORECASE)
SEED_EPOCH = re.compile(r"\s*Epoch:\s*(\d+)\s*$")
# kuangliu's progress_bar: "... | Loss: 0.690 | Acc: 54.861% (632/1152)  4/4" (the batch counter
# after the counts is the bar's own, optional here)
SEED_BAR = re.compile(r"Loss:\s*(" + NUMBER + r")\s*\|\s*Acc:\s*(" + NUMBER + r")%\s*\((\d+)/(\d+)\)"
                      r"(?:\s+(\d+)/(\d+))?", re.IGNORECASE)
PAIR = re.compile(r"(?P<key>[A-Za-z][A-Za-z0-9_./-]*(?:\s+(?:loss|acc|accuracy))?)\s*[:=]?\s*"
                  r"(?P<value>" + NUMBER + r")(?P<frac>\s*/\s*\d+)?(?P<pct>\s*%)?(?![\w.])", re.IGNORECASE)
SNIFF = re.compile(rb"(?i)epoch.{0,200}?(loss|acc)|(loss|acc).{0,200}?epoch", re.DOTALL)
# The bars of one epoch, in order: the seed prints training then test; a third bar is a test split
# next to a validation one.
PHASE_SPLITS = {1: ("train",), 2: ("train", "test"), 3: ("train", "validation", "test")}


def _split_words_before(line: str, end: int) -> str | None:
    for tok in reversed(tokens(line[:end])):
        if tok in SPLIT_WORDS:
            return SPLIT_WORDS[tok]
    return None


@dataclass(frozen=True)
class BarUpdate:
    """One update of the seed's progress bar: running loss and accuracy over ``total`` samples
    seen so far in this pass over a loader, and the bar's batch counter when it is printed."""

    loss: float
    accuracy: float
    total: int
    batch: int | None
    batches: int | None


def starts_new_bar(previous: list[BarUpdate], update: BarUpdate) -> bool:
    """Whether ``update`` belongs to the next loader's bar rather than to the current one.

    Within one pass the sample count grows by the batch size at every update (the first update's
    count) and only the last batch may be smaller; the batch counter, when printed, counts up to
    the number of batches. So the next bar has begun when the count does not grow, when it grows
    by more than a batch, when the current pass already took its short last batch, or when the
    batch counter starts again.
    """
    if not previous:
        return True
    last, size = previous[-1], previous[0].total
    if last.batch is not None and update.batch is not None:
        if update.batch <= last.batch or update.batches != last.batches or last.batch == last.batches:
            return True
    grown = update.total - last.total
    return grown <= 0 or grown > size or last.total % size != 0


def parse_seed(lines: list[str]) -> RecordList | None:
    """The seed's ``Epoch: N`` blocks of progress bars: the last update of each bar is its
    loader's value for the epoch (training first, then the held-out loader)."""
    found = RecordList()
    epoch: int | None = None
    bars: list[list[BarUpdate]] = []

    def flush() -> None:
        splits = PHASE_SPLITS.get(len(bars), PHASE_SPLITS[3])
        for split, bar in zip(splits, bars[:3]):
            found.add("loss", bar[-1].loss, epoch=epoch, split_hint=split)
            found.add("accuracy", bar[-1].accuracy / 100.0, epoch=epoch, split_hint=split)

    seen = False
    for line in lines:
        marker = SEED_EPOCH.match(line)
        if marker:
            if epoch is not None:
                flush()
            epoch, bars = int(marker.group(1)), []
            continue
        if epoch is None:
            continue
        for match in SEED_BAR.finditer(line):
            seen = True
            batch, batches = match.group(5), match.group(6)
            update = BarUpdate(float(match.group(1)), float(match.group(2)), int(match.group(4)),
                               int(batch) if batch else None, int(batches) if batches else None)
            if starts_new_bar(bars[-1] if bars else [], update):
                bars.append([update])
            else:
                bars[-1].append(update)
    if epoch is not None:
        flush()
    return found if seen else None


def parse_pairs(lines: list[str]) -> RecordList:
    found = RecordList()
    epoch = None
    for line in lines:
        marker = EPOCH.search(line)
        if marker:
            epoch = int(marker.group(1))
        if epoch is None:
            continue
        for match in PAIR.finditer(line):
            key = match.group("key").strip()
            if key.lower() in ("epoch", "step", "iter", "batch"):
                continue
            mapped = classify(key)
            if mapped is None or mapped[1] not in ("loss", "accuracy", "lr"):
                continue
            value = float(match.group("value"))
            if match.group("frac"):
                # "Accuracy: 9800/10000 (98%)": the fraction is the value
                total = float(match.group("frac").strip().lstrip("/"))
                value = value / total if total else math.nan
            elif match.group("pct"):
                value = value / 100.0  # "Val Acc: 1.39%" is 0.0139, whatever the other epochs say
            hint = None if any(t in SPLIT_WORDS for t in tokens(key)) else _split_words_before(line, match.start())
            found.add(key, value, epoch=epoch, split_hint=hint)
    return found


class Reader(BaseReader):
    name = "stdout"
    priority = 5

    def claims(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() not in (".log", ".out", ".txt", ".stdout") and path.name not in ("stdout", "output"):
            return False
        if looks_binary(head):
            return path.suffix.lower() in (".log", ".out")  # a binary "train.log": say so
        return bool(SNIFF.search(head))

    def read(self, files: list[Path]) -> list[Piece]:
        pieces = []
        for path in files:
            data = checked_bytes(path, None, "a text training log")
            # progress bars rewrite the line with \r: each update is its own line here
            lines = re.split(r"\r\n|\r|\n", data.decode("utf-8", "replace"))
            found = parse_seed(lines) or parse_pairs(lines)
            if not len(found):
                raise LogReadError(path, "no epoch with a loss or accuracy value found")
            recs = found.frame()
            # Keras and tqdm bars print running averages: the last value of an epoch is the epoch's.
            recs = recs.drop_duplicates(["name", "split_hint", "epoch"], keep="last")
            pieces.append(Piece(self.name, path, recs))
        return pieces
