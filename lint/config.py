"""Project configuration: ``[tool.fitlint]`` in pyproject.toml, or fitlint.yaml / .fitlint.yaml.

Every value is checked against the rule registry when the file is loaded, so a typo in a code or an
option name is a one-line error naming the file, not a rule that silently never runs.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Sequence

from fitlint.budget import DEFAULT_FILE_TIMEOUT
from fitlint.findings import Severity
from fitlint.files import path_matches
from fitlint.plugin import Check, Plugin, UnknownCode, resolve, selected, split_codes

YAML_NAMES = ("fitlint.yaml", ".fitlint.yaml")
PYPROJECT = "pyproject.toml"
CODE_LIST_KEYS = ("select", "extend-select", "ignore")
KEYS = (*CODE_LIST_KEYS, "per-file-ignores", "exclude", "severity", "options", "file-timeout", "cache-dir")
# The command-line values ``with_overrides`` accepts; each replaces or extends its field.
OVERRIDES = ("select", "extend_select", "ignore", "per_file_ignores", "exclude", "severity", "file_timeout")


class ConfigError(Exception):
    """A configuration problem; the message is one line naming the file and the bad key or value."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    severity: Severity = Severity.INFO
    # Nested tuples rather than dicts so that a Config stays hashable; list options are tuples.
    rule_options: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    # CPU seconds one file's analysis may take (0: no limit); see fitlint.budget
    file_timeout: float = DEFAULT_FILE_TIMEOUT
    # where the scan cache lives, relative to the configuration file's folder (see fitlint.cache)
    cache_dir: str | None = None
    source: str | None = None
    root: Path = Path(".")

    def options_for(self, code: str) -> dict[str, Any]:
        """The options the config sets for rule ``code`` (snake_case keys; list values as lists)."""
        for rule_code, options in self.rule_options:
            if rule_code == code.upper():
                return {key: list(value) if isinstance(value, tuple) else value for key, value in options}
        return {}

    def with_overrides(self, **cli_values: Any) -> Config:
        """This config with command-line values applied; a value of None means "not given".

        Like ruff, ``select`` from the command line starts the selection afresh: the file's
        ``select``, ``extend-select`` and ``ignore`` no longer apply (its per-file-ignores still do).
        ``extend_select``, ``ignore``, ``per_file_ignores`` and ``exclude`` add to the file's;
        ``severity`` and ``file_timeout`` replace theirs. Codes may be given comma-separated.
        """
        unknown = set(cli_values) - set(OVERRIDES)
        if unknown:
            raise TypeError(f"unknown override(s): {', '.join(sorted(unknown))}")
        given = {key: value for key, value in cli_values.items() if value is not None}
        changes: dict[str, Any] = {}
        base = self
        if "select" in given:
            base = replace(self, extend_select=(), ignore=())
            changes["select"] = split_codes(given["select"])
        for key in ("extend_select", "ignore"):
            if key in given:
                changes[key] = getattr(base, key) + split_codes(given[key])
        if "exclude" in given:
            extra = given["exclude"]
            changes["exclude"] = base.exclude + ((extra,) if isinstance(extra, str) else tuple(extra))
        if "per_file_ignores" in given:
            pairs = dict(given["per_file_ignores"]).items()
            extra = tuple((glob, split_codes(codes)) for glob, codes in pairs)
            changes["per_file_ignores"] = base.per_file_ignores + extra
        if "severity" in given:
            changes["severity"] = _severity_from_cli(given["severity"])
        if "file_timeout" in given:
            changes["file_timeout"] = _timeout_from_cli(given["file_timeout"])
        return replace(base, **changes)


def _severity_from_cli(value: str | Severity) -> Severity:
    if isinstance(value, Severity):
        return value
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise ConfigError(f"--severity: {exc}") from None


def _timeout_from_cli(value: float) -> float:
    if value < 0:
        raise ConfigError(f"--file-timeout: must be a number of seconds, 0 or more, not {value:g}")
    return float(value)


def find_config(start: Path) -> Path | None:
    """The nearest config file in ``start`` (a folder, or a file's folder) or a folder above it.

    Within one folder, fitlint.yaml wins over .fitlint.yaml, which wins over pyproject.toml; a
    pyproject.toml counts only if it has a ``[tool.fitlint]`` table, so an unrelated one on the way
    up does not stop the search. A pyproject.toml that mentions fitlint but is not valid TOML is a
    ConfigError rather than silently skipped.
    """
    start = Path(os.path.abspath(start))
    if not start.is_dir():
        start = start.parent
    for folder in (start, *start.parents):
        for name in YAML_NAMES:
            if (folder / name).is_file():
                return folder / name
        if _has_fitlint_table(folder / PYPROJECT):
            return folder / PYPROJECT
    return None


def _has_fitlint_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    # Parsing every pyproject.toml on the way up (and importing tomllib) is wasted work when no
    # `fitlint` key is even written there (a project that only depends on fitlint, or names it).
    if not _FITLINT_KEY.search(text):
        return False
    return _fitlint_table(_parse_toml(text, _display(pyproject))) is not None


