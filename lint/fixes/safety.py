"""What a fix would change beyond the line it edits: the reads of a value whose meaning it changes.

Two fixes change a value that other code reads: dropping an activation or a softmax inside a model
changes what the model returns to every caller (FIT301, FIT302), and accumulating ``loss.item()``
turns a running total from a tensor into a float (FIT502). A rule asks here whether every read of
that value visible in the file still works after the change; anything the analysis does not
understand counts as a read that would break, so the fix is withheld.

- ``model_output_uses_ok(script, op, loss_kinds, softmax_ok)``: every call of the model that owns
  ``op`` (a class's ``forward`` or an ``nn.Sequential``) passes its output only to a loss of
  ``loss_kinds``, to ``argmax`` / the indices of ``max`` / ``topk`` / ``sort``, to shape queries,
  and (``softmax_ok``) to a softmax; followed through local names, ``return`` from an enclosing
  model's ``forward`` and shape-only methods.
- ``used_only_as_number(script, name, function)``: every read of a running total (or of a list of
  values) is arithmetic, a comparison, formatting, or an argument to a call that is neither a torch
  function nor a function of this file; followed through local names and return values.
- ``result_reaches_backward(script, function)``: a caller in the file backpropagates what the
  function returns (a no_grad wrap of it would break that backward pass).
- ``always_of_kind(script, expr, function, kind)``: every value the expression may hold is a
  known object of that kind, so a fix may call a method such objects have (``zero_grad()``).
- ``is_number(script, expr, function)``: the expression certainly holds a number (what
  ``ReduceLROnPlateau.step(metrics)`` needs); ``local_class_of`` names the class of this file an
  object (an ``AverageMeter``) is built from.
"""

from __future__ import annotations


import libcst as cst

from fitlint.analysis.models import models_of
from fitlint.analysis.outputs import FUNCTION_OPS, LOG_SOFTMAX, METHOD_OPS, SOFTMAX, loss_feeds
from fitlint.analysis.optimization import is_backward, names_feeding_backward
from fitlint.analysis.script import CallSite, ClassInfo, FunctionInfo, Script, call_arg, children, contains, dotted, memoized, target_names
from fitlint.analysis.catalog import ObjKind

MAX_DEPTH = 4

# Methods that keep a tensor's values (and so the meaning of a model's output).
SHAPE_ONLY_METHODS = frozenset({
    "view", "reshape", "squeeze", "unsqueeze", "flatten", "contiguous", "float", "double", "half",
    "to", "cuda", "cpu", "detach", "clone", "permute", "transpose", "view_as", "reshape_as",
})
SHAPE_QUERIES = frozenset({"shape", "size", "dim", "ndim", "dtype", "device", "numel"})
INDEX_ONLY = frozenset({"argmax", "argsort"})
INDEX_PAIRS = frozenset({"max", "topk", "sort"})  # (values, indices): only the indices keep meaning


@memoized
def parents(owner: Script | FunctionInfo) -> dict[int, cst.CSTNode]:
    """Each node's parent (by ``id``) in the script's module or under the function's node, from
    one walk of the subtree."""
    found: dict[int, cst.CSTNode] = {}
    stack = [owner.module if isinstance(owner, Script) else owner.node]
    while stack:
        node = stack.pop()
        for child in children(node):
            found[id(child)] = node
            stack.append(child)
    return found


def parent_of(script: Script, node: cst.CSTNode) -> cst.CSTNode | None:
    """The node's parent in the analyzed module."""
    return parents(script).get(id(node))


_parent = parent_of


def _names_read(function: FunctionInfo, name: str) -> list[cst.CSTNode]:
    """The reads of ``name`` (a local name) in ``function``'s own body: every ``Name`` node
    spelled so that is not the target of an assignment."""
    out = []
    stack = list(children(function.node)) if type(function.node) is cst.FunctionDef else list(function.node.body)
    while stack:
        node = stack.pop()
        if type(node) in (cst.FunctionDef, cst.ClassDef) and not function.is_module:
            continue  # another scope (module-level names are also read as globals inside functions)
        if type(node) is cst.Name and node.value == name:
            out.append(node)
        stack.extend(children(node))
    return [node for node in out if not _is_target(node, function)]


