"""The scan cache: a file's findings kept under a hash of its bytes and of everything else they
depend on, so that re-scanning an unchanged repository costs reading and hashing its files.

As ruff's: ``.fitlint_cache/`` in the project root (the folder of the configuration file, else the
current folder), with a ``.gitignore`` holding ``*`` and a ``CACHEDIR.TAG``; ``cache-dir`` in the
configuration or FITLINT_CACHE_DIR put it elsewhere; ``--no-cache`` or FITLINT_NO_CACHE=1 turn it off.

An entry's key hashes the file's bytes and those of the project modules it may borrow definitions
from (``fitlint.project``: an edited ``models.py`` changes the key of the script importing it); the path it is reported under (rules read it: a
``test_*.py`` is a test suite); fitlint's version and a fingerprint of its code and of libcst's
(the size and modification time of each of their modules, and of each selected rule's module, so
an edited or reinstalled fitlint misses); the rules that run on the file with their options; the
severity threshold. A changed selection, option, configuration or version therefore never finds
an entry written before it: nothing is ever invalidated, an entry is only ever looked up by a key
that matches everything it was computed from.

Entries are written atomically (a temporary file, then a rename): parallel runs and ``--jobs``
workers may write the same entry, and a reader sees a whole entry or none. An entry that does not
read back as one (truncated, corrupt, written for another key) is ignored and rewritten. Only
complete results are kept: a file with an internal error, a spent budget or a rule that gave up
is analysed again next time. Only the standard library is imported here.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from fitlint import __version__
from fitlint.files import write_atomically
from fitlint.findings import Finding, Severity

if TYPE_CHECKING:
    from fitlint.config import Config
    from fitlint.plugin import Check

FOLDER = ".fitlint_cache"
NO_CACHE_VARIABLE = "FITLINT_NO_CACHE"
DIR_VARIABLE = "FITLINT_CACHE_DIR"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by fitlint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
# the fields of a Finding an entry stores; the path is stored only when it is not the scanned
# file's (a finding in a definition borrowed from another project file: ``fitlint.project``)
_STORED = ("code", "name", "severity", "message", "line", "column", "end_line", "end_column", "fix",
           "fix_safe", "suppressed", "cell")


def wanted(disabled: bool) -> bool:
    """Whether the cache is used: not when ``--no-cache`` is given or FITLINT_NO_CACHE is set
    (to anything but an empty string, 0, false or no)."""
    flag = os.environ.get(NO_CACHE_VARIABLE, "").strip().lower()
    return not disabled and flag in ("", "0", "false", "no")


def folder_for(config: Config) -> Path:
    """Where the cache of a run with ``config`` lives (see the module's docstring)."""
    given = os.environ.get(DIR_VARIABLE)
    if given:
        return Path(os.path.abspath(given))
    root = Path(os.path.abspath(config.root)) if config.source is not None else Path.cwd()
    return root / (config.cache_dir or FOLDER)


@dataclass
class Cache:
    """The cache in ``folder``; sent to worker processes as it is (a path and a few strings)."""

    folder: Path
    _contexts: dict[tuple, bytes] = field(default_factory=dict, repr=False)

    def key(self, data: bytes, display: str, rules: Sequence[Check], config: Config,
            borrowed_from: dict[str, bytes] | None = None) -> str:
        """The entry key of a file's bytes scanned as ``display`` with ``rules`` under ``config``,
        borrowing from the project files ``borrowed_from`` (path -> bytes: ``fitlint.project``)."""
        described = (tuple(rule.code for rule in rules), config)
        context = self._contexts.get(described)
        if context is None:
            context = self._contexts[described] = _context(rules, config)
        digest = hashlib.sha256(context)
        digest.update(display.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        for path, content in sorted((borrowed_from or {}).items()):
            digest.update(b"\0" + path.encode("utf-8", "surrogateescape") + b"\0")
            digest.update(hashlib.sha256(content).digest())
        return digest.hexdigest()

    def load(self, key: str, display: str) -> list[Finding] | None:
        """The findings stored under ``key``, reported as ``display``; None when there is no whole
        entry for it (missing, truncated, corrupt, or another key's)."""
        try:
            entry = json.loads(self._path(key).read_bytes())
            if entry["key"] != key:
                return None
            return [_finding(stored, display) for stored in entry["findings"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, key: str, findings: Sequence[Finding], display: str) -> None:
        """Keep ``findings`` (of the file shown as ``display``) under ``key``; a cache that cannot
        be written is skipped silently (a read-only checkout scans as it would without it)."""
        stored = [{name: getattr(finding, name) for name in _STORED} for finding in findings]
        for entry, finding in zip(stored, findings):
            if finding.path != display:
                entry["path"] = finding.path
        payload = json.dumps({"key": key, "findings": stored}, separators=(",", ":")).encode()
        path = self._path(key)
        try:
            self._prepare(path.parent)
            write_atomically(path, payload, durable=False)
        except OSError:
            pass

    def _path(self, key: str) -> Path:
        return self.folder / "entries" / key[:2] / f"{key}.json"

    def _prepare(self, entries: Path) -> None:
        if entries.is_dir():
            return
        if not self.folder.is_dir():
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, text in ((".gitignore", "*\n"), ("CACHEDIR.TAG", CACHEDIR_TAG)):
                write_atomically(self.folder / name, text.encode(), durable=False)
        entries.mkdir(parents=True, exist_ok=True)


def _finding(stored: dict[str, Any], display: str) -> Finding:
    values = {name: stored[name] for name in _STORED}
    values["severity"] = Severity(values["severity"])
    return Finding(path=stored.get("path", display), **values)


def _context(rules: Sequence[Check], config: Config) -> bytes:
    """What, besides the file, its findings depend on."""
    described = {
        "fitlint": __version__,
        "code": _code_fingerprint(),
        "rules": [[rule.code, _file_state(getattr(sys.modules.get(type(rule).__module__), "__file__", None)),
                   sorted(config.options_for(rule.code).items())] for rule in rules],
        "severity": config.severity.value,
    }
    return json.dumps(described, sort_keys=True, default=repr).encode()


_FINGERPRINT: list[str] = []


def _code_fingerprint() -> str:
    """The size and modification time of every module of fitlint, of every rule module loaded and
    of libcst's version file, once per process: a fitlint edited in place (a development install),
    reinstalled or upgraded, or another libcst, misses every entry. (Read off the loaded modules:
    the scanner has imported the rules and libcst by the time it asks for a key.)"""
    if not _FINGERPRINT:
        import fitlint

        loaded = [module for name, module in sorted(sys.modules.items())
                  if name.startswith("fitlint.rules") or name == "libcst"]
        paths = [*map(str, sorted(Path(fitlint.__file__).parent.rglob("*.py"))),
                 *(getattr(module, "__file__", None) or "" for module in loaded if module.__name__ != "libcst"),
                 *(str(Path(module.__file__).parent / "_version.py") for module in loaded if module.__name__ == "libcst")]
        described = "".join(f"{path}:{_file_state(path)}\n" for path in paths)
        _FINGERPRINT.append(hashlib.sha256(described.encode("utf-8", "surrogateescape")).hexdigest())
    return _FINGERPRINT[0]


def _file_state(path: str | None) -> str:
    try:
        state = os.stat(path)
    except (OSError, TypeError):
        return "?"
    return f"{state.st_size}:{state.st_mtime_ns}"
