"""Weight initialisation schemes: each reference implementation's, the papers' own, He's, Glorot's, PyTorch's.

`initialize(model, scheme)` draws new kernels and biases for every convolution and dense layer of a built
model (nested layers included), in place; BatchNorm, embeddings and other weights keep what the builder gave
them (so `zero_init_residual`'s zero gammas survive). Every builder takes it as `kernel_init=`:

- `None` or `"reference"` (the default): what the model's reference implementation does when it is
  constructed, layer role by layer role (`keras_classics.models.init_rules.REFERENCE_RULES`): e.g.
  torchvision's ResNets draw convolutions from N(0, 2 / fan_out) and keep PyTorch's default for the fc,
  its VGGs N(0, 0.01) for the fully connected layers, its ViTs a zero head, timm's EfficientNets the TPU
  code's group-aware fan-out. A model whose reference is a paper table follows its family's
  implementation, or its paper where the paper states a scheme.
- `"glorot"`: Glorot & Bengio 2010's normalised uniform, U(-a, a) with a = sqrt(6 / (fan_in + fan_out)),
  biases 0. Keras' own layer default.
- `"he"`: He et al. 2015 ("Delving Deep into Rectifiers", Eq. 14), N(0, 2 / fan_out), biases 0;
  torchvision's `kaiming_normal_(mode="fan_out", nonlinearity="relu")`, which its ResNets use.
- `"torch"`: PyTorch's layer defaults (`kaiming_uniform_(a=sqrt(5))`), kernels and biases
  U(-1/sqrt(fan_in), 1/sqrt(fan_in)), for comparing with a torchvision model trained from scratch.
- `"paper"`: what the family's paper states, where it states one:
  - AlexNet (Krizhevsky et al. 2012, Sec. 5): "We initialized the weights in each layer from a zero-mean
    Gaussian distribution with standard deviation 0.01. We initialized the neuron biases in the second,
    fourth, and fifth convolutional layers, as well as in the fully-connected hidden layers, with the
    constant 1 ... in the remaining layers with the constant 0."
  - VGG (Simonyan & Zisserman 2015, Sec. 3.1): "we sampled the weights from a normal distribution with
    the zero mean and 10^-2 variance. The biases were initialised with zero" (standard deviation 0.1).
    The authors later found Glorot's scheme trains the deep nets without pre-training: `"glorot"`.
  - ResNet, ResNeXt, SE/ECA/CBAM-ResNet (He et al. 2016, Sec. 3.4: "We initialize the weights as in [13]"):
    `"he"`; torchvision's `zero_init_residual` is the builder option of that name.
  - LeNet-5 (LeCun et al. 1998, Appendix C): "uniformly distributed between -2.4/F_i and 2.4/F_i, where
    F_i is the number of inputs (fan-in)"; biases 0.
  - ZFNet (Zeiler & Fergus 2014, Sec. 3): "All weights are initialized to 10^-2 and biases are set to 0",
    read as AlexNet's N(0, 0.01^2).

Fans are PyTorch's: a convolution's fan-in is kernel height x width x input channels per group, its fan-out
kernel height x width x output channels; a depthwise convolution's fan-in is height x width.

Random draws are seeded from NumPy's global generator unless `seed` is given, so
`keras.utils.set_random_seed` makes them repeatable.

Example:
    >>> import numpy as np, keras_classics
    >>> model = keras_classics.alexnet(kernel_init="paper", input_shape=(67, 67, 3), classes=10)
    >>> [round(float(np.mean(model.get_layer(n).bias)), 1) for n in ("features_0", "features_4", "classifier_1")]
    [0.0, 1.0, 1.0]
    >>> vgg = keras_classics.vgg11_bn(input_shape=(32, 32, 3), include_top=False)  # torchvision's scheme
    >>> conv = vgg.get_layer("features_0")
    >>> bool(abs(float(np.std(conv.kernel)) / np.sqrt(2 / (3 * 3 * 64)) - 1) < 0.1)
    True
"""

from __future__ import annotations

import math

import keras
import numpy as np

from keras_classics.models.init_rules import GLOROT, HE, ONES, PAPER_RULES, TORCH, Fans, reference_rule

SCHEMES = ("reference", "paper", "he", "glorot", "torch")

# the families whose paper states a scheme (see the module docstring)
PAPER_SCHEMES = tuple(sorted(PAPER_RULES))

_NAMED_RULES = {"he": HE, "glorot": GLOROT, "torch": TORCH}
_CONV2D = (keras.layers.Conv2D, keras.layers.DepthwiseConv2D)


def weight_layers(model) -> list:
    """The convolution and dense layers of `model`, nested ones included, in build order."""
    kinds = (keras.layers.Conv1D, keras.layers.Conv2D, keras.layers.DepthwiseConv2D, keras.layers.Dense)
    return [layer for layer in model._flatten_layers(include_self=False, recursive=True) if isinstance(layer, kinds)]


