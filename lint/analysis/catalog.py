"""What the libraries' names are: the tables the shared analysis classifies bindings with.

Names are fully qualified as the analysis resolves them from imports (``nn.ReLU`` in a file that
did ``from torch import nn`` is ``torch.nn.ReLU``). Only names whose behaviour is certain go in a
table; a scheduler whose cadence depends on how it was sized (LambdaLR, LinearLR) has none.
"""

from __future__ import annotations

from functools import lru_cache

from fitlint.findings import Word


class ObjKind(Word):
    """The kinds of object the analysis recognizes (``Obj.kind``): what a constructor makes."""

    MODEL = "model"
    DATASET = "dataset"
    DATALOADER = "dataloader"
    SAMPLER = "sampler"
    OPTIMIZER = "optimizer"
    SCHEDULER = "scheduler"
    GRAD_SCALER = "grad_scaler"
    LOSS = "loss"
    LOSS_FUNCTION = "loss_function"


# torch.optim classes that are not optimizers
_OPTIM_NON_OPTIMIZERS = frozenset({"Optimizer", "lr_scheduler", "swa_utils"})

OPTIMIZER_PREFIXES = (
    "torch.optim.",
    "apex.optimizers.",
    "bitsandbytes.optim.",
    "torch_optimizer.",
    "timm.optim.",
)
OPTIMIZERS_ELSEWHERE = frozenset({
    "transformers.AdamW",
    "transformers.Adafactor",
    "transformers.optimization.AdamW",
    "transformers.optimization.Adafactor",
})

# Distributed autograd keeps the gradients of each `with dist_autograd.context():` apart, and its
# optimizer steps them by context: there is nothing to zero (and it has no zero_grad()).
DIST_AUTOGRAD_CONTEXTS = frozenset({"torch.distributed.autograd.context"})
DISTRIBUTED_OPTIMIZERS = frozenset({"torch.distributed.optim.DistributedOptimizer"})

ADAM_FAMILY = frozenset({"Adam", "AdamW", "Adamax", "NAdam", "RAdam", "SparseAdam", "FusedAdam", "AdamW8bit", "Adam8bit"})

SCHEDULER_PREFIX = "torch.optim.lr_scheduler."

# Sized in epochs: stepping them per batch collapses the rate within the first epoch.
EPOCH_SCHEDULERS = frozenset({
    "StepLR",
    "MultiStepLR",
    "ExponentialLR",
    "CosineAnnealingLR",
    "PolynomialLR",
})
# Sized in optimizer steps: stepping them per epoch leaves the warm-up or cycle unfinished.
BATCH_SCHEDULERS = frozenset({"OneCycleLR", "CyclicLR"})
BATCH_SCHEDULER_FACTORIES = frozenset({
    "transformers.get_linear_schedule_with_warmup",
    "transformers.get_cosine_schedule_with_warmup",
    "transformers.get_cosine_with_hard_restarts_schedule_with_warmup",
    "transformers.get_constant_schedule_with_warmup",
    "transformers.get_polynomial_decay_schedule_with_warmup",
    "transformers.get_inverse_sqrt_schedule",
    "transformers.get_scheduler",
    "transformers.optimization.get_linear_schedule_with_warmup",
    "transformers.optimization.get_cosine_schedule_with_warmup",
    "transformers.optimization.get_scheduler",
    "diffusers.optimization.get_scheduler",
    "diffusers.optimization.get_cosine_schedule_with_warmup",
})
PLATEAU_SCHEDULERS = frozenset({"ReduceLROnPlateau"})
OTHER_SCHEDULERS = frozenset({
    "LambdaLR",
    "MultiplicativeLR",
    "LinearLR",
    "ConstantLR",
    "CosineAnnealingWarmRestarts",
    "SequentialLR",
    "ChainedScheduler",
    "LRScheduler",
    "_LRScheduler",
})