def _is_target(node: cst.CSTNode, function: FunctionInfo) -> bool:
    parent = parents(function).get(id(node))
    while type(parent) in (cst.Tuple, cst.List, cst.Element, cst.StarredElement):
        parent = parents(function).get(id(parent))
    if type(parent) in (cst.AssignTarget, cst.AnnAssign, cst.For, cst.AugAssign):
        target = parent.target
        return target is node or type(target) is not cst.Name
    return type(parent) in (cst.Param, cst.FunctionDef, cst.ClassDef)


def parameter_for(script: Script, call: cst.Call, arg: cst.Arg) -> tuple[FunctionInfo, str] | None:
    """The function of this file that ``call`` runs and the name of its parameter that receives
    ``arg``; None when the call or the parameter is not clear (``*args``, unknown callee)."""
    site = script.site_of(call)
    callee = script.callee(site) if site is not None else None
    if callee is None or any(a.star for a in call.args):
        return None
    params = list(callee.params)
    if callee.cls is not None and type(call.func) is cst.Attribute and "staticmethod" not in callee.decorators:
        params = params[1:]
    if arg.keyword is not None:
        name = arg.keyword.value
        return (callee, name) if name in params else None
    index = [a for a in call.args if a.keyword is None].index(arg)
    if index >= len(params) or type(callee.node) is not cst.FunctionDef:
        return None
    star = callee.node.params.star_arg
    if type(star) is cst.Param and star.name.value == params[index]:
        return None
    return callee, params[index]


# --- model outputs ---------------------------------------------------------------------------

def _owner(script: Script, op_node: cst.CSTNode) -> tuple[ClassInfo | None, cst.Call | None]:
    """The model ``op_node`` belongs to: the module class whose ``forward`` applies it, or the
    ``nn.Sequential`` call it is a layer of."""
    for site in script.calls:
        if script.qualname(site.node.func) == "torch.nn.Sequential" and any(arg.value is op_node for arg in site.node.args):
            return None, site.node
    site = script.site_of(op_node)
    if site is not None and site.function.name == "forward" and site.function.cls is not None:
        return site.function.cls, None
    return None, None


def _calls_of_model(script: Script, cls: ClassInfo | None, sequential: cst.Call | None) -> list:
    out = []
    for site in script.calls:
        func = site.node.func
        target = func.value if type(func) is cst.Attribute and func.attr.value == "forward" else func
        if cls is not None and type(target) is cst.Name and target.value == "self":
            if site.function.cls is not None and site.function.cls.name == cls.name:
                out.append(site)
            continue
        if type(target) is cst.Call or site.node is sequential:
            continue
        if type(target) not in (cst.Name, cst.Attribute):
            continue
        for obj in models_of(script, target, site.function):
            if obj.call is site.node:
                continue
            if (sequential is not None and obj.call is sequential) or (cls is not None and obj.qualname == cls.name):
                out.append(site)
                break
    return out


def model_output_uses_ok(script: Script, op_node: cst.CSTNode, loss_kinds: frozenset[str], softmax_ok: bool) -> bool:
    """Every call in this file of the model that applies ``op_node`` reads its output as logits
    would be read (see the module docstring). False when the model cannot be found or has no call."""
    cls, sequential = _owner(script, op_node)
    if cls is None and sequential is None:
        return False
    checker = _OutputReads(script, loss_kinds, softmax_ok)
    return checker.model(cls, sequential, 0)


