"""Definitions borrowed from the project modules a script imports (fitlint.project): the projects
in tests/projects/ carry `# expect:` markers in every file and must be reported exactly (their
`_ok` twins stay silent), the findings they hold need the other files to be seen, a finding made in
a borrowed definition is reported once in the file it was copied from, fixes touch only the file
they fix, and the cache misses when a module the script borrows from changes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fitlint import project
from fitlint.config import Config
from fitlint.engine import scan_source
from fitlint.rule import all_rules

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = sorted(path for path in (ROOT / "tests" / "projects").iterdir() if path.is_dir())
CODE = re.compile(r"\bFIT\d{3}\b")


def fitlint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("FITLINT_")}
    environment["NO_COLOR"] = "1"
    return subprocess.run([sys.executable, "-m", "fitlint", *args], cwd=cwd, capture_output=True, text=True,
                          env=environment, timeout=300)


def markers(folder: Path) -> set[tuple[str, int, str]]:
    found = set()
    for path in sorted(folder.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            _, hash_, comment = line.partition("#")
            found |= {(path.relative_to(folder).as_posix(), number, code) for code in CODE.findall(comment) if hash_}
    return found


def scanned(folder: Path, *extra: str) -> list[dict]:
    result = fitlint("scan", ".", "--select", "ALL", "--format", "json", "--no-cache", *extra, cwd=folder)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("folder", PROJECTS, ids=[path.name for path in PROJECTS])
def test_project_findings_match_markers(folder: Path):
    found = {(finding["path"], finding["line"], finding["code"]) for finding in scanned(folder)}
    expected = markers(folder)
    assert sorted(found - expected) == [], "unexpected findings"
    assert sorted(expected - found) == [], "missing findings"
    assert folder.name.endswith("_ok") or expected, "a project with mistakes must mark them"


@pytest.mark.parametrize("folder", [path for path in PROJECTS if not path.name.endswith("_ok")],
                         ids=lambda path: path.name)
def test_the_marked_findings_need_the_other_files(folder: Path):
    """Each file scanned alone (no folder to look its imports up in) misses a marked finding, or
    reports it with less certainty (a model of unknown layers: a warning, not an error): the
    projects test the borrow, not what one file already shows."""
    rules = [rule() for rule in all_rules()]
    alone = set()
    for path in sorted(folder.rglob("*.py")):
        result = scan_source(path.name, path.read_text(encoding="utf-8"), rules, Config())
        alone |= {(path.relative_to(folder).as_posix(), f.line, f.code, f.severity.value) for f in result.findings}
    together = {(f["path"], f["line"], f["code"], f["severity"]) for f in scanned(folder)}
    assert together - alone


def test_a_mistake_in_a_shared_definition_is_reported_once(tmp_path: Path):
    folder = tmp_path / "trainer_package"
    shutil.copytree(ROOT / "tests" / "projects" / "trainer_package", folder)
    shutil.copy(folder / "train.py", folder / "train_long.py")
    found = [finding for finding in scanned(folder) if finding["code"] == "FIT002"]
    assert [(finding["path"], finding["line"]) for finding in found] == [("engine/trainer.py", 21)]
    # scanned without the module itself, it is still reported there, and only by the scripts' scans
    result = fitlint("scan", "train.py", "train_long.py", "--format", "json", "--no-cache", cwd=folder)
    assert [(f["path"], f["line"], f["code"]) for f in json.loads(result.stdout)] == [("engine/trainer.py", 21, "FIT002")]


def test_fixing_a_script_changes_only_that_script(tmp_path: Path):
    folder = tmp_path / "split_modules"
    shutil.copytree(ROOT / "tests" / "projects" / "split_modules", folder)
    (folder / "train.py").write_text((folder / "train.py").read_text().replace(
        "    val_acc = evaluate(model, val_loader, device)",
        "    correct = 0\n    for images, labels in val_loader:\n"
        "        correct += (model(images).argmax(1) == labels).sum().item()\n"
        "    val_acc = correct / len(val_loader.dataset)"))
    others = {path.name: path.read_bytes() for path in folder.glob("*.py") if path.name != "train.py"}
    before = {(f["path"], f["code"]) for f in scanned(folder)}
    assert ("train.py", "FIT201") in before  # the model's dropout is in models.py
    result = fitlint("scan", "--fix", "--no-cache", "train.py", cwd=folder)
    assert result.returncode in (0, 1), result.stderr
    fixed = (folder / "train.py").read_text()
    assert "model.eval()" in fixed
    assert {path.name: path.read_bytes() for path in folder.glob("*.py") if path.name != "train.py"} == others
    after = {(f["path"], f["code"]) for f in scanned(folder)}
    assert ("train.py", "FIT201") not in after
    fitlint("scan", "--fix", "--no-cache", "train.py", cwd=folder)
    assert (folder / "train.py").read_text() == fixed  # a second --fix changes nothing


def test_the_cache_misses_when_a_borrowed_module_changes(tmp_path: Path):
    folder = tmp_path / "split_modules"
    shutil.copytree(ROOT / "tests" / "projects" / "split_modules", folder)
    (folder / "utils.py").write_text((ROOT / "tests" / "projects" / "split_modules_ok" / "utils.py").read_text())

    def codes() -> set[tuple[str, str]]:
        result = fitlint("scan", "train.py", "--format", "json", cwd=folder)
        return {(finding["path"], finding["code"]) for finding in json.loads(result.stdout)}

    assert codes() == {("train.py", "FIT601")}
    assert codes() == {("train.py", "FIT601")}  # from the cache
    data = folder / "data.py"
    data.write_text((ROOT / "tests" / "projects" / "split_modules_ok" / "data.py").read_text())
    assert codes() == set()


def test_the_cache_misses_when_a_neighbour_gains_batch_norm(tmp_path: Path):
    """trainer.py imports nothing of the project: its entry still rests on the layers model.py
    beside it builds (the evidence that the model it is handed has batch-norm)."""
    folder = tmp_path / "trainer_beside_batchnorm_model"
    shutil.copytree(ROOT / "tests" / "projects" / "trainer_beside_batchnorm_model_ok", folder)

    def codes() -> set[tuple[str, str]]:
        result = fitlint("scan", "trainer.py", "--format", "json", cwd=folder)
        return {(finding["path"], finding["code"]) for finding in json.loads(result.stdout)}

    assert codes() == set()
    assert codes() == set()  # from the cache
    model = folder / "model.py"
    model.write_text((ROOT / "tests" / "projects" / "trainer_beside_batchnorm_model" / "model.py").read_text())
    assert codes() == {("trainer.py", "FIT201")}
    model.unlink()
    assert codes() == set()


def test_a_dataset_module_is_judged_with_the_script_that_scales_its_pixels(tmp_path: Path):
    """data.py yields float 0..255 images; train.py, which imports it, divides each batch by 255.
    The dataset module is silent beside that importer, reported beside one that does not scale,
    and its cache entry follows the importer's change."""
    folder = tmp_path / "dataset_module"
    shutil.copytree(ROOT / "tests" / "projects" / "dataset_module_scaled_by_importer_ok", folder)

    def codes() -> set[tuple[str, int, str]]:
        result = fitlint("scan", "data.py", "--format", "json", cwd=folder)
        return {(finding["path"], finding["line"], finding["code"]) for finding in json.loads(result.stdout)}

    assert codes() == set()
    train = folder / "train.py"
    scaled = train.read_text()
    train.write_text(scaled.replace("model(images / 255.0)", "model(images)"))
    assert codes() == {("data.py", 10, "FIT401")}
    train.write_text(scaled.replace("from data import DogCatDataset", "from dataset import DogCatDataset"))
    assert codes() == {("data.py", 10, "FIT401")}  # a script that scales, but not this module's pixels
    train.write_text(scaled)
    assert codes() == set()


