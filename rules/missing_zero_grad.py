from __future__ import annotations

from typing import Iterator

from fitlint.findings import Severity
from fitlint.analysis.optimization import (
    StepTarget,
    function_zeroes_gradients,
    loop_calls_backward,
    loop_zeroes_gradients,
    loop_zeroings,
    step_target,
    stepped_optimizer_expr,
    zeroes_directly,
)
import libcst as cst

from fitlint.fixes.edits import block_statements, insert_before, statement_line
from fitlint.fixes.safety import always_of_kind
from fitlint.rule import Fix, Invalid, Report, Rule, Valid
from fitlint.analysis import catalog
from fitlint.analysis.script import CallSite, FunctionInfo, LoopInfo, Script, code_of, short_code
from fitlint.analysis.catalog import ObjKind

HEADER = """\
import torch
from torch import nn, optim
model = nn.Linear(10, 2)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.05)
train_loader = torch.utils.data.DataLoader(dataset, batch_size=64, shuffle=True)
"""

GAN_HEADER = """\
import itertools
import torch
from torch import nn, optim

class Generator(nn.Module):
    def __init__(self, nz=64):
        super().__init__()
        self.main = nn.Sequential(nn.Linear(nz, 784), nn.Tanh())

class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(nn.Linear(784, 1), nn.Sigmoid())

G, D = Generator(), Discriminator()
opt_g = optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_d = optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
bce = nn.BCELoss()
loader = torch.utils.data.DataLoader(dataset, batch_size=64, shuffle=True)
"""

ACTOR_CRITIC = """\
import torch
from torch import nn, optim

class Actor(nn.Module):
    def __init__(self, obs, act):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(obs, 64), nn.Tanh(), nn.Linear(64, act))

class Critic(nn.Module):
    def __init__(self, obs):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(obs, 64), nn.Tanh(), nn.Linear(64, 1))
"""

MAX_CALLER_DEPTH = 4


