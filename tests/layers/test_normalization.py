"""LocalResponseNormalization against the TF op, a NumPy loop and PyTorch's LocalResponseNorm."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_classics.layers import LocalResponseNormalization


def _lrn_numpy(a, depth_radius, bias, alpha, beta):
    out = np.empty_like(a, dtype="float64")
    channels = a.shape[-1]
    for c in range(channels):
        lo, hi = max(0, c - depth_radius), min(channels, c + depth_radius + 1)
        out[..., c] = a[..., c] / (bias + alpha * (a[..., lo:hi].astype("float64") ** 2).sum(-1)) ** beta
    return out


PARAMS = [
    dict(),  # AlexNet: k=2, n=5, alpha=1e-4, beta=0.75
    dict(depth_radius=1, bias=1.0, alpha=0.05, beta=0.5),
    dict(depth_radius=3, bias=0.5, alpha=0.01, beta=1.0),
]


@pytest.mark.parametrize("kwargs", PARAMS)
def test_matches_numpy_loop_and_tf_op(kwargs):
    x = np.random.default_rng(0).normal(scale=10.0, size=(2, 3, 4, 9)).astype("float32")
    layer = LocalResponseNormalization(**kwargs)
    out = keras.ops.convert_to_numpy(layer(x))
    r, k, a, b = layer.depth_radius, layer.bias, layer.alpha, layer.beta
    np.testing.assert_allclose(out, _lrn_numpy(x, r, k, a, b), rtol=1e-5, atol=1e-6)
    reference = tf.nn.local_response_normalization(x, depth_radius=r, bias=k, alpha=a, beta=b).numpy()
    np.testing.assert_allclose(out, reference, rtol=1e-6, atol=1e-7)


def test_alexnet_defaults():
    layer = LocalResponseNormalization()
    assert (layer.depth_radius, layer.bias, layer.alpha, layer.beta) == (2, 2.0, 1e-4, 0.75)


def test_mixed_precision_does_not_overflow():
    """Squares of float16 activations above 256 overflow; the layer sums them in float32."""
    x = np.random.default_rng(1).uniform(200.0, 400.0, size=(1, 2, 2, 8)).astype("float32")
    expected = _lrn_numpy(x, 2, 2.0, 1e-4, 0.75)
    try:
        keras.mixed_precision.set_global_policy("mixed_float16")
        layer = LocalResponseNormalization()
        out = layer(x.astype("float16"))
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert out.dtype == "float16"
    np.testing.assert_allclose(keras.ops.convert_to_numpy(out).astype("float32"), expected, rtol=2e-3)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", PARAMS)
def test_matches_torch_with_alpha_times_size(kwargs):
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(2).normal(scale=10.0, size=(2, 3, 4, 9)).astype("float32")
    layer = LocalResponseNormalization(**kwargs)
    size = 2 * layer.depth_radius + 1
    torch_lrn = torch.nn.LocalResponseNorm(size, alpha=layer.alpha * size, beta=layer.beta, k=layer.bias)
    expected = torch_lrn(torch.from_numpy(x).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy()
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "kwargs, argument",
    [(dict(depth_radius=-1), "depth_radius"), (dict(depth_radius=1.5), "depth_radius"), (dict(bias=0.0), "bias"),
     (dict(alpha=-1.0), "alpha")],
)
def test_bad_arguments(kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        LocalResponseNormalization(**kwargs)


def test_groups_normalize_each_half_of_the_channels_alone_as_alexnets_two_gpus():
    x = np.random.default_rng(1).normal(scale=10.0, size=(2, 3, 3, 12)).astype("float32")
    grouped = keras.ops.convert_to_numpy(LocalResponseNormalization(depth_radius=2, alpha=0.01, groups=2)(x))
    halves = [_lrn_numpy(half, 2, 2.0, 0.01, 0.75) for half in np.split(x, 2, axis=-1)]
    np.testing.assert_allclose(grouped, np.concatenate(halves, axis=-1), rtol=1e-5, atol=1e-6)
    # the window no longer reaches across the edge: channels 4-7 differ from the one-group layer, 0-3 not
    whole = _lrn_numpy(x, 2, 2.0, 0.01, 0.75)
    assert np.allclose(grouped[..., :4], whole[..., :4], rtol=1e-5)
    assert not np.allclose(grouped[..., 4:8], whole[..., 4:8], rtol=1e-5)
    assert LocalResponseNormalization.from_config(LocalResponseNormalization(groups=2).get_config()).groups == 2
    with pytest.raises(ValueError, match="groups=5 must divide the 12 input channels"):
        LocalResponseNormalization(groups=5)(x)
    with pytest.raises(ValueError, match="groups must be a positive integer; got 0"):
        LocalResponseNormalization(groups=0)
