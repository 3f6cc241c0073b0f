from __future__ import annotations

from typing import Iterator

import libcst as cst

from fitlint.findings import Severity
from fitlint.analysis.optimization import (
    ParamSource, gradless_tensors, optimizers, param_sources, stepped_after_backward,
)
from fitlint.rule import Invalid, Report, Rule, Valid
from fitlint.analysis.freezing import FreezeEvent, freeze_events, unfreezes_anywhere, within
from fitlint.analysis.script import Obj, Script

HEADER = """\
import torch
import torchvision
from torch import nn, optim
from torchvision import models
criterion = nn.CrossEntropyLoss()
"""

class NoTrainableParameters(Rule):
    """
    ## What it does
    Flags an optimizer built over parameters that are all frozen: `requires_grad = False` set on
    every parameter of the module it receives (`for p in model.parameters(): p.requires_grad =
    False`, `model.requires_grad_(False)`, a local `freeze(model)` helper, or one that sets a flag
    it is handed, `set_trainable(model, False)`, when no call passes it another value) before
    `optim.X(model.parameters(), ...)` (also a model returned frozen by a builder of the file,
    `model_ft, size = initialize_model(...)` calling its freeze helper after the new head), with no new layer assigned into that module between the
    freeze and the optimizer and nothing unfrozen anywhere in the file (an `unfreeze(module)`
    helper that no code of the file calls unfreezes nothing). Also flags an optimizer
    built over a layer (`model.fc.parameters()`) that is then replaced (`model.fc = nn.Linear(...)`):
    the optimizer keeps the old layer, which is no longer part of the model (whatever is unfrozen later:
    a second stage that unfreezes the last blocks does not bring the old layer back). Also flags an optimizer
    over plain tensors built without `requires_grad=True` (`z = torch.zeros(n, 100)` filled by
    `init.normal_`, then `optim.Adam([z])`, the latent search of AnoGAN or of an adversarial
    perturbation) and stepped after `backward()`, when nothing switches their gradient on.

    Not flagged: the usual fine-tuning recipe (freeze the backbone, assign a new head, which is
    trainable, then optimize `model.parameters()`, `model.fc.parameters()` or
    `filter(lambda p: p.requires_grad, ...)`), a module handed to a function that may add or
    unfreeze layers (a helper of the file that only reads it, `count_trainable(model)`, changes
    nothing), freezing only part of the model, freezing a
    different module (a distillation teacher, a frozen backbone next to a separate head), and
    parameter lists the analysis cannot follow. Nor a tensor made trainable (`requires_grad=True`,
    `z.requires_grad_()`, `nn.Parameter(...)`), nor a dummy optimizer over a plain tensor that
    only drives a learning-rate schedule (stepped with no `backward()` in its loop).

    ## Why is this bad?
    Frozen parameters get no gradient and the optimizer skips them: nothing trains. The training
    loss stays flat from the first batch and accuracy sits at chance, while the script runs to the
    end without an error. (The legitimate case trains: in the H200 reference run, a model with
    all but its last layer frozen still reached 86%.)

    ## Example
    ```python
    model = models.resnet18(weights="IMAGENET1K_V1")
    for p in model.parameters():
        p.requires_grad = False
    optimizer = optim.SGD(model.parameters(), lr=0.01)
    ```

    ## Use instead
    ```python
    model = models.resnet18(weights="IMAGENET1K_V1")
    for p in model.parameters():
        p.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)  # new layer: trainable
    optimizer = optim.SGD(model.fc.parameters(), lr=0.01)
    ```

    ## References
    - https://pytorch.org/tutorials/beginner/transfer_learning_tutorial.html
    - https://pytorch.org/tutorials/beginner/finetuning_torchvision_models_tutorial.html
    """

    code = "FIT503"
    name = "no-trainable-parameters"
    severity = Severity.ERROR

    VALID = [
        # freeze the backbone, replace the head, optimize everything (the new head trains)
        Valid(HEADER + """
model = models.resnet18(weights="IMAGENET1K_V1")
for param in model.parameters():
    param.requires_grad = False
model.fc = nn.Linear(model.fc.in_features, 2)
optimizer = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
"""),
        # the tutorial's fixed feature extractor: only the new head's parameters
        Valid(HEADER + """
model_conv = torchvision.models.resnet18(weights="IMAGENET1K_V1")
for param in model_conv.parameters():
    param.requires_grad = False
num_ftrs = model_conv.fc.in_features
model_conv.fc = nn.Linear(num_ftrs, 2)
optimizer_conv = optim.SGD(model_conv.fc.parameters(), lr=0.001, momentum=0.9)
"""),
        # VGG: the classifier's last layer replaced by index
        Valid(HEADER + """
model = models.vgg16(weights="IMAGENET1K_V1")
model.requires_grad_(False)
model.classifier[6] = nn.Linear(4096, 10)
optimizer = optim.Adam(model.parameters(), lr=1e-3)
"""),
        # optimize what requires grad
        Valid(HEADER + """
model = models.resnet50(weights="IMAGENET1K_V2")
for p in model.parameters():
    p.requires_grad = False
optimizer = optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=1e-3)
"""),
        # only part of the model frozen
        Valid(HEADER + """
model = models.resnet18(weights="IMAGENET1K_V1")
for name, p in model.named_parameters():
    if not name.startswith("layer4"):
        p.requires_grad = False
optimizer = optim.SGD(model.parameters(), lr=0.01)
"""),
        Valid(HEADER + """
model = models.resnet18(weights="IMAGENET1K_V1")
for p in model.layer1.parameters():
    p.requires_grad = False
optimizer = optim.SGD(model.parameters(), lr=0.01)
"""),
        # frozen everything, then the last block unfrozen
        Valid(HEADER + """
model = models.resnet18(weights="IMAGENET1K_V1")
for p in model.parameters():
    p.requires_grad = False
for p in model.layer4.parameters():
    p.requires_grad = True
optimizer = optim.SGD(model.parameters(), lr=0.01)
"""),
        # a frozen backbone next to a separate head
        Valid(HEADER + """
backbone = models.resnet18(weights="IMAGENET1K_V1")
backbone.requires_grad_(False)
head = nn.Linear(1000, 10)
optimizer = optim.Adam(head.parameters(), lr=1e-3)
"""),
        # distillation: the teacher is frozen, the student is optimized
        Valid(HEADER + """
teacher = models.resnet50(weights="IMAGENET1K_V2").eval()
for p in teacher.parameters():
    p.requires_grad = False
student = models.resnet18()
optimizer = optim.SGD(student.parameters(), lr=0.1, momentum=0.9)
"""),
        # the fine-tuning tutorial: a helper freezes, the new head is assigned, params collected by hand
        Valid(HEADER + """
def set_parameter_requires_grad(model, feature_extracting):
    if feature_extracting:
        for param in model.parameters():
            param.requires_grad = False
model_ft = models.resnet18(weights="IMAGENET1K_V1")
set_parameter_requires_grad(model_ft, True)
model_ft.fc = nn.Linear(model_ft.fc.in_features, 10)
params_to_update = []
for name, param in model_ft.named_parameters():
    if param.requires_grad:
        params_to_update.append(param)
optimizer_ft = optim.SGD(params_to_update, lr=0.001, momentum=0.9)
"""),
        # frozen after the first phase of training, for a second phase on another module
        Valid(HEADER + """
encoder = models.resnet18()
opt = optim.Adam(encoder.parameters(), lr=1e-3)
pretrain(encoder, opt)
for p in encoder.parameters():
    p.requires_grad = False
probe = nn.Linear(1000, 10)
probe_opt = optim.Adam(probe.parameters(), lr=1e-3)
"""),
        # LoRA: adapters injected by a library after the freeze are trainable
        Valid(HEADER + """
import loralib as lora
model = models.vit_b_16(weights="IMAGENET1K_V1")
model.requires_grad_(False)
lora.mark_only_lora_as_trainable(model)
optimizer = optim.AdamW(model.parameters(), lr=1e-4)
"""),
        # the model and optimizer handed to a wrapper after the optimizer is built
        Valid(HEADER + """
from accelerate import Accelerator
accelerator = Accelerator()
model = models.resnet18(num_classes=10)
optimizer = optim.SGD(model.fc.parameters(), lr=0.01)
model, optimizer = accelerator.prepare(model, optimizer)
"""),
        # the model wrapped with a new head after the freeze
        Valid(HEADER + """
model = models.resnet18(weights="IMAGENET1K_V1")
model.requires_grad_(False)
model = nn.Sequential(model, nn.Linear(1000, 10))
optimizer = optim.Adam(model.parameters(), lr=1e-3)
"""),
        # a latent code that requires grad; a dummy optimizer that only drives a plotted schedule
        Valid(HEADER + """
z = torch.randn(64, 100, requires_grad=True)
opt = optim.Adam([z], lr=1e-2)
for step in range(100):
    opt.zero_grad()
    criterion(generator(z), target).backward()
    opt.step()
dummy = optim.SGD([torch.zeros(1)], lr=0.1)
schedule = optim.lr_scheduler.StepLR(dummy, step_size=10)
for epoch in range(50):
    dummy.step()
    schedule.step()
"""),
    ]

    INVALID = [
        Invalid(HEADER + """
model = models.resnet18(weights="IMAGENET1K_V1")
for param in model.parameters():
    param.requires_grad = False
optimizer = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)  # FIT503
"""),
        Invalid(HEADER + """
model = models.resnet18(weights="IMAGENET1K_V1").cuda()
model.requires_grad_(False)
optimizer = optim.Adam(model.fc.parameters(), lr=1e-3)  # FIT503
"""),
        # the new head is assigned after the optimizer was built: the optimizer never sees it
        Invalid(HEADER + """
model = models.resnet18(weights="IMAGENET1K_V1")
for param in model.parameters():
    param.requires_grad = False
optimizer = optim.SGD(model.parameters(), lr=0.01)  # FIT503
model.fc = nn.Linear(512, 10)
"""),
        # optimizer over the old head, which is then replaced
        Invalid(HEADER + """
model = models.resnet18(weights="IMAGENET1K_V1")
optimizer = optim.SGD(model.fc.parameters(), lr=0.01)  # FIT503
model.fc = nn.Linear(512, 10)
"""),
        # a local freeze() helper
        Invalid(HEADER + """
def freeze(module):
    for p in module.parameters():
        p.requires_grad = False
def main():
    net = models.mobilenet_v2(weights="IMAGENET1K_V1")
    freeze(net)
    optimizer = optim.Adam(net.parameters(), lr=1e-3)  # FIT503
"""),
        # a Trainer class that freezes self.model before building its optimizer
        Invalid(HEADER + """
class Trainer:
    def __init__(self, num_classes):
        self.model = models.resnet34(weights="IMAGENET1K_V1")
        for p in self.model.parameters():
            p.requires_grad = False
        self.optimizer = optim.AdamW(self.model.parameters(), lr=3e-4)  # FIT503
"""),
        # the latent code of a latent search created without requires_grad
        Invalid(HEADER + """
z = torch.nn.init.normal_(torch.zeros(64, 100), std=0.1)
opt = optim.Adam([z], lr=1e-2)  # FIT503
for step in range(100):
    opt.zero_grad()
    criterion(generator(z), target).backward()
    opt.step()
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        for obj in optimizers(script):
            tensors = gradless_tensors(script, obj)
            if tensors and stepped_after_backward(script, obj):
                yield Report(obj.call, self._gradless_message(tensors))
        freezes = "requires_grad" in script.source
        # something unfrozen later (stage 2 of a fine-tuning) may be what the optimizer holds: no
        # word on frozen parameters then; a replaced layer stays replaced whatever is unfrozen
        unfrozen = freezes and unfreezes_anywhere(script)
        for obj in optimizers(script):
            sources = param_sources(script, obj)
            if not sources or any(source.function is not obj.function for source in sources):
                continue
            if not freezes and not any(type(source.module) in (cst.Attribute, cst.Subscript) for source in sources):
                continue  # neither frozen nor a layer that could be replaced
            message = self._message(script, obj, sources, unfrozen)
            if message is not None:
                yield Report(obj.call, message)

    def _message(self, script: Script, obj: Obj, sources: list[ParamSource], unfrozen: bool) -> str | None:
        events = freeze_events(script, obj.function)
        mine = next((event for event in events if event.kind == "optimizer" and event.node is obj.call), None)
        if mine is None:
            return None
        paths = [source.path for source in sources]
        # a layer replaced on a model rebound in between (`model = models.densenet121()` again, in
        # a later notebook cell) is a new object's, not the one this optimizer holds
        replaced = [event for event in events if event.kind == "replace" and event.index > mine.index
                    and all(within(path, event.path) for path in paths)
                    and not any(other.kind == "assign" and mine.index < other.index < event.index
                                and within(event.path, other.path) and other.path != event.path for other in events)]
        if replaced:
            return (
                f"this optimizer holds the parameters of `{paths[0]}`, which is replaced by a new layer "
                "after it is built: the optimizer updates the old layer, no longer part of the model, and "
                "the new one never trains (loss flat, accuracy at chance); build the optimizer after "
                "replacing the layer"
            )
        if unfrozen:
            return None
        late_heads = []
        for path in paths:
            freeze = self._frozen_by(events, path, mine.index)
            if freeze is None:
                return None
            late_heads += [event for event in events if event.kind == "assign" and event.index > mine.index
                           and within(event.path, path) and event.path != path and not event.path.endswith(".?")]
        what = " and ".join(f"`{path}.parameters()`" for path in paths)
        extra = ""
        if late_heads:
            extra = f" (the new `{late_heads[0].path}` is assigned after the optimizer is built, so it is not in it)"
        return (
            f"every parameter this optimizer receives ({what}) was frozen with "
            f"`requires_grad = False` before it was built{extra}: nothing trains, the training loss stays "
            "flat and accuracy sits at chance; assign the new head before building the optimizer, or "
            "optimize the layers you meant to train"
        )

    @staticmethod
    def _gradless_message(tensors: tuple[str, ...]) -> str:
        what = ", ".join(f"`{name}`" for name in tensors)
        return (
            f"this optimizer receives only {what}, built without `requires_grad=True`: `backward()` "
            "gives it no gradient and every step skips it, so it never changes and the loss stays the "
            f"same at every step; create it with `requires_grad=True` or call `{tensors[0]}.requires_grad_()` "
            "before building the optimizer"
        )

    @staticmethod
    def _frozen_by(events: list[FreezeEvent], path: str, before: int) -> FreezeEvent | None:
        """The freeze of ``path`` (or a module around it) before ``before`` that nothing undoes."""
        for freeze in events:
            if freeze.kind != "freeze" or freeze.index > before or not within(path, freeze.path):
                continue
            undone = any(
                event.kind == "assign" and freeze.index < event.index < before
                and (within(event.path, path) or within(path, event.path))
                for event in events
            )
            if not undone:
                return freeze
        return None


