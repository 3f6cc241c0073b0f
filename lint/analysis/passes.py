"""Single passes of an evaluation: the ones whose graph costs nothing worth a word, and the
ones that cost one training step.

Part of the shared analysis (FIT202 asks). An evaluation region whose forward passes run once
is a *glimpse* (one batch drawn with ``next()``, a loop that breaks on its first pass, one item
made a batch of one, a slice to print a few predictions, or what a caller hands a predict helper)
or a *whole* pass (one pass over a whole split, at the top level after full-batch training or in
a loop-free function called once: pygcn's ``test()``).
"""

from __future__ import annotations

import libcst as cst

from fitlint.analysis.data import split_from_name
from fitlint.analysis.regions import EvalRegion, Forward, regions
from fitlint.analysis.script import FunctionInfo, Script, call_arg, dotted, literal, names_in
from fitlint.analysis.splits import drawn_by_next
from fitlint.words import words as split_words

# the words of a function's name that say it measures a held-out split (not `predict`, which a
# caller may train on or run on one input)
TEST_WORDS = frozenset({"test", "eval", "evaluate", "evaluation", "validate", "validation", "valid", "val"})


def single_pass(script: Script, region: EvalRegion) -> str | None:
    """A single pass: 'glimpse' for one batch drawn with ``next()`` (``x, _ = next(iter(val_loader))``
    to picture predictions each epoch), one item made a batch of one (``model(test_images[i].
    unsqueeze(0))`` in a ``make_predictions(i)`` helper), a slice (``cnn(test_x[:10])``), or the one
    input each caller hands a predict helper (``predict_sentiment(model, review)``); 'whole' for one
    pass over a whole split whose graph costs no more than a training step: inline at the top level
    of the script (``y_pred = model(X_test)`` after full-batch training), or a loop-free function
    called once (pygcn's ``test()``); None for anything else."""
    if all(forward.site.loop is not None and _first_pass_only(forward.site.loop) for forward in region.forwards):
        return "glimpse"  # `for data, label in test_loader: ...; break`: one batch, to plot its embedding
    if region.loop is not None or any(forward.site.loop is not None for forward in region.forwards):
        return None
    if all(drawn_by_next(script, call_arg(forward.site.node, 0, None), forward.site.function)
           or _one_item(_bound_once(call_arg(forward.site.node, 0, None), forward.site.function))
           for forward in region.forwards):
        return "glimpse"
    if (not region.function.is_module and not set(split_words(region.function.name)) & TEST_WORDS
            and all(_part_or_handed(script, forward) for forward in region.forwards)
            and _handed_no_split(script, region.function)):
        return "glimpse"  # `predict_sentiment(model, review)`: one input a caller hands, each call
    # one pass over a whole split costs more than a training step when training runs in batches
    # (`y_pred = model(X_test)` after mini-batch training holds every test activation at once)
    if (region.statement is not None and region.function.is_module
            or _called_once(script, region.function)) and not regions(script).whole_pass_beside_batches(region):
        # pygcn's `test()`: one pass over the whole graph, called once after full-batch training;
        # `cnn(test_x[:10])` to print ten predictions, or a review a caller hands `predict(net,
        # review)`, is a glimpse
        if any(_part_or_handed(script, forward) for forward in region.forwards):
            return "glimpse"
        return "whole"
    return None


def _handed_no_split(script: Script, function: FunctionInfo) -> bool:
    """Every call of the function in view hands it nothing named for a split (``predict_sentiment(
    model, review)`` with ``review = input(...)``, not ``predict(model, teX)``)."""
    sites = script.call_sites_of(function)
    return bool(sites) and not any(
        split_from_name(dotted(arg.value)) is not None for site in sites for arg in site.node.args)


