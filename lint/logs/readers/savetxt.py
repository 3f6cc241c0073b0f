"""NumPy ``np.savetxt`` files: one value per line, split and metric in the file name.

The seed's script writes ``result_of_{train,test}_{acc,loss}.txt`` once per epoch; the same shape
is common as ``train_loss.txt``, ``val_acc.txt``, ``valid-accuracy.txt``. All such files in one
folder are one run; line ``i`` is epoch ``i``.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np

from fitlint.logs.names import METRIC_WORDS, NOISE_WORDS, SPLIT_WORDS, tokens
from fitlint.logs.readers.base import LogReadError, Piece, Reader as BaseReader, checked_bytes, records
from fitlint.logs.readers.table import wide_records


def name_is_savetxt(path: Path) -> bool:
    if path.suffix.lower() not in (".txt", ".dat", ".csv") or path.suffix.lower() == ".csv":
        return False
    toks = tokens(path.stem)
    if not toks or not any(t in METRIC_WORDS or t in ("learning", "rate") for t in toks):
        return False
    # Every word must be a split, metric or filler word: "requirements.txt" is not a curve.
    return all(t in SPLIT_WORDS or t in METRIC_WORDS or t in NOISE_WORDS or t in ("learning", "rate")
               for t in toks)


def parse_values(path: Path) -> np.ndarray:
    data = checked_bytes(path, None, "a text log of one value per line")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise LogReadError(path, "not UTF-8 text, not a log of one value per line") from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "input contained no data": said below, in our words
        try:
            values = np.loadtxt(io.StringIO(text), ndmin=2, comments="#")
        except ValueError:
            raise LogReadError(path, _bad_line(text)) from None
    if values.shape[1] != 1:
        raise LogReadError(path, _bad_line(text))
    if not values.size:
        raise LogReadError(path, "no values (only comments or blank lines)")
    return values[:, 0]


def _bad_line(text: str) -> str:
    """What is wrong with the first line that is not one number (numpy.loadtxt refused the file)."""
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        cells = line.replace(",", " ").split()
        if len(cells) != 1:
            return f"line {number} has {len(cells)} values; expected one value per line"
        try:
            float(cells[0])
        except ValueError:
            return f"line {number}: {cells[0][:40]!r} is not a number"
    return "not a log of one value per line"


class Reader(BaseReader):
    name = "savetxt"
    priority = 10
    grouped = True

    def claims(self, path: Path, head: bytes) -> bool:
        return name_is_savetxt(path)

    def read(self, files: list[Path]) -> list[Piece]:
        series: dict[Path, np.ndarray] = {}
        errors = []
        for path in sorted(files):
            try:
                series[path] = parse_values(path)
            except LogReadError as error:
                errors.append(str(error))
        if not series:
            if len(errors) == 1:
                raise LogReadError(files[0], errors[0].split(": ", 1)[1])
            return [Piece(self.name, files[0].parent, records([], []), errors=errors)]
        lengths = {len(v) for v in series.values()}
        if len(lengths) > 1:
            # The seed writes train before test each epoch: a crash leaves test one line short.
            shortest = min(lengths)
            detail = ", ".join(f"{p.name} has {len(v)}" for p, v in series.items())
            errors.append(f"{files[0].parent}: mismatched lengths ({detail}); "
                          f"analyzing the first {shortest} epochs only")
            series = {p: v[:shortest] for p, v in series.items()}
        # line i of every file is epoch i; a NaN in such a file is a value np.savetxt wrote
        recs = wide_records({path.stem: values for path, values in series.items()},
                            epoch=np.arange(min(lengths), dtype="float64"),
                            real_nan={path.stem: np.isnan(values) for path, values in series.items()})
        return [Piece(self.name, files[0].parent, recs, errors=errors)]
