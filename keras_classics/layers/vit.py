"""Vision Transformer pieces: class token, position embeddings and self-attention (the patch embedding is
a plain conv and reshape in `models/vit.py`).

Sublayer and variable names follow timm's `VisionTransformer` (`cls_token`, `attn.qkv`,
`attn.proj`) and torchvision's `pos_embedding` (timm: `pos_embed`), so imported weights map onto them
directly. Softmax runs in float32 under a mixed precision policy.
"""

import math

import numpy as np

import keras
from keras import ops


def _check_positive_int(name, value):
    if int(value) != value or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


def _dim(x, axis):
    """Static size of `x` along `axis` when known, else the dynamic one."""
    return x.shape[axis] if x.shape[axis] is not None else ops.shape(x)[axis]


@keras.saving.register_keras_serializable(package="keras_classics")
class ClassToken(keras.layers.Layer):
    """Prepends a learned class token to a `(B, N, D)` sequence, giving `(B, N + 1, D)`.

    The token is the variable `cls_token` of shape `(1, 1, D)`, initialized to zeros (as torchvision and timm).

    Args:
        hidden_dim: token width D; must equal the input's last dimension.

    Example:
        >>> import numpy as np
        >>> tuple(ClassToken(hidden_dim=8)(np.ones((2, 4, 8), "float32")).shape)
        (2, 5, 8)

    Reference:
        Dosovitskiy et al., "An Image is Worth 16x16 Words", ICLR 2021 (after BERT's [class] token).
    """

    def __init__(self, hidden_dim, **kwargs):
        super().__init__(**kwargs)
        self.hidden_dim = _check_positive_int("hidden_dim", hidden_dim)

    def build(self, input_shape):
        if len(input_shape) != 3 or input_shape[-1] != self.hidden_dim:
            raise ValueError(
                f"ClassToken expects (batch, tokens, hidden_dim={self.hidden_dim}) inputs; got {input_shape}"
            )
        self.cls_token = self.add_weight(shape=(1, 1, self.hidden_dim), initializer="zeros", name="cls_token")

    def call(self, inputs):
        x = ops.cast(inputs, self.compute_dtype)
        token = ops.broadcast_to(ops.cast(self.cls_token, x.dtype), (ops.shape(x)[0], 1, self.hidden_dim))
        return ops.concatenate([token, x], axis=1)

    def compute_output_shape(self, input_shape):
        n = None if input_shape[1] is None else input_shape[1] + 1
        return (input_shape[0], n, input_shape[2])

    def get_config(self):
        return {**super().get_config(), "hidden_dim": self.hidden_dim}


# ------------------------------------------------- resampling a position embedding to another grid
def _cubic(x, a=-0.5):
    """Keys' cubic convolution kernel; a=-0.5 is what PyTorch's antialiased bicubic (and PIL) use."""
    x = np.abs(x)
    return np.where(
        x < 1.0,
        ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0,
        np.where(x < 2.0, (((x - 5.0) * x + 8.0) * x - 4.0) * a, 0.0),
    )


def _resize_matrix(in_size, out_size):
    """(out, in) weights of torch's `interpolate(mode="bicubic", antialias=True, align_corners=False)`.

    The kernel is stretched by the scale when shrinking (antialiasing), truncated at the border and
    renormalized there, exactly as ATen's separable antialiased kernel (`_compute_indices_weights_aa`).
    """
    scale = in_size / out_size
    support = 2.0 * scale if scale >= 1.0 else 2.0
    inv_scale = 1.0 / scale if scale >= 1.0 else 1.0
    matrix = np.zeros((out_size, in_size), np.float64)
    for i in range(out_size):
        center = scale * (i + 0.5)
        lo = max(int(center - support + 0.5), 0)
        hi = min(int(center + support + 0.5), in_size)
        taps = np.arange(lo, hi)
        weights = _cubic((taps - center + 0.5) * inv_scale)
        total = weights.sum()
        matrix[i, lo:hi] = weights / total if total != 0 else weights
    return matrix