# the borrow itself -----------------------------------------------------------------------------

def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


def borrowed(folder: Path, script: str = "train.py") -> project.Borrowed | None:
    path = str(folder / script)
    text = (folder / script).read_text()
    return project.borrow(path, text, project.dependencies(path, text))


def test_an_aliased_import_borrows_the_definition_under_the_alias(tmp_path: Path):
    write(tmp_path, {"nets.py": "import torch.nn as nn\n\nclass Big(nn.Module):\n    pass\n",
                     "train.py": "from nets import Big as Net\nmodel = Net()\n"})
    found = borrowed(tmp_path)
    assert found.names == {"Net"}
    assert "class Net(nn.Module):" in found.text and "import torch.nn as nn" in found.text
    assert found.place(found.text.splitlines().index("class Net(nn.Module):") + 1) == (str(tmp_path / "nets.py"), 3)


def test_what_a_definition_reads_in_its_module_comes_with_it(tmp_path: Path):
    write(tmp_path, {
        "data/__init__.py": "from .loaders import *\n",
        "data/loaders.py": "from torchvision import transforms\nfrom .common import ROOT\n"
                           "tf = transforms.ToTensor()\nunused = 1\n\ndef helper():\n    return tf\n\n"
                           "def get_loaders():\n    return helper(), ROOT\n",
        "data/common.py": "ROOT = 'data'\n",
        "train.py": "from data import get_loaders\nloaders = get_loaders()\n"})
    text = borrowed(tmp_path).text
    for line in ("def get_loaders():", "def helper():", "tf = transforms.ToTensor()", "ROOT = 'data'",
                 "from torchvision import transforms"):
        assert line in text
    assert "unused" not in text