DATALOADERS = frozenset({
    "torch.utils.data.DataLoader",
    "torch.utils.data.dataloader.DataLoader",
    # graph libraries' loaders: subclasses that batch graphs, with DataLoader's `shuffle=False` default
    "torch_geometric.loader.DataLoader",
    "torch_geometric.loader.dataloader.DataLoader",
    "torch_geometric.data.DataLoader",
    "dgl.dataloading.GraphDataLoader",
    # MONAI's (a torch DataLoader subclass with the same `shuffle=False` default)
    "monai.data.DataLoader",
    "monai.data.dataloader.DataLoader",
})

# sampler -> whether it draws in random order
SAMPLERS = {
    "RandomSampler": True,
    "SubsetRandomSampler": True,
    "WeightedRandomSampler": True,
    "DistributedSampler": True,  # shuffle=True is its default
    "SequentialSampler": False,
    "BatchSampler": None,  # as random as the sampler it wraps
}
SAMPLER_PREFIXES = ("torch.utils.data.", "torch.utils.data.sampler.", "torch.utils.data.distributed.")

# Library calls that give back a copy of the loader they are handed, drawing its batches at random:
# Opacus's ``make_private`` swaps the sampler for Poisson sampling (``poisson_sampling=True``, its
# default), as ``DPDataLoader.from_data_loader`` does.
RANDOM_RESAMPLING_METHODS = frozenset({"make_private", "make_private_with_epsilon", "from_data_loader"})
RANDOM_RESAMPLING_LIBRARIES = ("opacus",)

GRAD_SCALERS = frozenset({
    "torch.cuda.amp.GradScaler",
    "torch.amp.GradScaler",
    "torch.cpu.amp.GradScaler",
    "torch.amp.grad_scaler.GradScaler",
})

LOSS_PREFIX = "torch.nn."
FUNCTIONAL_LOSSES = frozenset({
    "cross_entropy",
    "nll_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "mse_loss",
    "l1_loss",
    "smooth_l1_loss",
    "kl_div",
})

MODULE_BASES = frozenset({
    "torch.nn.Module",
    "torch.nn.modules.module.Module",
    "torch.nn.Sequential",
    "lightning.LightningModule",
    "lightning.pytorch.LightningModule",
    "pytorch_lightning.LightningModule",
    "pytorch_lightning.core.LightningModule",
})
# Preprocessing modules (``torchvision.transforms.v2.Normalize``, ``torchaudio.transforms.
# MelSpectrogram``): nn.Modules that behave the same in training and evaluation mode.
TRANSFORM_MODULES = ("torchvision.transforms.", "torchaudio.transforms.")

LIGHTNING_BASES = frozenset(name for name in MODULE_BASES if "ightning" in name)

DATASET_BASES = frozenset({
    "torch.utils.data.Dataset",
    "torch.utils.data.dataset.Dataset",
    "torch.utils.data.IterableDataset",
    "torch.utils.data.dataset.IterableDataset",
})
ITERABLE_DATASET_BASES = frozenset({
    "torch.utils.data.IterableDataset",
    "torch.utils.data.dataset.IterableDataset",
})

DATASET_PREFIXES = ("torchvision.datasets.", "torchtext.datasets.", "torchaudio.datasets.")
DATASET_WRAPPERS = frozenset({
    "torch.utils.data.TensorDataset",
    "torch.utils.data.Subset",
    "torch.utils.data.ConcatDataset",
    "torch.utils.data.dataset.TensorDataset",
    "torch.utils.data.dataset.Subset",
})

