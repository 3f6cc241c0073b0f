from __future__ import annotations

from dataclasses import replace
from typing import Iterator

import libcst as cst

from fitlint.analysis.data import SplitEvidence, phase_split, split_from_name
from fitlint.analysis.metrics import MetricTracer, looks_like_data, metric_tracer
from fitlint.analysis.regions import phase_loop
from fitlint.analysis.selection import (FitValidation, Selection, fit_validations, handed_from_elsewhere, selections,
                                       validation_hooks)
from fitlint.findings import Severity, Split
from fitlint.rule import Invalid, Report, Rule, Valid
from fitlint.analysis.script import CallSite, FunctionInfo, Script, required_values, short_code

HEADER = """\
import copy
import torch
import torch.nn as nn
import torch.optim as optim
import torchvision
import torchvision.transforms as transforms
from torch.utils.data import DataLoader, random_split

model = nn.Sequential(nn.Flatten(), nn.Linear(3072, 10))
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
trainset = torchvision.datasets.CIFAR10("./data", train=True, transform=transforms.ToTensor())
testset = torchvision.datasets.CIFAR10("./data", train=False, transform=transforms.ToTensor())
test_loader = DataLoader(testset, batch_size=256)


def train_one_epoch(loader):
    model.train()
    for x, y in loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()


def evaluate(loader):
    model.eval()
    correct = total = 0
    loss = 0.0
    with torch.no_grad():
        for x, y in loader:
            out = model(x)
            loss += criterion(out, y).item()
            correct += (out.argmax(1) == y).sum().item()
            total += y.size(0)
    return loss / len(loader), correct / total
"""

VAL_SPLIT = """
train_part, val_part = random_split(trainset, [45000, 5000])
train_loader = DataLoader(train_part, batch_size=128, shuffle=True)
val_loader = DataLoader(val_part, batch_size=256)
"""

TRAIN_ONLY = """
train_loader = DataLoader(trainset, batch_size=128, shuffle=True)
"""

# the transfer-learning tutorial's phase loop; {val} is the loader of its 'val' phase
PHASE_LOOP = """
dataloaders = {{"train": train_loader, "val": {val}}}
best_acc = 0.0
for epoch in range(25):
    for phase in ["train", "val"]:
        running_corrects = 0
        for inputs, labels in dataloaders[phase]:
            outputs = model(inputs)
            running_corrects += (outputs.argmax(1) == labels).sum().item()
        epoch_acc = running_corrects / len(dataloaders[phase].dataset)
        if phase == "val" and epoch_acc > best_acc:{mark}
            best_acc = epoch_acc
            best_model_wts = copy.deepcopy(model.state_dict())
"""

# a dataset class of the project, reading the folder FOLDER
PROJECT_DATASET = """
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from frames import FrameDataset

train_data_path = "data/train/"
test_data_path = "FOLDER"
model = nn.Sequential(nn.Flatten(), nn.Linear(512, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
trainset = FrameDataset(root=train_data_path, train=True)
trainloader = DataLoader(trainset, batch_size=32, shuffle=True)
testset = FrameDataset(root=test_data_path, train=False)
testloader = DataLoader(testset, batch_size=64)
best_acc = 0
for epoch in range(30):
    model.train()
    for x, y in trainloader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in testloader:
            correct += (model(x).argmax(1) == y).sum().item()
            total += y.size(0)
    acc = correct / total
    if acc > best_acc:MARK
        best_acc = acc
        torch.save(model.state_dict(), "best.pt")
"""

CONSEQUENCE = (
    "the test accuracy you report is then the best of many tries on the test set: an optimistic "
    "estimate of how the model does on new data"
)
ADVICE = (
    "hold out a validation split from the training data (`random_split` of the training set) to "
    "choose on, and evaluate the test set once at the end"
)

