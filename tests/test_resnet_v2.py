"""ResNet v2: full pre-activation units (He et al. 2016, "Identity Mappings", Fig. 1b) and their layout.

Counts, shapes, save/load and training are in test_models.py, logits against timm in test_parity.py.
"""

import numpy as np
import pytest

import keras_classics
from keras_classics.models.resnet_v2 import VARIANTS

ROWS = {row.name: row for row in VARIANTS}


def _producer(tensor):
    return tensor._keras_history.operation


def test_stages_halve_the_resolution_and_end_with_bn_relu():
    spec = keras_classics.model_info("resnet50_v2")
    model = keras_classics.resnet50_v2(include_top=False, input_shape=(64, 64, 3))
    shapes = [tuple(model.get_layer(stage).output.shape[1:]) for stage in spec.stages]
    assert shapes == [(32, 32, 64), (16, 16, 256), (8, 8, 512), (4, 4, 1024), (2, 2, 2048)]
    assert model.output is model.get_layer("norm_act").output


def test_units_are_pre_activation_with_identity_shortcuts():
    model = keras_classics.resnet50_v2(include_top=False, input_shape=(64, 64, 3))
    # conv1 reads BN-ReLU of the block input ...
    relu = _producer(model.get_layer("stages_1_blocks_1_conv1").input)
    assert relu.name == "stages_1_blocks_1_norm1_act"
    assert _producer(relu.input).name == "stages_1_blocks_1_norm1"
    # ... and the block's sum adds the untouched input (the previous sum), not an activated one.
    add = model.get_layer("stages_1_blocks_1_add")
    assert {_producer(t).name for t in add.input} == {"stages_1_blocks_1_conv3", "stages_1_blocks_0_add"}
    # The first block of a stage projects the pre-activated input with the stride on the 3x3 conv.
    assert model.get_layer("stages_1_blocks_0_downsample_conv").strides == (2, 2)
    assert model.get_layer("stages_1_blocks_0_conv2").strides == (2, 2)
    assert model.get_layer("stages_1_blocks_0_conv1").strides == (1, 1)


@pytest.mark.parametrize("name", sorted(ROWS))
def test_block_counts_follow_the_v1_papers_table_1(name):
    model = keras_classics.create_model(name, include_top=False, input_shape=(32, 32, 3))
    adds = [layer for layer in model.layers if layer.name.endswith("_add")]
    assert len(adds) == sum(ROWS[name].blocks)


def test_head_is_a_1x1_conv_on_pooled_features_as_timm():
    model = keras_classics.resnet50_v2(input_shape=(64, 64, 3), classes=7, classifier_activation=None)
    assert model.get_layer("head_fc").kernel.shape == (1, 1, 2048, 7)
    assert model.output.shape == (None, 7)
    assert np.isfinite(model.predict(np.zeros((1, 64, 64, 3)), verbose=0)).all()
