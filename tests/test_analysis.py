"""The shared analysis answers the questions rules ask, on the shapes real training code has."""

from __future__ import annotations

import textwrap

import libcst as cst

from fitlint.analysis.script import Script, code_of


def analyze(code: str) -> Script:
    source = textwrap.dedent(code)
    return Script("example.py", source, cst.parse_module(source))


def site(script: Script, name: str, nth: int = 0):
    return [call for call in script.calls if call.name == name][nth]


def function(script: Script, name: str, cls: str | None = None):
    return next(f for f in script.functions if f.name == name and (f.cls.name if f.cls else None) == cls)


MNIST_SHAPE = """
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 2)

    def train(model, loader, optimizer):
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            model(x).sum().backward()
            optimizer.step()

    def main(loader):
        model = Net()
        train(model, loader, torch.optim.SGD(model.parameters(), lr=0.1))
"""


def test_a_method_call_is_never_the_free_function_of_the_same_name():
    script = analyze(MNIST_SHAPE)
    train = function(script, "train")
    assert script.callee(site(script, "model.train")) is None
    assert script.callee(site(script, "train")) is train
    assert [call.name for call in script.call_sites_of(train)] == ["train"]
    assert [call.name for call in script.sites_named_like(train)] == ["train"]


def test_a_bare_call_is_never_a_method_of_the_same_name():
    script = analyze("""
        class Trainer:
            def fit(self, model):
                model.fit()

            def run(self):
                fit(self)

        def fit(trainer):
            pass

        trainer = Trainer()
        trainer.fit(object())
    """)
    method = function(script, "fit", cls="Trainer")
    assert [call.name for call in script.sites_named_like(method)] == ["model.fit", "trainer.fit"]
    assert [call.name for call in script.call_sites_of(method)] == ["trainer.fit"]
    assert script.callee(site(script, "fit")) is function(script, "fit")


TRAINER_CYCLE = """
    from torch import nn

    class Trainer:
        def train(self, model):
            model.train()

    net = nn.Linear(4, 2)
    trainer = Trainer()
    trainer.train(net)
"""


def test_an_answer_met_inside_a_cycle_is_not_kept_for_good():
    # Resolving Trainer.train's call sites resolves `model` in `model.train()` (is it a Trainer?),
    # which needs Trainer.train's call sites again: there `model` is unknown for a moment. Asked
    # afterwards, `model` is the `nn.Linear` passed at the call site, whatever was asked first.
    script = analyze(TRAINER_CYCLE)
    method = function(script, "train", cls="Trainer")
    receiver = site(script, "model.train").receiver
    assert [call.name for call in script.call_sites_of(method)] == ["trainer.train"]
    values = script.values(receiver, method)
    assert [script.qualname(bound.expr.func) for bound in values] == ["torch.nn.Linear"]


def test_the_values_of_a_name_do_not_depend_on_the_question_asked_first():
    first = analyze(TRAINER_CYCLE)
    method = function(first, "train", cls="Trainer")
    asked_first = first.values(site(first, "model.train").receiver, method)
    second = analyze(TRAINER_CYCLE)
    second.call_sites_of(function(second, "train", cls="Trainer"))
    asked_later = second.values(site(second, "model.train").receiver, function(second, "train", cls="Trainer"))
    assert [cst.Module([]).code_for_node(b.expr) for b in asked_first] == [
        cst.Module([]).code_for_node(b.expr) for b in asked_later
    ] == ["nn.Linear(4, 2)"]


def test_rows_keep_their_order_through_casts_moves_copies_and_scalar_arithmetic():
    from fitlint.analysis.splits import rows_of

    script = analyze("""
        import numpy as np
        import torch
        a = torch.tensor(data.images[idx].astype(np.float32) / 16.0).to(device).reshape(n, -1) * 2 - 1
        b = torch.from_numpy(X)[perm].float().clone()
        c = X[perm] + Y
        d = X.mean(0)
    """)
    values = {assignment.target: assignment.value for assignment in script.assigns}
    code = cst.Module([]).code_for_node
    assert code(rows_of(script, values["a"])) == "data.images[idx]"
    assert code(rows_of(script, values["b"])) == "torch.from_numpy(X)[perm]"
    assert code(rows_of(script, values["c"])) == "X[perm] + Y"  # arithmetic with another array
    assert code(rows_of(script, values["d"])) == "X.mean(0)"  # a reduction


