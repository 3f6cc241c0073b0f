"""The shared analysis of one training script, built in a single plain libcst traversal.

Every rule asks the same questions: which name is the optimizer, which loop walks the batches,
is this code training or evaluating, which DataLoader feeds the training loop. This module answers
them once per file, so no rule re-solves them.

Why not libcst's metadata providers: scopes and qualified names cost several times the parse,
while a plain traversal costs about as much as the parse (docs/speed.md, measured by
benchmarks/bench_libcst.py). One plain visitor that records imports, assignments, calls, loops,
``with`` blocks and returns, plus small resolvers over those records, answers everything the rules
need within the scan's 2x-of-parse budget.

Binding resolution follows a name to the values it may hold: assignments in the same function,
then the enclosing functions and the module; ``self.x`` to the assignments of ``self.x`` in the
class's methods; a parameter to the arguments passed at the call sites in the same file (and its
default); a call of a local factory function to that function's return values. It stops after a
cycle (a recursive function, a name bound to itself) and gives up silently there: rules treat
"unknown" as "say nothing".
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, update_wrapper
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

import libcst as cst

from fitlint.analysis import catalog
from fitlint.analysis.catalog import ObjKind
from fitlint.words import words

T = TypeVar("T")
# a write of a name: its assignment, augmented assignment or gathering call
W = TypeVar("W", "Assignment", "AugAssignment", "CallSite")

MAX_HOPS = 6
# the most ways a dict of keyword arguments may be built that the analysis still follows
MAX_VARIANTS = 64
# methods that change a dict in place
_DICT_CHANGERS = ("update", "setdefault", "pop", "popitem", "clear", "__setitem__")
# How many resolutions may be under way inside one another (a value passed through this many
# functions, or a name bound to one bound to another...): deeper is "unknown", well before
# Python's recursion limit.
MAX_RESOLUTION_DEPTH = 64


@dataclass(eq=False, repr=False)
class ClassInfo:
    name: str
    node: cst.ClassDef
    bases: tuple[str, ...]
    methods: dict[str, FunctionInfo] = field(default_factory=dict)
    attrs: dict[str, list[Assignment]] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<ClassInfo {self.name}>"


@dataclass(eq=False, repr=False)
class FunctionInfo:
    name: str
    node: cst.Module | cst.FunctionDef
    cls: ClassInfo | None
    parent: FunctionInfo | None
    params: tuple[str, ...] = ()
    decorators: tuple[str, ...] = ()
    bindings: dict[str, list[Assignment]] = field(default_factory=dict)
    calls: list[CallSite] = field(default_factory=list)
    loops: list[LoopInfo] = field(default_factory=list)
    returns: list[cst.BaseExpression] = field(default_factory=list)
    # tuples the function builds (`validation_data=(X, y)`, `return X, y`), not the ones it unpacks into
    tuples: list[tuple[int, cst.Tuple]] = field(default_factory=list)
    is_generator: bool = False
    memo: dict = field(default_factory=dict)  # see memoized()

    @property
    def is_module(self) -> bool:
        return type(self.node) is cst.Module

    @property
    def is_method(self) -> bool:
        return self.cls is not None

    def __repr__(self) -> str:
        owner = f"{self.cls.name}." if self.cls is not None else ""
        return f"<FunctionInfo {owner}{self.name}>"

    def scopes(self) -> tuple[FunctionInfo, ...]:
        """This function, then each function around it, out to the module (kept: asked of nearly
        every name the resolver follows)."""
        found = self.memo.get("scopes")
        if found is None:
            found = self.memo["scopes"] = (self,) + (self.parent.scopes() if self.parent is not None else ())
        return found

    def within(self, outer: FunctionInfo) -> bool:
        """This function is ``outer`` or nested in it."""
        return any(scope is outer for scope in self.scopes())

    def binding_scope(self, name: str) -> FunctionInfo | None:
        """The innermost scope, from this function out, that assigns ``name`` or takes it as a parameter."""
        for scope in self.scopes():
            if name in scope.bindings or name in scope.params:
                return scope
        return None

    def latest_binding(self, name: str, before: int) -> Assignment | None:
        """The last assignment of ``name`` in this function before traversal order ``before``."""
        found = None
        for assignment in self.bindings.get(name, ()):
            if assignment.order < before and (found is None or assignment.order > found.order):
                found = assignment
        return found

    def assigns_in(self, loop: LoopInfo) -> list[Assignment]:
        """This function's assignments inside ``loop`` (nested loops included), in order."""
        found = [a for assignments in self.bindings.values() for a in assignments if loop.contains(a.loop)]
        return sorted(found, key=lambda assignment: assignment.order)

    def items_added_to(self, name: str) -> list[tuple[cst.BaseExpression, CallSite]]:
        """``(value, call)`` for each ``name.append(value)`` / ``name.extend(values)`` in this
        function: what a list started empty (``imgs = []``) and filled in a loop holds."""
        found = []
        for site in self.calls:
            receiver = site.receiver
            if (site.method in ("append", "extend") and type(receiver) is cst.Name and receiver.value == name
                    and len(site.node.args) == 1 and site.node.args[0].keyword is None):
                found.append((site.node.args[0].value, site))
        return found

    def argument(self, site: CallSite, parameter: str) -> cst.BaseExpression | None:
        """What ``site``, a call of this function, passes for ``parameter`` (by position, counting
        ``self`` / ``cls`` out for a method, or by keyword)."""
        index = self.params.index(parameter)
        if self.cls is not None and self.params and self.params[0] in ("self", "cls"):
            index -= 1
        return site.arg(index if index >= 0 else None, parameter)

    def param_default(self, name: str) -> cst.BaseExpression | None:
        param = self._param(name)
        return param.default if param is not None else None

    def param_node(self, name: str) -> cst.Name | None:
        """The name node of the parameter ``name`` (where it is bound)."""
        param = self._param(name)
        return param.name if param is not None else None

    def _param(self, name: str) -> cst.Param | None:
        if type(self.node) is cst.FunctionDef:
            for param in _all_params(self.node.params):
                if param.name.value == name:
                    return param
        return None


@dataclass(eq=False, repr=False)
class LoopInfo:
    node: cst.For | cst.While
    function: FunctionInfo
    parent: LoopInfo | None
    iter: cst.BaseExpression | None
    target: cst.BaseExpression | None
    order: int
    end_order: int = 0
    calls: list[CallSite] = field(default_factory=list)
    children: list[LoopInfo] = field(default_factory=list)
    # subscripts in the body that slice (`X[i:i + bs]`) or index with a name (`X[idx]`): batching by hand
    subscripts: list[cst.Subscript] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"<LoopInfo in {self.function.name} order={self.order}>"

    def contains(self, other: LoopInfo | None) -> bool:
        while other is not None:
            if other is self:
                return True
            other = other.parent
        return False

    def all_calls(self) -> Iterator[CallSite]:
        yield from self.calls
        for child in self.children:
            yield from child.all_calls()


@dataclass(eq=False, repr=False)
class CallSite:
    node: cst.Call
    name: str | None
    function: FunctionInfo
    loop: LoopInfo | None
    withs: tuple[cst.Call, ...]
    order: int
    statement: cst.CSTNode
    # in a comprehension or generator expression: runs once per element, not once per statement
    repeated: bool = False
    # the called attribute or name: ``step`` for ``opt.step()``, ``train`` for ``model.to(d).train()``
    method: str | None = field(init=False)

    def __post_init__(self) -> None:
        func = self.node.func
        if self.name:
            self.method = self.name.rsplit(".", 1)[-1]
        else:
            self.method = func.attr.value if type(func) is cst.Attribute else None

    def __repr__(self) -> str:
        return f"<CallSite {self.name}() in {self.function.name} order={self.order}>"

    @property
    def written(self) -> str:
        """The called expression as the file writes it, for messages (``schedulers[j].step``,
        which has no dotted name)."""
        return self.name or code_of(self.node.func)

    @property
    def receiver(self) -> cst.BaseExpression | None:
        func = self.node.func
        return func.value if type(func) is cst.Attribute else None

    def arg(self, position: int | None, keyword: str | None) -> cst.BaseExpression | None:
        return call_arg(self.node, position, keyword)


@dataclass(eq=False, repr=False)
class Assignment:
    """``target = value``. For a name bound by unpacking (``train_set, val_set = random_split(...)``)
    ``value`` is built by the analysis (``random_split(...)[1]``, see ``element_of``) and ``unpacked``
    is True: such a value has no place in the source and is never reported."""

    target: str
    value: cst.BaseExpression
    function: FunctionInfo
    order: int
    statement: cst.CSTNode
    loop: LoopInfo | None
    unpacked: bool = False
    end_order: int = 0  # once the value is computed and stored (the order of the statement's end)

    def element(self) -> tuple[cst.BaseExpression, int] | None:
        """``(what it is unpacked from, i)`` for a name bound by unpacking (``X, y = load(path)``
        binds ``y`` to element 1 of ``load(path)``), else None."""
        return element_index(self.value) if self.unpacked else None


@dataclass(eq=False, repr=False)
class ItemAssignment:
    """``container[key] = value`` (``model.classifier[6] = nn.Linear(...)``)."""

    target: cst.Subscript
    value: cst.BaseExpression
    function: FunctionInfo
    order: int
    statement: cst.CSTNode
    end_order: int = 0


@dataclass(eq=False, repr=False)
class AugAssignment:
    target: cst.BaseExpression
    operator: cst.BaseAugOp
    value: cst.BaseExpression
    function: FunctionInfo
    order: int
    statement: cst.CSTNode
    loop: LoopInfo | None
    end_order: int = 0
    withs: tuple[cst.Call, ...] = ()  # the context managers around it, as a CallSite's


@dataclass(frozen=True, eq=False)
class Store:
    """A write of ``name`` (the root the target writes: ``y`` for ``y[:] = ...``, ``self.y`` for
    ``self.y = ...``) by ``statement``, at ``order``: once its value is computed and stored."""

    name: str
    order: int
    statement: cst.CSTNode
    value: cst.BaseExpression


@dataclass(frozen=True)
class Basis:
    """How the facts behind an answer were established (see the severity contract in
    ``fitlint.rule``). No ``guesses``: every link was resolved (a name followed to the value it
    holds, a call to the function it runs, a value to the constructor that made it). Each guess
    says which link was taken on a heuristic instead (a name, a usage pattern)."""

    guesses: tuple[str, ...] = ()

    @property
    def resolved(self) -> bool:
        return not self.guesses

    def __or__(self, other: Basis) -> Basis:
        return Basis(self.guesses + tuple(guess for guess in other.guesses if guess not in self.guesses))


RESOLVED = Basis()


def guessed(why: str) -> Basis:
    return Basis((why,))


@dataclass(frozen=True, eq=False, repr=False)
class Bound:
    """A value an expression may hold, with the function whose names it refers to."""

    expr: cst.BaseExpression
    function: FunctionInfo

    def __repr__(self) -> str:
        return f"<Bound {type(self.expr).__name__} in {self.function.name}>"


@dataclass(frozen=True, eq=False, repr=False)
class Obj:
    """What an expression is, when the analysis can tell: a constructor call it was bound to."""

    kind: ObjKind
    qualname: str
    call: cst.Call
    function: FunctionInfo
    detail: str | None = None

    def __repr__(self) -> str:
        return f"<Obj {self.kind} {self.qualname}>"


# Script.values' note for a name or attribute nothing is known about
_UNRESOLVED = object()


def _unique(bounds: list[Bound]) -> list[Bound]:
    """``bounds`` without repeats (same expression in the same function), first ones kept."""
    seen: set[tuple[int, int]] = set()
    out = []
    for bound in bounds:
        key = (id(bound.expr), id(bound.function))
        if key not in seen:
            seen.add(key)
            out.append(bound)
    return out


def _entry(key: tuple, expr: cst.BaseExpression, found: list[Bound]) -> tuple[object, tuple[Bound, ...]]:
    """How Script.values keeps an answer: (anchor, values). A name's or ``self.x``'s answer serves
    every use of it (anchor None), unless nothing is known (_UNRESOLVED: each use answers itself)
    or the use itself is among the values (anchored to that use); any other answer to its node."""
    if key[0] != "node":
        if len(found) == 1 and found[0].expr is expr:
            return (_UNRESOLVED, ())
        if not any(bound.expr is expr for bound in found):
            return (None, tuple(found))
    return (expr, tuple(found))


def _answer(entry: tuple, expr: cst.BaseExpression, function: FunctionInfo) -> list[Bound] | None:
    """The values a kept entry gives for this use of its key, or None when it is another use's."""
    anchor = entry[0]
    if anchor is _UNRESOLVED:
        return [Bound(expr, function)]
    if anchor is None or anchor is expr:
        return list(entry[1])
    return None


def call_arg(call: cst.Call, position: int | None, keyword: str | None) -> cst.BaseExpression | None:
    index = 0
    for arg in call.args:
        if arg.keyword is not None:
            if keyword is not None and arg.keyword.value == keyword:
                return arg.value
        elif arg.star:
            index += 1
        else:
            if position is not None and index == position:
                return arg.value
            index += 1
    return None


def dotted(expr: cst.BaseExpression | None) -> str | None:
    """``a.b.c`` for a chain of names and attributes, else None."""
    if type(expr) is cst.Name:
        return expr.value
    parts = []
    while type(expr) is cst.Attribute:
        parts.append(expr.attr.value)
        expr = expr.value
    if type(expr) is cst.Name:
        parts.append(expr.value)
        return ".".join(reversed(parts))
    return None


_EMPTY_MODULE = cst.Module([])


def code_of(node: cst.CSTNode) -> str:
    """The node's code as libcst generates it. A name or dotted name without parentheses or
    spaces is read off directly: rules ask for thousands of them, and each generation costs."""
    parts = []
    current = node
    while type(current) is cst.Attribute:
        dot = current.dot
        if current.lpar or not (_no_space(dot.whitespace_before) and _no_space(dot.whitespace_after)):
            return _EMPTY_MODULE.code_for_node(node)
        parts.append(current.attr.value)
        current = current.value
    if type(current) is not cst.Name or current.lpar:
        return _EMPTY_MODULE.code_for_node(node)
    parts.append(current.value)
    return ".".join(reversed(parts))


def _no_space(whitespace: cst.BaseParenthesizableWhitespace) -> bool:
    return type(whitespace) is cst.SimpleWhitespace and whitespace.value == ""


def short_code(node: cst.CSTNode, limit: int = 60) -> str:
    """``code_of`` cut to ``limit`` characters for a message."""
    text = code_of(node)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def literal(expr: cst.BaseExpression | None) -> object:
    """The value of a simple literal (numbers, strings, True/False/None, unary minus), else ...

    Ellipsis means "not a literal", so None can be returned for the literal ``None``.
    """
    kind = type(expr)
    if kind is cst.Integer or kind is cst.Float:
        # libcst's evaluated_value runs ast.literal_eval (a compile) per call; int()/float() read
        # nearly every spelling, and the rare one they refuse ("00") goes the slow way
        try:
            return int(expr.value, 0) if kind is cst.Integer else float(expr.value)
        except ValueError:
            return _constant(expr.value)
    if kind is cst.SimpleString:
        text = expr.value
        if text[0] in "'\"" and "\\" not in text:  # no prefix, no escapes: the text between the quotes
            quote = 3 if text[:3] in ('"""', "'''") and len(text) >= 6 else 1
            return text[quote:-quote]
        return _constant(text)
    if kind is cst.Name and expr.value in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[expr.value]
    if type(expr) is cst.UnaryOperation and type(expr.operator) is cst.Minus:
        value = literal(expr.expression)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return -value
    return ...


def _constant(text: str) -> object:
    """The value of a constant's source text (``"a\\tb"``, ``b"x"``, ``0o17``), else ...: parsed
    rather than given to ``ast.literal_eval`` (libcst's ``evaluated_value``), whose nested
    recursive helpers leave a reference cycle per call."""
    try:
        node = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError):
        return ...
    return node.value if type(node) is ast.Constant else ...


_ARITHMETIC = {
    cst.Add: lambda a, b: a + b, cst.Subtract: lambda a, b: a - b, cst.Multiply: lambda a, b: a * b,
    cst.Divide: lambda a, b: a / b, cst.Power: lambda a, b: a ** b,
}


def _returns_itself(value: cst.BaseExpression, name: str) -> bool:
    """``name.cuda()``, ``name.train()``: a module method that returns the module ``name`` holds."""
    return (type(value) is cst.Call and type(value.func) is cst.Attribute
            and value.func.attr.value in catalog.MODULE_PASSTHROUGH
            and type(value.func.value) is cst.Name and value.func.value.value == name)


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    out = list(params.posonly_params) + list(params.params)
    if type(params.star_arg) is cst.Param:
        out.append(params.star_arg)
    out += list(params.kwonly_params)
    if params.star_kwarg is not None:
        out.append(params.star_kwarg)
    return out


def _is_parse_args(expr: cst.BaseExpression) -> bool:
    return (type(expr) is cst.Call and type(expr.func) is cst.Attribute
            and expr.func.attr.value == "parse_args")


def _option_dest(call: cst.Call) -> str | None:
    """The attribute ``parser.add_argument(...)`` stores its value in (``--batch-size`` ->
    ``batch_size``, or ``dest=``)."""
    dest = literal(call_arg(call, None, "dest"))
    if isinstance(dest, str):
        return dest
    options = [literal(arg.value) for arg in call.args if arg.keyword is None]
    options = [option for option in options if isinstance(option, str)]
    long = [option for option in options if option.startswith("--")]
    chosen = long[0] if long else options[0] if options else None
    if chosen is None:
        return None
    return chosen.lstrip("-").replace("-", "_")


def element_of(value: cst.BaseExpression, index: int) -> cst.Subscript:
    """``value[index]``: what one name of a tuple unpacking holds (``train_set, val_set =
    random_split(...)``). Built by the collector, outside the module's tree: never reported."""
    return cst.Subscript(value, [cst.SubscriptElement(cst.Index(cst.Integer(str(index))))])


# Words of an iterable's name that say it yields batches: ``train_dl``, ``dls``, ``batches``.
_LOADER_WORDS = frozenset({"dl", "dls", "batches"})