def fans(layer) -> tuple[int, int]:
    """(fan_in, fan_out) of a convolution or dense layer, computed as PyTorch does."""
    shape = tuple(layer.kernel.shape)
    if isinstance(layer, keras.layers.Dense):
        return shape[0], shape[-1]
    receptive = math.prod(shape[:-2])
    if isinstance(layer, keras.layers.DepthwiseConv2D):  # kernel (h, w, channels, multiplier)
        return receptive, receptive * shape[-2] * shape[-1]
    return receptive * shape[-2], receptive * shape[-1]  # kernel (h, w, in per group, out)


def _groups(layer) -> int:
    if isinstance(layer, keras.layers.DepthwiseConv2D):
        return layer.kernel.shape[-2]
    return getattr(layer, "groups", 1) or 1


def resolve_scheme(scheme: str, family: str) -> str:
    """The concrete scheme for `family` ("paper" becomes the family's own), or ValueError naming the choices."""
    if scheme not in SCHEMES:
        raise ValueError(f"kernel_init must be None or one of {', '.join(map(repr, SCHEMES))}; got {scheme!r}")
    if scheme != "paper":
        return scheme
    if family not in PAPER_RULES:
        raise ValueError(
            f"kernel_init='paper' is defined for the {', '.join(PAPER_SCHEMES)} families, whose papers "
            f"state a scheme; the {family} family's does not: use 'reference', 'he', 'glorot' or 'torch'"
        )
    return family


def scheme_rule(scheme: str | None, spec=None):
    """The `init_rules.Rule` that `scheme` means for the model `spec` (a `ModelSpec`) describes; `spec` may
    be None for "he", "glorot" and "torch"."""
    scheme = "reference" if scheme is None else scheme
    if scheme in _NAMED_RULES:
        return _NAMED_RULES[scheme]
    concrete = resolve_scheme(scheme, spec.family if spec is not None else None)
    return reference_rule(spec) if concrete == "reference" else PAPER_RULES[concrete]


def classifier_layer(model):
    """The layer that computes the main logits (the last weight layer before `predictions`), or None
    for a model built without its classifier."""
    try:
        node = model.get_layer("predictions")._inbound_nodes[0]
    except ValueError:
        return None
    while node.parent_nodes:
        parent = node.parent_nodes[0]
        if isinstance(parent.operation, (keras.layers.Dense, keras.layers.Conv2D)):
            return parent.operation
        node = parent
    return None


def _role(layer, head) -> str:
    if layer is head:
        return "head_dense" if isinstance(layer, keras.layers.Dense) else "head_conv"
    if isinstance(layer, keras.layers.Dense):
        return "dense"
    return "conv" if isinstance(layer, _CONV2D) else "conv1d"


def initialize(model, scheme: str | None = "reference", *, spec=None, seed: int | None = None) -> int:
    """Draw new kernels and biases for `model`'s convolution and dense layers; returns how many were drawn.

    Args:
        model: a built Keras model.
        scheme: "reference" (or None), "paper", "he", "glorot" or "torch" (see the module docstring).
        spec: the model's `ModelSpec`, which "reference" and "paper" need (default: the registered model
            of `model.name`).
        seed: seeds the draws; None seeds them from NumPy's global generator.
    """
    if spec is None and scheme not in _NAMED_RULES:
        from keras_classics.registry import model_info

        spec = model_info(model.name)
    rule = scheme_rule(scheme, spec)
    rng = np.random.default_rng(seed if seed is not None else np.random.randint(2**31))
    head = classifier_layer(model)
    counts = {"conv": 0, "dense": 0}
    chosen = weight_layers(model)
    for layer in chosen:
        kind = "dense" if isinstance(layer, keras.layers.Dense) else "conv"
        counts[kind] += 1
        kernel_draw, bias_draw = rule.pair(_role(layer, head), layer.name)
        if counts[kind] in rule.bias_one.get(kind, ()):
            bias_draw = ONES
        layer_fans = Fans(*fans(layer), _groups(layer))
        kernel_seed, bias_seed = (int(s) for s in rng.integers(2**31, size=2))
        _assign(layer.kernel, kernel_draw, layer_fans, kernel_seed)
        if layer.bias is not None:
            _assign(layer.bias, bias_draw, layer_fans, bias_seed)
    return len(chosen)


def _assign(variable, draw, layer_fans, seed):
    scale = draw.scale(layer_fans)
    shape = tuple(variable.shape)
    if draw.kind == "normal":
        values = keras.random.normal(shape, stddev=scale, seed=seed)
    elif draw.kind == "uniform":
        values = keras.random.uniform(shape, minval=-scale, maxval=scale, seed=seed)
    else:
        values = keras.ops.full(shape, scale)
    variable.assign(keras.ops.cast(values, variable.dtype))