def test_a_name_says_model_only_when_no_word_in_it_says_otherwise():
    from fitlint.analysis.regions import named_like_model

    assert named_like_model("net") and named_like_model("self.encoder") and named_like_model("effnetb2")
    assert not named_like_model("effnetb2_transforms")
    assert not named_like_model("init_rnn_state")
    assert not named_like_model("criterion")


def test_an_unconditional_reassignment_hides_the_earlier_value_from_later_uses():
    script = analyze("""
        from torch.utils.data import DataLoader
        loader = DataLoader(stats_set, batch_size=1000)
        summarize(loader)
        loader = DataLoader(train_set, batch_size=64, shuffle=True)
        if cond:
            loader = DataLoader(other_set)
        for x in loader:
            pass
    """)
    first = site(script, "summarize")
    loop = script.loops[0]
    code = cst.Module([]).code_for_node
    at_first = [code(bound.expr) for bound in script.values_at(first.node.args[0].value, first.function, first.order)]
    at_loop = [code(bound.expr) for bound in script.values_at(loop.iter, loop.function, loop.order)]
    assert at_first == ["DataLoader(stats_set, batch_size=1000)"]
    assert at_loop == ["DataLoader(train_set, batch_size=64, shuffle=True)", "DataLoader(other_set)"]
    assert len(script.values(loop.iter, loop.function)) == 3


def test_a_loop_that_trains_only_when_given_an_optimizer():
    script = analyze("""
        import torch

        def run_epoch(model, loader, optimizer=None):
            for x, y in loader:
                loss = model(x).sum()
                if optimizer is not None:
                    loss.backward()
                    optimizer.step()

        def fit(model, loader, optimizer):
            for x, y in loader:
                model(x).sum().backward()
                optimizer.step()
    """)
    maybe, always = script.loops
    assert script.loop_trains(maybe) and not script.loop_always_trains(maybe)
    assert script.loop_always_trains(always)


def test_a_loader_that_never_feeds_training():
    from fitlint.analysis.data import dataloaders, feeds_training

    script = analyze("""
        import torch
        from torch.utils.data import DataLoader

        def mean_std(loader):
            total = 0
            for x, _ in loader:
                total += x.mean()
            return total / len(loader)

        stats_loader = DataLoader(train_set, batch_size=1000)
        print(mean_std(stats_loader))
        train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
        kept = {"train": train_loader}
        for x, y in train_loader:
            model(x).sum().backward()
            optimizer.step()
        fit(model, DataLoader(other_set))
    """)
    stats, train, handed = dataloaders(script)
    assert feeds_training(script, stats.obj) is False
    assert feeds_training(script, train.obj) is True
    assert feeds_training(script, handed.obj) is None  # given to code this file does not show


def test_text_read_whole_is_one_stream_and_lines_are_records():
    from fitlint.analysis.splits import is_text_stream

    script = analyze("""
        import torch
        text = open("input.txt").read()
        data = torch.tensor([stoi[c] for c in text])
        lines = open("reviews.tsv").read().splitlines()
    """)
    module = script.module_function
    assert is_text_stream(script, cst.Name("data"), module)
    assert not is_text_stream(script, cst.Name("lines"), module)


def test_data_drawn_at_random():
    from fitlint.analysis.data import samples_at_random

    script = analyze("""
        import random
        import torch
        from torch.utils.data import Dataset

        class Pairs(Dataset):
            def __getitem__(self, index):
                return self.data[random.randint(0, 9)], index % 2

        class Flips(Dataset):
            def __getitem__(self, i):
                x = self.data[i]
                return x.flip(-1) if random.random() < 0.5 else x

        pairs, flips = Pairs(), Flips()
    """)
    module = script.module_function
    assert samples_at_random(script, cst.Name("pairs"), module)
    assert not samples_at_random(script, cst.Name("flips"), module)


