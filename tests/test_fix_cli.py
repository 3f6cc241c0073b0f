"""`fitlint scan --fix` / `--diff` on the command line: files that cannot be written, links, diff
headers and encodings, stdin."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fitlint.scan import unified_diff

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "examples" / "train_seed.py").read_text()
LOADER = "trainloader = DataLoader(TensorDataset(x_train, y_train), batch_size=32)"
FIXED_LOADER = "trainloader = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True)"


def _fitlint(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fitlint", "scan", *args], cwd=cwd, capture_output=True,
                          timeout=120, input=stdin, env={**os.environ, "NO_COLOR": "1"})


def test_a_file_that_cannot_be_written_keeps_its_findings(tmp_path: Path, monkeypatch, capsys):
    from fitlint import scan

    target = tmp_path / "train.py"
    target.write_text(SEED)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(scan, "write_fixed", lambda file, original, fixed: "cannot write: No space left on device")
    code = scan.run_scan(scan.ScanRequest(paths=["train.py"], fix=True, jobs=1))
    captured = capsys.readouterr()
    assert code == 2
    assert "train.py: cannot write: No space left on device; not fixed" in captured.err
    # the report is the file as it is on disk, not the text that could not be written
    assert "FIT101" in captured.out and "FIT001" in captured.out
    assert "fixed " not in captured.err
    assert target.read_text() == SEED


def test_a_read_only_file_is_reported_and_skipped(tmp_path: Path):
    target = tmp_path / "train.py"
    target.write_text(SEED)
    target.chmod(0o444)
    inode = target.stat().st_ino
    result = _fitlint("--fix", "train.py", cwd=tmp_path)
    err = result.stderr.decode()
    assert "train.py: the file is read-only (mode 444); not fixed" in err
    assert result.returncode == 2
    assert target.read_text() == SEED
    assert target.stat().st_ino == inode, "replaced through a rename"
    assert oct(target.stat().st_mode & 0o777) == oct(0o444)
    assert "FIT101" in result.stdout.decode()


def test_a_link_to_a_file_outside_is_fixed_through_the_link_and_says_so(tmp_path: Path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    real = outside / "train.py"
    real.write_text(SEED)
    project = tmp_path / "project"
    project.mkdir()
    link = project / "train.py"
    link.symlink_to(real)
    result = _fitlint("--fix", "train.py", cwd=project)
    err = result.stderr.decode()
    assert link.is_symlink(), "the link was replaced by a file"
    assert FIXED_LOADER in real.read_text()
    assert f"train.py: a link to {real}, outside the current folder: fixed that file" in err
    # a link inside the folder is fixed without a word
    inner = project / "real.py"
    inner.write_text(SEED)
    (project / "alias.py").symlink_to(inner)
    quiet = _fitlint("--fix", "alias.py", cwd=project)
    assert "a link to" not in quiet.stderr.decode() and FIXED_LOADER in inner.read_text()


def test_diff_headers_as_git_writes_them():
    assert unified_diff("a.py", "x\n", "y\n").startswith("--- a/a.py\n+++ b/a.py\n@@ -1 +1 @@\n")
    assert unified_diff("my dir/a b.py", "x\n", "y\n").startswith("--- a/my dir/a b.py\t\n+++ b/my dir/a b.py\t\n")
    assert unified_diff("/abs/a.py", "x\n", "y\n").startswith("--- /abs/a.py\n+++ /abs/a.py\n")
    assert unified_diff("a.py", "x\n", "x\n") == ""
    assert unified_diff("a.py", "x", "y").endswith("-x\n\\ No newline at end of file\n+y\n\\ No newline at end of file\n")


@pytest.mark.skipif(shutil.which("patch") is None, reason="no patch command")
@pytest.mark.parametrize("name", ["train.py", "my train.py"])
def test_the_diff_applies(tmp_path: Path, name: str):
    target = tmp_path / name
    target.write_text(SEED)
    diff = _fitlint("--diff", name, cwd=tmp_path).stdout
    fixed = _fitlint("--diff", str(target), cwd=tmp_path / "..").stdout
    assert fixed.startswith(f"--- {target}".encode())
    subprocess.run(["patch", "-p1", "-s"], cwd=tmp_path, input=diff, check=True, timeout=60)
    assert FIXED_LOADER in target.read_text()
    target.write_text(SEED)
    subprocess.run(["patch", "-p0", "-s"], cwd="/", input=fixed, check=True, timeout=60)
    assert FIXED_LOADER in target.read_text()


def test_a_latin1_file_diff_is_in_its_encoding(tmp_path: Path):
    source = "# -*- coding: latin-1 -*-\n# données triées\n" + SEED
    (tmp_path / "train.py").write_bytes(source.encode("latin-1"))
    result = _fitlint("--diff", "train.py", cwd=tmp_path)
    assert result.returncode == 1
    assert f"+{FIXED_LOADER}".encode("latin-1") in result.stdout
    # a fix whose context holds a non-ASCII line prints it in latin-1, not UTF-8
    lines = SEED.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("trainloader"))
    lines.insert(index, "# é\n")
    (tmp_path / "near.py").write_bytes(("# -*- coding: latin-1 -*-\n" + "".join(lines)).encode("latin-1"))
    near = _fitlint("--diff", "near.py", cwd=tmp_path).stdout
    assert b" # \xe9\n" in near and "é".encode("utf-8") not in near


def test_stdin_fix_prints_the_fixed_source_and_diff_prints_the_diff(tmp_path: Path):
    fixed = _fitlint("--fix", "-", "--stdin-filename", "train.py", cwd=tmp_path, stdin=SEED.encode())
    assert FIXED_LOADER in fixed.stdout.decode()
    assert fixed.stdout.decode().startswith(SEED[:40])
    assert fixed.returncode == 1  # findings without a fix are left (FIT401...), on stderr
    assert "FIT401" in fixed.stderr.decode() and "FIT101" not in fixed.stderr.decode()
    diff = _fitlint("--diff", "-", "--stdin-filename", "train.py", cwd=tmp_path, stdin=SEED.encode())
    assert diff.stdout.decode().startswith("--- a/train.py\n+++ b/train.py\n")
    assert diff.returncode == 1
    clean = _fitlint("--diff", "-", cwd=tmp_path, stdin=b"import torch\n")
    assert clean.stdout == b"" and clean.returncode == 0
    undecodable = _fitlint("--fix", "-", cwd=tmp_path, stdin=b"import torch\nx = '\xff'\n")
    assert undecodable.returncode == 2 and b"cannot decode" in undecodable.stderr
    assert undecodable.stdout == b"import torch\nx = '\xff'\n"
    mixed = _fitlint("--fix", "-", "train.py", cwd=tmp_path, stdin=b"")
    assert mixed.returncode == 2 and b"stdin alone" in mixed.stderr


def test_a_diff_that_the_file_encoding_cannot_hold_is_not_shown(tmp_path: Path):
    # an ASCII file whose name is not ASCII: its header cannot be written in the file's encoding
    (tmp_path / "entraîner.py").write_bytes(("# -*- coding: ascii -*-\n" + SEED).encode("ascii"))
    result = _fitlint("--diff", "entraîner.py", cwd=tmp_path)
    assert result.returncode == 2
    assert "the result cannot be shown in the file's encoding (ascii)" in result.stderr.decode()
    assert result.stdout == b""
