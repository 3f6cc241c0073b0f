"""No logged value can make the log analyzer raise (issue 14 item 1).

Random and extreme series (NaN, inf, 0, negative, 1e308, the smallest float, empty, constant, one
point) go through tidy, the class-count inference, every check and the text and JSON reports, on
epoch-level and step-level runs. A value is a fact about the run, never a reason to crash.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

from fitlint.logs import report as output
from fitlint.logs.checks.base import all_checks, run_checks, run_from_table
from fitlint.logs.engine import LogReport
from fitlint.logs.readers.base import records
from fitlint.logs.run import Run, infer_classes, settle_classes
from fitlint.logs.tidy import tidy

EXTREMES = [0.0, -0.0, -1.0, 1.0, 1e308, -1e308, 5e-324, math.nan, math.inf, -math.inf, 2.302585, 0.693147,
            100.0, 1e-12, 37535.8, 0.1]
value = st.one_of(st.sampled_from(EXTREMES), st.floats(allow_nan=True, allow_infinity=True),
                  st.floats(min_value=-10, max_value=10))
cell = st.one_of(value, st.none())  # None: a missing cell


@st.composite
def series(draw, length):
    kind = draw(st.sampled_from(["random", "constant", "extreme"]))
    if kind == "constant":
        return [draw(value)] * length
    if kind == "extreme":
        return [draw(st.sampled_from(EXTREMES)) for _ in range(length)]
    return [draw(cell) for _ in range(length)]


@st.composite
def tables(draw):
    length = draw(st.sampled_from([0, 1, 2, 3, 5, 8, 12, 20]))
    names = draw(st.sets(st.sampled_from(["loss", "accuracy", "val_loss", "val_accuracy", "lr", "grad_norm",
                                          "test_accuracy"]), min_size=1))
    return {name: draw(series(length)) for name in sorted(names)}


CHECKS = [cls() for cls in all_checks()]
PERCENT = re.compile(r"(-?[\d.]+|nan|inf)%")


def _analyze_everything(run: Run) -> None:
    infer_classes(run)
    findings = run_checks(run, CHECKS)  # every check runs; yields_to only filters afterwards
    text = output.text(LogReport(runs=[run], findings=findings, errors=[]))
    assert "Traceback" not in text
    for finding in findings:
        json.dumps(finding.to_json(), allow_nan=False)
        for quoted in PERCENT.findall(finding.message):
            assert quoted not in ("nan", "inf", "-0.0", "-0"), finding.message
    # The summary table (printed for two runs or more) quotes accuracies only: never above 100%.
    # (A message may say a loss rose by 300%: that figure is a change, not an accuracy.)
    summary = output.text(LogReport(runs=[run, run], findings=findings + findings, errors=[]))
    accuracies = summary.split("summary (last epoch):")[1]
    for number in PERCENT.findall(accuracies):
        assert number in ("nan", "inf") or 0 <= float(number) <= 100, summary


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(), k=st.sampled_from([None, 2, 10, 1000]))
def test_every_check_survives_any_epoch_series(table, k):
    run = run_from_table(table, num_classes=k)
    _analyze_everything(run)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(), steps=st.sampled_from(["increasing", "repeated", "huge", "negative"]))
def test_every_check_survives_any_step_series(table, steps):
    names, values, step_values = [], [], []
    for name, column in table.items():
        for i, item in enumerate(column):
            if item is None:
                continue
            names.append(name)
            values.append(item)
            step_values.append({"increasing": i * 10, "repeated": i // 2, "huge": 1e18 + i * 1e6,
                                "negative": -i}[steps])
    frame, notes = tidy(records(names, values, step=step_values), run="r", source="tensorboard", has_epochs=False)
    run = Run(name="r", path="r", frame=frame, sources=["tensorboard"], unit="step", notes=notes)
    settle_classes(run, None)
    _analyze_everything(run)


@settings(deadline=None)  # what it asserts is the answer, not its time (CI shares its cores)
@given(loss=value, accuracy=value)
def test_class_inference_never_raises_and_agrees_with_chance(loss, accuracy):
    run = run_from_table({"loss": [loss, 0.5], "accuracy": [accuracy, 0.9]})
    k = infer_classes(run)
    if k is not None:
        assert 2 <= k and abs(loss - math.log(k)) <= 0.15 * math.log(k)


def test_the_overflowing_first_loss_of_the_issue():
    # lr_high-s0 without its meta.json: first loss 37535 made math.exp overflow in infer_classes
    run = run_from_table({"loss": [37535.809359] + [math.nan] * 5, "accuracy": [0.1148] + [0.0967] * 5,
                          "val_loss": [72328.77] + [math.nan] * 5, "val_accuracy": [0.1028] + [0.1083] * 5})
    assert infer_classes(run) is None
    assert [f.code for f in run_checks(run, CHECKS)] == ["LOG004"]
    assert np.isnan(run.series("train", "loss").iloc[-1])
