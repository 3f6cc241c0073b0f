"""The definitions a scanned file borrows from the project modules it imports.

A training script rarely holds everything its mistakes are made of: ``from models import Net``
(is there dropout to switch off?), ``from data import get_loaders`` (which split does
``val_loader`` hold?), ``from engine import train, evaluate`` (does the evaluation run under
``no_grad``?). The shared analysis answers such questions for the definitions of one file, so
the scan hands it one file: the script's own text, unchanged, followed by the definitions it
imports from other files of the project, copied as text: the imported function or class, the
module-level names it reads in its own module (helpers, transforms, constants) and the import
statements those need, following imports between project modules up to ``MAX_HOPS`` files away.
A module reached by attribute (``import model.net as net`` then ``net.Net(...)``) lends the
attributes the script uses, and the analysis reads ``net.Net`` as the borrowed ``Net``
(``Borrowed.attributes``). A library name a project module passes on (``data.py`` holding ``from
torch.utils.data import DataLoader``, the script ``from data import DataLoader``) is imported again
from the library after the script's text, so the analysis knows it by its origin. A module-level
list bound in a ``with`` block is borrowed like any name, and a name comes with the module-level
statements that change it in place (``random.shuffle(lines)``, ``files.sort()``, ``net.fc =
nn.Linear(512, 2)``, ``net.classifier.add_module(...)``), which bind nothing themselves. An
instance the module builds of a project class (``net = NET()``) is borrowed with its class. Nothing is imported
or run: the modules are read with ``ast``.

The script keeps its own lines (the borrowed text comes after its last line), so a finding in
the script keeps its place, and a finding inside the borrowed text is dropped: it is reported
where it belongs, when that file is scanned. A fix edits the script's own statements only.

A project module is a ``.py`` file (or a package's ``__init__.py``) that an absolute ``from X
import Y`` finds in the script's folder or, as ``python -m`` and path tweaks allow, in one of the
two folders above it, and a relative one finds from the script's package. A name that the script
binds itself as well is not borrowed (the borrowed one would shadow it), nor one from a module
that does not parse.

``dependencies`` lists every file a borrow may read, with its bytes: the scan cache puts them in
a file's key, so an entry is found again only while the modules it borrowed from are unchanged.
Only the standard library is imported here (and libcst by the engine that calls ``borrow``).
"""

from __future__ import annotations

import ast
import builtins
import os
import re
from dataclasses import dataclass, field

# How many imports away from the script a borrowed definition may live: the script's module,
# the module that module imports it from (``models/__init__.py`` re-exporting ``models/resnet.py``).
MAX_HOPS = 3
# A script that imports a whole library's worth of code is analysed as it is, not with a copy of it.
MAX_BORROWED_LINES = 4000
MAX_FILES = 24
_BUILTINS = frozenset(dir(builtins))
# Folders above the script's own that an absolute import is looked for in.
PARENT_FOLDERS = 2

# Top-level names of the libraries training scripts import most: never a project module (a
# shortcut past the folder lookups, not a rule: any other name is looked up).
_LIBRARIES = frozenset({
    "torch", "torchvision", "torchaudio", "torchtext", "numpy", "pandas", "sklearn", "scipy", "matplotlib",
    "transformers", "PIL", "tqdm", "os", "sys", "collections", "typing", "pathlib", "__future__",
    "time", "math", "random", "json", "argparse", "timm", "lightning", "pytorch_lightning", "tensorflow",
    "keras", "albumentations", "cv2", "seaborn", "dataclasses", "functools", "itertools", "copy", "glob",
})
# A borrowed definition mentions one of these, or it holds nothing the analysis looks for.
# libraries whose names a project module may pass on (`from torch.utils.data import DataLoader` in
# `data.py`, the script `from data import DataLoader`)
_REEXPORTED_LIBRARIES = frozenset({"torch", "torchvision", "torchaudio", "transformers", "timm", "sklearn"})
_RELEVANT = ("torch", "nn.", "Module", "model", "Model", "Dataset", "Loader", "loader", "optim", "loss",
             "train", "eval", "split", "transform", "sched", "fit", "predict", "step", "softmax", "Softmax",
             "Dropout", "BatchNorm", "Linear", "Conv", "Sequential", "Trainer",
             # a hand-written transform that draws at random (`class RotatePC: def __call__(self, pc):
             # angle = np.random.uniform() ...`); an average meter that sums what it is handed
             "__call__", "Meter",
             # a batch generator (`def iterate_minibatches(X, y, bs): ... yield X[i:j], y[i:j]`) and
             # a shuffling helper (`def shuffle_arrays(*arrays): for a in arrays: rng.shuffle(a)`)
             "yield", "shuffle", "permutation", "randperm")
