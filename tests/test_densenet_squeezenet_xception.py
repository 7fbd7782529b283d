"""DenseNet, SqueezeNet and Xception: what is particular to these families (the generic checks are in
test_models.py, the reference logits in test_parity.py).

Their max-pools (ceil mode; padding on possibly negative inputs) are `blocks.pooling.max_pool2d`, checked
against torch's definition in test_pooling.py.
"""

import keras
import numpy as np
import pytest

import keras_classics
from zoo_helpers import random_images


@pytest.mark.parametrize(
    "name, channels", [("densenet121", (256, 512, 1024, 1024)), ("densenet161", (384, 768, 2112, 2208))]
)
def test_densenet_block_widths_follow_growth_rate_and_compression(name, channels):
    model = keras_classics.create_model(name, include_top=False, input_shape=(32, 32, 3))
    stages = keras_classics.model_info(name).stages
    # Dense blocks 1-3 end before their transition (which halves the width); the last is the final map.
    assert [model.get_layer(s).output.shape[-1] for s in stages[1:]] == list(channels)
    assert model.get_layer("features_transition1_conv").output.shape[-1] == channels[0] // 2


@pytest.mark.parametrize("name", ["squeezenet1_0", "squeezenet1_1"])
def test_squeezenet_output_sizes_match_torch_at_any_input_size(name):
    # One headless model with unknown spatial size: the ceil-mode pools need no static shape.
    model = keras_classics.create_model(name, include_top=False, input_shape=(None, None, 3))
    stem_kernel = 7 if name == "squeezenet1_0" else 3
    for size in (keras_classics.model_info(name).min_size, 33, 64, 224, 227):
        side = (size - stem_kernel) // 2 + 1
        for _ in range(3):  # three 3x3/2 ceil-mode max-pools
            side = -(-(side - 3) // 2) + 1
        assert tuple(model(random_images(size, batch=1)).shape) == (1, side, side, 512)


def test_squeezenet_bypass_variants():
    plain, simple, complex_ = (
        keras_classics.create_model(n, include_top=False, input_shape=(21, 21, 3))
        for n in ("squeezenet1_0", "squeezenet1_0_bypass", "squeezenet1_0_complex_bypass")
    )

    def adds(model):
        return sorted(layer.name for layer in model.layers if isinstance(layer, keras.layers.Add))

    assert adds(plain) == []
    # Paper numbering fire3/5/7/9 = torchvision features 4/7/9/12: the modules whose widths match.
    assert adds(simple) == ["features_12", "features_4", "features_7", "features_9"]
    assert len(adds(complex_)) == 8
    projections = {layer.name: layer.kernel.shape for layer in complex_.layers if layer.name.endswith("_bypass")}
    assert projections == {
        "features_3_bypass": (1, 1, 96, 128),
        "features_5_bypass": (1, 1, 128, 256),
        "features_8_bypass": (1, 1, 256, 384),
        "features_10_bypass": (1, 1, 384, 512),
    }
    assert simple.count_params() == plain.count_params()
    assert complex_.count_params() - plain.count_params() == 341_248


def test_squeezenet_head_is_a_1x1_convolution_with_relu():
    model = keras_classics.squeezenet1_1(input_shape=(17, 17, 3), classes=7, classifier_activation=None)
    assert model.get_layer("classifier_1").kernel.shape == (1, 1, 512, 7)
    assert np.all(np.asarray(model(random_images(17))) >= 0)  # the reference ends in ReLU + average pool


def test_xception_separable_convolutions_are_depthwise_then_pointwise():
    model = keras_classics.xception(include_top=False, input_shape=(7, 7, 3))
    depthwise = [layer for layer in model.layers if isinstance(layer, keras.layers.DepthwiseConv2D)]
    separable = [layer.name[: -len("_conv1")] for layer in depthwise]
    # 2 + 2 + 2 entry-flow, 8 x 3 middle-flow, 2 exit-flow block and 2 final separable convolutions.
    assert len(separable) == 34
    for name in separable:
        pointwise = model.get_layer(f"{name}_pointwise")
        assert pointwise.kernel.shape[:2] == (1, 1) and not pointwise.use_bias
        assert model.get_layer(f"{name}_conv1").kernel.shape[:2] == (3, 3)
    # timm's indices: block1 starts without a ReLU (rep.0 is a separable conv), the others with one.
    assert {"block1_rep_0_conv1", "block1_rep_1", "block2_rep_0", "block2_rep_1_conv1", "block12_rep_4_pointwise"} <= {
        layer.name for layer in model.layers
    }
    assert [model.get_layer(f"block{i}_skip").strides for i in (1, 2, 3, 12)] == [(2, 2)] * 4
    assert not any(layer.name == f"block{i}_skip" for i in range(4, 12) for layer in model.layers)
    # timm's legacy_xception uses PyTorch's BatchNorm defaults (eps 1e-5, momentum 0.1).
    norms = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    assert {(layer.epsilon, layer.momentum) for layer in norms} == {(1e-5, 0.9)}