def element_index(expr: cst.BaseExpression | None) -> tuple[cst.BaseExpression, int] | None:
    """``(container, i)`` for ``container[i]`` with a literal integer ``i`` (also negative)."""
    if type(expr) is not cst.Subscript or len(expr.slice) != 1:
        return None
    index = expr.slice[0].slice
    if type(index) is not cst.Index:
        return None
    value = literal(index.value)
    if type(value) is not int:
        return None
    return expr.value, value


def tuple_element(value: cst.BaseExpression, index: int | None) -> cst.BaseExpression:
    """The element ``index`` of a tuple a function hands back (``x_test`` at 1 of ``return x_train,
    x_test``), for a name unpacked from its call; the whole value when there is no such element (a
    helper returning one object that the caller unpacks or indexes)."""
    if index is not None and type(value) is cst.Tuple and -len(value.elements) <= index < len(value.elements):
        return value.elements[index].value
    return value


def subscripted_root(expr: cst.BaseExpression) -> cst.BaseExpression:
    """What is indexed, through every subscript: ``y`` for ``y[perm][:n]``."""
    while type(expr) is cst.Subscript:
        expr = expr.value
    return expr


def assigned_names(statement: cst.CSTNode) -> list[str]:
    """The dotted names a simple statement assigns (``a, b = ...``, ``x: T = ...``, ``x += ...``),
    in source order."""
    if type(statement) is not cst.SimpleStatementLine:
        return []
    out: list[str] = []
    for small in statement.body:
        if type(small) is cst.Assign:
            for target in small.targets:
                out += target_names(target.target)
        elif type(small) in (cst.AnnAssign, cst.AugAssign):
            out += target_names(small.target)
    return out


def target_names(target: cst.BaseExpression) -> list[str]:
    """The dotted names an assignment target writes, in order: ``(x_train, y_train), *rest`` ->
    x_train, y_train, rest; a subscript (``y[:]``) writes none."""
    if type(target) in (cst.Tuple, cst.List):
        return [name for element in target.elements for name in target_names(element.value)]
    if type(target) is cst.StarredElement:
        return target_names(target.value)
    name = dotted(target)
    return [name] if name is not None else []


def unpacked_from(expr: cst.BaseExpression) -> cst.BaseExpression:
    """What an assigned value was taken from: ``random_split(...)`` for a name bound by
    ``train_set, val_set = random_split(...)`` (see ``element_of``), else the value itself."""
    while type(expr) is cst.Subscript and element_index(expr) is not None:
        expr = expr.value
    return expr


def literal_key(expr: cst.Subscript) -> str | None:
    """``config["lr"]`` -> 'lr': a subscript by one literal string, else None."""
    if len(expr.slice) != 1 or type(expr.slice[0].slice) is not cst.Index:
        return None
    key = literal(expr.slice[0].slice.value)
    return key if type(key) is str else None


def dict_comprehension_keys(node: cst.DictComp, walked: cst.BaseExpression | None = None) -> tuple[str, ...]:
    """The literal keys a dict comprehension builds, each entry one run of its value
    (``{x: DataLoader(sets[x]) for x in ['train', 'val']}`` -> ('train', 'val')); empty unless the
    key is the one loop name and the loop walks a literal list of strings (``walked``: the list a
    name the loop walks is bound to, ``PHASES = ['train', 'val']``)."""
    clause = node.for_in
    if clause.inner_for_in is not None or type(clause.target) is not cst.Name:
        return ()
    if type(node.key) is not cst.Name or node.key.value != clause.target.value:
        return ()
    iterable = walked if walked is not None else clause.iter
    if type(iterable) not in (cst.List, cst.Tuple, cst.Set):
        return ()
    keys = tuple(literal(element.value) for element in iterable.elements)
    return keys if all(type(key) is str for key in keys) else ()


def items_walked(node: cst.DictComp) -> tuple[str, str] | None:
    """``(key name, value name)`` of ``{k: ... for k, v in d.items()}`` (the key is the loop's
    first name), else None."""
    clause = node.for_in
    target, walked = clause.target, clause.iter
    if clause.inner_for_in is not None or type(target) is not cst.Tuple or len(target.elements) != 2:
        return None
    names = [element.value for element in target.elements]
    if any(type(name) is not cst.Name for name in names) or type(node.key) is not cst.Name or node.key.value != names[0].value:
        return None
    if not (type(walked) is cst.Call and not walked.args and type(walked.func) is cst.Attribute
            and walked.func.attr.value == "items"):
        return None
    return names[0].value, names[1].value


def pairs_walked(node: cst.DictComp) -> tuple[str, str, dict[str, cst.BaseExpression]] | None:
    """``(key name, value name, {key: value})`` of ``{k: ... for k, v in [("train", ds_tr), ("val",
    ds_va)]}``: a comprehension over a list (or tuple) of written-out ``(name, value)`` pairs, the
    key being the loop's first name; else None."""
    clause = node.for_in
    target, walked = clause.target, clause.iter
    if (clause.inner_for_in is not None or type(target) is not cst.Tuple or len(target.elements) != 2
            or type(walked) not in (cst.List, cst.Tuple) or not walked.elements):
        return None
    names = [element.value for element in target.elements]
    if any(type(name) is not cst.Name for name in names) or type(node.key) is not cst.Name or node.key.value != names[0].value:
        return None
    pairs: dict[str, cst.BaseExpression] = {}
    for element in walked.elements:
        pair = element.value
        if type(pair) is not cst.Tuple or len(pair.elements) != 2 or not isinstance(literal(pair.elements[0].value), str):
            return None
        pairs[literal(pair.elements[0].value)] = pair.elements[1].value
    return names[0].value, names[1].value, pairs


def _dict_entries(expr: cst.BaseExpression) -> dict[str, cst.BaseExpression] | None:
    """The entries of a literal dict with string keys (``{"lr": 0.1}``, ``dict(lr=0.1)``), else None."""
    if type(expr) is cst.Dict:
        entries = {}
        for element in expr.elements:
            key = literal(element.key) if type(element) is cst.DictElement else None
            if type(key) is not str:
                return None  # a `**spread` or a computed key: the entries are not all known
            entries[key] = element.value
        return entries
    if type(expr) is cst.Call and dotted(expr.func) == "dict" and all(arg.keyword is not None for arg in expr.args):
        return {arg.keyword.value: arg.value for arg in expr.args}
    return None


def _branch_of(path: list[cst.CSTNode] | None, use_path: list[cst.CSTNode]) -> tuple | None:
    """Where a statement that changes a dict sits, seen from the statement that uses the dict:
    ``()`` when every run that reaches the use runs it (it is in a block that holds the use);
    ``(if_statement, branches, branch)`` when it is directly in one branch of an ``if`` / ``elif`` /
    ``else`` chain beside the use (``branches`` counts the chain's branches, the implicit
    "none taken" included); None anywhere else (a loop, a nested branch, the other side of the
    use's own ``if``)."""
    if path is None:
        return None
    common = 0
    while common < min(len(path), len(use_path)) and path[common] is use_path[common]:
        common += 1
    rest = path[common:]
    if len(rest) == 1:
        return ()
    if len(rest) < 3 or type(rest[0]) is not cst.If:
        return None
    chain, position, branch = rest[0], 1, 0
    last = len(rest) - 1  # the changing statement itself
    while position < last and type(rest[position]) is cst.If:
        position += 1
        branch += 1
    if position < last and type(rest[position]) is cst.Else:
        branch = _chain_length(chain)
        position += 1
    if position + 1 != last or type(rest[position]) is not cst.IndentedBlock:
        return None
    return chain, _chain_length(chain) + 1, branch


def _chain_length(statement: cst.If) -> int:
    """The number of tests in an ``if`` / ``elif`` chain."""
    return len(_chain_tests(statement))


def _chain_tests(statement: cst.If) -> list[cst.BaseExpression]:
    """The tests of an ``if`` / ``elif`` chain, in order."""
    tests = [statement.test]
    while type(statement.orelse) is cst.If:
        statement = statement.orelse
        tests.append(statement.test)
    return tests


def _product(choices: list[list[dict[str, cst.BaseExpression]]]) -> list[list[dict[str, cst.BaseExpression]]]:
    """Every way of picking one entry dict per change, in the changes' order."""
    return [list(picked) for picked in itertools.product(*choices)]


def _tuple_elements(expr: cst.BaseExpression) -> list[cst.BaseExpression] | None:
    """The elements of a literal tuple or list without starred parts, else None."""
    if type(expr) not in (cst.Tuple, cst.List) or any(type(e) is cst.StarredElement for e in expr.elements):
        return None
    return [element.value for element in expr.elements]


# methods that move a module and return the module itself
DEVICE_MOVES = frozenset({"to", "cuda", "cpu"})


def moved_module(expr: cst.BaseExpression) -> cst.BaseExpression:
    """The constructor call under device moves: ``nn.CrossEntropyLoss().to(device)`` and
    ``Net().cuda()`` are the loss and the network themselves."""
    while (type(expr) is cst.Call and type(expr.func) is cst.Attribute and expr.func.attr.value in DEVICE_MOVES
           and type(expr.func.value) is cst.Call):
        expr = expr.func.value
    return expr