_FROM_IMPORT = re.compile(r"\bfrom[ \t]+(\.*)[ \t]*([A-Za-z_][\w.]*)?[ \t]+import[ \t]*(\([^)]*\)|[^\n;#]*)")
_IMPORT = re.compile(r"(?<![\w.])import[ \t]+([A-Za-z_][\w.]*(?:[ \t]+as[ \t]+\w+)?"
                     r"(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*(?:[ \t]+as[ \t]+\w+)?)*)")
_NAME = re.compile(r"[A-Za-z_]\w*")


@dataclass
class Module:
    """A project module as the borrow reads it (its ``ast``, never run)."""

    path: str
    lines: list[str]
    # top-level name -> the (first, last) line of the statement that binds it (decorators included)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    # top-level name -> (level, module, name or None for ``import module``, alias as written)
    imports: dict[str, tuple[int, str | None, str | None]] = field(default_factory=dict)
    stars: list[tuple[int, str | None]] = field(default_factory=list)
    # the statement span -> its node (what it reads is asked only of the statements borrowed)
    statements: dict[tuple[int, int], ast.stmt] = field(default_factory=dict)
    # top-level name -> the spans of later statements that change it in place, borrowed with its
    # binding (``random.shuffle(lines)``, ``files.sort()``, ``net.fc = nn.Linear(512, 2)``)
    changes: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _reads: dict[tuple[int, int], frozenset[str]] = field(default_factory=dict)

    def text(self, span: tuple[int, int]) -> str:
        return "".join(self.lines[span[0] - 1:span[1]])

    def reads(self, span: tuple[int, int]) -> frozenset[str]:
        """The names the statement at ``span`` reads."""
        found = self._reads.get(span)
        if found is None:
            statement = self.statements.get(span)
            found = self._reads[span] = frozenset(
                node.id for node in ast.walk(statement) if type(node) is ast.Name) if statement else frozenset()
        return found

    def locals(self, span: tuple[int, int]) -> frozenset[str]:
        """The names the statement at ``span`` binds inside itself: its functions' parameters and
        locals, loop and comprehension targets, nested imports and definitions."""
        statement = self.statements.get(span)
        if statement is None:
            return frozenset()
        found: set[str] = set()
        for node in ast.walk(statement):
            kind = type(node)
            if kind is ast.Name and type(node.ctx) is not ast.Load:
                found.add(node.id)
            elif kind is ast.arg:
                found.add(node.arg)
            elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
                found.add(node.name)
            elif kind in (ast.Import, ast.ImportFrom):
                found.update((alias.asname or alias.name).split(".", 1)[0] for alias in node.names)
        return frozenset(found)


@dataclass(frozen=True)
class Borrowed:
    """The text to analyse after the script's and the names of the script's imports it defines."""

    text: str
    names: frozenset[str]
    statements: int  # top-level statements the text holds
    # (``net.Net`` as the script writes it through ``import model.net as net``, the borrowed ``Net``)
    attributes: tuple[tuple[str, str], ...] = ()
    # each borrowed statement: (its first and last line in ``text``, its file, its first line there)
    origins: tuple[tuple[int, int, str, int], ...] = ()
    sources: tuple[tuple[str, str], ...] = ()  # (file, its text) of every file a statement came from
    parts: tuple[str, ...] = ()  # ``text``, one top-level statement at a time

    def place(self, line: int) -> tuple[str, int] | None:
        """The file and line that line ``line`` of ``text`` was copied from (None: an import
        statement the borrow wrote)."""
        for first, last, path, start in self.origins:
            if first <= line <= last:
                return path, start + line - first
        return None


# ---------------------------------------------------------------------------------------------
# finding project modules

_listings: dict[str, tuple[int, frozenset[str]]] = {}


def _listing(folder: str) -> frozenset[str]:
    """The names in ``folder``, listed again only when the folder changed (a scan asks the same
    folders for every import of every file; a stat costs less than a listing)."""
    try:
        changed = os.stat(folder).st_mtime_ns
    except OSError:
        return frozenset()
    held = _listings.get(folder)
    if held is None or held[0] != changed:
        try:
            held = _listings[folder] = (changed, frozenset(os.listdir(folder)))
        except OSError:
            return frozenset()
    return held[1]