def test_an_opt_in_flag_and_rates_set_elsewhere():
    from fitlint.analysis.optimization import opt_in_flag, optimizers, rate_set_elsewhere

    script = analyze("""
        import argparse
        import torch
        parser = argparse.ArgumentParser()
        parser.add_argument("--use-adamw", action="store_true")
        parser.add_argument("--optim", default="sgd")
        args = parser.parse_args()
        if args.use_adamw:
            a = torch.optim.AdamW(params, lr=args.lr)
        if args.optim == "sgd":
            b = torch.optim.SGD(params, lr=0.1)
        c = torch.optim.SGD(params, lr=1e-7)
        scheduler = torch.optim.lr_scheduler.ExponentialLR(c, gamma=(10 / 1e-7) ** (1 / 100))
        d = torch.optim.Adam(params, lr=0)
        d.load_state_dict(state["optimizer"])
        e = torch.optim.Adam(params, lr=1e-3)
    """)
    a, b, c, d, e = optimizers(script)
    assert opt_in_flag(script, script.site_of(a.call)) == "args.use_adamw"
    assert opt_in_flag(script, script.site_of(b.call)) is None  # the default path
    assert rate_set_elsewhere(script) == {id(c.call), id(d.call)}


def test_a_shape_check_is_not_an_evaluation():
    from fitlint.analysis.regions import regions

    script = analyze("""
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 2)
                self.drop = nn.Dropout(0.5)

            def forward(self, x):
                return self.fc(self.drop(x))

        def test():
            net = Net()
            print(net(torch.randn(2, 4)).shape)

        def test_loaded(path, batch):
            net = Net()
            net.load_state_dict(torch.load(path))
            return net(batch)

        test()
        test_loaded("best.pt", next(iter(val_loader)))
    """)
    analysis = regions(script)
    assert [region.function.name for region in analysis.eval_regions] == ["test_loaded"]


def test_a_value_reached_along_several_paths_is_listed_once():
    # a recursive function handing its parameter along at many call sites (torch's collate):
    # listing a value once per path made the lists, and the time, grow with every level
    calls = "\n".join(f"        if kind == {i}:\n            return visit(node[{i}], table)" for i in range(8))
    script = analyze(f"""
    def visit(node, table):
        kind = len(node)
{calls}
        return table.get(kind)

    visit(tree, {{}})
""")
    values = script.values(cst.Name("table"), function(script, "visit"))
    keys = [(id(bound.expr), id(bound.function)) for bound in values]
    assert len(keys) == len(set(keys))
    assert [type(bound.expr).__name__ for bound in values if not isinstance(bound.expr, cst.Name)] == ["Dict"]


def _model_layers_of(script: Script, name: str):
    from fitlint.analysis.models import model_layers, models_of

    (model,) = models_of(script, cst.Name(name), script.module_function)
    return model_layers(script, model)


def test_layers_a_function_of_the_file_builds_and_transform_modules():
    script = analyze("""
        import torch.nn as nn
        import torchvision.transforms.v2 as T
        import torchaudio

        def conv_bn(cin, cout):
            return nn.Sequential(nn.Conv2d(cin, cout, 3), nn.BatchNorm2d(cout), nn.ReLU())

        def conv_gn(cin, cout):
            return nn.Sequential(nn.Conv2d(cin, cout, 3), nn.GroupNorm(4, cout), nn.ReLU())

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.body = nn.Sequential(conv_bn(3, 16), conv_bn(16, 32))

            def forward(self, x):
                return self.body(x)

        net = Net()
        plain = nn.Sequential(conv_gn(3, 16), nn.Flatten())
        augment = nn.Sequential(T.RandomHorizontalFlip(), T.Normalize([0.5] * 3, [0.5] * 3))
        featurize = nn.Sequential(torchaudio.transforms.MelSpectrogram(16000), torchaudio.transforms.AmplitudeToDB())
    """)
    assert _model_layers_of(script, "net").kinds == {"batchnorm"}
    assert _model_layers_of(script, "plain").clearly_none
    assert _model_layers_of(script, "augment").clearly_none
    assert _model_layers_of(script, "featurize").clearly_none