DROPOUT_LAYERS = frozenset({
    "torch.nn.Dropout",
    "torch.nn.Dropout1d",
    "torch.nn.Dropout2d",
    "torch.nn.Dropout3d",
    "torch.nn.AlphaDropout",
    "torch.nn.FeatureAlphaDropout",
})
# the functional forms: each takes `training=` (third positional), True by default: on in both
# modes unless the forward passes `training=self.training`
FUNCTIONAL_DROPOUT = frozenset({
    "torch.nn.functional.dropout",
    "torch.nn.functional.dropout1d",
    "torch.nn.functional.dropout2d",
    "torch.nn.functional.dropout3d",
    "torch.nn.functional.alpha_dropout",
    "torch.nn.functional.feature_alpha_dropout",
})
BATCHNORM_LAYERS = frozenset({
    "torch.nn.BatchNorm1d",
    "torch.nn.BatchNorm2d",
    "torch.nn.BatchNorm3d",
    "torch.nn.SyncBatchNorm",
    "torch.nn.LazyBatchNorm1d",
    "torch.nn.LazyBatchNorm2d",
    "torch.nn.LazyBatchNorm3d",
})
# torchvision model builders and the mode-dependent layers they contain
TORCHVISION_MODEL_LAYERS = {
    "resnet": {"batchnorm"},
    "resnext": {"batchnorm"},
    "wide_resnet": {"batchnorm"},
    "densenet": {"batchnorm"},
    "mobilenet": {"batchnorm", "dropout"},
    "efficientnet": {"batchnorm", "dropout"},
    "vgg": {"dropout"},
    "alexnet": {"dropout"},
    "inception": {"batchnorm", "dropout"},
    "googlenet": {"batchnorm", "dropout"},
    "shufflenet": {"batchnorm"},
    "squeezenet": {"dropout"},
    "regnet": {"batchnorm"},
    "convnext": set(),
    "vit": {"dropout"},
    "mnasnet": {"batchnorm", "dropout"},
    "maxvit": {"batchnorm", "dropout"},
    # segmentation: the ResNet / MobileNet backbone's batch-norm, dropout in the heads
    "deeplabv3": {"batchnorm", "dropout"},
    "fcn_": {"batchnorm", "dropout"},
    "lraspp": {"batchnorm"},
    # video classification (torchvision.models.video)
    "r3d_": {"batchnorm"},
    "r2plus1d": {"batchnorm"},
    "mc3_": {"batchnorm"},
}

# Calls that return their positional arguments in order (wrapped for devices or mixed precision):
# `model, optimizer = amp.initialize(model, optimizer)`; methods named prepare / setup of objects
# built by the owners below.
ARGUMENT_RETURNING = frozenset({"apex.amp.initialize"})
ARGUMENT_RETURNING_OWNERS = frozenset({
    "accelerate.Accelerator",
    "lightning.Fabric",
    "lightning.fabric.Fabric",
    "lightning_fabric.Fabric",
})

ITERABLE_WRAPPERS = frozenset({"enumerate", "tqdm", "iter", "track", "progress_bar", "tqdm_notebook", "trange_iter"})


