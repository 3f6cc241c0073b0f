"""Python 2 and pre-3.7 training scripts (fitlint.legacy): read after a same-line rewrite, with
every finding on its own line, no FIT000, and no fix ever written."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fitlint.config import Config
from fitlint.engine import scan_source
from fitlint.legacy import modernized
from fitlint.rule import all_rules
from test_scripts import expected_findings

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted((ROOT / "tests" / "legacy").glob("*.py"))


@pytest.mark.parametrize(("line", "rewritten"), [
    ("x = y.cuda(async=True)", "x = y.cuda(async_=True)"),
    ("def to_gpu(x, async=False):", "def to_gpu(x, async_=False):"),
    ('print "loss %.3f" % loss', 'print, "loss %.3f" % loss'),
    ("    print epoch, loss", "    print, epoch, loss"),
    ("if i % 10 == 0: print i", "if i % 10 == 0: print, i"),
    ("except IOError, e:", "except IOError as e:"),
    ("    except (IOError, OSError), err:", "    except (IOError, OSError) as err:"),
    ('raise ValueError, "bad size"', 'raise ValueError("bad size")'),
])
def test_a_legacy_construct_is_rewritten_on_its_line(line: str, rewritten: str):
    assert modernized(line + "\n") == rewritten + "\n"


@pytest.mark.parametrize("line", [
    'print("loss", loss)',
    "print (loss)",
    "print",
    "print = logger.info",
    "print >>sys.stderr, loss",
    "x = async_mode == 1",
    "if a == async: pass",
    "except (IOError, OSError):",
    "except ValueError as e:",
    'raise ValueError, "bad"  # a comment would end up inside the call',
])
def test_python3_and_unclear_lines_are_left_as_they_are(line: str):
    assert modernized(line + "\n") is None


def test_the_rewrite_keeps_every_line_where_it_was():
    source = (ROOT / "tests" / "legacy" / "imagenet_py2.py").read_text()
    rewritten = modernized(source)
    assert rewritten is not None and rewritten != source
    assert len(rewritten.splitlines()) == len(source.splitlines())
    for before, after in zip(source.splitlines(), rewritten.splitlines()):
        if "print" not in before and "async" not in before and "except" not in before and "raise" not in before:
            assert before == after


@pytest.mark.parametrize("path", SCRIPTS, ids=[path.name for path in SCRIPTS])
def test_legacy_script_findings_match_markers(path: Path):
    rules = [rule() for rule in all_rules()]
    source = path.read_text(encoding="utf-8")
    with pytest.raises(SyntaxError):
        compile(source, path.name, "exec")  # the script really is legacy code
    result = scan_source(path.name, source, rules, Config())
    assert not result.errors
    found = {(finding.line, finding.code) for finding in result.findings}
    assert found == expected_findings(source, {rule.code for rule in rules})


def test_a_syntax_error_that_no_rewrite_explains_is_still_reported():
    source = 'import torch\nprint "start"\ndef train(:\n    pass\n'
    result = scan_source("broken.py", source, [rule() for rule in all_rules()], Config())
    assert [finding.code for finding in result.findings] == ["FIT000"]


def test_fix_never_writes_a_legacy_file(tmp_path: Path):
    target = tmp_path / "train.py"
    shutil.copy(ROOT / "tests" / "legacy" / "imagenet_py2.py", target)
    before = target.read_bytes()
    run = subprocess.run([sys.executable, "-m", "fitlint", "scan", "--fix", "--unsafe-fixes", "--no-cache", "train.py"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "FIT001" in run.stdout  # scanned, findings reported
    assert "[*]" not in run.stdout  # no fix offered
    assert target.read_bytes() == before
