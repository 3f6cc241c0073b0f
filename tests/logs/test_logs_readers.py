"""Each reader on files in the real format, and every kind of bad input."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import numpy as np
import pytest

import fitlint.logs as logs
from fitlint.logs.names import classify
from fitlint.logs.readers.tfevents import masked_crc, scalars

DATA = Path(__file__).parent / "data"


def one_run(path, **kw):
    report = logs.analyze([str(path)], **kw)
    assert len(report.runs) == 1, [r.name for r in report.runs]
    return report.runs[0], report


def values(run, split, metric):
    return run.series(split, metric).round(6).tolist()


@pytest.mark.parametrize("name, expected", [
    ("val_accuracy", ("validation", "accuracy")), ("acc", ("train", "accuracy")),
    ("result_of_test_acc", ("test", "accuracy")), ("train_loss_step", ("train", "loss")),
    ("epoch_loss", ("train", "loss")), ("Loss/val", ("validation", "loss")), ("valid-accuracy", ("validation", "accuracy")),
    ("eval_loss", ("validation", "loss")), ("learning_rate", ("train", "lr")), ("lr-Adam", ("train", "lr")),
    ("val_f1", ("validation", "f1")), ("top5_acc", ("train", "top5_acc")), ("epoch", None), ("step", None),
])
def test_names_map_to_split_and_metric(name, expected):
    assert classify(name) == expected


# ---------------------------------------------------------------- np.savetxt


def test_savetxt_files_of_a_folder_are_one_run(tmp_path):
    np.savetxt(tmp_path / "result_of_train_acc.txt", np.array([50.0, 75.0, 97.0]), fmt="%f")
    np.savetxt(tmp_path / "result_of_test_acc.txt", np.array([50.0, 51.0, 49.5]), fmt="%f")
    np.savetxt(tmp_path / "result_of_train_loss.txt", np.array([0.69, 0.4, 0.1]), fmt="%f")
    np.savetxt(tmp_path / "valid-accuracy.txt", np.array([0.5, 0.5, 0.5]), fmt="%f")
    (tmp_path / "requirements.txt").write_text("torch\n")
    run, report = one_run(tmp_path)
    assert run.sources == ["savetxt"] and report.errors == []
    assert values(run, "train", "accuracy") == [0.5, 0.75, 0.97]  # percent normalized
    assert values(run, "test", "accuracy") == [0.5, 0.51, 0.495]
    assert values(run, "validation", "accuracy") == [0.5, 0.5, 0.5]
    assert run.heldout == "validation"


def test_savetxt_mismatched_lengths_are_reported_and_trimmed(tmp_path):
    np.savetxt(tmp_path / "train_loss.txt", np.array([1.0, 0.5, 0.3, 0.2]))
    np.savetxt(tmp_path / "test_loss.txt", np.array([1.0, 0.6, 0.5]))
    run, report = one_run(tmp_path)
    assert len(report.errors) == 1 and "mismatched lengths" in report.errors[0]
    assert "train_loss.txt has 4" in report.errors[0]
    assert len(run.series("train", "loss")) == 3


# ---------------------------------------------------------------- CSV


def test_keras_csv_old_names_na_nan_and_restart():
    run, report = one_run(DATA / "keras_csv")
    assert report.errors == []
    assert any("restarted at epoch 3" in n for n in run.notes)
    acc = run.series("train", "accuracy")
    assert acc.index.tolist() == list(range(8))
    assert acc.loc[3] == pytest.approx(0.70)  # the later attempt's row, not the first 0.80
    val = run.series("validation", "accuracy")
    assert 6 not in val.index  # NA is a missing cell, not a value
    loss = run.series("train", "loss")
    assert math.isnan(loss.loc[7])  # "nan" is a real NaN
    assert [f.code for f in report.findings] == ["LOG004"]


def test_lightning_metrics_csv():
    run, report = one_run(DATA / "lightning_logs")
    assert run.sources == ["lightning"] and run.unit == "epoch"
    assert run.num_classes == 10 and run.num_classes_source == "hparams.yaml"
    # train_loss_epoch is used, not the per-step train_loss_step
    assert run.series("train", "loss").iloc[0] == pytest.approx(2.3)
    assert len(run.series("validation", "accuracy")) == 8
    assert run.series("train", "lr").iloc[0] == pytest.approx(0.001)
    assert {"LOG001", "LOG002", "LOG003"} <= {f.code for f in report.findings}


def test_generic_csv_without_epoch_column(tmp_path):
    (tmp_path / "metrics.tsv").write_text("train_loss\ttest_acc\n0.9\t50\n0.5\t60\n0.3\t70\n")
    run, _ = one_run(tmp_path)
    assert values(run, "test", "accuracy") == [0.5, 0.6, 0.7]
    assert run.series("train", "loss").index.tolist() == [0, 1, 2]


def test_two_csv_files_in_one_folder_are_two_runs(tmp_path):
    for name in ("exp1.csv", "exp2.csv"):
        (tmp_path / name).write_text("epoch,loss,val_loss\n0,1,1\n1,0.5,0.6\n")
    report = logs.analyze([str(tmp_path)])
    assert sorted(r.name for r in report.runs) == [f"{tmp_path.name}/exp1.csv", f"{tmp_path.name}/exp2.csv"]


# ---------------------------------------------------------------- Hugging Face


def test_hf_trainer_state_uses_the_latest_checkpoint_and_epochs():
    run, report = one_run(DATA / "hf_run")
    assert run.sources == ["huggingface"] and run.num_classes == 2
    # epochs as trainer_state.json numbers them (issue 14: they were off by one): fractional
    # epochs 0.5 and 1.0 are epoch 1; eval at 1.0 too; the final summary is skipped
    assert run.series("validation", "loss").index.tolist() == [1, 2, 3, 4]
    assert run.series("train", "loss").loc[1] == pytest.approx((0.69 * 0.55 ** 0.5 + 0.69 * 0.55) / 2, rel=1e-3)
    assert not run.series("train", "grad_norm").empty
    assert any("logging_nan_inf_filter" in n for n in run.notes)


def test_hf_epochs_are_the_trainer_state_epochs_and_checkpoints_are_named_by_step(tmp_path):
    import json

    history = []
    for epoch in range(1, 13):
        history.append({"epoch": epoch - 0.5, "step": 100 * epoch - 50, "loss": 1.0 / epoch, "learning_rate": 1e-4})
        history.append({"epoch": float(epoch), "step": 100 * epoch, "eval_loss": abs(epoch - 4) * 0.3 + 0.5})
    (tmp_path / "trainer_state.json").write_text(json.dumps({"log_history": history, "global_step": 1200}))
    run, report = one_run(tmp_path)
    assert run.series("validation", "loss").index.tolist() == list(range(1, 13))
    rising = next(f for f in report.findings if f.code == "LOG003")
    # the entry with "epoch": 4.0 and "step": 400 is the best one
    assert rising.epoch == 4
    assert "keep the checkpoint of epoch 4 (step 400: checkpoint-400)" in rising.message


def test_hf_nan_grad_norm_is_reported(tmp_path):
    import json

    state = json.loads((DATA / "hf_run" / "trainer_state.json").read_text())
    state["log_history"][3]["grad_norm"] = float("nan")
    (tmp_path / "trainer_state.json").write_text(json.dumps(state))  # json writes NaN as the Trainer does
    run, report = one_run(tmp_path)
    nan = [f for f in report.findings if f.code == "LOG004"]
    assert nan and nan[0].metric == "grad_norm" and nan[0].epoch == 2


# ---------------------------------------------------------------- TensorBoard


def test_tensorboard_simple_values_from_pytorch_writer():
    run, report = one_run(DATA / "tb_torch")
    assert run.sources == ["tensorboard"] and run.unit == "step"
    assert len(run.series("validation", "accuracy")) == 12
    # "Loss/train" (per epoch) wins over the per-batch "batch_loss"
    assert run.series("train", "loss").iloc[1] == pytest.approx(0.69 * 0.7, rel=1e-6)
    assert {"LOG001", "LOG002"} <= {f.code for f in report.findings}
    step_finding = next(f for f in report.findings if f.code == "LOG001")
    assert step_finding.epoch is None and "step" in step_finding.evidence


def test_tensorboard_keras_train_and_validation_folders_are_one_run():
    run, report = one_run(DATA / "tb_keras")
    assert run.name == "logs" and run.unit == "epoch"
    assert values(run, "validation", "accuracy") == [0.02] * 10  # tensor_content scalars
    assert run.series("train", "loss").iloc[0] == pytest.approx(2.3)  # float_val scalars
    assert run.series("validation", "loss").iloc[1] == pytest.approx(10.1, rel=1e-6)
    assert "LOG002" in {f.code for f in report.findings}


def test_tensorboard_restart_and_truncated_last_record():
    run, report = one_run(DATA / "tb_restart")
    loss = run.series("train", "loss")
    assert loss.index.tolist() == list(range(11))  # epoch 11 was in the cut record
    assert loss.loc[6] == pytest.approx(0.5 / 7, rel=1e-6)  # the restarted writer's value wins
    assert loss.loc[2] == pytest.approx(1 / 3, rel=1e-6)
    assert len(report.errors) == 1 and "truncated last record" in report.errors[0]


def _record(payload: bytes) -> bytes:
    header = struct.pack("<Q", len(payload))
    return header + struct.pack("<I", masked_crc(header)) + payload + struct.pack("<I", masked_crc(payload))


def test_tfevents_decoder_reads_hand_encoded_records():
    # Event{wall_time=1.0, step=3, summary{value{tag="loss", simple_value=0.5}}}
    value = b"\x0a\x04loss" + b"\x15" + struct.pack("<f", 0.5)
    summary = b"\x0a" + bytes([len(value)]) + value
    event = b"\x09" + struct.pack("<d", 1.0) + b"\x10\x03" + b"\x2a" + bytes([len(summary)]) + summary
    points, error = scalars(_record(event) + _record(event)[:-3])
    assert points == [("loss", 3, 1.0, 0.5)]
    assert error is not None and "truncated" in str(error)


def _scalar_event(tag: str, step: int, value: float) -> bytes:
    payload = b"\x0a" + bytes([len(tag)]) + tag.encode() + b"\x15" + struct.pack("<f", value)
    summary = b"\x0a" + bytes([len(payload)]) + payload
    step_varint = bytearray()
    while True:
        byte, step = step & 0x7F, step >> 7
        step_varint.append(byte | (0x80 if step else 0))
        if not step:
            break
    return b"\x09" + struct.pack("<d", 1.0) + b"\x10" + bytes(step_varint) + b"\x2a" + bytes([len(summary)]) + summary


def test_tfevents_every_point_is_kept(tmp_path):
    # more points than TensorBoard's default reservoir of 10,000 per tag
    data = b"".join(_record(_scalar_event("train/loss", step, 1.0 / (step + 1))) for step in range(12000))
    (tmp_path / "events.out.tfevents.1.host").write_bytes(data)
    run, _ = one_run(tmp_path)
    loss = run.series("train", "loss")
    assert len(loss) == 12000 and loss.index[-1] == 11999
    assert loss.iloc[-1] == pytest.approx(1 / 12000, rel=1e-6)


# ---------------------------------------------------------------- MLflow


def test_mlflow_file_store():
    report = logs.analyze([str(DATA / "mlflow_file")])
    runs = {r.name: r for r in report.runs}
    assert set(runs) == {"overfit", "healthy"}
    assert runs["overfit"].num_classes == 2 and runs["overfit"].num_classes_source == "mlflow metadata"
    assert len(runs["healthy"].series("validation", "loss")) == 12
    assert {f.run for f in report.findings if f.severity != "info"} == {"overfit"}


def test_mlflow_sqlite_store_reads_is_nan_as_nan():
    report = logs.analyze([str(DATA / "mlflow_sqlite" / "mlflow.db")])
    runs = {r.name: r for r in report.runs}
    assert set(runs) == {"mlflow_sqlite/overfit", "mlflow_sqlite/healthy"}
    loss = runs["mlflow_sqlite/overfit"].series("train", "loss")
    assert math.isnan(loss.loc[7])  # stored as value 0.0 with is_nan = 1
    nan = next(f for f in report.findings if f.code == "LOG004")
    assert nan.run == "mlflow_sqlite/overfit" and nan.evidence["step"] == 7


def test_mlflow_sqlite_is_opened_read_only(tmp_path):
    import shutil

    db = tmp_path / "mlflow.db"
    shutil.copy(DATA / "mlflow_sqlite" / "mlflow.db", db)
    before = db.read_bytes()
    logs.analyze([str(db)])
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mlflow.db"]


# ---------------------------------------------------------------- JSON lines and stdout


def test_jsonl_mode_key_gives_the_split():
    run, _ = one_run(DATA / "jsonl")
    assert run.series("validation", "accuracy").loc[1] == pytest.approx(0.63)
    assert run.series("train", "loss").loc[1] == pytest.approx((1.005 + 1.01) / 2)
    assert run.series("train", "lr").loc[8] == pytest.approx(0.01)


def test_stdout_seed_progress_bar():
    run, report = one_run(DATA / "stdout_seed")
    # the last update of each phase: train then test; accuracy in percent
    assert run.series("train", "accuracy").loc[0] == pytest.approx(0.54861, abs=1e-5)
    assert run.series("test", "accuracy").loc[1] == pytest.approx(0.50347, abs=1e-5)
    assert run.series("train", "loss").loc[0] == pytest.approx(0.690)
    assert {"LOG001", "LOG002"} <= {f.code for f in report.findings}


def test_stdout_keras_and_pytorch_example_shapes():
    keras, _ = one_run(DATA / "stdout_keras")
    assert keras.series("validation", "accuracy").tolist() == [0.5] * 6
    assert keras.series("train", "loss").loc[1] == pytest.approx(0.49)  # the epoch's final line
    mnist, _ = one_run(DATA / "stdout_mnist")
    assert mnist.series("test", "accuracy").loc[1] == pytest.approx(0.92)  # 9200/10000
    assert mnist.series("test", "loss").loc[2] == pytest.approx(0.108)  # "Average loss"


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("name, content, problem", [
    ("train_loss.txt", b"", "empty file"),
    ("metrics.csv", b"epoch,loss,val_loss\n", "header but no rows"),
    ("metrics.csv", b"epoch,loss\n0,0.5\n1,abc\n", "'abc' is not a number"),
    ("result_of_train_acc.txt", b"\x00\x01\x02binary\x00", "binary file"),
    ("train.log", b"\x00\x00\x00\x89PNG", "binary file"),
    ("events.out.tfevents.123.host", b"this is not a TFRecord file at all", "bad record header"),
    ("trainer_state.json", b"{not json", "not valid JSON"),
    ("val_acc.txt", b"0.5\n0.6 0.7\n", "expected one value per line"),
])
def test_bad_input_is_one_line_and_other_runs_are_analyzed(tmp_path, name, content, problem):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / name).write_bytes(content)
    good = tmp_path / "good"
    good.mkdir()
    (good / "history.csv").write_text("epoch,loss,val_loss\n0,1.0,1.0\n1,0.5,0.6\n2,0.3,0.5\n")
    report = logs.analyze([str(tmp_path)])
    assert [r.name for r in report.runs] == ["good"]
    assert len(report.errors) == 1, report.errors
    assert str(bad / name) in report.errors[0] and problem in report.errors[0]
    assert "\n" not in report.errors[0]
    assert (bad / name).read_bytes() == content  # nothing of the user's modified


def test_missing_path_and_folder_without_logs(tmp_path):
    (tmp_path / "notes.md").write_text("nothing here")
    report = logs.analyze([str(tmp_path / "nope"), str(tmp_path)])
    assert report.runs == []
    assert report.errors == [f"{tmp_path / 'nope'}: no such file or directory",
                             f"{tmp_path}: no training log found under this folder"]


# ---------------------------------------------------------------- issue 14: Keras training.log, the seed's bars


def test_keras_csvlogger_training_log_is_read_by_its_content(tmp_path):
    # CSVLogger('training.log'), the name in the Keras documentation
    rows = ["epoch,accuracy,loss,val_accuracy,val_loss"]
    rows += [f"{e},{0.5 + 0.05 * e:.4f},{1 / (e + 1):.4f},{0.5 + 0.04 * e:.4f},{1.1 / (e + 1):.4f}" for e in range(8)]
    (tmp_path / "training.log").write_text("\n".join(rows) + "\n")
    run, report = one_run(tmp_path)
    assert run.sources == ["csv"] and report.errors == []
    assert values(run, "validation", "accuracy")[-1] == pytest.approx(0.78)


@pytest.mark.parametrize("name, content, source", [
    ("train.log", "Epoch 1/2\n20/20 - loss: 0.5 - accuracy: 0.6\nEpoch 2/2\n20/20 - loss: 0.4 - accuracy: 0.7\n", "stdout"),
    ("notes.log", "epoch loss accuracy\nfirst run, loss went down\n", None),
    ("train_loss.txt", "0.5\n0.4\n", "savetxt"),
])
def test_text_logs_that_are_not_csv_keep_their_reader(tmp_path, name, content, source):
    (tmp_path / name).write_text(content)
    report = logs.analyze([str(tmp_path)])
    assert [r.sources for r in report.runs] == ([[source]] if source else [])


def _seed_epoch(epoch, train, test, *, counter=True, join="\r"):
    """What the seed's script prints for one epoch: 'Epoch: N', then kuangliu's progress_bar over the
    training loader and over the test loader (``train``/``test``: (loss, accuracy, batch, total)
    per update; the bar ends its last update with a newline, the others with ``join``)."""
    out = f"\nEpoch: {epoch}\n"
    for updates in (train, test):
        for i, (loss, acc, total) in enumerate(updates):
            correct = round(acc * total / 100)
            out += f" [=====>....]  Step: 5ms | Tot: 1s | Loss: {loss:.3f} | Acc: {acc:.3f}% ({correct}/{total})"
            out += f" {i + 1}/{len(updates)} " if counter else ""
            out += "\n" if i == len(updates) - 1 else join
    return out


def _overfitting_seed_log(**kw) -> str:
    # 71 training samples in batches of 32, 360 test samples in batches of 100 (overfit_small-s0)
    text = "==> Preparing data..\n==> Building model..\n"
    for epoch in range(12):
        train_acc = min(100.0, 40 + 8 * epoch)
        train_loss = max(0.001, 1.6 * 0.5 ** epoch)
        train = [(train_loss + 0.05, train_acc - 2, 32), (train_loss + 0.02, train_acc - 1, 64), (train_loss, train_acc, 71)]
        test_acc = min(80.0, 35 + 6 * epoch)
        test = [(0.9, test_acc, 100), (0.85, test_acc, 200), (0.8, test_acc, 300), (0.8, test_acc, 360)]
        text += _seed_epoch(epoch, train, test, **kw)
    return text


@pytest.mark.parametrize("style", [dict(join="\r"), dict(join="\n"), dict(join="\n", counter=False),
                                   dict(join="\r", counter=False)],
                         ids=["carriage-returns", "line-by-line", "line-by-line-no-counter", "carriage-returns-no-counter"])
def test_the_seeds_second_bar_is_the_held_out_split(tmp_path, style):
    (tmp_path / "nohup.out").write_text(_overfitting_seed_log(**style))
    run, report = one_run(tmp_path)
    assert run.sources == ["stdout"]
    assert values(run, "train", "accuracy")[-1] == pytest.approx(1.0)
    assert values(run, "test", "accuracy")[-1] == pytest.approx(0.8)
    assert values(run, "test", "loss")[-1] == pytest.approx(0.8)
    assert len(run.series("train", "loss")) == 12
    codes = {f.code for f in report.findings}
    assert "LOG001" in codes and "LOG007" not in codes


def test_starts_new_bar_reads_the_sample_counts():
    from fitlint.logs.readers.stdout import BarUpdate, starts_new_bar

    bar = [BarUpdate(1.0, 50.0, 32, None, None), BarUpdate(1.0, 50.0, 64, None, None)]
    assert not starts_new_bar(bar, BarUpdate(1.0, 50.0, 71, None, None))  # the short last batch
    assert starts_new_bar(bar + [BarUpdate(1.0, 50.0, 71, None, None)], BarUpdate(1.0, 50.0, 100, None, None))
    assert starts_new_bar(bar, BarUpdate(1.0, 50.0, 100, None, None))  # grew by more than a batch
    assert starts_new_bar(bar, BarUpdate(1.0, 50.0, 32, None, None))  # started again
    counted = [BarUpdate(1.0, 50.0, 32, 1, 2), BarUpdate(1.0, 50.0, 64, 2, 2)]
    assert starts_new_bar(counted, BarUpdate(1.0, 50.0, 96, 1, 3))  # 96 = 64 + 32, but the counter restarted
