"""Which files to scan, how to read them, and which ones are worth parsing at all.

Only the standard library is imported here: ``fitlint scan`` runs this before anything else and must
start fast.
"""

from __future__ import annotations

import io
import itertools
import os
import stat
import tokenize
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

# Skipped while walking a folder (by ``fitlint scan`` and ``fitlint logs``), never for a path named
# on the command line: version control, environments and tool caches hold whole copies of other
# people's code, and never the user's scripts or logs.
TOOL_FOLDERS = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".fitlint_cache",
    ".ipynb_checkpoints",
    "node_modules",
    "site-packages",
    ".eggs",
)
# The scanner also skips packaging output: it holds copies of the sources, which would be reported
# twice (logs are never written there, so the log analyzer does not need to skip it).
DEFAULT_EXCLUDES = (*TOOL_FOLDERS, "build", "dist", "*.egg-info")

# Why each marker: a training loop needs a framework (torch, lightning, keras, tensorflow), or an
# optimizer ("optim" also covers optimizer/optimize/torch.optim/optax), or a loader ("DataLoader");
# "sklearn" is there for the split and shuffling rules, which also read scikit-learn pipelines.
TRAINING_MARKERS = ("torch", "lightning", "keras", "tensorflow", "optim", "DataLoader", "sklearn", "TrainingArguments")


