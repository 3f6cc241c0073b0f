"""TensorBoard event files (``events.out.tfevents.*``), read without TensorFlow.

All event files of a folder are one run (a restarted writer adds a file); Keras writes
``logs/train/`` and ``logs/validation/`` event files for one run, so a folder named like a split
belongs to its parent's run and gives the split of its tags (``epoch_loss`` there is validation
loss, with the epoch as its step). When a step is written twice (a restart), the later point wins.
Other writers' steps are steps, not epochs, unless an ``epoch`` scalar maps them (Lightning).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from fitlint.logs.names import SPLIT_WORDS
from fitlint.logs.readers.base import LogReadError, Piece, Reader as BaseReader, records
from fitlint.logs.readers.tfevents import scalars


class Reader(BaseReader):
    name = "tensorboard"
    priority = 40
    grouped = True

    def claims(self, path: Path, head: bytes) -> bool:
        return "tfevents" in path.name

    def run_key(self, path: Path) -> Path:
        if path.parent.name.lower() in SPLIT_WORDS:
            return path.parent.parent
        return path.parent

    def read(self, files: list[Path]) -> list[Piece]:
        errors = []
        columns: dict[str, list] = {"tag": [], "hint": [], "step": [], "wall": [], "value": []}
        for path in sorted(files):
            data = path.read_bytes()
            if not data:
                errors.append(f"{path}: empty event file")
                continue
            points, error = scalars(data)
            if error is not None:
                if error.records_read == 0 and not points:
                    errors.append(f"{path}: {error}")
                    continue
                errors.append(f"{path}: {error}; the {error.records_read} records before it were read")
            if not points:
                continue
            tags, steps, walls, values = zip(*points)
            columns["tag"] += tags
            columns["hint"] += [SPLIT_WORDS.get(path.parent.name.lower())] * len(tags)
            columns["step"] += steps
            columns["wall"] += walls
            columns["value"] += values
        if not columns["tag"]:
            if len(files) == 1 and errors:
                raise LogReadError(files[0], errors[0].split(": ", 1)[1])
            return [Piece(self.name, self.run_key(files[0]), records([], []), errors=errors)] if errors else []
        tags, hints = pd.Categorical(columns["tag"]), pd.Categorical(columns["hint"])
        steps = np.array(columns["step"], dtype="int64")
        walls, values = np.array(columns["wall"]), np.array(columns["value"], dtype="float64")
        # A restarted writer rewrites steps: the latest point (by wall time, then file order) of each
        # (split, tag, step) wins; the result is in (split, tag, step) order.
        order = np.lexsort((walls, steps, tags.codes, hints.codes))
        key = np.column_stack([hints.codes[order], tags.codes[order], steps[order]])
        last = np.ones(len(order), dtype=bool)
        last[:-1] = np.any(key[1:] != key[:-1], axis=1)
        keep = order[last]
        recs = records(pd.Categorical.from_codes(tags.codes[keep], tags.categories), values[keep],
                       step=steps[keep].astype("float64"),
                       split_hint=pd.Categorical.from_codes(hints.codes[keep], hints.categories))
        return [Piece(self.name, self.run_key(files[0]), recs, errors=errors, has_epochs=False)]
