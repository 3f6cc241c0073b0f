"""The scan cache (fitlint.cache): a warm scan reports exactly what a fresh one does, a changed
file, selection, option, configuration or fitlint never gets findings computed before the change,
a broken entry is ignored and rewritten, parallel runs share it safely, and --fix, --diff and
stdin bypass it or use it correctly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

import fitlint.cache as cache_module
from fitlint.cache import Cache, folder_for
from fitlint.config import Config
from fitlint.engine import scan_files
from fitlint.files import SourceFile, discover
from fitlint.findings import Severity

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "examples" / "train_seed.py").read_text()


def fitlint(*args: str, cwd: Path, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("FITLINT_")}
    environment.update({"NO_COLOR": "1", **(env or {})})
    return subprocess.run([sys.executable, "-m", "fitlint", *args], cwd=cwd, input=stdin, capture_output=True,
                          text=True, env=environment, timeout=300)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Training scripts with findings of every kind: fixable, suppressed, in notebooks, a syntax
    error, undecodable bytes, and a file without training code."""
    # named, not the first four of the folder: a script added there must not change what the tests
    # below rely on (findings of the opt-in FIT602 among them)
    scripts = ["data_labels_shuffled_numpy.py", "data_lightning_plain_model.py",
               "data_trainer_val_on_train_loader.py", "data_traps.py"]
    for path in [*(ROOT / "tests" / "scripts" / name for name in scripts), *(ROOT / "examples").iterdir()]:
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "suppressed.py").write_text(SEED.replace("batch_size=32)  # FIT101", "batch_size=32)  # fitlint: ignore[FIT101]"))
    (tmp_path / "broken.py").write_text("import torch\ndef f(:\n")
    (tmp_path / "latin.py").write_bytes(b"import torch\nx = '\xe9'\n")
    (tmp_path / "util.py").write_text("def add(a, b):\n    return a + b\n")
    return tmp_path


def entries(folder: Path) -> list[Path]:
    return sorted((folder / ".fitlint_cache").rglob("*.json"))


@pytest.mark.parametrize("output", ["text", "json"])
def test_a_warm_scan_reports_exactly_what_a_fresh_one_does(project, output):
    args = ("scan", ".", "--select", "ALL", "--show-suppressed", "--format", output, "--jobs", "1")
    fresh = fitlint(*args, "--no-cache", cwd=project)
    assert not (project / ".fitlint_cache").exists()
    cold = fitlint(*args, cwd=project)
    stored = entries(project)
    warm = fitlint(*args, cwd=project)
    assert fresh.returncode == cold.returncode == warm.returncode == 1
    assert fresh.stdout == cold.stdout == warm.stdout
    assert fresh.stderr == cold.stderr == warm.stderr
    # one entry a file, but for the one that cannot be decoded (its error is found again, cheaply)
    assert len(stored) == len(list(project.glob("*.py")) + list(project.glob("*.ipynb"))) - 1
    assert (project / ".fitlint_cache" / ".gitignore").read_text() == "*\n"
    assert "FIT000" in fresh.stdout and "suppressed" in fresh.stdout and "cell" in fresh.stdout
    assert "[*]" in fresh.stdout or '"fix": "' in fresh.stdout


def test_the_warm_scan_is_served_from_the_entries(project):
    """Shown by tampering with the entries: what a warm scan prints comes from them."""
    fitlint("scan", ".", "--jobs", "1", cwd=project)
    for path in entries(project):
        entry = json.loads(path.read_text())
        for finding in entry["findings"]:
            finding["message"] = "FROM THE CACHE"
        path.write_text(json.dumps(entry))
    warm = fitlint("scan", ".", "--format", "json", "--jobs", "1", cwd=project)
    messages = {finding["path"]: finding["message"] for finding in json.loads(warm.stdout)}
    del messages["latin.py"]  # not kept: see above
    assert len(messages) > 5 and set(messages.values()) == {"FROM THE CACHE"}


def scan(folder: Path, config: Config, cache: Cache | None, files: list[SourceFile] | None = None) -> list[dict]:
    files = files if files is not None else discover([str(folder)], suffixes=(".py", ".ipynb"))[0]
    results = scan_files(files, config, jobs=1, cache=cache)
    return sorted((finding.path, finding.line, finding.column, finding.code, finding.message, finding.fix,
                   finding.suppressed, finding.severity.value, finding.cell)
                  for result in results for finding in result.findings)


