"""Find the logs under the given paths, read them into runs, and run every check on each run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from fitlint.files import is_tool_folder, walk_folders
from fitlint.logs.finding import LogFinding
from fitlint.logs.run import Run, settle_classes
from fitlint.logs.readers.base import LogReadError, Piece, Reader, all_readers
from fitlint.logs.tidy import TIDY_COLUMNS, empty, tidy

CANDIDATE_SUFFIXES = {".txt", ".log", ".out", ".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".db",
                      ".sqlite", ".sqlite3", ".dat", ".stdout"}


@dataclass
class LogReport:
    """What ``analyze`` found: the runs analyzed, their findings, bad input (``errors``: one line
    each, the rest goes on) and runs that could not be analyzed (``failed``: a bug in fitlint)."""

    runs: list[Run]
    findings: list[LogFinding]
    errors: list[str]
    failed: list[str] = field(default_factory=list)

    def to_json(self) -> list[dict[str, Any]]:
        return [f.to_json() for f in self.findings]


# ---------------------------------------------------------------- discovery


def _skipped(folder: Path) -> bool:
    # Hidden folders too: a trash, a tool's state, never a run someone wants diagnosed.
    return folder.name.startswith(".") or is_tool_folder(folder.name)


def _candidates(root: Path) -> Iterable[Path]:
    for folder, filenames in walk_folders(root, _skipped):
        in_metrics = "metrics" in folder.parts
        for filename in filenames:
            path = folder / filename
            suffix = path.suffix.lower()
            if suffix in CANDIDATE_SUFFIXES or "tfevents" in filename or in_metrics:
                yield path


def _head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(65536)


def _claim(path: Path, readers: tuple[Reader, ...]) -> Reader | None:
    head = _head(path)
    for reader in readers:
        if reader.claims(path, head):
            return reader
    return None


def discover(paths: list[str], errors: list[str]) -> dict[tuple[str, Path], list[Path]]:
    """Group files by (reader, run folder). Unreadable or unknown explicit paths go to ``errors``."""
    readers = all_readers()
    groups: dict[tuple[str, Path], list[Path]] = {}
    by_name = {r.name: r for r in readers}
    for raw in paths:
        root = Path(raw)
        if not root.exists():
            errors.append(f"{raw}: no such file or directory")
            continue
        files = [root] if root.is_file() else list(_candidates(root))
        found = 0
        for path in files:
            try:
                reader = _claim(path, readers)
            except OSError as error:
                errors.append(f"{path}: cannot be read ({error.strerror or error})")
                continue
            if reader is None:
                continue
            key = (reader.name, reader.run_key(path))
            bucket = groups.setdefault(key, [])
            if path not in bucket:
                bucket.append(path)
            found += 1
        if not found:
            if root.is_file():
                errors.append(f"{raw}: not a training log fitlint can read (see 'fitlint logs --help' for the formats)")
            else:
                errors.append(f"{raw}: no training log found under this folder")
    assert all(name in by_name for name, _ in groups)
    return groups


# ---------------------------------------------------------------- reading


def read_pieces(groups: dict[tuple[str, Path], list[Path]], errors: list[str],
                failed: list[str] | None = None) -> list[Piece]:
    by_name = {r.name: r for r in all_readers()}
    pieces: list[Piece] = []
    for (reader_name, _key), files in groups.items():
        reader = by_name[reader_name]
        batches = [files] if reader.grouped else [[f] for f in files]
        for batch in batches:
            try:
                got = reader.read(batch)
            except LogReadError as error:
                errors.append(str(error))
                continue
            except (OSError, UnicodeDecodeError, ValueError, KeyError, IndexError, TypeError) as error:
                # An odd file must not hide the other runs: one line, no traceback.
                errors.append(f"{batch[0]}: could not be read ({type(error).__name__}: {error})")
                continue
            except Exception as error:  # a reader bug: the run cannot be analyzed, the others go on
                if failed is None:
                    raise
                failed.append(failure_line(reader_name, str(batch[0]), error))
                continue
            for piece in got:
                errors.extend(piece.errors)
                if not piece.records.empty:
                    pieces.append(piece)
    return pieces


def _run_name(folder: Path) -> str:
    name = folder.name or str(folder)
    return name if name not in (".", "") else str(folder.resolve().name)


@dataclass
class RunParts:
    """The pieces of one run, its name, and the folders above it that can tell it apart from
    another run of the same name (nearest first)."""

    name: str
    path: str
    pieces: list[Piece]
    parents: list[str]


def _parents(folder: Path) -> list[str]:
    return [part for part in reversed(folder.absolute().parts[:-1]) if part not in ("/", "")]


def group_runs(pieces: list[Piece]) -> list[RunParts]:
    """One entry per run: pieces of several formats in one folder are the same run."""
    by_folder: dict[Path, list[Piece]] = {}
    runs: list[RunParts] = []
    for piece in pieces:
        if piece.name is not None:
            # an MLflow run, named by its run name: the folders above its store tell it apart (not
            # its run and experiment ids, which say nothing to a reader); a database's runs are
            # named after its folder already
            store = piece.path.parent if piece.path.is_dir() else piece.path
            runs.append(RunParts(piece.name, str(piece.path), [piece], _parents(store)))
            continue
        folder = piece.path if piece.path.is_dir() else piece.path.parent
        by_folder.setdefault(folder, []).append(piece)
    for folder, group in by_folder.items():
        sources = [p.source for p in group]
        if len(sources) != len(set(sources)):
            # Several files of one format in one folder (exp1.csv, exp2.csv): separate runs.
            for piece in group:
                label = piece.path.name if piece.path.is_file() else _run_name(piece.path)
                runs.append(RunParts(f"{_run_name(folder)}/{label}", str(piece.path), [piece], _parents(folder)))
        else:
            runs.append(RunParts(_run_name(folder), str(folder), group, _parents(folder)))
    return distinct_names(runs)


def distinct_names(runs: list[RunParts]) -> list[RunParts]:
    """Runs named alike (seven ``version_0`` folders) get the nearest folders above them until
    every name is different: the shortest path that tells them apart."""
    while True:
        by_name: dict[str, list[RunParts]] = {}
        for run in runs:
            by_name.setdefault(run.name, []).append(run)
        clashes = [group for group in by_name.values() if len(group) > 1]
        grown = False
        for group in clashes:
            for run in group:
                if run.parents:
                    run.name = f"{run.parents.pop(0)}/{run.name}"
                    grown = True
        if not grown:
            break
    for group in clashes:  # one folder, one name (two MLflow runs of one experiment): the run id
        for run in group:
            run.name = f"{run.name} ({Path(run.path).name[:8]})"
    return runs


def assemble(pieces: list[Piece], failures: list[str] | None = None) -> list[Run]:
    """One Run per run (see ``group_runs``); a run whose pieces cannot be merged is one line in
    ``failures`` and the others go on."""
    runs = []
    for parts in group_runs(pieces):
        try:
            run = _merge(parts.name, parts.path, parts.pieces)
        except Exception as error:  # a bug on one run must not lose the others
            if failures is None:
                raise
            failures.append(failure_line(parts.name, parts.path, error))
            continue
        if run is not None:
            runs.append(run)
    return sorted(runs, key=lambda r: (r.path, r.name))


def failure_line(name: str, path: str, error: Exception) -> str:
    detail = str(error).splitlines()[0][:200] if str(error) else ""
    return (f"{path}: run {name!r} could not be analyzed ({type(error).__name__}{': ' + detail if detail else ''}); "
            "this is a bug in fitlint, please report it")


def _core_series(frame: pd.DataFrame) -> set[tuple[str, str]]:
    core = frame[frame["metric"].isin(["loss", "accuracy"])]
    return set(map(tuple, core[["split", "metric"]].drop_duplicates().to_numpy()))


def _duplicate_of(other: pd.DataFrame, pair: tuple[str, str], frame: pd.DataFrame) -> bool:
    """Whether ``other``'s series ``pair`` repeats a series of ``frame`` with the same metric
    (same values at the same epochs, to the precision either format keeps)."""
    split, metric = pair
    mine = other[(other["split"] == split) & (other["metric"] == metric)].set_index("epoch")["value"]
    for candidate in frame.loc[frame["metric"] == metric, "split"].unique():
        theirs = frame[(frame["split"] == candidate) & (frame["metric"] == metric)].set_index("epoch")["value"]
        common = mine.index.intersection(theirs.index)
        if len(common) == 0 or len(common) < 0.8 * max(len(mine), len(theirs)):
            continue
        a = mine.loc[common].to_numpy(dtype="float64")
        b = theirs.loc[common].to_numpy(dtype="float64")
        if np.allclose(a, b, rtol=1e-3, atol=1e-4, equal_nan=True):
            return True
    return False


def _merge(name: str, path: str, group: list[Piece]) -> Run | None:
    """Merge the formats of one run: the primary source is the one with the most loss/accuracy
    series (ties: reader priority); other sources only add series the primary lacks."""
    priority = {r.name: r.priority for r in all_readers()}
    priority.update({"lightning": priority.get("csv", 0)})
    tidied = []
    notes: list[str] = []
    for piece in group:
        frame, piece_notes = tidy(piece.records, run=name, source=piece.source, has_epochs=piece.has_epochs)
        if frame.empty:
            continue
        tidied.append((piece, frame))
        notes += [f"{piece.source}: {n}" for n in piece_notes + piece.notes]
    if not tidied:
        return None
    tidied.sort(key=lambda pf: (len(_core_series(pf[1])), priority.get(pf[0].source, 0)), reverse=True)
    primary_piece, frame = tidied[0]
    have = set(map(tuple, frame[["split", "metric"]].drop_duplicates().to_numpy()))
    used = [primary_piece.source]
    for piece, other in tidied[1:]:
        pairs = set(map(tuple, other[["split", "metric"]].drop_duplicates().to_numpy())) - have
        if not pairs:
            notes.append(f"{piece.source}: same run as {primary_piece.source}; not read twice")
            continue
        same = {pair for pair in pairs if _duplicate_of(other, pair, frame)}
        if same:
            # The seed's "test" files and a CSV's "val_" columns of the same run hold the same numbers.
            notes.append(f"{piece.source}: {', '.join(sorted(f'{s} {m}' for s, m in same))} equal to "
                         f"{primary_piece.source}'s series; not read twice")
            pairs -= same
        if not pairs:
            continue
        keep = other[[(s, m) in pairs for s, m in zip(other["split"], other["metric"])]]
        frame = pd.concat([frame, keep], ignore_index=True)
        have |= pairs
        used.append(piece.source)
        notes.append(f"{piece.source}: adds {', '.join(sorted(f'{s} {m}' for s, m in pairs))}")
    unit = "epoch" if frame["epoch"].notna().all() else "step"
    run = Run(name=name, path=path, frame=frame[TIDY_COLUMNS].reset_index(drop=True), sources=used,
              unit=unit, notes=notes)
    k = next((p.num_classes for p, _ in tidied if p.num_classes), None)
    if k:
        run.num_classes, run.num_classes_source = k, f"{primary_piece.source} metadata"
    return run


# ---------------------------------------------------------------- analysis


def analyze(
    paths: list[str],
    *,
    num_classes: int | None = None,
    select: Any = None,
    ignore: Any = None,
    options: dict[str, dict[str, Any]] | None = None,
    progress: Callable[[Run], None] | None = None,
) -> LogReport:
    from fitlint.logs.checks.base import run_checks, selected_checks

    errors: list[str] = []
    failed: list[str] = []
    groups = discover([str(p) for p in paths], errors)
    pieces = read_pieces(groups, errors, failed)
    runs = assemble(pieces, failed)
    checks = selected_checks(select, ignore, options)
    findings: list[LogFinding] = []
    analyzed = []
    for run in runs:
        try:
            settle_classes(run, num_classes)
            found = run_checks(run, checks)
        except Exception as error:  # each run in isolation: one line, the other runs are reported
            failed.append(failure_line(run.name, run.path, error))
            continue
        findings += found
        analyzed.append(run)
        if progress:
            progress(run)
    return LogReport(runs=analyzed, findings=findings, errors=errors, failed=failed)


def frame(report: LogReport) -> pd.DataFrame:
    """All runs in one tidy table."""
    if not report.runs:
        return empty()
    return pd.concat([r.frame for r in report.runs], ignore_index=True)
