"""Which parameters are frozen where: the freezes (``requires_grad = False`` on every parameter
of a module, ``module.requires_grad_(False)``, a helper of the file that does either to what it
is handed), the layers assigned into a module and the optimizer constructions of a function, in
source order, and whether anything in the file unfreezes. FIT503 asks whether an optimizer
receives only frozen parameters, or a layer replaced after it was built.

A helper that freezes by a flag (``def set_trainable(m, flag): for p in m.parameters():
p.requires_grad = flag``) freezes what a call hands it with a literal ``False``, and unfreezes
nothing unless some call passes another value; a helper that only reads the module it is handed
(``count_trainable(model)``) changes none of its layers.
"""

from __future__ import annotations

import re

from dataclasses import dataclass

import libcst as cst

from fitlint.analysis.optimization import optimizers
from fitlint.analysis.script import (
    CallSite, FunctionInfo, Script, call_arg, code_of, dotted, leaves_early, literal, memoized, tuple_element,
)

# Calls that leave the receiver the same module (or wrap it): not a new head.
_PASSTHROUGH = frozenset({"to", "cuda", "cpu", "float", "half", "double", "train", "eval"})
_WRAPPERS = frozenset({"DataParallel", "DistributedDataParallel", "compile"})
# Methods that add or rebuild a sub-module: what they add is trainable.
_ADDS_MODULES = frozenset({"add_module", "register_module", "reset_classifier", "reset_head"})
_HARMLESS_BUILTINS = frozenset({"print", "len", "isinstance", "type", "id", "repr", "str", "hasattr", "getattr"})


@dataclass(frozen=True)
class FreezeEvent:
    kind: str  # 'freeze', 'assign' (anything bound at the path), 'replace' (a new layer), 'optimizer'
    path: str
    index: int
    node: cst.CSTNode
    flag: str | None = None  # a helper's freeze by its parameter of that name (False at the call: a freeze)


def within(path: str, outer: str) -> bool:
    """``model.fc`` is within ``model``; ``model.classifier[6]`` within ``model.classifier``."""
    return path == outer or (path.startswith(outer) and path[len(outer)] in ".[")


def unfreezes_anywhere(script: Script) -> bool:
    """Any ``requires_grad = True`` (or a value that is not a literal False) in the file: the
    freeze may be undone somewhere the analysis does not follow."""
    for assignment in script.assigns:
        if (assignment.target.endswith(".requires_grad") and literal(assignment.value) is not False
                and not _never_called(script, assignment.function)
                and not _always_given_false(script, assignment.function, assignment.value)):
            return True
    for site in script.calls_by_method.get("requires_grad_", []):
        value = call_arg(site.node, 0, "requires_grad")
        if ((value is None or literal(value) is not False) and not _never_called(script, site.function)
                and not _always_given_false(script, site.function, value)):
            return True
    return False


def _always_given_false(script: Script, function: FunctionInfo, value: cst.BaseExpression | None) -> bool:
    """``value`` is a parameter of ``function`` (``p.requires_grad = flag`` in ``set_trainable(m,
    flag)``) that every call of the function passes as a literal ``False``."""
    if type(value) is not cst.Name or value.value not in function.params or function.bindings.get(value.value):
        return False
    sites = script.call_sites_of(function)
    return bool(sites) and all(_flag_given(function, site, value.value) is False for site in sites)


def _flag_given(function: FunctionInfo, site: CallSite, flag: str) -> object:
    passed = function.argument(site, flag)
    return literal(passed if passed is not None else function.param_default(flag))


def _never_called(script: Script, function: FunctionInfo) -> bool:
    """A function of the file (not a method) that no code of the file calls: an `unfreeze(module)`
    helper kept for later runs undoes nothing here."""
    return not function.is_module and function.cls is None and function.parent is not None \
        and function.parent.is_module and not script.call_sites_of(function)


