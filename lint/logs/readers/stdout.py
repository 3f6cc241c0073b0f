"""Plain stdout training logs.

Two shapes are read:

* the seed's progress bar (kuangliu's ``progress_bar``): ``Epoch: N`` then
  ``Loss: %.3f | Acc: %.3f%% (%d/%d)`` updates for the training batches, then for the test
  batches; the last update of each phase is that phase's epoch value, and a phase ends when the
  sample count ``(correct/total)`` starts again from a smaller total;
* ``key: value`` / ``key value`` pairs after an epoch marker: Keras' ``Epoch 3/10`` then
  ``- loss: 0.51 - accuracy: 0.81 - val_loss: ...``, PyTorch examples' ``Train Epoch: 1 ...
  Loss: 0.30`` and ``Test set: Average loss: 0.05, Accuracy: 9800/10000 (98%)``, and the common
  ``epoch 3 ... loss 0.51 ... acc 81.2%``. Only loss, accuracy and learning-rate keys are read; a
  split word earlier on the line (``Test set:``, ``val``) gives the split of unprefixed keys.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from fitlint.logs.names import SPLIT_WORDS, classify, tokens
from fitlint.logs.readers.base import LogReadError, Piece, Reader as BaseReader, checked_bytes, looks_binary, records

NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf|infinity)"
EPOCH = re.compile(r"\bepoch\b\s*[:=#]?\s*\[?\s*(\d+)(?:\s*/\s*\d+)?", re.IGNORECASE)
SEED_BAR = re.compile(r"Loss:\s*(" + NUMBER + r")\s*\|\s*Acc:\s*(" + NUMBER + r")%\s*\((\d+)/(\d+)\)",
                      re.IGNORECASE)
PAIR = re.compile(r"(?P<key>[A-Za-z][A-Za-z0-9_./-]*(?:\s+(?:loss|acc|accuracy))?)\s*[:=]?\s*"
                  r"(?P<value>" + NUMBER + r")(?P<frac>\s*/\s*\d+)?(?P<pct>\s*%)?(?![\w.])", re.IGNORECASE)
SNIFF = re.compile(rb"(?i)epoch.{0,200}?(loss|acc)|(loss|acc).{0,200}?epoch", re.DOTALL)


def _split_words_before(line: str, end: int) -> str | None:
    for tok in reversed(tokens(line[:end])):
        if tok in SPLIT_WORDS:
            return SPLIT_WORDS[tok]
    return None


def parse_seed(lines: list[str]) -> dict[str, list] | None:
    rows: dict[str, list] = {"name": [], "split_hint": [], "epoch": [], "step": [], "value": []}
    epoch = None
    phase_last: list[tuple] = []  # last update of each phase in this epoch
    prev_total = None

    def flush():
        for phase, (loss, acc) in enumerate(phase_last[:2]):
            split = "train" if phase == 0 else "test"
            for name, value in (("loss", loss), ("accuracy", acc)):
                rows["name"].append(name)
                rows["split_hint"].append(split)
                rows["epoch"].append(epoch)
                rows["step"].append(math.nan)
                rows["value"].append(value)

    seen = False
    for line in lines:
        marker = re.match(r"\s*Epoch:\s*(\d+)\s*$", line)
        if marker:
            if epoch is not None:
                flush()
            epoch, phase_last, prev_total = int(marker.group(1)), [], None
            continue
        for match in SEED_BAR.finditer(line):
            if epoch is None:
                continue
            seen = True
            loss, acc, total = float(match.group(1)), float(match.group(2)), int(match.group(4))
            if prev_total is None or total < prev_total:
                phase_last.append((loss, acc))
            else:
                phase_last[-1] = (loss, acc)
            prev_total = total
    if epoch is not None:
        flush()
    return rows if seen else None


def parse_pairs(lines: list[str]) -> dict[str, list]:
    rows: dict[str, list] = {"name": [], "split_hint": [], "epoch": [], "step": [], "value": []}
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
            hint = None if any(t in SPLIT_WORDS for t in tokens(key)) else _split_words_before(line, match.start())
            rows["name"].append(key)
            rows["split_hint"].append(hint)
            rows["epoch"].append(epoch)
            rows["step"].append(math.nan)
            rows["value"].append(value)
    return rows


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
            rows = parse_seed(lines) or parse_pairs(lines)
            if not rows["name"]:
                raise LogReadError(path, "no epoch with a loss or accuracy value found")
            recs = records(rows)
            # Keras and tqdm bars print running averages: the last value of an epoch is the epoch's.
            recs = recs.drop_duplicates(["name", "split_hint", "epoch"], keep="last")
            pieces.append(Piece(self.name, path, recs))
        return pieces