def test_random_draws_are_in_no_stored_order():
    from fitlint.analysis.splits import drawn_at_random

    script = analyze("""
        import numpy as np
        import torch

        g = torch.Generator().manual_seed(0)
        x = torch.randn(1000, 8, generator=g).float()
        rng = np.random.default_rng(0)
        features = rng.normal(size=(100, 2)).astype(np.float32)
        stored = np.load("x.npy")
        noisy = stored + np.random.normal(0, 0.1, stored.shape)
        counts = np.bincount(stored)
    """)
    module = script.module_function
    assert drawn_at_random(script, cst.Name("x"), module)
    assert drawn_at_random(script, cst.Name("features"), module)
    assert not drawn_at_random(script, cst.Name("stored"), module)
    assert not drawn_at_random(script, cst.Name("noisy"), module)


def test_a_debugging_branch():
    from fitlint.analysis.regions import debug_branch

    script = analyze("""
        def make(testing=False, test=False):
            if testing:
                a = DataLoader(few)
            else:
                b = DataLoader(full)
            if args.dry_run:
                c = DataLoader(few)
            if test:
                d = DataLoader(test_set)
    """)
    sites = [call for call in script.calls if call.name == "DataLoader"]
    assert [debug_branch(script, call) for call in sites] == ["testing", None, "args.dry_run", None]


def test_stores_are_the_functions_writes_in_the_order_their_values_are_stored():
    """FIT103's timeline: a write counts once its value is computed, so a call on the right-hand
    side comes before the store it feeds; item and augmented assignments count under their root."""
    script = analyze("""
        import numpy as np

        def prepare(X, y):
            X = X[np.random.permutation(len(X))]
            y[:] = np.sort(y)
            self.y = y
            y += 1
            return X, y
    """)
    prepare = function(script, "prepare")
    stores = script.stores(prepare)
    assert [store.name for store in stores] == ["X", "y", "self.y", "y"]
    assert site(script, "np.random.permutation").order < stores[0].order < site(script, "np.sort").order < stores[1].order
    assert script.stores(function(script, "<module>")) == []


def test_two_draws_of_numpys_generator_are_two_orders_unless_reseeded_alike():
    from fitlint.analysis.splits import random_source, reorders, same_random_order

    def orders(code):
        script = analyze(code)
        return script, reorders(script)

    script, (first, second) = orders("""
        import numpy as np
        np.random.shuffle(X)
        np.random.shuffle(y)
    """)
    assert random_source(script, first) == "numpy" and not same_random_order(script, first, second)
    script, (first, second) = orders("""
        import numpy as np
        np.random.seed(0)
        np.random.shuffle(X)
        np.random.seed(0)
        np.random.shuffle(y)
    """)
    assert same_random_order(script, first, second)
    script, (first, second) = orders("""
        import numpy as np
        rng = np.random.default_rng(0)
        rng.shuffle(X)
        rng = np.random.default_rng(1)
        rng.shuffle(y)
    """)
    assert random_source(script, first) == "rng" and not same_random_order(script, first, second)


