"""SqueezeExcite, EfficientChannelAttention, CBAM and SplitAttention against NumPy and timm/torchvision."""

import keras
import numpy as np
import pytest

from keras_classics.layers import CBAM, EfficientChannelAttention, SplitAttention, SqueezeExcite

RNG = np.random.default_rng(0)


def _np(t):
    return keras.ops.convert_to_numpy(t)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _dense(conv):
    """A 1x1 conv's kernel as a (in, out) matrix, and its bias."""
    kernel = _np(conv.kernel)
    return kernel.reshape(kernel.shape[-2], kernel.shape[-1]), _np(conv.bias)


def _randomize(layer, scale=0.5):
    """Non-zero biases too, so every term is exercised (BatchNorms: `_randomize_bn`)."""
    layer.set_weights([RNG.normal(scale=scale, size=w.shape).astype("float32") for w in layer.get_weights()])


def _randomize_bn(bn):
    c = bn.gamma.shape[0]
    bn.set_weights([
        RNG.uniform(0.5, 1.5, c).astype("float32"),
        RNG.normal(scale=0.2, size=c).astype("float32"),
        RNG.normal(scale=0.2, size=c).astype("float32"),
        RNG.uniform(0.5, 1.5, c).astype("float32"),
    ])


def _torch_conv_to_keras(conv):
    """A torch Conv2d's (out, in / groups, kh, kw) weight and bias as Keras (kh, kw, in / groups, out) weights."""
    return [conv.weight.detach().numpy().transpose(2, 3, 1, 0)] + (
        [conv.bias.detach().numpy()] if conv.bias is not None else []
    )


def _torch_bn_to_keras(bn):
    return [t.detach().numpy() for t in (bn.weight, bn.bias, bn.running_mean, bn.running_var)]


def _bn_numpy(z, bn):
    gamma, beta, mean, var = bn.get_weights()
    return (z - mean) / np.sqrt(var + bn.epsilon) * gamma + beta


# ---------------------------------------------------------------------------------------------- SE


_ACT = {
    "relu": lambda z: np.maximum(z, 0.0),
    "silu": lambda z: z * _sigmoid(z),
    "sigmoid": _sigmoid,
    "hard_sigmoid": lambda z: np.clip(z + 3.0, 0.0, 6.0) / 6.0,
}


@pytest.mark.parametrize("activation, gate", [("relu", "sigmoid"), ("silu", "sigmoid"), ("relu", "hard_sigmoid")])
def test_squeeze_excite_matches_numpy(activation, gate):
    x = RNG.normal(size=(2, 5, 4, 32)).astype("float32")
    layer = SqueezeExcite(reduction=4, activation=activation, gate=gate)
    layer.build(x.shape)
    _randomize(layer)
    w1, b1 = _dense(layer.fc1)
    w2, b2 = _dense(layer.fc2)
    assert w1.shape == (32, 8)
    s = _ACT[activation](x.mean(axis=(1, 2)) @ w1 + b1)
    s = _ACT[gate](s @ w2 + b2)
    np.testing.assert_allclose(_np(layer(x)), x * s[:, None, None, :], rtol=1e-5, atol=1e-5)


def test_squeeze_excite_width():
    for kwargs, channels, expected in [
        (dict(squeeze_channels=5, reduction=4), 32, 5),
        (dict(reduction=16), 48, 3),
        (dict(reduction=16), 8, 1),
        (dict(reduction=4, divisor=8), 40, 16),  # torchvision _make_divisible(10, 8) == 16
        (dict(reduction=4, divisor=8), 96, 24),
    ]:
        layer = SqueezeExcite(**kwargs)
        layer.build((None, 3, 3, channels))
        assert layer.fc1.filters == expected, (kwargs, channels)
        assert layer.fc2.filters == channels


def test_squeeze_excite_without_bias():
    layer = SqueezeExcite(reduction=4, use_bias=False)
    layer.build((None, 2, 2, 16))
    assert layer.fc1.bias is None and layer.count_params() == 16 * 4 * 2


