"""One plugin framework serves rules, log checks and log readers: one base (fitlint.plugin.Check),
one discovery, one code selector, one severity type, one folder walk with one skip list."""

from __future__ import annotations

import textwrap

import pytest

from fitlint.files import discover as discover_sources
from fitlint.findings import Severity
from fitlint.logs.checks.base import all_checks, selected_checks
from fitlint.logs.engine import discover as discover_logs
from fitlint.plugin import Check, UnknownCode, comma_split, discover, resolve, selected, split_codes
from fitlint.rule import all_rules


def test_rules_and_log_checks_share_one_base_and_one_severity_type():
    for check in (*all_rules(), *all_checks()):
        assert issubclass(check, Check)
        assert isinstance(check.severity, Severity), check.code
        assert check.missing_sections() == [], check.code
    assert {check.severity for check in all_checks()} == set(Severity)


def test_a_severity_prints_as_its_value_on_every_python():
    assert f"[{Severity.WARNING}]" == "[warning]" and str(Severity.ERROR) == "error"
    assert f"{Severity.INFO:>6}" == "  info"


def test_discover_finds_the_subclasses_each_module_defines(tmp_path, monkeypatch):
    package = tmp_path / "plugins_here"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "base.py").write_text("class Base:\n    pass\n")
    (package / "first.py").write_text(textwrap.dedent("""
        from plugins_here.base import Base

        class One(Base):
            pass

        class NotAPlugin:
            pass
    """))
    # second.py imports One: it must not be found twice
    (package / "second.py").write_text(textwrap.dedent("""
        from plugins_here.base import Base
        from plugins_here.first import One

        class Two(One):
            pass
    """))
    (package / "_helpers.py").write_text("from plugins_here.base import Base\n\nclass Hidden(Base):\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    from plugins_here.base import Base

    assert [cls.__name__ for cls in discover("plugins_here", Base)] == ["One", "Two"]


def test_codes_split_on_commas_and_upper_case():
    assert comma_split(["a, b", "c,,"]) == ("a", "b", "c")
    assert comma_split("x") == ("x",) and comma_split(None) == ()
    assert split_codes(["fit101,FIT2", " log003 "]) == ("FIT101", "FIT2", "LOG003")


def test_resolve_takes_all_exact_codes_and_prefixes():
    codes = ["FIT101", "FIT102", "FIT201", "LOG001"]
    assert resolve(["ALL"], codes) == set(codes)
    assert resolve(["fit1", "FIT201"], codes) == {"FIT101", "FIT102", "FIT201"}
    with pytest.raises(UnknownCode) as raised:
        resolve(["FIT3"], codes)
    assert raised.value.code == "FIT3"


class _On(Check):
    code, name = "XYZ101", "on"


class _OnToo(Check):
    code, name = "XYZ102", "on-too"


class _Off(Check):
    code, name, default_enabled = "XYZ201", "off", False
    options = {"limit": 3}


CHECKS = [_On, _OnToo, _Off]


def _codes(checks):
    return [check.code for check in checks]


def test_selection_defaults_extends_and_ignores():
    assert _codes(selected(CHECKS)) == ["XYZ101", "XYZ102"]
    assert _codes(selected(CHECKS, extend_select=["XYZ2"])) == ["XYZ101", "XYZ102", "XYZ201"]
    assert _codes(selected(CHECKS, select=["ALL"], ignore=["XYZ10"])) == ["XYZ201"]
    # ignore wins over extend-select, as in ruff
    assert _codes(selected(CHECKS, select=["XYZ101"], extend_select=["XYZ2"], ignore=["XYZ201"])) == ["XYZ101"]
    with pytest.raises(UnknownCode):
        selected(CHECKS, ignore=["XYZ9"])


def test_the_log_analyzer_selects_through_the_same_selector():
    assert [c.code for c in selected_checks(select="LOG01", ignore=["log011"])] == ["LOG010"]
    with pytest.raises(ValueError, match="unknown check code 'FIT1'"):
        selected_checks(select=["FIT1"])


def test_options_are_merged_and_unknown_ones_refused_for_every_kind():
    assert _Off({"limit": 5}).opts == {"limit": 5} and _Off().opts == {"limit": 3}
    rule = next(rule for rule in all_rules() if rule.options)
    for check in (_Off, rule, all_checks()[0]):
        with pytest.raises(ValueError, match="unknown option"):
            check({"no_such_option": 1})


def test_scanner_and_log_analyzer_skip_the_same_tool_folders(tmp_path, monkeypatch):
    csv = "epoch,loss,accuracy,val_loss,val_accuracy\n0,1.0,0.5,1.1,0.4\n1,0.8,0.6,1.0,0.5\n"
    for folder in ("run", "venv/lib", "node_modules/pkg", ".git/x", "__pycache__"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "train.py").write_text("import torch\n")
        (tmp_path / folder / "training.log.csv").write_text(csv)
    monkeypatch.chdir(tmp_path)
    sources, errors = discover_sources(["."])
    assert [source.display for source in sources] == ["run/train.py"] and errors == []
    errors = []
    groups = discover_logs(["."], errors)
    assert [str(folder) for _, folder in groups] == ["run"] and errors == []