def _module_file(folder: str, dotted: str) -> str | None:
    """``folder/a/b.py`` or ``folder/a/b/__init__.py`` for ``a.b``, when it exists."""
    parts = dotted.split(".")
    for part in parts[:-1]:
        if part not in _listing(folder):
            return None
        folder = os.path.join(folder, part)
    last = parts[-1]
    names = _listing(folder)
    if f"{last}.py" in names:
        return os.path.join(folder, f"{last}.py")
    if last in names and "__init__.py" in _listing(os.path.join(folder, last)):
        return os.path.join(folder, last, "__init__.py")
    return None


def _search_folders(path: str) -> list[str]:
    """The folders an absolute import of ``path`` is looked for in: its own, then up to
    ``PARENT_FOLDERS`` above it, not past a repository's root (a folder holding ``.git``)."""
    folder = os.path.dirname(os.path.abspath(path))
    folders = [folder]
    for _ in range(PARENT_FOLDERS):
        if ".git" in _listing(folder):
            break
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folders.append(parent)
        folder = parent
    return folders


def resolve(path: str, level: int, module: str | None, folders: list[str] | None = None) -> str | None:
    """The project file ``from <level dots><module> import ...`` in ``path`` reads, or None
    (``folders``: ``_search_folders(path)`` when the caller already has them)."""
    if level:
        folder = os.path.dirname(os.path.abspath(path))
        for _ in range(level - 1):
            folder = os.path.dirname(folder)
        if not module:
            init = os.path.join(folder, "__init__.py")
            return init if "__init__.py" in _listing(folder) else None
        return _module_file(folder, module)
    if not module:
        return None
    for folder in folders if folders is not None else _search_folders(path):
        found = _module_file(folder, module)
        if found is not None:
            return found if os.path.abspath(found) != os.path.abspath(path) else None
    return None


def _imported_files(path: str, text: str) -> list[str]:
    """The project files the import statements of ``text`` may read (every match of the patterns,
    in comments and strings too: a superset of what the borrow reads): the modules named, the
    submodules a package's ``from P import name`` may mean, and those a script reaches as
    ``P.name`` after ``import P``."""
    found: list[str] = []
    folders: list[str] | None = None

    def look(level: int, module: str) -> str | None:
        nonlocal folders
        if level == 0 and folders is None:
            folders = _search_folders(path)
        target = resolve(path, level, module or None, folders)
        if target is not None and target not in found:
            found.append(target)
        return target

    for dots, module, names in _FROM_IMPORT.findall(text):
        if not dots and module.split(".", 1)[0] in _LIBRARIES:
            continue
        target = look(len(dots), module)
        if target is None or target.endswith("__init__.py"):
            # a package's submodules, also of a folder without `__init__.py` (a namespace package:
            # `from utils import data_transform` with `utils/data_transform.py`)
            for name in _NAME.findall(names):
                look(len(dots), f"{module}.{name}" if module else name)
    for statement in _IMPORT.findall(text):
        for part in statement.split(","):
            words = part.split()
            if not words or words[0].split(".", 1)[0] in _LIBRARIES:
                continue
            target = look(0, words[0])
            local = words[-1] if len(words) == 3 else words[0].split(".", 1)[0]
            if target is not None and target.endswith("__init__.py"):
                package = words[0] if len(words) == 3 else local
                for name in set(re.findall(rf"(?<![\w.]){re.escape(local)}\.([A-Za-z_]\w*)", text)):
                    look(0, f"{package}.{name}")
    return found


# a layer that behaves differently in training and evaluation mode, built or configured
# (a call: `nn.Dropout(0.5)`, `F.dropout(x)`; a keyword argument: `nn.LSTM(..., dropout=0.3)`,
# `BertConfig(hidden_dropout_prob=0.1)`; not a flag such as `use_dropout = False`)
_MODE_LAYER = re.compile(rb"\b(?:Dropout\w*|BatchNorm\w*|SyncBatchNorm|dropout)\s*\(|[(,]\s*\w*dropout\w*\s*=[^=]")
# pixels scaled by hand on the way to the model: a division by a pixel maximum (not ToTensor,
# which leaves float arrays as they are)
_PIXEL_SCALING = re.compile(rb"/\s*(?:255|256|127\.5)\b|\.div_?\(\s*(?:255|127\.5)\b")
_IMPORTED_STEMS = re.compile(rb"^[ \t]*(?:from[ \t]+\.?([A-Za-z_]\w*)[ \t]+import|import[ \t]+([A-Za-z_]\w*))", re.MULTILINE)
# `from executor.trainer import Trainer, evaluate` (also in parentheses over several lines): the
# module's last part and the names taken from it
_FROM_IMPORT_NAMES = re.compile(rb"^[ \t]*from[ \t]+\.*((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)",
                          re.MULTILINE)
