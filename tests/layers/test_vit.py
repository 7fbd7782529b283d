"""ViT layers against NumPy formulas and PyTorch's nn.MultiheadAttention."""

import keras
import numpy as np
import pytest

from keras_classics.layers import (
    ClassToken,
    LearnedPositionEmbedding,
    MultiHeadSelfAttention,
    ScaledDotProductAttention,
    SinusoidalPositionEmbedding,
)

RNG = np.random.default_rng(0)


def _np(t):
    return keras.ops.convert_to_numpy(t)


def _softmax(z):
    z = z - z.max(-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(-1, keepdims=True)


# --------------------------------------------------------------------------------- embeddings


def test_class_token():
    x = RNG.normal(size=(3, 4, 5)).astype("float32")
    layer = ClassToken(5)
    layer.build(x.shape)
    assert layer.cls_token.name == "cls_token" and tuple(layer.cls_token.shape) == (1, 1, 5)
    assert not _np(layer.cls_token).any()  # zeros init
    token = RNG.normal(size=(1, 1, 5)).astype("float32")
    layer.cls_token.assign(token)
    out = _np(layer(x))
    np.testing.assert_array_equal(out, np.concatenate([np.repeat(token, 3, axis=0), x], axis=1))
    with pytest.raises(ValueError, match="hidden_dim=6"):
        ClassToken(6)(x)


def test_learned_position_embedding():
    x = RNG.normal(size=(2, 197, 64)).astype("float32")
    layer = LearnedPositionEmbedding()
    out = _np(layer(x))
    w = _np(layer.pos_embedding)
    assert layer.pos_embedding.name == "pos_embedding" and w.shape == (1, 197, 64)
    np.testing.assert_allclose(out, x + w, rtol=1e-6)
    assert 0.015 < w.std() < 0.025 and np.abs(w).max() <= 0.04 + 1e-6  # truncated normal, std 0.02
    with pytest.raises(ValueError, match="num_tokens"):
        LearnedPositionEmbedding(num_tokens=10)(x)


@pytest.mark.parametrize("tokens, dim", [(7, 6), (5, 5)])
def test_sinusoidal_matches_formula(tokens, dim):
    x = RNG.normal(size=(2, tokens, dim)).astype("float32")
    pe = np.zeros((tokens, dim))
    for pos in range(tokens):
        for j in range(dim):
            i = j // 2
            angle = pos / 10000 ** (2 * i / dim)
            pe[pos, j] = np.sin(angle) if j % 2 == 0 else np.cos(angle)
    np.testing.assert_allclose(_np(SinusoidalPositionEmbedding()(x)), x + pe, rtol=1e-5, atol=1e-5)


def test_sinusoidal_unknown_length():
    inputs = keras.Input((None, 4))
    model = keras.Model(inputs, SinusoidalPositionEmbedding()(inputs))
    out = _np(model(np.zeros((1, 3, 4), "float32")))
    np.testing.assert_allclose(out[0, 2], [np.sin(2), np.cos(2), np.sin(0.02), np.cos(0.02)], rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------------- attention


def test_scaled_dot_product_attention_matches_numpy():
    q = RNG.normal(size=(2, 3, 5, 8)).astype("float32")
    k = RNG.normal(size=(2, 3, 6, 8)).astype("float32")
    v = RNG.normal(size=(2, 3, 6, 4)).astype("float32")
    layer = ScaledDotProductAttention()
    expected = _softmax(q @ k.swapaxes(-1, -2) / np.sqrt(8)) @ v
    np.testing.assert_allclose(_np(layer(q, k, v)), expected, rtol=1e-5, atol=1e-5)
    mask = RNG.uniform(size=(2, 1, 5, 6)) > 0.3
    mask[..., 0] = True  # every query sees at least one key
    logits = np.where(mask, q @ k.swapaxes(-1, -2) / np.sqrt(8), -np.inf)
    np.testing.assert_allclose(_np(layer(q, k, v, mask=mask)), _softmax(logits) @ v, rtol=1e-5, atol=1e-5)


def test_scaled_dot_product_attention_dropout():
    q = k = RNG.normal(size=(1, 4, 8)).astype("float32")
    v = RNG.normal(size=(1, 4, 8)).astype("float32")
    layer = ScaledDotProductAttention(dropout=0.5)
    np.testing.assert_allclose(_np(layer(q, k, v)), _np(ScaledDotProductAttention()(q, k, v)), rtol=1e-6)
    assert not np.allclose(_np(layer(q, k, v, training=True)), _np(layer(q, k, v)))


def _mhsa_numpy(x, layer):
    wqkv, bqkv, wo, bo = (_np(w) for w in layer.weights)
    b, n, d = x.shape
    h = layer.num_heads
    qkv = (x @ wqkv + bqkv).reshape(b, n, 3, h, d // h).transpose(2, 0, 3, 1, 4)
    attn = _softmax(qkv[0] @ qkv[1].swapaxes(-1, -2) / np.sqrt(d // h)) @ qkv[2]
    return attn.transpose(0, 2, 1, 3).reshape(b, n, d) @ wo + bo


def test_multi_head_self_attention_matches_numpy():
    x = RNG.normal(size=(2, 5, 12)).astype("float32")
    layer = MultiHeadSelfAttention(num_heads=3, hidden_dim=12)
    layer.build(x.shape)
    layer.set_weights([RNG.normal(scale=0.3, size=w.shape).astype("float32") for w in layer.get_weights()])
    assert [w.path for w in layer.weights][0].endswith("qkv/kernel") and tuple(layer.qkv.kernel.shape) == (12, 36)
    np.testing.assert_allclose(_np(layer(x)), _mhsa_numpy(x, layer), rtol=1e-4, atol=1e-5)


@pytest.mark.parity
def test_multi_head_self_attention_matches_torch():
    torch = pytest.importorskip("torch")
    ref = torch.nn.MultiheadAttention(12, 4, batch_first=True).eval()
    with torch.no_grad():
        for p in ref.parameters():
            p.normal_(std=0.3)
    layer = MultiHeadSelfAttention(num_heads=4, hidden_dim=12)
    x = RNG.normal(size=(2, 5, 12)).astype("float32")
    layer.build(x.shape)
    layer.qkv.set_weights([ref.in_proj_weight.detach().numpy().T, ref.in_proj_bias.detach().numpy()])
    layer.proj.set_weights([ref.out_proj.weight.detach().numpy().T, ref.out_proj.bias.detach().numpy()])
    t = torch.from_numpy(x)
    with torch.no_grad():
        expected = ref(t, t, t, need_weights=False)[0].numpy()
        # torch's boolean attn_mask is True where attention is *not* allowed; ours is the opposite.
        blocked = torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1)
        expected_masked = ref(t, t, t, attn_mask=blocked, need_weights=False)[0].numpy()
    np.testing.assert_allclose(_np(layer(x)), expected, rtol=1e-4, atol=1e-5)
    causal = ~blocked.numpy()
    np.testing.assert_allclose(_np(layer(x, attention_mask=causal[None])), expected_masked, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    "factory, argument",
    [
        (lambda: MultiHeadSelfAttention(num_heads=5, hidden_dim=12), "hidden_dim"),
        (lambda: MultiHeadSelfAttention(num_heads=0, hidden_dim=12), "num_heads"),
        (lambda: ScaledDotProductAttention(dropout=1.0), "dropout"),
        (lambda: ClassToken(0), "hidden_dim"),
        (lambda: LearnedPositionEmbedding(num_tokens=0), "num_tokens"),
        (lambda: SinusoidalPositionEmbedding(max_wavelength=0), "max_wavelength"),
    ],
)
def test_bad_arguments(factory, argument):
    with pytest.raises(ValueError, match=argument):
        factory()