# `fitlint` written as a key of a table: `[tool.fitlint]`, `[ tool . "fitlint" ]`, `fitlint.select =`
# under `[tool]`, `tool.fitlint.x =`, `tool = { fitlint = ... }`, or a header cut short
# (`[tool.fitlint`: parsed, so that the broken file is reported). Any way TOML has to make a
# `tool.fitlint` table matches; a dependency `"fitlint>=0.1"` or `name = "fitlint"` does not.
_FITLINT_KEY = re.compile(r"""(?:^|[\[{,.])[ \t]*["']?fitlint["']?[ \t]*(?:[\].=]|$)""", re.M)


def load_config(path: Path | None, rules: Sequence[type[Check]]) -> Config:
    """The configuration in ``path`` (pyproject.toml, or a YAML file), checked against ``rules``;
    the defaults when ``path`` is None."""
    if path is None:
        return Config()
    path = Path(path)
    shown = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{shown}: cannot decode as UTF-8: {exc.reason}") from None
    if path.suffix in (".yaml", ".yml"):
        table, where = _parse_yaml(text, shown), ""
    elif path.name == PYPROJECT:
        table, where = _fitlint_table(_parse_toml(text, shown)), "[tool.fitlint] "
    else:
        raise ConfigError(f"{shown}: not a config file (expected {PYPROJECT}, {' or '.join(YAML_NAMES)})")
    # An empty YAML file, or a pyproject.toml without the table, means the defaults.
    if table is None:
        table = {}
    if not isinstance(table, dict):
        raise ConfigError(
            f"{shown}: {where or 'top level '}must be a table of settings, not {_type_name(table)}"
        )
    reader = _Reader(shown, where, tuple(rules))
    return reader.config(table, root=Path(os.path.abspath(path.parent)))


def _display(path: Path) -> str:
    """``path`` relative to the cwd when it is inside it: what a user recognises in a message."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        return Path(os.path.relpath(absolute, cwd)).as_posix()
    return str(path)


def _parse_toml(text: str, shown: str) -> dict:
    # Imported here: only projects whose pyproject.toml mentions fitlint pay for it.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # the same parser, declared as a dependency for 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown}: invalid TOML: {exc}") from None


def _fitlint_table(document: dict) -> Any:
    """The ``[tool.fitlint]`` value of a parsed pyproject.toml, or None when it has none."""
    tool = document.get("tool")
    return tool.get("fitlint") if isinstance(tool, dict) else None


def _parse_yaml(text: str, shown: str) -> Any:
    # Imported here: only projects with a YAML config pay for it.
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{shown}: invalid YAML: {_yaml_problem(exc)}") from None


def _yaml_problem(exc: Exception) -> str:
    """PyYAML's several-line message as one line, with the position 1-based."""
    mark = getattr(exc, "problem_mark", None)
    problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else problem


def _type_name(value: Any) -> str:
    return {dict: "a table", list: "a list", str: "a string", bool: "a boolean",
            int: "an integer", float: "a number", type(None): "empty"}.get(type(value), type(value).__name__)


def _expected_type_name(default: Any) -> str:
    """What an option's default says its values must be: "an integer", "a list of strings"."""
    if isinstance(default, (list, tuple)) and default:
        items = {bool: "booleans", int: "integers", float: "numbers", str: "strings"}
        return f"a list of {items.get(type(default[0]), type(default[0]).__name__)}"
    return _type_name(list(default) if isinstance(default, tuple) else default)


