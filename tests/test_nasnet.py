"""NASNet-A Mobile against keras.applications' NASNetMobile, its reference (timm has no NASNet Mobile).

keras.applications builds it with random weights and random BatchNorm statistics; every weight is copied into
ours by the layer correspondence below (derived from both naming schemes, not from either model's output), and
both must give the same logits at an even and an odd input size (the sizes where TensorFlow's "SAME" padding
of the strided operations differs). NASNet-A Large is compared with timm in tests/test_parity.py.
"""

import re

import keras
import numpy as np
import pytest

import keras_classics

CELLS = 4  # NASNet-A 4 @ 1056
# keras.applications' separable-convolution branch names -> the combination and side they are in Figure 4
BRANCHES = {
    "normal_left1": "comb_iter_0_left",
    "normal_right1": "comb_iter_0_right",
    "normal_left2": "comb_iter_1_left",
    "normal_right2": "comb_iter_1_right",
    "normal_left5": "comb_iter_4_left",
    "reduction_left1": "comb_iter_0_left",
    "reduction_right1": "comb_iter_0_right",
    "reduction_right2": "comb_iter_1_right",
    "reduction_right3": "comb_iter_2_right",
    "reduction_left4": "comb_iter_4_left",
}


def _cell(block_id: str) -> str:
    """keras.applications' block id ("stem_1", "3", "reduce_4", "5", ...) -> our (timm's) cell name."""
    if block_id.startswith("stem_"):
        return f"cell_stem_{int(block_id[5:]) - 1}"
    if block_id.startswith("reduce_"):
        return f"reduction_cell_{int(block_id[7:]) // CELLS - 1}"
    index = int(block_id)
    return f"cell_{index - (index > CELLS)}"  # keras numbers the later stages from CELLS + 1


def _our_layers(keras_layer, ours):
    """The layer(s) of our model holding `keras_layer`'s weights, in the order of its weights."""
    name = keras_layer.name
    fixed = {"stem_conv1": "conv0_conv", "stem_bn1": "conv0_bn", "predictions": "last_linear"}
    if name in fixed:
        return [fixed[name]]
    match = re.fullmatch(r"separable_conv_(\d)(_bn)?_(\w+?\d)_(\w+)", name)
    if match:
        index, bn, branch, block = match.groups()
        prefix = f"{_cell(block)}_{BRANCHES[branch]}"
        if bn:
            return [f"{prefix}_bn_sep_{index}"]
        return [f"{prefix}_separable_{index}_depthwise_conv2d", f"{prefix}_separable_{index}_pointwise_conv2d"]
    match = re.fullmatch(r"(normal|reduction)_(conv|bn)_1_(\w+)", name)
    if match:
        return [f"{_cell(match.group(3))}_conv_1x1_{match.group(2)}"]
    match = re.fullmatch(r"adjust_(conv_projection|conv_1|conv_2|bn)_(\w+)", name)
    kind, cell = match.groups()
    cell = _cell(cell)
    if kind == "bn":  # after a projection or a factorized reduction, whichever the cell has
        projected = f"{cell}_conv_prev_1x1_bn"
        return [projected if projected in {layer.name for layer in ours.layers} else f"{cell}_final_path_bn"]
    return [{"conv_projection": f"{cell}_conv_prev_1x1_conv", "conv_1": f"{cell}_path_1_conv",
             "conv_2": f"{cell}_path_2_conv"}[kind]]  # fmt: skip


def _randomize_batchnorm_statistics(model, rng):
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.moving_mean.assign(rng.normal(0.0, 0.1, layer.moving_mean.shape))
            layer.moving_variance.assign(rng.uniform(0.5, 1.5, layer.moving_variance.shape))
            layer.gamma.assign(rng.uniform(0.5, 1.5, layer.gamma.shape))
            layer.beta.assign(rng.normal(0.0, 0.1, layer.beta.shape))


def _copy_weights(theirs, ours):
    """Copies every weight of `theirs` into `ours`; each of ours must be filled exactly once."""
    filled = set()
    for layer in theirs.layers:
        if not layer.weights:
            continue
        targets = [ours.get_layer(name) for name in _our_layers(layer, ours)]
        values = [w.numpy() for w in layer.weights]
        for target in targets:
            count = len(target.weights)
            target.set_weights(values[:count])
            values = values[count:]
            assert target.name not in filled
            filled.add(target.name)
            if isinstance(layer, keras.layers.BatchNormalization):
                assert (target.epsilon, target.momentum) == (layer.epsilon, layer.momentum), target.name
        assert not values, layer.name
    assert filled == {layer.name for layer in ours.layers if layer.weights}


@pytest.mark.parametrize("size", [224, 97])
def test_nasnet_mobile_is_keras_applications_network(size):
    theirs = keras.applications.NASNetMobile(
        input_shape=(size, size, 3), weights=None, classifier_activation=None
    )
    ours = keras_classics.nasnet_mobile(input_shape=(size, size, 3), classifier_activation=None)
    rng = np.random.default_rng(0)
    _randomize_batchnorm_statistics(theirs, rng)
    _copy_weights(theirs, ours)
    images = rng.uniform(-1.0, 1.0, (2, size, size, 3)).astype("float32")
    expected = theirs.predict(images, verbose=0)
    np.testing.assert_allclose(ours.predict(images, verbose=0), expected, atol=1e-4 * np.abs(expected).max())


def test_needs_a_fixed_input_size():
    with pytest.raises(ValueError, match="nasnet_mobile needs a fixed height"):
        keras_classics.nasnet_mobile(include_top=False, input_shape=(None, None, 3))
