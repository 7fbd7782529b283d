"""Inception modules as branch tables, with PyTorch's padding and pooling semantics.

Every Inception module of the family (GoogLeNet, BN-Inception, Inception-v3/v4, Inception-ResNet) is a set
of parallel branches, each a short chain of conv-BN-ReLU units and pools, concatenated on channels. The
papers draw them as figures; here each figure is a table of `Conv`/`Pool`/`Split` ops that one function,
`inception_branches`, builds. The residual modules of Inception-ResNet are the same tables followed by a
linear 1x1 projection, a scale and an addition (`inception_resnet_block`).

Layer names follow the references' module paths so that weight import is mechanical:
- `style="sequential"` (torchvision GoogLeNet, timm): a one-op branch is a module of its own
  (`branch0_conv`); a longer branch is an `nn.Sequential` indexed from 0 in which pools count
  (`branch3_1_conv` after `branch3.0 = AvgPool2d`).
- `style="flat"` (torchvision Inception-v3): convs are attributes numbered from 1 (`branch3x3dbl_2_conv`),
  pools are functional and do not count, a one-conv branch keeps the bare name (`branch_pool_conv`).
A `Split` op (the parallel 1x3 / 3x1 pair that ends some branches) names its convs `<index>a`, `<index>b`.
"""

from __future__ import annotations

import dataclasses

from keras import layers

from keras_classics.blocks.conv import conv2d, conv_bn_act
from keras_classics.blocks.pooling import avg_pool2d, max_pool2d
from keras_classics.torch_compat import TF_BN_EPSILON

# BasicConv2d (torchvision) and ConvNormAct(norm_eps=1e-3) (timm): the TF-ported value
BN_EPSILON = TF_BN_EPSILON


@dataclasses.dataclass(frozen=True)
class Conv:
    """Conv (no bias) -> BatchNorm -> ReLU; `padding` as PyTorch's (None: `kernel // 2`, 0: "valid")."""

    filters: int
    kernel: int | tuple[int, int]
    strides: int = 1
    padding: int | tuple[int, int] | None = None


@dataclasses.dataclass(frozen=True)
class Pool:
    """A max or average pool with PyTorch's semantics (padding, `ceil_mode`, `count_include_pad`)."""

    kind: str  # "max" or "avg"
    size: int = 3
    strides: int = 1
    padding: int = 0
    ceil_mode: bool = False
    count_include_pad: bool = True


@dataclasses.dataclass(frozen=True)
class Split:
    """Parallel convs on the same input whose outputs are concatenated (Inception-v3 Fig. 7)."""

    convs: tuple[Conv, ...]


def conv_unit(x, conv: Conv, name: str, epsilon: float = BN_EPSILON):
    """`BasicConv2d` / `ConvNormAct`: layers `{name}_conv`, `{name}_bn`, `{name}_relu`."""
    return conv_bn_act(
        x,
        conv.filters,
        conv.kernel,
        conv.strides,
        conv.padding,
        conv_name=f"{name}_conv",
        bn_name=f"{name}_bn",
        act_name=f"{name}_relu",
        bn_epsilon=epsilon,
    )


def pool2d(x, pool: Pool, name: str):
    """The PyTorch `MaxPool2d` / `AvgPool2d` that `pool` describes (`keras_classics.blocks.pooling`).

    Every max-pooled tensor in this family follows a ReLU (values >= 0), so padded max pools use zeros.
    """
    if pool.kind == "max":
        return max_pool2d(x, pool.size, pool.strides, pool.padding, pool.ceil_mode, nonnegative_input=True, name=name)
    if pool.kind != "avg":
        raise ValueError(f"Pool.kind must be 'max' or 'avg'; got {pool.kind!r}")
    return avg_pool2d(x, pool.size, pool.strides, pool.padding, pool.ceil_mode, pool.count_include_pad, name=name)


def _op_name(prefix: str, branch: str, index: int, count: int) -> str:
    return f"{prefix}_{branch}" if count == 1 else f"{prefix}_{branch}_{index}"