# a Hugging Face Trainer fine-tuning on IMDB, which publishes a train and a test split only
HF_TRAINER = """
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")
model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=2)
imdb = load_dataset("imdb")
tokenized = imdb.map(lambda batch: tokenizer(batch["text"], truncation=True), batched=True)
SPLITarguments = TrainingArguments(output_dir="out", eval_strategy="epoch", save_strategy="epoch",
                              num_train_epochs=3,BEST)
trainer = Trainer(model=model, args=arguments, train_dataset=TRAIN,CALLBACKS tokenizer=tokenizer,
                  eval_dataset=EVAL,MARK
)
trainer.train()
"""


def hf_trainer(evaluated: str, trained: str = 'tokenized["train"]', split: str = "",
               best: str = " load_best_model_at_end=True", callbacks: str = "", mark: str = "") -> str:
    return (HF_TRAINER.replace("SPLIT", split).replace("BEST", best).replace("TRAIN", trained)
            .replace("EVAL", evaluated).replace("CALLBACKS", callbacks).replace("MARK", mark))


class ModelSelectedOnTestSet(Rule):
    """
    ## What it does
    Flags a best checkpoint, early stopping or a plateau scheduler driven by a metric computed on
    the test split:

    - a comparison with the best value so far (`acc > best_acc`, `loss < best_loss`, `is_best =
      acc1 > best_acc1`, or a value of any name that the comparison's body sets to the metric:
      `if acc > record[1]: record[1] = acc`, or that the loop sets to it after the comparison, the
      previous epoch's value: `if loss < prev_loss: save(...)` then `prev_loss = loss`) that
      guards a `torch.save` / `save_checkpoint`, a copy of the weights
      (`state_dict()`, `copy.deepcopy(model)`, `best_model = ...`), the settings of the run in a
      search (`best_lr = current_lr`, `best_num_epochs = ...`; not `best_epoch`, often kept only to
      print) or an early-stopping counter (`patience`, `epochs_no_improve`, `early_stop`);
    - a stop at a fixed target in a loop that trains (`if accuracy >= 0.95: return`, `if test_acc >
      0.99: break`): the first score to cross the line picks the stopping point;
    - `ReduceLROnPlateau.step(test_loss)`, also on a scheduler handed in by a caller elsewhere
      (`def train(..., scheduler=None)` stepping `scheduler.step(test_loss)`: a step given a loss
      or an accuracy is a plateau scheduler's); an `EarlyStopping` object called with a test metric,
      or a function named for early stopping handed one first (`stop = early_stopping(test_loss,
      best, bad_epochs, patience)`, imported or of this file);
      Keras' `fit(..., validation_data=(x_test, y_test))` with `EarlyStopping` /
      `ModelCheckpoint(save_best_only=True)` / `ReduceLROnPlateau` callbacks;
    - a Hugging Face `Trainer(..., eval_dataset=...)` whose `TrainingArguments` reload the best
      checkpoint at the end (`load_best_model_at_end=True`) or whose `EarlyStoppingCallback` stops
      on it. The 'test' part of `Dataset.train_test_split()` taken from the training split is a
      validation part (the API always names the parts 'train' and 'test'), and is not flagged;
      so is a later part of `random_split` over the training set, whatever it is called
      (`train_set, holdout = random_split(MNIST(train=True), ...)`).

    The metric counts as a test metric when the analysis traces it to the test split: a loop over
    the test loader in the same function (`correct += ...` or `psnr_meter.update(...)` inside
    `for ... in testloader`; counters shared with the training loop and reset to 0 before the
    test loop hold only the test count where they are read after it), or the result of an evaluation called with the test loader (`acc =
    evaluate(model, test_loader)`), or a function that only walks the test loader (`acc =
    test(epoch)`). A dataset built with `train=False` is the test split (torchvision's CIFAR and
    MNIST `train=False` is the official test set; so is the project's own dataset class given
    `train=False`, unless its code in view reads no held-out file or folder by the flag and hands
    it to no published dataset: then the flag only switches augmentation off, `LeafDataset(val_df,
    train=False)`) even when its loader is called `val_loader`, also
    in one branch of a dataset option (`if args.dataset == "cifar10": val_set = CIFAR10(train=False)`
    / `else: val_set = ImageFolder(".../val")`: that configuration chooses on the test set; also
    where a helper builds the pair per configuration and returns it, `train_dst, val_dst =
    get_dataset(opts)`, but not a helper whose branches build the split each call names, `if name
    == "val":`), and
    one a project helper builds with the flag it is given (`build_dataset(root, train=False)`
    handing `train` on to `CIFAR100(train=train)`, or the split's name, `get_dataloader(split="test")`,
    also by position after the data's root, `ModelNet(root, "test", transform)`);
    so is one read from a test folder or file (`EvalDataset(args.eval_file)` with
    `--eval-file` defaulting to `data/test_data.h5`); otherwise names decide (`test_loader`,
    `test_acc`), except in a function or class that another file of the project imports and this
    file never calls (`def test(model, test, ...)` in `evaluation.py`, called from `train.py`
    with a validation loader): what it is handed, the importer decides, and the importer's scan,
    which reads the helper, reports the call that hands it the test split; and a loader whose name only says held-out data (`eval_loader`,
    `evaluation_set`) is the split of the data it is built over (`DataLoader(test_pairs)`: the test
    split); so is one named for validation but built directly over arrays named for the test split
    (`val_loader = DataLoader(TensorDataset(X_test, y_test))`, `EEGDataset(X_test, y_test)`): the
    binding counts, not the name around it. A validation part cut from the test data while the
    rest stays the test set (`val_x, test_x = test_x[:half], test_x[half:]`) is a validation split.
    A metric traced to a validation split, or to both, is left alone. In a phase loop
    (`for phase in ['train', 'test']:`), `if phase == 'test' and epoch_acc > best_acc:` chooses on
    the test phase, and so does `if phase == 'val' and ...` when the 'val' phase walks the test
    split (`dataloaders['val']` built over `CIFAR10(train=False)`, or by the tutorial's dict
    comprehension `{x: DataLoader(image_datasets[x]) for x in ...}` over a `test/` folder). The metric bound from a call of
    a helper of the file (`val_loss, val_acc = test(val_loader, model)`) is judged by the data
    that call passes, not by the helper's own names. Likewise a routine that chooses on its
    `val_loader` parameter chooses on what its callers pass: `distill(student, teacher,
    train_loader, test_loader, ...)` is reported at that call when the routine has other calls
    or lives in a project module, and at the choice inside it (the comparison or save that decides
    on the test data, naming the call) when it is the file's own and that call is its only one; also when the loaders come from another module
    (`train_loader, test_loader = get_loaders()`), where their names are all that is known; a
    `test_loader` parameter handed the validation loader is left alone. An early-stopping helper
    handed a test metric (`stopper.step(test_loss)`) is reported at that call.

    It deliberately does not flag keeping the best test accuracy only for reporting
    (`best_test_acc = max(best_test_acc, acc)` and a print, with nothing saved or stopped on it):
    nothing is selected, and the final model is the last one. Saving every epoch unconditionally
    is not a selection either.

    ## Why is this bad?
    Choosing the epoch whose test accuracy is highest is training on the test set, one bit at a
    time: of N checkpoints, the one kept is the one that happened to fit the test set's particular
    samples best, and the number reported is the maximum of N noisy measurements, higher than the
    accuracy the same model will have on new data. The common CIFAR training script (the seed's
    `test(epoch)`, which saves `ckpt.pth` whenever `acc > best_acc` on `testloader`) does exactly
    this; so does early stopping or a learning-rate plateau decided on test loss. The gap is
    usually small on CIFAR-10's 10,000 test images and large on small test sets, where it can
    change which method "wins".

    ## Example
    ```python
    for epoch in range(epochs):
        train(epoch)
        acc = evaluate(model, test_loader)  # CIFAR10(train=False)
        if acc > best_acc:
            best_acc = acc
            torch.save(model.state_dict(), "best.pt")
    ```

    ## Use instead
    ```python
    train_part, val_part = random_split(trainset, [45000, 5000])
    ...
    for epoch in range(epochs):
        train(epoch)
        val_acc = evaluate(model, val_loader)
        if val_acc > best_acc:
            best_acc = val_acc
            torch.save(model.state_dict(), "best.pt")
    model.load_state_dict(torch.load("best.pt"))
    test_acc = evaluate(model, test_loader)  # once, at the end
    ```

    ## References
    - https://scikit-learn.org/stable/modules/cross_validation.html ("the test set should still be
      held out for final evaluation")
    - Cawley & Talbot, "On Over-fitting in Model Selection and Subsequent Selection Bias in
      Performance Evaluation", JMLR 11 (2010).
    - The seed document (../shared/seed/): its CIFAR script saves the checkpoint with the best
      test accuracy.
    """

    code = "FIT601"
    name = "model-selected-on-test-set"
    severity = Severity.WARNING

    VALID = [
        # the best checkpoint chosen on a validation split carved from the training data; test once at the end
        Valid(HEADER + VAL_SPLIT + """
best_acc = 0.0
for epoch in range(30):
    train_one_epoch(train_loader)
    val_loss, val_acc = evaluate(val_loader)
    if val_acc > best_acc:
        best_acc = val_acc
        torch.save(model.state_dict(), "best.pt")
model.load_state_dict(torch.load("best.pt"))
test_loss, test_acc = evaluate(test_loader)
print(f"test accuracy {test_acc:.3f}")
"""),
        # early stopping on validation loss
        Valid(HEADER + VAL_SPLIT + """
best_loss, bad_epochs = float("inf"), 0
for epoch in range(100):
    train_one_epoch(train_loader)
    val_loss, _ = evaluate(val_loader)
    if val_loss < best_loss:
        best_loss, bad_epochs = val_loss, 0
        best_state = copy.deepcopy(model.state_dict())
    else:
        bad_epochs += 1
        if bad_epochs >= 10:
            break
"""),
        # saving every epoch unconditionally: no selection
        Valid(HEADER + TRAIN_ONLY + """
for epoch in range(30):
    train_one_epoch(train_loader)
    loss, acc = evaluate(test_loader)
    print(f"epoch {epoch}: test accuracy {acc:.3f}")
    torch.save(model.state_dict(), f"epoch{epoch}.pth")
"""),
        # the best test accuracy kept only for reporting: nothing saved or stopped on it
        Valid(HEADER + TRAIN_ONLY + """
best_test_acc = 0.0
for epoch in range(30):
    train_one_epoch(train_loader)
    _, acc = evaluate(test_loader)
    if acc > best_test_acc:
        best_test_acc = acc
        print(f"new best test accuracy {acc:.3f}")
"""),
        # ReduceLROnPlateau on the validation loss
        Valid(HEADER + VAL_SPLIT + """
scheduler = optim.lr_scheduler.ReduceLROnPlateau(optimizer, "min", patience=3)
for epoch in range(30):
    train_one_epoch(train_loader)
    val_loss, _ = evaluate(val_loader)
    scheduler.step(val_loss)
"""),
        # a val_loader over a proper train=True subset, evaluated in the same function as the test loader
        Valid(HEADER + VAL_SPLIT + """
def run(epochs):
    best = 0.0
    for epoch in range(epochs):
        train_one_epoch(train_loader)
        _, val_acc = evaluate(val_loader)
        _, test_acc = evaluate(test_loader)
        print(f"val {val_acc:.3f} test {test_acc:.3f}")
        if val_acc > best:
            best = val_acc
            torch.save(model.state_dict(), "best.pt")
"""),
        # Keras-style validation_data from a held-out validation split
        Valid("""
from tensorflow import keras
from sklearn.model_selection import train_test_split
x_tr, x_val, y_tr, y_val = train_test_split(x_train, y_train, test_size=0.1)
model.fit(x_tr, y_tr, epochs=50, validation_data=(x_val, y_val),
          callbacks=[keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)])
model.evaluate(x_test, y_test)
"""),
        # the transfer-learning tutorial: one loop over both phases, selection guarded by
        # phase == "val", and the 'val' phase walks a split carved from the training set
        Valid(HEADER + VAL_SPLIT + PHASE_LOOP.format(val="val_loader", mark="")),
        # a metric of unknown origin: silent
        Valid(HEADER + """
best_acc = 0.0
for epoch in range(30):
    acc = compute_metric(model)
    if acc > best_acc:
        best_acc = acc
        torch.save(model.state_dict(), "best.pt")
"""),
        # a project's dataset class read from a validation folder with train=False: the loader
        # is called `testloader`, but what it holds is the validation split
        Valid(PROJECT_DATASET.replace("FOLDER", "data/validate/").replace("MARK", "")),
        # is_best handed to a save function of the file that never reads it: the checkpoint is
        # saved every few epochs whatever the test accuracy did (the best value is only reported)
        Valid(HEADER + TRAIN_ONLY + """
def save_checkpoint(state, is_best, filename="checkpoint.pth.tar"):
    torch.save(state, filename)

best_prec1 = 0
for epoch in range(200):
    train_one_epoch(train_loader)
    _, prec1 = evaluate(test_loader)
    is_best = prec1 > best_prec1
    best_prec1 = max(prec1, best_prec1)
    if epoch % 10 == 0:
        save_checkpoint({"state_dict": model.state_dict(), "best_prec1": best_prec1}, is_best)
print("best test accuracy", best_prec1)
"""),
        # Hugging Face: the 'test' part of `train_test_split()` on the training split is a
        # validation part (the API calls it 'test')
        Valid(hf_trainer('parts["test"]', 'parts["train"]',
                         split='parts = tokenized["train"].train_test_split(test_size=0.1, seed=0)\n')),
        # ... also when the name is rebound to the split (`ds = ds.train_test_split(...)`)
        Valid(hf_trainer('tokenized["test"]').replace(
            'imdb = load_dataset("imdb")',
            'imdb = load_dataset("imdb", split="train")\nimdb = imdb.train_test_split(test_size=0.2)')),
        # the test split as eval_dataset without choosing on it: evaluated every epoch, the last
        # model is kept
        Valid(hf_trainer('tokenized["test"]', best="")),
    ]

    INVALID = [
        # the tutorial's loop with the test loader as its 'val' phase (CIFAR10(train=False)):
        # the checkpoint is chosen on the test split, whatever the phase is called
        Invalid(HEADER + TRAIN_ONLY + PHASE_LOOP.format(val="test_loader", mark="  # FIT601")),
        # the same read from a test folder
        Invalid(PROJECT_DATASET.replace("FOLDER", "data/test/").replace("MARK", "  # FIT601")),
        # the seed's CIFAR script: test(epoch) over testloader saves whenever acc > best_acc
        Invalid(HEADER + TRAIN_ONLY + """
best_acc = 0


def test(epoch):
    global best_acc
    model.eval()
    correct = 0
    total = 0
    with torch.no_grad():
        for inputs, targets in test_loader:
            outputs = model(inputs)
            _, predicted = outputs.max(1)
            total += targets.size(0)
            correct += predicted.eq(targets).sum().item()
    acc = 100. * correct / total
    if acc > best_acc:  # FIT601
        state = {"net": model.state_dict(), "acc": acc, "epoch": epoch}
        torch.save(state, "./checkpoint/ckpt.pth")
        best_acc = acc


for epoch in range(200):
    train_one_epoch(train_loader)
    test(epoch)
"""),
        # the result of an evaluation on the test loader picks the checkpoint
        Invalid(HEADER + TRAIN_ONLY + """
best_acc = 0.0
for epoch in range(30):
    train_one_epoch(train_loader)
    test_loss, test_acc = evaluate(test_loader)
    if test_acc > best_acc:  # FIT601
        best_acc = test_acc
        best_model = copy.deepcopy(model)
"""),
        # a loader named val_loader over the official test split (train=False)
        Invalid(HEADER + """
train_loader = DataLoader(trainset, batch_size=128, shuffle=True)
val_set = torchvision.datasets.CIFAR10("./data", train=False, transform=transforms.ToTensor())
val_loader = DataLoader(val_set, batch_size=256)
best_loss, epochs_no_improve = float("inf"), 0
for epoch in range(100):
    train_one_epoch(train_loader)
    val_loss, _ = evaluate(val_loader)
    if val_loss < best_loss:  # FIT601
        best_loss = val_loss
        epochs_no_improve = 0
    else:
        epochs_no_improve += 1
    if epochs_no_improve == 10:
        break
"""),
        # a plateau scheduler driven by the test loss
        Invalid(HEADER + TRAIN_ONLY + """
scheduler = optim.lr_scheduler.ReduceLROnPlateau(optimizer, "min", patience=3)
for epoch in range(30):
    train_one_epoch(train_loader)
    test_loss, test_acc = evaluate(test_loader)
    scheduler.step(test_loss)  # FIT601
"""),
        # ImageNet-example style: is_best decides which checkpoint is copied to model_best.pth
        Invalid(HEADER + TRAIN_ONLY + """
import shutil

def save_checkpoint(state, is_best, filename="checkpoint.pth.tar"):
    torch.save(state, filename)
    if is_best:
        shutil.copyfile(filename, "model_best.pth.tar")

best_acc1 = 0
for epoch in range(90):
    train_one_epoch(train_loader)
    _, acc1 = evaluate(test_loader)
    is_best = acc1 > best_acc1  # FIT601
    best_acc1 = max(acc1, best_acc1)
    save_checkpoint({"epoch": epoch + 1, "state_dict": model.state_dict()}, is_best)
"""),
        # an EarlyStopping helper object fed the test loss
        Invalid(HEADER + TRAIN_ONLY + """
class EarlyStopping:
    def __init__(self, patience=7):
        self.patience, self.counter, self.best_score, self.early_stop = patience, 0, None, False
    def __call__(self, val_loss, model):
        score = -val_loss
        if self.best_score is None or score > self.best_score:
            self.best_score, self.counter = score, 0
        else:
            self.counter += 1
            self.early_stop = self.counter >= self.patience

early_stopping = EarlyStopping(patience=20)
for epoch in range(200):
    train_one_epoch(train_loader)
    test_loss, _ = evaluate(test_loader)
    early_stopping(test_loss, model)  # FIT601
    if early_stopping.early_stop:
        break
"""),
        # a dict of loaders: the test entry walked in the epoch loop picks the checkpoint
        Invalid(HEADER + """
loaders = {"train": DataLoader(trainset, batch_size=128, shuffle=True), "test": test_loader}
best = 0.0
for epoch in range(20):
    train_one_epoch(loaders["train"])
    model.eval()
    hits = 0
    with torch.no_grad():
        for x, y in loaders["test"]:
            hits += (model(x).argmax(1) == y).sum().item()
    acc = hits / len(testset)
    if acc > best:  # FIT601
        best = acc
        torch.save(model.state_dict(), "best.pt")
"""),
        # Keras: early stopping on the test arrays
        Invalid("""
from tensorflow import keras
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
model.fit(x_train, y_train, epochs=50, validation_data=(x_test, y_test),  # FIT601
          callbacks=[keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)])
"""),
        # Hugging Face Trainer: the best checkpoint, by eval_dataset's metric, is reloaded at the
        # end, and eval_dataset is IMDB's test split
        Invalid(hf_trainer('tokenized["test"]', mark="  # FIT601")),
        # ... early stopping on it (EarlyStoppingCallback)
        Invalid(hf_trainer('tokenized["test"]', mark="  # FIT601", best="",
                           callbacks=" callbacks=[EarlyStoppingCallback(early_stopping_patience=2)],").replace(
            "Trainer, TrainingArguments", "EarlyStoppingCallback, Trainer, TrainingArguments")),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        tracer = metric_tracer(script)
        # a plateau scheduler last: where it reports at the same call as early stopping or a save (the
        # helper handed the test loader does both), the call is reported with the choice that stops
        ordered = sorted(selections(script), key=lambda selection: selection.action == "plateau")
        reports = [found for selection in ordered for found in _reports(script, tracer, selection)]
        reports += [_once(_fit_report(tracer, fit)) for fit in fit_validations(script) if _fit_on_test(tracer, fit)]
        for hook, returned in validation_hooks(script):
            evidence = tracer.data(returned, hook)
            if evidence is not None and evidence.split is Split.TEST:
                reports.append(_once(Report(returned, (
                    f"`val_dataloader()` returns the test split ({evidence.text}) and the trainer chooses on it "
                    f"(checkpoint or early stopping on the validation metrics): {CONSEQUENCE}; return a validation "
                    f"split carved from the training data and keep the test split for `test_dataloader()`"),
                    statement=script.return_statements.get(id(returned)))))
        # an early-stopping call is found as a stopper and through its comparison; a helper that
        # both stops early and lowers the rate, handed the test data by its one call, once
        seen: set[int] = set()
        for key, report, mark in reports:
            if key not in seen and id(report.node) not in seen:
                seen.update((key, mark, id(report.node)))
                yield report


def _once(report: Report) -> tuple[int, Report, int]:
    """A report counted once by its own node (see ``_reports``)."""
    return id(report.node), report, id(report.node)


def _reports(script: Script, tracer: MetricTracer, selection: Selection) -> Iterator[tuple[int, Report, int]]:
    """A choice on the test split is reported where the test data or metric enters: at the calls of
    a helper that pass it in (an early-stopping helper's ``loss``, a local fit()'s
    ``validation_data``), else where the choice is made; also where the choice is made when the
    helper's one call hands it the test data. Each with the key it is counted once by and the key
    it marks as reported: a plateau scheduler stepped in the helper whose early stop or save is
    reported (for the same call) adds nothing."""
    evidence = tracer.test_evidence(selection.metric, selection.function) or _test_phase(script, selection)
    if evidence is None or not (evidence.official or evidence.bound) and handed_from_elsewhere(script, selection.function):
        return  # only a name, in code whose data another file hands in (and is scanned with it)
    entries = list(_test_arguments(script, tracer, selection.function))
    if (len(entries) == 1 and len(script.call_sites_of(selection.function)) == 1
            and not _early_stopper(selection.function) and _defined_here(script, selection.function)):
        # the helper's one call hands it the test data or metric (`maybe_save(test_acc)`): the
        # choice inside it is what decides on it (an early stopper's call, `early_stopping(test_loss,
        # model)`, is the choice itself: reported there; so is the call of a helper module's routine)
        site, arg, found = entries[0]
        evidence = replace(found, text=f"{found.text}, handed to `{site.name}()` by its one call")
        entries = []
        # a plateau scheduler in the same helper as an early stop or a save: counted with them
        counted = (id(site.node) if selection.action == "plateau" else None, id(site.node))
    else:
        counted = (None, None)
    if not entries:
        report = Report(selection.node, message(selection.metric, evidence, selection.action),
                        statement=selection.statement, end=selection.acted, long_span_keeps_node=True)
        key, mark = counted
        yield key or id(report.node), report, mark or id(report.node)
    for site, arg, found in entries:
        yield _once(Report(site.node, message(arg, found, selection.action, site), statement=site.statement))


def _defined_here(script: Script, function: FunctionInfo) -> bool:
    """The function is the file's own, not a definition borrowed from a project module."""
    top = function
    for scope in function.scopes():
        if not scope.is_module:
            top = scope
    return (top.cls.name if top.cls is not None else top.name) not in script.borrowed


def _early_stopper(function: FunctionInfo) -> bool:
    """A method of an early-stopping utility (``EarlyStopping.__call__``, ``Stopper.step``) or a
    function named for stopping: a reusable helper whose calls make the choice."""
    names = [function.name] + ([function.cls.name] if function.cls is not None else [])
    return any("stop" in name.lower() for name in names)


def _test_phase(script: Script, selection: Selection) -> SplitEvidence | None:
    """``if phase == 'test' and epoch_acc > best_acc:`` inside ``for phase in ['train', 'test']:``:
    the choice is made on the test phase's metric, whatever the metric is called; also a phase
    named 'val' whose loader (``dataloaders['val']``) holds the test split."""
    statement = selection.statement
    if type(statement) is not cst.If:
        return None
    for name, phase in _phase_tests(statement.test):
        for loop in selection.function.loops:
            found = phase_loop(loop)
            if found is None or found[0] != name or phase not in found[1]:
                continue
            if split_from_name(phase) is Split.TEST:
                return SplitEvidence(Split.TEST, f"the `{phase}` phase of `for {name} in ...`")
            walked = phase_split(script, loop, phase)
            if walked is not None and walked.split is Split.TEST:
                return walked
    return None


def _phase_tests(test: cst.BaseExpression) -> Iterator[tuple[str, str]]:
    """``(name, 'literal')`` for each ``name == 'literal'`` the test requires (through ``and``)."""
    return ((name, value) for name, value in required_values(test) if "." not in name and isinstance(value, str))


def _test_arguments(script: Script, tracer: MetricTracer, function: FunctionInfo):
    """``(call, argument, evidence)`` for each call of ``function`` that passes test data or a test
    metric as one of its parameters, unless the parameter's own name says test (``def
    train_model(model, train_loader, test_loader, ...)``): the helper then chooses on what it
    knows is the test set, and the choice inside it is the line to change."""
    if function.is_module:
        return
    for site in script.call_sites_of(function):
        for parameter in function.params:
            if parameter in ("self", "cls") or split_from_name(parameter) is Split.TEST:
                continue
            arg = function.argument(site, parameter)
            if arg is None:
                continue
            found = tracer.data(arg, site.function) or tracer.test_evidence(arg, site.function)
            if found is not None and found.split is Split.TEST:
                yield site, arg, found
                break


def _fit_on_test(tracer: MetricTracer, fit: FitValidation) -> bool:
    parts = [element.value for element in fit.data.elements] if type(fit.data) is cst.Tuple else [fit.data]
    evidences = [tracer.data(part, fit.site.function) for part in parts]
    return bool(evidences) and all(evidence is not None and evidence.split is Split.TEST for evidence in evidences)


def _fit_report(tracer: MetricTracer, fit: FitValidation) -> Report:
    data = fit.data.elements[0].value if type(fit.data) is cst.Tuple else fit.data
    evidence = tracer.data(data, fit.site.function)
    carve = ("`train_dataset.train_test_split(test_size=0.1)`" if fit.trainer
             else "`validation_split=` on shuffled data, or `train_test_split`")
    watched = "the `eval_dataset` of" if fit.trainer else "the validation data of"
    return Report(fit.data, (
        f"`{fit.chooser}` watches {watched} `{fit.site.written}()`, which is the test split "
        f"({evidence.text}): the epoch is chosen on the test set, so {CONSEQUENCE}; pass a validation "
        f"split carved from the training data ({carve}) and evaluate the test set once at the end"),
        statement=fit.site.statement)


_ACTIONS = {
    "save": ("the checkpoint is saved when `{metric}` improves", "the checkpoint is chosen by test {measure}"),
    "keep": ("the weights are kept when `{metric}` improves", "the checkpoint is chosen by test {measure}"),
    "choose": ("the settings of the run are kept as the best when `{metric}` improves",
               "the hyperparameters are chosen by test {measure}"),
    "stop": ("early stopping counts the epochs without improvement of `{metric}`",
             "the stopping epoch is chosen by test {measure}"),
    "plateau": ("the learning rate is reduced when `{metric}` stops improving",
                "the learning-rate schedule is tuned on test {measure}"),
    "stopper": ("early stopping is decided on `{metric}`", "the stopping epoch is chosen by test {measure}"),
    "threshold": ("training stops once `{metric}` reaches a fixed target", "the stopping epoch is chosen by test {measure}"),
}


def message(metric: cst.BaseExpression, evidence: SplitEvidence, action: str, passed: CallSite | None = None) -> str:
    """``passed``: the call of the choosing function that hands it ``metric`` (test data, or a test
    metric), when the report is there."""
    measure = "loss" if "loss" in short_code(metric).lower() else "accuracy"
    done, chosen = _ACTIONS[action]
    what = short_code(metric)
    if passed is not None and evidence.split is Split.TEST and looks_like_data(metric):
        what = f"the metric `{passed.name}()` computes on `{what}`"
        done = done.replace("`{metric}`", "{metric}")
    return (f"{done.format(metric=what)}, computed on the test split ({evidence.text}): "
            f"{chosen.format(measure=measure)}, so {CONSEQUENCE}; {ADVICE}")


