"""Vision Transformer (Dosovitskiy et al., "An Image is Worth 16x16 Words: Transformers for Image
Recognition at Scale", ICLR 2021).

The image is cut into PxP patches, each linearly projected to a D-wide token; a learned class token is
prepended and a learned position embedding added; L pre-norm encoder blocks follow (LayerNorm eps 1e-6 ->
multi-head self-attention -> residual; LayerNorm -> MLP D-4D-D with GELU -> residual); a final LayerNorm,
and the classifier reads the class token. Widths, depths and heads are the paper's Table 1 (Base, Large)
and DeiT's Table 1 (Touvron et al. 2021: Tiny, Small).

References: timm 1.0.31 (`vit_tiny_patch16_224`, `vit_small_patch16_224`) for Ti/S and torchvision 0.29.1
(`vit_b_16`, `vit_b_32`, `vit_l_16`) for B/L. Both compute the same network; only their module names
differ, so each table row carries a `NameScheme` and one `encoder_block` serves all five variants. The
attention is `keras_classics.layers.MultiHeadSelfAttention` (fused `qkv`, then `proj`), whose layout is
timm's `attn.qkv` and torch `nn.MultiheadAttention.in_proj_weight` alike (rows q, k, v).

Other input sizes are accepted if they are multiples of the patch size (others raise a ValueError rather
than silently dropping the pixels past the last whole patch, as the reference's strided conv would): the
position embedding is built for the input's token count, and
`resample_position_embedding` interpolates a reference embedding to it on import (bicubic with
antialiasing, as timm's `resample_abs_pos_embed`).
"""

from __future__ import annotations

import dataclasses
import functools

from keras import layers

from keras_classics.blocks.regularization import drop_path
from keras_classics.layers import ClassToken, LearnedPositionEmbedding, MultiHeadSelfAttention
from keras_classics.layers.vit import resample_position_embedding  # noqa: F401  (public here too)
from keras_classics.models.builder import assemble
from keras_classics.models.variant_table import VariantRow, register_family
from keras_classics.torch_compat import IMAGENET_MEAN, IMAGENET_STD, INCEPTION_MEAN, INCEPTION_STD

LN_EPSILON = 1e-6  # both references: partial(nn.LayerNorm, eps=1e-6)

VIT = "Dosovitskiy et al. 2021, An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale"
DEIT = f"{VIT}; Touvron et al. 2021 (DeiT) Table 1"
CSV = "shared/reference/architectures.csv"


@dataclasses.dataclass(frozen=True)
class NameScheme:
    """Layer names of one reference's module tree ('{i}' is the block index)."""

    patch: str
    class_token: str
    position: str
    position_dropout: str
    block: str
    norm1: str
    attention: str
    attention_dropout: str
    norm2: str
    fc1: str
    mlp_dropout1: str
    fc2: str
    mlp_dropout2: str
    norm: str
    head: str
    # torch nn.MultiheadAttention keeps q, k, v in `in_proj_weight`/`in_proj_bias` and names the output
    # projection `out_proj`; timm uses `qkv`/`proj`, the sublayer names of MultiHeadSelfAttention.
    fused_in_proj: bool = False


TIMM = NameScheme(
    patch="patch_embed_proj",
    class_token="cls_token",
    position="pos_embed",
    position_dropout="pos_drop",
    block="blocks_{i}",
    norm1="norm1",
    attention="attn",
    attention_dropout="attn_proj_drop",
    norm2="norm2",
    fc1="mlp_fc1",
    mlp_dropout1="mlp_drop1",
    fc2="mlp_fc2",
    mlp_dropout2="mlp_drop2",
    norm="norm",
    head="head",
)

TORCHVISION = NameScheme(
    patch="conv_proj",
    class_token="class_token",
    position="encoder_pos_embedding",
    position_dropout="encoder_dropout",
    block="encoder_layers_encoder_layer_{i}",
    norm1="ln_1",
    attention="self_attention",
    attention_dropout="dropout",
    norm2="ln_2",
    fc1="mlp_0",
    mlp_dropout1="mlp_2",
    fc2="mlp_3",
    mlp_dropout2="mlp_4",
    norm="encoder_ln",
    head="heads_head",
    fused_in_proj=True,
)


