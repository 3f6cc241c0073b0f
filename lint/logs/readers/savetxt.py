"""NumPy ``np.savetxt`` files: one value per line, split and metric in the file name.

The seed's script writes ``result_of_{train,test}_{acc,loss}.txt`` once per epoch; the same shape
is common as ``train_loss.txt``, ``val_acc.txt``, ``valid-accuracy.txt``. All such files in one
folder are one run; line ``i`` is epoch ``i``.
"""

from __future__ import annotations

import math
from pathlib import Path

from fitlint.logs.names import METRIC_WORDS, NOISE_WORDS, SPLIT_WORDS, tokens
from fitlint.logs.readers.base import LogReadError, Piece, Reader as BaseReader, checked_bytes, records


def name_is_savetxt(path: Path) -> bool:
    if path.suffix.lower() not in (".txt", ".dat", ".csv") or path.suffix.lower() == ".csv":
        return False
    toks = tokens(path.stem)
    if not toks or not any(t in METRIC_WORDS or t in ("learning", "rate") for t in toks):
        return False
    # Every word must be a split, metric or filler word: "requirements.txt" is not a curve.
    return all(t in SPLIT_WORDS or t in METRIC_WORDS or t in NOISE_WORDS or t in ("learning", "rate")
               for t in toks)


def parse_values(path: Path) -> list[float]:
    data = checked_bytes(path, None, "a text log of one value per line")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise LogReadError(path, "not UTF-8 text, not a log of one value per line") from None
    values = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        cells = line.replace(",", " ").split()
        if len(cells) != 1:
            raise LogReadError(path, f"line {number} has {len(cells)} values; expected one value per line")
        try:
            values.append(float(cells[0]))
        except ValueError:
            raise LogReadError(path, f"line {number}: {cells[0][:40]!r} is not a number") from None
    if not values:
        raise LogReadError(path, "no values (only comments or blank lines)")
    return values


class Reader(BaseReader):
    name = "savetxt"
    priority = 10
    grouped = True

    def claims(self, path: Path, head: bytes) -> bool:
        return name_is_savetxt(path)

    def read(self, files: list[Path]) -> list[Piece]:
        series: dict[Path, list[float]] = {}
        errors = []
        for path in sorted(files):
            try:
                series[path] = parse_values(path)
            except LogReadError as error:
                errors.append(str(error))
        if not series:
            if len(errors) == 1:
                raise LogReadError(files[0], errors[0].split(": ", 1)[1])
            return [Piece(self.name, files[0].parent, records({}), errors=errors)]
        lengths = {len(v) for v in series.values()}
        if len(lengths) > 1:
            # The seed writes train before test each epoch: a crash leaves test one line short.
            shortest = min(lengths)
            detail = ", ".join(f"{p.name} has {len(v)}" for p, v in series.items())
            errors.append(f"{files[0].parent}: mismatched lengths ({detail}); "
                          f"analyzing the first {shortest} epochs only")
            series = {p: v[:shortest] for p, v in series.items()}
        rows: dict[str, list] = {"name": [], "epoch": [], "step": [], "value": []}
        for path, values in series.items():
            stem = path.stem
            rows["name"] += [stem] * len(values)
            rows["epoch"] += list(range(len(values)))
            rows["step"] += [math.nan] * len(values)
            rows["value"] += values
        return [Piece(self.name, files[0].parent, records(rows), errors=errors)]
