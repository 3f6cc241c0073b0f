"""TensorBoard event files (``events.out.tfevents.*``), read without TensorFlow.

All event files of a folder are one run (a restarted writer adds a file); Keras writes
``logs/train/`` and ``logs/validation/`` event files for one run, so a folder named like a split
belongs to its parent's run and gives the split of its tags (``epoch_loss`` there is validation
loss, with the epoch as its step). When a step is written twice (a restart), the later point wins.
Other writers' steps are steps, not epochs, unless an ``epoch`` scalar maps them (Lightning).
"""

from __future__ import annotations

from pathlib import Path

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
        frames = []
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
            hint = SPLIT_WORDS.get(path.parent.name.lower())
            tags, steps, walls, values = zip(*points)
            frames.append(pd.DataFrame({"name": tags, "split_hint": hint, "step": steps,
                                        "wall": walls, "value": values}))
        if not frames:
            if len(files) == 1 and errors:
                raise LogReadError(files[0], errors[0].split(": ", 1)[1])
            return [Piece(self.name, self.run_key(files[0]), records([], []), errors=errors)] if errors else []
        frame = pd.concat(frames, ignore_index=True)
        # A restarted writer rewrites steps: keep the latest point of each (split, tag, step).
        frame = frame.sort_values("wall", kind="stable").drop_duplicates(
            ["split_hint", "name", "step"], keep="last")
        frame = frame.sort_values(["split_hint", "name", "step"], kind="stable")
        recs = records(frame["name"].to_numpy(), frame["value"].to_numpy(), step=frame["step"].to_numpy(),
                       split_hint=frame["split_hint"].to_numpy())
        return [Piece(self.name, self.run_key(files[0]), recs, errors=errors, has_epochs=False)]
