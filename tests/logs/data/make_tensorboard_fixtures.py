"""Regenerate the TensorBoard fixtures with real writers (not needed to run the tests).

    pip install tensorboard      # torch is already in the test environment
    cd tests/logs/data && python make_tensorboard_fixtures.py

* ``tb_torch/``: PyTorch's ``SummaryWriter`` (``simple_value`` scalars), an overfitting run:
  tags ``Loss/train``, ``Loss/val``, ``Accuracy/train``, ``Accuracy/val`` (step = epoch) and a
  per-batch ``batch_loss`` tag at global steps.
* ``tb_keras/logs/{train,validation}/``: TF2 / Keras layout, written with tensorboard's own
  ``EventFileWriter``: rank-0 ``tensor`` summaries (``float_val`` in train, ``tensor_content``
  and ``double_val`` in validation) tagged ``epoch_loss`` / ``epoch_accuracy``, step = epoch,
  with the ``scalars`` plugin metadata Keras writes.
* ``tb_restart/``: two event files for one run (a writer restarted at epoch 5 rewrites epochs
  5-7) and a third file whose last record is cut in half.
"""

import shutil
import struct
import time
from pathlib import Path

from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2
from tensorboard.summary.writer.event_file_writer import EventFileWriter
from torch.utils.tensorboard import SummaryWriter

here = Path(__file__).parent
for name in ("tb_torch", "tb_keras", "tb_restart"):
    shutil.rmtree(here / name, ignore_errors=True)

# --- PyTorch SummaryWriter -------------------------------------------------------------------
writer = SummaryWriter(log_dir=str(here / "tb_torch" / "run1"))
for epoch in range(12):
    writer.add_scalar("Loss/train", 0.69 * 0.7 ** epoch, epoch)
    writer.add_scalar("Loss/val", 0.69 + 0.08 * epoch, epoch)
    writer.add_scalar("Accuracy/train", min(0.5 + 0.05 * epoch, 0.99), epoch)
    writer.add_scalar("Accuracy/val", 0.5 + (0.01 if epoch % 2 else -0.01), epoch)
    for batch in range(5):
        writer.add_scalar("batch_loss", 0.7 * 0.7 ** epoch, epoch * 5 + batch)
writer.close()


def tensor_event(tag, step, value, how):
    shape = tensor_shape_pb2.TensorShapeProto()  # no dims: rank 0
    if how == "float_val":
        tensor = tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT, tensor_shape=shape, float_val=[value])
    elif how == "double_val":
        tensor = tensor_pb2.TensorProto(dtype=types_pb2.DT_DOUBLE, tensor_shape=shape, double_val=[value])
    else:
        tensor = tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT, tensor_shape=shape,
                                        tensor_content=struct.pack("<f", value))
    metadata = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars"))
    summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, tensor=tensor, metadata=metadata)])
    return event_pb2.Event(wall_time=time.time(), step=step, summary=summary)


def keras_split(folder, curves, how):
    folder.mkdir(parents=True)
    w = EventFileWriter(str(folder))
    for epoch, (loss, acc) in enumerate(curves):
        w.add_event(tensor_event("epoch_loss", epoch, loss, how if epoch % 2 else "float_val"))
        w.add_event(tensor_event("epoch_accuracy", epoch, acc, how))
    w.close()


# 10 classes, validation at chance: the unshuffled split's picture
keras_split(here / "tb_keras" / "logs" / "train", [(2.3 * 0.6 ** e, min(0.1 + 0.15 * e, 1.0)) for e in range(10)], "float_val")
keras_split(here / "tb_keras" / "logs" / "validation", [(10.0 + 0.1 * e, 0.02) for e in range(10)], "tensor_content")
# a third scalar as double_val, to cover that encoding
w = EventFileWriter(str(here / "tb_keras" / "logs" / "validation"))
w.add_event(tensor_event("evaluation_loss_vs_iterations", 90, 10.5, "double_val"))
w.close()

# --- restart and truncation ------------------------------------------------------------------
folder = here / "tb_restart"
w1 = SummaryWriter(log_dir=str(folder))
for epoch in range(8):
    w1.add_scalar("train/loss", 1.0 / (epoch + 1), epoch)
w1.close()
time.sleep(1.1)  # event file names carry the second: make the second file sort after
w2 = SummaryWriter(log_dir=str(folder))
for epoch in range(5, 10):
    w2.add_scalar("train/loss", 0.5 / (epoch + 1), epoch)
w2.close()
time.sleep(1.1)
w3 = SummaryWriter(log_dir=str(folder))
for epoch in range(10, 12):
    w3.add_scalar("train/loss", 0.04, epoch)
w3.close()
newest = sorted(folder.glob("events.out.tfevents.*"))[-1]
data = newest.read_bytes()
newest.write_bytes(data[:-7])  # cut the last record
print("written")
