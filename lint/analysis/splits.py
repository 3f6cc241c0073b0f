"""Shared facts about how a script reorders and splits its data.

Two questions several rules ask (FIT102 split-without-shuffle, FIT103 labels shuffled separately):

- Was this array, tensor, dataset or index list put in random order before this point, and by
  which permutation? ``reorders(script)`` lists every reordering event (``np.random.shuffle(X)``,
  ``perm = torch.randperm(n)``, ``X = X[perm]``, ``X, y = shuffle(X, y)``, ``df.sample(frac=1)``)
  with a ``permutation`` key: two events with the same key apply the same random order.
  ``permuted_before(script, expr, function, order)`` answers "is this data already shuffled here".
- Which slices of a whole dataset does the script cut, and which part is which?
  ``cuts(script)`` lists the module- or function-level head / tail / middle cuts (``x[:n]``,
  ``x[n:]``, ``Subset(ds, range(n))``, ``Subset(ds, indices[:n])``), never slices inside a loop
  (batches, BPTT windows, folds).

Plus the heuristics for data kept in order on purpose: time series and text streams.
Everything is computed from the shared analysis (``fitlint.analysis.script``) and cached per script.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import libcst as cst

from fitlint.analysis import catalog
from fitlint.analysis.data import split_from_name
from fitlint.words import words
from fitlint.analysis.script import (
    Assignment, Bound, CallSite, FunctionInfo, LoopInfo, Script, assigned_names, call_arg, code_of, contains, dotted,
    element_index, literal, memoized, subscripted_root,
    references, target_names, tuple_element, unpacked_from, walk,
)
from fitlint.findings import Split

MAX_DEPTH = 4

# Calls that return data or indices in random order (the returned value is the permuted one).
_RANDOM_ORDER_RETURNS = frozenset({"randperm", "permutation", "permuted", "shuffle", "sample"})
# Calls that shuffle their first argument in place.
_IN_PLACE_SHUFFLERS = frozenset({"numpy.random.shuffle", "random.shuffle", "np.random.shuffle"})
# torchvision datasets whose stored order is sorted by class (one folder per class).
_FOLDER_DATASETS = frozenset({"ImageFolder", "DatasetFolder"})

_TIME_WORDS = frozenset({
    "series", "timeseries", "ts", "seq", "seqs", "sequence", "sequences", "prices", "price", "stock",
    "stocks", "signal", "signals", "temporal", "forecast", "lookback", "horizon",
})
_STREAM_WORDS = frozenset({"corpus", "tokens", "token", "stream", "chars", "bptt"})
# searched in the lower-cased source; a file without one of the _TIME_HINTS cannot match
_TIME_FILE = re.compile(
    r"forecast|time[ _-]?series|timeseries|\bstock|lookback|look_back|sliding_window|to_datetime|"
    r"parse_dates|\[\s*['\"](?:date|time|timestamp|datetime)['\"]\s*\]|\bbptt\b|batchify|def get_batch\("
)
_RECURRENT = re.compile(r"\bnn\.(lstm|gru|rnn)\(")
# a loop over the start of each window of a series: `for i in range(len(data) - seq_len):`
_SLIDING_WINDOWS = re.compile(r"\bfor \w+ in range\(len\([\w.\[\]]+\)\s*-\s*[\w.]+\s*(?:-\s*[\w.]+\s*)?\)")
_REGRESSION_LOSS = re.compile(r"\b(mseloss|l1loss|smoothl1loss|huberloss|mse_loss|l1_loss|smooth_l1_loss)\(")
_TIME_HINTS = ("forecast", "time", "stock", "look", "sliding_window", "date", "bptt", "batchify", "get_batch(")
# Methods that return a file's text: data encoded from it is one text stream, unless it is cut
# into records (lines) first.
_TEXT_READS = frozenset({"read", "read_text"})
_RECORD_SPLITS = frozenset({"split", "splitlines", "readlines", "readline"})


def words_of(name: str | None) -> set[str]:
    """``X_train_ts`` -> {x, train, ts} (``fitlint.words``, digits dropped)."""
    return set(words(name, digits=False))


# rows kept in order ---------------------------------------------------------------------------
# Functions whose result has their first argument's rows in its order.
ROW_PRESERVING_FUNCTIONS = frozenset({
    "torch.tensor", "torch.as_tensor", "torch.from_numpy", "torch.Tensor", "torch.FloatTensor",
    "torch.LongTensor", "torch.DoubleTensor", "torch.IntTensor", "torch.BoolTensor",
    "numpy.asarray", "numpy.array", "numpy.ascontiguousarray", "numpy.float32", "numpy.float64",
    "np.asarray", "np.array", "np.ascontiguousarray", "np.float32", "np.float64", "list", "tuple",
    "pandas.DataFrame", "pandas.Series",
    "torch.autograd.Variable",
})
_SCALAR_OPERATORS = (cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.FloorDivide, cst.Power, cst.Modulo)
# Tensor methods that are arithmetic: with a number (``x.div(255)``, ``x.sub_(0.5)``) the rows stay.
_SCALAR_METHODS = frozenset({"div", "div_", "mul", "mul_", "sub", "sub_", "add", "add_", "true_divide", "pow"})


def rows_of(script: Script, expr: cst.BaseExpression) -> cst.BaseExpression:
    """The expression whose rows ``expr`` holds in the same order: ``X`` for
    ``torch.tensor(X[perm].astype(np.float32) / 16.0).to(device)``. Row-preserving steps are
    casts, moves and copies, conversions between arrays and tensors, and arithmetic with a number;
    anything else (an index, a slice, a reduction, arithmetic with another array) is where the
    rows come from and is returned."""
    for _ in range(16):
        inner = _row_preserving_operand(script, expr)
        if inner is None:
            return expr
        expr = inner
    return expr


def _row_preserving_operand(script: Script, expr: cst.BaseExpression) -> cst.BaseExpression | None:
    if type(expr) is cst.Call:
        func = expr.func
        if type(func) is cst.Attribute and not script.is_imported(func) and func.attr.value in catalog.ROW_PRESERVING_METHODS:
            return func.value
        if (type(func) is cst.Attribute and not script.is_imported(func) and func.attr.value in _SCALAR_METHODS
                and len(expr.args) == 1 and _is_number(expr.args[0].value)):
            return func.value
        if script.qualname(func) in ROW_PRESERVING_FUNCTIONS and expr.args and expr.args[0].keyword is None:
            return expr.args[0].value
        return None
    if type(expr) is cst.BinaryOperation and isinstance(expr.operator, _SCALAR_OPERATORS):
        if _is_number(expr.right):
            return expr.left
        if _is_number(expr.left):
            return expr.right
    if type(expr) is cst.ListComp and expr.for_in.inner_for_in is None and expr.for_in.ifs == ():
        return expr.for_in.iter  # `[i[0] for i in training_data]`: one element per row, in order
    return None


def drawn_by_next(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo) -> bool:
    """Every value ``expr`` may hold is (part of) one item taken with ``next(...)``: ``x, _ =
    next(iter(val_loader))``, ``_, (x, y) = next(enumerate(loader))``, a slice or cast of it
    (``x[:8].to(device)``). One batch, not a pass over the data it was drawn from."""
    if expr is None:
        return False
    values = script.values(_sample_root(script, expr), function)
    return bool(values) and all(_is_next_call(script, unpacked_from(_sample_root(script, bound.expr)))
                                for bound in values)


def _sample_root(script: Script, expr: cst.BaseExpression) -> cst.BaseExpression:
    """What a sample of rows is taken from: ``x`` for ``x[:8].float()`` (slices and row-preserving
    steps peeled; a literal index such as ``batch[0]`` is kept, ``unpacked_from`` reads it)."""
    for _ in range(16):
        expr = rows_of(script, expr)
        if type(expr) is cst.Subscript and len(expr.slice) == 1 and type(expr.slice[0].slice) is cst.Slice:
            expr = expr.value
            continue
        return expr
    return expr


def _is_next_call(script: Script, expr: cst.BaseExpression) -> bool:
    return (type(expr) is cst.Call and type(expr.func) is cst.Name and expr.func.value == "next"
            and not script.is_imported(expr.func))


def _is_number(expr: cst.BaseExpression) -> bool:
    value = literal(expr)
    return isinstance(value, int | float) and not isinstance(value, bool)


# reorderings ---------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Reorder:
    """Data put in random order. ``targets``: the names that hold the reordered data afterwards
    (for ``how == 'permutation'``, names that hold a random index order itself). ``permutation``:
    a key for the random order applied; equal keys mean the same order (``X[perm]``, ``y[perm]``)."""

    targets: tuple[str, ...]
    permutation: str
    how: str  # 'in-place' | 'returned' | 'indexed' | 'permutation'
    node: cst.CSTNode
    function: FunctionInfo
    order: int


def reorders(script: Script) -> list[Reorder]:
    return _reorders(script)


@memoized
def _reorders(script: Script) -> list[Reorder]:
    out: list[Reorder] = []
    for site in script.calls:
        event = _call_reorder(script, site)
        if event is not None:
            out.append(event)
    if "shuffle" in script.source or "permutation" in script.source or "randperm" in script.source:
        out += _each_array_reorders(script, out)
    out += _comprehension_reorders(script)
    by_target: dict[tuple[int, str], list[Reorder]] = {}
    for event in sorted(out, key=lambda event: event.order):
        for target in event.targets:
            by_target.setdefault((id(event.function), target), []).append(event)
    for assignment in script.assigns:
        # `X = data[perm].astype(np.float32) / 16.0` applies `perm` to X as much as `data[perm]`
        value = rows_of(script, assignment.value)
        if type(value) is not cst.Subscript:
            continue
        index = _single_index(value)
        if index is None or type(index) is cst.Slice:
            continue
        key = _permutation_key(script, index, assignment.function, by_target, assignment.order)
        if key is not None:
            out.append(Reorder((assignment.target,), key, "indexed", value, assignment.function, assignment.order))
    out.sort(key=lambda event: event.order)
    return out


def method_of(call: cst.Call) -> str:
    """The called attribute or name, also on call chains (``pd.read_csv(f).sample`` -> ``sample``)."""
    func = call.func
    if type(func) is cst.Attribute:
        return func.attr.value
    return func.value if type(func) is cst.Name else ""


def _call_reorder(script: Script, site: CallSite) -> Reorder | None:
    qualname = script.qualname(site.node.func) or ""
    method = method_of(site.node)
    key = f"call@{id(site.node)}"
    if qualname in _IN_PLACE_SHUFFLERS or (method == "shuffle" and _is_statement_call(site)):
        target = dotted(call_arg(site.node, 0, None))
        if target is None:
            return None
        return Reorder((target,), key, "in-place", site.node, site.function, site.order)
    if not _returns_random_order(script, site):
        return _helper_reorder(script, site)
    comprehension = script.innermost_comprehension(site.node)
    if (type(comprehension) is cst.ListComp and type(comprehension.for_in.target) is cst.Name
            and _comprehension_draw(script, comprehension.elt, comprehension.for_in.target.value) is site):
        return None  # one draw per element of a list comprehension (see _comprehension_reorders)
    targets = _assigned_targets(site)
    if not targets:
        return None
    inputs = {dotted(arg.value) for arg in site.node.args}
    how = "returned" if inputs & set(targets) or method in ("shuffle", "sample") else "permutation"
    return Reorder(tuple(targets), key, how, site.node, site.function, site.order)


def _helper_reorder(script: Script, site: CallSite) -> Reorder | None:
    """``X = shuffle_rows(X)`` with a helper of the file that returns its data indexed by a
    permutation it draws (``return a[np.random.permutation(len(a))]``): each call puts its
    argument in a new random order. A helper that seeds its generator is left out (each call would
    give the same order: one order, whatever it is applied to)."""
    if "randperm" not in script.source and "permutation" not in script.source:
        return None
    callee = script.callee(site)
    if callee is None or callee.cls is not None or len(callee.returns) != 1 or not callee.params:
        return None
    returned = rows_of(script, callee.returns[0])
    if type(returned) is not cst.Subscript or dotted(returned.value) != callee.params[0]:
        return None
    index = _single_index(returned)
    draw = index.value if type(index) is cst.Index else None
    if type(draw) is cst.Name:
        bindings = callee.bindings.get(draw.value, [])
        draw = rows_of(script, bindings[0].value) if len(bindings) == 1 else None
    if type(draw) is not cst.Call or method_of(draw) not in ("randperm", "permutation"):
        return None
    targets = _assigned_targets(site)
    if not targets:
        return None
    key = _seeded_key(site, callee) or f"helper@{id(site.node)}@{id(draw)}"
    return Reorder(tuple(targets), key, "returned", site.node, site.function, site.order)


def _seeded_key(site: CallSite, callee: FunctionInfo) -> str | None:
    """The key of the one order a helper that seeds its own generator gives for these arguments
    (equal calls, equal orders); None for a helper that draws anew at each call."""
    if any("seed" in (inner.method or "") or method_of(inner.node) in _GENERATOR_CTORS for inner in callee.calls):
        return f"seeded@{id(callee)}@" + ",".join(code_of(arg.value) for arg in site.node.args[1:])
    return None


def _each_array_reorders(script: Script, events: list[Reorder]) -> list[Reorder]:
    """Arrays put in random order one by one, each by its own draw, where the shuffle is written
    once: over the elements of a tuple (``for a in (X, y): np.random.shuffle(a)``), or in a helper
    of the file handed several arrays (``X, y = shuffle_arrays(X, y)`` over ``for a in arrays:
    rng.shuffle(a)``, ``return [a[rng.permutation(len(a))] for a in arrays]``, or
    ``np.random.shuffle(a); np.random.shuffle(b)``). Each array gets an event of its own at the
    loop or the call, keyed ``each@<place>@<order>``: arrays the helper puts in one order (one
    permutation, a generator put back to the same state) share a key. The node is the draw, so
    ``random_source`` still tells which generator drew."""
    out: list[Reorder] = []
    inner: dict[int, list[Reorder]] = {}
    for event in events:
        if event.how == "in-place" and len(event.targets) == 1:
            inner.setdefault(id(event.function), []).append(event)
            out += _tuple_element_reorders(script, event)
    # the helpers worth asking about: those that shuffle in place, or return a comprehension or tuple
    # (`return [a[rng.permutation(len(a))] for a in arrays]`); most files have none
    helpers = {function.name for function in script.functions if function.cls is None and function.params and (
        id(function) in inner or len(function.returns) == 1
        and type(function.returns[0]) in (cst.ListComp, cst.GeneratorExp, cst.Tuple, cst.List))}
    for site in script.calls if helpers else ():
        if site.name not in helpers:
            continue
        callee = script.callee(site)
        if callee is None or callee.cls is not None or not callee.params or callee is site.function:
            continue
        result = _shuffled_result(site, callee, inner.get(id(callee), []))
        if result is not None:  # one result shuffled: the call is the place
            # `X = shuffle_rows(X); y = shuffle_rows(y)`: each call draws anew, unless the helper
            # seeds its generator itself (then equal calls give one order)
            key = _seeded_key(site, callee) or f"each@{id(site.node)}@0"
            script.memo.setdefault("helper draws", {})[id(site.node)] = result[1].node  # see _drawing_call
            out.append(Reorder((result[0],), key, "in-place", site.node, site.function, site.order))
            continue
        handed = _handed_reorders(script, site, callee, inner.get(id(callee), []))
        if not handed:
            continue
        groups: list[Reorder] = []  # one inner event per order: arrays in the same order share it
        for arg, event in handed:
            group = next((i for i, seen in enumerate(groups)
                          if seen is event and _fresh_each_draw(script, event) is False
                          or seen is not event and same_random_order(script, seen, event)), None)
            if group is None:
                if random_source(script, event).startswith("unknown:"):
                    return out  # cannot tell which generator: say nothing
                groups.append(event)
                group = len(groups) - 1
            key = f"each@{id(site.node)}@{group}"
            out.append(Reorder((arg,), key, "in-place", event.node, site.function, site.order))
    return out


def _comprehension_reorders(script: Script) -> list[Reorder]:
    """``texts, labels = [np.random.permutation(a) for a in (texts, labels)]`` (or ``a[rng.
    permutation(len(a))]``): each array of the tuple put in an order of its own draw (one order
    when the draw comes from a generator seeded on the spot)."""
    if "permutation" not in script.source and "randperm" not in script.source and "shuffle" not in script.source:
        return []
    out: list[Reorder] = []
    for assignment in script.assigns:
        element = assignment.element() if assignment.unpacked else None
        comprehension = element[0] if element is not None else None
        if type(comprehension) is not cst.ListComp:
            continue
        clause = comprehension.for_in
        if (clause.inner_for_in is not None or clause.ifs or type(clause.target) is not cst.Name
                or type(clause.iter) not in (cst.Tuple, cst.List)):
            continue
        draw = _comprehension_draw(script, comprehension.elt, clause.target.value)
        if draw is None:
            continue
        event = Reorder((assignment.target,), f"call@{id(draw.node)}", "returned", draw.node, assignment.function,
                        assignment.order)
        fresh = not random_source(script, event).startswith("fresh:")
        out.append(Reorder((assignment.target,), f"each@{id(comprehension)}@{element[1] if fresh else 0}",
                           "returned", draw.node, assignment.function, assignment.order))
    return out


def _comprehension_draw(script: Script, value: cst.BaseExpression, name: str) -> CallSite | None:
    """The draw of ``np.random.permutation(a)`` / ``a[torch.randperm(len(a))]`` applied to the
    comprehension's own name ``a``, else None."""
    call = value
    if type(value) is cst.Subscript:
        if dotted(value.value) != name:
            return None
        index = _single_index(value)
        call = index.value if type(index) is cst.Index else None
    if type(call) is not cst.Call or method_of(call) not in ("permutation", "randperm", "shuffle"):
        return None
    if call is value and dotted(call_arg(call, 0, None)) != name:
        return None
    return script.site_of(call)