@memoized
def freeze_events(script: Script, function: FunctionInfo, nested: bool = False) -> list[FreezeEvent]:
    """Freezes, new sub-modules and optimizer constructions of one function, in source order:
    read off the loops, calls and assignments the analysis recorded with their order.
    ``nested``: a helper's own freezes only (no helpers of helpers)."""
    found: list[tuple[int, str, str, cst.CSTNode]] = []
    optimizer_calls = {id(obj.call) for obj in optimizers(script) if obj.function is function}
    for loop in function.loops:
        if type(loop.node) is cst.For:
            path, param = _parameters_receiver(loop.node.iter), _param_target(loop.node.target)
            value = _freeze_value(loop.node.body, param) if path is not None and param is not None else None
            if value is False:
                found.append((loop.order, "freeze", path, loop.node))
            elif nested and value in function.params and not function.bindings.get(value):
                found.append((loop.order, "freeze:" + value, path, loop.node))
    for site in function.calls:
        found += [(site.order, kind, path, site.node) for kind, path in _callfreeze_events(script, site, optimizer_calls, nested)]
    for assignment in script.assigns:
        if assignment.function is function:
            found += [(assignment.order, kind, path, assignment.statement)
                      for kind, path in _assign_events(assignment.target, assignment.value, assignment.unpacked)]
            if not nested and _built_frozen(script, assignment):
                found.append((assignment.order, "freeze", assignment.target, assignment.statement))
    for item in script.item_assigns:
        if item.function is function:
            found += [(item.order, kind, path, item.statement) for kind, path in _assign_events(code_of(item.target), item.value)]
    found.sort(key=lambda event: event[0])
    return [FreezeEvent(kind.split(":")[0], path, index, node, kind.partition(":")[2] or None)
            for index, (_, kind, path, node) in enumerate(found)]


def _built_frozen(script: Script, assignment) -> bool:
    """``model_ft, size = initialize_model(...)``: a builder of the file that freezes the model it
    returns (directly or through its own freeze helper), with no layer assigned into it after the
    freeze (the tutorial's ``initialize_model`` calling ``set_parameter_requires_grad`` after the
    new head: the head is frozen too)."""
    element = assignment.element()
    # `model = build_model(...).to(device)`: the builder's model, moved
    call = element[0] if element is not None else _strip_passthrough(assignment.value)
    builder = script.local_factory(call, assignment.function) if type(call) is cst.Call else None
    if builder is None or builder is assignment.function or not builder.returns:
        return False
    events = freeze_events(script, builder)
    for returned in builder.returns:
        value = tuple_element(returned, element[1] if element is not None else None)
        path = dotted(value) if type(value) is cst.Name else None
        freeze = next((event for event in reversed(events) if event.kind == "freeze" and event.path == path), None)
        if freeze is None or any(event.kind == "assign" and event.index > freeze.index and within(event.path, path)
                                 for event in events):
            return False
    return True


@memoized
def _frozen_params(script: Script, function: FunctionInfo) -> tuple[tuple[str, str | None], ...]:
    """The parameters of a local helper whose parameters it freezes (``def freeze(m): ...``), each
    with the parameter that says whether it does (``set_trainable(m, flag)``), or None."""
    return tuple((event.path, event.flag) for event in freeze_events(script, function, True)
                 if event.kind == "freeze" and event.path in function.params)


def _callfreeze_events(script: Script, site: CallSite, optimizer_calls: set[int], nested: bool) -> list[tuple[str, str]]:
    node = site.node
    if id(node) in optimizer_calls:
        return [("optimizer", "")]
    func = node.func
    if type(func) is cst.Attribute:
        method = func.attr.value
        flag = call_arg(node, 0, "requires_grad")
        if method == "requires_grad_" and literal(flag) is False:
            return [("freeze", code_of(_strip_passthrough(func.value)))]
        if (method == "requires_grad_" and nested and type(flag) is cst.Name and flag.value in site.function.params
                and not site.function.bindings.get(flag.value)):
            return [("freeze:" + flag.value, code_of(_strip_passthrough(func.value)))]
        if method in _ADDS_MODULES:
            return [("assign", code_of(_strip_passthrough(func.value)) + ".?")]
        return _passed_along(script, site)
    if type(func) is cst.Name and func.value == "setattr" and node.args:
        return [("assign", code_of(node.args[0].value) + ".?")]
    return (None if nested else _helper_freezes(script, site)) or _passed_along(script, site)


def _helper_freezes(script: Script, site: CallSite) -> list[tuple[str, str]]:
    """``freeze(model)`` where the local ``freeze`` freezes its parameter."""
    callee = script.callee(site)
    if callee is None or callee is site.function or type(callee.node) is not cst.FunctionDef:
        return []
    out = []
    for param, flag in _frozen_params(script, callee):
        argument = callee.argument(site, param)
        if argument is not None and (flag is None or _flag_given(callee, site, flag) is False):
            out.append(("freeze", code_of(_strip_passthrough(argument))))
    return out