# What `from MODULE import *` binds, for the library modules whose star import is common in training
# scripts (torch 2.13's `__all__`; torchvision's public names). A star import of any other module
# binds nothing the analysis knows of.
STAR_EXPORTS: dict[str, frozenset[str]] = {
    "torch.utils.data": frozenset("""
BatchSampler ChainDataset ConcatDataset DFIterDataPipe DataChunk DataLoader Dataset
DistributedSampler IterDataPipe IterableDataset MapDataPipe RandomSampler Sampler
SequentialSampler StackDataset Subset SubsetRandomSampler TensorDataset WeightedRandomSampler
argument_validation default_collate default_convert functional_datapipe get_worker_info
guaranteed_datapipes_determinism non_deterministic random_split runtime_validation
runtime_validation_disabled
""".split()),
    "torch.optim": frozenset("""
ASGD Adadelta Adafactor Adagrad Adam AdamW Adamax LBFGS Muon NAdam Optimizer RAdam RMSprop Rprop
SGD SparseAdam lr_scheduler swa_utils swap_in_optimizer_params_and_state
""".split()),
    "torch.optim.lr_scheduler": frozenset("""
ChainedScheduler ConstantLR CosineAnnealingLR CosineAnnealingWarmRestarts CyclicLR ExponentialLR
LRScheduler LambdaLR LinearLR MultiStepLR MultiplicativeLR OneCycleLR PolynomialLR
ReduceLROnPlateau SequentialLR StepLR
""".split()),
    "torch.nn": frozenset("""
AdaptiveAvgPool1d AdaptiveAvgPool2d AdaptiveAvgPool3d AdaptiveLogSoftmaxWithLoss
AdaptiveMaxPool1d AdaptiveMaxPool2d AdaptiveMaxPool3d AlphaDropout AvgPool1d AvgPool2d AvgPool3d
BCELoss BCEWithLogitsLoss BatchNorm1d BatchNorm2d BatchNorm3d Bilinear CELU CTCLoss
ChannelShuffle CircularPad1d CircularPad2d CircularPad3d ConstantPad1d ConstantPad2d
ConstantPad3d Container Conv1d Conv2d Conv3d ConvTranspose1d ConvTranspose2d ConvTranspose3d
CosineEmbeddingLoss CosineSimilarity CrossEntropyLoss CrossMapLRN2d Dropout Dropout1d Dropout2d
Dropout3d ELU Embedding EmbeddingBag FeatureAlphaDropout Flatten Fold FractionalMaxPool2d
FractionalMaxPool3d GELU GLU GRU GRUCell GaussianNLLLoss GroupNorm Hardshrink Hardsigmoid
Hardswish Hardtanh HingeEmbeddingLoss HuberLoss Identity InstanceNorm1d InstanceNorm2d
InstanceNorm3d KLDivLoss L1Loss LPPool1d LPPool2d LPPool3d LSTM LSTMCell LayerNorm
LazyBatchNorm1d LazyBatchNorm2d LazyBatchNorm3d LazyConv1d LazyConv2d LazyConv3d
LazyConvTranspose1d LazyConvTranspose2d LazyConvTranspose3d LazyInstanceNorm1d
LazyInstanceNorm2d LazyInstanceNorm3d LazyLinear LeakyReLU Linear LinearCrossEntropyLoss
LinearCrossEntropyOptions LocalResponseNorm LogSigmoid LogSoftmax MSELoss MarginRankingLoss
MaxPool1d MaxPool2d MaxPool3d MaxUnpool1d MaxUnpool2d MaxUnpool3d Mish Module ModuleDict
ModuleList MultiLabelMarginLoss MultiLabelSoftMarginLoss MultiMarginLoss MultiheadAttention
NLLLoss NLLLoss2d PReLU PairwiseDistance Parameter ParameterDict ParameterList PixelShuffle
PixelUnshuffle PoissonNLLLoss RMSNorm RNN RNNBase RNNCell RNNCellBase RReLU ReLU ReLU6
ReflectionPad1d ReflectionPad2d ReflectionPad3d ReplicationPad1d ReplicationPad2d
ReplicationPad3d SELU Sequential SiLU Sigmoid SmoothL1Loss SoftMarginLoss Softmax Softmax2d
Softmin Softplus Softshrink Softsign SyncBatchNorm Tanh Tanhshrink Threshold Transformer
TransformerDecoder TransformerDecoderLayer TransformerEncoder TransformerEncoderLayer
TripletMarginLoss TripletMarginWithDistanceLoss Unflatten Unfold Upsample UpsamplingBilinear2d
UpsamplingNearest2d ZeroPad1d ZeroPad2d ZeroPad3d functional init utils
""".split()),
    "torchvision.datasets": frozenset("""
CIFAR10 CIFAR100 Caltech101 Caltech256 CelebA Cityscapes CocoCaptions CocoDetection DTD
DatasetFolder EMNIST EuroSAT FGVCAircraft FakeData FashionMNIST Flowers102 Food101 GTSRB
ImageFolder ImageNet KMNIST LSUN MNIST Omniglot OxfordIIITPet PCAM Places365 QMNIST SBDataset
STL10 SVHN StanfordCars USPS VOCDetection VOCSegmentation
""".split()),
    "torchvision.transforms": frozenset("""
AugMix AutoAugment AutoAugmentPolicy CenterCrop ColorJitter Compose ConvertImageDtype
ElasticTransform FiveCrop GaussianBlur Grayscale InterpolationMode Lambda LinearTransformation
Normalize PILToTensor Pad RandAugment RandomAdjustSharpness RandomAffine RandomApply
RandomAutocontrast RandomChoice RandomCrop RandomEqualize RandomErasing RandomGrayscale
RandomHorizontalFlip RandomInvert RandomOrder RandomPerspective RandomPosterize
RandomResizedCrop RandomRotation RandomSolarize RandomVerticalFlip Resize TenCrop ToPILImage
ToTensor TrivialAugmentWide
""".split()),
}

