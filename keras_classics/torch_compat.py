"""The PyTorch-compatibility facts every other module relies on, in one place.

The references (torchvision, timm) pad symmetrically, round channel counts their own way, count BatchNorm
momentum from the other end and expect inputs normalized with fixed means and standard deviations. This
module states each of those once; it imports nothing from the package, so `layers/`, `blocks/`, `models/`,
`analysis/` and `registry.py` can all depend on it.

Example:
    >>> from keras_classics.torch_compat import make_divisible, padding_plan
    >>> make_divisible(72 / 4, 8)
    24
    >>> padding_plan(3, strides=2)  # TF's "same" would pad only the bottom/right: pad 1 each side instead
    ((1, 1), 'valid')
    >>> padding_plan(3, strides=1)  # identical to Keras' "same"
    ((0, 0), 'same')
"""

from __future__ import annotations

# PyTorch's BatchNorm defaults. Keras' momentum is PyTorch's `1 - momentum` (PyTorch 0.1 == Keras 0.9).
BN_EPSILON = 1e-5
BN_MOMENTUM = 0.9
# What references use where their weights were ported from TensorFlow (Inception, MobileNetV3,
# EfficientNet-B5+): TF's epsilon 1e-3 and PyTorch momentum 0.01 (Keras 0.99).
TF_BN_EPSILON = 1e-3
TF_BN_MOMENTUM = 0.99

# Per-channel normalization of [0, 1] RGB the reference weights expect.
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
INCEPTION_MEAN = (0.5, 0.5, 0.5)  # TF-ported weights: inputs scaled to [-1, 1]
INCEPTION_STD = (0.5, 0.5, 0.5)


def pixel_scale_offset(mean, std) -> tuple[list[float], list[float]]:
    """`(x / 255 - mean) / std` per channel written as `x * scale + offset`: the (scale, offset) lists.

    The one place the in-graph layer (`blocks.preprocessing`) and `applications`' `preprocess_input` get
    their numbers from, so both compute the same values.

    Example:
        >>> pixel_scale_offset((0.5,), (0.5,))
        ([0.00784313725490196], [-1.0])
    """
    if len(mean) != len(std):
        raise ValueError(f"mean and std must have the same length; got {len(mean)} and {len(std)}")
    if any(s <= 0 for s in std):
        raise ValueError(f"std must be positive; got {tuple(std)}")
    return [1.0 / (255.0 * s) for s in std], [-m / s for m, s in zip(mean, std)]


def pair(value) -> tuple[int, int]:
    """An int or (height, width) pair as a (height, width) tuple, as PyTorch's layers take either."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def padding_plan(kernel_size, strides=1, padding=None, dilation=1):
    """How to reproduce a PyTorch conv or pool's padding in Keras: `((pad_h, pad_w), keras_mode)`.

    PyTorch pads `padding` cells on every side (default `dilation * (kernel_size - 1) // 2`). Keras'
    `"same"` gives exactly that only for stride 1, odd kernels and that default amount; anything else
    (strides, even kernels, other amounts) needs an explicit symmetric pad of `(pad_h, pad_w)` followed by
    `"valid"`. `(0, 0)` means no explicit pad is needed.
    """
    kh, kw = pair(kernel_size)
    sh, sw = pair(strides)
    dh, dw = pair(dilation)
    default = (dh * (kh - 1) // 2, dw * (kw - 1) // 2)
    ph, pw = pair(padding) if padding is not None else default
    if ph == pw == 0:
        return (0, 0), "valid"
    if sh == sw == 1 and (ph, pw) == default and kh % 2 == 1 and kw % 2 == 1:
        return (0, 0), "same"
    return (ph, pw), "valid"


def make_divisible(value, divisor=8, min_value=None, round_limit=0.9):
    """Rounds `value` to the nearest multiple of `divisor`, at least `min_value` (default `divisor`) and
    not below `round_limit * value`: torchvision's `_make_divisible` and timm's `make_divisible`."""
    min_value = min_value or divisor
    new_value = max(min_value, int(value + divisor / 2) // divisor * divisor)
    if new_value < round_limit * value:
        new_value += divisor
    return new_value