@pytest.mark.parametrize("files", [
    # the script binds the name itself: its own definition wins
    {"m.py": "def train():\n    pass\n", "train.py": "from m import train\ndef train():\n    pass\n"},
    # a model picked by name at run time: nothing to copy
    {"models/__init__.py": "", "models/resnet.py": "class R:\n    pass\n",
     "train.py": "import models\nmodel = models.__dict__[arch]()\n"},
    # a library module, and a project module that does not parse
    {"m.py": "print 'python 2'\ndef f():\n    pass\n", "train.py": "from torch import nn\nfrom m import f\n"},
    # a name the module does not define
    {"m.py": "x = 1\n", "train.py": "from m import missing\n"},
])
def test_nothing_is_borrowed_that_would_not_be_the_same_definition(tmp_path: Path, files):
    write(tmp_path, files)
    assert borrowed(tmp_path) is None


def test_a_library_name_the_script_imports_is_not_imported_again(tmp_path: Path):
    write(tmp_path, {"m.py": "from datasets import load_dataset\n\ndef get():\n    return load_dataset('train')\n",
                     "train.py": "from torchvision import datasets\nfrom m import get\n"
                                 "from datasets import load_dataset\nget()\n"})
    text = borrowed(tmp_path).text
    assert "import" not in text and "def get():" in text


def test_borrowing_stops_at_its_size_limit(tmp_path: Path, monkeypatch):
    write(tmp_path, {"m.py": "def f(model):\n" + "    x = 1\n" * 50 + "\ndef g(model):\n    pass\n",
                     "train.py": "from m import f, g\nf(1), g(2)\n"})
    monkeypatch.setattr(project, "MAX_BORROWED_LINES", 10)
    assert borrowed(tmp_path).names == {"g"}


@pytest.mark.parametrize("script", [
    "import models\nmodel = models.resnet.Net()\n",
    "from models import resnet\nmodel = resnet.Net()\n",
    "import models.resnet as arch\nmodel = arch.Net()\n",
])
def test_a_module_reached_by_attribute_lends_the_attribute(tmp_path: Path, script):
    write(tmp_path, {"models/__init__.py": "", "models/resnet.py": "class Net(Module):\n    pass\n", "train.py": script})
    found = borrowed(tmp_path)
    written = script.split("model = ", 1)[1].split("(", 1)[0]
    assert found.attributes == ((written, "Net"),) and "class Net(Module):" in found.text


@pytest.mark.parametrize("files", [
    # imported, never used: an __init__.py re-exporting its package
    {"m.py": "class Net(Module):\n    pass\n", "train.py": "from m import Net\n__all__ = ['Net']\n"},
    # a helper with nothing the analysis asks about
    {"m.py": "def fetch(url):\n    return urlopen(url).read()\n", "train.py": "from m import fetch\nfetch('x')\n"},
])
def test_what_cannot_matter_is_not_borrowed(tmp_path: Path, files):
    write(tmp_path, files)
    assert borrowed(tmp_path) is None


def test_relative_imports_resolve_from_the_package(tmp_path: Path):
    write(tmp_path, {"pkg/__init__.py": "", "pkg/model.py": "class Net(Module):\n    pass\n",
                     "pkg/train.py": "from .model import Net\nmodel = Net()\n"})
    assert borrowed(tmp_path, "pkg/train.py").names == {"Net"}
    assert project.resolve(str(tmp_path / "pkg" / "train.py"), 2, "pkg.model") == str(tmp_path / "pkg" / "model.py")


def test_each_loader_a_helper_builds_is_judged_by_the_split_its_call_names():
    """`valid_loader = get_dataloader(split="valid")` in the loader module: the evaluation over it
    is on the validation data, though the same helper's one DataLoader call also builds the
    training loader."""
    found = scanned(ROOT / "tests" / "projects" / "loader_helper_module")
    assert [finding["code"] for finding in found] == ["FIT202"]
    assert "evaluates on the validation data" in found[0]["message"]


def test_a_helper_that_stops_early_and_lowers_the_rate_on_test_data_is_reported_once_for_stopping():
    """trainer.train() both stops early and steps a plateau scheduler on the loader it is handed;
    main.py hands it the test loader: one finding at that call, worded for the early stop (the
    choice of the epoch), not for the learning-rate schedule."""
    findings = [f for f in scanned(ROOT / "tests" / "projects" / "early_stopping_helper_module") if f["code"] == "FIT601"]
    assert [(f["path"], f["line"]) for f in findings] == [("main.py", 15)]
    assert findings[0]["message"].startswith("early stopping is decided on")