def test_the_folder_a_project_dataset_reads_says_which_held_out_split():
    from fitlint.analysis.data import data_split
    from fitlint.findings import Split

    script = analyze("""
        import torchvision
        from torch.utils.data import DataLoader
        from frames import FrameDataset

        val_path = "data/validate/"
        a = FrameDataset(root=val_path, train=False)
        b = FrameDataset("data/test", train=False)
        c = FrameDataset(root="data/train/", train=False)
        d = FrameDataset(root=some_root, train=False)
        e = torchvision.datasets.CIFAR10("data/val", train=False)
        test_loader = DataLoader(a)
        parts = ds["train"].train_test_split(test_size=0.1)
        valid = parts["test"].map(tok, batched=True).with_format("torch", columns=["input_ids"])
        valid_loader = DataLoader(valid, batch_size=64)
    """)
    module = script.module_function

    def split(name):
        found = data_split(script, cst.Name(name), module)
        return found.split if found is not None else None

    assert [split(name) for name in "abcde"] == [Split.VALIDATION, Split.TEST, None, Split.TEST, Split.TEST]
    # the loader is named for the test split, but the folder its data comes from says validation
    assert split("test_loader") is Split.VALIDATION
    # a "test" key inside an expression is no folder: the loader's data is not read from one
    found = data_split(script, cst.Name("valid_loader"), module)
    assert found is None or not found.official


def test_a_list_started_empty_holds_what_is_appended_or_extended():
    script = analyze("""
        imgs, other = [], []
        for path in paths:
            imgs.append(read(path))
            imgs.extend(more(path))
            other.append(path)
            imgs.append(obj=path)
    """)
    module = script.module_function
    added = [code_of(value) for value, _ in module.items_added_to("imgs")]
    assert added == ["read(path)", "more(path)"]
    assert [code_of(value) for value, _ in module.items_added_to("other")] == ["path"]
    assert module.items_added_to("paths") == []


PIXEL_HELPER = """
    import numpy as np
    import torch
    from PIL import Image
    from torch.utils.data import TensorDataset

    def to_tensor(a):
        return torch.from_numpy(a).float()

    pixels = to_tensor(np.stack([np.array(Image.open(p)) for p in paths]))
    features = to_tensor(np.load("features.npy"))
    train_set = TensorDataset({inputs}, y)
"""


def test_a_helpers_parameter_holds_what_the_call_on_the_way_passes():
    from fitlint.analysis.pixels import unscaled_casts

    # the one cast in the helper reaches the model through the call that passes uint8 pixels...
    casts = unscaled_casts(analyze(PIXEL_HELPER.format(inputs="pixels")))
    assert [code_of(cast) for cast in casts] == ["torch.from_numpy(a).float()"]
    # ...and not through the call that passes data of unknown dtype, though the other call passes pixels
    assert unscaled_casts(analyze(PIXEL_HELPER.format(inputs="features"))) == []


def test_pixels_read_one_by_one_reach_a_model_a_function_of_the_file_trains():
    from fitlint.analysis.pixels import unscaled_casts

    code = """
        import cv2
        import numpy as np
        import torch
        from torch import nn

        def load_images(paths):
            images = []
            for path in paths:
                images.append(cv2.resize({reader}, (64, 64)))
            return torch.tensor(np.array(images), dtype=torch.float32)

        def fit(net, inputs):
            for i in range(0, len(inputs), 32):
                net(inputs[i:i + 32]).sum().backward()

        net = nn.Sequential(nn.Flatten(), nn.LazyLinear(10))
        fit(net, load_images(train_paths))
    """
    casts = unscaled_casts(analyze(code.format(reader="cv2.imread(path)")))
    assert [code_of(cast) for cast in casts] == ["torch.tensor(np.array(images), dtype=torch.float32)"]
    assert unscaled_casts(analyze(code.format(reader="np.load(path)"))) == []