def _last(qualname: str) -> str:
    return qualname.rsplit(".", 1)[-1]


@lru_cache(maxsize=4096)
def is_optimizer(qualname: str) -> bool:
    if qualname in OPTIMIZERS_ELSEWHERE:
        return True
    if not qualname.startswith(OPTIMIZER_PREFIXES):
        return False
    parts = qualname.split(".")
    last = parts[-1]
    return (
        last[:1].isupper()
        and not (set(parts) & _OPTIM_NON_OPTIMIZERS)
        and not last.endswith(("LR", "Scheduler"))
    )


@lru_cache(maxsize=4096)
def fixed_cadence(qualname: str) -> str | None:
    """'epoch', 'batch' or 'plateau' for a scheduler class made for one cadence whatever its
    arguments (OneCycleLR: batch), else None (``fitlint.analysis.schedulers.intended_cadence`` reads
    what a construction's arguments say)."""
    if qualname in BATCH_SCHEDULER_FACTORIES:
        return "batch"
    last = _last(qualname)
    if last in EPOCH_SCHEDULERS:
        return "epoch"
    if last in BATCH_SCHEDULERS:
        return "batch"
    if last in PLATEAU_SCHEDULERS:
        return "plateau"
    return None


# nn.Module methods that return the module itself: `model = model.to(device)` still holds the model
MODULE_PASSTHROUGH = frozenset({"to", "cuda", "cpu", "float", "double", "half", "requires_grad_", "train", "eval"})


@lru_cache(maxsize=4096)
def is_scheduler(qualname: str) -> bool:
    if qualname in BATCH_SCHEDULER_FACTORIES:
        return True
    if qualname.startswith(SCHEDULER_PREFIX) or qualname.startswith("torch.optim.swa_utils.SWALR"):
        last = _last(qualname)
        return last[:1].isupper()
    return False


@lru_cache(maxsize=4096)
def kind_of(qualname: str) -> ObjKind | None:
    """The kind of object an imported constructor makes, or None when it is not one we model."""
    last = _last(qualname)
    if is_scheduler(qualname):
        return ObjKind.SCHEDULER
    if is_optimizer(qualname):
        return ObjKind.OPTIMIZER
    if qualname in DATALOADERS:
        return ObjKind.DATALOADER
    if qualname in GRAD_SCALERS:
        return ObjKind.GRAD_SCALER
    if qualname.startswith(SAMPLER_PREFIXES) and last in SAMPLERS:
        return ObjKind.SAMPLER
    if qualname.startswith("torch.nn.functional.") and last in FUNCTIONAL_LOSSES:
        return ObjKind.LOSS_FUNCTION
    if qualname.startswith(LOSS_PREFIX) and last.endswith("Loss") and qualname.count(".") == 2:
        return ObjKind.LOSS
    if qualname in ("torch.nn.Sequential", "torch.nn.ModuleList") or qualname.startswith("torchvision.models.") and last[:1].islower():
        return ObjKind.MODEL
    if qualname.startswith("timm.create_model") or qualname == "timm.create_model" or qualname in LIBRARY_MODELS:
        return ObjKind.MODEL
    if qualname.startswith(DATASET_PREFIXES) and last[:1].isupper() or qualname in DATASET_WRAPPERS:
        return ObjKind.DATASET
    return None


