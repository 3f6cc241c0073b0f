"""What the findings say: the right numbers and the right advice (issue 14 items 3 and 5)."""

from __future__ import annotations

import json
import math

import fitlint.logs as logs
from fitlint.logs import report as output
from fitlint.logs.checks.base import all_checks, run_checks, run_from_table

CHECKS = [cls() for cls in all_checks()]


def codes_and_findings(table, num_classes=None):
    run = run_from_table(table, num_classes=num_classes)
    findings = run_checks(run, CHECKS)
    return {f.code: f for f in findings}, run


def test_a_diverged_run_is_diverging_with_the_advice_to_lower_the_rate_not_not_learning():
    # SGD at a learning rate of 50 on digits (Lightning's epoch means): 1520 in epoch 0, then 6-8x ln 10
    table = {"loss": [1520.0, 18.4, 16.1, 17.9, 15.2, 18.3, 16.6, 18.39, 17.0, 16.2],
             "accuracy": [0.1, 0.09, 0.11, 0.1, 0.1, 0.1, 0.09, 0.1, 0.1, 0.1],
             "val_accuracy": [0.1] * 10, "val_loss": [400.0, 17.0, 16.0, 17.5, 15.0, 18.0, 16.0, 18.0, 17.1, 16.0]}
    found, _ = codes_and_findings(table, num_classes=10)
    assert "LOG005" in found and "LOG006" not in found
    assert "lower the learning rate" in found["LOG005"].message
    assert "too small" not in found["LOG005"].message


def test_a_spike_then_a_uniform_guess_is_diverging():
    # the Hugging Face Trainer's linear schedule brings the exploded loss back to ln k
    table = {"loss": [310.0, 4.1, 2.5, 2.35, 2.31, 2.30, 2.30, 2.30],
             "val_accuracy": [0.1, 0.1, 0.11, 0.1, 0.1, 0.1, 0.1, 0.1], "val_loss": [2.4, 2.3, 2.3, 2.3, 2.3, 2.3, 2.3, 2.3]}
    found, _ = codes_and_findings(table, num_classes=10)
    # the divergence, and the validation at chance judged alone (no training accuracy logged)
    assert {"LOG005", "LOG002"} <= set(found)
    assert "lower the learning rate" in found["LOG005"].message


def test_validation_at_chance_without_training_accuracy():
    table = {"loss": [2.3, 1.2, 0.6, 0.3, 0.1, 0.05, 0.03], "val_accuracy": [0.1, 0.09, 0.11, 0.1, 0.1, 0.09, 0.11]}
    found, _ = codes_and_findings(table, num_classes=10)
    message = found["LOG002"].message
    assert "training accuracy is not logged" in message and "far below ln 10" in message