MULTI_OPTIMIZER = """
    import itertools
    import torch
    from torch import nn, optim

    class Generator(nn.Module):
        def __init__(self):
            super().__init__()
            self.main = nn.Sequential(nn.Linear(64, 784), nn.Tanh())

    class Discriminator(nn.Module):
        def __init__(self):
            super().__init__()
            self.main = nn.Sequential(nn.Linear(784, 1), nn.Sigmoid())

    class Pair(nn.Module):
        def __init__(self, generator, discriminator):
            super().__init__()
            self.generator = generator
            self.discriminator = discriminator

    G, D = Generator(), Discriminator().to("cuda")
    pair, both = Pair(G, D), nn.Sequential(G, D)
    opened = Generator()
    opened.extra = D
    opt_g = optim.Adam(G.parameters())
    opt_d = optim.Adam([{"params": D.parameters(), "lr": 1e-4}])
    opt_info = optim.Adam(itertools.chain(G.parameters(), D.parameters()))
    opt_w = optim.Adam([log_var])
    for real in loader:
        opt_g.zero_grad()
        G.zero_grad()
        D.zero_grad()
        opt_info.zero_grad()
        pair.zero_grad()
        both.zero_grad()
        opened.zero_grad()
        opt_w.zero_grad()
        for p in G.parameters():
            p.grad = None
        for p in D.parameters():
            p.grad.zero_()
        for opt in [opt_g, opt_d]:
            opt.zero_grad()
        reset_grads()
        loss.backward()
        opt_d.step()
        opt_g.step()
        opt_w.step()
"""


def test_whose_gradients_a_zeroing_clears():
    from fitlint.analysis.optimization import loop_zeroings, may_clear, step_target

    script = analyze(MULTI_OPTIMIZER)
    loop = next(loop for loop in script.loops if loop.parent is None)
    d_step = step_target(script, site(script, "opt_d.step"))
    assert [source.path for source in d_step.sources] == ["D"]  # the param-group list read through
    assert step_target(script, site(script, "opt_w.step")).sources is None  # a tensor, not a module
    clears = {code_of(zeroing.node).strip(): may_clear(script, zeroing, d_step) for zeroing in loop_zeroings(script, loop)}
    assert clears == {
        "opt_g.zero_grad()": False,  # another optimizer over another model
        "G.zero_grad()": False,
        "D.zero_grad()": True,  # the model whose parameters opt_d holds
        "opt_info.zero_grad()": True,  # an optimizer over both models
        "pair.zero_grad()": True,  # a module built around D
        "both.zero_grad()": True,  # a Sequential holding D
        "opened.zero_grad()": True,  # given D from outside its class
        "opt_w.zero_grad()": True,  # whose parameters are unknown
        "p.grad = None": False,  # G's parameters, cleared by hand
        "p.grad.zero_()": True,  # D's
        "opt.zero_grad()": True,  # each optimizer of a list
        "reset_grads()": True,  # a helper from elsewhere
    }
    g_step = step_target(script, site(script, "opt_g.step"))
    assert may_clear(script, loop_zeroings(script, loop)[0], g_step)  # opt_g.zero_grad() for opt_g


def test_the_entry_of_a_literal_dict():
    script = analyze("""
        config = {"batch_size": 4, "lr": 0.1}
        settings = dict(epochs=90)
        config["lr"] = 0.01
        loaded = yaml.safe_load(open("cfg.yaml"))
        spread = {**defaults, "lr": 0.5}
        changed = {"lr": 0.1}
        changed.update(vars(args))
        a = config["batch_size"]
        b = config["lr"]
        c = settings["epochs"]
        d = loaded["lr"]
        e = spread["lr"]
        f = changed["lr"]
        g = config["missing"]
    """)
    module = script.module_function

    def texts(name):
        return [code_of(bound.expr) for bound in script.values(cst.Name(name), module)]

    assert texts("a") == ["4"]
    assert sorted(texts("b")) == ["0.01", "0.1"]
    assert texts("c") == ["90"]
    assert texts("d") == ['loaded["lr"]']
    assert texts("e") == ['spread["lr"]']
    assert texts("f") == ['changed["lr"]']
    assert texts("g") == ['config["missing"]']


def test_a_parameter_rebound_from_itself_is_read_as_the_parameter_before_the_rebinding():
    from fitlint.analysis.outputs import reaching

    script = analyze("""
        def prepare(batch):
            batch = batch.transpose(0, 3, 1, 2)
            return batch
    """)
    prepare = function(script, "prepare")
    rebinding, returning = prepare.node.body.body
    assert reaching(script, "batch", prepare, rebinding, parameters=True) is None
    assert [code_of(a.value) for a in reaching(script, "batch", prepare, rebinding)] == ["batch.transpose(0, 3, 1, 2)"]
    assert [code_of(a.value) for a in reaching(script, "batch", prepare, returning, parameters=True)] == [
        "batch.transpose(0, 3, 1, 2)"]


