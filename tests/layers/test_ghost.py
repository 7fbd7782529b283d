"""GhostModule against timm's GhostModule with copied weights."""

import keras
import numpy as np
import pytest

from keras_classics.layers import GhostModule

RNG = np.random.default_rng(0)


@pytest.mark.parametrize(
    "filters, ratio, kernel_size, strides, in_size, out_size, init",
    [(16, 2, 1, 1, 7, 7, 8), (15, 2, 1, 1, 7, 7, 8), (14, 3, 3, 2, 7, 4, 5), (12, 4, 2, 1, 6, 7, 3)],
)
def test_output_shape_and_channels(filters, ratio, kernel_size, strides, in_size, out_size, init):
    layer = GhostModule(filters, ratio=ratio, kernel_size=kernel_size, strides=strides)
    out = layer(np.ones((2, in_size, in_size, 6), "float32"))
    assert tuple(out.shape) == (2, out_size, out_size, filters)
    assert layer.compute_output_shape((None, in_size, in_size, 6)) == (None, out_size, out_size, filters)
    assert layer.primary_conv.filters == init  # ceil(filters / ratio)
    assert layer.cheap_conv.depth_multiplier == ratio - 1


def _bn_weights(bn):
    return [t.detach().numpy() for t in (bn.weight, bn.bias, bn.running_mean, bn.running_var)]


@pytest.mark.parity
@pytest.mark.parametrize(
    "filters, ratio, kernel_size, dw_kernel_size, strides, use_act",
    [(16, 2, 1, 3, 1, True), (15, 2, 1, 3, 1, False), (14, 3, 3, 3, 2, True), (12, 4, 2, 5, 1, True)],
)
def test_matches_timm(filters, ratio, kernel_size, dw_kernel_size, strides, use_act):
    torch = pytest.importorskip("torch")
    ghostnet = pytest.importorskip("timm.models.ghostnet")
    ref = ghostnet.GhostModule(
        6, filters, kernel_size=kernel_size, ratio=ratio, dw_size=dw_kernel_size, stride=strides,
        act_layer=torch.nn.ReLU if use_act else torch.nn.Identity,
    )
    with torch.no_grad():
        for p in ref.parameters():
            p.normal_(std=0.5)
        for bn in (ref.primary_conv[1], ref.cheap_operation[1]):
            bn.running_mean.normal_(std=0.2)
            bn.running_var.uniform_(0.5, 1.5)
    ref.eval()
    layer = GhostModule(
        filters, ratio=ratio, kernel_size=kernel_size, dw_kernel_size=dw_kernel_size, strides=strides, use_act=use_act
    )
    x = RNG.normal(size=(2, 8, 8, 6)).astype("float32")
    layer.build(x.shape)
    layer.primary_conv.set_weights([ref.primary_conv[0].weight.detach().numpy().transpose(2, 3, 1, 0)])
    layer.primary_bn.set_weights(_bn_weights(ref.primary_conv[1]))
    # torch (init * (ratio - 1), 1, k, k), output channel c * (ratio - 1) + m -> Keras (k, k, init, ratio - 1).
    cheap = ref.cheap_operation[0].weight.detach().numpy().transpose(2, 3, 0, 1)
    layer.cheap_conv.set_weights([cheap.reshape(dw_kernel_size, dw_kernel_size, -1, ratio - 1)])
    layer.cheap_bn.set_weights(_bn_weights(ref.cheap_operation[1]))
    with torch.no_grad():
        expected = ref(torch.from_numpy(x).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy()
    out = keras.ops.convert_to_numpy(layer(x, training=False))
    assert out.shape == expected.shape
    if not use_act:
        assert (expected < 0).any()
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        (dict(filters=0), "filters"),
        (dict(filters=8, ratio=1), "ratio"),
        (dict(filters=8, dw_kernel_size=4), "dw_kernel_size"),
        (dict(filters=8, strides=0), "strides"),
        (dict(filters=8, kernel_size=0), "kernel_size"),
    ],
)
def test_bad_arguments(kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        GhostModule(**kwargs)