def test_the_same_logged_value_is_quoted_identically_across_findings():
    # validation accuracy ends at 7.8% while its tail median is 7.4%
    table = {"accuracy": [0.3, 0.9, 0.99, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
             "val_accuracy": [0.1, 0.074, 0.074, 0.074, 0.071, 0.074, 0.074, 0.074, 0.078]}
    found, _ = codes_and_findings(table, num_classes=10)
    assert {"LOG001", "LOG002"} <= set(found)
    for code in ("LOG001", "LOG002"):
        assert "7.8%" in found[code].message and "7.4%" not in found[code].message
    found, _ = codes_and_findings({"accuracy": [0.5, 0.9, 0.99, 0.9996, 0.9996, 0.9996],
                                   "val_accuracy": [0.5, 0.85, 0.88, 0.8944, 0.8944, 0.8944]})
    # quoted 100.0% and 89.4%: the gap is their difference (10.52 points unrounded)
    assert "training accuracy 100.0% vs validation 89.4%" in found["LOG001"].message
    assert "a gap of 10.6 points" in found["LOG001"].message


def test_no_negative_zero_percent():
    table = {"loss": [2.303, 2.3031, 2.3032, 2.3031, 2.3032, 2.3033], "accuracy": [0.1, 0.1, 0.1, 0.1, 0.1, 0.1]}
    found, _ = codes_and_findings(table, num_classes=10)
    assert "-0.0" not in found["LOG006"].message
    assert "(from 2.303, unchanged after 6 epochs)" in found["LOG006"].message


def test_no_checkpoint_is_advised_where_validation_was_at_chance():
    table = {"loss": [2.3, 1.5, 1.0, 0.6, 0.3, 0.1, 0.05, 0.02, 0.01],
             "val_loss": [2.3, 2.2, 2.4, 2.8, 3.3, 3.9, 4.5, 5.0, 5.5],
             "accuracy": [0.1, 0.5, 0.7, 0.85, 0.95, 0.99, 1.0, 1.0, 1.0], "val_accuracy": [0.1] * 9}
    found, _ = codes_and_findings(table, num_classes=10)
    message = found["LOG003"].message
    assert "checkpoint" not in message and "no epoch of this run is worth keeping" in message
    healthy_accuracy = {**table, "val_accuracy": [0.1, 0.6, 0.62, 0.6, 0.58, 0.55, 0.55, 0.54, 0.54]}
    found, _ = codes_and_findings(healthy_accuracy, num_classes=10)
    assert "keep the checkpoint of epoch 1" in found["LOG003"].message


def test_a_learning_rate_of_zero_is_named():
    flat = [0.9, 0.91, 0.9, 0.9, 0.905, 0.9, 0.9, 0.91, 0.9, 0.9]
    found, _ = codes_and_findings({"loss": flat, "lr": [0.0] * 10})
    assert "the learning rate is 0" in found["LOG006"].message
    plateau = next(c for c in CHECKS if c.code == "LOG011")
    hit = run_checks(run_from_table({"loss": flat, "lr": [0.0] * 10}), [plateau])[0]
    assert "the learning rate is 0" in hit.message and "ReduceLROnPlateau" not in hit.message


def test_percent_accuracy_is_decided_per_metric_and_split(tmp_path):
    # "Val Acc: 1.39%" was read as 139% (and reported as validation better than training)
    lines = []
    for epoch in range(8):
        train = 40 + 8 * epoch
        lines.append(f"epoch {epoch}: train loss {2.0 - 0.2 * epoch:.3f} train acc {train / 100:.3f} "
                     f"val loss {2.5 + 0.3 * epoch:.3f} Val Acc: 1.39%")
    (tmp_path / "train.log").write_text("\n".join(lines) + "\n")
    report = logs.analyze([str(tmp_path)])
    run = report.runs[0]
    assert run.series("validation", "accuracy").round(4).tolist() == [0.0139] * 8
    assert run.series("train", "accuracy").iloc[-1] == 0.96
    assert "LOG010" not in {f.code for f in report.findings}
    text = output.text(report)
    assert "139" not in text


def test_percent_without_a_sign_is_told_by_values_above_one(tmp_path):
    (tmp_path / "history.csv").write_text("epoch,acc,val_acc\n0,40,1.2\n1,60,0.9\n2,80,1.0\n")
    run = logs.analyze([str(tmp_path)]).runs[0]
    assert run.series("validation", "accuracy").round(4).tolist() == [0.012, 0.009, 0.01]
    assert run.series("train", "accuracy").round(2).tolist() == [0.4, 0.6, 0.8]


def test_an_accuracy_out_of_range_is_not_read_as_one(tmp_path):
    (tmp_path / "history.csv").write_text("epoch,loss,acc\n0,1.0,-0.5\n1,0.8,0.5\n2,0.6,0.7\n")
    run = logs.analyze([str(tmp_path)]).runs[0]
    assert run.series("train", "accuracy").empty
    assert any("outside 0..100" in note for note in run.notes)


def _hf_state(folder, losses, eval_accuracy, grad_norm=True):
    history = []
    for epoch, (loss, accuracy) in enumerate(zip(losses, eval_accuracy), start=1):
        entry = {"epoch": float(epoch), "step": 10 * epoch, "loss": loss, "learning_rate": 1e-4}
        if grad_norm:
            entry["grad_norm"] = 1.0
        history += [entry, {"epoch": float(epoch), "step": 10 * epoch, "eval_loss": loss + 0.1,
                            "eval_accuracy": accuracy}]
    folder.mkdir()
    (folder / "trainer_state.json").write_text(json.dumps({"log_history": history, "global_step": 10 * len(losses)}))
    (folder / "config.json").write_text(json.dumps({"id2label": {str(i): str(i) for i in range(10)}}))


def test_the_hf_nan_filter_note_only_when_it_matters(tmp_path):
    healthy = [2.3 * 0.6 ** e for e in range(8)]
    _hf_state(tmp_path / "healthy", healthy, [0.5 + 0.05 * e for e in range(8)], grad_norm=False)
    _hf_state(tmp_path / "at_chance", healthy, [0.1] * 8, grad_norm=False)
    _hf_state(tmp_path / "with_grad_norm", healthy, [0.1] * 8, grad_norm=True)
    text = output.text(logs.analyze([str(tmp_path)]))
    blocks = {block.split("  (")[0]: block for block in text.split("\n\n")}
    assert "logging_nan_inf_filter" not in blocks["healthy"]
    assert "logging_nan_inf_filter" in blocks["at_chance"]
    assert "logging_nan_inf_filter" not in blocks["with_grad_norm"]  # a finite grad_norm rules a NaN loss out


def test_lightning_hp_metric_is_not_a_training_series(tmp_path):
    from fitlint.logs.names import classify

    assert classify("hp_metric") is None
    (tmp_path / "metrics.csv").write_text("epoch,step,hp_metric,train_loss,val_loss\n0,1,-1,1.0,1.1\n1,2,,0.5,0.6\n")
    run = logs.analyze([str(tmp_path)]).runs[0]
    assert set(run.frame["metric"]) == {"loss"}


def test_class_count_from_every_clue(tmp_path):
    # first loss near ln 10 and first validation accuracy near 1/10 (training accuracy 8.6% is not 1/12)
    found, run = codes_and_findings({"loss": [2.31, 1.0, 0.4], "accuracy": [0.086, 0.6, 0.9],
                                     "val_accuracy": [0.098, 0.6, 0.85]})
    assert run.num_classes == 10
    # a Lightning module's saved output size
    folder = tmp_path / "version_0"
    folder.mkdir()
    (folder / "hparams.yaml").write_text("hidden: 64\nnum_outputs: 10\nlr: 0.1\n")
    (folder / "metrics.csv").write_text("epoch,train_loss,val_acc\n0,1.0,0.5\n1,0.5,0.6\n")
    assert logs.analyze([str(folder)]).runs[0].num_classes == 10
    # nested output sizes are not the model's
    (folder / "hparams.yaml").write_text("encoder:\n  output_dim: 128\n")
    assert logs.analyze([str(folder)]).runs[0].num_classes is None
    assert math.isclose(run.series("train", "loss").iloc[0], 2.31)