def resample_position_embedding(pos, new_grid, num_prefix_tokens=1, old_grid=None):
    """Interpolates a learned position embedding to another patch grid (for another input size).

    The prefix (class) tokens are kept; the grid tokens are resized bicubically with antialiasing, which
    is timm's `resample_abs_pos_embed` (and so what timm does when it loads weights at another size).

    Args:
        pos: array of shape (1, num_prefix_tokens + h * w, D) or (num_prefix_tokens + h * w, D).
        new_grid: target grid as an int (square) or (rows, cols).
        num_prefix_tokens: leading tokens that are not on the grid (1: the class token).
        old_grid: the source grid (rows, cols); default: the square grid the token count implies.

    Returns:
        float array of shape (1, num_prefix_tokens + rows * cols, D) in `pos`'s dtype (rank kept).

    Example:
        >>> import numpy as np
        >>> pos = np.random.default_rng(0).normal(size=(1, 1 + 14 * 14, 8)).astype("float32")
        >>> resample_position_embedding(pos, 24).shape
        (1, 577, 8)
        >>> bool(np.array_equal(resample_position_embedding(pos, (14, 14)), pos))
        True
    """
    pos = np.asarray(pos)
    squeeze = pos.ndim == 2
    if squeeze:
        pos = pos[None]
    if pos.ndim != 3 or pos.shape[0] != 1:
        raise ValueError(f"pos must have shape (1, tokens, dim) or (tokens, dim); got {pos.shape}")
    rows, cols = (new_grid, new_grid) if isinstance(new_grid, int) else tuple(new_grid)
    prefix, grid = pos[:, :num_prefix_tokens], pos[:, num_prefix_tokens:]
    if old_grid is None:
        side = math.isqrt(grid.shape[1])
        if side * side != grid.shape[1]:
            raise ValueError(f"{grid.shape[1]} grid tokens are not a square grid; pass old_grid=(rows, cols)")
        old_grid = (side, side)
    old_rows, old_cols = old_grid
    if old_rows * old_cols != grid.shape[1]:
        raise ValueError(f"old_grid {old_grid} does not hold {grid.shape[1]} tokens")
    if (old_rows, old_cols) == (rows, cols):
        return pos[0] if squeeze else pos
    dim = grid.shape[-1]
    field = grid.reshape(old_rows, old_cols, dim).astype(np.float64)
    field = np.einsum("ri,ijd->rjd", _resize_matrix(old_rows, rows), field)
    field = np.einsum("cj,rjd->rcd", _resize_matrix(old_cols, cols), field)
    out = np.concatenate([prefix, field.reshape(1, rows * cols, dim).astype(pos.dtype)], axis=1)
    return out[0] if squeeze else out



@keras.saving.register_keras_serializable(package="keras_classics")
class LearnedPositionEmbedding(keras.layers.Layer):
    """Adds a learned position embedding `pos_embedding` of shape `(1, N, D)` to a `(B, N, D)` sequence.

    Initialized from a normal distribution truncated at two standard deviations, std 0.02 (timm's
    `trunc_normal_(std=.02)`). N and D come from the input shape when the layer is built.

    Args:
        num_tokens: N, or None to take it from the input; when given, the input must have N tokens.
        grid: (rows, cols) of the patch grid, when the tokens are patches after some prefix (class)
            tokens. Importing reference weights stored for another grid then resamples them
            (`resample_reference`, bicubic as timm's `resample_abs_pos_embed`).

    Example:
        >>> import numpy as np
        >>> layer = LearnedPositionEmbedding()
        >>> tuple(layer(np.zeros((2, 5, 8), "float32")).shape), tuple(layer.pos_embedding.shape)
        ((2, 5, 8), (1, 5, 8))

    Reference:
        Dosovitskiy et al., "An Image is Worth 16x16 Words", ICLR 2021 (section 3.1).
    """

    def __init__(self, num_tokens=None, grid=None, **kwargs):
        super().__init__(**kwargs)
        self.num_tokens = None if num_tokens is None else _check_positive_int("num_tokens", num_tokens)
        self.grid = None if grid is None else tuple(_check_positive_int("grid", g) for g in grid)

    def resample_reference(self, array, shape):
        """A reference embedding for another grid, resampled to this layer's `shape`."""
        if self.grid is None:
            raise ValueError(f"{self.name}: position embedding of shape {array.shape} does not fit {shape} and no grid is known")
        rows, cols = self.grid
        return resample_position_embedding(array, self.grid, num_prefix_tokens=shape[1] - rows * cols)

    def build(self, input_shape):
        if len(input_shape) != 3 or input_shape[-1] is None:
            raise ValueError(f"LearnedPositionEmbedding expects (batch, tokens, dim) inputs; got {input_shape}")
        n = input_shape[1] if self.num_tokens is None else self.num_tokens
        if n is None:
            raise ValueError("LearnedPositionEmbedding needs a known number of tokens: pass num_tokens")
        if input_shape[1] is not None and input_shape[1] != n:
            raise ValueError(f"num_tokens is {n} but the input has {input_shape[1]} tokens")
        self.pos_embedding = self.add_weight(
            shape=(1, n, input_shape[-1]),
            initializer=keras.initializers.TruncatedNormal(stddev=0.02),
            name="pos_embedding",
        )

    def call(self, inputs):
        x = ops.cast(inputs, self.compute_dtype)
        return x + ops.cast(self.pos_embedding, x.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens, "grid": self.grid}


