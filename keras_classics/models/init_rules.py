"""Initialisation rules: which distribution each kind of weight layer draws its kernel and bias from.

A `Rule` names one (kernel, bias) `Draw` per layer role: 2-D convolutions (grouped and depthwise
included), 1-D convolutions (ECA's channel convolution), dense layers and the classifier (the layer
that computes the logits), plus exceptions by layer name. `keras_classics.models.initialization`
applies them; this module holds the definitions:

- the named schemes a user picks (`GLOROT`, `HE`, `TORCH` and the papers' own), and
- `REFERENCE_RULES`: what each reference implementation's constructor does, read from its source
  (torchvision 0.29 `_initialize_weights`/`__init__` loops, timm 1.0 `init_weights`/`_init_weight_goog`).
  A model whose reference is a paper table follows the library implementation of its family
  (`PAPER_MODELS_FOLLOW`), or its paper where the paper states a scheme.

The references' `trunc_normal_(std=s, a=-2, b=2)` truncates at +-2 in absolute terms, which for every
s used here (<= 0.1) is more than 20 standard deviations: it is drawn as a plain normal.

Example:
    >>> from keras_classics.models.init_rules import Fans, KAIMING_FAN_OUT
    >>> round(KAIMING_FAN_OUT.scale(Fans(fan_in=27, fan_out=576, groups=1)), 4)  # sqrt(2 / 576)
    0.0589
"""

from __future__ import annotations

import dataclasses
import math
from typing import Callable, NamedTuple


class Fans(NamedTuple):
    """PyTorch's fans of one layer (see `initialization.fans`) and its number of groups."""

    fan_in: int
    fan_out: int
    groups: int


@dataclasses.dataclass(frozen=True)
class Draw:
    """One distribution: `kind` is "normal" (scale = standard deviation), "uniform" (scale = half-width)
    or "constant" (scale = the value); `scale` is a function of the layer's `Fans`."""

    kind: str
    scale: Callable[[Fans], float]


def normal(std: float) -> Draw:
    return Draw("normal", lambda f: std)


def constant(value: float) -> Draw:
    return Draw("constant", lambda f: value)


