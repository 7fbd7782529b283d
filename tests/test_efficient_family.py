"""EfficientNet, EffNet, GhostNet and HarDNet: the paper tables, the options, and what a phone can run.

The generic checks (counts, shapes, pooling, channels, save/load, training) live in test_models.py and the
logit parity with torchvision/timm in test_parity.py; these tests pin what is specific to these families.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_classics
from keras_classics.layers import GroupConv2D
from keras_classics.models import efficientnet, ghostnet, hardnet
from keras_classics.weights.reference import load_reference_weights
from zoo_helpers import drop_path_rates

OURS = keras_classics.list_models("efficientnet_b*") + ["effnet"] + keras_classics.list_models("ghostnet*")
OURS += keras_classics.list_models("hardnet*")

# Layers a TFLite float model runs with builtin ops (Dropout, stochastic depth included, vanishes at inference).
TFLITE_NATIVE = (
    keras.layers.InputLayer,
    keras.layers.Conv2D,  # includes GroupConv2D, checked below for groups == 1
    keras.layers.DepthwiseConv2D,
    keras.layers.Dense,
    keras.layers.BatchNormalization,
    keras.layers.Activation,
    keras.layers.ReLU,
    keras.layers.LeakyReLU,
    keras.layers.ZeroPadding2D,
    keras.layers.MaxPooling2D,
    keras.layers.GlobalAveragePooling2D,
    keras.layers.GlobalMaxPooling2D,
    keras.layers.Add,
    keras.layers.Multiply,
    keras.layers.Concatenate,
    keras.layers.Flatten,
    keras.layers.Dropout,
)


def _small(name):
    spec = keras_classics.model_info(name)
    return max(spec.min_size, 32)


@pytest.mark.parametrize("name", OURS)
def test_only_tflite_native_layers(name):
    size = _small(name)
    model = keras_classics.create_model(name, input_shape=(size, size, 3), classes=5)
    foreign = {type(layer).__name__ for layer in model.layers if not isinstance(layer, TFLITE_NATIVE)}
    assert not foreign, f"{name} uses layers TFLite has no builtin op for: {foreign}"
    grouped = [layer.name for layer in model.layers if isinstance(layer, keras.layers.Conv2D) and layer.groups > 1]
    assert not grouped
    assert not any(isinstance(layer, GroupConv2D) and layer.groups > 1 for layer in model.layers)


@pytest.mark.parametrize("name", OURS)
def test_stage_taps_halve_the_resolution(name):
    spec = keras_classics.model_info(name)
    size = 32 if name == "effnet" else 64
    model = keras_classics.create_model(name, include_top=False, input_shape=(size, size, 3))
    sides = [model.get_layer(stage).output.shape[1] for stage in spec.stages]
    assert sides == [size // 2 ** (i + 1) for i in range(len(sides))]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["efficientnet_b0", "effnet", "ghostnet_050", "hardnet39ds", "hardnet68"])
def test_converts_to_tflite_with_builtin_ops_only(name):
    size = _small(name)
    model = keras_classics.create_model(name, input_shape=(size, size, 3), classes=5)
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    assert len(converter.convert()) > 0


# ------------------------------------------------------------------------------------------ EfficientNet
def test_efficientnet_b0_is_the_paper_table_1():
    stages = efficientnet._layout(1.0, 1.0)
    assert [len(blocks) for blocks in stages] == [1, 2, 2, 3, 3, 4, 1]
    assert [blocks[0][4] for blocks in stages] == [16, 24, 40, 80, 112, 192, 320]
    assert [blocks[0][1] for blocks in stages] == [3, 3, 5, 3, 5, 5, 3]
    assert [blocks[0][2] for blocks in stages] == [1, 2, 2, 2, 1, 2, 1]


def test_efficientnet_compound_scaling():
    # B7: width 2.0, depth 3.1 -> ceil(n * 3.1) blocks, make_divisible(c * 2, 8) channels, head 4 * 640.
    stages = efficientnet._layout(2.0, 3.1)
    assert [len(blocks) for blocks in stages] == [4, 7, 7, 10, 10, 13, 4]
    assert [blocks[-1][4] for blocks in stages] == [32, 48, 80, 160, 224, 384, 640]
    model = keras_classics.efficientnet_b7(include_top=False, input_shape=(32, 32, 3))
    assert model.get_layer("features_0_0").filters == 64
    assert model.output.shape[-1] == 2560


def test_efficientnet_names_follow_torchvision():
    model = keras_classics.efficientnet_b0(input_shape=(32, 32, 3))
    for name in ("features_0_0", "features_0_1", "features_1_0_block_0_0", "features_1_0_block_1_fc1",
                 "features_1_0_block_2_0", "features_2_0_block_0_0", "features_2_0_block_1_0",
                 "features_2_0_block_2_fc2", "features_2_0_block_3_1", "features_8_0", "classifier_1"):
        model.get_layer(name)
    se = model.get_layer("features_2_0_block_2_fc1")
    assert se.filters == 4  # a quarter of the block's input (16), not of its expansion (96)


def test_efficientnet_stochastic_depth_grows_linearly_on_residual_blocks():
    model = keras_classics.efficientnet_b0(input_shape=(32, 32, 3), drop_path_rate=0.4)
    rates = drop_path_rates(model)
    # torchvision: rate * block_id / 16 over B0's 16 blocks, applied only where the block has a residual.
    residual_ids = {"2_1": 2, "3_1": 4, "4_1": 6, "4_2": 7, "5_1": 9, "5_2": 10, "6_1": 12, "6_2": 13, "6_3": 14}
    assert rates == pytest.approx({f"features_{k}_stochastic_depth": 0.4 * i / 16 for k, i in residual_ids.items()})
    plain = keras_classics.efficientnet_b0(input_shape=(32, 32, 3), drop_path_rate=0.0)
    assert not drop_path_rates(plain)


def test_efficientnet_batchnorm_and_dropout_follow_torchvision():
    b0 = keras_classics.efficientnet_b0(input_shape=(32, 32, 3))
    b5 = keras_classics.efficientnet_b5(input_shape=(32, 32, 3))
    assert (b0.get_layer("features_0_1").epsilon, b0.get_layer("features_0_1").momentum) == (1e-5, 0.9)
    assert (b5.get_layer("features_0_1").epsilon, b5.get_layer("features_0_1").momentum) == (1e-3, 0.99)
    assert b0.get_layer("classifier_0").rate == 0.2 and b5.get_layer("classifier_0").rate == 0.4
    custom = keras_classics.efficientnet_b0(input_shape=(32, 32, 3), dropout_rate=0.0)
    dropouts = {layer.name for layer in custom.layers if isinstance(layer, keras.layers.Dropout)}
    assert dropouts == set(drop_path_rates(custom))  # only stochastic depth is left


def test_efficientnet_rejects_bad_rates():
    with pytest.raises(ValueError, match="drop_path_rate must be a number in"):
        keras_classics.efficientnet_b0(drop_path_rate=1.0)
    with pytest.raises(ValueError, match="dropout_rate must be a number in"):
        keras_classics.efficientnet_b0(dropout_rate=-0.1)


# ------------------------------------------------------------------------------------------------ EffNet
def test_effnet_block_is_the_paper_figure():
    model = keras_classics.effnet()
    assert model.input.shape[1:] == (32, 32, 3) and model.output.shape[-1] == 10
    assert not any(isinstance(layer, keras.layers.Add) for layer in model.layers)  # no residuals
    assert model.get_layer("stage1_block1_conv1").filters == 32  # bottleneck factor 2 of 64
    assert model.get_layer("stage1_block1_dwconv1x3").kernel_size == (1, 3)
    assert model.get_layer("stage1_block1_pool1x2").pool_size == (1, 2)
    assert model.get_layer("stage1_block1_dwconv3x1").kernel_size == (3, 1)
    conv = model.get_layer("stage1_block1_conv2x1")
    assert (conv.kernel_size, conv.strides, conv.filters) == ((2, 1), (2, 1), 64)
    assert isinstance(model.get_layer("stage1_block1_conv1_act"), keras.layers.LeakyReLU)
    assert [model.get_layer(f"stage{i}_block1_conv2x1_bn").output.shape[1:] for i in (1, 2, 3)] == [
        (16, 16, 64),
        (8, 8, 128),
        (4, 4, 256),
    ]


def test_effnet_headless_takes_any_size():
    model = keras_classics.effnet(include_top=False, input_shape=(None, None, 3))
    assert model(np.zeros((1, 48, 40, 3), "float32")).shape == (1, 6, 5, 256)


# ---------------------------------------------------------------------------------------------- GhostNet
@pytest.mark.parametrize("width, params", [(0.5, 2587292), (1.3, 7358820)])
def test_ghostnet_width_option(width, params):
    model = keras_classics.ghostnet(width=width)
    assert int(sum(np.prod(w.shape) for w in model.trainable_weights)) == params


def test_ghostnet_rejects_other_widths():
    with pytest.raises(ValueError, match="width must be one of 0.5, 1.0, 1.3; got 0.75"):
        keras_classics.ghostnet(width=0.75)


def test_ghostnet_modules_and_se_follow_timm():
    model = keras_classics.ghostnet(input_shape=(32, 32, 3))
    # Ghost module: half the channels from the 1x1 primary conv, half from the cheap depthwise op.
    assert model.get_layer("blocks_3_0_ghost1_primary_conv_0").filters == 36
    assert model.get_layer("blocks_3_0_ghost1_cheap_operation_0").depth_multiplier == 1
    assert model.get_layer("blocks_3_0_ghost1_concat").output.shape[-1] == 72
    # SE: make_divisible(72 / 4, 4) = 20, hard-sigmoid gate.
    assert model.get_layer("blocks_3_0_se_conv_reduce").filters == 20
    assert model.get_layer("blocks_3_0_se_gate").get_config()["activation"] == "hard_sigmoid"
    head = model.get_layer("conv_head")
    assert head.use_bias and head.filters == 1280
    assert model.get_layer("blocks_9_0_conv").filters == 960


@pytest.mark.parity
@pytest.mark.parametrize("relu", [True, False])
def test_ghostnet_ghost_module_matches_timm(relu):
    # The functional Ghost module (ratio 2, 1x1 primary conv, 3x3 cheap op) against timm's GhostModule,
    # its weights imported by the same name rule as a whole GhostNet's.
    torch = pytest.importorskip("torch")
    timm_ghostnet = pytest.importorskip("timm.models.ghostnet")
    ref = timm_ghostnet.GhostModule(6, 16, act_layer=torch.nn.ReLU if relu else torch.nn.Identity)
    with torch.no_grad():
        for p in ref.parameters():
            p.normal_(std=0.5)
        for bn in (ref.primary_conv[1], ref.cheap_operation[1]):
            bn.running_mean.normal_(std=0.2)
            bn.running_var.uniform_(0.5, 1.5)
    ref.eval()
    inputs = keras.Input((8, 8, 6))
    model = keras.Model(inputs, ghostnet._ghost_module(inputs, 16, relu, "ghost1"))
    load_reference_weights(model, {f"ghost1.{k}": v.numpy() for k, v in ref.state_dict().items()})
    x = np.random.default_rng(0).normal(size=(2, 8, 8, 6)).astype("float32")
    with torch.no_grad():
        expected = ref(torch.from_numpy(x).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy()
    if not relu:
        assert (expected < 0).any()
    np.testing.assert_allclose(model(x, training=False), expected, rtol=1e-4, atol=1e-5)


# ----------------------------------------------------------------------------------------------- HarDNet
def test_hardnet_harmonic_links_and_widths():
    # Layer k takes layers k - 2^n for every 2^n dividing k; width growth * m^n for the largest n (even).
    growth, m = 14, 1.7
    for k in range(1, 17):
        out, sources = hardnet._link(k, growth, m)
        powers = [n for n in range(5) if k % 2**n == 0]
        assert sources == [k - 2**n for n in powers]
        width = growth * m ** max(powers)
        assert out % 2 == 0 and abs(out - width) <= 1.0


def test_hardnet_block_outputs_odd_and_last_layers():
    model = keras_classics.hardnet68(include_top=False, input_shape=(64, 64, 3))
    block = model.get_layer("base_3_cat")
    widths = [hardnet._link(k, 14, 1.7)[0] for k in range(1, 9)]
    assert block.output.shape[-1] == sum(w for k, w in enumerate(widths, start=1) if k % 2 == 1 or k == 8)


@pytest.mark.parametrize("name, paper", [("hardnet39ds", 3.5e6), ("hardnet68", 17.6e6), ("hardnet85", 36.7e6)])
def test_hardnet_parameters_within_two_percent_of_the_paper(name, paper):
    assert abs(keras_classics.model_info(name).params - paper) <= 0.02 * paper


def test_hardnet_ds_downsamples_with_depthwise_convs():
    ds = keras_classics.hardnet39ds(include_top=False, input_shape=(32, 32, 3))
    assert not any(isinstance(layer, keras.layers.MaxPooling2D) for layer in ds.layers)
    assert ds.get_layer("base_2_dwconv").strides == (2, 2)
    assert ds.get_layer("base_3_layers_0_layer1_conv").kernel_size == (1, 1)
    assert ds.get_layer("base_3_layers_0_layer2_dwconv").kernel_size == (3, 3)


@pytest.mark.parametrize("name", keras_classics.list_models("efficientnet_v2_*"))
def test_efficientnet_v2_fuses_the_early_stages_and_squeezes_the_later(name):
    from keras_classics.models.efficientnet_v2 import VARIANTS

    model = keras_classics.create_model(name, include_top=False, input_shape=(64, 64, 3))
    row = {row.name: row for row in VARIANTS}[name]
    layout = row.layout  # torchvision's `features_{s}_0_` from 1 (S/M/L), timm's `blocks_{s}_0_` from 0
    for s, stage in enumerate(row.setting, start=layout.first_stage):
        first = layout.block.format(stage=s, index=0) + "_"
        block = [layer for layer in model.layers if layer.name.startswith(first)]
        depthwise = [layer for layer in block if isinstance(layer, keras.layers.DepthwiseConv2D)]
        gates = [layer for layer in block if isinstance(layer, keras.layers.Multiply)]
        # Fused-MBConv: one regular 3x3 conv, no depthwise conv, no squeeze-and-excitation (Tan & Le 2021, Fig. 2).
        assert (len(depthwise), len(gates)) == ((0, 0) if stage.fused else (1, 1)), f"stage {s}"
    spec = keras_classics.model_info(name)
    assert [model.get_layer(tap).output.shape[1] for tap in spec.stages] == [32, 16, 8, 4, 2]