def poison(folder: Path) -> None:
    """Add a finding no rule reports to every entry: a scan that serves an entry shows it."""
    for path in sorted(folder.rglob("*.json")):
        entry = json.loads(path.read_text())
        entry["findings"].append({"code": "FIT999", "name": "stale", "severity": "error", "message": "STALE",
                                  "line": 1, "column": 1, "end_line": 1, "end_column": 2, "fix": None,
                                  "fix_safe": True, "suppressed": False, "cell": None})
        path.write_text(json.dumps(entry))


# a change of the configuration, and the files whose findings it may change (None: all)
CHANGES = {
    "select": (lambda config: replace(config, select=("FIT1",)), None),
    "ignore": (lambda config: replace(config, ignore=("FIT101",)), None),
    "extend_select": (lambda config: replace(config, extend_select=("FIT602",)), None),
    "per_file_ignores": (lambda config: replace(config, per_file_ignores=(("train_seed.py", ("FIT2",)),)),
                         {"train_seed.py"}),
    "options": (lambda config: replace(config, rule_options=(("FIT504", (("min_batch_size", 64),)),)), None),
    "severity": (lambda config: replace(config, severity=Severity.ERROR), None),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_changed_configuration_never_gets_stale_findings(project, tmp_path_factory, change):
    folder = tmp_path_factory.mktemp("cache")
    before = Config()
    assert scan(project, before, Cache(folder)) == scan(project, before, None)
    poison(folder)
    assert any(row[3] == "FIT999" for row in scan(project, before, Cache(folder)))  # entries are served
    make, affected = CHANGES[change]
    after = make(before)
    fresh = scan(project, after, None)
    assert fresh != scan(project, before, None)  # the change matters to the findings

    def of_affected(rows):
        return [row for row in rows if affected is None or Path(row[0]).name in affected]

    for _ in range(2):  # and what the first scan stores is right
        assert of_affected(scan(project, after, Cache(folder))) == of_affected(fresh)


def test_a_changed_file_or_fitlint_never_gets_stale_findings(project, tmp_path_factory, monkeypatch):
    folder = tmp_path_factory.mktemp("cache")
    config = Config()
    scan(project, config, Cache(folder))
    poison(folder)
    # the file's bytes
    (project / "train_seed.py").write_text(SEED.replace("batch_size=32)  # FIT101", "batch_size=32, shuffle=True)"))
    changed = scan(project, config, Cache(folder))
    assert [row for row in changed if row[0] == "train_seed.py"] == [
        row for row in scan(project, config, None) if row[0] == "train_seed.py"]
    # fitlint's version, fitlint's code (an edited or reinstalled fitlint), a rule's module
    for name, value in (("__version__", "99.0"), ("_FINGERPRINT", ["another build"])):
        with monkeypatch.context() as patch:
            patch.setattr(cache_module, name, value)
            assert scan(project, config, Cache(folder)) == scan(project, config, None)
    with monkeypatch.context() as patch:
        patch.setattr(cache_module, "_file_state", lambda path: "edited")
        assert scan(project, config, Cache(folder)) == scan(project, config, None)
    # the path a file is reported under (rules read it: a test_*.py is a test suite)
    shutil.copy(project / "suppressed.py", project / "test_suppressed.py")
    rows = scan(project, config, Cache(folder))
    assert any(row[3] == "FIT999" for row in rows)  # the poisoned entries of unchanged files are served...
    assert not any(row[3] == "FIT999" and row[0].endswith("test_suppressed.py") for row in rows)  # not to a copy


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "another key", "wrong shape"])
def test_a_broken_entry_is_ignored_and_rewritten(project, tmp_path_factory, damage):
    folder = tmp_path_factory.mktemp("cache")
    config = Config()
    fresh = scan(project, config, None)
    scan(project, config, Cache(folder))
    paths = sorted(folder.rglob("*.json"))
    for index, path in enumerate(paths):
        text = path.read_text()
        if damage == "truncated":
            path.write_text(text[: len(text) // 2])
        elif damage == "garbage":
            path.write_bytes(b"\x00\xff garbage")
        elif damage == "empty":
            path.write_text("")
        elif damage == "another key":
            path.write_text(paths[index - 1].read_text() if len(paths) > 1 else text.replace('"key":"', '"key":"0'))
        else:
            path.write_text(json.dumps({"key": path.stem, "findings": [{"code": "FIT101"}]}))
    assert scan(project, config, Cache(folder)) == fresh
    for path in paths:  # rewritten whole, with their own key
        assert json.loads(path.read_text())["key"] == path.stem
    assert scan(project, config, Cache(folder)) == fresh


def test_parallel_runs_share_the_cache(project):
    for index in range(20):
        shutil.copy(project / "train_seed.py", project / f"copy_{index:02d}.py")
    expected = fitlint("scan", ".", "--format", "json", "--no-cache", "--jobs", "1", cwd=project).stdout
    runs = [subprocess.Popen([sys.executable, "-m", "fitlint", "scan", ".", "--format", "json", "--jobs", "2"],
                             cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [stdout for stdout, _ in outputs] == [expected] * 3
    assert [stderr for _, stderr in outputs] == [""] * 3
    for path in entries(project):
        assert json.loads(path.read_text())["key"] == path.stem
    assert not list((project / ".fitlint_cache").rglob("*.fitlint"))  # no temporary file left
    assert fitlint("scan", ".", "--format", "json", "--jobs", "2", cwd=project).stdout == expected


def test_fix_and_diff_with_a_warm_cache(project):
    fitlint("scan", ".", "--jobs", "1", cwd=project)
    diff = fitlint("scan", ".", "--diff", "--jobs", "1", cwd=project)
    assert diff.stdout == fitlint("scan", ".", "--diff", "--no-cache", "--jobs", "1", cwd=project).stdout
    assert "+++ b/train_seed.py" in diff.stdout
    before = (project / "train_seed.py").read_text()
    fixed = fitlint("scan", ".", "--fix", "--jobs", "1", cwd=project)
    assert (project / "train_seed.py").read_text() != before
    after = fitlint("scan", ".", "--format", "json", "--jobs", "1", cwd=project)
    assert after.stdout == fitlint("scan", ".", "--format", "json", "--no-cache", "--jobs", "1", cwd=project).stdout
    assert "fixed" in fixed.stderr


def test_stdin_and_no_cache_write_nothing(project):
    assert fitlint("scan", "-", "--stdin-filename", "x.py", cwd=project, stdin=SEED).returncode == 1
    assert fitlint("scan", "train_seed.py", "--no-cache", cwd=project).returncode == 1
    assert fitlint("scan", "train_seed.py", cwd=project, env={"FITLINT_NO_CACHE": "1"}).returncode == 1
    assert not (project / ".fitlint_cache").exists()
    assert fitlint("scan", "train_seed.py", cwd=project, env={"FITLINT_NO_CACHE": "0"}).returncode == 1
    assert entries(project)


def test_where_the_cache_lives(project, tmp_path_factory, monkeypatch):
    (project / "fitlint.yaml").write_text("cache-dir: .cache/lint\n")
    (project / "sub").mkdir()
    assert fitlint("scan", "../train_seed.py", cwd=project / "sub").returncode == 1
    assert len(list((project / ".cache" / "lint").rglob("*.json"))) == 1  # beside the configuration
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    fitlint("scan", "train_seed.py", cwd=project, env={"FITLINT_CACHE_DIR": str(elsewhere)})
    assert len(list(elsewhere.rglob("*.json"))) == 1
    monkeypatch.chdir(project)
    assert folder_for(Config()) == project / ".fitlint_cache"


def test_an_incomplete_result_is_not_kept(project, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cache")
    long = "import torch\n" + "".join(f"x{i} = torch.zeros({i})\n" for i in range(20000))
    (project / "long.py").write_text(long)
    scan(project, Config(file_timeout=0.05), Cache(folder), [SourceFile(project / "long.py", "long.py")])
    assert not list(folder.rglob("*.json"))


def test_a_cold_scan_reads_the_borrowed_modules_once(tmp_path, tmp_path_factory, monkeypatch):
    """The project files that make a script's cache key are the ones its borrow reads: looked up
    once per file, and the findings that need them are the same as without a cache."""
    import fitlint.engine as engine_module

    (tmp_path / "loaders.py").write_text(
        "from torch.utils.data import DataLoader\n\n"
        "def make_loader(dataset):\n    return DataLoader(dataset, batch_size=64)\n")
    (tmp_path / "train.py").write_text(
        "import torch\nfrom loaders import make_loader\n\n"
        "model = torch.nn.Linear(4, 2)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "train_loader = make_loader(train_set)\n"
        "for epoch in range(10):\n    for x, y in train_loader:\n        optimizer.zero_grad()\n"
        "        torch.nn.functional.cross_entropy(model(x), y).backward()\n        optimizer.step()\n")
    calls = []
    real = engine_module.dependencies
    monkeypatch.setattr(engine_module, "dependencies", lambda *args: calls.append(args[0]) or real(*args))
    files = [SourceFile(tmp_path / "train.py", str(tmp_path / "train.py"))]
    cold = scan(tmp_path, Config(), Cache(tmp_path_factory.mktemp("cache")), files)
    assert calls == [str(tmp_path / "train.py")]
    assert any(row[3] == "FIT101" for row in cold)  # found through the borrowed make_loader
    assert cold == scan(tmp_path, Config(), None, files)
