"""Which split a metric was computed on: ``test_acc`` from ``evaluate(test_loader)``, ``correct +=``
inside ``for x, y in testloader``, ``acc`` returned by a helper whose loop walks the test set.

Part of the shared analysis (FIT601 asks it; ``fitlint.analysis.data.data_split`` answers for the
data itself). A metric is traced back through names, helpers' returns, running totals in loops and
calls that pass a value through (``float(acc)``, ``acc.item()``, ``np.mean(accs)``) to the loaders,
datasets or arrays it was computed on.
"""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from fitlint.analysis.data import SplitEvidence, data_split, mapped_argument, split_from_name
from fitlint.findings import HELD_OUT, Split
from fitlint.words import words
from fitlint.analysis.script import (Assignment, FunctionInfo, LoopInfo, Script, dotted, element_index, literal, literal_key,
                                     memoized, references, short_code, tuple_element, unpacked_from)

# The words of a name for data (`test_loader`, `X_val`, `dev_set`, `testset`), not for a metric
# (`val_correct_preds`: "preds" holds "ds" but is no dataset).
_DATA_WORDS = frozenset({"ds", "dl", "iter", "iterator", "gen", "generator", "x", "y"})
_DATA_ENDINGS = ("loader", "loaders", "set", "sets", "data", "batch", "batches")
# Words one of the patterns needs somewhere in the file (checked on the lower-cased source).
_MAX_DEPTH = 8
# Methods that add a value to a running total or a list of values.
_GATHERING_METHODS = frozenset({"update", "append", "add", "extend"})


def metric_tracer(script: Script) -> MetricTracer:
    """The script's tracer (its answers are kept for the file)."""
    return _metric_tracer(script)


@memoized
def _metric_tracer(script: Script) -> MetricTracer:
    return MetricTracer(script)