# Constructors of pretrained classifiers outside torchvision, and their mode-dependent layers
# (lukemelas' efficientnet_pytorch, the standard of 2019-2021 Kaggle image kernels: MBConv blocks
# with batch-norm, dropout before the head).
LIBRARY_MODELS = {
    "efficientnet_pytorch.EfficientNet.from_pretrained": frozenset({"batchnorm", "dropout"}),
    "efficientnet_pytorch.EfficientNet.from_name": frozenset({"batchnorm", "dropout"}),
    "efficientnet_pytorch.model.EfficientNet.from_pretrained": frozenset({"batchnorm", "dropout"}),
    "efficientnet_pytorch.model.EfficientNet.from_name": frozenset({"batchnorm", "dropout"}),
}


def torchvision_model_layers(qualname: str) -> set[str] | None:
    last = _last(qualname).lower()
    for prefix, layers in TORCHVISION_MODEL_LAYERS.items():
        if last.startswith(prefix):
            layers = set(layers)
            if last.startswith("vgg") and last.endswith("_bn"):
                layers.add("batchnorm")
            return layers
    return None


# graph neural network libraries: their convolutions (`GCNConv`, `SAGEConv`, DGL's `GraphConv`)
# hold weights only; their `BatchNorm` wraps torch's
_GRAPH_LAYER_MODULES = ("torch_geometric.nn.", "dgl.nn.")


def is_graph_convolution(qualname: str) -> bool:
    return qualname.startswith(_GRAPH_LAYER_MODULES) and qualname.endswith("Conv")


def layer_kind(qualname: str) -> str | None:
    if qualname in DROPOUT_LAYERS or qualname in FUNCTIONAL_DROPOUT:
        return "dropout"
    if qualname in BATCHNORM_LAYERS or qualname.startswith(_GRAPH_LAYER_MODULES) and qualname.endswith(".BatchNorm"):
        return "batchnorm"
    return None


# Tensors made from nothing: a forward pass on one checks shapes, it does not evaluate.
MADE_UP_TENSORS = frozenset({
    "torch.randn", "torch.rand", "torch.randint", "torch.zeros", "torch.ones", "torch.randn_like",
    "torch.rand_like", "torch.zeros_like", "torch.ones_like", "numpy.random.randn",
    "numpy.random.rand", "numpy.zeros", "numpy.ones",
})

# Functions that draw random numbers (the prefixes of their qualified names).
RANDOM_DRAW_PREFIXES = ("random.", "numpy.random.", "torch.randint", "torch.randperm", "torch.rand", "torch.multinomial")


# Methods whose result has the receiver's rows in the receiver's order (a cast, a move, a copy,
# a change of container or of the trailing shape).
ROW_PRESERVING_METHODS = frozenset({
    "astype", "float", "double", "half", "bfloat16", "long", "int", "short", "bool", "byte", "type",
    "to", "cuda", "cpu", "numpy", "to_numpy", "tolist", "copy", "clone", "detach", "contiguous",
    "reshape", "view", "squeeze", "unsqueeze", "flatten", "requires_grad_", "reset_index",
})


def project_dataset(qualname: str) -> bool:
    """A dataset class of the project imported from a module not in view (``BCIDataset``,
    ``DefectDataset``): named like one, and from no library whose datasets the catalog knows."""
    last = _last(qualname)
    return last.endswith("Dataset") and last[:1].isupper() and not qualname.startswith(DATASET_PREFIXES)