@dataclass(frozen=True)
class _Reader:
    """Checks one parsed config table; ``where`` prefixes messages (``"[tool.fitlint] "``)."""

    shown: str
    where: str
    rules: tuple[type[Check], ...]

    def error(self, message: str) -> ConfigError:
        return ConfigError(f"{self.shown}: {self.where}{message}")

    def config(self, table: dict, root: Path) -> Config:
        settings = self.settings_by_kebab_key(table)
        fields: dict[str, Any] = {}
        for key in CODE_LIST_KEYS:
            if key in settings:
                fields[key.replace("-", "_")] = self.codes(settings[key], f"'{key}'")
        if "per-file-ignores" in settings:
            fields["per_file_ignores"] = self.per_file_ignores(settings["per-file-ignores"])
        if "exclude" in settings:
            fields["exclude"] = self.strings(settings["exclude"], "exclude")
        if "severity" in settings:
            fields["severity"] = self.severity(settings["severity"])
        if "options" in settings:
            fields["rule_options"] = self.rule_options(settings["options"])
        if "file-timeout" in settings:
            fields["file_timeout"] = self.seconds(settings["file-timeout"], "file-timeout")
        if "cache-dir" in settings:
            fields["cache_dir"] = self.string(settings["cache-dir"], "cache-dir")
        return Config(**fields, source=self.shown, root=root)

    def settings_by_kebab_key(self, table: dict) -> dict[str, Any]:
        settings = {}
        for key, value in table.items():
            kebab = str(key).replace("_", "-")
            if kebab not in KEYS:
                raise self.error(f"unknown key {key!r} (expected one of: {', '.join(KEYS)})")
            if kebab in settings:
                raise self.error(f"{key!r} is given twice (kebab-case and snake_case)")
            settings[kebab] = value
        return settings

    def string(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value:
            raise self.error(f"'{key}' must be a folder name, not {'an empty string' if value == '' else _type_name(value)}")
        return value

    def strings(self, value: Any, key: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error(f"'{key}' must be a list of strings, not {_type_name(value)}")
        return tuple(value)

    def codes(self, value: Any, context: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error(f"{context} must be a list of rule codes, not {_type_name(value)}")
        codes = tuple(code.strip().upper() for code in value)
        for code in codes:
            try:
                resolve_codes([code], self.rules)
            except ConfigError:
                raise self.error(f"unknown rule code {code!r} in {context}") from None
        return codes

    def per_file_ignores(self, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
        if not isinstance(value, dict):
            raise self.error(f"'per-file-ignores' must be a table of glob = [codes], not {_type_name(value)}")
        return tuple(
            (str(glob), self.codes(codes, f"'per-file-ignores' for {str(glob)!r}"))
            for glob, codes in value.items()
        )

    def seconds(self, value: Any, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            shown = _type_name(value) if not isinstance(value, (int, float)) or isinstance(value, bool) else repr(value)
            raise self.error(f"'{key}' must be a number of seconds, 0 or more, not {shown}")
        return float(value)

    def severity(self, value: Any) -> Severity:
        if not isinstance(value, str):
            raise self.error(f"'severity' must be a string, not {_type_name(value)}")
        try:
            return Severity.parse(value)
        except ValueError as exc:
            raise self.error(f"bad 'severity': {exc}") from None

    def rule_options(self, value: Any) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
        if not isinstance(value, dict):
            raise self.error(f"'options' must be a table of rule code = table, not {_type_name(value)}")
        result = []
        for raw_code, options in value.items():
            code = str(raw_code).strip().upper()
            rule = next((rule for rule in self.rules if rule.code == code), None)
            if rule is None:
                raise self.error(f"'options' for unknown rule code {str(raw_code)!r}")
            if not isinstance(options, dict):
                raise self.error(f"'options' for {code} must be a table, not {_type_name(options)}")
            result.append((code, tuple(self.option(rule, key, item) for key, item in options.items())))
        return tuple(result)

    def option(self, rule: type[Check], key: Any, value: Any) -> tuple[str, Any]:
        name = str(key).replace("-", "_")
        if name not in rule.options:
            known = ", ".join(option.replace("_", "-") for option in rule.options) or "none"
            raise self.error(f"unknown option {str(key)!r} for {rule.code} (known: {known})")
        default = rule.options[name]
        checked = _option_value_of_type(value, default)
        if checked is _MISMATCH:
            raise self.error(
                f"option {str(key)!r} for {rule.code} must be {_expected_type_name(default)}, "
                f"not {_type_name(value)} ({value!r})"
            )
        return name, checked


_MISMATCH = object()


def _option_value_of_type(value: Any, default: Any) -> Any:
    """``value`` converted to the type of ``default`` (int to float, list to tuple), or
    ``_MISMATCH``. bool is checked before int because ``True`` is an int in Python."""
    if default is None:
        return tuple(value) if isinstance(value, list) else value
    if isinstance(default, bool) or isinstance(value, bool):
        return value if isinstance(value, bool) and isinstance(default, bool) else _MISMATCH
    if isinstance(default, float):
        return float(value) if isinstance(value, (int, float)) else _MISMATCH
    if isinstance(default, (list, tuple)):
        if not isinstance(value, list):
            return _MISMATCH
        if default and not all(_option_value_of_type(item, default[0]) is not _MISMATCH for item in value):
            return _MISMATCH
        return tuple(value)
    return value if isinstance(value, type(default)) else _MISMATCH


def resolve_codes(selectors: Iterable[str], rules: Sequence[type[Check]]) -> set[str]:
    """The codes of ``rules`` that ``selectors`` name (``fitlint.plugin.resolve``); a selector that
    names no rule is a ConfigError."""
    try:
        return resolve(selectors, [rule.code for rule in rules])
    except UnknownCode as error:
        raise ConfigError(f"unknown rule code {error.code!r}") from None


def selected_rules(config: Config, rules: Sequence[Plugin], path: str | None = None) -> list[Plugin]:
    """The rules to run, in registry order: ``select`` (or every rule enabled by default) plus
    ``extend_select``, minus ``ignore``, and, for a file ``path``, minus its per-file-ignores."""
    ignored = config.ignore
    if path is not None:
        for glob, codes in config.per_file_ignores:
            if path_matches(Path(path), [glob], config.root):
                ignored += codes
    try:
        return selected(rules, config.select, config.extend_select, ignored)
    except UnknownCode as error:
        raise ConfigError(f"unknown rule code {error.code!r}") from None