@pytest.mark.parity
def test_squeeze_excite_matches_torchvision():
    torch = pytest.importorskip("torch")
    ops = pytest.importorskip("torchvision.ops")
    ref = ops.SqueezeExcitation(24, 8, activation=torch.nn.ReLU, scale_activation=torch.nn.Hardsigmoid).eval()
    layer = SqueezeExcite(squeeze_channels=8, gate="hard_sigmoid")
    layer.build((None, 4, 4, 24))
    for name in ("fc1", "fc2"):
        conv = getattr(ref, name)
        getattr(layer, name).set_weights(_torch_conv_to_keras(conv))
    x = RNG.normal(size=(2, 4, 4, 24)).astype("float32")
    with torch.no_grad():
        expected = ref(torch.from_numpy(x).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy()
    np.testing.assert_allclose(_np(layer(x)), expected, rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------------------------- ECA


@pytest.mark.parametrize("channels, k", [(64, 3), (256, 5), (512, 5), (1024, 5), (2048, 7)])
def test_eca_adaptive_kernel_size(channels, k):
    assert EfficientChannelAttention.adaptive_kernel_size(channels) == k
    layer = EfficientChannelAttention()
    layer.build((None, 1, 1, channels))
    assert layer.conv.kernel_size == (k,)
    assert layer.count_params() == k


@pytest.mark.parametrize("kernel_size", [None, 3, 7])
def test_eca_matches_numpy(kernel_size):
    x = RNG.normal(size=(2, 3, 3, 64)).astype("float32")
    layer = EfficientChannelAttention(kernel_size=kernel_size)
    layer.build(x.shape)
    _randomize(layer)
    w = _np(layer.conv.kernel)[:, 0, 0]
    k = w.shape[0]
    y = np.pad(x.mean(axis=(1, 2)), ((0, 0), ((k - 1) // 2, (k - 1) // 2)))
    conv = np.stack([(y[:, c : c + k] * w).sum(-1) for c in range(64)], axis=-1)
    np.testing.assert_allclose(_np(layer(x)), x * _sigmoid(conv)[:, None, None, :], rtol=1e-5, atol=1e-6)


@pytest.mark.parity
def test_eca_matches_timm():
    torch = pytest.importorskip("torch")
    eca = pytest.importorskip("timm.layers.eca")
    ref = eca.EcaModule(channels=256).eval()
    layer = EfficientChannelAttention()
    layer.build((None, 2, 2, 256))
    layer.conv.set_weights([ref.conv.weight.detach().numpy().transpose(2, 1, 0)])
    x = RNG.normal(size=(2, 2, 2, 256)).astype("float32")
    with torch.no_grad():
        expected = ref(torch.from_numpy(x).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy()
    np.testing.assert_allclose(_np(layer(x)), expected, rtol=1e-5, atol=1e-6)


# -------------------------------------------------------------------------------------------- CBAM


def _conv_same_numpy(x, kernel):
    """Stride-1 'same' convolution of (B, H, W, Cin) with (k, k, Cin, 1), zero padding (k - 1) // 2."""
    k = kernel.shape[0]
    p = (k - 1) // 2
    xp = np.pad(x, ((0, 0), (p, p), (p, p), (0, 0)))
    h, w = x.shape[1:3]
    out = np.zeros(x.shape[:3] + (1,))
    for i in range(k):
        for j in range(k):
            out += xp[:, i : i + h, j : j + w, :] @ kernel[i, j]
    return out


def test_cbam_matches_numpy():
    x = RNG.normal(size=(2, 9, 8, 32)).astype("float32")
    layer = CBAM(reduction=16)
    layer.build(x.shape)
    _randomize(layer)
    _randomize_bn(layer.spatial_bn)
    w1, b1 = _dense(layer.fc1)
    w2, b2 = _dense(layer.fc2)

    def mlp(v):
        return np.maximum(v @ w1 + b1, 0.0) @ w2 + b2

    y = x * _sigmoid(mlp(x.mean(axis=(1, 2))) + mlp(x.max(axis=(1, 2))))[:, None, None, :]
    pooled = np.concatenate([y.mean(-1, keepdims=True), y.max(-1, keepdims=True)], axis=-1)
    s = _bn_numpy(_conv_same_numpy(pooled, _np(layer.spatial_conv.kernel)), layer.spatial_bn)
    np.testing.assert_allclose(_np(layer(x, training=False)), y * _sigmoid(s), rtol=1e-4, atol=1e-5)


def test_cbam_parameter_count():
    layer = CBAM(reduction=16, spatial_kernel_size=7)
    layer.build((None, 4, 4, 64))
    # MLP 64 -> 4 -> 64 with biases, 7x7x2 spatial conv, BatchNorm gamma/beta.
    trainable = sum(int(np.prod(w.shape)) for w in layer.trainable_weights)
    assert trainable == (64 * 4 + 4) + (4 * 64 + 64) + 7 * 7 * 2 + 2
    assert layer.spatial_bn.epsilon == 1e-5 and layer.spatial_bn.momentum == 0.9


@pytest.mark.parity
def test_cbam_matches_timm():
    torch = pytest.importorskip("torch")
    cbam = pytest.importorskip("timm.layers.cbam")
    ref = cbam.CbamModule(32, rd_ratio=1 / 16, mlp_bias=True, spatial_kernel_size=7)
    with torch.no_grad():
        for p in ref.parameters():
            p.normal_(std=0.5)
        bn = ref.spatial.conv.bn
        bn.running_mean.normal_(std=0.2)
        bn.running_var.uniform_(0.5, 1.5)
    ref.eval()
    layer = CBAM(reduction=16)
    layer.build((None, 6, 6, 32))
    for name in ("fc1", "fc2"):
        conv = getattr(ref.channel, name)
        getattr(layer, name).set_weights(_torch_conv_to_keras(conv))
    layer.spatial_conv.set_weights([ref.spatial.conv.conv.weight.detach().numpy().transpose(2, 3, 1, 0)])
    layer.spatial_bn.set_weights(_torch_bn_to_keras(bn))
    x = RNG.normal(size=(2, 6, 6, 32)).astype("float32")
    with torch.no_grad():
        expected = ref(torch.from_numpy(x).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy()
    np.testing.assert_allclose(_np(layer(x, training=False)), expected, rtol=1e-4, atol=1e-5)


# --------------------------------------------------------------------------------- split attention


def test_split_attention_shapes_and_widths():
    layer = SplitAttention(64, groups=2, radix=2)
    out = layer(np.zeros((1, 5, 5, 64), "float32"))
    assert tuple(out.shape) == (1, 5, 5, 64)
    assert layer.conv.filters == 128 and layer.conv.groups == 4
    assert layer.fc1.filters == 32 and layer.fc1.groups == 2  # make_divisible(64 * 2 * 0.25, 8, 32)
    assert layer.fc2.filters == 128
    strided = SplitAttention(16, strides=2)
    assert tuple(strided(np.zeros((1, 7, 7, 16), "float32")).shape) == (1, 4, 4, 16)
    assert strided.compute_output_shape((None, 7, 7, 16)) == (None, 4, 4, 16)


def test_split_attention_bad_channels():
    with pytest.raises(ValueError, match="groups \\* radix"):
        SplitAttention(16, groups=2, radix=2)(np.zeros((1, 4, 4, 6), "float32"))


@pytest.mark.parity
@pytest.mark.parametrize(
    "in_ch, filters, kernel_size, strides, groups, radix",
    [(16, 16, 3, 1, 1, 2), (16, 32, 3, 2, 2, 2), (12, 8, 3, 1, 1, 1), (16, 16, 3, 2, 1, 4), (16, 16, 2, 1, 1, 2)],
)
def test_split_attention_matches_timm(in_ch, filters, kernel_size, strides, groups, radix):
    torch = pytest.importorskip("torch")
    split_attn = pytest.importorskip("timm.layers.split_attn")
    ref = split_attn.SplitAttn(
        in_ch, filters, kernel_size=kernel_size, stride=strides, groups=groups, radix=radix,
        norm_layer=torch.nn.BatchNorm2d,
    )
    with torch.no_grad():
        for p in ref.parameters():
            p.normal_(std=0.3)
        for bn in (ref.bn0, ref.bn1):
            bn.running_mean.normal_(std=0.2)
            bn.running_var.uniform_(0.5, 1.5)
    ref.eval()
    layer = SplitAttention(filters, kernel_size=kernel_size, strides=strides, groups=groups, radix=radix)
    x = RNG.normal(size=(2, 9, 9, in_ch)).astype("float32")
    layer.build(x.shape)
    for name in ("conv", "fc1", "fc2"):
        getattr(layer, name).set_weights(_torch_conv_to_keras(getattr(ref, name)))
    for name in ("bn0", "bn1"):
        bn = getattr(ref, name)
        getattr(layer, name).set_weights(_torch_bn_to_keras(bn))
    with torch.no_grad():
        expected = ref(torch.from_numpy(x).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy()
    out = _np(layer(x, training=False))
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)


# --------------------------------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    "factory, argument",
    [
        (lambda: SqueezeExcite(activation="gelu"), "activation"),
        (lambda: SqueezeExcite(gate="tanh"), "gate"),
        (lambda: SqueezeExcite(reduction=0), "reduction"),
        (lambda: SqueezeExcite(squeeze_channels=0), "squeeze_channels"),
        (lambda: EfficientChannelAttention(kernel_size=4), "kernel_size"),
        (lambda: EfficientChannelAttention(gamma=0), "gamma"),
        (lambda: CBAM(reduction=0), "reduction"),
        (lambda: CBAM(spatial_kernel_size=6), "spatial_kernel_size"),
        (lambda: SplitAttention(0), "filters"),
        (lambda: SplitAttention(16, radix=0), "radix"),
        (lambda: SplitAttention(15, groups=2), "filters"),
        (lambda: SplitAttention(16, rd_ratio=0), "rd_ratio"),
    ],
)
def test_bad_arguments(factory, argument):
    with pytest.raises(ValueError, match=argument):
        factory()


def _torch_multiply_adds(module, shape):
    """Multiply-adds of one image through a torch module, by torch's own FLOP counter (2 FLOPs per MAC)."""
    torch = pytest.importorskip("torch")
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        module.eval()(torch.zeros(1, shape[-1], *shape[:2]))
    return counter.get_total_flops() // 2


@pytest.mark.parity
@pytest.mark.parametrize("kind", ["se", "eca", "cbam"])
def test_attention_macs_equal_torchs_flop_counter(kind):
    # What `analysis.count_macs` adds for each attention module, against torch's count of the reference module.
    pytest.importorskip("timm")
    import torchvision
    from timm.layers.cbam import CbamModule
    from timm.layers.eca import EcaModule

    shape = (7, 9, 256)
    layer, reference = {
        "se": (SqueezeExcite(reduction=16), lambda: torchvision.ops.SqueezeExcitation(256, 16)),
        "eca": (EfficientChannelAttention(), lambda: EcaModule(channels=256)),
        "cbam": (CBAM(reduction=16), lambda: CbamModule(256, rd_ratio=1 / 16, mlp_bias=True)),
    }[kind]
    layer.build((None, *shape))
    assert layer.count_macs(shape) == _torch_multiply_adds(reference(), shape)