@dataclasses.dataclass(frozen=True)
class ViTRow(VariantRow):
    """One ViT variant: patch size P, width D, depth L, heads, MLP width, and the reference's names."""

    patch_size: int
    hidden_dim: int
    depth: int
    num_heads: int
    mlp_dim: int
    names: NameScheme


TIMM_CSV = f"{CSV} (timm 1.0.31 parameters())"
TORCHVISION_CSV = f"{CSV} (torchvision 0.29.1 parameters())"

# MMACs from the reference table. The timm rows count every linear layer (not the parameter-free attention
# products); the torchvision rows also leave out the attention's q/k/v and output projections, which torch
# runs inside F.multi_head_attention_forward: `analysis.count_macs` counts them, so it reads 16,848.5 for
# vit_b_16 where the table says 11,271.1 (the difference is exactly those projections; tests/test_models.py).
# fmt: off
VARIANTS = (
    # DeiT Table 1 (Touvron et al. 2021): Ti 192 wide, 3 heads; S 384 wide, 6 heads; 12 layers, MLP 4D.
    ViTRow(16, 192, 12, 3, 768, TIMM, name="vit_ti_16", paper=DEIT, reference="timm:vit_tiny_patch16_224",
           params=5717416, params_source=TIMM_CSV, mmacs=1074.9),
    ViTRow(16, 384, 12, 6, 1536, TIMM, name="vit_s_16", paper=DEIT, reference="timm:vit_small_patch16_224",
           params=22050664, params_source=TIMM_CSV, mmacs=4241.2),
    # ViT Table 1 (Dosovitskiy et al. 2021): Base 768 wide, 12 layers, 12 heads, MLP 3072;
    # Large 1024 wide, 24 layers, 16 heads, MLP 4096.
    ViTRow(16, 768, 12, 12, 3072, TORCHVISION, name="vit_b_16", paper=VIT, reference="torchvision:vit_b_16",
           params=86567656, params_source=TORCHVISION_CSV, mmacs=11271.1),
    ViTRow(32, 768, 12, 12, 3072, TORCHVISION, name="vit_b_32", paper=VIT, reference="torchvision:vit_b_32",
           params=88224232, params_source=TORCHVISION_CSV, mmacs=2947.5),
    ViTRow(16, 1024, 24, 16, 4096, TORCHVISION, name="vit_l_16", paper=VIT, reference="torchvision:vit_l_16",
           params=304326632, params_source=TORCHVISION_CSV, mmacs=39816.5),
)
# fmt: on


# --------------------------------------------------------------------------- position embedding resampling
def encoder_block(x, row, index, dropout_rate, attention_dropout_rate, drop_path_rate):
    """One pre-norm Transformer encoder block (timm `Block`, torchvision `EncoderBlock`)."""
    names = row.names
    prefix = names.block.format(i=index)

    def name(suffix):
        return f"{prefix}_{suffix}"

    y = layers.LayerNormalization(epsilon=LN_EPSILON, name=name(names.norm1))(x)
    attention = MultiHeadSelfAttention(
        row.num_heads, row.hidden_dim, dropout=attention_dropout_rate, name=name(names.attention)
    )
    y = attention(y)
    if dropout_rate:
        y = layers.Dropout(dropout_rate, name=name(names.attention_dropout))(y)
    if drop_path_rate:
        y = drop_path(y, drop_path_rate, name=name("drop_path1"))
    x = layers.Add(name=name("add1"))([x, y])

    y = layers.LayerNormalization(epsilon=LN_EPSILON, name=name(names.norm2))(x)
    y = layers.Dense(row.mlp_dim, name=name(names.fc1))(y)
    y = layers.Activation("gelu", name=name("mlp_act"))(y)  # exact (erf) GELU, as nn.GELU()
    if dropout_rate:
        y = layers.Dropout(dropout_rate, name=name(names.mlp_dropout1))(y)
    y = layers.Dense(row.hidden_dim, name=name(names.fc2))(y)
    if dropout_rate:
        y = layers.Dropout(dropout_rate, name=name(names.mlp_dropout2))(y)
    if drop_path_rate:
        y = drop_path(y, drop_path_rate, name=name("drop_path2"))
    return layers.Add(name=name("add2"))([x, y])