# a folder with more Python files than this is a library's, not a script's neighbours
MAX_NEIGHBOURS = 200
# a folder above with more folders than this is not one project's (a home folder, /tmp)
MAX_SIBLING_FOLDERS = 32
_NOT_PROJECT = frozenset({"venv", "env", "node_modules", "site-packages", "build", "dist"})
# what the neighbours of a file show (see ``neighbour_facts``)
MODE_LAYERS = "neighbours build dropout or batch-norm"
IMPORTERS_SCALE_PIXELS = "importers scale pixels"
# a fact per name of the file that another file of the project imports: `IMPORTED + "Trainer"`
IMPORTED = "imported by another file: "


@dataclass(frozen=True)
class _Neighbour:
    path: str
    mode_layers: bool
    scales_pixels: bool
    imports: frozenset[str]  # the top-level module names it imports (``from data import X`` -> data)
    names: frozenset[tuple[str, str]] = frozenset()  # (module's last part, name): ``from a.trainer import Trainer``


_neighbour_cache: dict[str, tuple[int, tuple[_Neighbour, ...]]] = {}


def _neighbours(folder: str) -> tuple[_Neighbour, ...]:
    """The Python files of a folder, read once per run (again when files come or go): every
    script of the folder asks."""
    names = _listing(folder)
    held = _neighbour_cache.get(folder)
    changed = _listings[folder][0] if folder in _listings else 0
    if held is None or held[0] != changed:
        found: list[_Neighbour] = []
        scripts = sorted(name for name in names if name.endswith(".py"))
        for name in scripts if len(scripts) <= MAX_NEIGHBOURS else ():
            target = os.path.join(folder, name)
            try:
                with open(target, "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            imports = frozenset(
                (a or b).decode() for a, b in _IMPORTED_STEMS.findall(data))
            found.append(_Neighbour(target, _MODE_LAYER.search(data) is not None,
                                    _PIXEL_SCALING.search(data) is not None, imports, _imported_names(data)))
        held = _neighbour_cache[folder] = (changed, tuple(found))
    return held[1]


def _imported_names(data: bytes) -> frozenset[tuple[str, str]]:
    out = set()
    for module, names in _FROM_IMPORT_NAMES.findall(data):
        stem = module.decode().rsplit(".", 1)[-1]
        for part in names.decode().strip("()").replace("\n", " ").split(","):
            words = part.split()
            if words and words[0].isidentifier():
                out.add((stem, words[0]))
    return frozenset(out)


def neighbour_facts(path: str) -> frozenset[str]:
    """What the other Python files of the script's folder show:

    - ``MODE_LAYERS``: one builds or configures a dropout or batch-norm layer (``nn.Dropout(0.5)``,
      ``dropout=0.1``): evidence that the model a helper module is handed (``def train(model,
      ...)`` in ``trainer.py``, the model built by ``main.py`` from ``model.py``) may have one,
      when the helper's own file does not show it;
    - ``IMPORTERS_SCALE_PIXELS``: one that imports this file divides by a pixel maximum (``/ 255``,
      ``.div(255)``): a dataset module's raw 0..255 floats may be scaled by the script that
      batches them (``image = norm(batch / 255.0)`` in its training loop);
    - ``IMPORTED + name``: a file of the project (this folder, the one above, or its other
      folders) imports ``name`` from this file: what that function or class is handed, the
      importer decides.
    """
    folder = os.path.dirname(os.path.abspath(path))
    own = os.path.join(folder, os.path.basename(path))
    stem = os.path.splitext(os.path.basename(path))[0]
    facts = set()
    for neighbour in _neighbours(folder):
        if neighbour.path == own:
            continue
        if neighbour.mode_layers:
            facts.add(MODE_LAYERS)
        if neighbour.scales_pixels and stem in neighbour.imports:
            facts.add(IMPORTERS_SCALE_PIXELS)
    # who imports the file's names: the files of its folder, of the folder above and of that
    # folder's other folders (`model/resnet.py` importing `executor/trainer.py`)
    parent = os.path.dirname(folder)
    siblings = sorted(os.path.join(parent, name) for name in _listing(parent)
                      if not name.startswith((".", "_")) and "." not in name and name not in _NOT_PROJECT)
    folders = [folder] + ([parent] + [other for other in siblings if other != folder]
                          if parent != folder and len(siblings) <= MAX_SIBLING_FOLDERS else [])
    for other in folders:
        for neighbour in _neighbours(other) if os.path.isdir(other) else ():
            if neighbour.path != own:
                facts.update(IMPORTED + name for module, name in neighbour.names if module == stem)
    return frozenset(facts)