ZEROS = constant(0.0)
ONES = constant(1.0)
# He et al. 2015: N(0, 2 / fan); torch `kaiming_normal_(mode=...)` with the ReLU gain
KAIMING_FAN_OUT = Draw("normal", lambda f: math.sqrt(2.0 / f.fan_out))
KAIMING_FAN_IN = Draw("normal", lambda f: math.sqrt(2.0 / f.fan_in))
# torch `kaiming_uniform_()` with its default a=0: U(+-sqrt(6 / fan_in))
KAIMING_UNIFORM = Draw("uniform", lambda f: math.sqrt(6.0 / f.fan_in))
# Glorot & Bengio 2010, torch `xavier_uniform_`, Keras `GlorotUniform`
GLOROT_UNIFORM = Draw("uniform", lambda f: math.sqrt(6.0 / (f.fan_in + f.fan_out)))
# PyTorch's layer defaults: `kaiming_uniform_(a=sqrt(5))` for the weight, the same bound for the bias
TORCH_DEFAULT = Draw("uniform", lambda f: 1.0 / math.sqrt(f.fan_in))
# the TensorFlow TPU EfficientNet/MnasNet code (timm `_init_weight_goog`): a grouped or depthwise
# convolution's fan-out counts the output channels of one group only
GOOG_CONV = Draw("normal", lambda f: math.sqrt(2.0 / (f.fan_out // f.groups)))
# torchvision EfficientNet and timm `_init_weight_goog` classifiers: U(+-1 / sqrt(out_features))
UNIFORM_FAN_OUT = Draw("uniform", lambda f: 1.0 / math.sqrt(f.fan_out))
# torchvision ViT's patch projection: trunc_normal(std = sqrt(1 / fan_in))
LECUN_NORMAL = Draw("normal", lambda f: math.sqrt(1.0 / f.fan_in))
LENET_UNIFORM = Draw("uniform", lambda f: 2.4 / f.fan_in)

Pair = tuple  # (kernel Draw, bias Draw)


@dataclasses.dataclass(frozen=True)
class Rule:
    """(kernel, bias) draws per layer role. `dense`, `head` and `conv1d` default to `conv`'s and
    `dense`'s choices as noted; `by_name` maps a layer name to its own pair; `bias_one` lists the
    1-based positions of convolution and dense layers whose bias is 1 (AlexNet's paper scheme)."""

    conv: Pair
    dense: Pair | None = None  # None: as conv
    head: Pair | None = None  # None: as dense (or as conv when the classifier is a convolution)
    conv1d: Pair | None = None  # None: as conv
    by_name: dict = dataclasses.field(default_factory=dict)
    bias_one: dict = dataclasses.field(default_factory=dict)

    def pair(self, role: str, name: str) -> Pair:
        if name in self.by_name:
            return self.by_name[name]
        dense = self.dense or self.conv
        if role == "head_dense":
            return self.head or dense
        if role == "head_conv":
            return self.head or self.conv
        if role == "dense":
            return dense
        if role == "conv1d":
            return self.conv1d or self.conv
        return self.conv


# --------------------------------------------------------------------------------------- user schemes
GLOROT = Rule(conv=(GLOROT_UNIFORM, ZEROS))
HE = Rule(conv=(KAIMING_FAN_OUT, ZEROS))
TORCH = Rule(conv=(TORCH_DEFAULT, TORCH_DEFAULT))
PAPER_RULES = {
    # Krizhevsky et al. 2012, Sec. 5: N(0, 0.01^2); biases 1 in conv2, conv4, conv5 and the hidden FC layers
    "alexnet": Rule(conv=(normal(0.01), ZEROS), bias_one={"conv": (2, 4, 5), "dense": (1, 2)}),
    # Simonyan & Zisserman 2015, Sec. 3.1: "zero mean and 10^-2 variance", biases zero
    "vgg": Rule(conv=(normal(0.1), ZEROS)),
    # He et al. 2016, Sec. 3.4: "as in [13]", He et al. 2015
    "resnet": HE,
    # LeCun et al. 1998, Appendix C: U(+-2.4 / F_i), F_i the fan-in
    "lenet": Rule(conv=(LENET_UNIFORM, ZEROS)),
    # Zeiler & Fergus 2014, Sec. 3: "All weights are initialized to 10^-2 and biases are set to 0" (read,
    # as AlexNet's, as a zero-mean normal of standard deviation 10^-2)
    "zfnet": Rule(conv=(normal(0.01), ZEROS)),
}

# ---------------------------------------------------------------------------- reference implementations
# Every reference below initialises only 2-D convolutions and linear layers, so ECA's Conv1d keeps
# PyTorch's default in all of them.
_KEEP_TORCH_CONV1D = (TORCH_DEFAULT, TORCH_DEFAULT)


def _reference(conv, dense=None, head=None, by_name=None) -> Rule:
    return Rule(conv=conv, dense=dense, head=head, conv1d=_KEEP_TORCH_CONV1D, by_name=by_name or {})


TORCHVISION_DEFAULTS = _reference((TORCH_DEFAULT, TORCH_DEFAULT))  # AlexNet, ShuffleNetV2: no init loop
REFERENCE_RULES = {
    "torchvision:alexnet": TORCHVISION_DEFAULTS,
    "torchvision:shufflenet_v2": TORCHVISION_DEFAULTS,
    "torchvision:vgg": _reference((KAIMING_FAN_OUT, ZEROS), dense=(normal(0.01), ZEROS)),
    # conv kaiming fan-out; the fc keeps PyTorch's default
    "torchvision:resnet": _reference((KAIMING_FAN_OUT, ZEROS), dense=(TORCH_DEFAULT, TORCH_DEFAULT)),
    # `kaiming_normal_` with its default fan-in; linear bias 0
    "torchvision:densenet": _reference((KAIMING_FAN_IN, ZEROS), dense=(TORCH_DEFAULT, ZEROS)),
    # trunc_normal(0.01) on conv and linear weights; the linear bias keeps PyTorch's default
    "torchvision:googlenet": _reference((normal(0.01), ZEROS), dense=(normal(0.01), TORCH_DEFAULT)),
    # trunc_normal(stddev) with stddev 0.1, or the attribute InceptionAux sets (conv1 0.01, fc 0.001)
    "torchvision:inception_v3": _reference(
        (normal(0.1), ZEROS),
        dense=(normal(0.1), TORCH_DEFAULT),
        by_name={"AuxLogits_conv1_conv": (normal(0.01), ZEROS), "AuxLogits_fc": (normal(0.001), TORCH_DEFAULT)},
    ),
    # kaiming_uniform on every conv but the final one, N(0, 0.01) there; biases 0
    "torchvision:squeezenet": _reference((KAIMING_UNIFORM, ZEROS), head=(normal(0.01), ZEROS)),
    "torchvision:mobilenet": _reference((KAIMING_FAN_OUT, ZEROS), dense=(normal(0.01), ZEROS)),
    "torchvision:efficientnet": _reference((KAIMING_FAN_OUT, ZEROS), dense=(UNIFORM_FAN_OUT, ZEROS)),
    # conv_proj lecun-normal; MLP xavier with N(0, 1e-6) biases; nn.MultiheadAttention: xavier on the
    # fused in-projection, PyTorch's default on out_proj, biases 0; the head zeros
    "torchvision:vit": _reference(
        (LECUN_NORMAL, ZEROS),
        dense=(GLOROT_UNIFORM, normal(1e-6)),
        head=(ZEROS, ZEROS),
        by_name={"qkv": (GLOROT_UNIFORM, ZEROS), "proj": (TORCH_DEFAULT, ZEROS)},
    ),
    "torchvision:convnext": _reference((normal(0.02), ZEROS), dense=(normal(0.02), ZEROS)),
    # timm Inception v4, Inception-ResNet v2, GhostNet: no init loop, PyTorch's defaults
    "timm:defaults": _reference((TORCH_DEFAULT, TORCH_DEFAULT)),
    # timm ResNet (SE-ResNet(X)t, ResNeSt) and legacy Xception: kaiming fan-out on conv weights only
    "timm:resnet": _reference((KAIMING_FAN_OUT, TORCH_DEFAULT), dense=(TORCH_DEFAULT, TORCH_DEFAULT)),
    # `_init_weights`: linear layers and the 1x1-conv classifier N(0, 0.01), other convs kaiming fan-out
    "timm:resnetv2": _reference((KAIMING_FAN_OUT, ZEROS), dense=(normal(0.01), ZEROS), head=(normal(0.01), ZEROS)),
    "timm:goog": _reference((GOOG_CONV, ZEROS), dense=(UNIFORM_FAN_OUT, ZEROS)),
    # init_weights_vit_timm: trunc_normal(0.02) on linear layers, biases 0; the patch conv keeps the default
    "timm:vit": _reference((TORCH_DEFAULT, TORCH_DEFAULT), dense=(normal(0.02), ZEROS)),
}

# reference name prefixes -> REFERENCE_RULES key (first match wins)
_REFERENCE_FAMILIES = (
    ("torchvision", ("alexnet",), "torchvision:alexnet"),
    ("torchvision", ("shufflenet_v2",), "torchvision:shufflenet_v2"),
    ("torchvision", ("vgg",), "torchvision:vgg"),
    ("torchvision", ("resnet", "resnext", "wide_resnet"), "torchvision:resnet"),
    ("torchvision", ("densenet",), "torchvision:densenet"),
    ("torchvision", ("googlenet",), "torchvision:googlenet"),
    ("torchvision", ("inception_v3",), "torchvision:inception_v3"),
    ("torchvision", ("squeezenet",), "torchvision:squeezenet"),
    ("torchvision", ("mobilenet",), "torchvision:mobilenet"),
    ("torchvision", ("efficientnet",), "torchvision:efficientnet"),
    ("torchvision", ("vit_",), "torchvision:vit"),
    ("torchvision", ("convnext",), "torchvision:convnext"),
    ("timm", ("convnext",), "torchvision:convnext"),  # timm's `_init_weights` draws the same
    ("timm", ("inception_v4", "inception_resnet_v2", "ghostnet", "nasnetalarge"), "timm:defaults"),
    ("timm", ("seresne", "resnest", "legacy_xception"), "timm:resnet"),
    ("timm", ("resnetv2",), "timm:resnetv2"),
    ("timm", ("mobilenetv1", "tf_efficientnetv2"), "timm:goog"),
    ("timm", ("vit_",), "timm:vit"),
)

# Models whose reference is a paper table: the implementation they follow (by name, then by family).
# A paper that states its own scheme gets it ("paper:<family>").
PAPER_MODELS_FOLLOW = {
    "inception_v2": "torchvision:googlenet",  # BN-Inception: GoogLeNet's lineage
    "inception_resnet_v1": "timm:defaults",  # as timm's Inception-ResNet v2
    "alexnet": "paper:alexnet",
    "lenet": "paper:lenet",
    "zfnet": "paper:zfnet",
    "vgg": "torchvision:vgg",  # A-LRN and C: the other configurations' implementation
    "resnet": "torchvision:resnet",  # CBAM and ECA ResNets: both papers' code builds on torchvision's
    "wide_resnet": "torchvision:resnet",
    "densenet": "torchvision:densenet",
    "squeezenet": "torchvision:squeezenet",
    "shufflenet": "torchvision:shufflenet_v2",  # ShuffleNet v1 as its successor's implementation
    "hardnet": "timm:defaults",  # the authors' PyTorch code (PingoLH/Pytorch-HarDNet) sets none
    "effnet": "keras:glorot",  # the authors' code is Keras: its layer defaults
    # keras.applications' NASNetMobile mixes he_normal (1x1 and stem convs) and Glorot (separable convs,
    # classifier): the zoo initialises it as its sibling, timm's NASNet-A Large
    "nasnet": "timm:defaults",
}


def reference_key(spec) -> str:
    """The `REFERENCE_RULES` key (or "paper:<family>", "keras:glorot") whose scheme `spec`'s builder uses."""
    if spec.reference_library is not None:
        for library, prefixes, key in _REFERENCE_FAMILIES:
            if spec.reference_library == library and spec.reference_name.startswith(prefixes):
                return key
        raise KeyError(f"no initialisation rule for the reference {spec.reference!r} of {spec.name}")
    return PAPER_MODELS_FOLLOW.get(spec.name) or PAPER_MODELS_FOLLOW[spec.family]


def reference_rule(spec) -> Rule:
    """The `Rule` of `spec`'s reference implementation (see `reference_key`)."""
    key = reference_key(spec)
    if key.startswith("paper:"):
        return PAPER_RULES[key.split(":")[1]]
    if key == "keras:glorot":
        return GLOROT
    return REFERENCE_RULES[key]