def test_a_backward_pass_that_only_crafts_an_input_trains_nothing():
    script = analyze("""
        import torch
        import torch.nn.functional as F
        from torch.autograd import Variable

        def fgsm(model, x, y, eps):
            x_adv = Variable(x.data, requires_grad=True)
            loss = F.cross_entropy(model(x_adv), y)
            loss.backward()
            return x + eps * x_adv.grad.sign()

        def penalty_step(model, x, y, optimizer):
            x.requires_grad_()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            return x.grad.norm()

        def plain_step(model, x, y):
            x.requires_grad = True
            F.cross_entropy(model(x), y).backward()
    """)
    assert not script.function_trains(function(script, "fgsm"))
    # stepping an optimizer beside the input's gradient still trains
    assert script.function_trains(function(script, "penalty_step"))
    # asking for the input's gradient without reading it is no attack
    assert script.function_trains(function(script, "plain_step"))


RECURSIVE_COLLATE = """
    import torch


    def collate(batch, *, collate_fn_map=None):
        elem = batch[0]
        elem_type = type(elem)
        if collate_fn_map is not None and elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)
        if isinstance(elem, dict):
            return {key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map) for key in elem}
        if isinstance(elem, tuple) and hasattr(elem, "_fields"):
            return elem_type(*(collate(samples, collate_fn_map=collate_fn_map) for samples in zip(*batch)))
        if isinstance(elem, (list, tuple)):
            transposed = list(zip(*batch))
            if isinstance(elem, tuple):
                return [collate(samples, collate_fn_map=collate_fn_map) for samples in transposed]
            try:
                return elem_type([collate(samples, collate_fn_map=collate_fn_map) for samples in transposed])
            except TypeError:
                return [collate(samples, collate_fn_map=collate_fn_map) for samples in transposed]
        raise TypeError(elem_type)


    def default_collate(batch):
        return collate(batch, collate_fn_map={torch.Tensor: lambda b, collate_fn_map=None: torch.stack(b, 0)})


    for batch in loader:
        out = default_collate(batch)
"""


def test_the_split_of_a_recursive_helpers_parameter_is_worked_out_once_per_depth(monkeypatch):
    """torch's own collate.py (a helper passing its parameter to itself from six calls) took the
    whole 5 s budget of a file: the split of each argument was followed again at every depth from
    every call. Worked out once per expression, function and depth, it is a handful of steps."""
    from fitlint.analysis import data

    calls = 0
    uncached = data._data_split_uncached

    def counting(*args):
        nonlocal calls
        calls += 1
        return uncached(*args)

    monkeypatch.setattr(data, "_data_split_uncached", counting)
    script = analyze(RECURSIVE_COLLATE)
    collate = function(script, "collate")
    # `collate_fn_map` is handed on by eight recursive calls: followed from each, at every depth,
    # that was 23,437 steps here (and three million in torch's collate.py)
    assert data.data_split(script, cst.Name("collate_fn_map"), collate) is None  # nothing says which split
    assert 0 < calls < 200


def test_the_keywords_that_take_the_inputs_transform():
    from fitlint.analysis.transforms import transform_keyword

    for name in ("transform", "tfms", "transforms_object", "img_transform", "image_transforms", "augmentations"):
        assert transform_keyword(name), name
    for name in ("target_transform", "label_transforms", "mask_transform", "transformer", "root", "train",
                 "train_transform", "test_transforms"):
        assert not transform_keyword(name), name


def test_vali_names_the_validation_split():
    from fitlint.analysis.data import split_from_name
    from fitlint.findings import Split

    assert split_from_name("X_vali") is Split.VALIDATION
    assert split_from_name("vali_loader") is Split.VALIDATION
    assert split_from_name("values") is None