class SourceError(Exception):
    """A file that cannot be read or decoded; the message is one line, ``<display>: <problem>``."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    display: str


def discover(
    paths: Sequence[str],
    exclude: Sequence[str] = (),
    root: Path | None = None,
    suffixes: Sequence[str] = (".py",),
) -> tuple[list[SourceFile], list[str]]:
    """The files to scan under ``paths`` (sorted by display, each file once) and one error line per
    path that could not be used. ``exclude`` globs are relative to ``root`` (the cwd when None)."""
    root = Path(os.path.abspath(root or Path.cwd()))
    found: dict[str, SourceFile] = {}
    errors: list[str] = []
    for given in paths:
        problem = _unusable_path_problem(given)
        if problem:
            errors.append(f"{given}: {problem}")
            continue
        if path_matches(Path(given), exclude, root):
            continue
        if os.path.isdir(given):
            candidates = _walk(given, exclude, root, tuple(suffixes), errors)
        else:
            candidates = [SourceFile(Path(given), given)]
        for source in candidates:
            found.setdefault(os.path.realpath(source.path), source)
    return sorted(found.values(), key=lambda source: source.display), errors


def _unusable_path_problem(given: str) -> str | None:
    """Why a path named on the command line cannot be scanned, or None when it can."""
    try:
        mode = os.stat(given).st_mode
    except FileNotFoundError:
        return "no such file or directory"
    except OSError as exc:
        # A symlink loop lands here (ELOOP), as does a path through an unreadable folder.
        return exc.strerror or str(exc)
    # Reading a FIFO or a device would block or never end.
    if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
        return "not a regular file or directory"
    return None


def walk_folders(
    top: str | Path, skip: Callable[[Path], bool], onerror: Callable[[OSError], None] | None = None
) -> Iterator[tuple[Path, list[str]]]:
    """Each folder under ``top`` (``top`` first) with its file names, both sorted, without entering
    the folders ``skip`` says to skip. Symlinked folders are not followed, so a link back up the
    tree cannot make the walk endless."""
    for folder, dirnames, filenames in os.walk(top, onerror=onerror, followlinks=False):
        dirnames[:] = sorted(name for name in dirnames if not skip(Path(folder, name)))
        yield Path(folder), sorted(filenames)


def is_tool_folder(name: str, patterns: Sequence[str] = TOOL_FOLDERS) -> bool:
    return _matches_any(name, patterns)


def _walk(
    top: str, exclude: Sequence[str], root: Path, suffixes: tuple[str, ...], errors: list[str]
) -> list[SourceFile]:
    """The files under folder ``top`` with one of ``suffixes``, pruning excluded folders."""
    cwd = os.getcwd()

    def report(exc: OSError) -> None:
        errors.append(f"{_display(exc.filename or top, top, cwd)}: cannot read directory: "
                      f"{exc.strerror or exc}")

    def skip(folder: Path) -> bool:
        return is_tool_folder(folder.name, DEFAULT_EXCLUDES) or path_matches(folder, exclude, root)

    found = []
    for folder, filenames in walk_folders(top, skip, onerror=report):
        for name in filenames:
            path = folder / name
            # isfile follows links: a dangling link or a FIFO is not a source file.
            if name.endswith(suffixes) and os.path.isfile(path) and not path_matches(path, exclude, root):
                found.append(SourceFile(path, _display(str(path), top, cwd)))
    return found


def _display(path: str, top: str, cwd: str) -> str:
    """``path`` relative to the cwd when it lies inside it, else as walked from ``top``."""
    absolute = os.path.abspath(path)
    if absolute == cwd or absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        return Path(os.path.relpath(absolute, cwd)).as_posix()
    return Path(path).as_posix()


def path_matches(path: Path, patterns: Sequence[str], root: Path) -> bool:
    """Whether ``path`` matches one of the glob ``patterns``, like ruff's exclude: a pattern may
    match the file's name, its path relative to ``root`` (posix), or any folder above it (by path
    or by name), so ``generated`` and ``src/generated`` both exclude ``src/generated/x.py``."""
    if not patterns:
        return False
    normalized = [pattern.strip().removeprefix("./").rstrip("/") for pattern in patterns]
    return any(_matches_any(candidate, normalized) for candidate in _match_candidates(path, root))


def _match_candidates(path: Path, root: Path) -> Iterable[str]:
    """The strings an exclude glob is tried on: the name, and each leading part of the path
    relative to ``root`` both whole and by its last name. A path outside ``root`` offers its name."""
    if path.name:
        yield path.name
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    parts = Path(relative).parts
    if not parts or parts[0] in (os.curdir, os.pardir):
        return
    for end in range(1, len(parts) + 1):
        yield "/".join(parts[:end])
        yield parts[end - 1]


def _matches_any(text: str, patterns: Iterable[str]) -> bool:
    # Case-sensitive on every platform, so a config behaves the same in CI and on a laptop.
    return any(fnmatchcase(text, pattern) for pattern in patterns)


def read_source(file: SourceFile) -> str:
    """The text of ``file``, decoded as Python does: a BOM or a PEP 263 coding cookie wins, else UTF-8."""
    return decode_source(read_bytes(file), file.display)[0]


def read_bytes(file: SourceFile) -> bytes:
    """The bytes of ``file``; raises SourceError."""
    try:
        return file.path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{file.display}: cannot read: {exc.strerror or exc}") from None


def decode_source(data: bytes, display: str) -> tuple[str, str]:
    """Source bytes decoded as Python does, and the encoding used; raises SourceError."""
    encoding = _declared_encoding(data, display)
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{display}: cannot decode: invalid {encoding} byte at offset {exc.start} ({exc.reason})"
        ) from None


def _declared_encoding(data: bytes, display: str) -> str:
    try:
        return tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError as exc:
        # Undecodable bytes in the first two lines read as a missing declaration; decoding as
        # UTF-8 then names the offending byte, which is the more useful message.
        if "invalid or missing encoding declaration" in (exc.msg or ""):
            return "utf-8"
        raise SourceError(f"{display}: cannot decode: {exc.msg}") from None


def is_notebook(display: str, text: str) -> bool:
    """Whether ``text`` is read as a notebook: a ``.ipynb`` file, or a notebook's JSON saved under
    another name (Colab's "save a copy in GitHub" and hand-renamed downloads commit notebooks as
    ``.py``; read as Python, the JSON is one dict literal and no code is seen)."""
    if display.endswith(".ipynb"):
        return True
    head = text[:4096].lstrip()
    return head.startswith("{") and '"cells"' in text and '"nbformat"' in text


def could_hold_training_code(text: str) -> bool:
    """A cheap substring test run before parsing: False means the file cannot hold a training loop."""
    return any(marker in text for marker in TRAINING_MARKERS)


def write_fixed(file: SourceFile, original: str, fixed: str) -> str | None:
    """Write ``fixed`` over ``file`` atomically (a temporary file in the same folder, then a rename),
    in the file's own encoding and keeping its permissions. Returns a problem, or None when written.

    The file is re-read first: if it no longer holds ``original`` (an editor saved it while fitlint
    ran), nothing is written. A read-only file is not written: a rename would replace it whatever
    its mode (only the folder's mode counts), and a file marked read-only is not fitlint's to change.
    A symlink is written through: its target is rewritten and the link kept, as ruff and black do.
    """
    target = file.path.resolve()
    try:
        data = file.path.read_bytes()
        text, encoding = decode_source(data, file.display)
        if text != original:
            return "the file changed on disk during the run"
        payload = fixed.encode(encoding)
        mode = stat.S_IMODE(target.stat().st_mode)
    except (OSError, UnicodeError, SourceError) as exc:
        return f"cannot re-read before writing: {exc}"
    if is_read_only(target, mode):
        return f"the file is read-only (mode {mode:o})"
    try:
        write_atomically(target, payload, mode)
    except OSError as exc:
        return f"cannot write: {exc.strerror or exc}"
    return None


def write_atomically(target: Path, payload: bytes, mode: int | None = None, durable: bool = True) -> None:
    """Replace ``target`` with ``payload`` in one step (a temporary file in the same folder, then a
    rename), so that a reader sees the old bytes or the new ones, never a part; ``durable``: synced
    to disk first. Raises OSError, leaving no temporary file behind."""
    temporary, handle = _temporary_beside(target)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError:
        if temporary.exists():
            temporary.unlink()
        raise


_TEMPORARY_NAMES = itertools.count()


def _temporary_beside(target: Path) -> tuple[Path, int]:
    """A new file next to ``target``, opened for writing, with a name no other process or earlier
    call uses (this process's id and a counter; a name left by a dead process is skipped)."""
    while True:
        temporary = target.with_name(f".{target.name}.{os.getpid()}-{next(_TEMPORARY_NAMES)}.fitlint")
        try:
            return temporary, os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue


def is_read_only(path: Path, mode: int) -> bool:
    """No write permission for anyone in the mode bits (root included, which ``os.access`` lets
    write anything), or none for the current user."""
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK)


def link_outside(file: SourceFile, tree: Path) -> Path | None:
    """The target of a symlinked ``file`` when it lies outside ``tree``, else None."""
    if not file.path.is_symlink():
        return None
    target = file.path.resolve()
    root = tree.resolve()
    return None if target == root or root in target.parents else target