def _fresh_each_draw(script: Script, event: Reorder) -> bool:
    """Whether each run of a draw written once gives a new order (an unseeded or advancing
    generator); False for a generator created with a seed on the spot each time, or put back to
    the same point in the loop before it (``np.random.set_state(state)`` then the shuffle)."""
    family = random_source(script, event)
    if family.startswith("fresh:"):
        return False
    site = script.site_of(event.node)
    loop = site.loop if site is not None else None
    return loop is None or _last_seed(script, event.function, family, loop.order, site.order) is None


def _tuple_element_reorders(script: Script, event: Reorder) -> list[Reorder]:
    """``for a in (X, y): np.random.shuffle(a)``: each named element shuffled by its own draw."""
    site = script.site_of(event.node)
    loop = site.loop if site is not None else None
    if loop is None or dotted(loop.target) != event.targets[0] or type(loop.iter) not in (cst.Tuple, cst.List):
        return []
    names = [dotted(element.value) for element in loop.iter.elements]
    if len(names) < 2 or None in names:
        return []
    fresh = _fresh_each_draw(script, event)
    return [Reorder((name,), f"each@{id(loop.node)}@{index if fresh else 0}", "in-place", event.node,
                    event.function, event.order) for index, name in enumerate(names)]


def _shuffled_result(site: CallSite, callee: FunctionInfo, inner: list[Reorder]) -> tuple[str, Reorder] | None:
    """``items = list(items); random.shuffle(items); return items`` (or ``rng.shuffle(arr); return
    arr``): the name the call's result is assigned to, and the helper's shuffle of what it returns."""
    if len(callee.returns) != 1:
        return None
    for event in inner:
        if dotted(callee.returns[0]) == event.targets[0]:
            assigned = _assigned_targets(site)
            return (assigned[0], event) if len(assigned) == 1 else None
    return None


def _listed_argument(site: CallSite, callee: FunctionInfo, parameter: str | None) -> list[str]:
    """The names a call writes out in the list or tuple it passes for ``parameter`` (``[X, y]``)."""
    if parameter is None or parameter not in callee.params or callee.bindings.get(parameter):
        return []
    arg = callee.argument(site, parameter)
    if type(arg) not in (cst.List, cst.Tuple) or any(type(element) is cst.StarredElement for element in arg.elements):
        return []
    names = [dotted(element.value) for element in arg.elements]
    return names if all(names) else []


