"""blocks.pooling against torch.nn.functional (and a NumPy transcription of torch's max-pool, which needs no
torch): signed inputs, odd and even sides, padding and ceil_mode."""

import keras
import numpy as np
import pytest

from keras_classics.blocks.pooling import adaptive_avg_pool, avg_pool2d, max_pool2d

SIDES = [(7, 7), (8, 8), (7, 10), (6, 5)]

# (kernel, stride, padding, ceil_mode, exact on signed inputs). The signed cases marked False have a torch
# window with no centre inside the input: no built-in form, so they need `nonnegative_input=True`.
MAX_CASES = [
    (2, 2, 0, False, True),
    (3, 2, 0, False, True),
    (3, 2, 1, False, True),  # ResNet / DenseNet / Xception stems
    (3, 2, 0, True, True),  # GoogLeNet / SqueezeNet
    (3, 2, 1, True, False),
    (2, 2, 0, True, True),  # GoogLeNet maxpool4
    (2, 2, 1, False, False),
    (3, 1, 1, False, True),  # BN-Inception pool branch: "same"
    (5, 1, 1, False, True),
    (4, 2, 1, False, True),
    (5, 2, 1, True, True),
    (5, 2, 2, True, False),
    (3, 3, 0, True, False),
    ((1, 2), (1, 2), 0, False, True),  # EffNet's separable pool
    ((3, 1), (2, 1), (1, 0), True, False),
    ((1, 3), (1, 2), (0, 1), False, True),
]

# (kernel, stride, padding, ceil_mode, count_include_pad, supported)
AVG_CASES = [
    (2, 2, 0, False, True, True),  # DenseNet transition
    (5, 3, 0, False, True, True),  # Inception-v3 aux
    (3, 2, 1, False, True, True),  # ShuffleNet V1 shortcut, ResNeSt avd
    (3, 1, 1, False, True, True),  # Inception-v3 branch_pool
    (3, 1, 1, False, False, True),  # timm Inception pools
    (5, 1, 2, True, False, True),
    (2, 2, 0, True, False, True),  # ResNeSt avg-down shortcut
    (2, 2, 0, True, True, True),  # no padding: the overhang never counts either way
    (3, 2, 1, False, False, False),
    (3, 2, 0, True, True, False),
    (3, 2, 1, True, True, False),
]