@keras.saving.register_keras_serializable(package="keras_classics")
class SinusoidalPositionEmbedding(keras.layers.Layer):
    """Adds the fixed sinusoidal position encoding of the Transformer to a `(B, N, D)` sequence.

    `PE[pos, 2i] = sin(pos / max_wavelength ** (2i / D))`, `PE[pos, 2i + 1] = cos(pos / max_wavelength ** (2i / D))`,
    computed in float32 for any N (no weights).

    Args:
        max_wavelength: the base, 10000 in the paper.

    Example:
        >>> import numpy as np
        >>> out = SinusoidalPositionEmbedding()(np.zeros((1, 3, 4), "float32"))
        >>> [round(float(v), 3) for v in out[0, 1]]  # sin(1), cos(1), sin(0.01), cos(0.01)
        [0.841, 0.54, 0.01, 1.0]

    Reference:
        Vaswani et al., "Attention Is All You Need", NeurIPS 2017 (section 3.5).
    """

    def __init__(self, max_wavelength=10000, **kwargs):
        super().__init__(**kwargs)
        if max_wavelength <= 0:
            raise ValueError(f"max_wavelength must be positive; got {max_wavelength!r}")
        self.max_wavelength = max_wavelength

    def call(self, inputs):
        x = ops.cast(inputs, self.compute_dtype)
        dim = x.shape[-1]
        positions = ops.cast(ops.arange(_dim(x, 1)), "float32")[:, None]
        index = ops.arange(dim)
        exponent = ops.cast(2 * (index // 2), "float32") / float(dim)
        angles = positions / ops.power(float(self.max_wavelength), exponent)[None, :]
        encoding = ops.where(ops.equal(index % 2, 0)[None, :], ops.sin(angles), ops.cos(angles))
        return x + ops.cast(encoding, x.dtype)[None]

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "max_wavelength": self.max_wavelength}


@keras.saving.register_keras_serializable(package="keras_classics")
class ScaledDotProductAttention(keras.layers.Layer):
    """`softmax(Q K^T / sqrt(d)) V`, with an optional mask and dropout on the attention weights.

    `call(query, key, value, mask=None)` takes `(..., Lq, d)`, `(..., Lk, d)` and `(..., Lk, dv)` tensors and
    returns `(..., Lq, dv)`. `mask` is boolean, broadcastable to `(..., Lq, Lk)`, True where a query may
    attend (the Keras convention; PyTorch's boolean `attn_mask` is the opposite). The query is scaled before
    the product and the softmax runs in float32.

    Args:
        dropout: dropout rate on the attention weights (training only).

    Example:
        >>> import numpy as np
        >>> q = k = np.zeros((1, 2, 4), "float32")
        >>> v = np.array([[[1.0], [3.0]]], "float32")
        >>> ScaledDotProductAttention()(q, k, v).numpy().ravel().tolist()  # uniform weights: the mean
        [2.0, 2.0]

    Reference:
        Vaswani et al., "Attention Is All You Need", NeurIPS 2017 (section 3.2.1).
    """

    def __init__(self, dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1); got {dropout!r}")
        self.dropout = float(dropout)
        self.attn_drop = keras.layers.Dropout(self.dropout, name="attn_drop", dtype=self.dtype_policy)
        self.supports_masking = True  # `mask` is consumed here (see `compute_mask`), not a Keras input mask

    def compute_mask(self, query, previous_mask=None):
        return None

    def call(self, query, key, value, mask=None, training=None):
        dtype = self.compute_dtype
        query, key, value = (ops.cast(t, dtype) for t in (query, key, value))
        query = query * ops.cast(1.0 / math.sqrt(query.shape[-1]), dtype)
        logits = ops.cast(ops.matmul(query, ops.swapaxes(key, -1, -2)), "float32")
        if mask is not None:
            logits = ops.where(ops.cast(mask, "bool"), logits, ops.cast(-1e9, "float32"))
        weights = ops.cast(ops.softmax(logits, axis=-1), dtype)
        return ops.matmul(self.attn_drop(weights, training=training), value)

    def compute_output_shape(self, query_shape, key_shape=None, value_shape=None):
        value_dim = query_shape[-1] if value_shape is None else value_shape[-1]
        return tuple(query_shape[:-1]) + (value_dim,)

    def get_config(self):
        return {**super().get_config(), "dropout": self.dropout}


@keras.saving.register_keras_serializable(package="keras_classics")
class MultiHeadSelfAttention(keras.layers.Layer):
    """Multi-head self-attention with one fused `qkv` projection, as in timm's ViT `Attention`.

    `qkv` (Dense 3D, bias) -> split into (3, heads, head_dim) in that order -> `ScaledDotProductAttention`
    per head -> heads concatenated -> `proj` (Dense D, bias). The fused kernel is the transpose of timm's
    `attn.qkv.weight` (3D, D) or of torch `nn.MultiheadAttention.in_proj_weight`, whose rows are q, k, v.
    `call(inputs, attention_mask=None)`: the optional boolean mask (True = attend) broadcasts to
    `(B, heads, N, N)`; a 3-D `(B, N, N)` mask applies to every head.

    Args:
        num_heads: number of heads; must divide `hidden_dim`.
        hidden_dim: model width D (the output width).
        dropout: dropout rate on the attention weights.

    Example:
        >>> import numpy as np
        >>> tuple(MultiHeadSelfAttention(num_heads=2, hidden_dim=8)(np.zeros((2, 5, 8), "float32")).shape)
        (2, 5, 8)

    Reference:
        Vaswani et al., "Attention Is All You Need", NeurIPS 2017; Dosovitskiy et al., ICLR 2021.
    """

    # torch `nn.MultiheadAttention` (torchvision's ViT) names the output projection `out_proj`.
    reference_aliases = {"out_proj": "proj"}

    def reference_weight_map(self, params):
        """Maps torch `nn.MultiheadAttention`'s fused `in_proj_weight`/`in_proj_bias` onto `qkv`."""
        out = []
        if "in_proj_weight" in params:
            out.append((self.qkv.kernel, params["in_proj_weight"].T, "in_proj_weight"))
        if "in_proj_bias" in params:
            out.append((self.qkv.bias, params["in_proj_bias"], "in_proj_bias"))
        return out

    def __init__(self, num_heads, hidden_dim, dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        self.num_heads = _check_positive_int("num_heads", num_heads)
        self.hidden_dim = _check_positive_int("hidden_dim", hidden_dim)
        if self.hidden_dim % self.num_heads:
            raise ValueError(
                f"hidden_dim must be divisible by num_heads; got hidden_dim={hidden_dim}, num_heads={num_heads}"
            )
        self.dropout = float(dropout)
        policy = self.dtype_policy
        self.qkv = keras.layers.Dense(3 * self.hidden_dim, name="qkv", dtype=policy)
        self.attention = ScaledDotProductAttention(self.dropout, name="attention", dtype=policy)
        self.proj = keras.layers.Dense(self.hidden_dim, name="proj", dtype=policy)

    def build(self, input_shape):
        if len(input_shape) != 3 or input_shape[-1] is None:
            raise ValueError(f"MultiHeadSelfAttention expects (batch, tokens, dim) inputs; got {input_shape}")
        self.qkv.build(input_shape)
        self.proj.build((None, None, self.hidden_dim))

    def call(self, inputs, attention_mask=None, training=None):
        x = ops.cast(inputs, self.compute_dtype)
        n = _dim(x, 1)
        head_dim = self.hidden_dim // self.num_heads
        qkv = ops.reshape(self.qkv(x), (-1, n, 3, self.num_heads, head_dim))
        qkv = ops.transpose(qkv, (2, 0, 3, 1, 4))
        if attention_mask is not None and len(attention_mask.shape) == 3:
            attention_mask = ops.expand_dims(attention_mask, 1)
        out = self.attention(qkv[0], qkv[1], qkv[2], mask=attention_mask, training=training)
        out = ops.reshape(ops.transpose(out, (0, 2, 1, 3)), (-1, n, self.hidden_dim))
        return self.proj(out)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[1], self.hidden_dim)

    def count_macs(self, input_shape):
        """Multiply-adds for one image (`analysis.layer_macs`): the `qkv` and `proj` projections per token.
        The attention products (QK^T, then the weights times V) are left out, as the reference tables
        (timm's counts, the ViT paper's) leave them out."""
        tokens, width = input_shape[0], input_shape[-1]
        return tokens * (width * 3 * self.hidden_dim + self.hidden_dim * self.hidden_dim)

    def get_config(self):
        return {
            **super().get_config(),
            "num_heads": self.num_heads,
            "hidden_dim": self.hidden_dim,
            "dropout": self.dropout,
        }
