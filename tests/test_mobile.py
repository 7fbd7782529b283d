"""MobileNet V1/V2/V3 and ShuffleNet V1/V2: family options, the papers' tables, and TFLite export.

The generic checks (counts, shapes, save/load, training) are in test_models.py, and the logits against
torchvision/timm in test_parity.py; here is what is specific to these families.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_classics
from keras_classics.analysis import count_macs
from keras_classics.layers import ChannelShuffle, GroupConv2D
from keras_classics.models.shufflenet import SHUFFLENET_V1_CHANNELS, SHUFFLENET_V1_MFLOPS, shufflenet_v1_widths
from zoo_helpers import random_images

MOBILE = keras_classics.list_models(family="mobilenet") + keras_classics.list_models(family="shufflenet")


@pytest.mark.parametrize("name", ["mobilenet_v1", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large"])
@pytest.mark.parametrize("bad", [0, -0.5, True, "1.0"])
def test_bad_alpha_is_refused_with_its_meaning(name, bad):
    with pytest.raises(ValueError, match=f"alpha must be a positive number \\(the width multiplier\\); got {bad!r}"):
        keras_classics.create_model(name, alpha=bad)


@pytest.mark.parametrize("bad", [0, 1.5, True])
def test_bad_depth_multiplier_is_refused(bad):
    with pytest.raises(ValueError, match=f"depth_multiplier must be a positive integer; got {bad!r}"):
        keras_classics.mobilenet_v1(depth_multiplier=bad)


def test_depth_multiplier_multiplies_each_depthwise_convs_filters():
    model = keras_classics.mobilenet_v1(include_top=False, alpha=0.25, depth_multiplier=2, input_shape=(32, 32, 3))
    depthwise = model.get_layer("blocks_0_0_conv_dw")
    assert depthwise.kernel.shape == (3, 3, 8, 2)  # 8 = 32 * 0.25 stem channels, 2 filters each
    assert model.get_layer("blocks_0_0_bn1").gamma.shape == (16,)


@pytest.mark.parametrize("name, last", [("mobilenet_v3_large", 960), ("mobilenet_v3_small", 576)])
def test_minimalistic_v3_has_3x3_kernels_no_se_and_relu(name, last):
    model = keras_classics.create_model(name, minimalistic=True, include_top=False, input_shape=(64, 64, 3))
    kernels = {layer.kernel_size for layer in model.layers if isinstance(layer, keras.layers.DepthwiseConv2D)}
    assert kernels == {(3, 3)}
    kinds = {layer.__class__.__name__ for layer in model.layers}
    assert not any("hard" in str(getattr(layer, "activation", "")) for layer in model.layers)
    assert "Multiply" not in kinds  # the SE gate
    assert model.output.shape[-1] == last
    full = keras_classics.create_model(name, include_top=False, input_shape=(64, 64, 3))
    assert "Multiply" in {layer.__class__.__name__ for layer in full.layers}


@pytest.mark.parametrize(
    "name, alpha, channels",
    [("mobilenet_v1", 0.3, 304), ("mobilenet_v2", 0.6, 1280), ("mobilenet_v3_large", 0.6, 576)],
)
def test_width_multipliers_outside_the_papers_build(name, alpha, channels):
    # 1024 * 0.3 = 307.2 -> 304 and 6 * make_divisible(160 * 0.6) = 6 * 96 (multiples of 8, as timm/torchvision)
    model = keras_classics.create_model(name, include_top=False, alpha=alpha, input_shape=(32, 32, 3))
    assert model.output.shape[-1] == channels


def test_bad_shufflenet_v1_options_name_allowed_values():
    with pytest.raises(ValueError, match="groups must be one of 1, 2, 3, 4, 8; got 5"):
        keras_classics.shufflenet_v1(groups=5)
    with pytest.raises(ValueError, match="scale must be one of 0.5, 1.0, 1.5, 2.0; got 0.25"):
        keras_classics.shufflenet_v1_g8(scale=0.25)


@pytest.mark.parametrize(
    "name, alpha, channels",
    [
        ("mobilenet_v1", 0.25, 256),  # 1024 * alpha (Howard et al. 2017, Section 3.3)
        ("mobilenet_v1", 0.75, 768),
        ("mobilenet_v2", 0.35, 1280),  # the last layer never shrinks below 1280 ...
        ("mobilenet_v2", 1.4, 1792),  # ... and grows with alpha above 1
        ("mobilenet_v3_large", 0.75, 720),  # 6 * make_divisible(160 * 0.75, 8)
        ("mobilenet_v3_small", 0.5, 288),  # 6 * make_divisible(96 * 0.5, 8)
    ],
)
def test_width_multiplier_sets_feature_channels(name, alpha, channels):
    model = keras_classics.create_model(name, include_top=False, alpha=alpha, input_shape=(32, 32, 3))
    assert model.output.shape[-1] == channels


@pytest.mark.parametrize("size, side", [(128, 4), (160, 5), (192, 6), (224, 7)])
def test_mobilenet_v1_resolution_multiplier_is_the_input_size(size, side):
    model = keras_classics.mobilenet_v1(include_top=False, alpha=0.25, input_shape=(size, size, 3))
    assert tuple(model.output.shape[1:]) == (side, side, 256)


@pytest.mark.parametrize("name", MOBILE)
def test_feature_stages_halve_the_resolution_and_end_at_the_feature_map(name):
    spec = keras_classics.model_info(name)
    model = keras_classics.create_model(name, include_top=False, input_shape=(64, 64, 3))
    sides = [model.get_layer(stage).output.shape[1] for stage in spec.stages]
    assert sides == [32, 16, 8, 4, 2]
    assert model.get_layer(spec.stages[-1]).output is model.output


@pytest.mark.parametrize("name", MOBILE)
def test_every_grouped_conv_avoids_xla(name):
    model = keras_classics.create_model(name, include_top=False, input_shape=(32, 32, 3))
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D) and layer.groups > 1:
            assert isinstance(layer, GroupConv2D), f"{layer.name} is a Keras Conv2D(groups>1), compiled with XLA"


@pytest.mark.parametrize("groups", sorted(SHUFFLENET_V1_CHANNELS))
def test_shufflenet_v1_table1_complexity(groups):
    # Zhang et al. 2017, Table 1: 143/140/137/133/137 MFLOPs (multiply-adds) at 224x224 for the
    # convolutional layers (the 1000-way classifier is not part of those numbers).
    model = keras_classics.create_model(f"shufflenet_v1_g{groups}", include_top=False, input_shape=(224, 224, 3))
    assert round(count_macs(model) / 1e6) == SHUFFLENET_V1_MFLOPS[groups]
    assert keras_classics.model_info(f"shufflenet_v1_g{groups}").mmacs == SHUFFLENET_V1_MFLOPS[groups]


@pytest.mark.parametrize("name", [n for n in MOBILE if not n.startswith("shufflenet_v1")])
def test_macs_equal_reference_table(name):
    spec = keras_classics.model_info(name)
    model = keras_classics.create_model(name)
    assert count_macs(model) / 1e6 == pytest.approx(spec.mmacs, abs=0.05)


def test_shufflenet_v1_units_follow_figure_2():
    model = keras_classics.shufflenet_v1(include_top=False, groups=8, input_shape=(224, 224, 3))
    stem, *widths = shufflenet_v1_widths(8, 1.0)
    assert (stem, *widths) == (24, 384, 768, 1536)
    # The paper's note: no group convolution on Stage 2's first pointwise layer (24 input channels).
    assert model.get_layer("stage2_block1_gconv1").groups == 1
    grouped = [layer for layer in model.layers if isinstance(layer, GroupConv2D) and layer.kernel_size == (1, 1)]
    assert sum(layer.groups == 8 for layer in grouped) == 2 * 16 - 1
    # Bottleneck = 1/4 of the output; stride-2 units concatenate the pooled input (Figure 2c).
    assert model.get_layer("stage3_block1_gconv1").filters == 768 // 4
    assert model.get_layer("stage3_block1_gconv2").filters == 768 - 384
    assert model.get_layer("stage3_block1_concat").output.shape[1:] == (14, 14, 768)
    shuffles = [layer for layer in model.layers if isinstance(layer, ChannelShuffle)]
    assert len(shuffles) == 16 and all(layer.groups == 8 for layer in shuffles)


@pytest.mark.parametrize("groups", sorted(SHUFFLENET_V1_CHANNELS))
@pytest.mark.parametrize("scale", [0.5, 1.5, 2.0])
def test_shufflenet_v1_every_configuration_builds(groups, scale):
    model = keras_classics.shufflenet_v1(groups=groups, scale=scale, input_shape=(32, 32, 3), classes=4)
    assert tuple(model(random_images(32)).shape) == (2, 4)


def test_shufflenet_v1_scale_multiplies_widths():
    # "ShuffleNet s x": Stage widths times s (g=3: 240/480/960 at 1x; 2x: 480/960/1920).
    assert shufflenet_v1_widths(3, 2.0) == (48, 480, 960, 1920)
    assert shufflenet_v1_widths(3, 0.5) == (12, 120, 240, 480)


def _interpreter(flatbuffer):
    try:
        from ai_edge_litert.interpreter import Interpreter  # the `litert` extra
    except ImportError:  # TF's own, deprecated but still shipped
        Interpreter = tf.lite.Interpreter
    return Interpreter(model_content=flatbuffer)


@pytest.mark.filterwarnings("ignore:.*tf.lite.Interpreter is deprecated")
@pytest.mark.parametrize("name", ["mobilenet_v3_small", "shufflenet_v1", "shufflenet_v2_x0_5"])
def test_converts_to_tflite_with_builtin_ops_only(name):
    # Phones run these: every op must be a TFLite builtin (no XLA, no Flex) and give the same numbers.
    model = keras_classics.create_model(name, input_shape=(64, 64, 3), classes=5)
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    interpreter = _interpreter(converter.convert())
    interpreter.allocate_tensors()
    images = random_images(64, batch=1)
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], images)
    interpreter.invoke()
    result = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
    np.testing.assert_allclose(result, model(images, training=False), atol=1e-5)