def inception_branches(
    x, branches, name: str, style: str = "sequential", epsilon: float = BN_EPSILON, concat_name: str | None = None
):
    """Builds parallel branches and concatenates them.

    Args:
        x: input tensor (NHWC).
        branches: sequence of `(branch_name, ops)`, `ops` a sequence of `Conv`, `Pool` and `Split`, in order.
        name: the module's name (reference module path with `.` -> `_`), the prefix of every layer.
        style: `"sequential"` or `"flat"` layer naming (see the module docstring).
        epsilon: BatchNorm epsilon.
        concat_name: name of the concatenation layer (default `name`: the module's output is its name).
    """
    if style not in ("sequential", "flat"):
        raise ValueError(f"style must be 'sequential' or 'flat'; got {style!r}")
    outputs = []
    for branch, ops in branches:
        if style == "sequential":
            numbered, count = list(enumerate(ops)), len(ops)
        else:  # functional pools take no index; convs count from 1
            count = sum(not isinstance(op, Pool) for op in ops)
            numbers = iter(range(1, count + 1))
            numbered = [(None if isinstance(op, Pool) else next(numbers), op) for op in ops]
        y = x
        for index, op in numbered:
            if isinstance(op, Pool):
                label = f"{name}_{branch}_pool" if index is None else _op_name(name, branch, index, count)
                y = pool2d(y, op, label)
            elif isinstance(op, Conv):
                y = conv_unit(y, op, _op_name(name, branch, index, count), epsilon)
            elif isinstance(op, Split):
                prefix = f"{name}_{branch}_{index}"
                parts = [conv_unit(y, conv, f"{prefix}{chr(97 + j)}", epsilon) for j, conv in enumerate(op.convs)]
                y = layers.Concatenate(name=f"{prefix}_concat")(parts)
            else:
                raise TypeError(f"an Inception branch op must be Conv, Pool or Split; got {op!r}")
        outputs.append(y)
    return layers.Concatenate(name=concat_name or name)(outputs)


def inception_module(x, row, name: str, pool_kind: str = "max", strides: int = 1, epsilon: float = BN_EPSILON):
    """The GoogLeNet module (Szegedy et al. 2015, Fig. 2b) and its BN-Inception form (Ioffe & Szegedy 2015).

    `row` holds the columns of GoogLeNet Table 1 / BN-Inception Fig. 5:
    `(#1x1, #3x3 reduce, #3x3, #double-3x3 reduce, #double-3x3, double-3x3 depth, pool proj)`.
    - GoogLeNet (torchvision): depth 1, i.e. one 3x3 in the "5x5" branch. torchvision kept this
      deviation from the paper's 5x5 because its ported weights have it; we follow torchvision.
    - BN-Inception: depth 2 (the 5x5 as two 3x3), average or max pool, and in the stride-2 modules
      (3c, 4e) no 1x1 branch (`#1x1 = 0`) and a pass-through max pool (`pool proj = 0`).
    Branches are torchvision's `branch1` .. `branch4`; `branch4_0` is the pool.
    """
    ch1, red3, ch3, red_dbl, ch_dbl, depth, proj = row
    pad = 1 if strides > 1 else None  # stride-2 3x3 with padding 1: every branch gives ceil(H / 2)
    dbl = [Conv(red_dbl, 1)] + [Conv(ch_dbl, 3, strides if i == depth - 1 else 1, pad) for i in range(depth)]
    if strides == 1:
        pool = Pool(pool_kind, 3, 1, 1, count_include_pad=False)
    else:
        pool = Pool("max", 3, strides, 1)
    branches = [("branch1", [Conv(ch1, 1)])] if ch1 else []
    branches += [("branch2", [Conv(red3, 1), Conv(ch3, 3, strides, pad)]), ("branch3", dbl)]
    # A pass-through pool is named `branch4_0`, like the pool of a projected branch 4.
    branches.append(("branch4", [pool, Conv(proj, 1)]) if proj else ("branch4_0", [pool]))
    return inception_branches(x, branches, name, epsilon=epsilon)


def inception_resnet_block(x, branches, name: str, scale: float = 1.0, activation: bool = True):
    """An Inception-ResNet module (Szegedy et al. 2017, Figs. 10-13 and 16-19; timm `Block35/17/8`).

    The branches are concatenated, projected back to the input width by a linear 1x1 conv with bias
    (`{name}_conv2d`), scaled (Sec. 3.3: residuals scaled by 0.1-0.3 keep very wide networks stable),
    added to the input and passed through ReLU unless `activation=False` (timm's final `block8`).
    The block's output layer is named `name`.
    """
    mixed = inception_branches(x, branches, name, concat_name=f"{name}_concat")
    up = conv2d(mixed, x.shape[-1], 1, use_bias=True, name=f"{name}_conv2d")
    up = layers.Rescaling(scale, name=f"{name}_scale")(up)
    if not activation:
        return layers.Add(name=name)([x, up])
    out = layers.Add(name=f"{name}_add")([x, up])
    return layers.ReLU(name=name)(out)
