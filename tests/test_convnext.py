"""ConvNeXt: the paper's layout, the layer scale and the stochastic-depth schedule.

Counts, shapes, save/load and training are in test_models.py, logits against torchvision in test_parity.py.
"""

import keras
import numpy as np
import pytest

import keras_classics
from keras_classics.layers import LayerScale
from keras_classics.models.convnext import VARIANTS

ROWS = {row.name: row for row in VARIANTS}


def test_stages_are_strides_4_to_32_with_the_papers_channels():
    spec = keras_classics.model_info("convnext_tiny")
    model = keras_classics.convnext_tiny(include_top=False, input_shape=(64, 64, 3))
    shapes = [tuple(model.get_layer(stage).output.shape[1:]) for stage in spec.stages]
    assert shapes == [(16, 16, 96), (8, 8, 192), (4, 4, 384), (2, 2, 768)]
    assert model.get_layer(spec.stages[-1]).output is model.output


@pytest.mark.parametrize("name", sorted(ROWS))
def test_block_counts_follow_the_paper(name):
    model = keras_classics.create_model(name, include_top=False, input_shape=(32, 32, 3))
    scales = [layer for layer in model.layers if isinstance(layer, LayerScale)]
    assert len(scales) == sum(ROWS[name].blocks)
    assert all(np.allclose(layer.gamma.numpy(), 1e-6) for layer in scales)


def test_stochastic_depth_grows_linearly_to_the_rate_of_the_last_block():
    model = keras_classics.convnext_tiny(include_top=False, input_shape=(32, 32, 3), drop_path_rate=0.3)
    rates = [layer.rate for layer in model.layers if layer.name.endswith("_drop_path")]
    # torchvision: rate * i / (blocks - 1) for block i; block 0 has none (rate 0).
    np.testing.assert_allclose(rates, [0.3 * i / 17 for i in range(1, 18)], rtol=1e-6)
    bare = keras_classics.convnext_tiny(include_top=False, input_shape=(32, 32, 3), drop_path_rate=0.0)
    assert not any(layer.name.endswith("_drop_path") for layer in bare.layers)


def test_too_small_an_input_names_the_minimum():
    with pytest.raises(ValueError, match="too small for convnext_tiny.*at least 32"):
        keras_classics.convnext_tiny(input_shape=(28, 28, 3))


def test_layer_scale_round_trips_and_takes_torchvisions_c11_parameter():
    inputs = keras.Input((2, 2, 3))
    layer = LayerScale(0.25, name="scale")
    model = keras.Model(inputs, layer(inputs))
    restored = keras.Model.from_config(model.get_config())
    assert restored.get_layer("scale").init_value == 0.25
    ((variable, array, key),) = layer.reference_weight_map({"layer_scale": np.arange(3.0).reshape(3, 1, 1)})
    assert variable is layer.gamma and key == "layer_scale"
    np.testing.assert_array_equal(array, [0.0, 1.0, 2.0])
