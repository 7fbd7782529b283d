"""Weight initialisation schemes: the papers' own, He's, Glorot's and PyTorch's defaults.

`initialize(model, scheme)` draws new kernels and biases for every convolution and dense layer of a built
model (nested layers included), in place; BatchNorm, embeddings and other weights keep what the builder gave
them (so `zero_init_residual`'s zero gammas survive). Every builder takes it as `kernel_init=`:

- `"glorot"`: Glorot & Bengio 2010's normalised uniform, U(-a, a) with a = sqrt(6 / (fan_in + fan_out)),
  biases 0. Keras' own default, and what builders use when `kernel_init` is None.
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

Fans are PyTorch's: a convolution's fan-in is kernel height x width x input channels per group, its fan-out
kernel height x width x output channels; a depthwise convolution's fan-in is height x width.

Random draws come from NumPy's global generator unless `seed` is given, so `keras.utils.set_random_seed`
makes them repeatable.

Example:
    >>> import numpy as np, keras_classics
    >>> model = keras_classics.alexnet(kernel_init="paper", input_shape=(67, 67, 3), classes=10)
    >>> [round(float(np.mean(model.get_layer(n).bias)), 1) for n in ("features_0", "features_4", "classifier_1")]
    [0.0, 1.0, 1.0]
"""

from __future__ import annotations

import math

import keras
import numpy as np

SCHEMES = ("paper", "he", "glorot", "torch")

# family -> the scheme its paper states (see the module docstring)
PAPER_SCHEMES = {"alexnet": "alexnet", "vgg": "vgg", "resnet": "he", "lenet": "lenet"}

# AlexNet's biases of one: conv2, conv4, conv5 and the two hidden fully connected layers (1-based order).
ALEXNET_BIAS_ONE = {"conv": (2, 4, 5), "dense": (1, 2)}


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


def resolve_scheme(scheme: str, family: str) -> str:
    """The concrete scheme for `family` ("paper" becomes the family's own), or ValueError naming the choices."""
    if scheme not in SCHEMES:
        raise ValueError(f"kernel_init must be None or one of {', '.join(map(repr, SCHEMES))}; got {scheme!r}")
    if scheme != "paper":
        return scheme
    if family not in PAPER_SCHEMES:
        raise ValueError(
            f"kernel_init='paper' is defined for the {', '.join(sorted(PAPER_SCHEMES))} families, whose papers "
            f"state a scheme; the {family} family's does not: use 'he', 'glorot' or 'torch'"
        )
    return PAPER_SCHEMES[family]


def _draw(scheme: str, layer, rng, bias_one: bool):
    fan_in, fan_out = fans(layer)
    shape = tuple(layer.kernel.shape)
    bias = np.zeros(layer.bias.shape) if layer.bias is not None else None
    if scheme == "glorot":
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        kernel = rng.uniform(-limit, limit, shape)
    elif scheme == "he":
        kernel = rng.normal(0.0, math.sqrt(2.0 / fan_out), shape)
    elif scheme == "torch":
        limit = 1.0 / math.sqrt(fan_in)
        kernel = rng.uniform(-limit, limit, shape)
        bias = rng.uniform(-limit, limit, bias.shape) if bias is not None else None
    elif scheme == "alexnet":
        kernel = rng.normal(0.0, 0.01, shape)
        bias = np.full(bias.shape, 1.0 if bias_one else 0.0) if bias is not None else None
    elif scheme == "vgg":
        kernel = rng.normal(0.0, 0.1, shape)  # variance 1e-2
    elif scheme == "lenet":
        limit = 2.4 / fan_in
        kernel = rng.uniform(-limit, limit, shape)
    else:  # pragma: no cover - resolve_scheme admits only the above
        raise AssertionError(scheme)
    return kernel, bias


def initialize(model, scheme: str, *, family: str | None = None, seed: int | None = None) -> int:
    """Draw new kernels and biases for `model`'s convolution and dense layers; returns how many were drawn.

    Args:
        model: a built Keras model.
        scheme: "paper", "he", "glorot" or "torch" (see the module docstring).
        family: the model's registry family, needed for "paper" (default: looked up by the model's name).
        seed: seeds the draws; None draws from NumPy's global generator.
    """
    if family is None and scheme == "paper":
        from keras_classics.registry import model_info

        family = model_info(model.name).family
    concrete = resolve_scheme(scheme, family)
    rng = np.random.default_rng(seed if seed is not None else np.random.randint(2**31))
    counts = {"conv": 0, "dense": 0}
    chosen = weight_layers(model)
    for layer in chosen:
        kind = "dense" if isinstance(layer, keras.layers.Dense) else "conv"
        counts[kind] += 1
        kernel, bias = _draw(concrete, layer, rng, bias_one=counts[kind] in ALEXNET_BIAS_ONE[kind])
        layer.kernel.assign(kernel.astype(layer.kernel.dtype))
        if bias is not None:
            layer.bias.assign(bias.astype(layer.bias.dtype))
    return len(chosen)
