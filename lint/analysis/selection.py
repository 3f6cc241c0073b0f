"""Where a training run chooses on a metric: the best checkpoint, early stopping, a plateau
scheduler, a fit() whose callbacks watch its validation data, a Lightning validation hook.

Part of the shared analysis (FIT601 asks which of these choose on the test split). Each place is a
``Selection``: the metric it chooses on, where, and what the choice does. Found:

- ``if acc > best_acc:`` (or ``is_best = acc > best_acc`` passed to a save function; or, whatever
  its name, a value the ``if`` body sets to the metric: ``if acc > record[1]: record[1] = acc``) guarding a
  ``torch.save`` / ``save_checkpoint``, a copy of the weights (``state_dict``, ``deepcopy``, a
  ``best_model`` name) or an early-stopping counter / ``break`` (also in its ``else``);
- ``ReduceLROnPlateau.step(metric)`` and calls of an early-stopping object (``early_stopping(loss,
  model)``, ``stopper.step(loss)``);
- ``fit(..., validation_data=..., callbacks=[EarlyStopping(...)])`` and the wrappers that imitate
  it (``FitValidation``), a Hugging Face ``Trainer(eval_dataset=...)`` that reloads the best
  checkpoint or stops early, and a Lightning ``val_dataloader()`` in a file whose trainer monitors
  a validation metric.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import libcst as cst

from fitlint.analysis.models import models_of, named_like_model
from fitlint.project import IMPORTED
from fitlint.analysis.schedulers import handed_scheduler_step
from fitlint.analysis.script import (
    CallSite, FunctionInfo, Script, call_arg, code_of, contains, dotted, literal, memoized, references, walk,
)
from fitlint.words import words

# Names that hold the best value so far.
_BEST = re.compile(
    r"best|^(?:min|max|lowest|highest|top)_?(?:val|valid|test)?_?(?:loss|acc|err|error|score|metric|f1|auc)"
    r"|(?:loss|acc|err|error|score|metric|f1|auc)_?(?:min|max|lowest|highest)$",  # `valid_loss_min` (Udacity's)
    re.IGNORECASE,
)
# Names of an early-stopping counter or flag.
_COUNTER = re.compile(
    r"patience|counter|no_?improv|not_?improv|^wait$|_wait$|bad_?epoch|stale|early_?stop|trigger|stop",
    re.IGNORECASE,
)
# Names that hold a copy of the chosen weights.
_KEPT = re.compile(r"best_?(?:model|net|state|weights|wts|params|ckpt|checkpoint)", re.IGNORECASE)
# the settings of the best run of a search (`best_lr = current_lr` in a grid over learning rates)
_CHOSEN = re.compile(r"best_?(?:lr|learning_rate|h(?:yper)?params?|config|cfg|weight_decay|wd|dropout|batch_size"
                     r"|num_epochs|n_epochs|hidden_size|alpha)$", re.IGNORECASE)
_SAVE_NAME = re.compile(r"save|checkpoint|ckpt", re.IGNORECASE)
# a helper that saves when it is handed the weights (``misc.model_snapshot(model, path)``); a
# ``tracemalloc.take_snapshot()`` is handed none
_SNAPSHOT = re.compile(r"snapshot", re.IGNORECASE)
_NOT_SAVE = re.compile(r"savetxt|savefig|save_image|savez|save_pred|save_result|save_log|save_fig|save_plot",
                       re.IGNORECASE)
_NOT_SAVE_ROOTS = ("numpy", "np", "matplotlib", "plt", "pandas", "pd", "PIL", "cv2", "imageio", "json", "scipy")
# Words one of the patterns needs somewhere in the file (checked on the lower-cased source).
_PREFILTER = ("best", "patience", "earlystop", "early_stop", "plateau", "improv", "lowest", "min_", "monitor", "sched")
# what a handed scheduler's `step(...)` may be given that only ReduceLROnPlateau reads
_METRIC_WORDS = frozenset({"loss", "losses", "acc", "accuracy", "metric", "score", "error", "err", "f1", "auc",
                           "mae", "mse", "rmse", "psnr", "dice", "iou", "perplexity", "ppl"})
_BEST_WORDS = ("best", "lowest", "min_", "max_", "highest", "top_")
# what a comparison keeping a running record of any name guards (``if acc > maxv: maxv = acc``)
_KEEPING_WORDS = ("torch.save", "deepcopy")
_SELECTING_CALLBACKS = ("EarlyStopping", "ReduceLROnPlateau", "EarlyStoppingCallback")
# where a fit() takes the data it validates on (Keras, Lightning, torchkeras, poutyne, tabnet)
_VALIDATION_KEYWORDS = ("validation_data", "val_data", "valid_data", "val_dataloaders", "valid_dataloader",
                        "val_dataloader", "valid_generator", "validation_generator", "eval_set", "val_loader")
# keyword arguments of a fit() that select on the validation data
_SELECTING_KEYWORDS = ("monitor", "patience", "early_stopping", "early_stopping_rounds", "save_best",
                       "save_best_only", "restore_best_weights")


@dataclass(frozen=True, eq=False)
class Selection:
    """A choice made on ``metric`` (an expression of ``function``), decided at ``node``:
    ``action`` is 'save', 'keep' or 'stop' for a best-so-far comparison (``node`` is the
    comparison), 'threshold' for a stop at a fixed target (``if acc >= 0.95: break``), 'plateau' or
    'stopper' for a call that reads the metric (``node`` is the call)."""

    node: cst.CSTNode
    statement: cst.CSTNode | None
    metric: cst.BaseExpression
    function: FunctionInfo
    action: str
    # the call that carries the action out (the `torch.save(...)` the comparison guards), when it
    # is a call in the guarded body: the finding spans from the decision to it
    acted: cst.CSTNode | None = None


@dataclass(frozen=True, eq=False)
class FitValidation:
    """A fit() defined elsewhere that validates on ``data`` while ``chooser`` (a callback's class,
    or a keyword such as ``monitor=``) picks the epoch on it."""

    site: CallSite
    data: cst.BaseExpression
    chooser: str
    trainer: bool = False  # a Hugging Face-style Trainer(eval_dataset=...), not a fit()


def selections(script: Script) -> list[Selection]:
    return list(_selections(script))


@memoized
def _selections(script: Script) -> tuple[Selection, ...]:
    source = script.lowered
    found: list[Selection] = []
    if any(word in source for word in _PREFILTER):
        found += _plateau_and_stoppers(script, "earlystop" in source or "early_stop" in source)
    if any(word in source for word in _BEST_WORDS + _KEEPING_WORDS):
        found += _best_comparisons(script)
    found += _threshold_stops(script)
    return tuple(found)


def _threshold_stops(script: Script) -> list[Selection]:
    """``if accuracy >= 0.95: return`` (or ``break``) inside a loop that trains: training stops at
    the first evaluation whose metric reaches a fixed target, so the metric picks the stopping
    epoch (the threshold is the choice, made on whatever data the metric measures)."""
    out = []
    for node, function in script.ifs:
        test = node.test
        if type(test) is not cst.Comparison or len(test.comparisons) != 1 or type(
                test.comparisons[0].operator) not in (cst.GreaterThan, cst.GreaterThanEqual, cst.LessThan,
                                                       cst.LessThanEqual):
            continue
        left, right = test.left, test.comparisons[0].comparator
        sides = [side for side in (left, right) if isinstance(literal(side), (int, float))]
        metric = right if sides == [left] else left if sides == [right] else None
        if metric is None or not _metric_shaped(metric) or not _leaves_loop(node.body):
            continue
        loop = next((loop for loop in script.loops if loop.function is function and contains(loop.node.body, node)),
                    None)
        if loop is not None and script.loop_trains(loop):
            out.append(Selection(test, node, metric, function, "threshold"))
    return out


def _metric_shaped(expr: cst.BaseExpression) -> bool:
    """``acc``, ``self.acc``, or the latest entry of a history (``test_acc[-1]``)."""
    if type(expr) is cst.Subscript and len(expr.slice) == 1 and type(expr.slice[0].slice) is cst.Index:
        return isinstance(literal(expr.slice[0].slice.value), int) and _metric_shaped(expr.value)
    return type(expr) in (cst.Name, cst.Attribute)


def _leaves_loop(body: cst.BaseSuite) -> bool:
    """The block ends the loop around it: a ``break`` or ``return`` among its own statements."""
    return any(type(small) in (cst.Break, cst.Return) for statement in getattr(body, "body", ())
               if type(statement) is cst.SimpleStatementLine for small in statement.body)


# best-so-far comparisons ---------------------------------------------------------------------------
class _Body:
    """What an `if` body does: saves, copies weights, counts towards early stopping."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.actions: set[str] = set()
        self.calls: dict[str, cst.Call] = {}  # the first call that does each action

    @property
    def action(self) -> str | None:
        return next((action for action in ("save", "keep", "stop", "choose") if action in self.actions), None)

    def visit_Call(self, node: cst.Call) -> None:
        action = _call_action(self.script, node)
        if action is not None:
            self.actions.add(action)
            self.calls.setdefault(action, node)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._target(target.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def _target(self, target: cst.BaseExpression) -> None:
        if type(target) in (cst.Tuple, cst.List):
            names = [dotted(element.value) for element in target.elements]
        else:
            names = [dotted(target)]
        for name in filter(None, names):
            last = name.rsplit(".", 1)[-1]
            if _KEPT.search(last):
                self.actions.add("keep")
            elif _CHOSEN.search(last):
                self.actions.add("choose")
            elif _COUNTER.search(last):
                self.actions.add("stop")

    def visit_Break(self, node: cst.Break) -> None:
        self.actions.add("stop")

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False


def _call_action(script: Script, call: cst.Call) -> str | None:
    name = dotted(call.func) or ""
    qualname = script.qualname(call.func) or ""
    last = name.rsplit(".", 1)[-1]
    if qualname == "torch.save":
        return "save"
    if last == "state_dict" or last == "deepcopy":
        return "keep"
    if name.split(".", 1)[0] in _NOT_SAVE_ROOTS or qualname.split(".", 1)[0] in _NOT_SAVE_ROOTS:
        return None
    if _SAVE_NAME.search(last) and not _NOT_SAVE.search(last):
        return "save"
    if _SNAPSHOT.search(last) and _hands_weights(script, call):
        return "save"
    return None


def _hands_weights(script: Script, call: cst.Call) -> bool:
    """A model (or its ``state_dict()``) is among the call's arguments: a constructor of one, or,
    when its value comes from elsewhere (``model = zoo.mnist(...)``), a name that says model."""
    site = script.site_of(call)
    if site is None:
        return False
    for arg in call.args:
        value = arg.value
        if type(value) is cst.Call and (dotted(value.func) or "").endswith("state_dict"):
            return True
        if models_of(script, value, site.function) or named_like_model(dotted(value) or ""):
            return True
    return False


def _body_action(script: Script, node: cst.CSTNode, counters_only: bool = False) -> tuple[str | None, cst.Call | None]:
    """What the block does (see ``_Body``) and the call that does it, when a call does."""
    body = _Body(script)
    walk(node, body)
    if counters_only and body.action != "stop":
        return None, None
    return body.action, body.calls.get(body.action) if body.action is not None else None


def _best_sides(comparison: cst.Comparison, records: Iterable[cst.CSTNode] = ()) -> cst.BaseExpression | None:
    """The metric side of ``metric > best`` / ``best < metric``; None when neither side is a best-so-far.
    A side is the best so far by its name, or, whatever its name, when one of the ``records`` (the
    body the comparison guards, the statements after it in its loop) sets it to the other side
    (``if acc > top1[1]: top1[1] = acc``; ``if loss < prev: save(...)`` then ``prev = loss``)."""
    if len(comparison.comparisons) != 1:
        return None
    target = comparison.comparisons[0]
    left, right = comparison.left, target.comparator
    if type(target.operator) in (cst.Equal, cst.GreaterThan, cst.LessThan, cst.GreaterThanEqual, cst.LessThanEqual):
        # `if last_acc == max(self.valid_acc_list):`, `if val_loss <= min(losses):` the best of a history
        for metric, other in ((left, right), (right, left)):
            if _history_extreme(other) and literal(metric) is ... and not _history_extreme(metric):
                return metric
    if type(target.operator) not in (cst.GreaterThan, cst.LessThan, cst.GreaterThanEqual, cst.LessThanEqual):
        return None
    left_best, right_best = _is_best(left), _is_best(right)
    if left_best == right_best and not left_best and literal(left) is ... and literal(right) is ...:
        for record in records:
            kept = _assigned(record)
            left_best, right_best = _sets(kept, left, right), _sets(kept, right, left)
            if left_best != right_best:
                break
    if left_best == right_best:
        return None
    metric = right if left_best else left
    if literal(metric) is not ...:
        return None
    return metric


_EXTREMES = frozenset({"max", "min", "np.max", "np.min", "numpy.max", "numpy.min", "np.amax", "np.amin"})


def _history_extreme(expr: cst.BaseExpression) -> bool:
    """``max(self.valid_acc_list)``, ``np.min(val_losses)``: the best value of a kept history."""
    return (type(expr) is cst.Call and dotted(expr.func) in _EXTREMES and len(expr.args) == 1
            and not expr.args[0].star and type(expr.args[0].value) in (cst.Name, cst.Attribute))


def _is_best(expr: cst.BaseExpression) -> bool:
    if type(expr) is cst.BinaryOperation:  # best_acc + min_delta
        return _is_best(expr.left) or _is_best(expr.right)
    if type(expr) is cst.Subscript:  # best_acc[-1], a history of the best values
        return _is_best(expr.value)
    name = dotted(expr)
    return name is not None and bool(_BEST.search(name.rsplit(".", 1)[-1]))


def _assigned(body: cst.CSTNode) -> dict[str, list[cst.BaseExpression]]:
    """The values ``body`` assigns, by the code of their single target."""
    assigns = _Assigns()
    walk(body, assigns)
    out: dict[str, list[cst.BaseExpression]] = {}
    for node in assigns.found:
        if len(node.targets) == 1:
            out.setdefault(_bare(code_of(node.targets[0].target)), []).append(node.value)
    return out


def _sets(assigned: dict[str, list[cst.BaseExpression]], target: cst.BaseExpression,
          value: cst.BaseExpression) -> bool:
    """``target = value`` is among the ``assigned`` (``top1[1] = acc`` for ``target`` ``top1[1]``)."""
    values = assigned.get(_bare(code_of(target))) if assigned else None
    if not values:
        return False
    wanted = _bare(code_of(value))
    return any(_bare(code_of(node)) == wanted for node in values)


def _bare(code: str) -> str:
    return "".join(code.split())


class _Assigns:
    def __init__(self) -> None:
        self.found: list[cst.Assign] = []

    def visit_Assign(self, node: cst.Assign) -> bool:
        self.found.append(node)
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False


class _Comparisons:
    def __init__(self) -> None:
        self.found: list[cst.Comparison] = []

    def visit_Comparison(self, node: cst.Comparison) -> bool:
        self.found.append(node)
        return False

    def visit_Call(self, node: cst.Call) -> bool:
        return False


def _best_comparisons(script: Script) -> list[Selection]:
    flags: dict[tuple[int, str], list[tuple[cst.Comparison, cst.CSTNode]]] = {}
    for assignment in script.assigns:
        if type(assignment.value) is cst.Comparison and _best_sides(assignment.value) is not None:
            flags.setdefault((id(assignment.function), assignment.target), []).append(
                (assignment.value, assignment.statement))
    out: list[Selection] = []
    seen: set[int] = set()
    for node, function in script.ifs:
        collector = _Comparisons()
        walk(node.test, collector)
        candidates = [(c, node) for c in collector.found]
        test_name = dotted(node.test)
        if test_name is not None:
            candidates += flags.get((id(function), test_name), [])
        for comparison, statement in candidates:
            metric = _best_sides(comparison, _records(script, node, function) if statement is node else ())
            if metric is None or id(comparison) in seen:
                continue
            action, acted = _body_action(script, node.body)
            if action is None and node.orelse is not None:
                action, acted = _body_action(script, node.orelse, counters_only=True)
            if action is not None:
                seen.add(id(comparison))
                out.append(Selection(comparison, statement, metric, function, action, acted))
    # `is_best = acc > best_acc` passed to a save function (that reads it)
    for site in script.calls:
        for arg in site.node.args:
            for comparison, statement in flags.get((id(site.function), dotted(arg.value) or ""), []):
                if id(comparison) not in seen and _call_action(script, site.node) == "save" and not _ignores(
                        script, site, arg.value):
                    seen.add(id(comparison))
                    out.append(Selection(comparison, statement, _best_sides(comparison), site.function, "save"))
    return out


def _records(script: Script, node: cst.If, function: FunctionInfo) -> Iterator[cst.CSTNode]:
    """Where a value compared in ``node`` may be kept as the metric's record, looked up only when
    asked: the body ``node`` guards, then the statements after ``node`` in the body of the loop it
    sits in. The latter carry the metric to the next iteration's comparison: ``prev_loss =
    test_loss`` after ``if test_loss < prev_loss: save_model(...)`` compares each epoch with the
    one before."""
    yield node.body
    for loop in script.loops:
        if loop.function is not function:
            continue
        body = tuple(getattr(loop.node.body, "body", ()))
        for index, statement in enumerate(body):
            if statement is node:
                yield from body[index + 1:]
                return


def _ignores(script: Script, site: CallSite, arg: cst.BaseExpression) -> bool:
    """Whether the function of this file that ``site`` calls never reads the parameter ``arg`` is
    passed for: ``save_checkpoint(state, is_best, filename)`` whose body is ``torch.save(state,
    filename)`` saves whatever ``is_best`` says."""
    callee = script.callee(site)
    if callee is None or type(callee.node) is not cst.FunctionDef:
        return False
    parameter = next((name for name in callee.params if callee.argument(site, name) is arg), None)
    if parameter is None:
        return False
    return not any((dotted(name) or "").split(".", 1)[0] == parameter for name in references(callee.node.body))


def _plateau_and_stoppers(script: Script, stoppers: bool) -> list[Selection]:
    found: list[tuple[CallSite, str]] = []
    for site in script.calls_by_method.get("step", []):
        scheduler = script.is_scheduler_step(site)
        if scheduler is not None and scheduler.detail == "plateau" or scheduler is None and _handed_plateau(script, site):
            found.append((site, "plateau"))
        elif stoppers and site.receiver is not None and _is_stopper(script, site.receiver, site.function):
            found.append((site, "stopper"))
    if stoppers:
        for site in script.calls:
            if site.name is None or not site.node.args:
                continue
            if (site.receiver is not None and site.method != "step" and _STOPPER_METHOD.search(site.method or "")
                    and _is_stopper(script, site.receiver, site.function)):
                found.append((site, "stopper"))  # `stopper.should_stop(model, test_loss)`
                continue
            # ``early_stopping(loss, model)``, or a trainer's ``self.early_stopping(loss, model)``
            own = site.receiver is None or site.name.count(".") == 1 and site.name.startswith("self.")
            if own and (_is_stopper(script, site.node.func, site.function) or _stopping_function(script, site)):
                found.append((site, "stopper"))
    out = []
    for site, action in found:
        metric = call_arg(site.node, 0, "metrics" if action == "plateau" else None)
        if action == "stopper":  # the metric, wherever it is passed: `should_stop(model, metric)`
            metric = next((arg.value for arg in site.node.args if arg.keyword is None
                           and not models_of(script, arg.value, site.function)
                           and not named_like_model(dotted(arg.value) or "")), None)
        if metric is not None:
            out.append(Selection(site.node, site.statement, metric, site.function, action))
    return out


# methods of an early-stopping object that take the metric (`es.step(loss)` is asked separately)
_STOPPER_METHOD = re.compile(r"stop|^check$|^update$|^__call__$", re.IGNORECASE)


def _handed_plateau(script: Script, site: CallSite) -> bool:
    """``scheduler.step(test_loss)`` on a scheduler handed in from elsewhere (``def train(model, ...,
    scheduler=None)``): a step given a loss or an accuracy is ReduceLROnPlateau's, whatever the
    caller builds (the closed form of the others takes an epoch number)."""
    if len(site.node.args) != 1 or site.node.args[0].keyword is not None or not handed_scheduler_step(script, site):
        return False
    return bool(set(words(dotted(site.node.args[0].value) or "")) & _METRIC_WORDS)


def _is_stopper(script: Script, expr: cst.BaseExpression, function: FunctionInfo) -> bool:
    bounds = script.values(expr, function)
    return bool(bounds) and all(
        type(bound.expr) is cst.Call and "earlystop" in (dotted(bound.expr.func) or "").replace("_", "").lower()
        for bound in bounds
    )


def _stopping_function(script: Script, site: CallSite) -> bool:
    """``stop = early_stopping(ndcg, best, bad_epochs, patience)``: a function (imported, or of this
    file) named for early stopping and handed the metric first decides when training stops. A
    capitalized name is a class being built (``EarlyStopping(patience=5)``), not a decision."""
    name = site.name or ""
    if "." in name or not name[:1].islower() or "earlystop" not in name.replace("_", "").lower():
        return False
    return script.is_imported(site.node.func) or script.callee(site) is not None


# fit() wrappers and Lightning hooks ------------------------------------------------------------------
def handed_from_elsewhere(script: Script, function: FunctionInfo) -> bool:
    """A function (or a method of a class) that another file of the project imports and this file
    never calls (constructs): what its parameters and attributes hold, that file decides
    (``Trainer(dataloaders=(train_loader, val_loader))`` filling ``self.trainloader,
    self.testloader``), so their names say nothing of the split."""
    while function.parent is not None and not function.parent.is_module and function.cls is None:
        function = function.parent
    if function.is_module:
        return False
    if function.cls is not None:
        name = function.cls.name
        called = any(site.name == name for site in script.calls_by_method.get(name, ()))
    else:
        name = function.name
        called = bool(script.call_sites_of(function))
    return not called and IMPORTED + name in script.neighbours


def fit_validations(script: Script) -> list[FitValidation]:
    """fit() calls of a library (Keras, Lightning's trainer.fit, torchkeras, poutyne, tabnet) with
    validation data and something that chooses on it."""
    out = []
    for site in script.calls_by_method.get("fit", []) + script.calls_by_method.get("fit_generator", []):
        data = _validation_argument(site)
        if data is None or script.callee(site) is not None:
            continue  # a local fit() is read where it compares
        chooser = _fit_chooser(script, site)
        if chooser is not None:
            out.append(FitValidation(site, data, chooser))
    return out + _trainer_validations(script)


def _trainer_validations(script: Script) -> list[FitValidation]:
    """``Trainer(..., eval_dataset=...)`` (Hugging Face and look-alikes) whose arguments keep the
    best checkpoint (``TrainingArguments(load_best_model_at_end=True)``) or stop early
    (``callbacks=[EarlyStoppingCallback(...)]``): the checkpoint is chosen on ``eval_dataset``."""
    source = script.lowered
    if "load_best_model_at_end" not in source and "earlystoppingcallback" not in source:
        return []
    out = []
    for site in script.calls:
        data = site.arg(None, "eval_dataset")
        if data is None or script.callee(site) is not None:
            continue
        chooser = _trainer_chooser(script, site)
        if chooser is not None:
            out.append(FitValidation(site, data, chooser, trainer=True))
    return out


def _trainer_chooser(script: Script, site: CallSite) -> str | None:
    callbacks = site.arg(None, "callbacks")
    chooser = _selecting_callback(script, callbacks, site.function) if callbacks is not None else None
    arguments = site.arg(1, "args")
    for bound in script.values(arguments, site.function) if arguments is not None else ():
        if type(bound.expr) is cst.Call and literal(call_arg(bound.expr, None, "load_best_model_at_end")) is True:
            return chooser or "load_best_model_at_end=True"
    return chooser


def validation_hooks(script: Script) -> list[tuple[FunctionInfo, cst.BaseExpression]]:
    """``(hook, returned)`` for the values a Lightning ``val_dataloader()`` returns, in a file whose
    trainer chooses on validation metrics (a ModelCheckpoint with ``monitor=``, EarlyStopping)."""
    hooks = [function for function in script.functions_by_name.get("val_dataloader", []) if function.cls is not None]
    if not hooks or not _file_selects_on_validation(script):
        return []
    return [(hook, returned) for hook in hooks for returned in hook.returns]
def _validation_argument(site: CallSite) -> cst.BaseExpression | None:
    for keyword in _VALIDATION_KEYWORDS:
        found = site.arg(None, keyword)
        if found is not None:
            return found
    if site.method == "fit" and len(site.node.args) >= 3 and all(arg.keyword is None for arg in site.node.args[:3]):
        return site.node.args[2].value  # Lightning's trainer.fit(model, train_loader, val_loader)
    return None


def _fit_chooser(script: Script, site: CallSite) -> str | None:
    """What chooses on the validation data: a selecting callback given to the fit() or to the
    trainer it is called on, or a selecting keyword argument."""
    for keyword in _SELECTING_KEYWORDS:
        value = site.arg(None, keyword)
        if value is not None and literal(value) not in (False, None, 0):
            return f"{keyword}="
    callbacks = site.arg(None, "callbacks")
    if callbacks is not None:
        return _selecting_callback(script, callbacks, site.function)
    if site.receiver is not None:
        for bound in script.values(site.receiver, site.function):
            if type(bound.expr) is cst.Call and (found := call_arg(bound.expr, None, "callbacks")) is not None:
                return _selecting_callback(script, found, bound.function)
    return None


def _selecting_callback(script: Script, callbacks: cst.BaseExpression, function: FunctionInfo) -> str | None:
    for bound in script.values(callbacks, function):
        if type(bound.expr) not in (cst.List, cst.Tuple):
            continue
        for element in bound.expr.elements:
            for value in script.values(element.value, bound.function):
                if type(value.expr) is cst.Call and _selects(value.expr):
                    return (dotted(value.expr.func) or "").rsplit(".", 1)[-1]
    return None


def _selects(call: cst.Call) -> bool:
    """EarlyStopping, ReduceLROnPlateau, a ModelCheckpoint that keeps the best (``save_best_only``,
    Lightning's ``monitor=``)."""
    last = (dotted(call.func) or "").rsplit(".", 1)[-1]
    if last in _SELECTING_CALLBACKS:
        return True
    if last != "ModelCheckpoint":
        return False
    return literal(call_arg(call, None, "save_best_only")) is True or call_arg(call, None, "monitor") is not None


def _file_selects_on_validation(script: Script) -> bool:
    for method in ("ModelCheckpoint", "EarlyStopping", "ReduceLROnPlateau"):
        for site in script.calls_by_method.get(method, []):
            if _selects(site.node):
                return True
    return False
