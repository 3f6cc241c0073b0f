from __future__ import annotations

import os
from pathlib import Path

import pytest

from fitlint.files import (
    TRAINING_MARKERS,
    SourceError,
    SourceFile,
    could_hold_training_code,
    discover,
    path_matches,
    read_source,
)


def touch(path: Path, content: bytes | str = "import torch\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    return path


def displays(files: list[SourceFile]) -> list[str]:
    return [file.display for file in files]


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


# discovery


def test_walk_finds_python_files_sorted_relative_to_cwd(project):
    touch(project / "src" / "train.py")
    touch(project / "src" / "models" / "net.py")
    touch(project / "src" / "README.md")
    touch(project / "top.py")
    files, errors = discover(["."])
    assert errors == []
    assert displays(files) == ["src/models/net.py", "src/train.py", "top.py"]
    assert all(file.path.is_file() for file in files)


def test_walk_skips_default_excludes(project):
    skipped = (".git", ".venv", "venv", "build", "__pycache__", "pkg.egg-info", "node_modules", "site-packages")
    for folder in skipped:
        touch(project / folder / "mod.py")
    touch(project / "lib" / "site-packages" / "dep.py")
    touch(project / "keep.py")
    files, _ = discover(["."])
    assert displays(files) == ["keep.py"]


def test_default_excludes_do_not_apply_to_an_explicit_path(project):
    touch(project / "build" / "gen.py")
    files, _ = discover(["build/gen.py", "build"])
    assert displays(files) == ["build/gen.py"]


def test_user_excludes_match_name_relative_path_or_leading_folder(project):
    touch(project / "src" / "generated" / "a.py")
    touch(project / "src" / "proto" / "b_pb2.py")
    touch(project / "data" / "loaders" / "c.py")
    touch(project / "src" / "keep.py")
    files, _ = discover(["."], exclude=["generated", "*_pb2.py", "data/loaders"])
    assert displays(files) == ["src/keep.py"]


def test_user_excludes_apply_to_explicit_files(project):
    touch(project / "src" / "generated" / "a.py")
    touch(project / "migrations" / "m.py")
    touch(project / "train.py")
    files, errors = discover(
        ["src/generated/a.py", "migrations/m.py", "train.py"], exclude=["generated", "./migrations/"]
    )
    assert errors == []
    assert displays(files) == ["train.py"]


def test_exclude_globs_are_relative_to_root(project):
    touch(project / "repo" / "scripts" / "x.py")
    touch(project / "other" / "scripts" / "y.py")
    files, _ = discover(["repo", "other"], exclude=["scripts/*.py"], root=project / "repo")
    assert displays(files) == ["other/scripts/y.py"]


def test_explicit_file_is_scanned_whatever_its_suffix(project):
    touch(project / "bin" / "train")
    files, _ = discover(["bin/train"])
    assert displays(files) == ["bin/train"]


def test_suffixes_choose_what_walking_finds(project):
    touch(project / "a.py")
    touch(project / "b.ipynb", "{}")
    files, _ = discover(["."], suffixes=(".py", ".ipynb"))
    assert displays(files) == ["a.py", "b.ipynb"]


def test_duplicates_are_reported_once(project):
    touch(project / "src" / "train.py")
    files, _ = discover(["src", "src/train.py", "./src/train.py", str(project / "src")])
    assert len(files) == 1


def test_missing_path_is_an_error_line_and_others_still_scanned(project):
    touch(project / "train.py")
    files, errors = discover(["nope.py", "train.py"])
    assert errors == ["nope.py: no such file or directory"]
    assert displays(files) == ["train.py"]


def test_symlink_loop_does_not_hang_and_named_loop_is_one_error(project):
    touch(project / "src" / "train.py")
    os.symlink(project / "src", project / "src" / "again")
    os.symlink("loop", project / "loop")
    files, errors = discover(["src", "loop"])
    assert displays(files) == ["src/train.py"]
    assert len(errors) == 1
    assert errors[0].startswith("loop: ")
    assert "\n" not in errors[0]


def test_symlinked_folders_are_not_followed_while_walking(project):
    touch(project / "elsewhere" / "vendored.py")
    touch(project / "src" / "train.py")
    os.symlink(project / "elsewhere", project / "src" / "linked")
    files, _ = discover(["src"])
    assert displays(files) == ["src/train.py"]


def test_dangling_symlink_in_a_folder_is_skipped(project):
    touch(project / "train.py")
    os.symlink(project / "gone.py", project / "dangling.py")
    files, errors = discover(["."])
    assert displays(files) == ["train.py"] and errors == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_named_fifo_is_refused_rather_than_read(project):
    os.mkfifo(project / "pipe.py")
    files, errors = discover(["pipe.py", "."])
    assert files == []
    assert errors == ["pipe.py: not a regular file or directory"]


def test_unreadable_folder_is_one_error_line(project, monkeypatch):
    touch(project / "locked" / "secret.py")
    touch(project / "ok.py")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    # Running as root, chmod cannot make a folder unreadable; os.walk lists folders with scandir.
    monkeypatch.setattr(os, "scandir", scandir)
    files, errors = discover(["."])
    assert displays(files) == ["ok.py"]
    assert errors == ["locked: cannot read directory: Permission denied"]


def test_files_outside_cwd_keep_the_path_as_walked(tmp_path, monkeypatch):
    touch(tmp_path / "outside" / "a.py")
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    files, _ = discover([str(tmp_path / "outside")])
    assert displays(files) == [(tmp_path / "outside" / "a.py").as_posix()]


def test_path_matches_outside_root_uses_only_the_name(tmp_path):
    assert path_matches(tmp_path / "elsewhere" / "gen.py", ["gen.py"], tmp_path / "root")
    assert not path_matches(tmp_path / "elsewhere" / "gen.py", ["elsewhere"], tmp_path / "root")
    assert not path_matches(tmp_path / "x.py", [], tmp_path)


# reading


def test_read_source_honours_coding_cookie(tmp_path):
    path = touch(tmp_path / "latin.py", "# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n".encode("latin-1"))
    assert "café" in read_source(SourceFile(path, "latin.py"))


def test_read_source_strips_utf8_bom(tmp_path):
    path = touch(tmp_path / "bom.py", b"\xef\xbb\xbfimport torch\n")
    assert read_source(SourceFile(path, "bom.py")) == "import torch\n"


@pytest.mark.parametrize(
    ("content", "offset"),
    [(b"import torch\n\nx = '\xff\xfe'\n", 19), (b"x = '\xff'\n", 5)],
    ids=["after-the-cookie-lines", "in-the-first-line"],
)
def test_undecodable_bytes_are_a_one_line_source_error(tmp_path, content, offset):
    path = touch(tmp_path / "bad.py", content)
    expected = rf"^bad\.py: cannot decode: invalid utf-8 byte at offset {offset} \("
    with pytest.raises(SourceError, match=expected):
        read_source(SourceFile(path, "bad.py"))


def test_bytes_invalid_for_the_declared_coding_are_reported_with_it(tmp_path):
    path = touch(tmp_path / "ascii.py", b"# coding: ascii\nx = '\xe9'\n")
    with pytest.raises(SourceError, match=r"cannot decode: invalid ascii byte at offset 21"):
        read_source(SourceFile(path, "ascii.py"))


def test_unknown_coding_cookie_is_a_source_error(tmp_path):
    path = touch(tmp_path / "odd.py", b"# coding: klingon\nx = 1\n")
    with pytest.raises(SourceError, match=r"^odd\.py: cannot decode: .*klingon"):
        read_source(SourceFile(path, "odd.py"))


def test_reading_a_directory_or_missing_file_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match=r"^dir: cannot read: Is a directory$"):
        read_source(SourceFile(tmp_path, "dir"))
    with pytest.raises(SourceError, match=r"^gone\.py: cannot read: No such file or directory$"):
        read_source(SourceFile(tmp_path / "gone.py", "gone.py"))


# prefilter


@pytest.mark.parametrize("marker", TRAINING_MARKERS)
def test_each_marker_lets_a_file_through(marker):
    assert could_hold_training_code(f"x = 1\n# {marker}\n")


def test_plain_script_is_skipped():
    assert not could_hold_training_code("import os\nprint(os.getcwd())\n")
    assert could_hold_training_code("from torch.utils.data import DataLoader\n")
    assert could_hold_training_code("import pytorch_lightning as pl\n")