_GCN_EVAL = textwrap.dedent("""\
    import torch
    import torch.nn.functional as F
    from torch_geometric.nn import GCNConv


    class GCN(torch.nn.Module):
        def __init__(self, n_in, n_out):
            super().__init__()
            self.conv1, self.conv2 = GCNConv(n_in, 16), GCNConv(16, n_out)

        def forward(self, x, edge_index):
            x = F.dropout(x, p=0.5, training=self.training)
            return self.conv2(F.relu(self.conv1(x, edge_index)), edge_index)


    def train(model, data, optimizer):
        model.train()
        optimizer.zero_grad()
        F.cross_entropy(model(data.x, data.edge_index)[data.train_mask], data.y[data.train_mask]).backward()
        optimizer.step()


    @torch.no_grad()
    def test(model, data):
        pred = model(data.x, data.edge_index).argmax(dim=-1)
        return [int((pred[m] == data.y[m]).sum()) / int(m.sum()) for m in (data.val_mask, data.test_mask)]


    def main(model, data, optimizer):
        for epoch in range(200):
            train(model, data, optimizer)
            val_acc, test_acc = test(model, data)
    """)


def test_a_training_script_named_like_a_test_module_is_still_a_training_script():
    from fitlint.config import Config
    from fitlint.engine import scan_source
    from fitlint.rule import all_rules

    rules = [rule() for rule in all_rules() if rule.code == "FIT201"]
    # `gcn_test.py` holding `def test(model, data)`: an evaluation pass without model.eval()
    assert [f.code for f in scan_source("gcn_test.py", _GCN_EVAL, rules, Config()).findings] == ["FIT201"]
    # the same name holding what pytest collects is a test suite: its `test_*` functions are no evaluation
    suite = _GCN_EVAL + "\n\ndef test_forward_shape():\n    assert test is not None\n"
    assert scan_source("gcn_test.py", suite, rules, Config()).findings == []


def test_a_configuration_class_under_another_name_and_through_self():
    script = analyze("""
        from dataclasses import dataclass

        class Config:
            batch_size = 2

        @dataclass
        class Hparams:
            lr: float = 0.1

        def main(cfg=Config):
            alias = Config
            return cfg.batch_size, alias.batch_size

        class Trainer:
            def __init__(self, hp):
                self.hp = hp
                self.rate = self.hp.lr

        main()
        Trainer(Hparams())
    """)
    main = function(script, "main")
    returned = main.returns[0].elements
    for element in returned:
        assert [code_of(bound.expr) for bound in script.values(element.value, main)] == ["2"]
    init = function(script, "__init__", "Trainer")
    rate = next(assignment.value for assignment in script.assigns if assignment.target == "self.rate")
    assert [code_of(bound.expr) for bound in script.values(rate, init)] == ["0.1"]


def test_literal_flags_decide_the_branches_that_run():
    from fitlint.analysis.script import decided, live_statements

    def test_of(code: str) -> cst.BaseExpression:
        return cst.parse_expression(code)

    flags = {"train": True, "split": "val"}
    assert decided(test_of("train"), flags) is True
    assert decided(test_of("not train"), flags) is False
    assert decided(test_of("split == 'train'"), flags) is False
    assert decided(test_of("'val' == split"), flags) is True
    assert decided(test_of("split in ('val', 'test')"), flags) is True
    assert decided(test_of("split not in ['val']"), flags) is False
    assert decided(test_of("train and augment"), flags) is None
    assert decided(test_of("not train and augment"), flags) is False
    assert decided(test_of("train or augment"), flags) is True
    assert decided(test_of("size > 3"), flags) is None

    script = analyze("""
        def pipeline(train=True):
            if train:
                return "augment"
            return "plain"
    """)
    helper = next(function for function in script.functions if function.name == "pipeline")
    body = helper.node.body.body
    assert id(body[1]) not in live_statements(helper, {"train": True})
    assert id(body[1]) in live_statements(helper, {"train": False})
    assert id(body[1]) in live_statements(helper, {})