class MetricTracer:
    """Traces a metric to the split it was computed on (cached per expression)."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self._cache: dict[tuple[int, int], tuple[SplitEvidence, ...]] = {}
        self._aug_by_function: dict[int, list] = {}
        for aug in script.aug_assigns:
            self._aug_by_function.setdefault(id(aug.function), []).append(aug)
        # `meter.update(psnr, n)`, `losses.append(loss.item())`: a total gathered by a method call
        self._gathered_by_function: dict[int, list] = {}
        # per scope: the assignment each name read in an assigned value is read by
        self._readers: dict[int, dict[int, Assignment]] = {}
        self._if_readers: dict[int, dict[int, cst.If]] = {}
        for site in script.calls:
            if site.loop is not None and site.method in _GATHERING_METHODS and site.receiver is not None:
                self._gathered_by_function.setdefault(id(site.function), []).append(site)

    def test_evidence(self, expr: cst.BaseExpression, function: FunctionInfo) -> SplitEvidence | None:
        """The evidence that ``expr`` is a test metric, when every split it traces to is the test split."""
        found = self.metric(expr, function, 0)
        splits = {evidence.split for evidence in found}
        if splits == {Split.TEST}:
            return found[0]
        return None

    # metrics
    def metric(self, expr: cst.BaseExpression, function: FunctionInfo, depth: int) -> tuple[SplitEvidence, ...]:
        key = (id(expr), id(function))
        if key in self._cache:
            return self._cache[key]
        self._cache[key] = ()
        found = tuple(self._metric(expr, function, depth)) if depth <= _MAX_DEPTH else ()
        self._cache[key] = found
        return found

    def _metric(self, expr: cst.BaseExpression, function: FunctionInfo, depth: int) -> list[SplitEvidence]:
        if type(expr) in (cst.Name, cst.Attribute):
            data = self.data(expr, function) if looks_like_data(expr) else None
            if data is not None:
                return [data]
            if _split_index(expr):
                return _named(dotted(expr) or "", f"`{short_code(expr)}`")
            if type(expr) is cst.Attribute and dotted(expr.value) != "self":
                return list(self.metric(expr.value, function, depth + 1))
            return self._name(expr, function, depth)
        if type(expr) is cst.Subscript:
            masked = _read_through_split_index(expr)
            if masked:
                return masked
            if literal_key(expr) is not None:
                # `scores["test"]` of `scores = {"val": evaluate(val_loader), "test": evaluate(test_loader)}`:
                # the entry, not the whole dict (which holds every split)
                key = literal_key(expr)
                found = [evidence for bound in self.script.values(expr.value, function) if type(bound.expr) is cst.Dict
                         for element in bound.expr.elements
                         if type(element) is cst.DictElement and literal(element.key) == key
                         for evidence in self.metric(element.value, bound.function, depth + 1)]
                if found:
                    return found
            element = element_index(expr)
            mapped = mapped_argument(self.script, element[0], element[1]) if element is not None else None
            if mapped is not None:  # `Xte` of `Xtr, ytr, Xte, yte = to_tensor(X_train, y_train, X_test, y_test)`
                return list(self.metric(mapped, function, depth + 1))
            return list(self.metric(expr.value, function, depth + 1)) or self._item(expr, depth)
        if type(expr) is cst.Call:
            return self._call(expr, function, depth)
        out: list[SplitEvidence] = []
        for name in references(expr, opaque_calls=True):
            out += self.metric(name, function, depth + 1)
        return out

    def _name(self, expr: cst.Name | cst.Attribute, function: FunctionInfo, depth: int) -> list[SplitEvidence]:
        script = self.script
        # read in `test_mAP = mean_average_precision(pred_boxes, ...)` or `if acc > best:`: the
        # bindings that reach it
        use = self._reading_statement(expr, function) if type(expr) is cst.Name else None
        at_call = self._from_helper_calls(expr, function, depth, use)
        if at_call:
            return at_call
        out: list[SplitEvidence] = []
        bounds = script.values_at(expr, function, *use) if use is not None else script.values(expr, function)
        for bound in bounds:
            if bound.expr is not expr:
                out += self.metric(bound.expr, bound.function, depth + 1)
        if bounds and all(type(bound.expr) is cst.List and not bound.expr.elements for bound in bounds):
            out += self._appended(expr, bounds[0].function, depth)
        name = dotted(expr) or ""
        counted = self._counted_in_loops(expr, name, function)
        out += counted
        return out or _named(name, f"`{name}`")

    def _appended(self, expr: cst.BaseExpression, scope: FunctionInfo, depth: int) -> list[SplitEvidence]:
        """``test_acc = []`` filled by ``test()`` with ``test_acc.append(100. * correct / len(...))``,
        read as ``test_acc[-1]``: what the functions that see that list append to it."""
        name = dotted(expr)
        out: list[SplitEvidence] = []
        for site in self.script.calls_by_method.get("append", ()):
            if len(site.node.args) != 1 or dotted(site.receiver) != name:
                continue
            if (type(site.receiver) is cst.Name and site.function.binding_scope(name) is scope
                    or name.startswith("self.") and site.function.cls is not None and site.function.cls is scope.cls):
                # (`self.valid_acc_list.append(valid_result['acc'])` in a method of the same class)
                out += self.metric(site.node.args[0].value, site.function, depth + 1)
        return out

    def _item(self, expr: cst.Subscript, depth: int) -> list[SplitEvidence]:
        """``state['test_accuracy']``, a results dict written in another function (``test()`` sets
        ``state['test_accuracy'] = correct / len(test_loader.dataset)``): the values stored under
        that key of that container anywhere in the file, else the key's own name."""
        key, container = literal_key(expr), dotted(expr.value)
        if key is None or container is None:
            return []
        out: list[SplitEvidence] = []
        for item in self.script.item_assigns:
            if literal_key(item.target) == key and dotted(item.target.value) == container:
                out += self.metric(item.value, item.function, depth + 1)
        return out or _named(key, f"`{container}[{key!r}]`")

    def _from_helper_calls(self, expr: cst.BaseExpression, function: FunctionInfo, depth: int,
                           use: tuple | None = None) -> list[SplitEvidence]:
        """``val_loss, val_acc = test(validate_loader, model)``: a name every assignment of which is
        the result of a call of this file's helper is judged at those calls, by the data each call
        passes (the helper's own names, ``test_correct``, describe every caller). Empty when a call
        says nothing or the calls disagree: a helper that returns one metric per split
        (``train_acc, test_acc = run(train_loader, test_loader)``) is followed into its returns."""
        if type(expr) is not cst.Name:
            return []
        scope = function.binding_scope(expr.value)
        assignments = scope.bindings.get(expr.value) if scope is not None else None
        if not assignments:
            return []
        if use is not None and scope is function:  # only those that reach the read
            assignments = self.script.writes_reaching(assignments, assignments, scope, *use)
        calls = [(unpacked_from(assignment.value), _unpacked_position(assignment)) for assignment in assignments]
        if not all(type(call) is cst.Call and self.script.local_factory(call, scope) is not None for call, _ in calls):
            return []
        out = [evidence for call, position in calls for evidence in self._call(call, scope, depth + 1, position)]
        return out if len({evidence.split for evidence in out}) == 1 else []

    def _counted_in_loops(self, expr: cst.BaseExpression, name: str, function: FunctionInfo) -> list[SplitEvidence]:
        """``correct += ...`` or ``psnr_meter.update(...)`` inside ``for ... in testloader``: the
        split of the loop. A total reset before another loop (``correct = 0`` then the validation
        loop, after the training loop counted into the same name) holds only that loop's count
        where it is read."""
        for scope in function.scopes():
            writes = [aug for aug in self._aug_by_function.get(id(scope), ())
                      if aug.loop is not None and dotted(aug.target) == name]
            writes += [site for site in self._gathered_by_function.get(id(scope), ()) if dotted(site.receiver) == name]
            out = self._loop_evidence(writes)
            if len({evidence.split for evidence in out}) > 1:
                out = self._loop_evidence(self._writes_reaching(expr, name, writes, scope))
            if out or name in scope.bindings or name in scope.params:
                return out
        return []

    def _loop_evidence(self, writes: list) -> list[SplitEvidence]:
        return [evidence for evidence in map(self.loop, (write.loop for write in writes)) if evidence is not None]

    def _writes_reaching(self, expr: cst.BaseExpression, name: str, writes: list, scope: FunctionInfo) -> list:
        """The writes that reach ``expr`` read in the assignment ``acc = correct / total`` of
        ``scope``; all of them when the read is elsewhere."""
        use = self._reading_assignment(expr, scope)
        if use is None:
            return writes
        return self.script.writes_reaching(writes, scope.bindings.get(name, []), scope, use.order, use.loop)

    def _reading_statement(self, expr: cst.BaseExpression, scope: FunctionInfo):
        """``(order, loop, statement)`` of the assignment or ``if`` test that reads ``expr``."""
        use = self._reading_assignment(expr, scope)
        if use is not None:
            return use.order, use.loop, use.statement
        tests = self._if_readers.get(id(scope))
        if tests is None:
            tests = self._if_readers[id(scope)] = {
                id(read): node for node, function in self.script.ifs if function is scope for read in _reads(node.test)}
        node = tests.get(id(expr))
        return (*self.script.if_positions[id(node)], node) if node is not None else None

    def _reading_assignment(self, expr: cst.BaseExpression, scope: FunctionInfo) -> Assignment | None:
        readers = self._readers.get(id(scope))
        if readers is None:
            readers = self._readers[id(scope)] = {
                id(read): assignment for assignments in scope.bindings.values() for assignment in assignments
                if not assignment.unpacked for read in _reads(assignment.value)}
        return readers.get(id(expr))

    def loop(self, loop: LoopInfo) -> SplitEvidence | None:
        """The split of the data a loop, or a loop around it, walks."""
        for current in self.script.enclosing_loops(loop):
            source = self.script.loop_source(current)
            found = self.data(source, current.function) if source is not None else None
            if found is not None:
                return found
        return None

    def _call(self, call: cst.Call, function: FunctionInfo, depth: int,
              position: int | None = None) -> list[SplitEvidence]:
        """``position``: the element of the returned tuple the value was unpacked from (``x_client``
        in ``x_client, x_test = load_data()`` is the first of ``return x_client, x_test``)."""
        script = self.script
        if dotted(call.func) == "len":
            # `correct / len(test)`: a count is divided by the size of some data; what was counted
            # decides (a denominator copied from another split is a different slip)
            return []
        out: list[SplitEvidence] = []
        for arg in call.args:
            if arg.star:
                continue
            data = self.data(arg.value, function) if looks_like_data(arg.value) else None
            if data is not None:
                out.append(data)
        if out:
            return out
        site = script.site_of(call)
        target = script.callee(site) if site is not None else None
        if target is not None:
            for loop in target.loops:
                if script.loop_trains(loop):
                    continue
                evidence = self.loop(loop)
                if evidence is not None:
                    out.append(evidence)
            if out:
                return out
            for returned in target.returns:
                out += self.metric(tuple_element(returned, position), target, depth + 1)
            return out
        # a metric passed through a function: float(acc), round(acc, 2), acc.item(), np.mean(accs)
        for arg in call.args:
            if not arg.star:
                out += self.metric(arg.value, function, depth + 1)
        if type(call.func) is cst.Attribute:
            out += self.metric(call.func.value, function, depth)  # a method chain is one value
        return out

    def data(self, expr: cst.BaseExpression, function: FunctionInfo) -> SplitEvidence | None:
        return data_split(self.script, expr, function)