class _OutputReads:
    def __init__(self, script: Script, loss_kinds: frozenset[str], softmax_ok: bool) -> None:
        self.script = script
        self.softmax_ok = softmax_ok
        self.loss_args = {
            id(feed.prediction) for feed in loss_feeds(script) if feed.kind in loss_kinds
        }
        self.seen: set[tuple] = set()

    def model(self, cls: ClassInfo | None, sequential: cst.Call | None, depth: int) -> bool:
        key = ("model", id(cls), id(sequential))
        if key in self.seen:
            return True
        self.seen.add(key)
        if depth > MAX_DEPTH:
            return False
        sites = _calls_of_model(self.script, cls, sequential)
        return bool(sites) and all(self.value(site.node, site.function, depth) for site in sites)

    def value(self, node: cst.CSTNode, function: FunctionInfo, depth: int) -> bool:
        """The value computed by ``node`` is only read in ways that survive the change."""
        script = self.script
        if id(node) in self.loss_args:
            return True
        parent = _parent(script, node)
        if type(parent) is cst.Attribute and parent.value is node:
            grand = _parent(script, parent)
            attr = parent.attr.value
            if attr in SHAPE_QUERIES:
                return True
            if attr == "data":
                return self.value(parent, function, depth)
            if not (type(grand) is cst.Call and grand.func is parent):
                return False
            if attr in SHAPE_ONLY_METHODS:
                return self.value(grand, function, depth)
            if attr in INDEX_ONLY:
                return True
            if attr in INDEX_PAIRS:
                return _indices_only(script, grand)
            return self.softmax_ok and METHOD_OPS.get(attr) in (SOFTMAX, LOG_SOFTMAX)
        if type(parent) is cst.Arg:
            call = _parent(script, parent)
            if type(call) is not cst.Call:
                return False
            if not script.is_imported(call.func):
                target = parameter_for(script, call, parent)
                return target is not None and self.name(target[1], target[0], depth + 1)
            qualname = script.qualname(call.func) or ""
            last = qualname.rsplit(".", 1)[-1]
            if not (parent is call.args[0] and parent.keyword is None
                    or parent.keyword is not None and parent.keyword.value == "input"):
                return False
            if qualname.startswith("torch.") and last in INDEX_ONLY:
                return True
            if qualname.startswith("torch.") and last in INDEX_PAIRS:
                return _indices_only(script, call)
            return self.softmax_ok and FUNCTION_OPS.get(qualname) in (SOFTMAX, LOG_SOFTMAX)
        if type(parent) is cst.Return:
            if function.name == "forward" and function.cls is not None:
                return self.model(function.cls, None, depth + 1)
            return False
        if type(parent) is cst.Assign and len(parent.targets) == 1 and type(parent.targets[0].target) is cst.Name:
            return self.name(parent.targets[0].target.value, function, depth)
        return False

    def name(self, name: str, function: FunctionInfo, depth: int) -> bool:
        key = ("name", id(function), name)
        if key in self.seen:
            return True
        self.seen.add(key)
        if depth > MAX_DEPTH:
            return False
        return all(self.value(read, function, depth) for read in _names_read(function, name))


def _indices_only(script: Script, call: cst.Call) -> bool:
    """``_, pred = out.max(1)``, ``out.max(1)[1]``, ``out.max(1).indices``: only the indices."""
    parent = _parent(script, call)
    if type(parent) is cst.Attribute and parent.value is call:
        return parent.attr.value == "indices"
    if type(parent) is cst.Subscript and parent.value is call and len(parent.slice) == 1:
        index = parent.slice[0].slice
        return type(index) is cst.Index and type(index.value) is cst.Integer and index.value.value == "1"
    if type(parent) is cst.Assign and len(parent.targets) == 1:
        target = parent.targets[0].target
        if type(target) in (cst.Tuple, cst.List) and len(target.elements) == 2:
            first = target.elements[0].value
            return type(first) is cst.Name and first.value == "_"
    return False


# --- running totals --------------------------------------------------------------------------

NUMBER_FUNCTIONS = frozenset({"float", "int", "round", "str", "len", "sum", "min", "max", "abs", "print", "format"})


def used_only_as_number(script: Script, name: str, function: FunctionInfo) -> bool:
    """Every read of the running total ``name`` (``total_loss``, ``self.epoch_loss``, a list of
    losses) would work on floats as well as on tensors."""
    return _NumberReads(script).name(name, function, 0)