def unwrap_iterable(expr: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """``enumerate(tqdm(loader))`` -> ``loader``: the thing a loop really walks."""
    while type(expr) is cst.Call:
        name = dotted(expr.func) or ""
        if name.rsplit(".", 1)[-1] not in catalog.ITERABLE_WRAPPERS or not expr.args:
            break
        expr = expr.args[0].value
    return expr


_TRIVIA_FIELDS = frozenset({
    "lpar", "rpar", "comma", "semicolon", "dot", "colon", "equal", "leading_lines",
    "lines_after_decorators", "header", "footer", "trailing_whitespace", "newline", "indent",
    "operator", "asynchronous", "star", "encoding", "default_indent", "default_newline",
    "has_trailing_newline", "whitespace_after_star", "first_line",
})


def memoized(function: Callable[..., T]) -> Callable[..., T]:
    """Cache ``function(owner, *args)`` in ``owner.memo`` (a Script's or a FunctionInfo's): the
    answers live exactly as long as the analysis they belong to. (An ``lru_cache`` keyed by the
    script kept the trees of its last N scanned files alive, and their objects slowed every later
    garbage collection.) The extra arguments must be hashable; nodes count by identity."""
    def cached(owner, *args):
        key = (cached, args)
        memo = owner.memo
        if key in memo:
            return memo[key]
        value = memo[key] = function(owner, *args)
        return value
    return update_wrapper(cached, function)


def per_value(function: Callable[..., T]) -> Callable[..., T]:
    """Cache ``function(script, expr, scope)`` in ``script.memo`` per ``script.value_key(expr,
    scope)``: what is derived from the values an expression may hold is the same for every use of
    the same name in a function, so a thousand uses cost one answer. Answers must be immutable."""
    def cached(script, expr, scope):
        if expr is None:
            return function(script, expr, scope)
        key = script.value_key(expr, scope)
        memo = script.memo.setdefault(cached, {})
        found = memo.get(key)
        if found is not None and (key[0] != "node" or found[0] is expr):
            return found[1]
        value, final = script.settled(function, script, expr, scope)
        if final:
            memo[key] = (expr, value)
        return value
    return update_wrapper(cached, function)


def _subclasses(base: type) -> set[type]:
    found = set()
    for kind in base.__subclasses__():
        found |= {kind} | _subclasses(kind)
    return found


# Every libcst node class, for an exact-type test: ``isinstance(x, cst.CSTNode)`` goes through
# ABCMeta's Python-level __instancecheck__, a third of the cost of a subtree walk.
NODE_TYPES = frozenset(_subclasses(cst.CSTNode))
# (the MRO test, not issubclass: libcst's bases are ABCs, whose subclass check costs start-up time)
STATEMENT_TYPES = frozenset(kind for kind in NODE_TYPES if cst.BaseStatement in kind.__mro__)
# what holds statements: blocks and the else / except / finally / case parts of compound ones
STATEMENT_PARTS = STATEMENT_TYPES | frozenset(
    getattr(cst, name) for name in ("IndentedBlock", "Else", "ExceptHandler", "ExceptStarHandler", "Finally", "MatchCase")
    if hasattr(cst, name)
)


@lru_cache(maxsize=None)
def _code_fields(node_type: type) -> tuple[str, ...]:
    """The fields of a libcst node type that may hold code, in source order."""
    if not dataclasses.is_dataclass(node_type):
        return ()
    return tuple(
        field.name for field in dataclasses.fields(node_type)
        if field.name not in _TRIVIA_FIELDS and not field.name.startswith("whitespace")
    )


# Node types with no code inside (Name, Integer, SimpleString, ...): a third of all nodes. A walk
# whose visitor has no handler for one need not enter it.
def _is_leaf(kind: type) -> bool:
    if not dataclasses.is_dataclass(kind):
        return False
    names = set(_code_fields(kind))
    return all(field.type in (str, "str") for field in dataclasses.fields(kind) if field.name in names)


LEAF_TYPES = frozenset(kind for kind in NODE_TYPES if _is_leaf(kind))


@lru_cache(maxsize=None)
def _entered_types(visitor: type) -> frozenset[type]:
    """The node types a walk with this visitor must enter: all but the leaves it has no handler for
    (read off the visitor's own classes, not libcst's base visitor: see _handler)."""
    handled = {
        name[6:] for kind in visitor.__mro__ if kind.__module__.split(".", 1)[0] != "libcst"
        for name in vars(kind) if name.startswith(("visit_", "leave_"))
    }
    return NODE_TYPES - {kind for kind in LEAF_TYPES if kind.__name__ not in handled}


def walk(node: cst.CSTNode, visitor: object) -> None:
    """Visit ``node``'s subtree with a libcst-style visitor (``visit_Call`` returning False skips
    the children, ``leave_Call``), skipping whitespace, comments and punctuation.

    Use this instead of ``node.visit(visitor)``: libcst's own traversal rebuilds and re-validates
    every node it passes, which made subtree walks in rules cost more than the parse itself.
    """
    visitor_type = type(visitor)
    plans = _VISITOR_PLANS.get(visitor_type)
    if plans is None:
        plans = _VISITOR_PLANS[visitor_type] = {}
    _walk(node, visitor, plans, _entered_types(visitor_type))


def _walk(node: cst.CSTNode, visitor: object, plans: dict[type, tuple], entered: frozenset[type]) -> None:
    # the recursion of walk(): this visitor's plans and entered types are passed down, not looked up
    kind = type(node)
    plan = plans.get(kind)
    if plan is None:
        visitor_type = type(visitor)
        plan = plans[kind] = (
            _handler(visitor_type, "visit_", kind), _code_fields(kind), _handler(visitor_type, "leave_", kind))
    enter, fields, leave = plan
    if enter is None or enter(visitor, node) is not False:
        for name in fields:
            value = getattr(node, name)
            kind = type(value)
            if kind in entered:
                _walk(value, visitor, plans, entered)
            elif kind is list or kind is tuple:
                for item in value:
                    if type(item) in entered:
                        _walk(item, visitor, plans, entered)
    if leave is not None:
        leave(visitor, node)


# per visitor type, per node type: visit handler, fields that may hold code, leave handler
_VISITOR_PLANS: dict[type, dict[type, tuple]] = {}


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The child nodes that can hold code, in source order (no whitespace or punctuation)."""
    out = []
    for name in _code_fields(type(node)):
        value = getattr(node, name)
        kind = type(value)
        if kind in NODE_TYPES:
            out.append(value)
        elif kind is list or kind is tuple:
            out += [item for item in value if type(item) in NODE_TYPES]
    return out


def if_tests_holding(site: CallSite) -> list[cst.BaseExpression]:
    """The tests of the ``if`` statements whose body (not their ``else``) holds the call's
    statement, outermost first: the conditions under which the call runs."""
    place = statement_places(site.function).get(id(site.statement))
    return list(place[1]) if place is not None else []


def leaves_early(statement: cst.CSTNode, in_loop: bool) -> bool:
    """``statement`` can leave the body it is in before the body's end (an epoch's, a loop over
    parameters): a ``return`` or ``yield``, or (in a loop) a ``break`` / ``continue`` of that
    loop (not of a loop nested in it)."""
    stack: list[tuple[cst.CSTNode, bool]] = [(statement, False)]
    while stack:
        node, nested_loop = stack.pop()
        if type(node) in (cst.Return, cst.Yield):
            return True
        if in_loop and not nested_loop and type(node) in (cst.Break, cst.Continue):
            return True
        if type(node) in (cst.FunctionDef, cst.ClassDef, cst.Lambda):
            continue
        inner = nested_loop or type(node) in (cst.For, cst.While)
        stack.extend((child, inner) for child in children(node))
    return False


def reads_attribute(expr: cst.BaseExpression, attr: str, owner: str | None = None) -> bool:
    """``expr`` reads an attribute named ``attr`` (of the name ``owner`` when given):
    ``self.net.to(device)`` reads ``self.net``; ``model.training`` in ``if model.training:``."""
    stack: list[cst.CSTNode] = [expr]
    while stack:
        node = stack.pop()
        if (type(node) is cst.Attribute and node.attr.value == attr
                and (owner is None or type(node.value) is cst.Name and node.value.value == owner)):
            return True
        stack.extend(children(node))
    return False


def statement_places(function: FunctionInfo) -> dict[int, tuple[tuple[int, ...], tuple[cst.BaseExpression, ...]]]:
    """For each statement of the function (by id): the ids of the blocks around it, outermost
    first (a ``with`` block's body counts as the block around it: it always runs), and the tests
    of the ``if`` bodies around it. One walk of the function's statements, kept on the function
    (nested functions and classes are their own)."""
    found = function.memo.get(statement_places)
    if found is not None:
        return found
    out: dict[int, tuple[tuple[int, ...], tuple[cst.BaseExpression, ...]]] = {}
    guards: dict[int, cst.If] = {}  # see one_armed_ifs
    node = function.node
    top = node if type(node) is cst.Module else node.body
    # iteratively: a recursive closure would be a reference cycle left behind by every scan
    stack: list[tuple[cst.CSTNode, tuple[int, ...], tuple[cst.BaseExpression, ...]]] = [(top, (id(top),), ())]
    while stack:
        block, chain, tests = stack.pop()
        for statement in getattr(block, "body", ()):
            out[id(statement)] = (chain, tests)
            if isinstance(statement, cst.With):
                stack.append((statement.body, chain, tests))
            elif type(statement) is cst.If:
                if statement.orelse is None:
                    guards[id(statement.body)] = statement
                branch: cst.CSTNode | None = statement
                while type(branch) is cst.If:
                    out[id(branch)] = (chain, tests)
                    stack.append((branch.body, chain + (id(branch.body),), tests + (branch.test,)))
                    branch = branch.orelse
                if branch is not None:  # else
                    stack.append((branch.body, chain + (id(branch.body),), tests))
            elif not isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                stack.extend((inner, chain + (id(inner),), tests) for inner in _inner_blocks(statement))
    function.memo[statement_places] = out
    function.memo[one_armed_ifs] = guards
    return out


def decided(test: cst.BaseExpression, values: dict[str, object]) -> bool | None:
    """What ``test`` comes to when the names of ``values`` hold those literals (``train``,
    ``not train``, ``split == "train"``, ``mode in ("val", "test")``, through ``and`` / ``or``),
    None when it depends on anything else."""
    kind = type(test)
    if kind is cst.Name:
        return bool(values[test.value]) if test.value in values else None
    if kind is cst.UnaryOperation and type(test.operator) is cst.Not:
        inner = decided(test.expression, values)
        return None if inner is None else not inner
    if kind is cst.BooleanOperation:
        left, right = decided(test.left, values), decided(test.right, values)
        if type(test.operator) is cst.And:
            return False if False in (left, right) else (True if left and right else None)
        return True if True in (left, right) else (False if left is False and right is False else None)
    if kind is cst.Comparison and len(test.comparisons) == 1:
        target = test.comparisons[0]
        operator = type(target.operator)
        sides = (test.left, target.comparator)
        name = next((side.value for side in sides if type(side) is cst.Name and side.value in values), None)
        if name is None:
            return None
        other = sides[1] if type(sides[0]) is cst.Name and sides[0].value == name else sides[0]
        value = values[name]
        if operator in (cst.Equal, cst.NotEqual, cst.Is, cst.IsNot):
            expected = literal(other)
            if expected is ...:
                return None
            same = value == expected and type(value) is type(expected)
            return same if operator in (cst.Equal, cst.Is) else not same
        if operator in (cst.In, cst.NotIn) and other is target.comparator:
            options = _tuple_elements(other)
            if options is None:
                return None
            found = value in [literal(option) for option in options]
            return found if operator is cst.In else not found
    return None


def live_statements(function: FunctionInfo, values: dict[str, object]) -> set[int]:
    """The statements of ``function`` (by id) that may run when its parameters named in
    ``values`` hold those literals: an ``if`` those values decide runs one branch, and a branch
    that returns ends its block (``def get_transforms(train=True): if train: return aug; return
    plain`` never reaches ``return plain`` for ``train=True``)."""
    live: set[int] = set()
    node = function.node
    stack: list[cst.CSTNode] = [node if type(node) is cst.Module else node.body]
    while stack:
        block = stack.pop()
        for statement in getattr(block, "body", ()):
            live.add(id(statement))
            if type(statement) is cst.If:
                branch: cst.CSTNode | None = statement
                leaves = False
                while type(branch) is cst.If:
                    answer = decided(branch.test, values)
                    if answer is not False:
                        stack.append(branch.body)
                    if answer is True:
                        leaves = block_leaves(branch.body)
                        branch = None
                        break
                    branch = branch.orelse
                if branch is not None:  # else
                    stack.append(branch.body)
                    leaves = block_leaves(branch.body) and all(
                        decided(arm.test, values) is False for arm in _if_arms(statement))
                if leaves:
                    break
            elif not isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                stack.extend(_inner_blocks(statement))
    return live


def _if_arms(statement: cst.If) -> Iterator[cst.If]:
    branch: cst.CSTNode | None = statement
    while type(branch) is cst.If:
        yield branch
        branch = branch.orelse


def one_armed_ifs(function: FunctionInfo) -> dict[int, cst.If]:
    """The ``if`` statements of the function with neither ``elif`` nor ``else``, by the id of
    their body (a block of :func:`statement_places`' chains): code in such a body may not run."""
    statement_places(function)
    return function.memo[one_armed_ifs]


_EXITS = frozenset({"sys.exit", "exit", "quit", "os._exit"})


def block_leaves(body: cst.BaseSuite) -> bool:
    """The block never falls through to the code after it: its last statement is a ``return``,
    ``raise``, ``break`` or ``continue``, or a call of ``sys.exit()`` (``exit()``, ``quit()``)."""
    statements = getattr(body, "body", ())
    last = statements[-1] if statements else None
    if type(last) is not cst.SimpleStatementLine:
        return False
    small = last.body[-1]
    if type(small) in (cst.Return, cst.Raise, cst.Break, cst.Continue):
        return True
    return type(small) is cst.Expr and type(small.value) is cst.Call and dotted(small.value.func) in _EXITS


def required_values(test: cst.BaseExpression) -> Iterator[tuple[str, object]]:
    """``(name, value)`` for each ``name == literal`` (either way round) the test requires, also
    through ``and``: ``phase == "val" and acc > best`` -> ('phase', 'val')."""
    if type(test) is cst.BooleanOperation and type(test.operator) is cst.And:
        yield from required_values(test.left)
        yield from required_values(test.right)
    elif type(test) is cst.Comparison and len(test.comparisons) == 1 and type(test.comparisons[0].operator) is cst.Equal:
        sides = (test.left, test.comparisons[0].comparator)
        for name, value in (sides, sides[::-1]):
            if dotted(name) is not None and literal(value) not in (None, ...):
                yield dotted(name), literal(value)
                return


def exclusive_tests(first: list[cst.BaseExpression], second: list[cst.BaseExpression]) -> bool:
    """Two sets of conditions that cannot hold together: one requires ``name == "a"`` and the
    other ``name == "b"`` (the same name or attribute, two different literals)."""
    one = {name: value for test in first for name, value in required_values(test)}
    other = {name: value for test in second for name, value in required_values(test)}
    return any(name in other and other[name] != value for name, value in one.items())


# the words of a call that runs the backward pass and the optimizer step it is handed
_STEPPING_CALL_WORDS = frozenset({"scaler", "backward", "step"})


def _names_stepping(name: str | None) -> bool:
    """A cheap first look (asked of every call, many times): the name holds one of the words."""
    lower = (name or "").lower()
    return "step" in lower or "scaler" in lower or "backward" in lower


def _whole_slice(subscript: cst.Subscript) -> bool:
    """``x[:]``: one slice with no bounds and no step."""
    if len(subscript.slice) != 1 or type(subscript.slice[0].slice) is not cst.Slice:
        return False
    cut = subscript.slice[0].slice
    return cut.lower is None and cut.upper is None and cut.step is None


def _written_items(value: cst.BaseExpression) -> list[cst.BaseExpression | None]:
    """The items of a list written out (``[nn.Linear(d, h), nn.ReLU()]``), a starred one as None; one
    None for anything else."""
    if type(value) is not cst.List:
        return [None]
    return [None if type(element) is cst.StarredElement else element.value for element in value.elements]


def under_if(assignment: Assignment) -> bool:
    """The assignment runs under an ``if`` of its function (one branch of a choice)."""
    return bool(enclosing_ifs(assignment))


def enclosing_ifs(assignment: Assignment) -> list[cst.If]:
    """The ``if`` statements of its function the assignment runs under, outermost first."""
    path = paths_to(assignment.function.node, {id(assignment.statement)}, statements_only=True)
    return [node for node in path.get(id(assignment.statement), ()) if type(node) is cst.If]


def paths_to(root: cst.CSTNode, targets: set[int], statements_only: bool = False) -> dict[int, list[cst.CSTNode]]:
    """For each target under ``root`` (by ``id``), the nodes from ``root`` down to it, both
    included. One walk that stops once all are found; ``statements_only`` walks statements and
    their blocks, not the expressions in them (for targets that are statements)."""
    found: dict[int, list[cst.CSTNode]] = {}
    _paths_into(root, targets, statements_only, [], found)
    return found


def _paths_into(node: cst.CSTNode, targets: set[int], statements_only: bool, path: list[cst.CSTNode],
                found: dict[int, list[cst.CSTNode]]) -> None:
    # (a module-level function, not a closure calling itself: such a closure is a reference cycle
    # that kept the whole tree alive after the scan, until the cycle collector came by)
    path.append(node)
    if id(node) in targets:
        found[id(node)] = list(path)
    for child in children(node):
        if len(found) == len(targets):
            break
        if not statements_only or type(child) in STATEMENT_PARTS:
            _paths_into(child, targets, statements_only, path, found)
    path.pop()


def contains(tree: cst.CSTNode, node: cst.CSTNode, opaque: tuple[type, ...] = ()) -> bool:
    """``node`` is ``tree`` or inside it, not looking inside nodes of the ``opaque`` types."""
    stack = [tree]
    while stack:
        current = stack.pop()
        if current is node:
            return True
        if not (opaque and isinstance(current, opaque)):
            stack.extend(children(current))
    return False


@lru_cache(maxsize=None)
def _handler(visitor: type, prefix: str, node_type: type):
    """The visitor's method for a node type, looked up once per type instead of once per node.
    libcst's CSTVisitor defines a do-nothing ``visit_X`` / ``leave_X`` for every node type: those
    are no handlers (calling them for every node, and entering every name and literal to do so,
    cost a walk with a CSTVisitor subclass more than the rest of it)."""
    name = prefix + node_type.__name__
    handler = getattr(visitor, name, None)
    return None if handler is not None and handler is getattr(cst.CSTVisitor, name, None) else handler


# torch's conventional names. In a file that star-imports a project module (`from lib import *`,
# one file gathering the imports), one that is used but neither imported nor bound here came
# through the star import, and is torch's. A file with no import statement at all (a notebook
# cell or a snippet saved without its import header, run after the cell that imports) got its
# names from that header: torchvision's and DataLoader are read by convention there too (a
# project module star-imported may bring its own `transforms` or a DataLoader wrapper).
_STAR_CONVENTIONS = {"torch": "torch", "nn": "torch.nn", "F": "torch.nn.functional", "optim": "torch.optim"}
_HEADERLESS_CONVENTIONS = {
    **_STAR_CONVENTIONS, "torchvision": "torchvision", "transforms": "torchvision.transforms",
    "DataLoader": "torch.utils.data.DataLoader",
}
_IMPORT_STATEMENT = re.compile(r"^[ \t]*(?:import|from)[ \t]", re.MULTILINE)


def _conventional_names(source: str, collector: _Collector) -> dict[str, str]:
    """What the conventional names of PyTorch code (``torch``, ``nn``, ``F``, ``optim``; in a file
    without imports also ``torchvision``, ``transforms``, ``DataLoader``) stand for where the file
    uses them without binding them: a snippet without its header, a notebook cell exported alone
    with only ``import numpy as np`` above it, or names a star import may bring. A name the file
    binds anywhere (an import, an assignment, a parameter, a class) keeps its own meaning."""
    conventions = _STAR_CONVENTIONS if _IMPORT_STATEMENT.search(source) else _HEADERLESS_CONVENTIONS
    bound = {name for function in collector.functions for name in (*function.bindings, *function.params)}
    return {
        alias: full for alias, full in conventions.items()
        if alias not in collector.imports and alias not in bound and alias not in collector.classes
        and re.search(rf"(?<![\w.]){alias}" + (r"\(" if alias == "DataLoader" else r"\.[A-Za-z_]"), source)
    }


class _Collector:
    """Records everything the resolvers need in one pass, tracking nesting by hand."""

    def __init__(self, module: cst.Module, attributes: dict[str, str]) -> None:
        self.attributes = attributes
        self.module_info = FunctionInfo("<module>", module, None, None)
        self.imports: dict[str, str] = {}
        self.classes: dict[str, ClassInfo] = {}
        self.functions: list[FunctionInfo] = [self.module_info]
        self.loops: list[LoopInfo] = []
        self.calls: list[CallSite] = []
        self.assigns: list[Assignment] = []
        self.aug_assigns: list[AugAssignment] = []
        self.item_assigns: list[ItemAssignment] = []
        self.pending: list[tuple[int, int]] = []  # assignments of the Assign statements being walked
        self.target_tuples: set[int] = set()
        self.class_stack: list[ClassInfo | None] = [None]
        self.function_stack: list[FunctionInfo] = [self.module_info]
        self.loop_stack: list[LoopInfo | None] = [None]
        self.with_stack: list[tuple[cst.Call, ...]] = [()]
        self.slicing_statements: set[int] = set()
        self.return_statements: dict[int, cst.CSTNode] = {}
        self.ifs: list[tuple[cst.If, FunctionInfo]] = []
        self.if_positions: dict[int, tuple[int, LoopInfo | None]] = {}  # if id -> (order of its test, loop)
        self.statement: cst.CSTNode = module
        self.order = 0
        self.comprehension_stack: list[cst.BaseExpression] = []  # the comprehensions the walk is inside
        self.comprehension_of: dict[int, cst.BaseExpression] = {}  # call id -> innermost comprehension

    def walk(self, node: cst.CSTNode) -> None:
        """Depth-first over the nodes that can hold code (see :func:`walk`), this collector's
        handlers recording what the resolvers need."""
        walk(node, self)

    def _tick(self) -> int:
        self.order += 1
        return self.order

    # imports -----------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            name = dotted(alias.name)
            if name is None:
                continue
            if alias.asname is not None and type(alias.asname.name) is cst.Name:
                self.imports[alias.asname.name.value] = name
            else:
                head = name.split(".", 1)[0]
                self.imports[head] = head
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if node.relative or node.module is None:
            return False
        module = dotted(node.module)
        if type(node.names) is cst.ImportStar:
            # `from torch.utils.data import *` binds DataLoader as an explicit import would
            for name in catalog.STAR_EXPORTS.get(module or "", ()):
                self.imports[name] = f"{module}.{name}"
            return False
        for alias in node.names:
            name = dotted(alias.name)
            if module is None or name is None:
                continue
            local = name
            if alias.asname is not None and type(alias.asname.name) is cst.Name:
                local = alias.asname.name.value
            self.imports[local] = f"{module}.{name}"
        return False

    # structure ---------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        bases = tuple(filter(None, (dotted(arg.value) for arg in node.bases)))
        info = ClassInfo(node.name.value, node, bases)
        self.classes.setdefault(info.name, info)
        self.class_stack.append(info)
        self.statement = node

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.class_stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        parent = self.function_stack[-1]
        cls = self.class_stack[-1]
        params = tuple(p.name.value for p in _all_params(node.params))
        decorators = tuple(
            filter(None, (dotted(d.decorator.func if type(d.decorator) is cst.Call else d.decorator)
                          for d in node.decorators))
        )
        info = FunctionInfo(node.name.value, node, cls, parent, params, decorators)
        if cls is not None and parent.cls is not cls:
            cls.methods.setdefault(info.name, info)
        self.functions.append(info)
        self.function_stack.append(info)
        self.class_stack.append(None)
        self.loop_stack.append(None)
        self.with_stack.append(())
        self.statement = node
        # decorators and defaults are evaluated outside the function: record them there
        saved = self.function_stack, self.loop_stack, self.with_stack
        self.function_stack, self.loop_stack, self.with_stack = [parent], [None], [()]
        for decorator in node.decorators:
            self.walk(decorator)
        for param in _all_params(node.params):
            if param.default is not None:
                self.walk(param.default)
        self.function_stack, self.loop_stack, self.with_stack = saved
        self.walk(node.body)
        return False

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.function_stack.pop()
        self.class_stack.pop()
        self.loop_stack.pop()
        self.with_stack.pop()

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return True

    def _enter_loop(self, node: cst.For | cst.While, iter_: cst.BaseExpression | None,
                    target: cst.BaseExpression | None) -> None:
        function = self.function_stack[-1]
        parent = self.loop_stack[-1]
        info = LoopInfo(node, function, parent, iter_, target, self._tick())
        if parent is not None:
            parent.children.append(info)
        function.loops.append(info)
        self.loops.append(info)
        self.loop_stack.append(info)
        self.statement = node

    def _leave_loop(self) -> None:
        info = self.loop_stack.pop()
        if info is not None:
            info.end_order = self._tick()

    def visit_For(self, node: cst.For) -> None:
        self._mark_targets(node.target)
        self._enter_loop(node, node.iter, node.target)

    def leave_For(self, original_node: cst.For) -> None:
        self._leave_loop()

    def visit_While(self, node: cst.While) -> None:
        self._enter_loop(node, None, None)

    def leave_While(self, original_node: cst.While) -> None:
        self._leave_loop()

    def visit_With(self, node: cst.With) -> None:
        managers = tuple(item.item for item in node.items if type(item.item) is cst.Call)
        self.with_stack.append(self.with_stack[-1] + managers)
        self.statement = node
        for item in node.items:
            # `with tqdm(test_loader) as pbar:` binds `pbar` to what the manager's `__enter__`
            # returns: the manager itself for tqdm, files and most progress bars
            if item.asname is not None and type(item.asname.name) is cst.Name:
                self._bind(item.asname.name, item.item)

    def leave_With(self, original_node: cst.With) -> None:
        self.with_stack.pop()

    def visit_If(self, node: cst.If) -> None:
        self.statement = node
        self.ifs.append((node, self.function_stack[-1]))
        self.if_positions[id(node)] = (self._tick(), self.loop_stack[-1])

    def visit_Try(self, node: cst.Try) -> None:
        self.statement = node

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.statement = node

    # facts -------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self._record_call(node, self.function_stack[-1], self.loop_stack[-1], self.with_stack[-1])

    def _record_call(self, node: cst.Call, function: FunctionInfo, loop: LoopInfo | None,
                     withs: tuple[cst.Call, ...]) -> None:
        name = dotted(node.func)
        if name in self.attributes:  # `net.Net(...)` runs the borrowed `Net`
            name = self.attributes[name]
        site = CallSite(node, name, function, loop, withs, self._tick(), self.statement,
                        bool(self.comprehension_stack))
        if self.comprehension_stack:
            self.comprehension_of[id(node)] = self.comprehension_stack[-1]
        self.calls.append(site)
        function.calls.append(site)
        if loop is not None:
            loop.calls.append(site)

    def _enter_comprehension(self, node: cst.BaseExpression) -> None:
        self.comprehension_stack.append(node)

    def _leave_comprehension(self, original_node: cst.BaseExpression) -> None:
        self.comprehension_stack.pop()

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _enter_comprehension
    leave_ListComp = leave_SetComp = leave_DictComp = leave_GeneratorExp = _leave_comprehension

    def visit_Assign(self, node: cst.Assign) -> None:
        self.pending.append((len(self.assigns), len(self.item_assigns)))
        for target in node.targets:
            self._mark_targets(target.target)
            self._bind(target.target, node.value)

    def leave_Assign(self, original_node: cst.Assign) -> None:
        assigns, items = self.pending.pop()
        end = self._tick()
        for assignment in self.assigns[assigns:] + self.item_assigns[items:]:
            if not assignment.end_order:
                assignment.end_order = end

    def _mark_targets(self, target: cst.BaseExpression) -> None:
        """Tuples written to (``X, y = ...``, ``for i, (x, y) in ...``) are not tuples built."""
        if type(target) in (cst.Tuple, cst.List):
            self.target_tuples.add(id(target))
            for element in target.elements:
                self._mark_targets(element.value)

    def visit_Tuple(self, node: cst.Tuple) -> None:
        if id(node) not in self.target_tuples:
            self.function_stack[-1].tuples.append((self._tick(), node))

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._mark_targets(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target, node.value)

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression, unpacked: bool = False) -> None:
        if type(target) in (cst.Tuple, cst.List):
            values = value.elements if type(value) in (cst.Tuple, cst.List) else None
            for index, element in enumerate(target.elements):
                if type(element) is cst.StarredElement:
                    break  # later elements count from the end
                if values is None:
                    # `train_set, val_set = random_split(...)`: each name holds one element
                    self._bind(element.value, element_of(value, index), unpacked=True)
                elif index < len(values) and type(values[index]) is not cst.StarredElement:
                    self._bind(element.value, values[index].value, unpacked)
            return
        if type(target) is cst.Subscript and type(target.value) is cst.Name and _whole_slice(target):
            target = target.value  # `input[:], label[:] = zip(*pairs)`: the list's contents replaced
        name = dotted(target)
        if name is None:
            if type(target) is cst.Subscript and not unpacked:
                function = self.function_stack[-1]
                self.item_assigns.append(ItemAssignment(target, value, function, self._tick(), self.statement))
            return
        function = self.function_stack[-1]
        if self.class_stack[-1] is not None:
            # a class attribute (`class CFG: batch_size = 2`), read as `CFG.batch_size`
            name = f"{self.class_stack[-1].name}.{name}"
        assignment = Assignment(name, value, function, self._tick(), self.statement, self.loop_stack[-1], unpacked)
        self.assigns.append(assignment)
        if name.startswith("self.") and name.count(".") == 1 and function.cls is not None:
            function.cls.attrs.setdefault(name[5:], []).append(assignment)
        else:
            function.bindings.setdefault(name, []).append(assignment)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        function = self.function_stack[-1]
        self.aug_assigns.append(
            AugAssignment(node.target, node.operator, node.value, function, self._tick(),
                          self.statement, self.loop_stack[-1], withs=self.with_stack[-1])
        )

    def leave_AugAssign(self, original_node: cst.AugAssign) -> None:
        self.aug_assigns[-1].end_order = self._tick()

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.function_stack[-1].returns.append(node.value)
            self.return_statements[id(node.value)] = self.statement

    def visit_Subscript(self, node: cst.Subscript) -> None:
        sliced = any(type(element.slice) is cst.Slice for element in node.slice)
        if sliced:
            self.slicing_statements.add(id(self.statement))
        loop = self.loop_stack[-1]
        if loop is not None and (sliced or len(node.slice) == 1 and type(node.slice[0].slice) is cst.Index
                                 and type(node.slice[0].slice.value) is cst.Name):
            loop.subscripts.append(node)

    def visit_Yield(self, node: cst.Yield) -> None:
        self.function_stack[-1].is_generator = True


_BATCHING_NAME = re.compile(r"batch|iterate", re.IGNORECASE)
_RANGES = frozenset({"range", "xrange", "np.arange", "numpy.arange", "torch.arange", "trange"})


@dataclass(frozen=True, eq=False, repr=False)
class IndexBatches:
    """How a loop over index ranges batches the data. ``data``: the arrays it takes batches of
    (``X``, ``y``; also those cut with ``X.narrow(0, start, bs)``); ``in_order``: the slices that
    cut the data itself (``X[start:end]``), which
    walk it in stored order, as opposed to slices of an index list (``perm[i:i + bs]``) used to
    index the data; ``index_lists``: those index lists."""

    data: tuple[cst.BaseExpression, ...]
    in_order: tuple[cst.Subscript, ...]
    index_lists: tuple[cst.BaseExpression, ...]
    indexed: tuple[cst.Subscript, ...]  # the data indexed by a slice of an index list (`X[idx]`)


def _index_batches(script: Script, loop: LoopInfo) -> IndexBatches | None:
    counters = _range_targets(loop) or _bounds_list_targets(script, loop) or _while_counter(loop)
    if not counters:
        return None
    # `start = b * bs; end = start + bs`: bounds computed from the counter in the loop, and slice
    # objects (`inds = slice(b * bs, (b + 1) * bs)`) that cut the data as `X[b * bs:(b + 1) * bs]`
    windows: set[str] = set()
    for assignment in loop.function.assigns_in(loop):
        if "." not in assignment.target and names_in(assignment.value) & counters:
            counters.add(assignment.target)
            if _is_counter_slice(assignment.value, counters):
                windows.add(assignment.target)
    slices = [node for node in loop.subscripts if _sliced_by(node, counters, windows)]
    # `X.narrow(0, b, bs)`: the same cut as `X[b:b + bs]`, written as a call
    narrowed = tuple(site.receiver for site in loop.calls if site.method == "narrow" and site.receiver is not None
                     and len(site.node.args) >= 2 and names_in(site.node.args[1].value) & counters)
    if not slices:
        return IndexBatches(narrowed, (), (), ()) if narrowed else None
    indexes = {node.slice[0].slice.value.value for node in loop.subscripts
               if type(node.slice[0].slice) is cst.Index and type(node.slice[0].slice.value) is cst.Name}
    index_names: set[str] = set()
    index_slices: set[int] = set()
    for name in indexes:
        for assignment in loop.function.bindings.get(name, ()):
            if assignment.loop is None or not loop.contains(assignment.loop):
                continue
            for node in slices:
                if contains(assignment.value, node):
                    index_names.add(name)
                    index_slices.add(id(node))
    elements, element_slices = _element_indexes(loop, indexes - index_names, slices)
    index_names |= elements
    index_slices |= element_slices
    in_order = tuple(node for node in slices if id(node) not in index_slices)
    indexed = tuple(node for node in loop.subscripts
                    if type(node.slice[0].slice) is cst.Index and type(node.slice[0].slice.value) is cst.Name
                    and node.slice[0].slice.value.value in index_names)
    lists = tuple(node.value for node in slices if id(node) in index_slices)
    data = tuple(node.value for node in in_order + indexed) + narrowed
    return IndexBatches(data, in_order, lists, indexed)


def _element_indexes(loop: LoopInfo, indexes: set[str], slices: list[cst.Subscript]) -> tuple[set[str], set[int]]:
    """The names a comprehension in the loop takes one at a time from a batch of indices cut by
    the counter (``sampled_idx = idx[i:i + bs]``, then ``[graphs[j] for j in sampled_idx]``): each
    indexes the data as the batch itself would. Also the slices that cut those batches."""
    batches: dict[str, set[int]] = {}
    if not indexes:
        return set(), set()
    for assignment in loop.function.assigns_in(loop):
        cut = {id(node) for node in slices if contains(assignment.value, node)}
        if cut and "." not in assignment.target:
            batches.setdefault(assignment.target, set()).update(cut)
    names: set[str] = set()
    cuts: set[int] = set()
    if not batches:
        return names, cuts
    stack: list[cst.CSTNode] = [loop.node]
    while stack:
        node = stack.pop()
        if (type(node) is cst.CompFor and type(node.target) is cst.Name and node.target.value in indexes
                and type(node.iter) is cst.Name and node.iter.value in batches):
            names.add(node.target.value)
            cuts |= batches[node.iter.value]
        stack.extend(children(node))
    return names, cuts


def _range_targets(loop: LoopInfo) -> set[str]:
    """The counters of ``for i in range(...)`` / ``for a, b in zip(range(...), range(...))``."""
    source = unwrap_iterable(loop.iter)
    if type(source) is not cst.Call:
        return set()
    name = dotted(source.func)
    if name == "zip":
        ranges = [arg.value for arg in source.args]
        if not ranges or not all(type(r) is cst.Call and dotted(r.func) in _RANGES for r in ranges):
            return set()
    elif name not in _RANGES:
        return set()
    target = loop.target
    if type(target) is cst.Tuple:  # enumerate(range(...)) or zip(...): every counter
        return {element.value.value for element in target.elements if type(element.value) is cst.Name}
    return {target.value} if type(target) is cst.Name else set()


def _while_counter(loop: LoopInfo) -> set[str]:
    """The counter of ``while i < n:`` whose body moves it on by itself (``i += bs``): the loop
    walks ``range(0, n, bs)`` written by hand."""
    test = loop.node.test if type(loop.node) is cst.While else None
    if (type(test) is not cst.Comparison or type(test.left) is not cst.Name or len(test.comparisons) != 1
            or type(test.comparisons[0].operator) not in (cst.LessThan, cst.LessThanEqual)):
        return set()
    counter = test.left.value
    for statement in loop.node.body.body:
        if type(statement) is not cst.SimpleStatementLine:
            continue
        for small in statement.body:
            if (type(small) is cst.AugAssign and type(small.operator) is cst.AddAssign
                    and type(small.target) is cst.Name and small.target.value == counter):
                return {counter}
    return set()


def _bounds_list_targets(script: Script, loop: LoopInfo) -> set[str]:
    """The targets of ``for b in batches:`` / ``for start, end in batches:`` when every value of
    ``batches`` is a list of index bounds made over a range before the loop: ``[(i, i + bs) for i
    in range(0, n, bs)]``, or an empty list filled with ``batches.append((start, end))`` in a loop
    over a range. They bound the slices (``X[b[0]:b[1]]``, ``X[start:end]``) the way a range
    counter does."""
    if type(loop.iter) is not cst.Name:
        return set()
    targets = target_names(loop.target) if loop.target is not None else []
    if not targets or any("." in target for target in targets):
        return set()
    bounds = script.values(loop.iter, loop.function)
    if not bounds or not all(_made_over_range(script, loop.iter.value, bound) for bound in bounds):
        return set()
    return set(targets)


def _made_over_range(script: Script, name: str, bound: Bound) -> bool:
    value = bound.expr
    if type(value) is cst.ListComp:
        return value.for_in.inner_for_in is None and _is_range(value.for_in.iter)
    if type(value) is not cst.List or value.elements:
        return False
    # a last, shorter batch may be appended after the loop (`batches.append((end, n))`)
    added = bound.function.items_added_to(name)
    in_loops = [site.loop for _, site in added if site.loop is not None]
    return bool(in_loops) and all(_is_range(loop.iter) for loop in in_loops) and all(
        type(item) is cst.Tuple and site.method == "append" for item, site in added)


def _is_range(expr: cst.BaseExpression | None) -> bool:
    source = unwrap_iterable(expr)
    return type(source) is cst.Call and dotted(source.func) in _RANGES


def _is_counter_slice(expr: cst.BaseExpression, counters: set[str]) -> bool:
    return type(expr) is cst.Call and dotted(expr.func) == "slice" and bool(names_in(expr) & counters)


def _sliced_by(node: cst.Subscript, counters: set[str], windows: set[str] = frozenset()) -> bool:
    """``X[i:i + bs]``, ``X[start:end]``, ``X[b * bs:(b + 1) * bs]``, ``X[slice(i, i + bs)]`` or
    ``X[inds]`` with ``inds`` such a slice object: a slice whose start moves with a counter. A
    prefix that grows with it (``U[:, :k]``, ``X_train[:n]`` in a sweep over sizes) is no batch."""
    for element in node.slice:
        index = element.slice
        if type(index) is cst.Slice:
            if index.lower is not None and names_in(index.lower) & counters:
                return True
        elif type(index) is cst.Index and (
                _is_counter_slice(index.value, counters)
                or type(index.value) is cst.Name and index.value.value in windows):
            return True
    return False


def inputs_wanting_gradients(function: FunctionInfo) -> set[str]:
    """Names the function makes require a gradient: ``x.requires_grad = True``,
    ``x.requires_grad_()``, or a value built with ``requires_grad=True`` (``Variable(x,
    requires_grad=True)``, ``x.clone().detach().requires_grad_(True)``)."""
    out = set()
    for name, bounds in function.bindings.items():
        if name.endswith(".requires_grad") and any(literal(bound.value) is True for bound in bounds):
            out.add(name[: -len(".requires_grad")])
        elif any(_asks_for_gradient(bound.value) for bound in bounds):
            out.add(name)
    for site in function.calls:
        if site.method == "requires_grad_" and literal(site.arg(0, "requires_grad")) is not False:
            name = dotted(site.receiver)
            if name is not None:
                out.add(name)
    return out


def _asks_for_gradient(value: cst.BaseExpression) -> bool:
    if type(value) is not cst.Call:
        return False
    func = value.func
    if type(func) is cst.Attribute and func.attr.value == "requires_grad_":
        return literal(call_arg(value, 0, "requires_grad")) is not False
    return literal(call_arg(value, None, "requires_grad")) is True


def names_in(expr: cst.BaseExpression) -> set[str]:
    """The plain names an expression mentions (``X_val[j:j + bs].to(dev)`` -> X_val, j, bs, dev)."""
    out = set()
    stack = [expr]
    while stack:
        node = stack.pop()
        if type(node) is cst.Name:
            out.add(node.value)
        else:
            stack.extend(children(node))
    return out


def references(expr: cst.CSTNode | None, opaque_calls: bool = False) -> list[cst.BaseExpression]:
    """The names an expression reads: each ``Name``, and each dotted chain once as a whole
    (``self.fc.weight``, not its parts), in source order; lambdas are not entered. With
    ``opaque_calls`` a call is one reference itself, its arguments unread (a metric traced
    through ``float(acc)`` is traced as the call)."""
    out: list[cst.BaseExpression] = []
    stack = [expr] if expr is not None else []
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is cst.Name or kind is cst.Attribute and dotted(node) is not None:
            out.append(node)
        elif kind is cst.Call and opaque_calls:
            out.append(node)
        elif kind is not cst.Lambda:
            stack.extend(reversed(children(node)))
    return out


def _run_statements(block: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The statements of a block and, through ``with`` blocks, of their bodies: all run whenever
    the block runs."""
    for statement in getattr(block, "body", ()):
        yield statement
        if isinstance(statement, cst.With):
            yield from _run_statements(statement.body)


def _inner_blocks(statement: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The blocks a compound statement other than ``if`` holds: a loop's or ``with``'s body (and
    ``else``), a ``try``'s body, handlers, ``else`` and ``finally``."""
    body = getattr(statement, "body", None)
    if isinstance(body, cst.BaseSuite):
        yield body
    for handler in getattr(statement, "handlers", ()):
        yield handler.body
    for part in ("orelse", "finalbody"):
        extra = getattr(statement, part, None)
        if extra is not None and isinstance(getattr(extra, "body", None), cst.BaseSuite):
            yield extra.body


def _bound_at(assignment: Assignment) -> int:
    """The order at which the assignment's name holds its new value (its statement's end)."""
    return assignment.end_order or assignment.order


def _innermost_shared_loop(use: LoopInfo | None, other: LoopInfo | None) -> LoopInfo | None:
    """The innermost loop that encloses both (a later assignment reaches the use in its next
    iteration), or None."""
    while use is not None:
        if use.contains(other):
            return use
        use = use.parent
    return None


def flag_test(test: cst.BaseExpression, function: FunctionInfo, depth: int = 0) -> tuple[str, cst.BaseExpression] | None:
    """The parameter an ``if`` test reads as an on/off flag, with the test on it: ``flag``, ``flag
    is not None``, ``phase == "train"``, or a name bound once to one of those (``is_train =
    optimizer is not None``)."""
    if (type(test) is cst.Comparison and len(test.comparisons) == 1 and type(test.comparisons[0].operator) is cst.Equal
            and type(test.left) is cst.Name and literal(test.comparisons[0].comparator) in ("train", "training")):
        return (test.left.value, test) if test.left.value in function.params and test.left.value not in function.bindings else None
    if type(test) is cst.Comparison and len(test.comparisons) == 1 and type(
            test.comparisons[0].operator) is cst.IsNot and type(test.comparisons[0].comparator) is cst.Name \
            and test.comparisons[0].comparator.value == "None" and type(test.left) is cst.Name:
        return (test.left.value, test) if test.left.value in function.params else None
    if type(test) is not cst.Name:
        return None
    if test.value in function.params:
        return (test.value, test) if test.value not in function.bindings else None
    assignments = function.bindings.get(test.value, ())
    if depth == 0 and len(assignments) == 1 and not assignments[0].unpacked:
        return flag_test(assignments[0].value, function, 1)
    return None


def flag_off(test: cst.BaseExpression, value: cst.BaseExpression | None) -> bool:
    """The flag's value at a call turns the test off: ``False`` / ``None`` / ``0`` (``None`` only
    for ``is not None``), another phase's name for ``phase == "train"``."""
    if value is None:
        return False
    if type(test) is cst.Comparison and type(test.comparisons[0].operator) is cst.Equal:
        wanted, given = literal(test.comparisons[0].comparator), literal(value)
        return type(given) is str and given != wanted  # `phase == "train"` with "val"
    if type(value) is cst.Name and value.value == "None":
        return True
    return type(test) is not cst.Comparison and literal(value) in (False, 0)


def if_statements(node: cst.CSTNode) -> dict[int, tuple[cst.If, ...]]:
    """The ``if`` statements around each call (by ``id``) under ``node``, outermost first."""
    finder = _IfStatements()
    walk(node, finder)
    return finder.found


class _IfStatements:
    """Records, for each call, the ``if`` statements around it (nested functions and lambdas
    excluded: they run when called)."""

    def __init__(self) -> None:
        self.stack: list[cst.If] = []
        self.found: dict[int, tuple[cst.If, ...]] = {}

    def visit_If(self, node: cst.If) -> None:
        self.stack.append(node)

    def leave_If(self, original_node: cst.If) -> None:
        self.stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Call(self, node: cst.Call) -> None:
        if self.stack:
            self.found[id(node)] = tuple(self.stack)


_NO_CUT = 1 << 30


class _Resolution:
    """The resolutions under way (a name's values, a function's call sites), innermost last, and
    which answers rest on one of them.

    A resolution that meets one already under way (a cycle: a parameter resolved through the call
    sites of its own function) answers "unknown" there. Everything resolved since that outer one
    began then rests on a guess that only holds until the outer one is done: such an answer is
    provisional, reused only while the outer resolution runs (so a cycle is not walked again and
    again), and recomputed when asked later. Caching it for good made the answer depend on which
    question was asked first.
    """

    def __init__(self) -> None:
        self.depths: dict[tuple, int] = {}
        self.cut = _NO_CUT  # the shallowest unfinished resolution the current one rests on
        self._saved: list[int] = []

    def begin(self, key: tuple) -> int | None:
        """Start resolving ``key``: its depth, or None when it is already under way (a cycle)."""
        depth = self.depths.get(key)
        if depth is not None:
            self.rests_on(depth)
            return None
        depth = len(self.depths)
        self.depths[key] = depth
        self._saved.append(self.cut)
        self.cut = _NO_CUT
        return depth

    def end(self, key: tuple, depth: int) -> int | None:
        """Finish ``key``: None when its answer is final, else the depth it rests on."""
        del self.depths[key]
        cut, outer = self.cut, self._saved.pop()
        if cut < depth:
            self.cut = min(outer, cut)
            return cut
        self.cut = outer
        return None

    def rests_on(self, depth: int) -> None:
        self.cut = min(self.cut, depth)

    def settled(self, compute: Callable[..., T], *args) -> tuple[T, bool]:
        """``compute(*args)``, and whether its answer is final (rests on no resolution still under
        way), so that a cache may keep it."""
        outer, self.cut = self.cut, _NO_CUT
        try:
            value = compute(*args)
        finally:
            cut, self.cut = self.cut, min(outer, self.cut)
        return value, cut == _NO_CUT


@per_value
def _local_class_of(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo) -> ClassInfo | None:
    """The first class of this file that ``expr`` may be an instance of (per value: ``model.x()``
    is asked at every call on ``model``)."""
    for bound in script.values(expr, function):
        made = moved_module(bound.expr)
        if type(made) is cst.Call:
            cls = script.classes.get(script.qualname(made.func) or "")
            if cls is not None:
                return cls
    return None


class Script:
    """The analysis of one file: built by the engine from the parsed module (one plain traversal,
    then resolvers that answer on demand); read by every rule."""

    def __init__(self, path: str, source: str, module: cst.Module, options: dict | None = None,
                 borrowed: frozenset[str] = frozenset(), attributes: dict[str, str] | None = None,
                 neighbours: frozenset[str] = frozenset()) -> None:
        """``borrowed``: names the script imports whose definitions the module holds after the
        script's text (``fitlint.project``), so they are the module's own, not imported;
        ``attributes``: ``net.Net`` (through ``import model.net as net``) -> the borrowed ``Net``;
        ``neighbours``: what the other files of the script's folder show
        (``fitlint.project.neighbour_facts``)."""
        self.path = path
        self.neighbours = neighbours
        self.source = source
        self.module = module
        self.attributes = attributes or {}
        self.borrowed = borrowed
        collector = _Collector(module, self.attributes)
        collector.walk(module)
        self.imports = {name: full for name, full in collector.imports.items() if name not in borrowed}
        self.imports.update(_conventional_names(source, collector))
        self.classes = collector.classes
        self.functions = collector.functions
        self.module_function = collector.module_info
        self.loops = collector.loops
        self.calls = collector.calls
        self.assigns = collector.assigns
        self.aug_assigns = collector.aug_assigns
        self.item_assigns = collector.item_assigns
        # statements holding a slice (``x[:n]``): where splits by position can be; ids
        self.slicing_statements = collector.slicing_statements
        self.return_statements = collector.return_statements
        self._comprehension_of = collector.comprehension_of
        # every `if` (and `elif`) statement, with the function it is in, in source order
        self.ifs = collector.ifs
        self.if_positions = collector.if_positions
        self._qualnames: dict[int, tuple] = {}  # see qualname()
        self._values: dict[tuple, tuple[object, tuple[Bound, ...]]] = {}  # see values()
        # answers resting on a resolution still under way: key -> (anchor, values, depth it rests on)
        self._provisional: dict[tuple, tuple[object, tuple[Bound, ...], int]] = {}
        self._provisional_by_depth: dict[int, list[tuple]] = {}
        self._resolution = _Resolution()
        self.memo: dict = {}  # see memoized()

    def variant(self, module: cst.Module) -> Script:
        """The analysis of ``module``, this one's tree edited (a fix simulated), with the same
        borrowed names; the source stands in for the edited one (file-level word tests)."""
        return Script(self.path, self.source, module, borrowed=self.borrowed, attributes=self.attributes,
                      neighbours=self.neighbours)

    def release(self) -> None:
        """Break the analysis's reference cycles (a function's call sites point back at it, memos
        hold their owners) once no rule will ask again: the tree and everything derived from it are
        then freed at once by reference counting. Left to the cycle collector, every scanned file's
        tree stayed alive until a full collection, which then walked all of them (a tenth of a
        scan's time)."""
        for info in (*self.functions, *self.classes.values(), *self.loops, *self.calls):
            vars(info).clear()
        vars(self).clear()

    # names -------------------------------------------------------------------------------
    # Rules ask these of the same nodes again and again (the most asked questions of a scan), so each
    # node's answers are computed once and kept with the node (so a later node never reuses its id):
    # (node, dotted as written, import-resolved, whether its root name is imported).
    def qualname(self, expr: cst.BaseExpression | None) -> str | None:
        """The import-resolved dotted name (``nn.ReLU`` -> ``torch.nn.ReLU``), else as written."""
        cached = self._qualnames.get(id(expr))
        if cached is None or cached[0] is not expr:
            cached = self._name_entry(expr)
        return cached[2]

    def is_imported(self, expr: cst.BaseExpression | None) -> bool:
        cached = self._qualnames.get(id(expr))
        if cached is None or cached[0] is not expr:
            cached = self._name_entry(expr)
        return cached[3]

    def _name_entry(self, expr: cst.BaseExpression | None) -> tuple:
        name = dotted(expr)
        if name is None:
            entry = (expr, None, None, False)
        elif name in self.attributes:
            entry = (expr, name, self.attributes[name], False)
        else:
            entry = (expr, name, self.resolve_dotted(name), name.split(".", 1)[0] in self.imports)
        self._qualnames[id(expr)] = entry
        return entry

    def resolve_dotted(self, name: str) -> str:
        head, _, rest = name.partition(".")
        resolved = self.imports.get(head)
        if resolved is None:
            return name
        return f"{resolved}.{rest}" if rest else resolved

    @cached_property
    def lowered(self) -> str:
        """The source in lower case, for the file-level word tests several rules make: searching
        it with a case-sensitive pattern is about twice as fast as an IGNORECASE one."""
        return self.source.lower()

    def unpacked_names(self, call: cst.BaseExpression) -> list[str]:
        """The names an unpacking binds to the elements of ``call`` (``train_set, val_set =
        random_split(...)`` -> train_set, val_set), in element order."""
        found = []
        for assignment in self.assigns:
            element = assignment.element()
            if element is not None and element[0] is call:
                found.append((element[1], assignment.target))
        return [name for _, name in sorted(found)]

    def stores(self, function: FunctionInfo) -> list[Store]:
        """What ``function`` itself writes (its assignments, item assignments and augmented
        assignments), in the order the values are stored: with the orders of its calls, loops and
        tuples, the function's timeline."""
        return self._stores_by_function.get(id(function), [])

    @cached_property
    def _stores_by_function(self) -> dict[int, list[Store]]:
        found: dict[int, list[Store]] = {}
        for write in (*self.assigns, *self.item_assigns, *self.aug_assigns):
            name = write.target if isinstance(write.target, str) else dotted(subscripted_root(write.target))
            if name is not None:
                store = Store(name, write.end_order or write.order, write.statement, write.value)
                found.setdefault(id(write.function), []).append(store)
        for stores in found.values():
            stores.sort(key=lambda store: store.order)
        return found

    def listed_items(self, name: str, function: FunctionInfo, before: int,
                     negligible: Callable[[cst.BaseExpression], bool] | None = None,
                     ) -> list[cst.BaseExpression | None] | None:
        """What the list ``name`` holds at order ``before``, in order, as its function builds it:
        ``layers = [...]``, ``layers += [...]``, ``layers.append(x)``, ``layers.extend([...])``, a
        loop's additions once (its last iteration's). An addition under an ``if`` is a ``None`` (it
        may or may not be there), unless every item it adds is ``negligible`` to the caller (``if
        dropout: layers.append(nn.Dropout(p))`` read for the sign of the output): then it is left
        out. One whose items are not written out is a ``None`` too; None when the name is not a
        list built so (a parameter, an assignment of anything else)."""
        scope = function.binding_scope(name)
        if scope is None or name in scope.params:
            return None
        events: list[tuple[int, bool, list[cst.BaseExpression | None], cst.CSTNode]] = []
        for assignment in scope.bindings.get(name, []):
            if assignment.order < before:
                if type(assignment.value) is not cst.List or assignment.unpacked:
                    return None
                events.append((assignment.order, True, _written_items(assignment.value), assignment.statement))
        for write in self.aug_assigns:
            if (write.function is scope and write.order < before and type(write.target) is cst.Name
                    and write.target.value == name and type(write.operator) is cst.AddAssign):
                events.append((write.order, False, _written_items(write.value), write.statement))
        for value, site in scope.items_added_to(name):
            if site.order < before:
                events.append((site.order, False, [value] if site.method == "append" else _written_items(value),
                               site.statement))
        events.sort(key=lambda event: event[0])
        if not events or not events[0][1]:
            return None
        paths = paths_to(scope.node, {id(event[3]) for event in events}, statements_only=True)
        out: list[cst.BaseExpression | None] = []
        for _, resets, items, statement in events:
            if resets:
                out = []
            conditional = any(type(node) is cst.If for node in paths.get(id(statement), ()))
            if not conditional:
                out += items
            elif not (negligible is not None and items and all(item is not None and negligible(item)
                                                                for item in items)):
                out.append(None)
        return out

    @cached_property
    def _sites_by_call(self) -> dict[int, CallSite]:
        return {id(site.node): site for site in self.calls}

    def site_of(self, call: cst.CSTNode | None) -> CallSite | None:
        """The recorded site of one of this module's ``cst.Call`` nodes; None for any other node."""
        return self._sites_by_call.get(id(call))

    def site_by_id(self, key: int) -> CallSite | None:
        """The recorded site of the call whose node has this ``id()``."""
        return self._sites_by_call.get(key)

    @cached_property
    def functions_by_name(self) -> dict[str, list[FunctionInfo]]:
        index: dict[str, list[FunctionInfo]] = {}
        for function in self.functions[1:]:
            index.setdefault(function.name, []).append(function)
        return index

    @cached_property
    def calls_by_method(self) -> dict[str, list[CallSite]]:
        index: dict[str, list[CallSite]] = {}
        for site in self.calls:
            if site.method:
                index.setdefault(site.method, []).append(site)
        return index

    def option_declaration(self, expr: cst.BaseExpression, function: FunctionInfo) -> cst.Call | None:
        """``args.lr`` where ``args = parser.parse_args()``: the one ``parser.add_argument(...)``
        whose destination is ``lr`` (its ``default=`` is what the script runs with unless told
        otherwise); None for anything else."""
        if not (type(expr) is cst.Attribute and type(expr.value) is cst.Name):
            return None
        parsed = self.values(expr.value, function)
        if not parsed or not all(_is_parse_args(item.expr) for item in parsed):
            return None
        declared = [site for site in self.calls_by_method.get("add_argument", [])
                    if _option_dest(site.node) == expr.attr.value]
        return declared[0].node if len(declared) == 1 else None

    def callee(self, site: CallSite) -> FunctionInfo | None:
        """The function defined in this file that a call runs, when that is clear."""
        name = site.name
        if name is None:
            return None
        if "." not in name:
            return self.visible_function(name, site.function) or self._called_instance(site)
        owner, _, method = name.rpartition(".")
        if owner == "self" and site.function.cls is not None:
            return self._method(site.function.cls, method)
        if owner == "super()" or method not in self.method_names:
            return None
        # instance.method() where instance is bound to a local class; `AudioUtil.time_shift(aud)`:
        # a static method called on its class
        cls = _local_class_of(self, site.receiver, site.function) or self._named_class(site.receiver, site.function)
        return self._method(cls, method) if cls is not None else None

    def _named_class(self, expr: cst.BaseExpression | None, function: FunctionInfo) -> ClassInfo | None:
        """The class of this file that a bare name is (``AudioUtil``), unless the name is bound to
        a value there."""
        if type(expr) is not cst.Name or any(bound.expr is not expr for bound in self.values(expr, function)):
            return None
        return self.classes.get(self.qualname(expr) or "")

    def _called_instance(self, site: CallSite) -> FunctionInfo | None:
        """``early_stopping(val_loss, model)`` on an instance of a local class: its ``__call__``."""
        if not self._callable_classes or site.name in self.imports:
            return None
        for bound in self.values(site.node.func, site.function):
            if type(bound.expr) is cst.Call:
                cls = self.classes.get(self.qualname(bound.expr.func) or "")
                if cls is not None:
                    return self._method(cls, "__call__")
        return None

    @cached_property
    def method_names(self) -> frozenset[str]:
        """The names of the methods the file's classes define (any other method call runs none)."""
        return frozenset(name for cls in self.classes.values() for name in cls.methods)

    @cached_property
    def _callable_classes(self) -> bool:
        """Some class of the file defines ``__call__`` (else no call runs one)."""
        return any(function.name == "__call__" and function.cls is not None for function in self.functions)

    def visible_function(self, name: str, scope: FunctionInfo) -> FunctionInfo | None:
        """The function named ``name`` defined in ``scope`` or a scope around it (not a method)."""
        candidates = self.functions_by_name.get(name, [])
        for current in scope.scopes():
            for candidate in candidates:
                if candidate.parent is current and candidate.cls is None:
                    return candidate
        return None

    def method_of_class(self, cls: ClassInfo, name: str) -> FunctionInfo | None:
        """The method ``name`` of a class from this file, an inherited one included."""
        return self._method(cls, name)

    def _method(self, cls: ClassInfo, name: str, depth: int = 0) -> FunctionInfo | None:
        if name in cls.methods:
            return cls.methods[name]
        if depth > MAX_HOPS:
            return None
        for base in cls.bases:
            parent = self.classes.get(base)
            if parent is not None and parent is not cls:
                found = self._method(parent, name, depth + 1)
                if found is not None:
                    return found
        return None

    def constructed_with(self, cls: ClassInfo, attr: str, call: cst.Call) -> cst.BaseExpression | None:
        """What ``self.<attr>`` holds in the object ``call`` builds, when ``__init__`` sets it once,
        to one of its parameters (``self.is_train = is_train``): the argument ``call`` passes for
        that parameter, else the parameter's default."""
        init = self.method_of_class(cls, "__init__")
        site = self.site_of(call)
        bound = [assignment for assignment in cls.attrs.get(attr, ()) if assignment.function is init]
        if init is None or site is None or len(cls.attrs.get(attr, ())) != 1 or len(bound) != 1:
            return None
        value = bound[0].value
        if type(value) is not cst.Name or value.value not in init.params or init.bindings.get(value.value):
            return None
        return init.argument(site, value.value) or init.param_default(value.value)

    def call_sites_of(self, function: FunctionInfo) -> list[CallSite]:
        # `def fit(self, model): model.fit()` in a class `Trainer`: is `model.fit()` a call of
        # Trainer.fit? That resolves `model`, a parameter of fit(), through fit()'s call sites:
        # the same question again.
        key = ("sites", id(function))
        depth = self._resolution.begin(key)
        if depth is None:
            return []
        try:
            return self._call_sites_of(function)
        finally:
            self._resolution.end(key, depth)
            self._forget_provisional(depth)

    def sites_named_like(self, function: FunctionInfo) -> list[CallSite]:
        """The calls spelled so that they may run ``function``: ``name()`` for a function,
        ``x.name()`` for a method. A method call never runs a free function (``model.train()``
        is not ``def train(model)``) and a bare call never runs a method, so a call of the other
        kind is not even resolved (resolving its receiver could lead back here)."""
        sites = self.calls_by_method.get(function.name, [])
        if function.cls is None:
            return [site for site in sites if site.name == function.name]
        return [site for site in sites if site.name != function.name]

    def _call_sites_of(self, function: FunctionInfo) -> list[CallSite]:
        sites = [site for site in self.sites_named_like(function) if self.callee(site) is function]
        if function.name == "__init__" and function.cls is not None:
            # `Trainer(model)` runs `Trainer.__init__(self, model)`
            for cls in self.classes.values():
                if self._method(cls, "__init__") is not function:
                    continue
                for site in self.calls_by_method.get(cls.name, []):
                    if site.name == cls.name and site.name not in self.imports:
                        sites.append(site)
        return sites

    # bindings ----------------------------------------------------------------------------
    def values(self, expr: cst.BaseExpression | None, function: FunctionInfo) -> list[Bound]:
        """The expressions ``expr`` may evaluate to, following names, ``self.x``, parameters and
        local factories; the input itself when nothing is known about it. No value is listed twice.

        Each answer is worked out once per file and remembered: a name's per (name, function), since
        every use of a name in a function may hold the same values (bindings are followed without
        regard to order); ``self.x``'s per (class, attribute); any other expression's per (node,
        function). Without that, a parameter passed along a chain of calls, or a name reassigned
        from itself many times (``model = model.train()``), was resolved once per path, which grew
        exponentially. A question met again while it is being answered (a cycle), or asked
        MAX_RESOLUTION_DEPTH questions deep, resolves to the expression itself, "unknown".
        """
        if expr is None:
            return []
        key = self.value_key(expr, function)
        cached = self._values.get(key)
        if cached is not None:
            answer = _answer(cached, expr, function)
            if answer is not None:
                return answer
        provisional = self._provisional.get(key)
        if provisional is not None:
            answer = _answer(provisional, expr, function)
            if answer is not None:
                self._resolution.rests_on(provisional[2])
                return answer
        if len(self._resolution.depths) >= MAX_RESOLUTION_DEPTH:
            return [Bound(expr, function)]
        depth = self._resolution.begin(key)
        if depth is None:
            return [Bound(expr, function)]
        try:
            found = _unique(self._resolve(expr, function))
        finally:
            rests_on = self._resolution.end(key, depth)
            self._forget_provisional(depth)
        entry = _entry(key, expr, found)
        if rests_on is None:
            self._values[key] = entry
        else:
            self._provisional[key] = (*entry, rests_on)
            self._provisional_by_depth.setdefault(rests_on, []).append(key)
        return found

    def settled(self, compute: Callable[..., T], *args) -> tuple[T, bool]:
        """``compute(*args)`` and whether its answer is final: a cache of something derived from
        values keeps only final answers (see _Resolution)."""
        return self._resolution.settled(compute, *args)

    def value_key(self, expr: cst.BaseExpression, function: FunctionInfo) -> tuple:
        """What ``values`` answers the same for: ("name", name, function) for a name, ("attr",
        class, attribute) for ``self.x`` in a method, else ("node", node, function) (by id).
        Analyses that derive something from the values key their own caches and visited sets with
        it, so that a thousand uses of one name cost one resolution."""
        kind = type(expr)
        if kind is cst.Name:
            return ("name", expr.value, id(function))
        if (kind is cst.Attribute and type(expr.value) is cst.Name and expr.value.value == "self"
                and function.cls is not None):
            return ("attr", id(function.cls), expr.attr.value)
        return ("node", id(expr), id(function))

    def values_at(self, expr: cst.BaseExpression | None, function: FunctionInfo, order: int,
                  loop: LoopInfo | None = None, statement: cst.CSTNode | None = None) -> list[Bound]:
        """``values`` of an expression used at ``order`` (inside ``loop``, if any) in ``function``:
        a name's assignments in that function that cannot reach the use are left out: one that
        an unconditional reassignment (a statement of the function body itself, not inside a
        branch or a loop) overwrites before the use, and one that comes after the use with no
        loop around both. ``loader = DataLoader(ds)`` used to compute statistics, then ``loader =
        DataLoader(ds, shuffle=True)`` for training: each use sees its own loader. With the use's
        ``statement``, also one that a reassignment earlier in a block holding the use overwrites
        (``preds = get_bboxes(train_loader)``, then ``preds = get_bboxes(test_loader)`` and the use,
        all in one ``if`` body)."""
        if type(expr) is cst.Name:
            assignments = function.bindings.get(expr.value)
            if assignments and len(assignments) > 1:
                live = self.writes_reaching(assignments, assignments, function, order, loop, statement)
                if len(live) < len(assignments):
                    out: list[Bound] = []
                    for assignment in live:
                        out += self.values(assignment.value, function)
                    return out
        return self.values(expr, function)

    def _live_assignments(self, assignments: list[Assignment], function: FunctionInfo, order: int,
                          loop: LoopInfo | None) -> list[Assignment]:
        return self.writes_reaching(assignments, assignments, function, order, loop)

    def writes_reaching(self, writes: Sequence[W], assignments: list[Assignment], function: FunctionInfo,
                        order: int, loop: LoopInfo | None, statement: cst.CSTNode | None = None) -> list[W]:
        """The writes of a name (its assignments, ``total += n``, ``meter.update(x)``) that may still
        hold when the name is read at ``order`` (inside ``loop``) in ``function``, given the name's
        plain ``assignments`` there: a write that an unconditional reassignment (``correct = 0``
        before the validation loop) overwrites before the read is left out, and so is one after the
        read with no loop around both."""
        # a name is bound once its value is computed: the use in ``ds, val = random_split(ds, ...)``
        # still sees the ``ds`` bound before the statement
        killers = [a for a in assignments if _bound_at(a) < order and (
            self._dominates(a, function, loop) or statement is not None and self._precedes_in_block(a, statement))]
        live = []
        for write in writes:
            # a call that gathers (`meter.update(x)`) writes at its own order
            if (getattr(write, "end_order", 0) or write.order) > order:
                shared = _innermost_shared_loop(loop, write.loop)
                # the next iteration of the loop both sit in runs a killer again before the use
                if shared is not None and not any(shared.contains(k.loop) for k in killers):
                    live.append(write)
            elif not any(write.order < killer.order for killer in killers):
                live.append(write)
        return live

    def _dominates(self, assignment: Assignment, function: FunctionInfo, loop: LoopInfo | None) -> bool:
        """The assignment runs on every way to a later use inside ``loop``: it is a statement of
        the function's body, or of the body of a loop around the use (``pbar = tqdm(train_loader)``
        at the top of each epoch, before the loop over ``pbar``)."""
        statement = id(assignment.statement)
        if statement in self._body_statements(function):
            return True
        while loop is not None:
            if statement in self._loop_body_statements(loop):
                return True
            loop = loop.parent
        return False

    def _precedes_in_block(self, assignment: Assignment, statement: cst.CSTNode) -> bool:
        """The assignment is a statement of a block that also holds ``statement`` (directly or
        nested) further down: every way to ``statement`` runs it first."""
        places = statement_places(assignment.function)
        own, use = places.get(id(assignment.statement)), places.get(id(statement))
        return own is not None and use is not None and own[0][-1] in use[0]

    @memoized
    def _loop_body_statements(self, loop: LoopInfo) -> frozenset[int]:
        """The ids of the statements directly in a loop's body (run on every iteration), those of a
        ``with`` block in it included."""
        return frozenset(id(statement) for statement in _run_statements(loop.node.body))

    @memoized
    def _body_statements(self, function: FunctionInfo) -> frozenset[int]:
        """The ids of the statements that make up the function's body itself (run unconditionally)."""
        node = function.node
        return frozenset(id(statement) for statement in _run_statements(node if type(node) is cst.Module else node.body))

    def number_of(self, expr: cst.BaseExpression | None, function: FunctionInfo, depth: int = 0) -> float | None:
        """The number an expression evaluates to when it is arithmetic on numbers and on names
        bound to them (``(end_lr / start_lr) ** (1 / num_steps)``), else None."""
        value = literal(expr)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if depth > MAX_HOPS or expr is None:
            return None
        if type(expr) is cst.Name:
            found = {self.number_of(bound.expr, bound.function, depth + 1) for bound in self.values(expr, function)
                     if bound.expr is not expr}
            return found.pop() if len(found) == 1 else None
        if type(expr) is cst.BinaryOperation and type(expr.operator) in _ARITHMETIC:
            left = self.number_of(expr.left, function, depth + 1)
            right = self.number_of(expr.right, function, depth + 1)
            if left is not None and right is not None:
                try:
                    return float(_ARITHMETIC[type(expr.operator)](left, right))
                except (ArithmeticError, ValueError):
                    return None
        return None

    def _forget_provisional(self, depth: int) -> None:
        """The resolution at ``depth`` is done: the answers that rested on it are stale."""
        for key in self._provisional_by_depth.pop(depth, ()):
            self._provisional.pop(key, None)

    def _resolve(self, expr: cst.BaseExpression, function: FunctionInfo) -> list[Bound]:
        if type(expr) is cst.Name:
            found = self._name_values(expr.value, function)
            return found if found is not None else [Bound(expr, function)]
        if type(expr) is cst.Attribute and type(expr.value) is cst.Name and expr.value.value == "self":
            cls = function.cls
            if cls is not None:
                assignments = self._class_attr(cls, expr.attr.value)
                if assignments:
                    out: list[Bound] = []
                    for assignment in assignments:
                        out += self.values(assignment.value, assignment.function)
                    return out
            return [Bound(expr, function)]
        if type(expr) is cst.Attribute and type(expr.value) is cst.Name:
            if expr.value.value in self.classes:  # `CFG.batch_size` with `class CFG: batch_size = 2`
                found = self._class_level(self.classes[expr.value.value], expr.attr.value, function)
                if found:
                    return found
            found = self._instance_attribute(expr, function)
            if found:
                return found
        elif type(expr) is cst.Attribute and type(expr.value) is cst.Attribute:
            # `self.cfg.lr` with `self.cfg = cfg`, a Cfg(); `cfg.optim.lr` with a dataclass field
            # `optim: OptimConfig = field(default_factory=OptimConfig)`
            found = self._instance_attribute(expr, function)
            if found:
                return found
        if type(expr) is cst.IfExp:
            return self.values(expr.body, function) + self.values(expr.orelse, function)
        if type(expr) is cst.Call:
            factory = self.local_factory(expr, function)
            if factory is not None and factory.returns:
                out = []
                for returned in self._returns_for(factory, expr):
                    out += self.values(returned, factory)
                return out
        elif type(expr) is cst.Subscript:
            element = element_index(expr)
            if element is not None:
                return self._element_values(expr, *element, function)
            key = literal_key(expr)
            if key is not None:
                passed = self._keyword_values(expr.value, key, function)
                if passed is not None:
                    return passed
                return self._entry_values(expr, key, function)
            chosen = self._chosen_entries(expr, function)
            if chosen:
                return chosen
            members = self._member_values(expr, function)
            if members:
                return members
        return [Bound(expr, function)]

    def _keyword_values(self, container: cst.BaseExpression, key: object,
                        function: FunctionInfo) -> list[Bound] | None:
        """``kwargs["scheduler"]`` in ``def __init__(self, *args, **kwargs)``: what the calls of the
        function pass as ``scheduler=`` (None when ``container`` is not the function's ``**``
        parameter, or no call passes that keyword)."""
        if type(container) is not cst.Name or type(key) is not str or type(function.node) is not cst.FunctionDef:
            return None
        star = function.node.params.star_kwarg
        if star is None or star.name.value != container.value or container.value in function.bindings:
            return None
        out: list[Bound] = []
        for site in self.call_sites_of(function):
            arg = site.arg(None, key)
            if arg is not None:
                out += self.values_at(arg, site.function, site.order, site.loop)
        return out or None

    def _loop_member_values(self, name: str, function: FunctionInfo) -> list[Bound] | None:
        """``m`` of ``for m in members:`` (a name no assignment binds) over a list of objects built in
        view (``members = [fit_member(s) for s in seeds]``, ``[model_a, model_b]``): each member;
        None for any other loop (over a loader, a range, a list of data)."""
        for loop in function.loops:
            if type(loop.target) is cst.Name and loop.target.value == name and loop.iter is not None:
                members = self._list_members(loop.iter, function)
                return members or None
        return None

    def _list_members(self, expr: cst.BaseExpression, function: FunctionInfo) -> list[Bound]:
        """Every object a list may hold, when each value of ``expr`` is a list of constructed objects
        (``[optim.SGD(m.parameters()) for m in models]``, ``[opt_a, opt_b]``); empty otherwise."""
        out: list[Bound] = []
        for bound in self.values(expr, function):
            value = bound.expr
            if type(value) is cst.ListComp and type(value.elt) is cst.Call:
                members = [value.elt]
            elif type(value) is cst.List and value.elements and all(
                    type(element) is cst.Element and type(element.value) in (cst.Name, cst.Call)
                    for element in value.elements):
                members = [element.value for element in value.elements]
            else:
                return []
            for member in members:
                out += self.values(member, bound.function)
        return out

    def _member_values(self, expr: cst.Subscript, function: FunctionInfo) -> list[Bound]:
        """``optimizers[j]`` with a variable index: every object the list may hold, when each value
        of ``optimizers`` is a list of constructed objects (``[optim.SGD(m.parameters()) for m in
        models]``, ``[opt_a, opt_b]``); empty otherwise (an index into data, a dict, a loaded
        value)."""
        if len(expr.slice) != 1 or type(expr.slice[0].slice) is not cst.Index:
            return []
        if type(expr.slice[0].slice.value) not in (cst.Name, cst.Attribute):
            return []
        return self._list_members(expr.value, function)

    @cached_property
    def _instance_attributes(self) -> frozenset[str]:
        """Every attribute a class of this file assigns on ``self``."""
        return frozenset(attr for cls in self.classes.values() for attr in cls.attrs) | frozenset(
            assignment.target.rsplit(".", 1)[1] for assignment in self.assigns
            if assignment.target.split(".", 1)[0] in self.classes and assignment.target.count(".") == 1)

    def _instance_attribute(self, expr: cst.Attribute, function: FunctionInfo) -> list[Bound]:
        """``model.scheduler`` on an instance of a class of this file (``model = SessionModel(...)``):
        what the class's methods assign to ``self.scheduler``; empty when any value of ``model`` is
        not such an instance or its class assigns no such attribute."""
        if expr.attr.value not in self._instance_attributes:
            return []
        out: list[Bound] = []
        for bound in self.values(expr.value, function):
            if type(bound.expr) is cst.Name and bound.expr.value in self.classes:
                # `cfg = Config` (or `def main(cfg=Config)`): the class itself, another name for it
                level = self._class_level(self.classes[bound.expr.value], expr.attr.value, function)
                if not level:
                    return []
                out += level
                continue
            call = moved_module(bound.expr)
            if type(call) is not cst.Call:
                return []
            cls = self._constructed_class(call)
            if cls is None and self.is_imported(call.func):
                return []
            assignments = self._class_attr(cls, expr.attr.value) if cls is not None else []
            if not assignments:
                passed = self._field_argument(cls, call, expr.attr.value) if cls is not None else None
                if passed is not None:  # `OptimConfig(lr=1e-3)` of a dataclass: the value passed
                    out += self.values(passed, bound.function)
                    continue
                # `cfg = CFG()` then `cfg.batch_size`: the class attribute
                level = self._class_level(cls, expr.attr.value, function) if cls is not None else []
                if not level:
                    return []
                out += level
                continue
            for assignment in assignments:
                out += self.values(assignment.value, assignment.function)
        return out

    @staticmethod
    def _field_argument(cls: ClassInfo, call: cst.Call, attr: str) -> cst.BaseExpression | None:
        """What a construction of a class with no ``__init__`` of its own (a dataclass) passes for
        the field ``attr``: by keyword, or by position in the order its body declares fields (the
        call itself when a starred argument may pass it)."""
        if "__init__" in cls.methods:
            return None
        fields = [statement.body[0].target.value for statement in cls.node.body.body
                  if type(statement) is cst.SimpleStatementLine and type(statement.body[0]) is cst.AnnAssign
                  and type(statement.body[0].target) is cst.Name]
        position = fields.index(attr) if attr in fields else None
        passed = call_arg(call, position, attr)
        if passed is None and any(arg.star for arg in call.args):
            return call  # `Cfg(**overrides)` may set it: the construction itself, nothing known
        return passed

    def _constructed_class(self, call: cst.Call) -> ClassInfo | None:
        """The class of this file a call builds an instance of: ``Cfg()``, or a dataclass field's
        ``field(default_factory=Cfg)``."""
        if self.is_imported(call.func):
            if (self.qualname(call.func) or "") != "dataclasses.field":
                return None
            factory = call_arg(call, None, "default_factory")
            return self.classes.get(dotted(factory) or "") if type(factory) is cst.Name else None
        return self.classes.get(self.qualname(call.func) or "")

    def _class_level(self, cls: ClassInfo, attr: str, function: FunctionInfo) -> list[Bound]:
        """What a class body binds to ``attr`` (``class CFG: batch_size = 2``); empty when it binds
        nothing there or the attribute is also assigned from outside (``CFG.batch_size = 4``)."""
        name = f"{cls.name}.{attr}"
        scope = function.binding_scope(name)
        assignments = scope.bindings.get(name, []) if scope is not None else []
        if len(assignments) != 1 or assignments[0].statement is not None and not self._in_class_body(cls, assignments[0]):
            return []
        value = assignments[0].value
        if (type(value) is cst.Call and self.is_imported(value.func)
                and self.qualname(value.func) == "dataclasses.field" and call_arg(value, None, "default") is not None):
            value = call_arg(value, None, "default")  # `lr: float = field(default=0.1)`
        return self.values(value, assignments[0].function)

    def _in_class_body(self, cls: ClassInfo, assignment: Assignment) -> bool:
        return any(statement is assignment.statement for statement in cls.node.body.body)

    def _chosen_entries(self, expr: cst.Subscript, function: FunctionInfo) -> list[Bound]:
        """``ACTS[act]`` with ``ACTS = {"relu": nn.ReLU, ...}`` and ``act`` only ever a literal key
        (``act="relu"``, ``MODEL_CFG["act"]``): the entries it may pick; empty when it cannot be told."""
        if len(expr.slice) != 1 or type(expr.slice[0].slice) is not cst.Index:
            return []
        index = expr.slice[0].slice.value
        if type(index) is not cst.Name or not all(
                _dict_entries(bound.expr) is not None for bound in self.values(expr.value, function)):
            return []
        keys = [literal(bound.expr) for bound in self.values(index, function)]
        if not keys or not all(type(key) is str for key in keys):
            return []
        out: list[Bound] = []
        for key in dict.fromkeys(keys):
            found = self._entry_values(expr, key, function)
            if any(bound.expr is expr for bound in found):
                return []
            out += found
        return out

    def _entry_values(self, expr: cst.Subscript, key: str, function: FunctionInfo) -> list[Bound]:
        """``config["batch_size"]``: the entry of each literal dict ``config`` may hold
        (``{"batch_size": 4}``, ``dict(batch_size=4)``) and of every ``config["batch_size"] = ...``;
        the subscript itself, unknown, for anything else (a loaded file, ``config.update(...)``)."""
        container = expr.value
        root = container
        while type(root) is cst.Subscript and literal_key(root) is not None:
            root = root.value  # `cfg["optim"]["lr"]`: an entry of a nested literal dict
        name = dotted(root)
        if name is None or name in self._updated_containers:
            return [Bound(expr, function)]
        out: list[Bound] = []
        for bound in self.values(container, function):
            entries = _dict_entries(bound.expr)
            if entries is None or key not in entries:
                return [Bound(expr, function)]
            out += self.values(entries[key], bound.function)
        for item in self.item_assigns:
            if root is container and dotted(item.target.value) == name and literal_key(item.target) == key:
                out += self.values(item.value, item.function)
        return out or [Bound(expr, function)]

    def keyword_value(self, call: cst.Call, position: int | None, keyword: str,
                      function: FunctionInfo) -> cst.BaseExpression | None:
        """What ``call`` passes for ``keyword`` (or at ``position``), also through a ``**`` spread of
        a literal dict (``AdamW(params, **cfg["optim"])`` with ``"optim": {"lr": 0.3}``) when every
        dict it may be has the entry."""
        found = call_arg(call, position, keyword)
        if found is not None:
            return found
        for arg in call.args:
            if arg.star != "**":
                continue
            bounds = self.values(arg.value, function)
            entries = [_dict_entries(bound.expr) for bound in bounds]
            if bounds and all(entry is not None and keyword in entry for entry in entries):
                values = {code_of(entry[keyword]) for entry in entries}
                if len(values) == 1:
                    return entries[0][keyword]
        return None

    def dict_variants(self, expr: cst.BaseExpression, site: CallSite, depth: int = 0
                      ) -> list[dict[str, cst.BaseExpression]] | None:
        """The entries a dict may hold where ``site`` uses it (``DataLoader(ds, **train_kwargs)``),
        one dict per way it can be built: each literal dict the name is bound to, with the
        ``name.update(...)`` and ``name["key"] = ...`` of the same function before the use applied
        in order; a change under an ``if`` is one of its branches (applied, or not: ``if use_cuda:
        train_kwargs.update(cuda_kwargs)``). None when a value or a change cannot be read: not a
        literal, ``pop``, ``setdefault``, a change in a loop or a nested branch, a global dict
        changed elsewhere. A function's ``**kwargs`` holds, per call of the function, the keywords
        that call passes beyond the named parameters."""
        if type(expr) is cst.Name and expr.value in site.function.params:
            return self._handed_keywords(expr.value, site.function)
        bases = self.values_at(expr, site.function, site.order, site.loop)
        entries = [_dict_entries(bound.expr) for bound in bases]
        if any(entry is None for entry in entries):
            return None
        name = dotted(expr)
        changes = self._dict_changes(name, site) if name is not None else []
        if changes is None:
            return None
        if changes and any(bound.function is not site.function for bound in bases):
            return None
        options = self._change_options(changes, site, depth)
        if options is None:
            return None
        out = []
        for chosen in options:
            for base in entries:
                variant = dict(base)
                for change in chosen:
                    variant.update(change)
                out.append(variant)
        return out

    def _handed_keywords(self, name: str, function: FunctionInfo) -> list[dict[str, cst.BaseExpression]] | None:
        """``def _loader(ds, bs, **kw)``: the keywords each call passes into ``kw``; None for any
        other parameter, one rebound, or a call that spreads a dict or list itself."""
        star = getattr(function.node, "params", None)
        star = star.star_kwarg if star is not None else None
        callers = self.call_sites_of(function)
        if type(star) is not cst.Param or star.name.value != name or function.bindings.get(name) or not callers:
            return None
        named = set(function.params)
        out = []
        for caller in callers:
            if any(arg.star for arg in caller.node.args):
                return None
            out.append({arg.keyword.value: arg.value for arg in caller.node.args
                        if arg.keyword is not None and arg.keyword.value not in named})
        return out

    def _dict_changes(self, name: str, site: CallSite) -> list[CallSite | ItemAssignment] | None:
        """``name.update(...)`` calls and ``name[key] = ...`` stores of the use's function before the
        use; None when the dict is changed in a way that cannot be followed."""
        changes: list[CallSite | ItemAssignment] = []
        for method in _DICT_CHANGERS:
            for change in self.calls_by_method.get(method, []):
                if dotted(change.receiver) != name:
                    continue
                if method != "update" or change.function is not site.function:
                    return None
                if change.order < site.order:
                    changes.append(change)
        for store in self.item_assigns:
            if dotted(store.target.value) == name:
                if store.function is not site.function or literal_key(store.target) is None:
                    return None
                if store.order < site.order:
                    changes.append(store)
        return sorted(changes, key=lambda change: change.order)

    def _change_options(self, changes: list[CallSite | ItemAssignment], site: CallSite, depth: int
                        ) -> list[list[dict[str, cst.BaseExpression]]] | None:
        """The lists of entries the changes may add, one list per combination of the branches they
        sit in; None when a change's entries or its place cannot be read."""
        if not changes:
            return [[]]
        targets = {id(site.statement)} | {id(change.statement) for change in changes}
        paths = paths_to(site.function.node, targets, statements_only=True)
        use_path = paths.get(id(site.statement))
        if use_path is None:
            return None
        # per `if` statement: the statement, its branch count and, per branch, the changes in it
        branches: dict[int, tuple[cst.If, int, dict[int, list[int]]]] = {}
        always: list[int] = []
        for index, change in enumerate(changes):
            place = _branch_of(paths.get(id(change.statement)), use_path)
            if place is None:
                return None
            if place == ():
                always.append(index)
                continue
            statement, count, branch = place
            branches.setdefault(id(statement), (statement, count, {}))[2].setdefault(branch, []).append(index)
        # a branch chosen by the caller (`if shuffle:` on a parameter) is not a way the dict is built
        # whatever the call: which one applies is unknown here
        if not site.function.is_module and any(
                self._reads_parameters(test, site.function)
                for statement, _, _ in branches.values() for test in _chain_tests(statement)):
            return None
        combinations: list[list[int]] = [always]
        for _, count, chosen in branches.values():
            combinations = [done + chosen.get(branch, []) for done in combinations for branch in range(count)]
            if len(combinations) > MAX_VARIANTS:
                return None
        added = []
        for change in changes:
            entries = self._change_entries(change, depth)
            if entries is None:
                return None
            added.append(entries)
        options = []
        for combination in combinations:
            for picked in _product([added[index] for index in sorted(combination)]):
                options.append(picked)
                if len(options) > MAX_VARIANTS:
                    return None
        return options

    def _change_entries(self, change: CallSite | ItemAssignment, depth: int) -> list[dict[str, cst.BaseExpression]] | None:
        """What one change adds: ``name["key"] = value``; ``name.update(k=v)``;
        ``name.update(other)`` with each dict ``other`` may hold there."""
        if type(change) is ItemAssignment:
            return [{literal_key(change.target): change.value}]
        args = change.node.args
        if any(arg.star for arg in args) or len([arg for arg in args if arg.keyword is None]) > 1:
            return None
        keywords = {arg.keyword.value: arg.value for arg in args if arg.keyword is not None}
        positional = [arg.value for arg in args if arg.keyword is None]
        if not positional:
            return [keywords]
        if depth >= MAX_HOPS:
            return None
        others = self.dict_variants(positional[0], change, depth + 1)
        return None if others is None else [{**other, **keywords} for other in others]

    @cached_property
    def _updated_containers(self) -> frozenset[str]:
        """Names of dicts changed by a method (``config.update(args)``, ``setdefault``): their
        entries are not what the literal says."""
        return frozenset(
            name for method in ("update", "setdefault", "pop", "__setitem__")
            for site in self.calls_by_method.get(method, [])
            if (name := dotted(site.receiver)) is not None
        )

    def _element_values(self, expr: cst.Subscript, container: cst.BaseExpression, index: int,
                        function: FunctionInfo) -> list[Bound]:
        """``pair[1]``: the element of each tuple ``pair`` may hold (a literal tuple, a local
        helper's ``return train_loader, val_loader``, ``accelerator.prepare(model, loader)``);
        the subscript itself, unknown, for anything else."""
        out: list[Bound] = []
        unknown = False
        for bound in self.values(container, function):
            if self._returns_its_arguments(bound):
                elements = [arg.value for arg in bound.expr.args]
            else:
                elements = _tuple_elements(bound.expr)
            if elements is not None and -len(elements) <= index < len(elements):
                out += self.values(elements[index], bound.function)
            else:
                unknown = True
        return out + [Bound(expr, function)] if unknown or not out else out

    def _returns_its_arguments(self, bound: Bound) -> bool:
        """``accelerator.prepare(model, optimizer, loader)``, ``amp.initialize(model, optimizer)``,
        ``fabric.setup(model, optimizer)``: calls that hand their arguments back in order."""
        call = bound.expr
        if type(call) is not cst.Call or any(arg.keyword is not None or arg.star for arg in call.args):
            return False
        if self.qualname(call.func) in catalog.ARGUMENT_RETURNING:
            return True
        func = call.func
        if type(func) is not cst.Attribute or func.attr.value not in ("prepare", "setup"):
            return False
        return any(
            type(owner.expr) is cst.Call and self.qualname(owner.expr.func) in catalog.ARGUMENT_RETURNING_OWNERS
            for owner in self.values(func.value, bound.function)
        )

    def _class_attr(self, cls: ClassInfo, attr: str, depth: int = 0) -> list[Assignment]:
        """The assignments of ``self.<attr>`` in the class's methods, else in its bases'. Also the
        bases' when the class only updates what a base bound (``self.net = self.net.to(device)``
        after ``super().__init__(net, ...)``): the update reads the base's value."""
        own = cls.attrs.get(attr)
        if own and not any(reads_attribute(assignment.value, attr, "self") for assignment in own):
            return own
        if depth > MAX_HOPS:
            return own or []
        for base in cls.bases:
            parent = self.classes.get(base)
            if parent is not None and parent is not cls:
                found = self._class_attr(parent, attr, depth + 1)
                if found:
                    return (own or []) + found
        return own or []

    def local_factory(self, call: cst.Call, function: FunctionInfo) -> FunctionInfo | None:
        """The function of this file that ``call`` runs (a plain function visible from ``function``,
        or a method of ``self``'s class), whose return values the call's result may be; else None."""
        name = dotted(call.func)
        if name is None or name in self.imports:
            return None
        if "." not in name:
            found = self.visible_function(name, function)
            return found if found is not None and found.cls is None else None
        owner, _, method = name.rpartition(".")
        if owner == "self" and function.cls is not None:
            return self._method(function.cls, method)
        if owner == "super()" or method not in self.method_names:
            return None
        # `cost = model.train_model(x, y)` on an instance of a class of the file
        cls = _local_class_of(self, call.func.value, function)
        return self._method(cls, method) if cls is not None else None

    def _name_values(self, name: str, function: FunctionInfo) -> list[Bound] | None:
        scope = function.binding_scope(name)
        if scope is None:
            return self._loop_member_values(name, function)
        assignments = scope.bindings.get(name)
        if not assignments:
            return self._param_values(scope, name)
        out: list[Bound] = []
        for assignment in assignments:
            out += self.values(assignment.value, scope)
        if name in scope.params and any(_returns_itself(assignment.value, name) for assignment in assignments):
            # a module parameter rebound from itself (`net = net.cuda()`, `net = net.train()`)
            # still holds what the callers passed: unknown when no call of the file passes it
            # (a `train(model, ...)` of a helper module)
            passed = self._param_values(scope, name)
            out += passed if passed is not None else [Bound(scope.param_node(name) or cst.Name(name), scope)]
        return out

    def _returns_for(self, factory: FunctionInfo, call: cst.Call) -> list[cst.BaseExpression]:
        """What a helper may return for this call: the literals it passes decide the ``if``s the
        helper tests (``load_image("train")`` returns the shuffling loader of ``if data_type ==
        "train":``, not the one after it); every return when nothing is decided."""
        returns = factory.returns
        site = self.site_of(call) if len(returns) > 1 else None
        live = self.live_for(factory, site) if site is not None else None
        if live is None:
            return returns
        return [returned for returned in returns if id(self.return_statements.get(id(returned))) in live] or returns

    def live_for(self, helper: FunctionInfo, site: CallSite) -> set[int] | None:
        """The statements of ``helper`` (by id) that may run for this call, as the literals it
        passes decide them (see ``call_literals`` and ``live_statements``); None when it passes
        none."""
        values = self.call_literals(helper, site)
        return live_statements(helper, values) if values else None

    def call_literals(self, helper: FunctionInfo, site: CallSite) -> dict[str, object]:
        """The literal each parameter of ``helper`` holds in this call: passed as one (or as a name
        every binding of which is that literal, ``step = "epoch"``), or left at a literal default.
        A parameter the helper rebinds, or one a starred argument may fill, is left out."""
        values = {}
        starred = any(arg.star for arg in site.node.args)
        for param in helper.params:
            if helper.bindings.get(param):
                continue
            passed = helper.argument(site, param)
            if passed is None:
                value = ... if starred else literal(helper.param_default(param))
            elif type(passed) is cst.Name and literal(passed) is ...:
                held = {literal(bound.expr) for bound in self.values_at(passed, site.function, site.order, site.loop)}
                value = held.pop() if len(held) == 1 else ...
            else:
                value = literal(passed)
            if value is not ...:
                values[param] = value
        return values

    def never_runs(self, statement: cst.CSTNode, function: FunctionInfo) -> bool:
        """The statement of a helper of the file runs for none of the helper's calls in view: each
        passes (or leaves at their defaults) literals that decide an ``if`` around it the other way
        (``if step == "batch": scheduler.step()`` in a helper whose one caller passes ``step =
        "epoch"``). False for module code and for a helper with no call in this file."""
        if function.is_module:
            return False
        sites = self.call_sites_of(function)
        if not sites:
            return False
        for site in sites:
            values = self.call_literals(function, site)
            if not values or id(statement) in live_statements(function, values):
                return False
        return True

    def arguments_for(self, function: FunctionInfo, parameter: str) -> list[tuple[cst.BaseExpression, CallSite]]:
        """``(argument, call)`` for each call of ``function`` in this file that passes ``parameter``."""
        out = []
        for site in self.call_sites_of(function):
            arg = function.argument(site, parameter)
            if arg is not None:
                out.append((arg, site))
        return out

    def _param_values(self, function: FunctionInfo, name: str) -> list[Bound] | None:
        out: list[Bound] = []
        for arg, site in self.arguments_for(function, name):
            out += self.values_at(arg, site.function, site.order, site.loop)
        default = function.param_default(name)
        if default is not None:
            out += self.values(default, function)
        return out or None

    # kinds -------------------------------------------------------------------------------
    def objects(self, expr: cst.BaseExpression | None, function: FunctionInfo) -> list[Obj]:
        """Every known object ``expr`` may be bound to (constructor calls of known kinds)."""
        out = []
        for bound in self.values(expr, function):
            obj = self.classify(bound)
            if obj is not None:
                out.append(obj)
        return out

    def object_of(self, expr: cst.BaseExpression | None, function: FunctionInfo, kind: ObjKind) -> Obj | None:
        """The object of ``kind`` that ``expr`` is bound to, when every binding agrees."""
        found = self.objects(expr, function)
        if found and all(obj.kind is kind for obj in found):
            return found[-1]
        return None

    def classify(self, bound: Bound) -> Obj | None:
        expr = moved_module(bound.expr)
        if type(expr) is not cst.Call:
            return None
        qualname = self.qualname(expr.func)
        if qualname is None:
            return None
        if not self.is_imported(expr.func):
            cls = self.classes.get(qualname)
            if cls is not None:
                if self.class_is(cls, catalog.MODULE_BASES):
                    return Obj(ObjKind.MODEL, qualname, expr, bound.function)
                if self.class_is(cls, catalog.DATASET_BASES):
                    return Obj(ObjKind.DATASET, qualname, expr, bound.function)
                # `class WarmupCosineSchedule(LambdaLR)`: a scheduler whose cadence its own code decides
                if self.class_is(cls, catalog.is_scheduler):
                    return Obj(ObjKind.SCHEDULER, qualname, expr, bound.function)
            return None
        kind = catalog.kind_of(qualname)
        if kind is None:
            return None
        detail = None
        if kind is ObjKind.SCHEDULER:
            detail = catalog.fixed_cadence(qualname)
        return Obj(kind, qualname, expr, bound.function, detail)

    def class_is(self, cls: ClassInfo, bases: frozenset[str] | Callable[[str], bool], depth: int = 0) -> bool:
        """``cls`` derives, through the file's own classes, from one of ``bases`` (qualified names,
        or a test of a qualified name)."""
        if depth > MAX_HOPS:
            return False
        for base in cls.bases:
            if base in self.classes and self.classes[base] is not cls:
                if self.class_is(self.classes[base], bases, depth + 1):
                    return True
            elif (bases(self.resolve_dotted(base)) if callable(bases) else self.resolve_dotted(base) in bases):
                return True
        return False

    def kind(self, expr: cst.BaseExpression | None, function: FunctionInfo) -> ObjKind | None:
        found = {obj.kind for obj in self.objects(expr, function)}
        return found.pop() if len(found) == 1 else None

    # training and evaluation regions -----------------------------------------------------
    def is_optimizer_step(self, site: CallSite) -> bool:
        """``optimizer.step()``, ``scaler.step(optimizer)``, ``accelerator``-style wrappers."""
        return self.step_basis(site) is not None

    def step_basis(self, site: CallSite) -> Basis | None:
        """How the call was established as an optimizer step: resolved when its receiver is bound
        to an optimizer or a GradScaler, guessed when only the receiver's name says so
        (``opt.step()`` with ``opt`` from elsewhere); None when it is not one."""
        return self._step_basis(site.node)

    @memoized
    def _step_basis(self, call: cst.Call) -> Basis | None:
        site = self.site_of(call)
        if site is None or site.method != "step" or site.receiver is None:
            return None
        receiver = site.receiver
        kinds = {obj.kind for obj in self.objects(receiver, site.function)}
        if kinds & {ObjKind.OPTIMIZER, ObjKind.GRAD_SCALER}:
            return RESOLVED
        if ObjKind.SCHEDULER in kinds:
            return None
        name = dotted(receiver) or ""
        last = name.rsplit(".", 1)[-1].lower()
        if "sched" in last:
            return None
        if "optim" in last or last in ("opt", "scaler") or last.endswith("_opt"):
            return guessed(f"`{name}.step()` taken for an optimizer step by the name `{name}`")
        return None

    def is_scheduler_step(self, site: CallSite) -> Obj | None:
        """The scheduler ``site`` steps; of a name bound to one scheduler per option (``if
        args.lr_schedule == "step": scheduler = StepLR(...)`` / ``elif ... == "linear": scheduler =
        LambdaLR(...)``), the one whose option the step's own ``if`` allows."""
        if site.method != "step" or site.receiver is None:
            return None
        obj = self.object_of(site.receiver, site.function, ObjKind.SCHEDULER)
        if obj is None:
            return None
        found = self.objects(site.receiver, site.function)
        allowed = [other for other in found if not self._exclusive(other.call, site)]
        if len(found) > 1 and "isinstance" in self.source:
            allowed = [other for other in allowed if self._type_guard_allows(other, site)]
            if not allowed:
                return None
        return allowed[-1] if allowed and len(allowed) < len(found) else obj

    def _type_guard_allows(self, obj: Obj, site: CallSite) -> bool:
        """The ``isinstance`` tests around ``site`` on its receiver let ``obj``'s class through:
        ``if isinstance(scheduler, ReduceLROnPlateau): scheduler.step(loss) else: scheduler.step()``."""
        receiver = dotted(site.receiver)
        path = paths_to(site.function.node, {id(site.statement)}, statements_only=True).get(id(site.statement), [])
        name = obj.qualname.rsplit(".", 1)[-1]
        for node, inner in zip(path, path[1:]):
            if type(node) is not cst.If:
                continue
            test, negated = node.test, False
            if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
                test, negated = test.expression, True
            if type(test) is not cst.Call or dotted(test.func) != "isinstance" or len(test.args) != 2:
                continue
            if dotted(test.args[0].value) != receiver:
                continue
            kinds = test.args[1].value
            names = {(dotted(e.value) or "").rsplit(".", 1)[-1] for e in kinds.elements} if type(kinds) is cst.Tuple else {
                (dotted(kinds) or "").rsplit(".", 1)[-1]}
            in_body = inner is node.body
            if (name in names) != (in_body != negated):
                return False
        return True

    def _exclusive(self, call: cst.Call, site: CallSite) -> bool:
        """``call`` runs only when an option has one value and ``site`` only when it has another
        (``if mode == "step":`` around one, ``if mode == "linear":`` around the other)."""
        made = self.site_of(call)
        if made is None:
            return False
        return exclusive_tests(if_tests_holding(made), if_tests_holding(site))

    def _closure(self, direct: set[int]) -> set[int]:
        """``direct`` plus every function in this file that calls one of them, transitively."""
        found = set(direct)
        pending = [function for function in self.functions if id(function) in found]
        while pending:
            function = pending.pop()
            for site in self.sites_named_like(function):
                caller = site.function
                if id(caller) not in found and self.callee(site) is function:
                    found.add(id(caller))
                    pending.append(caller)
        return found

    @cached_property
    def _stepping_functions(self) -> set[int]:
        return self._closure({id(site.function) for site in self.calls if self.is_optimizer_step(site)})

    @cached_property
    def _training_functions(self) -> set[int]:
        """Functions that train: they step an optimizer or call ``backward``, directly or via calls."""
        return self._closure(
            {id(site.function) for site in self.calls if self.takes_step(site)}
        )

    def takes_step(self, site: CallSite) -> bool:
        """The call itself is a backward pass or an optimizer step (not a function that runs one).
        A backward pass that only serves an input's gradient (an adversarial attack) trains nothing."""
        if site.method == "backward":
            return not self.differentiates_inputs(site.function)
        return self.is_optimizer_step(site) or (_names_stepping(site.name) and self._scales_and_steps(site.node))

    @memoized
    def _scales_and_steps(self, call: cst.Call) -> bool:
        """A call out of view handed the loss and the optimizer, named for what it does with them:
        timm's and the DeiT/MAE/Swin engines' ``loss_scaler(loss, optimizer, clip_grad=...,
        parameters=model.parameters())`` runs the backward pass and the step."""
        site = self.site_of(call)
        if site is None or not set(words(site.name or "")) & _STEPPING_CALL_WORDS or self.callee(site) is not None:
            return False
        handed = [arg.value for arg in call.args if not arg.star and type(arg.value) in (cst.Name, cst.Attribute)]
        loss = any("loss" in (dotted(value) or "").rsplit(".", 1)[-1].lower() for value in handed)
        optimizer = any(
            ObjKind.OPTIMIZER in {obj.kind for obj in self.objects(value, site.function)}
            or "optim" in (dotted(value) or "").rsplit(".", 1)[-1].lower() for value in handed)
        return loss and optimizer

    @memoized
    def differentiates_inputs(self, function: FunctionInfo) -> bool:
        """The function reads the gradient of a tensor it made require one (``X_pgd =
        Variable(X.data, requires_grad=True)``, ``x.requires_grad_()``, then ``X_pgd.grad.sign()``)
        and steps no optimizer: its ``backward()`` crafts an input, as PGD and FGSM attacks do, and
        leaves the model's weights alone (an optimizer built over the input, ``optim.SGD([X_pgd])``,
        only clears that gradient)."""
        wanting = inputs_wanting_gradients(function)
        if not wanting or any(self.is_optimizer_step(site) for site in function.calls):
            return False
        read = {dotted(site.receiver) or "" for site in function.calls if site.receiver is not None}
        read |= {dotted(bound.value) or "" for bounds in function.bindings.values() for bound in bounds}
        return any(chain.startswith(f"{name}.grad") for name in wanting for chain in read)

    def function_trains(self, function: FunctionInfo) -> bool:
        return id(function) in self._training_functions

    def function_steps_optimizer(self, function: FunctionInfo) -> bool:
        return id(function) in self._stepping_functions

    def site_trains(self, site: CallSite) -> bool:
        """The call is an optimizer step, a backward pass, or runs a function that trains, unless
        that function trains only by a flag this call turns off (``network_pass(net, x, y,
        train=False)``, see ``training_flag``)."""
        if self.takes_step(site):
            return True
        target = self.callee(site)
        return target is not None and self.function_trains(target) and not self._flag_turned_off(site, target)

    def _flag_turned_off(self, site: CallSite, target: FunctionInfo) -> bool:
        found = self.training_flag(target)
        if found is None:
            return False
        flag, test = found
        value = target.argument(site, flag)
        return flag_off(test, value if value is not None else target.param_default(flag))

    def training_flag(self, function: FunctionInfo) -> tuple[str, cst.BaseExpression] | None:
        """``(parameter, test)`` when every backward pass and optimizer step of ``function`` hangs on
        one of its parameters used as an on/off flag: it runs under ``if train:`` (or ``if opt is not
        None:``), or in a call that hands the parameter on as the flag of a function trained the same
        way (``forward_pass(net, x, y, train=train)`` in ``network_pass(..., train=False)``). A call
        that passes such a function its flag turned off trains nothing. None when some training runs
        whatever the caller passes."""
        return self._training_flag(function, 0)

    @memoized
    def _training_flag(self, function: FunctionInfo, depth: int) -> tuple[str, cst.BaseExpression] | None:
        if function.is_module or not function.params or depth > 3 or not self.function_trains(function):
            return None
        guards = self._if_statements(function)
        found: set[tuple[str, type]] = set()
        result = None
        for site in function.calls:
            target = None if self.takes_step(site) else self.callee(site)
            if not self.takes_step(site) and (target is None or target is function or not self.function_trains(target)):
                continue
            gate = next((flag for flag in (flag_test(guard.test, function) for guard in guards.get(id(site.node), ())
                                           if contains(guard.body, site.node)) if flag is not None), None)
            if gate is None and target is not None:
                inner = self._training_flag(target, depth + 1)
                if inner is None:
                    return None
                value = target.argument(site, inner[0])
                if value is None:
                    value = target.param_default(inner[0])
                if flag_off(inner[1], value):
                    continue  # this call trains nothing
                if type(value) is cst.Name and value.value in function.params and value.value not in function.bindings:
                    gate = (value.value, inner[1])
            if gate is None:
                return None
            found.add((gate[0], type(gate[1])))
            result = gate
        return result if len(found) == 1 else None

    def calls_reached(self, sites: Iterable[CallSite], depth: int = 3, live: bool = False) -> list[CallSite]:
        """``sites`` and the calls of the functions of this file they run, ``depth`` calls deep (a
        function calling itself is not entered again). With ``live``, a call that turns a
        function's training flag off (``network_pass(..., train=False)``) is not entered: its
        backward pass and step do not run."""
        out = list(sites)
        if depth > 0:
            for site in list(out):
                callee = self.callee(site)
                if callee is not None and callee is not site.function and not (live and self._flag_turned_off(site, callee)):
                    out += self.calls_reached(callee.calls, depth - 1, live)
        return out

    def site_steps_optimizer(self, site: CallSite) -> bool:
        """The call is an optimizer step or runs a function that steps one."""
        if self.is_optimizer_step(site):
            return True
        target = self.callee(site)
        return target is not None and target is not site.function and self.function_steps_optimizer(target)

    def loop_trains(self, loop: LoopInfo) -> bool:
        return any(self.site_trains(site) for site in loop.all_calls())

    def loop_always_trains(self, loop: LoopInfo) -> bool:
        """The loop trains whichever way its function is called: some training call in it is not
        behind an ``if`` on the function's parameters (``run_epoch(model, loader, optimizer=None)``
        trains only when given an optimizer, and evaluates otherwise)."""
        return any(self.site_trains(site) and not self.behind_parameter_test(site) for site in loop.all_calls())

    def behind_parameter_test(self, site: CallSite) -> bool:
        """The call runs inside an ``if`` whose test reads a parameter of its function (or a
        name the function computes from one): whether it runs depends on the caller."""
        function = site.function
        if function.is_module:
            return False
        return any(self._reads_parameters(guard.test, function)
                   for guard in self._if_statements(function).get(id(site.node), ()))

    def _reads_parameters(self, test: cst.BaseExpression, function: FunctionInfo, depth: int = 0) -> bool:
        for name in names_in(test):
            if name in function.params:
                return True
            if depth < 2 and any(self._reads_parameters(assignment.value, function, depth + 1)
                                 for assignment in function.bindings.get(name, [])):
                return True
        return False

    @memoized
    def _if_statements(self, function: FunctionInfo) -> dict[int, tuple[cst.If, ...]]:
        return if_statements(function.node.body)

    def loop_source(self, loop: LoopInfo) -> cst.BaseExpression | None:
        """What the loop walks, through progress-bar wrappers written inline
        (``enumerate(tqdm(loader))``) or bound to a name first (``loop = tqdm(loader)``;
        ``for x, y in loop:``)."""
        return self._loop_source(loop)

    @memoized
    def _loop_source(self, loop: LoopInfo) -> cst.BaseExpression | None:
        source = unwrap_iterable(loop.iter)
        if type(source) is not cst.Name:
            return source
        bounds = self.values_at(source, loop.function, loop.order, loop.parent)
        if len(bounds) != 1 or bounds[0].function is not loop.function:
            return source
        wrapped = bounds[0].expr
        if type(wrapped) is not cst.Call or unwrap_iterable(wrapped) is wrapped:
            return source
        return unwrap_iterable(wrapped)

    def comprehension_sources(self, site: CallSite) -> list[tuple[frozenset[str], cst.BaseExpression]]:
        """For a call inside a comprehension, each ``for`` clause of the innermost one: the names it
        binds and what it walks (``[model(xb) for xb, yb in valid_dl]`` -> ({xb, yb}, valid_dl))."""
        comprehension = self._comprehension_of.get(id(site.node))
        clause = getattr(comprehension, "for_in", None)
        out = []
        while clause is not None:
            out.append((frozenset(target_names(clause.target)), unwrap_iterable(clause.iter)))
            clause = clause.inner_for_in
        return out

    def innermost_comprehension(self, call: cst.Call) -> cst.BaseExpression | None:
        """The innermost comprehension (list, set, dict, generator) the call is in, else None."""
        return self._comprehension_of.get(id(call))

    def comprehension_of(self, call: cst.Call) -> cst.DictComp | None:
        """The dict comprehension whose value ``call`` is, else None."""
        comprehension = self._comprehension_of.get(id(call))
        return comprehension if type(comprehension) is cst.DictComp and comprehension.value is call else None

    def comprehension_keys(self, call: cst.Call) -> tuple[str, ...]:
        """The literal keys of the dict comprehension whose value is ``call`` (see
        ``dict_comprehension_keys``); empty when the call is not such a value."""
        comprehension = self._comprehension_of.get(id(call))
        if type(comprehension) is not cst.DictComp or comprehension.value is not call:
            return ()
        site = self.site_of(call)
        return self.dict_keys(comprehension, site.function if site is not None else None)

    def dict_keys(self, comprehension: cst.DictComp, function: FunctionInfo | None) -> tuple[str, ...]:
        """``dict_comprehension_keys``, with a walked name followed to the one list it is bound to
        (``{x: ... for x in TRAIN_PROCESS}``) as seen from ``function``; also the keys of a dict
        written out whose items the comprehension walks (``{split: DataLoader(ds) for split, ds in
        datasets.items()}``), and of written-out pairs (``for name, ds in [("train", ds_tr), ...]``)."""
        walked = comprehension.for_in.iter
        written = pairs_walked(comprehension)
        if written is not None:
            return tuple(written[2])
        if items_walked(comprehension) is not None:
            container = walked.func.value
            bounds = self.values(container, function) if function is not None else [Bound(container, self.module_function)]
            entries = _dict_entries(bounds[0].expr) if len(bounds) == 1 else None
            return tuple(entries) if entries else ()
        if type(walked) is cst.Name and function is not None:
            bounds = self.values(walked, function)
            return dict_comprehension_keys(comprehension, bounds[0].expr) if len(bounds) == 1 else ()
        return dict_comprehension_keys(comprehension)

    def is_batch_loop(self, loop: LoopInfo) -> bool:
        """A loop over a DataLoader (or an iterable named like one), over a batch generator, over
        index ranges that slice the data by hand (``index_batches``), or one that takes the next
        batch of a loader's iterator each time round (``draws_batches``)."""
        source = self.loop_source(loop)
        if source is None:
            return False
        if self._loader_like(source, loop.function):
            return True
        if type(source) is cst.Call:
            return (self._yields_batches(source, loop.function) or self.index_batches(loop) is not None
                    or self.draws_batches(loop))
        return False

    def _loader_like(self, expr: cst.BaseExpression, function: FunctionInfo) -> bool:
        if self.kind(expr, function) is ObjKind.DATALOADER:
            return True
        if type(expr) is cst.Call:
            return False
        name = (dotted(expr) or "").rsplit(".", 1)[-1]
        return "loader" in name.lower() or bool(set(words(name)) & _LOADER_WORDS)

    def draws_batches(self, loop: LoopInfo) -> bool:
        """The loop counts steps and takes each batch from an iterator over a loader made outside
        the expression (``labeled_iter = iter(labeled_loader)``, then ``for i in range(steps):
        x, y = next(labeled_iter)`` or ``labeled_iter.next()``): how FixMatch-style code cycles
        two loaders of different lengths, and how iteration-counted training is written. A fresh
        ``next(iter(loader))`` in the loop is one batch of a new pass, and is not counted."""
        return any(self._from_loader_iterator(site, loop) for site in loop.calls)

    def _from_loader_iterator(self, site: CallSite, loop: LoopInfo) -> bool:
        func = site.node.func
        if type(func) is cst.Name and func.value == "next" and not self.is_imported(func):
            iterator = site.node.args[0].value if site.node.args else None
        elif type(func) is cst.Attribute and func.attr.value in ("next", "__next__") and not site.node.args:
            iterator = func.value
        else:
            return False
        if type(iterator) is not cst.Name:
            return False
        return any(type(bound.expr) is cst.Call and type(bound.expr.func) is cst.Name
                   and bound.expr.func.value == "iter" and len(bound.expr.args) == 1
                   and self._loader_like(bound.expr.args[0].value, bound.function)
                   for bound in self.values(iterator, loop.function))

    def _yields_batches(self, call: cst.Call, function: FunctionInfo) -> bool:
        """``batch_generator(X, y, 64)``: a local generator, or a helper named for batching."""
        name = dotted(call.func)
        if name is None:
            return False
        if _BATCHING_NAME.search(name.rsplit(".", 1)[-1]):
            return True
        local = self.visible_function(name, function) if "." not in name else None
        return local is not None and local.is_generator

    def index_batches(self, loop: LoopInfo) -> IndexBatches | None:
        """The batches a loop over index ranges cuts by hand (``for i in range(0, n, bs): idx =
        perm[i:i + bs]``, ``for start, end in zip(range(0, n, bs), range(bs, n, bs)): X[start:end]``);
        None for any other loop."""
        cache = self.__dict__.setdefault("_index_batches", {})
        if id(loop) not in cache:
            cache[id(loop)] = _index_batches(self, loop)
        return cache[id(loop)]

    def is_epoch_loop(self, loop: LoopInfo) -> bool:
        """A loop whose body trains over a whole pass of the data: it holds a batch loop that
        trains, or calls a function that runs one, and is not itself a batch loop."""
        if self.is_batch_loop(loop):
            return False
        for child in loop.children:
            if self.is_batch_loop(child) and self.loop_trains(child):
                return True
        for site in loop.calls:
            target = self.callee(site)
            if target is not None and self.function_trains(target) and self._has_batch_loop(target):
                return True
        source = loop.iter
        text = code_of(source) if source is not None else ""
        return "epoch" in text.lower() and self.loop_trains(loop)

    def _has_batch_loop(self, function: FunctionInfo, depth: int = 0) -> bool:
        if any(self.is_batch_loop(loop) for loop in function.loops):
            return True
        if depth > MAX_HOPS:
            return False
        for site in function.calls:
            target = self.callee(site)
            if target is not None and target is not function and self._has_batch_loop(target, depth + 1):
                return True
        return False

    def enclosing_loops(self, loop: LoopInfo | None) -> Iterable[LoopInfo]:
        while loop is not None:
            yield loop
            loop = loop.parent
