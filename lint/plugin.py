"""The plugin framework rules and log checks share: a coded check, its discovery, and code selection.

A check is one class in one module of its package: rules in ``fitlint.rules`` (``fitlint.rule.Rule``),
log checks in ``fitlint.logs.checks`` (``fitlint.logs.checks.base.LogCheck``). It declares a stable
code (FIT101, LOG001), a kebab-case name for the pattern or symptom, a default severity, its options
(every one overridable), its documentation (the class docstring, with the ``## Section`` blocks its
kind lists in ``DOC_SECTIONS``) and VALID / INVALID examples the test suite turns into tests.
Checks, and the log readers, are found by ``discover``: adding a module is all it takes.

Only the standard library and fitlint's own small modules are imported here: ``fitlint scan`` starts
with this module and must not pay for pandas.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any, ClassVar, Iterable, Sequence, TypeVar

from fitlint.docs import doc_sections
from fitlint.findings import Severity

ALL = "ALL"
# Where the repository's files are read online (SARIF's helpUri: the check's page).
REPOSITORY_FILES = "https://github.com/fitlint/fitlint/blob/main/"
Plugin = TypeVar("Plugin", bound=type)


class Check:
    """A coded check: code, name, severity, options, examples and documentation."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    default_enabled: ClassVar[bool] = True
    options: ClassVar[dict[str, Any]] = {}
    DOC_SECTIONS: ClassVar[tuple[str, ...]] = ()
    # The folder of docs/ that holds this kind's pages.
    DOCS_FOLDER: ClassVar[str] = ""
    VALID: ClassVar[list[Any]] = []
    INVALID: ClassVar[list[Any]] = []

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        unknown = set(options or {}) - set(self.options)
        if unknown:
            raise ValueError(f"{self.code}: unknown option(s) {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(sorted(self.options)) or 'none'}")
        self.opts = {**self.options, **(options or {})}

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def sections(cls) -> dict[str, str]:
        return doc_sections(cls.doc())

    @classmethod
    def summary(cls) -> str:
        """The first paragraph of 'What it does', on one line."""
        first = cls.sections().get("What it does", "").split("\n\n", 1)[0]
        return " ".join(first.split())

    @classmethod
    def traits(cls) -> list[str]:
        """What a page's second line says about the check: its severity, then what its kind adds."""
        return [cls.severity.value]

    @classmethod
    def page(cls) -> str:
        """The check's documentation: what ``fitlint explain CODE`` prints and ``docs/`` holds."""
        return f"# {cls.code} {cls.name}\n\n{', '.join(cls.traits())}\n\n{cls.doc()}\n"

    @classmethod
    def page_path(cls) -> str:
        """Where the page lies, relative to the repository root (docs/generate.py writes it)."""
        return f"docs/{cls.DOCS_FOLDER}/{cls.code}.md"

    @classmethod
    def help_uri(cls) -> str:
        return REPOSITORY_FILES + cls.page_path()

    @classmethod
    def missing_sections(cls) -> list[str]:
        """The sections of ``DOC_SECTIONS`` the docstring lacks or leaves empty."""
        sections = cls.sections()
        return [section for section in cls.DOC_SECTIONS if not sections.get(section)]


def discover(package: str, base: Plugin) -> list[Plugin]:
    """The subclasses of ``base`` defined in the modules of ``package``, in module order (modules
    whose name starts with ``_`` are private helpers and skipped); classes a module imports from
    elsewhere are not counted twice."""
    root = importlib.import_module(package)
    found = []
    for info in pkgutil.iter_modules(root.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        found += [value for value in vars(module).values()
                  if isinstance(value, type) and issubclass(value, base) and value is not base
                  and value.__module__ == module.__name__]
    return found


# ---------------------------------------------------------------- selecting codes


class UnknownCode(ValueError):
    """A selector that names no known code; ``code`` is the selector as given (upper-cased)."""

    def __init__(self, code: str) -> None:
        super().__init__(f"unknown code {code!r}")
        self.code = code


def comma_split(values: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"a, b"`` or ``["a,b", "c"]`` as ``("a", "b", "c")``: what a repeated, comma-separated option holds."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    return tuple(item.strip() for value in values for item in str(value).split(",") if item.strip())


def split_codes(values: str | Iterable[str] | None) -> tuple[str, ...]:
    """Upper-cased codes from ``"FIT101,fit2"`` or ``["FIT101", "fit2"]``."""
    return tuple(code.upper() for code in comma_split(values))


def resolve(selectors: Iterable[str], codes: Sequence[str]) -> set[str]:
    """The ``codes`` that ``selectors`` name: ``ALL``, exact codes, or prefixes (``FIT1`` names
    FIT101, FIT102...). A selector that names no code raises ``UnknownCode``."""
    resolved: set[str] = set()
    for selector in selectors:
        selector = selector.strip().upper()
        matched = [code for code in codes if selector == ALL or code.startswith(selector)]
        if not matched:
            raise UnknownCode(selector)
        resolved.update(matched)
    return resolved


def selected(checks: Sequence[Plugin], select: Iterable[str] | None = None, extend_select: Iterable[str] = (),
             ignore: Iterable[str] = ()) -> list[Plugin]:
    """The ``checks`` to run, in their order: ``select`` (None: every check enabled by default) plus
    ``extend_select``, minus ``ignore``. Raises ``UnknownCode``."""
    codes = [check.code for check in checks]
    if select is None:
        enabled = {check.code for check in checks if check.default_enabled}
    else:
        enabled = resolve(select, codes)
    enabled |= resolve(extend_select, codes)
    enabled -= resolve(ignore, codes)
    return [check for check in checks if check.code in enabled]
