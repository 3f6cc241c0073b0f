"""The per-file budget (``--file-timeout``, ``file-timeout``): a file whose analysis runs out of
time gets one line naming it and the rule that was running, keeps the findings of the rules that
finished, and the scan goes on with the other files, also under ``--jobs`` and ``--fix``.

The slow rules here never finish on their own: a test can only pass if the budget stops them."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from fitlint import budget
from fitlint.config import Config, ConfigError, load_config
from fitlint.engine import fix_source, instantiate, scan_source
from fitlint.rule import Rule, all_rules
from test_growth import reassigned_blocks

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "examples" / "train_seed.py").read_text()
needs_timer = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timer on this platform")


class Endless(Rule):
    """Spins until stopped, swallowing every Exception as a careless rule might."""

    code = "FIT998"
    name = "endless"

    def check(self, script):
        while True:
            try:
                sum(range(1000))
            except Exception:
                pass
        yield


class TooDeep(Rule):
    code = "FIT997"
    name = "too-deep"

    def check(self, script):
        raise RecursionError("maximum recursion depth exceeded")
        yield


def rules_with(extra: Rule, config: Config, after: int = 2) -> list[Rule]:
    rules = instantiate(config)
    return rules[:after] + [extra] + rules[after:]


@needs_timer
def test_a_rule_out_of_time_is_named_and_the_rules_before_it_keep_their_findings():
    config = Config(file_timeout=0.2)
    rules = rules_with(Endless(), config)
    # the rules before the endless one are FIT000 and FIT001: the seed's FIT001 stays
    result = scan_source("train.py", SEED, rules, config)
    assert [finding.code for finding in result.findings] == ["FIT001"]
    left = len([rule for rule in rules if rule.code != "FIT000"]) - 2
    assert result.notices == [
        f"train.py: out of time in FIT998 (endless): the file's 0.2 s budget (--file-timeout) is spent; "
        f"no findings from FIT998 and the {left} rules after it"
    ]
    assert result.errors == []


@needs_timer
def test_the_timer_is_disarmed_and_the_handler_restored():
    before = signal.getsignal(signal.SIGPROF)
    config = Config(file_timeout=0.2)
    scan_source("train.py", SEED, rules_with(Endless(), config), config)
    assert signal.getsignal(signal.SIGPROF) == before
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    # and the next file gets a budget of its own
    result = scan_source("again.py", SEED, rules_with(Endless(), config), config)
    assert result.notices and result.notices[0].startswith("again.py: out of time in FIT998")


def test_no_budget_means_no_limit_and_no_timer():
    config = Config(file_timeout=0)
    result = scan_source("train.py", SEED, instantiate(config), config)
    assert result.notices == [] and len(result.findings) > 3
    if hasattr(signal, "getitimer"):
        assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


def test_without_the_timer_the_budget_is_checked_between_rules(monkeypatch):
    """Where SIGPROF cannot be used (a thread, Windows), a spent budget still skips the rest."""
    monkeypatch.setattr(budget, "_TIMER", None)

    class Slow(Rule):
        code = "FIT996"
        name = "slow"

        def check(self, script):
            deadline = budget.time.process_time() + 0.3
            while budget.time.process_time() < deadline:
                pass
            return iter(())

    config = Config(file_timeout=0.1)
    result = scan_source("train.py", SEED, rules_with(Slow(), config), config)
    assert [finding.code for finding in result.findings] == ["FIT001"]
    assert result.notices and "out of time in FIT" in result.notices[0]


def test_a_rule_that_nests_too_deeply_gives_up_alone():
    config = Config()
    result = scan_source("train.py", SEED, rules_with(TooDeep(), config), config)
    assert result.notices == ["train.py: FIT997 (too-deep) gave up on this file: the code nests too deeply for its "
                              "analysis; its findings here are missing"]
    assert result.errors == []
    assert len({finding.code for finding in result.findings}) > 3  # the rules after it ran


def test_a_file_too_deep_for_the_shared_analysis_is_a_fit000_finding():
    """An attribute chain 1,200 deep parses (libcst's parser is not recursive) but no recursive
    walk gets through it: one FIT000 finding, never a traceback."""
    source = "import torch\nloss = x" + ".a" * 1200 + "\n"
    config = Config()
    result = scan_source("deep.py", source, instantiate(config), config)
    assert [(f.code, f.message) for f in result.findings] == [("FIT000", "the file is nested too deeply to analyze")]


@needs_timer
def test_fixing_a_file_out_of_time_leaves_it_as_it_is():
    config = Config(file_timeout=0.2)
    outcome = fix_source("train.py", SEED, rules_with(Endless(), config, after=4), config)
    assert outcome.fixed == outcome.original == SEED
    assert outcome.result.notices[0].startswith("train.py: out of time in FIT998 (endless)")
    assert outcome.result.notices[0].endswith("; the file is not fixed")
    assert [f.code for f in outcome.result.findings] == ["FIT001"]  # FIT002 and FIT003 find nothing here


def test_file_timeout_in_the_config(tmp_path):
    config_file = tmp_path / "fitlint.yaml"
    config_file.write_text("file-timeout: 2.5\n")
    assert load_config(config_file, all_rules()).file_timeout == 2.5
    assert Config().file_timeout == budget.DEFAULT_FILE_TIMEOUT
    for bad, shown in (("-1", "-1"), ("soon", "a string"), ("true", "a boolean")):
        config_file.write_text(f"file_timeout: {bad}\n")
        with pytest.raises(ConfigError) as error:
            load_config(config_file, all_rules())
        assert str(error.value) == f"{config_file}: 'file-timeout' must be a number of seconds, 0 or more, not {shown}"


def test_the_command_line_overrides_the_config():
    assert Config(file_timeout=3).with_overrides(file_timeout=0.5).file_timeout == 0.5
    assert Config(file_timeout=3).with_overrides(file_timeout=None).file_timeout == 3
    with pytest.raises(ConfigError, match="--file-timeout: must be a number of seconds, 0 or more, not -2"):
        Config().with_overrides(file_timeout=-2)


@needs_timer
def test_the_scan_goes_on_past_a_file_out_of_time_under_jobs(tmp_path):
    """Twenty copies of the seed script and one long script of the issue's blocks; a budget a few
    times what a seed copy takes and far too small for the long one (its parse alone takes longer).
    Its line names it; the others are reported."""
    for index in range(20):
        (tmp_path / f"seed_{index:02d}.py").write_text(SEED)
    (tmp_path / "long.py").write_text(reassigned_blocks(600))
    result = subprocess.run([sys.executable, "-m", "fitlint", "scan", ".", "--format", "json", "--jobs", "2",
                             "--file-timeout", "0.2"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    lines = result.stderr.splitlines()
    assert [line.split(":", 2)[:2] for line in lines] == [["fitlint", " long.py"]], result.stderr
    assert "out of time" in lines[0] and "--file-timeout" in lines[0]
    paths = {finding["path"] for finding in json.loads(result.stdout)}
    assert {f"seed_{index:02d}.py" for index in range(20)} <= paths
    assert result.returncode == 1
