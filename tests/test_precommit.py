"""The pre-commit hook, for real: a throwaway git repository runs this checkout's hook."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUGGY = """\
import torch
from torch.utils.data import DataLoader
model = torch.nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = DataLoader(train_set, batch_size=32)
for epoch in range(3):
    for x, y in train_loader:
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
"""
CLEAN = BUGGY.replace("batch_size=32)", "batch_size=32, shuffle=True)")

pytestmark = pytest.mark.slow


def _run(*args: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=900)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, dict]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    work = tmp_path_factory.mktemp("precommit")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(work / "cache"),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    repo = work / "user-project"
    repo.mkdir()
    _run("git", "init", "-q", cwd=repo, env=env)
    return repo, env


def _try_repo(repo: Path, env: dict, filename: str) -> subprocess.CompletedProcess:
    _run("git", "add", filename, cwd=repo, env=env)
    return _run(sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "fitlint", "--files", filename,
                "--verbose", cwd=repo, env=env)


def test_hook_fails_on_a_buggy_script(hook_repo):
    repo, env = hook_repo
    (repo / "train.py").write_text(BUGGY)
    result = _try_repo(repo, env, "train.py")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FIT101" in result.stdout
    assert "train.py:5:" in result.stdout


def test_hook_passes_on_a_clean_script(hook_repo):
    repo, env = hook_repo
    (repo / "clean.py").write_text(CLEAN)
    result = _try_repo(repo, env, "clean.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