def dependencies(path: str, text: str) -> dict[str, bytes]:
    """Every project file a borrow for ``path`` (whose source is ``text``) may read, with its
    bytes, in a stable order; empty for a file that imports no project module."""
    found: dict[str, bytes] = {}
    frontier = _imported_files(path, text)
    for _ in range(MAX_HOPS):
        following = []
        for target in frontier:
            if target in found or len(found) >= MAX_FILES:
                continue
            try:
                with open(target, "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            found[target] = data
            following += _imported_files(target, data.decode("utf-8", "replace"))
        frontier = following
    return found


# ---------------------------------------------------------------------------------------------
# reading a project module

def read_module(path: str, data: bytes) -> Module | None:
    """The module's top-level bindings and imports, or None when it does not parse."""
    try:
        text = data.decode("utf-8")
        tree = ast.parse(text)
    except (UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    module = Module(path, text.splitlines(keepends=True))
    previous_end = 0
    for statement in tree.body:
        start = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", ()))])
        end = statement.end_lineno or statement.lineno
        if start <= previous_end:  # `a = 1; b = 2` on one line: not cut apart
            continue
        previous_end = end
        _read_statement(module, statement, (start, end))
    return module


def _read_statement(module: Module, statement: ast.stmt, span: tuple[int, int]) -> None:
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        module.spans[statement.name] = span
    elif isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        changed = [_root_name(target) for target in targets if isinstance(target, (ast.Attribute, ast.Subscript))]
        if changed and all(name in module.spans for name in changed):
            # `net.fc = nn.Linear(512, 2)`: changes the object `net` names, binds nothing new
            for name in changed:
                module.changes.setdefault(name, []).append(span)
            module.statements[span] = statement
            return
        for target in targets:
            for node in _bound_names(target):
                module.spans[node] = span
    elif isinstance(statement, ast.With) and all(isinstance(inner, ast.Assign) for inner in statement.body):
        # `with open("data.txt") as f: lines = f.readlines()`: the names its body binds
        for inner in statement.body:
            for target in inner.targets:
                for node in _bound_names(target):
                    module.spans[node] = span
    elif isinstance(statement, ast.Import):
        for alias in statement.names:
            if alias.asname:
                module.imports[alias.asname] = (0, alias.name, None)
            else:
                head = alias.name.split(".", 1)[0]
                module.imports[head] = (0, head, None)
        return
    elif isinstance(statement, ast.ImportFrom):
        for alias in statement.names:
            if alias.name == "*":
                module.stars.append((statement.level, statement.module))
            else:
                module.imports[alias.asname or alias.name] = (statement.level, statement.module, alias.name)
        return
    elif isinstance(statement, ast.Expr) and _changed(statement.value) in module.spans:
        module.changes.setdefault(_changed(statement.value), []).append(span)
    else:
        return
    module.statements[span] = statement


def _bound_names(target: ast.expr) -> list[str]:
    """The names an assignment target binds: ``x``, ``a, (b, *c)``; none for ``net.fc`` or
    ``d["k"]``, which change an object instead."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _bound_names(element)]
    return []


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


_REORDERING = frozenset({"shuffle", "sort", "reverse"})


def _changed(value: ast.expr) -> str | None:
    """The name a call changes in place: ``random.shuffle(lines)``, ``np.random.shuffle(x)``,
    ``files.sort()``, ``net.classifier.add_module("fc", nn.Linear(1000, 2))``; None for any
    other expression."""
    if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Attribute):
        return None
    if value.func.attr == "add_module":
        return _root_name(value.func.value)
    if value.func.attr not in _REORDERING:
        return None
    if value.args and isinstance(value.args[0], ast.Name) and value.func.attr == "shuffle":
        return value.args[0].id
    receiver = value.func.value
    return receiver.id if isinstance(receiver, ast.Name) and not value.args else None


# ---------------------------------------------------------------------------------------------
# the borrow

@dataclass
class _ScriptImports:
    """What the borrow needs of the script, from one walk of its ``ast``."""

    own: set[str]  # names it binds other than by ``from ... import``
    from_imports: list[ast.ImportFrom]
    modules: dict[str, tuple[int, str]]  # a name an import binds to a module -> (level, dotted module)
    reads: set[str]  # every name it reads
    attributes: list[ast.Attribute]  # ``a.b`` with a name at its root


def _script_imports(tree: ast.Module) -> _ScriptImports:
    found = _ScriptImports(set(), [], {}, set(), [])
    for node in ast.walk(tree):
        kind = type(node)
        if kind is ast.Name:
            found.reads.add(node.id)
        elif kind is ast.Attribute:
            if type(node.value) in (ast.Name, ast.Attribute):
                found.attributes.append(node)
        elif kind is ast.ImportFrom:
            found.from_imports.append(node)
            for alias in node.names:
                if alias.name != "*":
                    dotted = f"{node.module}.{alias.name}" if node.module else alias.name
                    found.modules[alias.asname or alias.name] = (node.level, dotted)
        elif kind is ast.Import:
            for alias in node.names:
                local = alias.asname or alias.name.split(".", 1)[0]
                found.own.add(local)
                if alias.name.split(".", 1)[0] not in _LIBRARIES:
                    found.modules[local] = (0, alias.name if alias.asname else local)
        elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            found.own.add(node.name)
    for statement in _module_level(tree.body):
        targets = []
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
            targets = [statement.target]
        elif isinstance(statement, (ast.For, ast.AsyncFor)):
            targets = [statement.target]
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            targets = [item.optional_vars for item in statement.items if item.optional_vars is not None]
        for target in targets:
            found.own.update(node.id for node in ast.walk(target) if isinstance(node, ast.Name))
    return found


def _module_level(body: list[ast.stmt]):
    """The statements that run at module level, inside ``if``/``for``/``with``/``try`` too."""
    for statement in body:
        yield statement
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for name in ("body", "orelse", "finalbody"):
            yield from _module_level(getattr(statement, name, []) or [])
        for handler in getattr(statement, "handlers", []) or []:
            yield from _module_level(handler.body)


class _Borrow:
    def __init__(self, files: dict[str, bytes], script_names: set[str]) -> None:
        self.files = files
        self.modules: dict[str, Module | None] = {}
        self.script_names = script_names  # bound by the script itself: never bound again
        self.defined: set[str] = set()  # bound by the borrowed text
        self.chosen: dict[tuple[str, tuple[int, int]], str] = {}  # (file, span) -> text
        self.order: list[str] = []  # files in the order their definitions were first borrowed
        self.imports: list[str] = []
        self.lines = 0

    def module(self, target: str | None) -> Module | None:
        if target is None or target not in self.files:
            return None
        if target not in self.modules:
            self.modules[target] = _cached_module(target, self.files[target])
        return self.modules[target]

    def origin(self, module: Module | None, name: str, hops: int) -> tuple[str, object, str] | None:
        """Where ``name``, as ``module`` sees it, comes from, through re-exports and star imports:
        ('project', the module that defines it, its name there) or ('library', the library module
        it is imported from, its name there: ``data.py`` holding ``from torch.utils.data import
        DataLoader``)."""
        if module is None:
            return None
        if name in module.spans:
            return "project", module, name
        if hops >= MAX_HOPS:
            return None
        imported = module.imports.get(name)
        if imported is not None:
            level, source, original = imported
            target = resolve(module.path, level, source)
            if target is None:
                return ("library", source, original) if level == 0 and source and original else None
            following = self.module(target)
            if original is None or following is module:
                return None
            return self.origin(following, original, hops + 1)
        for level, star in module.stars:
            source = self.module(resolve(module.path, level, star))
            found = self.origin(source, name, hops + 1) if source is not module else None
            if found is not None:
                return found
        return None

    def definition(self, module: Module | None, name: str, hops: int) -> tuple[Module, str] | None:
        """The module and name that define ``name`` as ``module`` sees it (through its re-exports)."""
        found = self.origin(module, name, hops)
        return (found[1], found[2]) if found is not None and found[0] == "project" else None

    def relevant(self, module: Module, name: str) -> bool:
        """``_relevant``, or an instance the module builds of a relevant class of the project
        (``net = NET()`` in a ``prepare_train.py``, ``NET`` defined there or imported from
        ``net.py``)."""
        if _relevant(module, name):
            return True
        statement = module.statements.get(module.spans[name])
        value = statement.value if isinstance(statement, ast.Assign) else None
        if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Name):
            return False
        found = self.definition(module, value.func.id, 1)
        return found is not None and found[1] != name and _relevant(*found)

    def add(self, module: Module, name: str, alias: str, hops: int) -> bool:
        """Borrow the statement binding ``name`` in ``module`` as ``alias``, and what it reads."""
        span = module.spans[name]
        key = (module.path, span)
        if key in self.chosen:
            return alias == name or alias in self.defined
        if alias in self.defined:
            return False
        text = module.text(span) if alias == name else _renamed(module.text(span), name, alias)
        if text is None:
            return False
        size = text.count("\n") + 1
        if self.lines + size > MAX_BORROWED_LINES:
            return False
        self.lines += size
        self.chosen[key] = text
        self.defined.add(alias)
        if module.path not in self.order:
            self.order.append(module.path)
        if alias == name:  # what changes it in place comes with it (a renamed copy has no such lines)
            for later in module.changes.get(name, ()):
                if later > span and (module.path, later) not in self.chosen:
                    self.chosen[(module.path, later)] = module.text(later)
                    self.lines += later[1] - later[0] + 1
                    for read in sorted(module.reads(later) - {name}):
                        if read not in self.defined and read not in self.script_names:
                            self.add_read(module, read, hops, later)
        for read in sorted(module.reads(span)):
            if read != name and read not in self.defined and read not in self.script_names:
                self.add_read(module, read, hops, span)
        return True

    def add_read(self, module: Module, read: str, hops: int, span: tuple[int, int] | None = None) -> None:
        """What a borrowed statement reads from its module: a definition there, a project
        definition it imports, or the import statement of a library name."""
        if read in module.spans:
            self.add(module, read, read, hops)
            return
        imported = module.imports.get(read)
        if imported is not None:
            level, source, name = imported
            target = resolve(module.path, level, source)
            if target is None and level == 0:
                self.imports.append(_import_text(source, name, read))
                self.defined.add(read)
            elif target is not None and name is not None and hops + 1 < MAX_HOPS:
                found = self.definition(self.module(target), name, hops + 1)
                if found is not None:
                    self.add(found[0], found[1], read, hops + 1)
            return
        libraries = []
        for level, star in module.stars:
            target = resolve(module.path, level, star)
            if target is None:
                if level == 0 and star and star.split(".", 1)[0] in _LIBRARIES:
                    libraries.append(star)
                continue
            found = self.definition(self.module(target), read, hops + 1)
            if found is not None:
                self.add(found[0], found[1], read, hops + 1)
                return
        if len(libraries) == 1 and span is not None and read not in _BUILTINS and read not in module.locals(span):
            # `from torch.nn import *` then `Softmax(dim=-1)`: a name bound nowhere in the module
            # came through its one library star import
            self.imports.append(_import_text(libraries[0], read, read))
            self.defined.add(read)

    def borrowed(self, names: frozenset[str], attributes: dict[str, str]) -> Borrowed:
        rank = {path: index for index, path in enumerate(self.order)}
        # deepest modules first: a base class is defined before the class built on it
        ordered = sorted(self.chosen.items(), key=lambda item: (-rank[item[0][0]], item[0][1]))
        parts = [f"{line}\n" for line in self.imports]
        line = len(parts) + 1
        origins = []
        for (path, span), text in ordered:
            text = text if text.endswith("\n") else text + "\n"
            size = text.count("\n")
            origins.append((line, line + size - 1, path, span[0]))
            line += size
            parts.append(text)
        sources = tuple((path, "".join(self.modules[path].lines)) for path in self.order)
        return Borrowed("".join(parts), names, len(self.chosen) + len(self.imports),
                        attributes=tuple(sorted(attributes.items())), origins=tuple(origins), sources=sources,
                        parts=tuple(parts))


def _import_text(module: str | None, name: str | None, alias: str) -> str:
    if name is None:
        head = module.split(".", 1)[0] if module else alias
        return f"import {module}" if alias == head else f"import {module} as {alias}"
    return f"from {module} import {name}" if alias == name else f"from {module} import {name} as {alias}"


_cache: dict[str, tuple[bytes, Module | None]] = {}


def _cached_module(path: str, data: bytes) -> Module | None:
    """``read_module``, once per file and content in a process (every script of a project
    borrows from the same few modules)."""
    held = _cache.get(path)
    if held is None or held[0] != data:
        held = _cache[path] = (data, read_module(path, data))
    return held[1]


def _renamed(text: str, name: str, alias: str) -> str | None:
    """The definition's text defining ``alias`` instead (``from models import ResNet18 as Net``)."""
    pattern = re.compile(rf"^((?:async[ \t]+)?(?:def|class)[ \t]+){re.escape(name)}\b", re.MULTILINE)
    renamed, count = pattern.subn(lambda match: match.group(1) + alias, text, count=1)
    if count:
        return renamed
    assigned = re.compile(rf"^{re.escape(name)}(?=[ \t]*[:=])", re.MULTILINE)
    renamed, count = assigned.subn(alias, text, count=1)
    return renamed if count else None


def borrow(path: str, source: str, files: dict[str, bytes]) -> Borrowed | None:
    """What the script at ``path`` (text ``source``) borrows from ``files`` (its
    ``dependencies``), or None when it borrows nothing."""
    if not files:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    script = _script_imports(tree)
    own = script.own
    imported = {alias.asname or alias.name for statement in script.from_imports for alias in statement.names}
    # a library name the script imports is never bound again by a borrowed import
    state = _Borrow(files, own | imported)
    wanted: list[tuple[Module, str, str]] = []
    stars: list[Module] = []
    for statement in script.from_imports:
        module = state.module(resolve(path, statement.level, statement.module))
        if module is None:
            continue
        for alias in statement.names:
            if alias.name == "*":
                stars.append(module)
            elif (alias.asname or alias.name) not in own and (alias.asname or alias.name) in script.reads:
                wanted.append((module, alias.name, alias.asname or alias.name))
    if stars:
        read = script.reads - own - imported
        wanted += [(module, name, name) for module in stars for name in sorted(read)]
    names = set()
    reexported = False
    for module, name, local in wanted:
        origin = state.origin(module, name, 1)
        if origin is None:
            continue
        kind, where, original = origin
        if kind == "project":
            if state.relevant(where, original) and state.add(where, original, local, 1):
                names.add(local)
        elif where.split(".", 1)[0] in _REEXPORTED_LIBRARIES and local not in state.defined:
            # a library name re-exported by a project module: the analysis knows it by its origin
            state.imports.append(_import_text(where, original, local))  # rebinds it after the script's
            state.defined.add(local)
            reexported = True
    attributes = {}
    for written, module, name in _attribute_uses(path, script, state):
        found = state.definition(module, name, 1)
        if found is None or not _relevant(found[0], found[1]):
            continue
        alias = name
        if name in state.defined and (found[0].path, found[0].spans[found[1]]) not in state.chosen:
            # `model_cmg_fc1.ClassifierMusicGenres` and `model_cmg_fc2.ClassifierMusicGenres`: two
            # classes of one name, each borrowed under the name the script writes it by
            alias = written.replace(".", "_")
        if state.add(found[0], found[1], alias, 1):
            attributes[written] = alias
    return state.borrowed(frozenset(names), attributes) if names or attributes or reexported else None


def _relevant(module: Module, name: str) -> bool:
    """Whether the definition may hold what the analysis asks about (layers, data, a training or
    evaluation step): a download or plotting helper is not worth its analysis in every script. A
    constant (``BATCH_SIZE = 4``, ``LR = 1.5``, ``DATA_DIR = "data/test"`` in a ``config.py``) is
    one line, and may be the very value a rule reads."""
    span = module.spans[name]
    if _is_constant(module.statements.get(span)):
        return True
    text = module.text(span)
    return any(word in text for word in _RELEVANT)


def _is_constant(statement: ast.stmt | None) -> bool:
    value = statement.value if isinstance(statement, (ast.Assign, ast.AnnAssign)) else None
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub):
        value = value.operand
    return isinstance(value, ast.Constant)


def _attribute_uses(path: str, script: _ScriptImports, state: _Borrow) -> list[tuple[str, Module, str]]:
    """``net.Net`` where ``import model.net as net`` (or ``import model``, ``model.net.Net``; or
    ``from model import net``) names a project module: (as written, the module, the attribute),
    for the attributes the script does not bind itself."""
    found = []
    modules: dict[tuple[int, str], Module | None] = {}
    for node in script.attributes:
        parts = _attribute_parts(node)
        if not parts or parts[0] not in script.modules or parts[-1] in script.own:
            continue
        level, bound = script.modules[parts[0]]
        key = (level, ".".join([bound, *parts[1:-1]]))
        if key not in modules:
            modules[key] = state.module(resolve(path, *key))
        if modules[key] is not None:
            found.append((".".join(parts), modules[key], parts[-1]))
    return found


def _attribute_parts(node: ast.Attribute) -> list[str] | None:
    parts = [node.attr]
    value = node.value
    while isinstance(value, ast.Attribute):
        parts.append(value.attr)
        value = value.value
    return [value.id, *reversed(parts)] if isinstance(value, ast.Name) else None