def _part_or_handed(script: Script, forward: Forward) -> bool:
    """The pass runs on a slice of some data, or on what the function's caller hands it (its
    parameters, or names bound from them in the function), not on the fields of a data object
    (``model(data.x, data.edge_index)``: a whole graph)."""
    function = forward.site.function
    args = [arg.value for arg in forward.site.node.args if not arg.star]
    if any(type(arg) is cst.Subscript and any(type(element.slice) is cst.Slice for element in arg.slice) for arg in args):
        return True
    if function.is_module or args and all(type(arg) is cst.Attribute for arg in args):
        return False  # `model(data.x, data.edge_index)`: the fields of a whole graph
    if any(site.method == "backward" for site in script.calls_reached(function.calls, depth=1)):
        return False  # `def train(args)`: a function that trains on the data it loads is no predict helper
    names = {name for arg in args for name in names_in(arg)}
    frontier = set(names)
    for _ in range(6):  # `feature_tensor` <- `features` <- `test_ints` <- the `test_review` handed in
        frontier = {inner for name in frontier for assignment in function.bindings.get(name, ())
                    if assignment.value is not None for inner in names_in(assignment.value)} - names
        names |= frontier
    model = (forward.site.name or "").split(".", 1)[0]
    return bool(names & (set(function.params) - {model, "self"}))


def _called_once(script: Script, function: FunctionInfo) -> bool:
    """A loop-free function whose calls all run once: at the top level of the script, or in a
    function (``main()``) that is itself called only outside loops, none of them in a loop."""
    callers = script.call_sites_of(function) if not function.is_module else []
    return bool(callers) and all(
        caller.loop is None and (caller.function.is_module or all(
            outer.loop is None and outer.function.is_module for outer in script.call_sites_of(caller.function)))
        for caller in callers)


def _first_pass_only(loop) -> bool:
    """The loop runs a pass or two: its body ends its first pass unconditionally (a ``break`` among
    its own statements), or breaks once a counter reaches a small number (``if iteration == 1:
    break``, a demo of one batch)."""
    for statement in getattr(loop.node.body, "body", ()):
        if type(statement) is cst.SimpleStatementLine and any(type(small) is cst.Break for small in statement.body):
            return True
        if type(statement) is cst.If and statement.orelse is None and _only_breaks(statement.body) and _small_count(statement.test):
            return True
    return False


def _only_breaks(body: cst.BaseSuite) -> bool:
    statements = list(getattr(body, "body", ()))
    return len(statements) == 1 and type(statements[0]) is cst.SimpleStatementLine and all(
        type(small) is cst.Break for small in statements[0].body)


def _small_count(test: cst.BaseExpression) -> bool:
    """``i == 1``, ``step >= 2``, ``batch_idx > 0``: a counter against a small number."""
    if type(test) is not cst.Comparison or len(test.comparisons) != 1:
        return False
    target = test.comparisons[0]
    value = literal(target.comparator)
    return (type(target.operator) in (cst.Equal, cst.GreaterThan, cst.GreaterThanEqual) and type(test.left) is cst.Name
            and type(value) is int and 0 <= value <= 3)


def _bound_once(expr: cst.BaseExpression | None, function) -> cst.BaseExpression | None:
    """What a name assigned once in the function holds (``x = torch.tensor(ids).unsqueeze(0)``),
    device moves of itself aside (``if cuda: x = x.cuda()``)."""
    if type(expr) is cst.Name:
        bindings = [binding for binding in function.bindings.get(expr.value, []) if not (
            type(binding.value) is cst.Call and type(binding.value.func) is cst.Attribute
            and binding.value.func.attr.value in ("cuda", "to", "cpu") and dotted(binding.value.func.value) == expr.value)]
        if len(bindings) == 1 and not bindings[0].unpacked:
            return bindings[0].value
    return expr


def _one_item(expr: cst.BaseExpression | None) -> bool:
    """``x.unsqueeze(0)``, ``images[i].unsqueeze(dim=1)``, ``x[None]``: one item given a batch axis
    (also moved or cast afterwards: ``trial.unsqueeze(0).float()``)."""
    while (type(expr) is cst.Call and type(expr.func) is cst.Attribute
           and expr.func.attr.value in ("float", "double", "half", "to", "cuda", "cpu")):
        expr = expr.func.value
    if type(expr) is cst.Call and type(expr.func) is cst.Attribute and expr.func.attr.value == "unsqueeze":
        picked = expr.func.value
        return literal(call_arg(expr, 0, "dim")) == 0 or (
            type(picked) is cst.Subscript and len(picked.slice) == 1 and type(picked.slice[0].slice) is cst.Index)
    if type(expr) is cst.Subscript and len(expr.slice) >= 1 and type(expr.slice[0].slice) is cst.Index:
        return literal(expr.slice[0].slice.value) is None and type(expr.slice[0].slice.value) is cst.Name
    return False