def _handed_reorders(script: Script, site: CallSite, callee: FunctionInfo,
                     inner: list[Reorder]) -> list[tuple[str, Reorder]]:
    """(argument name, the helper's reordering of it) for each array a call hands a helper that
    shuffles its parameters in place or returns them reordered (see ``_each_array_reorders``)."""
    params = callee.node.params
    star = params.star_arg.name.value if type(params.star_arg) is cst.Param else None
    positional = [arg for arg in site.node.args if arg.keyword is None and not arg.star]
    found: list[tuple[str, Reorder]] = []
    for event in inner:
        target = event.targets[0]
        if len(callee.returns) == 1 and dotted(callee.returns[0]) == target:
            continue  # the result, not an argument (see _shuffled_result)
        if target in callee.params and target != star and not callee.bindings.get(target):
            arg = callee.argument(site, target)
            if dotted(arg) is not None:
                found.append((dotted(arg), event))
            continue
        inner_site = script.site_of(event.node)
        loop = inner_site.loop if inner_site is not None else None
        if star is not None and loop is not None and dotted(loop.target) == target and dotted(loop.iter) == star:
            found += [(dotted(arg.value), event) for arg in positional[len(params.posonly_params) + len(params.params):]
                      if dotted(arg.value) is not None]
        elif loop is not None and dotted(loop.target) == target:
            # `def shuffle_arrays(arrays): for a in arrays: rng.shuffle(a)` called `shuffle_arrays([X, y])`
            found += [(name, event) for name in _listed_argument(site, callee, dotted(loop.iter))]
    if found or len(callee.returns) != 1:
        return found
    targets = _assigned_targets(site)
    returned = callee.returns[0]
    if type(returned) in (cst.ListComp, cst.GeneratorExp) and (
            star is not None and dotted(returned.for_in.iter) == star
            or len(_listed_argument(site, callee, dotted(returned.for_in.iter))) == len(targets)):
        # `return [a[rng.permutation(len(a))] for a in arrays]`: each element indexed by a fresh draw
        elements = [returned.elt] * len(targets)
        names = {dotted(returned.for_in.target)}
    elif type(returned) in (cst.Tuple, cst.List) and len(returned.elements) == len(targets):
        # `return X[rng.permutation(len(X))], y[rng.permutation(len(y))]`
        elements = [element.value for element in returned.elements]
        names = set(callee.params)
    else:
        return []
    draws: dict[int, Reorder] = {}  # one event per draw written: a comprehension's runs for each element
    for name, element in zip(targets, elements):
        element = rows_of(script, element)
        index = _single_index(element) if type(element) is cst.Subscript else None
        draw = index.value if type(index) is cst.Index else None
        if type(draw) is not cst.Call or method_of(draw) not in ("randperm", "permutation") or dotted(element.value) not in names:
            return []
        event = draws.setdefault(id(draw), Reorder((), f"call@{id(draw)}", "returned", draw, callee, 0))
        found.append((name, event))
    return found if len(found) > 1 else []


def _returns_random_order(script: Script, site: CallSite) -> bool:
    method = method_of(site.node)
    if method not in _RANDOM_ORDER_RETURNS and method != "choice":
        return False
    qualname = script.qualname(site.node.func) or ""
    if method == "shuffle":
        # sklearn.utils.shuffle(X, y), ds.shuffle(seed=0) (Hugging Face), tf.random.shuffle(x)
        return not _is_statement_call(site)
    if method == "sample":
        # df.sample(frac=1), df.sample(n=50000, random_state=0) (rows drawn in random order),
        # random.sample(indices, k); not a distribution's or an environment's sample()
        return (any(call_arg(site.node, None, keyword) is not None for keyword in ("frac", "n", "random_state"))
                or qualname == "random.sample")
    if method == "choice":
        return literal(call_arg(site.node, None, "replace")) is False
    return True


def _is_statement_call(site: CallSite) -> bool:
    statement = site.statement
    return (
        type(statement) is cst.SimpleStatementLine
        and len(statement.body) == 1
        and type(statement.body[0]) is cst.Expr
        and statement.body[0].value is site.node
    )


def _assigned_targets(site: CallSite) -> list[str]:
    """The names a call's result is assigned to, through ``.tolist()`` / ``[:n]`` / tuple unpacking."""
    statement = site.statement
    if type(statement) is not cst.SimpleStatementLine or len(statement.body) != 1:
        return []
    assign = statement.body[0]
    if type(assign) not in (cst.Assign, cst.AnnAssign) or assign.value is None or not _contains(assign.value, site.node):
        return []
    # `X, y = shuffled(X), shuffled(y)`: each call's result goes to the name in its place
    if type(assign) is cst.Assign and len(assign.targets) == 1 and type(assign.value) is cst.Tuple:
        names, values = assign.targets[0].target, assign.value.elements
        if type(names) in (cst.Tuple, cst.List) and len(names.elements) == len(values):
            return [name for element, value in zip(names.elements, values) if _contains(value.value, site.node)
                    for name in target_names(element.value)]
    return assigned_names(statement)


def _contains(tree: cst.CSTNode, node: cst.CSTNode) -> bool:
    return contains(tree, node, opaque=(cst.Lambda, cst.FunctionDef))


def _single_index(subscript: cst.Subscript) -> cst.BaseSlice | None:
    """The row index of a subscript: ``X[perm]``, and ``X[perm, :]`` / ``X[perm, ...]``, whose
    other dimensions are taken whole and so select the same rows."""
    elements = subscript.slice
    if len(elements) > 1 and not all(_whole_dimension(element.slice) for element in elements[1:]):
        return None
    return elements[0].slice


def _row_index(subscript: cst.Subscript) -> cst.BaseSlice:
    """The row index of a subscript whatever its other dimensions select: ``data[:n, :-1]`` and
    ``ratings.values[n:, :3]`` take rows ``:n`` / ``n:`` in stored order (with some of their
    columns), as ``X[:n]`` does."""
    return subscript.slice[0].slice


def _whole_dimension(index: cst.BaseSlice) -> bool:
    if type(index) is cst.Slice:
        return index.lower is None and index.upper is None and index.step is None
    return type(index) is cst.Index and type(index.value) is cst.Ellipsis


def _permutation_key(script: Script, index: cst.BaseSlice, function: FunctionInfo,
                     by_target: dict[tuple[int, str], list[Reorder]], order: int) -> str | None:
    """The key of the random order an index applies (``X[perm]``) at ``order``, or None when it is
    not one: the last draw of the index before it, also an index array shuffled in place
    (``np.random.shuffle(idx)``; shuffled again before the next use, it is another order)."""
    if type(index) is not cst.Index:
        return None
    value = index.value
    name = dotted(value)
    if name is not None:
        for scope in function.scopes():
            events = [event for event in by_target.get((id(scope), name), ())
                      if scope is not function or event.order < order]
            if events:
                event = events[-1]
                return event.permutation if event.how in ("permutation", "in-place") else None
        return None
    if type(value) is cst.Call:
        # X[torch.randperm(len(X))]: a fresh order each time
        method = (dotted(value.func) or "").rsplit(".", 1)[-1]
        if method in ("randperm", "permutation"):
            return f"call@{id(value)}"
    return None


def permuted_before(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo,
                    order: int, depth: int = 0) -> bool:
    """Whether the data ``expr`` names was put in random order before ``order`` (or is itself a
    random index order): reordered under its own name, or built from data that was (``ds =
    TensorDataset(X, y)`` after ``X, y = X[perm], y[perm]``; ``idx = torch.randperm(n).tolist()``).
    Events in an enclosing scope count whatever their order (module code runs before the functions
    it defines are called)."""
    if type(expr) is cst.Call:
        # `split_frame(df.sample(frac=1, random_state=SEED))`: the argument is the shuffled rows
        site = script.site_of(expr)
        return site is not None and _returns_random_order(script, site)
    name = dotted(expr)
    if name is None:
        return False
    return _permuted(script, name, type(expr) is cst.Name, function, order, depth)


def _permuted(script: Script, name: str, plain: bool, function: FunctionInfo, order: int, depth: int) -> bool:
    """``permuted_before`` for a dotted name (``plain``: a bare name)."""
    if depth > MAX_DEPTH:
        return False
    for event in _reorders_of(script).get(name, ()):
        if event.function is function and event.order < order:
            return True
        if event.function is not function and _encloses(event.function, function):
            return True
    # built from permuted data: an assignment of another scope, or one of this function before `order`
    built = _built_from_permuted(script, name, function, depth)
    if built.elsewhere or built.first_here < order:
        return True
    # a parameter: permuted at every call site that passes it
    if plain and name in function.params and not function.bindings.get(name):
        args = script.arguments_for(function, name)
        if args and all(permuted_before(script, arg, site.function, site.order, depth + 1) for arg, site in args):
            return True
    return False


@dataclass(frozen=True)
class _Built:
    """Whether a name is assigned from permuted data: in another scope than the function asked
    about (whatever the order), and the first such assignment in that function (its order)."""

    elsewhere: bool
    first_here: float


def _built_from_permuted(script: Script, name: str, function: FunctionInfo, depth: int) -> _Built:
    # once per (name, function, depth): asking at every order of every assignment of data built
    # from several names, each built from several others, followed every path
    key = (name, id(function), depth)
    memo = script.memo.setdefault(_built_from_permuted, {})
    if key not in memo:
        elsewhere, first_here = False, math.inf
        for assignment in _assignments(script, name, function):
            here = assignment.function is function
            if (here and assignment.order >= first_here) or (not here and elsewhere):
                continue
            loaded = rows_of(script, assignment.value)
            if any(inner != name and _permuted(script, inner, "." not in inner, assignment.function,
                                               assignment.order, depth + 1)
                   for inner in _names_in(script, assignment.value)) or _returned_permuted(script, assignment, depth) or (
                    type(loaded) is cst.Call and _reads_own_save(script, loaded)):
                if here:
                    first_here = assignment.order
                else:
                    elsewhere = True
        memo[key] = _Built(elsewhere, first_here)
    return memo[key]


def _returned_permuted(script: Script, assignment: Assignment, depth: int) -> bool:
    """``X, y = load_and_shuffle(path)`` where the function of this file returns ``X[perm],
    y[perm]`` (or ``shuffle(X, y)``): every value the call hands back was put in random order
    inside it."""
    element = assignment.element()
    call = element[0] if element is not None else assignment.value
    factory = script.local_factory(call, assignment.function) if type(call) is cst.Call else None
    if factory is None or not factory.returns:
        return False
    inside = []
    for returned in factory.returns:
        # `return X, y`: the element unpacked here
        inside.append(Bound(tuple_element(returned, element[1] if element is not None else None), factory))
    return all(_permuted_inside(script, bound, depth) for bound in inside)