def _reads(expr: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    """The references of ``expr`` and the receivers inside a dotted one: ``Y`` in
    ``Y.detach().cpu().numpy()`` is read there too (a metric traced through the method chain
    reaches ``Y`` itself)."""
    for read in references(expr):
        yield read
        while type(read) is cst.Attribute:
            read = read.value
            yield read


def _unpacked_position(assignment: Assignment) -> int | None:
    """The index ``i`` of a name bound by unpacking (its value is recorded as ``call()[i]``)."""
    element = assignment.element()
    return element[1] if element is not None else None


# the words of a mask or an index set that picks one split's rows (`data.test_mask`, `idx_val`)
_INDEX_WORDS = frozenset({"mask", "masks", "idx", "index", "indices", "ids", "nodes"})


def _split_index(expr: cst.BaseExpression) -> bool:
    """``data.test_mask``, ``idx_val``, ``split_idx_test``: a mask or index set named for a split."""
    name = dotted(expr)
    return name is not None and bool(set(words(name.rsplit(".", 1)[-1])) & _INDEX_WORDS) and split_from_name(
        name) is not None


def _read_through_split_index(expr: cst.Subscript) -> list[SplitEvidence]:
    """``pred[data.test_mask]``, ``out[idx_test]``: a whole-graph (or whole-table) output read at
    one held-out split's rows is that split's, whatever the output is called."""
    for element in expr.slice:
        index = element.slice
        if type(index) is cst.Index and type(index.value) in (cst.Name, cst.Attribute) and _split_index(index.value):
            return _named(dotted(index.value) or "", f"`{short_code(expr)}`")
    return []


def _named(name: str, text: str) -> list[SplitEvidence]:
    """A metric judged by its name alone (``test_acc``, the key ``'val_loss'``): held-out, never
    a name that also says train."""
    role = split_from_name(name)
    return [SplitEvidence(role, text)] if role in HELD_OUT and "train" not in name.lower() else []


def looks_like_data(expr: cst.BaseExpression) -> bool:
    """Named like data (``test_loader``, ``X_val``, ``dev_set``) rather than like a metric."""
    name = dotted(expr)
    if name is None:
        return False
    return any(word in _DATA_WORDS or word.endswith(_DATA_ENDINGS) for word in words(name.rsplit(".", 1)[-1]))