def _passed_along(script: Script, site: CallSite) -> list[tuple[str, str]]:
    """A module handed to another function (``get_peft_model(model, cfg)``,
    ``mark_only_lora_as_trainable(model)``) may come back with new or unfrozen layers; not one
    handed to a helper of the file that only reads it (``count_trainable(model)``)."""
    node = site.node
    if type(node.func) is cst.Name and node.func.value in _HARMLESS_BUILTINS:
        return []
    callee = script.callee(site)
    out = []
    for arg in node.args:
        name = dotted(arg.value)
        if name is not None and (name.count(".") == 0 or (name.startswith("self.") and name.count(".") == 1)):
            if not _only_read(script, callee, site, arg.value):
                out.append(("assign", name + ".?"))
    return out


def _only_read(script: Script, callee: FunctionInfo | None, site: CallSite, argument: cst.BaseExpression) -> bool:
    """``callee``, a plain function of the file, receives ``argument`` for a parameter that it
    neither assigns into, freezes nor hands on (its own events name nothing within it)."""
    if callee is None or callee is site.function or callee.cls is not None or type(callee.node) is not cst.FunctionDef:
        return False
    param = next((name for name in callee.params if callee.argument(site, name) is argument), None)
    if param is None or callee.bindings.get(param):
        return False
    return not any(within(event.path.removesuffix(".?"), param) for event in freeze_events(script, callee, True))


def _assign_events(path: str, value: cst.BaseExpression, unpacked: bool = False) -> list[tuple[str, str]]:
    if path.endswith((".requires_grad", ".grad")):
        return []
    if unpacked:
        return [("assign", path)]  # `model, head = build()`
    stripped = _strip_passthrough(value)
    # equal code parses to the same kind of node, so only a plain name or attribute can match
    # (spaces dropped: `nn.DataParallel(self. model)` wraps `self.model`)
    if type(stripped) in (cst.Name, cst.Attribute, cst.Subscript) and _spaceless(stripped) == path:
        return []  # model = model.to(device), model = nn.DataParallel(model)
    out = [("assign", path)]
    if "." in path or "[" in path:
        # `nn.Linear(model.fc.in_features, n)` reads a size off the old layer: still a new layer;
        # `nn.Sequential(nn.Dropout(0.5), model.fc)` wraps the old one
        if type(value) is cst.Call and path not in re.sub(re.escape(path) + r"\.\w+", "", _spaceless(value)):
            out.append(("replace", path))
    return out


def _spaceless(expr: cst.BaseExpression) -> str:
    return "".join(code_of(expr).split())


def _strip_passthrough(expr: cst.BaseExpression) -> cst.BaseExpression:
    while type(expr) is cst.Call:
        func = expr.func
        if type(func) is cst.Attribute and func.attr.value in _PASSTHROUGH:
            expr = func.value
        elif expr.args and (code_of(func).rsplit(".", 1)[-1] in _WRAPPERS):
            expr = expr.args[0].value
        else:
            break
    return expr


def _parameters_receiver(expr: cst.BaseExpression) -> str | None:
    if type(expr) is cst.Call and type(expr.func) is cst.Attribute and not expr.args:
        if expr.func.attr.value in ("parameters", "named_parameters"):
            return code_of(_strip_passthrough(expr.func.value))
    return None


def _param_target(target: cst.BaseExpression) -> str | None:
    if type(target) is cst.Name:
        return target.value
    if type(target) is cst.Tuple and len(target.elements) == 2 and type(target.elements[1].value) is cst.Name:
        return target.elements[1].value.value
    return None


def _freeze_value(body: cst.BaseSuite, param: str) -> object:
    """The loop body sets ``param.requires_grad = False`` (or ``requires_grad_(False)``) as one of
    its own statements, not under an ``if``, and the loop walks every parameter: no ``break``
    (``if count == args.freeze_layers: break`` freezes the first layers only) or ``continue``: then
    False, or the name it is set to (``p.requires_grad = flag``); else None."""
    if type(body) is not cst.IndentedBlock:
        statements = [body]
    else:
        statements = list(body.body)
    if any(leaves_early(statement, True) for statement in statements):
        return None
    for statement in statements:
        if type(statement) not in (cst.SimpleStatementLine, cst.SimpleStatementSuite):
            continue
        for small in statement.body:
            if type(small) is cst.Assign and (literal(small.value) is False or type(small.value) is cst.Name):
                for target in small.targets:
                    if code_of(target.target) == f"{param}.requires_grad":
                        return False if literal(small.value) is False else small.value.value
            if type(small) is cst.Expr and type(small.value) is cst.Call:
                call = small.value
                value = call_arg(call, 0, "requires_grad")
                if code_of(call.func) == f"{param}.requires_grad_" and (literal(value) is False or type(value) is cst.Name):
                    return False if literal(value) is False else value.value
    return None