class _NumberReads:
    def __init__(self, script: Script) -> None:
        self.script = script
        self.seen: set[tuple] = set()

    def name(self, name: str, function: FunctionInfo, depth: int) -> bool:
        key = (name, id(function))
        if key in self.seen:
            return True
        self.seen.add(key)
        if depth > MAX_DEPTH:
            return False
        if "." in name:
            if not name.startswith("self.") or name.count(".") != 1:
                return False
            reads = _attribute_reads(self.script, name.split(".", 1)[1])
            # an attribute may be read by any method: judge each read where it is
            return all(self.value(node, _function_of(self.script, node), depth) for node in reads)
        return all(self.value(node, function, depth) for node in _names_read(function, name))

    def value(self, node: cst.CSTNode, function: FunctionInfo | None, depth: int) -> bool:
        script = self.script
        if function is None:
            return False
        parent = _parent(script, node)
        while isinstance(parent, cst.BinaryOperation | cst.UnaryOperation | cst.Comparison | cst.ComparisonTarget
                         | cst.BooleanOperation | cst.Element | cst.Tuple):
            node, parent = parent, _parent(script, parent)
        if type(parent) in (cst.FormattedStringExpression, cst.If, cst.While, cst.Expr):
            return True
        if type(parent) is cst.AssignTarget or type(parent) is cst.AugAssign and parent.target is node:
            return True
        if type(parent) is cst.AugAssign:  # `other += total`: follow `other`
            target = dotted(parent.target)
            return target is not None and self.name(target, function, depth + 1)
        if type(parent) is cst.Attribute and parent.value is node:
            # list bookkeeping is fine; any other attribute is a tensor method
            grand = _parent(script, parent)
            return parent.attr.value in ("append", "extend", "clear") and type(grand) is cst.Call
        if type(parent) is cst.Subscript and parent.value is node:
            return self.value(parent, function, depth)  # an element of a list of values
        if type(parent) is cst.Arg:
            call = _parent(script, parent)
            if type(call) is not cst.Call:
                return False
            func = call.func
            if type(func) is cst.Attribute and func.attr.value in ("append", "extend", "insert"):
                owner = dotted(func.value)  # a list that now holds floats: follow the list
                return owner is not None and self.name(owner, function, depth + 1)
            target = parameter_for(script, call, parent)
            if target is not None:
                return self.name(target[1], target[0], depth + 1)
            return self._number_call(call, function)
        if type(parent) is cst.Return:
            sites = script.call_sites_of(function) if not function.is_module else []
            return bool(sites) and all(self.value(site.node, site.function, depth + 1) for site in sites)
        if type(parent) is cst.Assign and len(parent.targets) == 1:
            target = dotted(parent.targets[0].target)
            if target is None:
                return False
            return self.name(target, function, depth + 1)
        return False

    def _number_call(self, call: cst.Call, function: FunctionInfo) -> bool:
        script = self.script
        func = call.func
        if type(func) is cst.Name and func.value in NUMBER_FUNCTIONS and not script.is_imported(func):
            return True
        qualname = script.qualname(func) if script.is_imported(func) else None
        if qualname is not None and qualname.split(".", 1)[0] == "torch":
            return False
        site = script.site_of(call)
        if site is None or script.callee(site) is not None:
            return False  # a function of this file: its parameter's reads are not followed
        return not (type(func) is cst.Attribute and func.attr.value in ("backward",))


def _attribute_reads(script: Script, attr: str) -> list[cst.CSTNode]:
    """Every ``<anything>.attr`` in the file that is not an assignment target."""
    out = []
    stack = [script.module]
    while stack:
        node = stack.pop()
        if type(node) is cst.Attribute and node.attr.value == attr:
            out.append(node)
        stack.extend(children(node))
    module_parents = parents(script)
    return [node for node in out if not isinstance(module_parents.get(id(node)), cst.AssignTarget)]


def _function_of(script: Script, node: cst.CSTNode) -> FunctionInfo | None:
    """The innermost function (or the module) whose body holds ``node``."""
    module_parents = parents(script)
    by_node = {id(function.node): function for function in script.functions}
    current = module_parents.get(id(node))
    while current is not None:
        if id(current) in by_node:
            return by_node[id(current)]
        current = module_parents.get(id(current))
    return script.functions[0]


# --- numbers -----------------------------------------------------------------------------------

# Builtins that return a number (``sum`` only of numbers, checked apart).
NUMBER_BUILTINS = frozenset({"float", "int", "round", "len"})
# Library functions that return a number (a NumPy scalar passes ``float()``).
NUMBER_LIBRARIES = ("math.", "statistics.")
NUMPY_REDUCTIONS = frozenset({"mean", "average", "median", "sum", "min", "max", "std", "var", "nanmean"})


def is_number(script: Script, expr: cst.BaseExpression, function: FunctionInfo, depth: int = 0) -> bool:
    """``expr`` certainly holds a Python (or NumPy) number: literals, ``.item()``, ``float()``,
    ``len()``, arithmetic of numbers, names whose every assignment (``+=`` included) is one, and
    functions of this file whose every return value is one."""
    if depth > MAX_DEPTH:
        return False
    if type(expr) in (cst.Integer, cst.Float):
        return True
    if type(expr) is cst.UnaryOperation:
        return is_number(script, expr.expression, function, depth)
    if type(expr) is cst.BinaryOperation:
        return is_number(script, expr.left, function, depth) and is_number(script, expr.right, function, depth)
    if type(expr) is cst.Call:
        return _number_call(script, expr, function, depth)
    if type(expr) in (cst.Name, cst.Attribute):
        name = dotted(expr)
        if name is None or not all(is_number(script, aug.value, aug.function, depth + 1)
                                   for aug in script.aug_assigns if aug.function is function and dotted(aug.target) == name):
            return False
        bounds = script.values(expr, function)
        if not bounds or any(bound.expr is expr for bound in bounds):
            return False  # a parameter without callers, a global of another module...
        return all(is_number(script, bound.expr, bound.function, depth + 1) for bound in bounds)
    return False