def _signed(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _torch_nchw(torch, x):
    return torch.from_numpy(x.transpose(0, 3, 1, 2).copy())


def _nhwc(tensor):
    return tensor.numpy().transpose(0, 2, 3, 1)


def _fits(fn, t):
    try:
        return fn(t)
    except RuntimeError:  # input smaller than the kernel: torch has no output either
        return None


@pytest.mark.parity
@pytest.mark.parametrize("kernel, stride, padding, ceil_mode, signed_ok", MAX_CASES)
@pytest.mark.parametrize("side", SIDES)
def test_max_pool2d_matches_torch(kernel, stride, padding, ceil_mode, signed_ok, side):
    torch = pytest.importorskip("torch")
    x = _signed((2, *side, 3))
    args = (kernel, stride, padding)
    expected = _fits(lambda t: torch.nn.functional.max_pool2d(t, *args, ceil_mode=ceil_mode), _torch_nchw(torch, x))
    if expected is None:
        pytest.skip("torch rejects this size")
    relu = np.maximum(x, 0)
    relu_expected = _nhwc(torch.nn.functional.max_pool2d(_torch_nchw(torch, relu), *args, ceil_mode=ceil_mode))
    got = max_pool2d(relu, *args, ceil_mode=ceil_mode, nonnegative_input=True)
    np.testing.assert_array_equal(np.asarray(got), relu_expected)
    if not signed_ok:
        with pytest.raises(ValueError, match="no exact built-in form for negative inputs"):
            max_pool2d(x, *args, ceil_mode=ceil_mode)
        return
    np.testing.assert_array_equal(np.asarray(max_pool2d(x, *args, ceil_mode=ceil_mode)), _nhwc(expected))


@pytest.mark.parity
@pytest.mark.parametrize("kernel, stride, padding, ceil_mode, count_include_pad, supported", AVG_CASES)
@pytest.mark.parametrize("side", SIDES)
def test_avg_pool2d_matches_torch(kernel, stride, padding, ceil_mode, count_include_pad, supported, side):
    torch = pytest.importorskip("torch")
    x = _signed((2, *side, 3))
    options = dict(ceil_mode=ceil_mode, count_include_pad=count_include_pad)
    if not supported:
        with pytest.raises(ValueError, match="has no exact built-in form"):
            avg_pool2d(x, kernel, stride, padding, **options)
        return
    expected = _nhwc(torch.nn.functional.avg_pool2d(_torch_nchw(torch, x), kernel, stride, padding, **options))
    got = np.asarray(avg_pool2d(x, kernel, stride, padding, **options))
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("side", [(7, 7), (14, 14), (13, 13), (8, 10), (1, 1), (3, 5), (20, 9), (6, 6)])
@pytest.mark.parametrize("output_size", [6, 7])
def test_adaptive_avg_pool_matches_torch(side, output_size):
    torch = pytest.importorskip("torch")
    x = _signed((2, *side, 3))
    expected = _nhwc(torch.nn.functional.adaptive_avg_pool2d(_torch_nchw(torch, x), output_size))
    inputs = keras.Input((*side, 3))
    model = keras.Model(inputs, adaptive_avg_pool(inputs, output_size))
    np.testing.assert_allclose(np.asarray(model(x)), expected, rtol=1e-5, atol=1e-6)


# ------------------------------------------------------------ without torch (adaptive pool: test_alexnet_vgg.py)
def _numpy_torch_max_pool(x, kernel, stride, padding, ceil_mode):
    """torch.nn.MaxPool2d on NHWC input: padded cells never win, ceil-mode windows must start inside."""
    n = x.shape[1]
    span = n + 2 * padding - kernel
    out = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= n + padding:
        out -= 1
    starts = [i * stride - padding for i in range(out)]
    rows = [[x[:, max(r, 0) : r + kernel, max(c, 0) : c + kernel].max(axis=(1, 2)) for c in starts] for r in starts]
    return np.stack([np.stack(row, axis=1) for row in rows], axis=1)


@pytest.mark.parametrize(
    "kernel, stride, padding, ceil_mode, sizes",
    [
        (3, 2, 0, True, [2, 3, 4, 7, 8, 13, 54, 55]),  # SqueezeNet (complex bypass: negative inputs)
        (3, 2, 1, False, [1, 2, 3, 4, 7, 8, 74, 147]),  # Xception (pools BatchNorm outputs)
    ],
)
def test_max_pool2d_matches_torch_definition_on_negative_inputs(kernel, stride, padding, ceil_mode, sizes):
    for size in sizes:
        x = np.random.default_rng(size).normal(size=(2, size, size, 3)).astype("float32") - 1.0
        inputs = keras.Input(x.shape[1:])
        model = keras.Model(inputs, max_pool2d(inputs, kernel, stride, padding, ceil_mode, name="pool"))
        expected = _numpy_torch_max_pool(x, kernel, stride, padding, ceil_mode)
        np.testing.assert_array_equal(np.asarray(model(x)), expected, err_msg=f"size {size}")


def _layer_names(build):
    inputs = keras.Input((None, None, 3))
    return [layer.name for layer in keras.Model(inputs, build(inputs)).layers[1:]]


@pytest.mark.parametrize(
    "build, names",
    [
        (lambda x: max_pool2d(x, 3, 2, 1, nonnegative_input=True, name="maxpool"), ["maxpool_pad", "maxpool"]),
        (lambda x: max_pool2d(x, 3, 2, 1, name="p"), ["p_window", "p"]),  # Xception
        (lambda x: max_pool2d(x, 3, 2, ceil_mode=True, name="p"), ["p_window", "p_shift", "p"]),  # SqueezeNet
        (lambda x: max_pool2d(x, 3, 1, 1, name="p"), ["p"]),
        (lambda x: max_pool2d(x, 2, name="p"), ["p"]),
        (lambda x: avg_pool2d(x, 3, 2, 1, name="p"), ["p_pad", "p"]),
        (lambda x: avg_pool2d(x, 2, 2, ceil_mode=True, count_include_pad=False, name="p"), ["p"]),
    ],
)
def test_layer_names_and_dynamic_sizes(build, names):
    assert _layer_names(build) == names


def test_padding_beyond_half_the_kernel_is_rejected():
    with pytest.raises(ValueError, match="p: padding \\(2, 2\\) is more than half the kernel \\(3, 3\\)"):
        max_pool2d(keras.Input((8, 8, 3)), 3, 2, 2, name="p")