def _features(x, row, args):
    names = row.names
    height, width = x.shape[1], x.shape[2]
    patch = row.patch_size
    if height % patch or width % patch:
        # The reference's strided conv would silently drop the pixels past the last whole patch.
        raise ValueError(
            f"input_shape ({height}, {width}, ...): ViT cuts the image into {patch}x{patch} patches, so height "
            f"and width must be multiples of {patch} (nearest: {max(patch, height // patch * patch)}x"
            f"{max(patch, width // patch * patch)}); resize or crop the images to such a size"
        )
    grid = (height // patch, width // patch)
    # Patch embedding: a PxP stride-P conv with bias, then patches in row-major order.
    x = layers.Conv2D(row.hidden_dim, row.patch_size, strides=row.patch_size, name=names.patch)(x)
    x = layers.Reshape((grid[0] * grid[1], row.hidden_dim), name="patch_tokens")(x)
    x = ClassToken(row.hidden_dim, name=names.class_token)(x)
    x = LearnedPositionEmbedding(grid=grid, name=names.position)(x)
    if args.dropout_rate:
        x = layers.Dropout(args.dropout_rate, name=names.position_dropout)(x)
    for i in range(row.depth):
        # timm's stochastic depth: rates grow linearly from 0 to drop_path_rate over the blocks.
        rate = args.drop_path_rate * i / max(row.depth - 1, 1)
        x = encoder_block(x, row, i, args.dropout_rate, args.attention_dropout_rate, rate)
    return layers.LayerNormalization(epsilon=LN_EPSILON, name=names.norm)(x)


def _head(x, classes, row):
    # The class token (position 0) after the final norm: x[:, 0].
    x = layers.Cropping1D((0, x.shape[1] - 1), name="class_token_pool")(x)
    x = layers.Flatten(name="class_token_flatten")(x)
    return layers.Dense(classes, name=row.names.head)(x)


def _build(row, spec, args):
    return assemble(
        spec,
        args,
        functools.partial(_features, row=row, args=args),
        functools.partial(_head, row=row),
        fixed_size=True,  # the position embedding has one vector per patch
    )


_SIZE_NAMES = {192: "Tiny", 384: "Small", 768: "Base", 1024: "Large"}


def _doc(row: ViTRow):
    return (
        f"ViT-{_SIZE_NAMES[row.hidden_dim]}/{row.patch_size}: {row.depth} pre-norm encoder blocks of width "
        f"{row.hidden_dim} with {row.num_heads} heads on {row.patch_size}x{row.patch_size} patches, "
        "classified from the class token. Inputs of other sizes (multiples of the patch size) get a "
        "position embedding of their own length."
    )


def _stages(row: ViTRow):
    # No resolution stages: every block's output is a feature stage (timm's feature_info), and the
    # final norm's output is the feature sequence that include_top=False returns.
    return tuple(f"{row.names.block.format(i=i)}_add2" for i in range(row.depth)) + (row.names.norm,)


register_family(
    VARIANTS,
    _build,
    options={"dropout_rate": 0.0, "attention_dropout_rate": 0.0, "drop_path_rate": 0.0},
    doc=_doc,
    family="vit",
    head_modules=lambda row: ("head",) if row.names is TIMM else ("heads",),
    default_size=224,
    # Two 16-pixel patches a side (one for /32): the smallest build the generic tests keep cheap.
    min_size=32,
    # timm's reference weights expect [-1, 1] inputs; torchvision's the ImageNet statistics.
    mean=lambda row: INCEPTION_MEAN if row.names is TIMM else IMAGENET_MEAN,
    std=lambda row: INCEPTION_STD if row.names is TIMM else IMAGENET_STD,
    stages=_stages,
)