def _number_call(script: Script, call: cst.Call, function: FunctionInfo, depth: int) -> bool:
    func = call.func
    if type(func) is cst.Attribute and func.attr.value == "item" and not call.args:
        return True
    if type(func) is cst.Name and not script.is_imported(func) and script.visible_function(func.value, function) is None:
        if func.value in NUMBER_BUILTINS:
            return True
        if func.value == "sum" and len(call.args) == 1 and type(call.args[0].value) in (cst.GeneratorExp, cst.ListComp):
            return is_number(script, call.args[0].value.elt, function, depth + 1)
        return False
    if script.is_imported(func):
        qualname = script.qualname(func) or ""
        return qualname.startswith(NUMBER_LIBRARIES) or (
            qualname.startswith("numpy.") and qualname.rsplit(".", 1)[-1] in NUMPY_REDUCTIONS)
    bounds = script.values(call, function)  # a function of this file: what it returns
    if any(bound.expr is call for bound in bounds):
        return False
    return all(is_number(script, bound.expr, bound.function, depth + 1) for bound in bounds)


def local_class_of(script: Script, expr: cst.BaseExpression, function: FunctionInfo) -> ClassInfo | None:
    """The class of this file every value of ``expr`` is an instance of (``AverageMeter()``)."""
    found = set()
    for bound in script.values(expr, function):
        call = bound.expr
        if type(call) is not cst.Call or script.is_imported(call.func):
            return None
        cls = script.classes.get(script.qualname(call.func) or "")
        if cls is None:
            return None
        found.add(id(cls))
        last = cls
    return last if len(found) == 1 else None


def result_reaches_backward(script: Script, function: FunctionInfo) -> bool:
    """A caller in this file backpropagates what ``function`` returns (or yields):
    ``val = validate(); val.backward()``, ``(loss + validate()).backward()``,
    ``for out in predict(): out.sum().backward()``."""
    for site in script.call_sites_of(function):
        caller = site.function
        if any(is_backward(script, other.node) and contains(other.node, site.node) for other in caller.calls):
            return True
        if _names_given(site) & names_feeding_backward(script, caller):
            return True
    return False


def _names_given(site: CallSite) -> set[str]:
    """The names the statement of a call assigns from it (assignment targets, a loop's target)."""
    statement = site.statement
    targets: list[cst.BaseExpression] = []
    if type(statement) is cst.For and contains(statement.iter, site.node):
        targets = [statement.target]
    elif type(statement) is cst.SimpleStatementLine:
        for small in statement.body:
            if type(small) is cst.Assign and contains(small.value, site.node):
                targets += [target.target for target in small.targets]
            elif type(small) in (cst.AugAssign, cst.AnnAssign) and small.value is not None and contains(small.value, site.node):
                targets.append(small.target)
    return {name for target in targets for name in target_names(target)}


def always_of_kind(script: Script, expr: cst.BaseExpression, function: FunctionInfo, kind: ObjKind) -> bool:
    """Every value ``expr`` may hold is an object of ``kind`` built by a known constructor (so a
    fix may call the methods every such object has); False when one binding is not understood."""
    bounds = script.values(expr, function)
    return bool(bounds) and all(
        (obj := script.classify(bound)) is not None and obj.kind is kind for bound in bounds
    )


def is_scalar_loss(script: Script, call: cst.Call | None, function: FunctionInfo) -> bool:
    """The loss call does not ask for ``reduction='none'`` (per-element losses: no ``.item()``)."""
    if call is None:
        return True
    candidates = [call]
    if type(call.func) is cst.Call:
        candidates.append(call.func)
    elif type(call.func) in (cst.Name, cst.Attribute) and not script.is_imported(call.func):
        candidates += [bound.expr for bound in script.values(call.func, function) if type(bound.expr) is cst.Call]
    for candidate in candidates:
        reduction = call_arg(candidate, None, "reduction")
        if reduction is not None and not (type(reduction) is cst.SimpleString and reduction.evaluated_value in ("mean", "sum")):
            return False
    return True
