"""Attention modules as a plug-in: one registry that every family with an `attention=` option reads.

Like timm's `get_attn`, a family takes `attention="se" | "eca" | "cbam" | None` and calls
`apply_attention(x, kind, name)` where its paper puts the module (on a residual branch, before the
addition). Each kind is a factory `name -> layer` whose layer is named `{name}_{kind}`, so reference
weights (`layer1.0.se.fc1.weight`) map by name. Adding a kind is one factory and one decorator line:

    @register_attention("my_kind")
    def _my_kind(name):
        return MyAttentionLayer(name=f"{name}_my_kind")

Example:
    >>> import numpy as np, keras
    >>> from keras_classics.blocks.attention import apply_attention, attention_kinds
    >>> attention_kinds()
    (None, 'cbam', 'eca', 'se')
    >>> x = keras.Input((8, 8, 64))
    >>> apply_attention(x, "se", name="block1").shape
    (None, 8, 8, 64)
"""

from __future__ import annotations

from typing import Callable

import keras

_FACTORIES: dict[str, Callable[[str], keras.layers.Layer]] = {}


def register_attention(kind: str):
    """Decorator registering `factory(name) -> layer` as the attention module `kind`."""

    def decorate(factory):
        if kind in _FACTORIES:
            raise ValueError(f"attention kind {kind!r} is already registered")
        _FACTORIES[kind] = factory
        return factory

    return decorate


def attention_kinds() -> tuple:
    """The values the `attention` option accepts: None and every registered kind, sorted."""
    return (None, *sorted(_FACTORIES))


def check_attention(kind):
    """Returns `kind` if it is None or a registered kind, else raises a ValueError listing them."""
    if kind is not None and (not isinstance(kind, str) or kind not in _FACTORIES):
        allowed = ", ".join(repr(k) for k in attention_kinds())
        raise ValueError(f"attention must be one of {allowed}; got {kind!r}")
    return kind


def apply_attention(x, kind, name: str):
    """`x` rescaled by the attention module `kind` named `{name}_{kind}`; `x` itself when `kind` is None."""
    if check_attention(kind) is None:
        return x
    return _FACTORIES[kind](name)(x)


@register_attention("se")
def _squeeze_excite(name):
    # timm's SEModule on SE-ResNets: reduction 16, squeeze width rounded to a multiple of 8, biased 1x1 convs.
    from keras_classics.layers import SqueezeExcite

    return SqueezeExcite(reduction=16, divisor=8, name=f"{name}_se")


@register_attention("eca")
def _efficient_channel_attention(name):
    # ECA-Net's adaptive kernel size (gamma 2, b 1), a 1-D conv without bias (`eca.conv` in the official code).
    from keras_classics.layers import EfficientChannelAttention

    return EfficientChannelAttention(name=f"{name}_eca")


@register_attention("cbam")
def _cbam(name):
    # Woo et al. 2018: channel MLP with reduction 16, then a 7x7 spatial conv + BN.
    from keras_classics.layers import CBAM

    return CBAM(reduction=16, spatial_kernel_size=7, name=f"{name}_cbam")