class MissingZeroGrad(Rule):
    """
    ## What it does
    Flags `optimizer.step()` in a loop that calls `backward()` every iteration but never zeroes
    the gradients: no `optimizer.zero_grad()`, no `model.zero_grad()`, no `param.grad = None` or
    `p.grad.zero_()`, no helper that does it, neither in the loop nor in the functions it calls.
    A `zero_grad()` made once before the loop does not count: it clears only the first batch.

    With several optimizers (a GAN's generator and discriminator, an actor and a critic) the
    question is asked per optimizer: a step is flagged when everything the loop zeroes is proven
    to belong to other optimizers or other models (`opt_g.zero_grad()`, `G.zero_grad()`) while the
    stepped optimizer's own parameters are known (`optim.Adam(D.parameters())`, a param-group list
    of `D`'s). Zeroing a model that holds the optimized one (`model.zero_grad()` for
    `model.head`'s optimizer, a wrapper built around `D`), an optimizer that shares parameters with
    it (`itertools.chain(G.parameters(), D.parameters())`), or anything the analysis cannot
    attribute (a helper from elsewhere, a loop over a list of optimizers) counts as zeroing it.

    It also flags `optimizer.zero_grad()` placed between `loss.backward()` and `optimizer.step()`
    in the same block of the loop, with no `backward()` between it and the step: it clears the
    gradients the step was about to apply.

    Intended gradient accumulation (`zero_grad()` after every k-th `step()`), `zero_grad()` after
    `step()`, `zero_grad()` inside an LBFGS closure, `netD.zero_grad()` in a GAN, and
    `accelerator.backward(loss)` / `scaler.scale(loss).backward()` are all recognized. When the
    step lives in a helper (`train_step`) called from the loop, the loop and the helper are read
    together; a helper that is never called in this file is not judged. Distributed autograd
    (`with dist_autograd.context() as ctx:` and a `DistributedOptimizer`) keeps each context's
    gradients apart: nothing accumulates, nothing is flagged.

    ## Why is this bad?
    `backward()` adds to `.grad`; it never overwrites it. Without zeroing, each step applies the
    sum of the gradients of every batch so far: the effective step grows with every iteration
    and training diverges. In the H200 reference run (SGD, lr 0.05) the loss was NaN within the
    first epochs and accuracy stayed at chance (9.7% on 10 classes). Zeroing between `backward()`
    and `step()` is the opposite failure: every step applies zero gradients, so the weights never
    move (only momentum left from nothing and weight decay act) and the loss stays where it started.

    ## Example
    ```python
    for x, y in train_loader:
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    ```

    and in a GAN whose loop zeroes only the generator's gradients:
    ```python
    for real, _ in loader:
        d_loss = bce(D(real), ones) + bce(D(G(noise).detach()), zeros)
        d_loss.backward()
        opt_d.step()              # D's gradients pile up batch after batch
        opt_g.zero_grad()
        bce(D(G(noise)), ones).backward()
        opt_g.step()
    ```

    ## Use instead
    ```python
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    ```

    and in the GAN, `opt_d.zero_grad()` (or `D.zero_grad()`) before `d_loss.backward()`.

    ## Fix safety
    The fix inserts `optimizer.zero_grad()` as the first statement of the loop that calls
    `backward()` and `step()`, spelling the optimizer exactly as the step does
    (`self.optimizer.zero_grad()`, the optimizer passed to `scaler.step(...)`), and only when
    that object is known to be an optimizer with `zero_grad()` (built by `torch.optim` or another
    optimizer library in this file; not a factory the analysis cannot see into). It is safe: every
    iteration then starts from zero gradients, which is what a loop that steps every iteration
    without accumulating means, and nothing that ran before the first `backward()` of an iteration
    could have read this iteration's gradients. There is no fix when the step lives in a helper
    called from the loop (the helper's optimizer may not be visible there), when the loop steps
    more than one optimizer (where each should be zeroed depends on which backward feeds which
    network), or when the loop body is a one-line suite.

    ## References
    - https://pytorch.org/docs/stable/generated/torch.optim.Optimizer.zero_grad.html
    - https://pytorch.org/tutorials/recipes/recipes/zeroing_out_gradients.html
    """

    code = "FIT501"
    name = "missing-zero-grad"
    severity = Severity.ERROR
    fixable = True

    VALID = [
        # the canonical loop
        Valid(HEADER + """
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
"""),
        # zero_grad after step() is just as good
        Valid(HEADER + """
for x, y in train_loader:
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
"""),
        # intended gradient accumulation
        Valid(HEADER + """
accum = 4
optimizer.zero_grad()
for i, (x, y) in enumerate(train_loader):
    loss = criterion(model(x), y) / accum
    loss.backward()
    if (i + 1) % accum == 0:
        optimizer.step()
        optimizer.zero_grad()
"""),
        # a GAN: each network zeroes its own gradients through the model
        Valid(HEADER + """
netD, netG = Discriminator(), Generator()
optimizerD = optim.Adam(netD.parameters(), lr=2e-4)
optimizerG = optim.Adam(netG.parameters(), lr=2e-4)
for real, _ in train_loader:
    netD.zero_grad()
    errD = criterion(netD(real), ones) + criterion(netD(netG(noise).detach()), zeros)
    errD.backward()
    optimizerD.step()
    netG.zero_grad()
    errG = criterion(netD(netG(noise)), ones)
    errG.backward()
    optimizerG.step()
"""),
        # several optimizers, each zeroed its own way: through its model, its optimizer, its
        # parameters' .grad, or a helper
        Valid(GAN_HEADER + """
for real, _ in loader:
    fake = G(torch.randn(real.size(0), 64))
    D.zero_grad()
    d_loss = bce(D(real), ones) + bce(D(fake.detach()), zeros)
    d_loss.backward()
    opt_d.step()
    opt_g.zero_grad()
    bce(D(fake), ones).backward()
    opt_g.step()
"""),
        Valid(GAN_HEADER + """
for real, _ in loader:
    for p in D.parameters():
        p.grad = None
    bce(D(real), ones).backward()
    opt_d.step()
    opt_g.zero_grad(set_to_none=True)
    bce(D(G(noise)), ones).backward()
    opt_g.step()
"""),
        Valid(GAN_HEADER + """
def reset_grad():
    opt_g.zero_grad()
    opt_d.zero_grad()

for real, _ in loader:
    reset_grad()
    bce(D(real), ones).backward()
    opt_d.step()
    reset_grad()
    bce(D(G(noise)), ones).backward()
    opt_g.step()
"""),
        Valid(GAN_HEADER + """
optimizers = [opt_g, opt_d]
for real, _ in loader:
    for opt in optimizers:
        opt.zero_grad()
    (bce(D(real), ones) + bce(D(G(noise).detach()), zeros)).backward()
    opt_d.step()
    bce(D(G(noise)), ones).backward()
    opt_g.step()
"""),
        # WGAN: the critic trained n_critic times per generator step, each network zeroed
        Valid(GAN_HEADER + """
n_critic = 5
for epoch in range(100):
    for i, (real, _) in enumerate(loader):
        for _ in range(n_critic):
            D.zero_grad()
            d_loss = -D(real).mean() + D(G(noise).detach()).mean()
            d_loss.backward()
            opt_d.step()
            for p in D.parameters():
                p.data.clamp_(-0.01, 0.01)
        G.zero_grad()
        g_loss = -D(G(noise)).mean()
        g_loss.backward()
        opt_g.step()
"""),
        # one optimizer over both generators (CycleGAN), zeroed through one of them: it shares
        # parameters with what is zeroed (a partial reset is not proven to be someone else's)
        Valid(GAN_HEADER + """
G_AB, G_BA = Generator(), Generator()
opt_gen = optim.Adam(itertools.chain(G_AB.parameters(), G_BA.parameters()), lr=2e-4)
for real_a, real_b in loader:
    G_AB.zero_grad()
    G_BA.zero_grad()
    loss = (G_BA(G_AB(real_a)) - real_a).abs().mean() + (G_AB(G_BA(real_b)) - real_b).abs().mean()
    loss.backward()
    opt_gen.step()
    opt_d.zero_grad()
    bce(D(real_b), ones).backward()
    opt_d.step()
"""),
        # a param-group list of D's, zeroed through D
        Valid(GAN_HEADER + """
opt_d = optim.SGD([{"params": D.parameters(), "lr": 1e-3}], momentum=0.9)
for real, _ in loader:
    D.zero_grad()
    bce(D(real), ones).backward()
    opt_d.step()
    opt_g.zero_grad()
    bce(D(G(noise)), ones).backward()
    opt_g.step()
"""),
        # the model zeroed holds the networks the optimizers train: by attribute, or wrapped
        Valid(HEADER + """
opt_head = optim.Adam(model.head.parameters(), lr=1e-3)
opt_body = optim.SGD(model.body.parameters(), lr=1e-2)
for x, y in train_loader:
    model.zero_grad()
    criterion(model(x), y).backward()
    opt_head.step()
    opt_body.step()
"""),
        Valid(GAN_HEADER + """
class GAN(nn.Module):
    def __init__(self, generator, discriminator):
        super().__init__()
        self.generator = generator
        self.discriminator = discriminator

gan = GAN(G, D)
for real, _ in loader:
    gan.zero_grad()
    bce(D(real), ones).backward()
    opt_d.step()
    bce(D(G(noise)), ones).backward()
    opt_g.step()
"""),
        Valid(GAN_HEADER + """
pipeline = nn.Sequential(G, D)
for real, _ in loader:
    pipeline.zero_grad()
    bce(D(real), ones).backward()
    opt_d.step()
    bce(pipeline(noise), ones).backward()
    opt_g.step()
"""),
        # encoder and decoder optimizers, each zeroed after its step
        Valid(HEADER + """
class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(784, 32)

class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(32, 784)

encoder, decoder = Encoder(), Decoder()
enc_opt = optim.Adam(encoder.parameters(), lr=1e-3)
dec_opt = optim.Adam(decoder.parameters(), lr=1e-3)
for x, _ in train_loader:
    loss = ((decoder(encoder(x)) - x) ** 2).mean()
    loss.backward()
    enc_opt.step()
    dec_opt.step()
    enc_opt.zero_grad()
    dec_opt.zero_grad()
"""),
        # the decoder holds only the encoder's embedding: zeroing the encoder's optimizer clears it
        Valid(HEADER + """
class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(1000, 64)

class Decoder(nn.Module):
    def __init__(self, embedding):
        super().__init__()
        self.embedding = embedding

encoder = Encoder()
decoder = Decoder(encoder.embedding)
enc_opt = optim.Adam(encoder.parameters(), lr=1e-3)
dec_opt = optim.SparseAdam(decoder.parameters(), lr=1e-3)
for tokens, _ in train_loader:
    enc_opt.zero_grad()
    decoder(encoder(tokens)).sum().backward()
    enc_opt.step()
    dec_opt.step()
"""),
        # a second optimizer for a learned loss weight, its tensor's .grad cleared by hand
        Valid(HEADER + """
log_var = torch.zeros(1, requires_grad=True)
weight_opt = optim.Adam([log_var], lr=1e-2)
for x, y in train_loader:
    model.zero_grad()
    log_var.grad = None
    loss = criterion(model(x), y) * torch.exp(-log_var) + log_var
    loss.backward()
    optimizer.step()
    weight_opt.step()
"""),
        # actor-critic: an update helper called with both networks and both optimizers
        Valid(ACTOR_CRITIC + """
def update(actor, critic, actor_opt, critic_opt, states, actions, returns):
    values = critic(states).squeeze(-1)
    critic_loss = (returns - values).pow(2).mean()
    critic_opt.zero_grad()
    critic_loss.backward()
    critic_opt.step()
    advantages = (returns - values).detach()
    actor_loss = -(actor(states).log_softmax(-1).gather(1, actions) * advantages).mean()
    actor_opt.zero_grad()
    actor_loss.backward()
    actor_opt.step()

actor, critic = Actor(4, 2), Critic(4)
actor_opt = optim.Adam(actor.parameters(), lr=3e-4)
critic_opt = optim.Adam(critic.parameters(), lr=1e-3)
for episode in range(1000):
    states, actions, returns = rollout(env, actor)
    update(actor, critic, actor_opt, critic_opt, states, actions, returns)
"""),
        # a trainer class (pix2pix style): each optimizer zeroed in the method around its backward
        Valid(GAN_HEADER + """
class Trainer:
    def __init__(self):
        self.G, self.D = Generator(), Discriminator()
        self.optimizer_G = optim.Adam(self.G.parameters(), lr=2e-4)
        self.optimizer_D = optim.Adam(self.D.parameters(), lr=2e-4)

    def backward_D(self, real, fake):
        self.optimizer_D.zero_grad()
        (bce(self.D(real), ones) + bce(self.D(fake.detach()), zeros)).backward()

    def fit(self, loader):
        for real, _ in loader:
            fake = self.G(noise)
            self.backward_D(real, fake)
            self.optimizer_D.step()
            self.optimizer_G.zero_grad()
            bce(self.D(fake), ones).backward()
            self.optimizer_G.step()

Trainer().fit(loader)
"""),
        # a local reset_grad() helper
        Valid(HEADER + """
def reset_grad():
    g_optimizer.zero_grad()
    d_optimizer.zero_grad()
for x, y in train_loader:
    d_loss = criterion(model(x), y)
    reset_grad()
    d_loss.backward()
    optimizer.step()
"""),
        # gradients cleared by hand
        Valid(HEADER + """
for x, y in train_loader:
    for param in model.parameters():
        param.grad = None
    criterion(model(x), y).backward()
    optimizer.step()
"""),
        Valid(HEADER + """
for x, y in train_loader:
    criterion(model(x), y).backward()
    optimizer.step()
    for p in model.parameters():
        if p.grad is not None:
            p.grad.data.zero_()
"""),
        # LBFGS: zero_grad and backward inside the closure
        Valid(HEADER + """
optimizer = optim.LBFGS(model.parameters())
for x, y in train_loader:
    def closure():
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        return loss
    optimizer.step(closure)
"""),
        # accelerate: accelerator.backward(loss) with zero_grad in place
        Valid(HEADER + """
from accelerate import Accelerator
accelerator = Accelerator()
model, optimizer, train_loader = accelerator.prepare(model, optimizer, train_loader)
for batch in train_loader:
    outputs = model(**batch)
    accelerator.backward(outputs.loss)
    optimizer.step()
    optimizer.zero_grad()
"""),
        # zero_grad in the train_step helper the loop calls
        Valid(HEADER + """
def train_step(x, y):
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
for epoch in range(5):
    for x, y in train_loader:
        train_step(x, y)
"""),
        # zero_grad in the loop, the step in a helper
        Valid(HEADER + """
def update(loss):
    loss.backward()
    optimizer.step()
for x, y in train_loader:
    optimizer.zero_grad()
    update(criterion(model(x), y))
"""),
        # AMP, several optimizers zeroed in a loop of their own
        Valid(HEADER + """
scaler = torch.cuda.amp.GradScaler()
optimizers = [optimizer]
for x, y in train_loader:
    for opt in optimizers:
        opt.zero_grad()
    with torch.autocast("cuda"):
        loss = criterion(model(x), y)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
"""),
        # a step helper never called in this file: not judged
        Valid(HEADER + """
def optimizer_step(loss):
    loss.backward()
    optimizer.step()
"""),
        # distributed autograd: each context holds its own gradients, DistributedOptimizer has
        # no zero_grad() (the RPC tutorial's trainer loop)
        Valid("""
import torch
import torch.distributed.autograd as dist_autograd
from torch import optim
from torch.distributed.optim import DistributedOptimizer

def run_trainer(remote_emb_module, rank):
    model = HybridModel(remote_emb_module, rank)
    opt = DistributedOptimizer(optim.SGD, model.remote_parameters(), lr=0.05)
    criterion = torch.nn.CrossEntropyLoss()
    for epoch in range(100):
        for indices, offsets, target in get_next_batch(rank):
            with dist_autograd.context() as context_id:
                output = model(indices, offsets)
                loss = criterion(output, target)
                dist_autograd.backward(context_id, [loss])
                opt.step(context_id)
"""),
        # the DistributedOptimizer stepped in a helper, outside the `with` of its caller
        Valid("""
import torch.distributed.autograd as dist_autograd
from torch import optim
from torch.distributed.optim import DistributedOptimizer

opt = DistributedOptimizer(optim.Adam, param_rrefs, lr=1e-3)

def apply_update(ctx):
    opt.step(ctx)

for batch in batches:
    with dist_autograd.context() as ctx:
        loss = model(batch).sum()
        dist_autograd.backward(ctx, [loss])
        apply_update(ctx)
"""),
        # zero_grad() after a backward() that only takes input gradients (adversarial training)
        Valid(HEADER + """
for x, y in train_loader:
    x.requires_grad_(True)
    criterion(model(x), y).backward()
    x_adv = (x + 0.03 * x.grad.sign()).detach()
    optimizer.zero_grad()
    loss = criterion(model(x_adv), y)
    loss.backward()
    optimizer.step()
"""),
        # accumulation: step and zero_grad together every k batches, after the backward
        Valid(HEADER + """
for i, (x, y) in enumerate(train_loader):
    loss = criterion(model(x), y) / 4
    loss.backward()
    if (i + 1) % 4 == 0:
        optimizer.step()
        optimizer.zero_grad()
"""),
    ]

    INVALID = [
        # an optimizer from a factory the analysis cannot see into: flagged, but no fix (its
        # class is not known to have zero_grad())
        Invalid(HEADER + """
optimizer = build_optimizer(config, model)
for x, y in train_loader:
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()  # FIT501
"""),
        Invalid(HEADER + """
for epoch in range(10):
    for x, y in train_loader:
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()  # FIT501
""", fixed=HEADER + """
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()  # FIT501
"""),
        # zeroed once before the loop only
        Invalid(HEADER + """
def train(epoch):
    model.train()
    optimizer.zero_grad()
    for batch_idx, (x, y) in enumerate(train_loader):
        output = model(x)
        loss = criterion(output, y)
        loss.backward()
        optimizer.step()  # FIT501
for epoch in range(10):
    train(epoch)
"""),
        # zeroed once per epoch, stepped per batch
        Invalid(HEADER + """
for epoch in range(10):
    optimizer.zero_grad()
    for x, y in train_loader:
        criterion(model(x), y).backward()
        optimizer.step()  # FIT501
"""),
        # the step lives in a helper; neither it nor the loop zeroes
        Invalid(HEADER + """
def train_step(x, y):
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()  # FIT501
    return loss.item()
for epoch in range(5):
    for x, y in train_loader:
        train_step(x, y)
"""),
        # a Trainer class with AMP
        Invalid(HEADER + """
class Trainer:
    def __init__(self, model):
        self.model = model
        self.optimizer = optim.AdamW(model.parameters(), lr=1e-3)
        self.scaler = torch.cuda.amp.GradScaler()
    def fit(self, loader, epochs):
        for epoch in range(epochs):
            for x, y in loader:
                with torch.autocast("cuda"):
                    loss = criterion(self.model(x), y)
                self.scaler.scale(loss).backward()
                self.scaler.step(self.optimizer)  # FIT501
                self.scaler.update()
""", fixed=HEADER + """
class Trainer:
    def __init__(self, model):
        self.model = model
        self.optimizer = optim.AdamW(model.parameters(), lr=1e-3)
        self.scaler = torch.cuda.amp.GradScaler()
    def fit(self, loader, epochs):
        for epoch in range(epochs):
            for x, y in loader:
                self.optimizer.zero_grad()
                with torch.autocast("cuda"):
                    loss = criterion(self.model(x), y)
                self.scaler.scale(loss).backward()
                self.scaler.step(self.optimizer)  # FIT501
                self.scaler.update()
"""),
        # several optimizers: the loop zeroes the generator's gradients, never the discriminator's
        Invalid(GAN_HEADER + """
for real, _ in loader:
    fake = G(torch.randn(real.size(0), 64))
    d_loss = bce(D(real), ones) + bce(D(fake.detach()), zeros)
    d_loss.backward()
    opt_d.step()  # FIT501
    opt_g.zero_grad()
    g_loss = bce(D(fake), ones)
    g_loss.backward()
    opt_g.step()
"""),
        # zeroed through the other model only (DCGAN style, netD.zero_grad() forgotten)
        Invalid(GAN_HEADER + """
for epoch in range(25):
    for real, _ in loader:
        errD = bce(D(real), ones) + bce(D(G(noise).detach()), zeros)
        errD.backward()
        opt_d.step()  # FIT501
        G.zero_grad()
        errG = bce(D(G(noise)), ones)
        errG.backward()
        opt_g.step()
"""),
        # the other network's parameters cleared by hand; a param-group list of D's
        Invalid(GAN_HEADER + """
opt_d = optim.SGD([{"params": D.parameters(), "lr": 1e-3}], momentum=0.9)
for real, _ in loader:
    for p in G.parameters():
        p.grad = None
    bce(D(real), ones).backward()
    opt_d.step()  # FIT501
    bce(D(G(noise)), ones).backward()
    opt_g.step()
"""),
        # actor-critic in a trainer: the critic's optimizer zeroed, the actor's never
        Invalid(ACTOR_CRITIC + """
class A2C:
    def __init__(self):
        self.actor, self.critic = Actor(4, 2), Critic(4)
        self.actor_opt = optim.Adam(self.actor.parameters(), lr=3e-4)
        self.critic_opt = optim.Adam(self.critic.parameters(), lr=1e-3)

    def learn(self, batches):
        for states, actions, returns in batches:
            values = self.critic(states).squeeze(-1)
            self.critic_opt.zero_grad()
            (returns - values).pow(2).mean().backward()
            self.critic_opt.step()
            log_probs = self.actor(states).log_softmax(-1).gather(1, actions)
            (-(log_probs * (returns - values).detach()).mean()).backward()
            self.actor_opt.step()  # FIT501

A2C().learn(batches)
"""),
        # accelerate: the backward is accelerator.backward(loss)
        Invalid(HEADER + """
from accelerate import Accelerator
accelerator = Accelerator()
for batch in train_loader:
    loss = model(**batch).loss
    accelerator.backward(loss)
    optimizer.step()  # FIT501
"""),
        # zero_grad() between backward() and step(): the step applies zeros
        Invalid(HEADER + """
for epoch in range(10):
    for x, y in train_loader:
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.zero_grad()  # FIT501
        optimizer.step()
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        reported: set[int] = set()
        for site in script.calls:
            if not script.is_optimizer_step(site) or _per_context_gradients(script, site):
                continue
            wiped = _zeroed_before_step(script, site)
            if wiped is not None:
                yield Report(wiped.node, _wiped_message(script, wiped, site), statement=wiped.statement,
                             basis=script.step_basis(site))
                continue
            region = self._unzeroed_region(script, site)
            if region is None or id(region) in reported:
                continue
            reported.add(id(region))
            yield Report(site.node, self._message(script, site, region), statement=site.statement,
                         fix=_fix(script, site, region), basis=script.step_basis(site))

    def _unzeroed_region(self, script: Script, site: CallSite) -> LoopInfo | None:
        """The loop around the step that calls backward every iteration and never zeroes the
        gradients the step applies, or None when they are zeroed or the analysis cannot tell."""
        verdict = self._verdict(script, site, step_target(script, site), 0)
        return verdict if isinstance(verdict, LoopInfo) else None

    def _verdict(self, script: Script, site: CallSite, target: StepTarget | None, depth: int) -> LoopInfo | bool | None:
        """A LoopInfo: that loop never zeroes; False: zeroed; None: cannot tell."""
        for loop in script.enclosing_loops(site.loop):
            if loop_calls_backward(script, loop):
                return False if loop_zeroes_gradients(script, loop, target) else loop
        function = site.function
        if function.is_module or depth >= MAX_CALLER_DEPTH or function_zeroes_gradients(script, function, target):
            return None
        callers = script.call_sites_of(function)
        if not callers:
            return None
        verdicts = [self._verdict(script, caller, target, depth + 1) for caller in callers]
        if all(isinstance(verdict, LoopInfo) for verdict in verdicts):
            return verdicts[0]
        return None

    def _message(self, script: Script, site: CallSite, loop: LoopInfo) -> str:
        others = sorted({short_code(zeroing.node).strip() for zeroing in loop_zeroings(script, loop)})
        if others:
            optimizer = stepped_optimizer_expr(script, site)
            name = code_of(optimizer) if optimizer is not None else "optimizer"
            return (
                f"`{site.name or 'step'}()` applies gradients that are never zeroed: the loop zeroes "
                f"only other networks' gradients ({', '.join(f'`{other}`' for other in others)}), so "
                f"`backward()` adds each batch's gradients for `{name}`'s parameters to all earlier ones, "
                "the effective step grows every iteration and that network diverges (loss to NaN); call "
                f"`{name}.zero_grad()` once per iteration, before its `backward()` or after its `step()`"
            )
        where = "before the loop only" if self._zeroed_outside(script, loop.function, loop) else "anywhere in the loop"
        return (
            f"`{site.name or 'step'}()` applies gradients that are never zeroed (no `zero_grad()` {where}): "
            "`backward()` adds each batch's gradients to all earlier ones, so the effective step grows "
            "every iteration and training diverges (loss to NaN, accuracy at chance); call "
            "`optimizer.zero_grad()` once per iteration, before `backward()` or after `step()`"
        )

    @staticmethod
    def _zeroed_outside(script: Script, function: FunctionInfo, loop: LoopInfo) -> bool:
        return any(zeroes_directly(other.node) and other.order < loop.order and not loop.contains(other.loop)
                   for other in function.calls)


def _zeroed_before_step(script: Script, step: CallSite) -> CallSite | None:
    """``optimizer.zero_grad()`` between the loop's ``loss.backward()`` and ``optimizer.step()``,
    all three statements of the same block of the loop, the zeroing on the stepped optimizer
    itself, and no ``backward()`` between it and the step."""
    loop = step.loop
    optimizer = stepped_optimizer_expr(script, step)
    # a per-batch helper (`train_step(model, xb, yb, optimizer)` called in the loop) is the loop's body
    helper = step.function if loop is None and not step.function.is_module and any(
        caller.loop is not None for caller in script.call_sites_of(step.function)) else None
    owner = loop.node if loop is not None else helper.node if helper is not None else None
    body = block_statements(owner) if owner is not None and optimizer is not None else None
    if not body:
        return None
    in_body = {id(statement) for statement in body}
    calls = loop.calls if loop is not None else helper.calls
    before = [site for site in calls if site.order < step.order and site.function is step.function]
    for site in reversed(before):
        if site.method == "backward":
            return None
        if zeroes_directly(site.node) and site.receiver is not None:
            if code_of(site.receiver) != code_of(optimizer) or id(site.statement) not in in_body:
                return None
            earlier = [other for other in before if other.order < site.order and other.method == "backward"]
            if id(step.statement) in in_body and any(id(other.statement) in in_body for other in earlier):
                return site
            return None
    return None


def _wiped_message(script: Script, zeroing: CallSite, step: CallSite) -> str:
    name = code_of(zeroing.receiver)
    return (
        f"`{name}.zero_grad()` runs after `backward()` and before `{step.name or 'step'}()`: it clears "
        "the gradients the step was about to apply, so every step applies zeros, the weights never "
        "learn from the data and the loss stays flat (accuracy at chance); call it before `backward()` "
        "(or after the step)"
    )


def _per_context_gradients(script: Script, site: CallSite) -> bool:
    """The step runs in a distributed autograd context (``with dist_autograd.context() as ctx:``)
    or steps a ``DistributedOptimizer``: every context starts with fresh gradients."""
    if any(script.qualname(manager.func) in catalog.DIST_AUTOGRAD_CONTEXTS for manager in site.withs):
        return True
    receiver = site.receiver
    return receiver is not None and any(
        type(bound.expr) is cst.Call and script.qualname(bound.expr.func) in catalog.DISTRIBUTED_OPTIMIZERS
        for bound in script.values(receiver, site.function)
    )


def _fix(script: Script, site: CallSite, loop: LoopInfo) -> Fix | None:
    if loop.function is not site.function:
        return None  # the step is in a helper: its optimizer may not be in scope at the loop
    body = block_statements(loop.node)
    if not body:
        return None
    optimizers = set()
    for other in loop.all_calls():
        if other.function is site.function and script.is_optimizer_step(other):
            expr = stepped_optimizer_expr(script, other)
            # only a method the object's class is known to have: a torch (or catalogued) optimizer
            if expr is None or not always_of_kind(script, expr, other.function, ObjKind.OPTIMIZER):
                return None
            optimizers.add(code_of(expr))
    if len(optimizers) != 1:
        return None
    name = optimizers.pop()
    return Fix(f"call `{name}.zero_grad()` at the top of the loop",
               (insert_before(body[0], statement_line(f"{name}.zero_grad()")),))