def _permuted_inside(script: Script, bound: Bound, depth: int) -> bool:
    value = subscripted_root(rows_of(script, bound.expr))
    site = script.site_of(value) if type(value) is cst.Call else None
    if site is not None and _returns_random_order(script, site):
        return True
    return any(_permuted(script, inner, "." not in inner, bound.function, math.inf, depth + 1)
               for inner in _names_in(script, bound.expr))


@memoized
def _reorders_of(script: Script) -> dict[str, list[Reorder]]:
    """The reorderings by the names they reorder."""
    index: dict[str, list[Reorder]] = {}
    for event in reorders(script):
        for target in dict.fromkeys(event.targets):
            index.setdefault(target, []).append(event)
    return index


def _encloses(outer: FunctionInfo, inner: FunctionInfo) -> bool:
    return inner.within(outer)


def _assignments(script: Script, name: str, function: FunctionInfo):
    if name.startswith("self.") and function.cls is not None:
        return function.cls.attrs.get(name[5:], [])
    return next((scope.bindings[name] for scope in function.scopes() if name in scope.bindings), [])


@memoized
def _names_in(script: Script, expr: cst.BaseExpression) -> frozenset[str]:
    """Dotted names read and the receivers of attributes: ``X.values``, ``df.to_numpy()`` hold X, df."""
    names = set()
    for node in references(expr):
        name = dotted(node)
        names |= {name, name.rsplit(".", 1)[0]}
    return frozenset(names)


def _methods_called(expr: cst.BaseExpression) -> set[str]:
    finder = _CallMethods()
    walk(expr, finder)
    return finder.methods


class _CallMethods(cst.CSTVisitor):
    def __init__(self) -> None:
        self.methods: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        self.methods.add(method_of(node))


# cuts -----------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Cut:
    """A contiguous part of a whole dataset, cut in stored order.

    ``side``: 'head' (``x[:n]``), 'tail' (``x[n:]``) or 'middle' (``x[a:b]``); ``start`` / ``stop``:
    the cut points as source text ('' for an open end); ``base``: the data being cut (for
    ``Subset(ds, indices[:n])``, the index list ``indices``); ``target``: the name the part is
    assigned to, if any; ``role``: the split that name says or that how the part is passed says
    (``validation_data=``), else None."""

    node: cst.CSTNode
    base: cst.BaseExpression
    base_name: str
    side: str
    start: str
    stop: str
    target: str | None
    role: Split | None
    function: FunctionInfo
    order: int
    statement: cst.CSTNode | None
    point_nodes: tuple[cst.BaseExpression, ...] = ()

    @property
    def points(self) -> set[str]:
        """The interior cut points (where this part meets another)."""
        return {point for point in (self.start, self.stop) if point}


def cuts(script: Script) -> list[Cut]:
    return _cuts(script)


@memoized
def _cuts(script: Script) -> list[Cut]:
    out: list[Cut] = []
    seen: set[int] = set()
    # only statements that slice something or call Subset can hold a cut: skip walking the rest
    candidates = set(script.slicing_statements)
    candidates |= {id(site.statement) for site in script.calls_by_method.get("Subset", [])}
    if not candidates:
        return out
    for assignment in script.assigns:
        if assignment.loop is not None or id(assignment.statement) not in candidates or _per_item(assignment.function):
            continue
        role = split_from_name(assignment.target)
        out += _cuts_in(script, assignment.value, assignment.target, role, assignment.function,
                        assignment.order, assignment.statement, seen)
    for site in script.calls:
        # a call found inside an expression walked above was walked with it, arguments included
        if (site.loop is not None or id(site.node) in seen or id(site.statement) not in candidates
                or _per_item(site.function)):
            continue
        for arg in site.node.args:
            role = None
            if arg.keyword is not None:
                role = split_from_name(arg.keyword.value)
            out += _cuts_in(script, arg.value, None, role, site.function, site.order, site.statement, seen)
    for function in script.functions:
        if _per_item(function):
            continue
        for returned in function.returns:
            if id(script.return_statements.get(id(returned))) not in candidates:
                continue
            out += _cuts_in(script, returned, None, None, function, 10**9, None, seen)
    out.sort(key=lambda cut: cut.order)
    shifted = _time_shifted_rows(out)
    return [cut for cut in out if _rows_key(cut) not in shifted]


def _per_item(function: FunctionInfo) -> bool:
    """A dataset's ``__getitem__`` builds one sample: what it slices (``self.frames[i:i + n]``, the
    window of one item) is part of that sample, never a split of the data."""
    return function.name == "__getitem__" and function.cls is not None


def _rows_key(cut: Cut) -> tuple:
    return id(cut.function), cut.base_name, cut.side, cut.start, cut.stop


def _time_shifted_rows(found: list[Cut]) -> set[tuple]:
    """Row cuts whose columns are taken twice, shifted by k steps (``data[3:, :-1]`` as input and
    ``data[3:, 1:]`` as target): each row is a whole sequence and the columns are its time steps,
    so the rows are series of their own, not samples stored in some order."""
    ends: dict[tuple, set[tuple[str, str]]] = {}
    for cut in found:
        column = _column_slice(cut.node)
        if column is not None:
            ends.setdefault(_rows_key(cut), set()).add(column)
    return {key for key, columns in ends.items() if any(
        ("", f"-{start}") in columns for start, stop in columns if start and not stop)}


def _column_slice(node: cst.CSTNode) -> tuple[str, str] | None:
    """The bounds of the second dimension of ``x[rows, a:b]`` as source text ('' for an open end)."""
    if type(node) is not cst.Subscript or len(node.slice) < 2 or type(node.slice[1].slice) is not cst.Slice:
        return None
    column = node.slice[1].slice
    return tuple("" if end is None else code_of(end).strip() for end in (column.lower, column.upper))


def _cuts_in(script: Script, expr: cst.BaseExpression, target: str | None, role: Split | None,
             function: FunctionInfo, order: int, statement: cst.CSTNode | None, seen: set[int]) -> list[Cut]:
    finder = _CutNodes()
    walk(expr, finder)
    out = []
    for node in finder.nodes:
        if id(node) in seen:
            continue
        seen.add(id(node))
        cut = _cut(script, node, target, role, function, order, statement)
        if cut is not None:
            out.append(cut)
    return out


class _CutNodes(cst.CSTVisitor):
    """Subscripts and calls in an expression, not inside lambdas or comprehensions (per-element)."""

    def __init__(self) -> None:
        self.nodes: list[cst.Subscript | cst.Call] = []

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.nodes.append(node)

    def visit_Call(self, node: cst.Call) -> None:
        self.nodes.append(node)

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ListComp(self, node: cst.ListComp) -> bool:
        return False

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> bool:
        return False

    def visit_DictComp(self, node: cst.DictComp) -> bool:
        return False

    def visit_SetComp(self, node: cst.SetComp) -> bool:
        return False


def _cut(script: Script, node: cst.Subscript | cst.Call, target: str | None, role: Split | None,
         function: FunctionInfo, order: int, statement: cst.CSTNode | None) -> Cut | None:
    if type(node) is cst.Subscript:
        base = node.value
        if type(base) is cst.Attribute and base.attr.value == "iloc":
            base = base.value
        name = dotted(base)
        index = _row_index(node)
        if name is None or type(index) is not cst.Slice or index.step is not None:
            return None
        bounds = _slice_bounds(index)
        if bounds is None:
            return None
        side, start, stop = bounds
        points = tuple(point for point in (index.lower, index.upper) if point is not None)
        return Cut(node, base, name, side, start, stop, target, role, function, order, statement, points)
    # Subset(ds, range(...)) / Subset(ds, list(range(...))) / Subset(ds, indices[:n])
    if (script.qualname(node.func) or "").rsplit(".", 1)[-1] != "Subset":
        return None
    dataset = call_arg(node, 0, "dataset")
    indices = call_arg(node, 1, "indices")
    if dataset is None or indices is None:
        return None
    while type(indices) is cst.Call and dotted(indices.func) in ("list", "tuple") and indices.args:
        indices = indices.args[0].value
    if type(indices) is cst.Call and dotted(indices.func) in ("range", "np.arange", "numpy.arange", "torch.arange"):
        bounds = _range_bounds(indices)
        if bounds is None or dotted(dataset) is None:
            return None
        side, start, stop = bounds
        points = tuple(arg.value for arg in indices.args if arg.keyword is None)
        return Cut(node, dataset, dotted(dataset) or "", side, start, stop, target, role, function, order,
                   statement, points)
    if type(indices) is cst.Subscript:
        inner = _cut(script, indices, target, role, function, order, statement)
        if inner is None or not index_list_in_order(script, inner.base, function, order):
            return None
        return Cut(node, inner.base, inner.base_name, inner.side, inner.start, inner.stop, target, role,
                   function, order, statement, inner.point_nodes)
    return None


def _slice_bounds(index: cst.Slice) -> tuple[str, str, str] | None:
    lower = "" if index.lower is None else code_of(index.lower).strip()
    upper = "" if index.upper is None else code_of(index.upper).strip()
    if not lower and not upper:
        return None
    if lower in ("0", "None"):
        lower = ""
    if not lower:
        return "head", "", upper
    if not upper:
        return "tail", lower, ""
    return "middle", lower, upper


def _range_bounds(call: cst.Call) -> tuple[str, str, str] | None:
    args = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    if len(args) == 1:
        return "head", "", code_of(args[0]).strip()
    if len(args) == 2:
        start, stop = code_of(args[0]).strip(), code_of(args[1]).strip()
        if start in ("0", ""):
            return "head", "", stop
        if stop.startswith("len("):
            return "tail", start, ""
        return "middle", start, stop
    return None


def index_list_in_order(script: Script, expr: cst.BaseExpression, function: FunctionInfo, order: int) -> bool:
    """An index list known to be in stored order: bound to ``range(...)`` / ``np.arange(...)`` /
    ``list(range(...))`` and not shuffled before ``order``."""
    if permuted_before(script, expr, function, order):
        return False
    bound = script.values(expr, function)
    if not bound:
        return False
    for value in bound:
        node = value.expr
        while type(node) is cst.Call and dotted(node.func) in ("list", "tuple", "np.array", "numpy.array") and node.args:
            node = node.args[0].value
        if not (type(node) is cst.Call and (dotted(node.func) or "").rsplit(".", 1)[-1] in ("range", "arange")):
            return False
    return True


# batches cut by hand ------------------------------------------------------------------------------
_RANDOM_SPLIT_METHODS = frozenset({"train_test_split", "random_split"})


def split_part_of(script: Script, expr: cst.BaseExpression) -> cst.BaseExpression | None:
    """The array a part of ``train_test_split`` holds rows of: ``arrays[k // 2]`` for element ``k``
    of ``train_test_split(X, y, ...)`` (X_train, X_test, y_train, y_test), else None. The part
    keeps the array's values and dtype, not its row order."""
    element = element_index(expr)
    if element is None or type(element[0]) is not cst.Call or method_of(element[0]) != "train_test_split":
        return None
    call, index = element
    arrays = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    if any(arg.star for arg in call.args) or index < 0 or index // 2 >= len(arrays):
        return None
    return arrays[index // 2]
_ANYWHERE = 10**9  # an order after every statement: "permuted anywhere in the function"


def batches_in_stored_order(script: Script, loop: LoopInfo) -> list[cst.Subscript]:
    """The slices with which a loop that batches by hand walks its data in stored order, the same
    order every epoch: ``X_train[start:end]`` (or ``X[idx]`` with ``idx = np.arange(n)[i:i + bs]``)
    where nothing in the file permutes ``X_train`` or anything it is made from, and it does not
    come from a random split. The optimizer must step in the loop: slices whose gradients are
    summed before one step after it (gradient accumulation over micro-batches) are one batch. Empty for loops over loaders and for data kept in order on purpose
    (time series, text streams)."""
    batches = script.index_batches(loop)
    if batches is None or file_is_time_ordered(script):
        return []
    if not any(script.site_steps_optimizer(site) for site in loop.all_calls()):
        return []  # micro-batches of one batch, their gradients summed before one step: order is moot
    if type(loop.iter) is cst.Name and permuted_before(script, loop.iter, loop.function, _ANYWHERE):
        return []  # `random.shuffle(batches)`: a list of index bounds visited in random order
    out = []
    for node in batches.in_order:
        if not _randomly_ordered(script, node.value, loop.function):
            out.append(node)
    lists = batches.index_lists
    if lists and all(index_list_in_order(script, index, loop.function, _ANYWHERE) for index in lists):
        out += batches.indexed[:1]  # `idx = np.arange(n)[i:i + bs]; X[idx]`
    return [node for node in out if not name_is_time_ordered(dotted(node.value))]


def generator_batches_in_stored_order(script: Script, loop: LoopInfo) -> tuple[cst.Call, cst.Subscript, bool] | None:
    """A loop over a batch generator of this file that cuts its batches by hand in stored order
    (``def iterate_minibatches(X, y, bs): for i in range(0, len(X), bs): yield X[i:i + bs], ...``,
    then ``for xb, yb in iterate_minibatches(X_train, y_train, 64):``) from data that nothing
    permutes: the call, the slice, and whether the generator has a shuffling option the call
    leaves off (``iterate_minibatches(X, y, bs, shuffle=False)``, or the flag's ``False``
    default: the call is the line to change). None when the generator may reorder for this call,
    or the data is kept in order on purpose."""
    source = script.loop_source(loop)
    if type(source) is not cst.Call or type(source.func) is not cst.Name:
        return None
    site = script.site_of(source)
    generator = script.visible_function(source.func.value, loop.function)
    if site is None or generator is None or not generator.is_generator or file_is_time_ordered(script):
        return None
    # `iterate_minibatches(X, y, bs, shuffle=False)`: the literals the call passes decide the
    # generator's `if shuffle:` branches
    live = script.live_for(generator, site)
    own = [event for event in reorders(script) if event.function.within(generator)]
    if any(_may_run(script, event, live) for event in own):
        return None
    for inner in generator.loops:
        batches = script.index_batches(inner)
        for node in batches.in_order if batches is not None else ():
            data = node.value
            if type(data) is cst.Name and data.value in generator.params:
                handed = generator.argument(site, data.value)
                if handed is None or _randomly_ordered(script, handed, loop.function):
                    break
            elif _randomly_ordered(script, data, inner.function):
                break
        else:
            if batches is not None and batches.in_order and not name_is_time_ordered(dotted(source.func)):
                return source, batches.in_order[0], bool(own)
    return None


def _may_run(script: Script, event: Reorder, live: set[int] | None) -> bool:
    """The reordering may run for the call whose live statements are ``live`` (None: any may)."""
    site = script.site_of(event.node) if type(event.node) is cst.Call else None
    return live is None or site is None or id(site.statement) in live


_SPLITTERS = frozenset({"split", "chunk", "array_split"})


def presplit_batches(script: Script, loop: LoopInfo) -> cst.Call | None:
    """The list of batches a loop walks when it was cut once, in stored order, from the data
    (``train_loader = list(zip(X.split(bs), y.split(bs)))``, ``torch.split(X, bs)``) and is never
    shuffled: every epoch sees the same batches in the same order. The call that builds it."""
    it = loop.iter
    if type(it) is cst.Call and dotted(it.func) in ("enumerate", "tqdm", "tqdm.tqdm") and it.args:
        it = it.args[0].value
    if (type(it) is cst.Call and dotted(it.func) == "range" and len(it.args) == 1 and type(it.args[0].value) is cst.Call
            and dotted(it.args[0].value.func) == "len" and it.args[0].value.args):
        it = it.args[0].value.args[0].value  # `for i in range(len(x_batches)): x_batches[i]`
    if type(it) not in (cst.Name, cst.Attribute) or not _split_lists(script):
        return None
    bounds = script.values(it, loop.function)
    if len(bounds) != 1 or id(bounds[0].expr) not in _split_lists(script):
        return None
    if file_is_time_ordered(script) or permuted_before(script, it, loop.function, _ANYWHERE):
        return None  # a series in order on purpose; `random.shuffle(batches)` each epoch
    built, function = bounds[0].expr, bounds[0].function
    inner = built
    if dotted(inner.func) in ("list", "tuple") and len(inner.args) == 1:
        inner = inner.args[0].value
    parts = [arg.value for arg in inner.args] if type(inner) is cst.Call and dotted(inner.func) == "zip" else [inner]
    data = []
    for part in parts:
        if type(part) is not cst.Call or method_of(part) not in _SPLITTERS or _cross_validator(script, part, function):
            return None
        receiver = part.func.value if type(part.func) is cst.Attribute and not script.is_imported(part.func) else None
        data.append(receiver if receiver is not None else call_arg(part, 0, None))
    if any(source is None or _randomly_ordered(script, source, function) for source in data):
        return None
    names = {assignment.target for assignment in script.assigns if assignment.value is built}
    if any(permuted_before(script, cst.Name(name), function, _ANYWHERE) for name in names if "." not in name):
        return None
    return built


def _splits_text(call: cst.Call) -> bool:
    """``args.activation.split(",")``, ``line.split()``: a string cut into words, no batches."""
    first = call.args[0].value if call.args else None
    return method_of(call) == "split" and (first is None or type(first) in (cst.SimpleString, cst.FormattedString))


def _cross_validator(script: Script, call: cst.Call, function: FunctionInfo) -> bool:
    """``kfold.split(X, y)``: the folds of a scikit-learn splitter (``KFold``, ``StratifiedKFold``,
    ``ShuffleSplit``...), index sets for a sampler, not batches cut from the data."""
    if type(call.func) is not cst.Attribute:
        return False
    for bound in script.values(call.func.value, function):
        made = bound.expr
        name = (script.qualname(made.func) or dotted(made.func) or "") if type(made) is cst.Call else ""
        if name.startswith("sklearn.") or name.endswith(("Fold", "Split")):
            return True
    return False


@memoized
def _split_lists(script: Script) -> frozenset[int]:
    """The values assigned anywhere that are lists of batches cut by ``split``/``chunk``
    (``list(zip(X.split(bs), y.split(bs)))``): most files have none, and their loops are not asked."""
    found: set[int] = set()
    if ".split(" not in script.source and ".chunk(" not in script.source and "_split(" not in script.source:
        return frozenset()
    for assignment in script.assigns:
        value = assignment.value
        inner = value.args[0].value if (type(value) is cst.Call and dotted(value.func) in ("list", "tuple")
                                        and len(value.args) == 1) else value
        parts = [arg.value for arg in inner.args] if type(inner) is cst.Call and dotted(inner.func) == "zip" else [inner]
        if parts and all(type(part) is cst.Call and method_of(part) in _SPLITTERS and not _splits_text(part)
                         for part in parts):
            found.add(id(value))
    return frozenset(found)


def _randomly_ordered(script: Script, expr: cst.BaseExpression, function: FunctionInfo,
                      seen: frozenset[int] = frozenset()) -> bool:
    """Permuted anywhere in the function (or around it), or taken from a random split, also
    through row-preserving steps (``torch.tensor(X_train).float()``, see ``rows_of``), slices and
    columns. Data read from a file is in its stored order; a parameter, whatever the callers pass,
    counts as random (silence where the analysis cannot see)."""
    if dotted(expr) is not None and permuted_before(script, expr, function, _ANYWHERE):
        return True
    for bound in script.values(expr, function):
        value = unpacked_from(bound.expr)
        if id(value) in seen:
            continue  # `X = torch.from_numpy(X)`: the name's other binding decides
        if type(value) is cst.Call and _reads_own_save(script, value):
            return True
        inner_seen = seen | {id(value)}
        rows = rows_of(script, value)
        if value is not bound.expr:  # an element: `X_tr, X_te, y_tr, y_te = train_test_split(...)`
            if type(value) is cst.Name:  # `train_data[0]` of `train_data = torch.load("train.pt")`
                if _randomly_ordered(script, value, bound.function, inner_seen):
                    return True
                continue
            if type(value) is not cst.Call or method_of(value) in _RANDOM_SPLIT_METHODS and literal(
                    call_arg(value, None, "shuffle")) is not False:
                return True
        elif rows is not value:
            if _randomly_ordered(script, rows, bound.function, inner_seen):
                return True
        elif type(value) is cst.Subscript:
            index = _row_index(value)
            keyed = type(index) is cst.Index and (literal(index.value) is not ...  # `data["X_train"]`
                                                   or _column_names(script, index.value, bound.function))
            masked = type(index) is cst.Index and _boolean_mask(script, index.value, bound.function)
            if not (type(index) is cst.Slice or keyed or masked):
                return True  # `X[perm[:n]]`: rows picked by an index array
            if _randomly_ordered(script, value.value, bound.function, inner_seen):
                return True
        elif bound.expr is expr and type(expr) is cst.Name and expr.value in bound.function.params:
            return True
    return False


def _column_names(script: Script, expr: cst.BaseExpression, function: FunctionInfo) -> bool:
    """A name bound only to column names (``FEATURES = ["age", "income"]``, ``LABEL = "label"``):
    ``frame[FEATURES]`` selects columns, every row in its stored order."""
    if type(expr) is not cst.Name:
        return False
    bounds = script.values(expr, function)
    return bool(bounds) and all(
        isinstance(value := literal(bound.expr), str)  # `LABEL = "label"`: one column
        or isinstance(value, (list, tuple)) and value and all(isinstance(item, str) for item in value)
        # `[f"f{i}" for i in range(64)]`, `[c for c in df.columns if c != "label"]`-like lists of names
        or type(bound.expr) is cst.ListComp and type(bound.expr.elt) in (cst.SimpleString, cst.FormattedString)
        for bound in bounds)


def _boolean_mask(script: Script, expr: cst.BaseExpression, function: FunctionInfo) -> bool:
    """A boolean mask, which keeps the rows it selects in their stored order: ``~val_mask``,
    ``y != 3``, ``(a > 0) & (b < 1)``, or a name bound only to such (``val_mask = rng.random(n) <
    0.2``)."""
    if type(expr) is cst.UnaryOperation and type(expr.operator) is cst.BitInvert or type(expr) is cst.Comparison:
        return True
    if type(expr) is cst.BinaryOperation and type(expr.operator) in (cst.BitAnd, cst.BitOr):
        return True
    if type(expr) is not cst.Name:
        return False
    bounds = script.values(expr, function)
    return bool(bounds) and all(bound.expr is not expr and _boolean_mask(script, bound.expr, bound.function)
                                for bound in bounds)


def _reads_own_save(script: Script, call: cst.Call) -> bool:
    """``np.load("training_data.npy")`` of a file this script writes itself (``np.save(
    "training_data.npy", training_data)`` after ``np.random.shuffle(training_data)``, the
    dogs-vs-cats recipe): its rows are in whatever order the script gave them, not a source's
    stored order."""
    path = literal(call_arg(call, 0, None))
    return isinstance(path, str) and path in _saved_paths(script)


# methods that write data to a file whose path is one of their literal arguments
_SAVES = frozenset({"save", "savez", "savez_compressed", "savetxt", "to_csv", "to_pickle", "to_parquet", "dump"})


@memoized
def _saved_paths(script: Script) -> frozenset[str]:
    out = set()
    for method in _SAVES:
        for site in script.calls_by_method.get(method, ()):
            for arg in site.node.args:
                value = arg.value
                if type(value) is cst.Call and dotted(value.func) == "open" and value.args:
                    value = value.args[0].value  # `pickle.dump(data, open("data.pkl", "wb"))`
                if isinstance(literal(value), str):
                    out.add(literal(value))
    return frozenset(out)


# Calls that join arrays or frames end to end, rows after rows (their first argument the parts).
_JOINS = frozenset({"concat", "concatenate", "cat", "vstack", "row_stack"})


def cut_at_seam(script: Script, cut: Cut) -> bool:
    """A cut of joined parts at the length of the first part: ``all_x = pd.concat((train_df,
    test_df))`` (joined to preprocess both alike) cut back at ``n_train = train_df.shape[0]``. The
    parts come back as they were split before the join (a competition's train and test files),
    not a split of the joined rows."""
    firsts = _parts_joined(script, cut.base, cut.function, 0)
    if not firsts:
        return False
    lasts = _parts_joined(script, cut.base, cut.function, -1)
    for point in cut.point_nodes:
        values = [point] + [bound.expr for bound in script.values(point, cut.function)]
        if any(_length_of(value) in firsts for value in values):
            return True
        # `data2[-test_features.shape[0]:]`: the last part's rows, counted from the end
        if any(type(value) is cst.UnaryOperation and type(value.operator) is cst.Minus
               and _length_of(value.expression) in lasts for value in values):
            return True
        # `df_all.iloc[891:]` of `pd.concat([df_train, df_test])`: the test file's rows cut back
        # at the count of the training file's, written as a number
        if any(type(literal(value)) is int for value in values) and _joins_test_part(script, cut):
            return True
    return False


def _joins_test_part(script: Script, cut: Cut) -> bool:
    """The base joins parts the last of which is named for the test split (``df_test``)."""
    for bound in script.values(rows_of(script, cut.base), cut.function):
        value = rows_of(script, bound.expr)
        if type(value) is cst.Call and method_of(value) in _JOINS and value.args:
            parts = value.args[0].value
            if type(parts) in (cst.List, cst.Tuple) and len(parts.elements) >= 2 and split_from_name(
                    _receiver_name(parts.elements[-1].value)) is Split.TEST:
                return True
    return False


def _parts_joined(script: Script, expr: cst.BaseExpression, function: FunctionInfo, position: int) -> set[str]:
    """The names of the parts at ``position`` (0: the first, -1: the last) that ``expr`` may be a
    join of (``train_df`` at 0 for ``pd.concat((train_df.iloc[:, 1:], test_df))``)."""
    out: set[str] = set()
    frontier = script.values(_joined_rows(script, expr), function)
    for _ in range(3):  # `data2 = pca.fit_transform(data[cols])`, `data = pd.concat(...)`: names in between
        following = []
        for bound in frontier:
            value = _joined_rows(script, bound.expr)
            if type(value) is cst.Name and value is not bound.expr:
                following += script.values(value, bound.function)
            if type(value) is cst.Call and method_of(value) in _JOINS and value.args:
                out |= _part_names(script, value.args[0].value, position)
            elif type(value) is cst.Call and method_of(value) == "append" and len(value.args) == 1 \
                    and type(value.func) is cst.Attribute:
                # pandas' `train_df.append(test_df)`: the receiver first, the argument last
                part = value.func.value if position == 0 else value.args[0].value
                name = _receiver_name(rows_of(script, part))
                out |= {name} if name is not None else set()
        frontier = following
    return out


def _part_names(script: Script, parts: cst.BaseExpression, position: int) -> set[str]:
    """The name of the part at ``position`` of a join's list (``train_df`` of ``[train_df, test_df]``)."""
    if type(parts) in (cst.List, cst.Tuple) and len(parts.elements) >= 2:
        name = _receiver_name(rows_of(script, parts.elements[position].value))
        if name is not None:
            return {name}
    return set()


def _joined_rows(script: Script, expr: cst.BaseExpression) -> cst.BaseExpression:
    """What ``expr``'s rows come from, through row-keeping steps, a fitted transform's output
    (``PCA(n).fit_transform(data[GENES])``, ``scaler.transform(X)``) and column selections
    (``data[GENES]``): the joined frame whose seam a cut may fall on."""
    for _ in range(8):
        expr = rows_of(script, expr)
        if type(expr) is cst.Subscript and (type(expr.slice[0].slice) is cst.Index or _every_row(expr)):
            expr = expr.value
        elif type(expr) is cst.Attribute and expr.attr.value in ("iloc", "loc", "values"):
            expr = expr.value
        elif (type(expr) is cst.Call and type(expr.func) is cst.Attribute and expr.args
              and expr.func.attr.value in _FITTED_TRANSFORMS):
            expr = expr.args[0].value
        elif type(expr) is cst.Call and type(expr.func) is cst.Attribute and expr.func.attr.value == "drop" and (
                call_arg(expr, None, "columns") is not None or literal(call_arg(expr, None, "axis")) in (1, "columns")):
            expr = expr.func.value  # `full.drop(columns=["id"])`: every row, fewer columns
        elif type(expr) is cst.Call and (dotted(expr.func) or "").endswith("get_dummies") and expr.args:
            expr = expr.args[0].value  # `pd.get_dummies(joined, columns=cats)`: one row per row
        else:
            break
    return expr


def _every_row(subscript: cst.Subscript) -> bool:
    """``x[:, 4:]``, ``df.iloc[:, cols]``: all rows, some columns."""
    first = subscript.slice[0].slice
    return (len(subscript.slice) > 1 and type(first) is cst.Slice
            and first.lower is None and first.upper is None and first.step is None)


# a fitted transform's methods, one output row per input row (sklearn's scalers, PCA, encoders)
_FITTED_TRANSFORMS = frozenset({"fit_transform", "transform"})


def _length_of(expr: cst.BaseExpression) -> str | None:
    """The name whose row count ``expr`` is: ``len(train_df)``, ``train_df.shape[0]``."""
    if type(expr) is cst.Call and dotted(expr.func) == "len" and len(expr.args) == 1:
        return _receiver_name(expr.args[0].value)
    element = element_index(expr)
    if element is not None and element[1] == 0 and type(element[0]) is cst.Attribute \
            and element[0].attr.value == "shape":
        return _receiver_name(element[0].value)
    return None


def _receiver_name(expr: cst.BaseExpression) -> str | None:
    """The name at the root of subscripts, attributes and method calls: ``train_df`` for
    ``train_df.iloc[:, 1:-1]`` or ``train_df.drop(columns=["y"]).values``."""
    for _ in range(16):
        if type(expr) is cst.Name:
            return expr.value
        if type(expr) is cst.Subscript or type(expr) is cst.Attribute:
            expr = expr.value
        elif type(expr) is cst.Call and type(expr.func) is cst.Attribute:
            expr = expr.func.value
        else:
            return None
    return None


def complementary(a: Cut, b: Cut) -> bool:
    """Two cuts of the same data that meet at a cut point (``x[:n]`` and ``x[n:]``, ``x[n:m]``)."""
    return a.base_name == b.base_name and a is not b and bool(a.points & b.points) and a.side != b.side or (
        a.base_name == b.base_name and a.side == b.side == "middle" and (a.stop == b.start or b.stop == a.start)
    )


# data kept in order on purpose ---------------------------------------------------------------
def file_is_time_ordered(script: Script) -> bool:
    """The file forecasts or trains on a time series or a text stream (BPTT), where a split by
    position is the point: forecasting words, date columns, lookback windows, ``batchify``."""
    return _file_is_time_ordered(script)


@memoized
def _file_is_time_ordered(script: Script) -> bool:
    lowered = script.lowered
    if any(hint in lowered for hint in _TIME_HINTS) and _TIME_FILE.search(lowered) is not None:
        return True
    # a recurrent network fitted with a regression loss predicts the next values of a series (the
    # airline-passengers LSTM holding out its last 12 months), and so does any regression over
    # sliding windows (`for i in range(len(data) - 24):` then `load[i + 24]` as the label): a split
    # by position is the point
    if _REGRESSION_LOSS.search(lowered) is not None and (
            _RECURRENT.search(lowered) is not None or _SLIDING_WINDOWS.search(lowered) is not None):
        return True
    return _overlapping_windows(script)


# `x[i:i + n]` somewhere in the file (the cheap test before the loops are read)
_WINDOW_SLICE = re.compile(r"\[\s*(\w+)\s*:\s*\1\s*\+")


def _overlapping_windows(script: Script) -> bool:
    """The samples are overlapping windows of one sequence, cut one step apart (``for i, s in
    enumerate(days): windows.append(x[i:i + 30])``, ``for i in range(len(x) - n): x[i:i + n]``): a
    series, where a split by position is the point (windows split at random share their steps
    across the parts). A three-argument range steps by a batch: that is batching by hand."""
    if _WINDOW_SLICE.search(script.lowered) is None:
        return False
    for loop in script.loops:
        index = _unit_step_index(loop)
        if index is not None and any(_window_at(subscript, index) for subscript in loop.subscripts):
            return True
    return False


def _unit_step_index(loop: LoopInfo) -> str | None:
    """The name a loop steps by one: ``i`` of ``for i in range(a, b)`` or ``for i, x in enumerate(xs)``."""
    it, target = loop.iter, loop.target
    if type(it) is not cst.Call or type(it.func) is not cst.Name:
        return None
    if it.func.value == "range" and len(it.args) <= 2 and type(target) is cst.Name:
        return target.value
    if it.func.value == "enumerate" and type(target) is cst.Tuple and type(target.elements[0].value) is cst.Name:
        return target.elements[0].value.value
    return None


def _window_at(subscript: cst.Subscript, index: str) -> bool:
    """``x[i:i + n]``: a window starting at the loop's index (of more than one item)."""
    for element in subscript.slice:
        cut = element.slice
        if (type(cut) is cst.Slice and cut.step is None and type(cut.lower) is cst.Name and cut.lower.value == index
                and type(cut.upper) is cst.BinaryOperation and type(cut.upper.operator) is cst.Add
                and type(cut.upper.left) is cst.Name and cut.upper.left.value == index
                and literal(cut.upper.right) != 1):  # `x[i:i + 1]` is one item
            return True
    return False


def windowed_after(cut: Cut) -> bool:
    """The part is cut into sequences after the split: passed, later in the same function, to a
    call that also takes a sequence length (``get_batches(val_data, batch_size, seq_length)``,
    ``make_windows(test, lookback)``). A stream (a text, a series) split before it is windowed:
    the right order, since windows cut first and then split at random share their overlapping
    steps across the parts."""
    if cut.target is None:
        return False
    for site in cut.function.calls:
        if site.order <= cut.order:
            continue
        names = [dotted(arg.value) for arg in site.node.args]
        if cut.target in names and any(name != cut.target and name_is_time_ordered(name) for name in names):
            return True
    return False


def is_text_stream(script: Script, expr: cst.BaseExpression, function: FunctionInfo) -> bool:
    """Data encoded from text read whole from a file (``torch.tensor(encode(open(p).read()))``,
    ``np.array([stoi[c] for c in text])``): one sequence, where a split by position is the right
    split (the model learns to continue the text; a random split would leak the neighbours)."""
    seen: set[tuple[str, int]] = set()
    todo = [(expr, function, 0)]
    while todo:
        expr, function, depth = todo.pop()
        name = dotted(expr)
        for bound in script.values(expr, function):
            value = bound.expr
            if type(value) in (cst.Name, cst.Attribute) or _methods_called(value) & _RECORD_SPLITS:
                continue  # lines of a file are records (samples), not one stream
            if type(value) is cst.Call and method_of(value) in _TEXT_READS:
                return True
            if depth >= MAX_DEPTH:
                continue
            for inner in _names_in(script, value):
                # each name of a scope once: arrays built from each other are not walked per path
                if inner != name and (inner, id(bound.function)) not in seen:
                    seen.add((inner, id(bound.function)))
                    todo.append((expr_of(inner), bound.function, depth + 1))
    return False


# Draws whose rows are independent samples (``torch.randn(n, d)``, ``rng.normal(size=(n, d))``)
_IID_DRAWS = frozenset({
    "randn", "rand", "randint", "normal", "uniform", "standard_normal", "random", "random_sample",
    "poisson", "binomial", "multinomial", "multivariate_normal", "exponential", "beta", "gamma",
    "laplace", "integers", "choice", "bernoulli",
})
# Tensor methods that overwrite every element with an independent draw
_IN_PLACE_DRAWS = frozenset({"normal_", "uniform_", "random_", "bernoulli_", "exponential_", "cauchy_",
                             "log_normal_", "geometric_"})
_GENERATOR_TYPES = frozenset({
    "numpy.random.default_rng", "numpy.random.RandomState", "numpy.random.Generator", "torch.Generator",
})


def drawn_at_random(script: Script, expr: cst.BaseExpression, function: FunctionInfo) -> bool:
    """Data made up of random draws (``x = torch.randn(n, d)``, ``X = rng.normal(size=(n, 2))``,
    ``z = torch.FloatTensor(n, d).normal_(0, 1)``), kept in the order drawn: its rows are
    independent samples, so any contiguous part of it is as random a part as a shuffled one.
    Rebindings of the name to itself moved or wrapped (``z = z.cuda()``, ``z = Variable(z)``) keep
    the draw."""
    rows = rows_of(script, expr)
    itself = dotted(rows)
    drawn = [(rows_of(script, bound.expr), bound.function) for bound in script.values(rows, function)]
    drawn = [(value, scope) for value, scope in drawn if itself is None or dotted(value) != itself]
    return bool(drawn) and all(_is_draw(script, value, scope) for value, scope in drawn)


def _is_draw(script: Script, expr: cst.BaseExpression, function: FunctionInfo) -> bool:
    if type(expr) is cst.Call and method_of(expr) in _IN_PLACE_DRAWS:
        return True  # a new tensor filled with draws
    if type(expr) is not cst.Call or method_of(expr) not in _IID_DRAWS:
        return False
    qualname = script.qualname(expr.func) or ""
    if qualname.startswith(catalog.RANDOM_DRAW_PREFIXES) or qualname.startswith("torch.normal"):
        return True
    # a draw from a generator object: `rng = np.random.default_rng(0)`, then `rng.normal(...)`
    owner = expr.func.value if type(expr.func) is cst.Attribute else None
    return owner is not None and any(
        type(bound.expr) is cst.Call and script.qualname(bound.expr.func) in _GENERATOR_TYPES
        for bound in script.values(owner, function))


def expr_of(name: str) -> cst.BaseExpression:
    """The expression for a dotted name (``self.X`` -> Attribute(Name('self'), 'X')): values()
    answers a name or ``self.x`` per name, so a new node asks the same question as a use."""
    head, *rest = name.split(".")
    node: cst.BaseExpression = cst.Name(head)
    for part in rest:
        node = cst.Attribute(node, cst.Name(part))
    return node


def name_is_time_ordered(name: str | None) -> bool:
    """``series``, ``X_seq``, ``prices``, ``corpus``, ``tokens``: data whose order is its meaning."""
    return bool(words_of(name) & (_TIME_WORDS | _STREAM_WORDS))


def from_presplit_source(script: Script, expr: cst.BaseExpression, function: FunctionInfo, depth: int = 0) -> bool:
    """Data that comes from a published dataset in its distributed order (torchvision datasets other
    than the class-sorted folder ones, Keras ``*.load_data()``, torchtext / Hugging Face splits):
    not sorted by class, so a contiguous part of it is as random as any."""
    expr = rows_of(script, expr)
    while True:
        name = dotted(expr)
        for bound in script.values(expr, function):
            value = rows_of(script, bound.expr)
            if _presplit_call(script, value):
                return True
            # `X = mnist.data.float()`: the arrays a torchvision dataset holds, in its order
            if type(value) is cst.Attribute and value.attr.value in _DATASET_ARRAYS and any(
                    _presplit_call(script, inner.expr) for inner in script.values(value.value, bound.function)):
                return True
            # `indices = list(range(len(trainset)))`: the positions of such a dataset, in its order
            counted = _range_over(script, value, bound.function)
            if counted is not None and depth < 3 and from_presplit_source(script, *counted, depth + 1):
                return True
        if name is not None and name in _presplit_targets(script):
            return True
        if type(expr) is not cst.Attribute:
            return False
        expr = expr.value  # `test_data.targets`: an array of the dataset


def _range_over(script: Script, value: cst.BaseExpression,
                function: FunctionInfo) -> tuple[cst.BaseExpression, FunctionInfo] | None:
    """``ds`` for ``range(len(ds))`` / ``list(range(n))`` / ``np.arange(n)`` with ``n = len(ds)``:
    what an index list counts the rows of; None for anything else."""
    while type(value) is cst.Call and dotted(value.func) in ("list", "tuple", "np.array", "numpy.array") and value.args:
        value = value.args[0].value
    if not (type(value) is cst.Call and (dotted(value.func) or "").rsplit(".", 1)[-1] in ("range", "arange")
            and len(value.args) == 1 and value.args[0].keyword is None):
        return None
    sizes = script.values(value.args[0].value, function)
    if len(sizes) != 1:
        return None
    size = sizes[0].expr
    if type(size) is cst.Call and dotted(size.func) == "len" and len(size.args) == 1:
        return size.args[0].value, sizes[0].function
    return None


_DATASET_ARRAYS = frozenset({"data", "targets", "labels", "train_data", "train_labels", "test_data", "test_labels"})


@memoized
def _presplit_targets(script: Script) -> frozenset[str]:
    """The names assigned from a published dataset's loader (``mnist.load_data()``...)."""
    return frozenset(
        target
        for site in script.calls_by_method.get("load_data", []) + script.calls_by_method.get("fetch_openml", [])
        if _presplit_loader(script, site.node)
        for target in _assigned_targets(site)
    )


def _presplit_loader(script: Script, call: cst.Call) -> bool:
    """``mnist.load_data()`` (Keras), ``fetch_openml("mnist_784")`` (official train/test order)."""
    method = method_of(call)
    if method == "load_data":
        return True
    return method == "fetch_openml" and "mnist" in code_of(call).lower()


def _presplit_call(script: Script, node: cst.BaseExpression) -> bool:
    if type(node) is not cst.Call:
        return False
    qualname = script.qualname(node.func) or ""
    last = qualname.rsplit(".", 1)[-1]
    if qualname.startswith(("torchvision.datasets.", "torchtext.datasets.", "torchaudio.datasets.")):
        return last not in _FOLDER_DATASETS
    if last == "load_data" or ".datasets." in qualname and "keras" in qualname:
        return True
    if call_arg(node, None, "train") is not None or isinstance(literal(call_arg(node, None, "split")), str):
        return last not in _FOLDER_DATASETS
    return False


# which random order ----------------------------------------------------------------------------
_SEED_HELPERS = frozenset({"set_seed", "seed_everything", "set_random_seed", "fix_seed", "seed_all", "set_seeds"})
_GENERATOR_CTORS = frozenset({"default_rng", "RandomState", "Random", "Generator", "PCG64"})
# Calls that put a generator back to a known point: a seed, or a state saved earlier
# (``state = np.random.get_state()`` ... ``np.random.set_state(state)`` before each shuffle).
_RESEEDS = frozenset({"seed", "manual_seed", "set_state", "setstate", "set_rng_state"})
# The modules whose functions draw from each global generator family
_MODULE_GENERATORS = {"numpy": ("numpy.random", "np.random"), "random": ("random",), "torch": ("torch",)}
_STATE_GETTERS = frozenset({"get_state", "getstate", "get_rng_state"})


@memoized
def random_source(script: Script, reorder: Reorder) -> str:
    """Which random generator drew this order: 'numpy' (the global one), 'torch', 'random', the
    name of a generator object, or 'fresh:<seed>' for a generator created with a seed on the spot
    (or `random_state=<seed>`), which gives the same order every time."""
    call = _drawing_call(script, reorder)
    if call is None:
        return f"unknown:{reorder.permutation}"
    for keyword in ("random_state", "seed"):
        state = call_arg(call, None, keyword)
        if state is not None:
            if literal(state) is not ... or _names_a_seed(state):
                return f"fresh:{code_of(state)}"
            return dotted(state) or f"unknown:{reorder.permutation}"
    generator = call_arg(call, None, "generator")
    if generator is not None:
        if type(generator) is cst.Call:
            return f"fresh:{code_of(generator)}"
        return dotted(generator) or f"unknown:{reorder.permutation}"
    func = call.func
    receiver = func.value if type(func) is cst.Attribute else None
    if type(receiver) is cst.Call:
        method = (dotted(receiver.func) or "").rsplit(".", 1)[-1]
        if method in _GENERATOR_CTORS and not receiver.args:
            return f"unseeded:{id(call)}"  # `np.random.default_rng().permutation(n)`: a new order each time
        if method in _GENERATOR_CTORS or method == "manual_seed":
            return f"fresh:{code_of(receiver)}"
    qualname = script.qualname(call.func) or ""
    if qualname.startswith(("numpy.random.", "np.random.")) or qualname in ("sklearn.utils.shuffle", "shuffle"):
        return "numpy"
    if qualname.startswith("torch."):
        return "torch"
    if qualname.startswith("random."):
        return "random"
    if type(func) is cst.Attribute and type(receiver) is not cst.Call:
        if func.attr.value == "sample":
            return "numpy"  # pandas draws from numpy's global generator
        name = dotted(receiver)
        if name is not None:
            return name
    return f"unknown:{reorder.permutation}"


def _names_a_seed(expr: cst.BaseExpression) -> bool:
    name = dotted(expr)
    if name is None:
        return False
    last = name.rsplit(".", 1)[-1]
    return "seed" in last.lower() or last.isupper()


def _drawing_call(script: Script, reorder: Reorder) -> cst.Call | None:
    """The call that drew the random order: the shuffle itself, or the permutation an index came from."""
    key = reorder.permutation
    if key.startswith("each@"):  # one array of several put in order one by one: the draw is the node
        inner = script.memo.get("helper draws", {}).get(id(reorder.node))  # a helper call: its own draw
        return inner if inner is not None else reorder.node if type(reorder.node) is cst.Call else None
    if key.startswith(("call@", "helper@")):  # a helper's call: its own draw (helper@<call>@<draw>)
        site = script.site_by_id(int(key.rsplit("@", 1)[1]))
        return site.node if site is not None else None
    return None


def same_random_order(script: Script, x: Reorder, y: Reorder) -> bool:
    """The two reorderings (of one function) apply the same order, or it cannot be told: one
    permutation, one seeded generator created on the spot, or one generator re-seeded with the
    same seed before each. Two draws of one unseeded generator are two orders."""
    if x.permutation == y.permutation:
        return True
    if x.permutation.startswith("each@") and x.permutation.rsplit("@", 1)[0] == y.permutation.rsplit("@", 1)[0]:
        return False  # two arrays of one loop or call, told apart where they were shuffled
    family, other = random_source(script, x), random_source(script, y)
    if family.startswith("unknown:") or other.startswith("unknown:"):
        return True  # cannot tell: say nothing
    if family.startswith("fresh:") or other.startswith("fresh:") or family != other:
        return family == other
    first, second = (x, y) if x.order < y.order else (y, x)
    before = _last_seed(script, first.function, family, 0, first.order)
    between = _last_seed(script, first.function, family, first.order, second.order)
    return before is not None and between is not None and before == between


def random_splits_differ(script: Script, first: cst.Call, second: cst.Call) -> bool:
    """Two ``random_split`` calls with the same lengths that draw different permutations: one
    generator drawn from twice (``g = torch.Generator().manual_seed(42)`` passed to both, or the
    global generator with no re-seeding between). Splitting two copies of one dataset that way
    (one per transform) does not give matching parts: the second call's validation part is
    mostly the first call's training part. False when it cannot be told (a generator passed by
    position, a call in another function)."""
    sites = [script.site_of(call) for call in (first, second)]
    if first is second or any(site is None or method_of(site.node) != "random_split" for site in sites):
        return False
    if any(len([arg for arg in site.node.args if arg.keyword is None]) != 2 for site in sites):
        return False
    if sites[0].function is not sites[1].function:
        return False
    lengths = [call_arg(site.node, 1, "lengths") for site in sites]
    if any(length is None for length in lengths) or code_of(lengths[0]) != code_of(lengths[1]):
        return False
    fresh = [_first_draw_of_seeded_generator(script, site) for site in sites]
    if fresh[0] is not None and fresh[1] is not None:
        return fresh[0] != fresh[1]  # `g1 = torch.Generator().manual_seed(42)` and `g2 = ...(42)`: one order
    draws = [Reorder((), f"call@{id(site.node)}", "returned", site.node, site.function, site.order)
             for site in sites]
    return not same_random_order(script, draws[0], draws[1])


def _first_draw_of_seeded_generator(script: Script, site: CallSite) -> str | None:
    """The seeding text when the call draws from a generator object bound once to a seeded
    construction (``g = torch.Generator().manual_seed(42)``) that no earlier call was handed:
    the same order as a generator created on the spot."""
    generator = call_arg(site.node, None, "generator")
    if type(generator) is not cst.Name:
        return None
    # as bound at the call: `g = torch.Generator().manual_seed(0)` written again before the second split
    bound = script.values_at(generator, site.function, site.order, site.loop, site.statement)
    if len(bound) != 1 or type(bound[0].expr) is not cst.Call:
        return None
    method = method_of(bound[0].expr)
    if method != "manual_seed" and method not in _GENERATOR_CTORS or not bound[0].expr.args:
        return None
    since = max((assignment.order for assignment in site.function.bindings.get(generator.value, ())
                 if assignment.value is bound[0].expr), default=0)
    for other in site.function.calls:
        if since < other.order < site.order and any(dotted(arg.value) == generator.value for arg in other.node.args):
            return None
    return code_of(bound[0].expr)


def _last_seed(script: Script, function: FunctionInfo, family: str, start: int, end: int) -> str | None:
    """The seed text of the last re-seeding of ``family`` in (start, end): a seeding call, or the
    generator ``family`` names created again with a seed."""
    found = None
    for order, seed in sorted(_seedings(script, function, family)):
        if start < order < end:
            found = seed
    return found


def _seedings(script: Script, function: FunctionInfo, family: str):
    """(order, seed text) of each point where ``family``'s generator is put back to a known state."""
    for site in function.calls:
        seed = _seeds(script, site.node, family)
        if seed is not None:
            yield site.order, seed
    for store in script.stores(function):
        if type(store.value) is not cst.Call:
            continue
        method = (dotted(store.value.func) or "").rsplit(".", 1)[-1]
        if store.name == family and (method in _GENERATOR_CTORS or method == "manual_seed"):
            yield store.order, code_of(store.value)
        elif method in _STATE_GETTERS and _of_family(script, store.value, family):
            # `state = np.random.get_state()`: the point that `set_state(state)` goes back to
            yield store.order, store.name


def _seeds(script: Script, call: cst.Call, family: str) -> str | None:
    qualname = script.qualname(call.func) or ""
    method = qualname.rsplit(".", 1)[-1]
    seed = code_of(call.args[0].value) if call.args else ""
    if method in _SEED_HELPERS:
        return seed
    if method not in _RESEEDS:
        return None
    return seed if _of_family(script, call, family) else None


def _of_family(script: Script, call: cst.Call, family: str) -> bool:
    """Whether ``call`` (``np.random.seed``, ``random.setstate``, ``rng.manual_seed``...) acts on
    the generator of ``family``."""
    qualname = script.qualname(call.func) or ""
    owner = qualname.rsplit(".", 1)[0] if "." in qualname else ""
    return owner == family or owner in _MODULE_GENERATORS.get(family, ())
