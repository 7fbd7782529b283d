"""ResNet family specifics: the attention / drop-path / zero-init options, v1.5 and ResNeXt structure, the
feature stages, and the CIFAR Wide ResNets. The generic checks (counts, shapes, save/load, training) live
in test_models.py; the torchvision/timm logits in test_parity.py.

The parity tests here build their references in a subprocess: importing timm or torchvision after
TensorFlow crashes the interpreter (torch 2.14 + TF 2.21), and this process has TensorFlow loaded.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

import keras_classics
from keras_classics.layers import CBAM, EfficientChannelAttention, SqueezeExcite
from zoo_helpers import drop_path_rates

RESNET18_PARAMS = 11_689_512
# Output channels of resnet18's eight basic blocks.
RESNET18_CHANNELS = [64, 64, 128, 128, 256, 256, 512, 512]
RESNET18_BLOCKS = [f"layer{s}_{b}" for s in (1, 2, 3, 4) for b in (0, 1)]
ATTENTION_CLASSES = {"se": SqueezeExcite, "eca": EfficientChannelAttention, "cbam": CBAM}


def _trainable(model):
    return int(sum(np.prod(w.shape) for w in model.trainable_weights))


def _attention_params(kind, channels):
    """Parameters one attention module adds to a block with `channels` outputs, derived by hand."""
    if kind == "se":
        squeeze = {64: 8, 128: 8, 256: 16, 512: 32}[channels]  # timm: make_divisible(c / 16, 8)
        return channels * squeeze + squeeze + squeeze * channels + channels
    if kind == "eca":
        return {64: 3, 128: 5, 256: 5, 512: 5}[channels]  # k = odd(int((log2 c + 1) / 2)), no bias
    hidden = channels // 16  # CBAM: shared MLP with biases, 7x7x2 spatial conv, BN gamma + beta
    return channels * hidden + hidden + hidden * channels + channels + 7 * 7 * 2 + 2


# ------------------------------------------------------------------------------------ attention option
@pytest.mark.parametrize("kind", ["se", "eca", "cbam"])
def test_attention_option_adds_module_to_every_block(kind):
    model = keras_classics.resnet18(attention=kind, input_shape=(32, 32, 3))
    expected = RESNET18_PARAMS + sum(_attention_params(kind, c) for c in RESNET18_CHANNELS)
    assert _trainable(model) == expected
    found = [layer.name for layer in model.layers if isinstance(layer, ATTENTION_CLASSES[kind])]
    assert found == [f"{block}_{kind}" for block in RESNET18_BLOCKS]
    # On the residual branch: after the block's last BN, before the addition.
    for block in RESNET18_BLOCKS:
        layer = model.get_layer(f"{block}_{kind}")
        assert layer.input is model.get_layer(f"{block}_bn2").output
        assert layer.output is model.get_layer(f"{block}_add").input[0]


def test_named_attention_variants_default_to_their_module():
    for name, kind in [("se_resnet50", "se"), ("se_resnext50_32x4d", "se"), ("cbam_resnet50", "cbam"),
                       ("eca_resnet50", "eca")]:
        model = keras_classics.create_model(name, input_shape=(32, 32, 3))
        blocks = [layer for layer in model.layers if isinstance(layer, ATTENTION_CLASSES[kind])]
        assert len(blocks) == 16, name
        assert model.get_layer(f"layer4_2_{kind}").input is model.get_layer("layer4_2_bn3").output
    eca = keras_classics.eca_resnet50(input_shape=(32, 32, 3))
    assert [eca.get_layer(f"layer{s}_0_eca").conv.kernel_size[0] for s in (1, 2, 3, 4)] == [5, 5, 5, 7]
    se = keras_classics.se_resnet50(input_shape=(32, 32, 3))
    assert [se.get_layer(f"layer{s}_0_se").fc1.filters for s in (1, 2, 3, 4)] == [16, 32, 64, 128]
    # The option overrides a named variant's default: SE-ResNet-50 without SE is ResNet-50.
    plain = keras_classics.se_resnet50(attention=None, input_shape=(32, 32, 3))
    assert _trainable(plain) == keras_classics.model_info("resnet50").params


def test_bad_family_options_raise():
    with pytest.raises(ValueError, match="attention must be one of None, 'cbam', 'eca', 'se'; got 'sk'"):
        keras_classics.resnet18(attention="sk")
    with pytest.raises(ValueError, match="drop_path_rate must be a number in \\[0, 1\\); got 1.0"):
        keras_classics.resnet18(drop_path_rate=1.0)
    with pytest.raises(ValueError, match="dropout_rate must be a number in \\[0, 1\\); got 1.5"):
        keras_classics.wrn_16_8(dropout_rate=1.5)


# ---------------------------------------------------------------------------------- drop path, zero init
def test_drop_path_rate_grows_linearly_over_the_blocks():
    model = keras_classics.resnet18(drop_path_rate=0.2, attention="se", input_shape=(32, 32, 3))
    drops = drop_path_rates(model)
    # timm's rule: rate * i / (blocks - 1); the first block (rate 0) gets no layer.
    expected = {f"{block}_drop_path": 0.2 * i / 7 for i, block in enumerate(RESNET18_BLOCKS) if i}
    assert drops.keys() == expected.keys()
    for name, rate in expected.items():
        assert drops[name] == pytest.approx(rate)
    last = model.get_layer("layer4_1_drop_path")
    assert last.input is model.get_layer("layer4_1_se").output
    assert last.output is model.get_layer("layer4_1_add").input[0]
    assert not drop_path_rates(keras_classics.resnet18(input_shape=(32, 32, 3)))


def test_zero_init_residual_makes_blocks_start_as_identity():
    model = keras_classics.resnet50(zero_init_residual=True, include_top=False, input_shape=(64, 64, 3))
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            expected = 0.0 if layer.name.endswith("_bn3") else 1.0
            np.testing.assert_array_equal(layer.gamma.numpy(), expected, err_msg=layer.name)
    taps = keras.Model(model.input, [model.get_layer(n).output for n in ("layer1_0_out", "layer1_1_out")])
    images = np.random.default_rng(0).uniform(size=(2, 64, 64, 3)).astype("float32")
    first, second = taps(images, training=False)
    np.testing.assert_allclose(second, first, atol=1e-6)  # relu(0 + x) with x = relu(...) >= 0


# ------------------------------------------------------------------------------------------ structure
def test_v1_5_stride_on_the_3x3_and_resnext_groups():
    resnet = keras_classics.resnet50(input_shape=(64, 64, 3))
    assert resnet.get_layer("layer2_0_conv1").strides == (1, 1)
    assert resnet.get_layer("layer2_0_conv2").strides == (2, 2)
    assert resnet.get_layer("layer2_0_downsample_0").strides == (2, 2)
    resnext = keras_classics.resnext50_32x4d(input_shape=(64, 64, 3))
    conv = resnext.get_layer("layer1_0_conv2")
    assert (conv.groups, conv.filters) == (32, 128)
    assert keras_classics.wide_resnet50_2(input_shape=(64, 64, 3)).get_layer("layer1_0_conv1").filters == 128


@pytest.mark.parametrize(
    "name, size, expected",
    [
        ("resnet50", 64, [(32, 64), (16, 256), (8, 512), (4, 1024), (2, 2048)]),
        ("resnet18", 64, [(32, 64), (16, 64), (8, 128), (4, 256), (2, 512)]),
        ("wrn_16_8", 32, [(32, 128), (16, 256), (8, 512)]),
    ],
)
def test_feature_stages(name, size, expected):
    spec = keras_classics.model_info(name)
    model = keras_classics.create_model(name, include_top=False, input_shape=(size, size, 3))
    shapes = [tuple(model.get_layer(stage).output.shape[2:]) for stage in spec.stages]
    assert shapes == expected
    assert model.output is model.get_layer(spec.stages[-1]).output


def test_smallest_input_runs_like_the_reference():
    # Every conv and the max pool are padded and the head pools globally: torchvision accepts 1x1 too.
    assert keras_classics.model_info("resnet50").min_size == 1
    model = keras_classics.resnet18(input_shape=(1, 1, 3), classes=4)
    assert tuple(model(np.ones((2, 1, 1, 3), "float32")).shape) == (2, 4)


# ------------------------------------------------------------------------------------ wide resnets
def _wrn_params(depth, width, classes=10):
    """WRN-d-k trainable parameters from the paper's Table 1 (bias-free convs, BN gamma/beta, fc)."""
    n, cin = (depth - 4) // 6, 16
    total = 3 * 3 * 3 * 16
    for filters in (16 * width, 32 * width, 64 * width):
        for _ in range(n):
            total += 2 * cin + 9 * cin * filters + 2 * filters + 9 * filters * filters
            total += cin * filters if cin != filters else 0
            cin = filters
    return total + 2 * cin + cin * classes + classes


@pytest.mark.parametrize("name, depth, width", [("wrn_28_10", 28, 10), ("wrn_16_8", 16, 8), ("wrn_40_4", 40, 4)])
def test_wide_resnet_counts_follow_table_1(name, depth, width):
    assert keras_classics.model_info(name).params == _wrn_params(depth, width)


def test_wide_resnet_structure():
    model = keras_classics.wrn_16_8()
    assert model.input.shape[1:] == (32, 32, 3) and model.output.shape[-1] == 10
    dropouts = [layer for layer in model.layers if isinstance(layer, keras.layers.Dropout)]
    assert [d.name for d in dropouts] == [f"stage{s}_block{b}_dropout" for s in (1, 2, 3) for b in (1, 2)]
    assert all(d.rate == 0.3 for d in dropouts)
    block = "stage2_block1"  # dropout between the two 3x3 convs, after the second BN-ReLU
    assert model.get_layer(f"{block}_dropout").input is model.get_layer(f"{block}_relu2").output
    assert model.get_layer(f"{block}_conv2").input is model.get_layer(f"{block}_dropout").output
    # 1x1 shortcut only where the shape changes, on the pre-activated input.
    shortcuts = sorted(layer.name for layer in model.layers if layer.name.endswith("_shortcut"))
    assert shortcuts == ["stage1_block1_shortcut", "stage2_block1_shortcut", "stage3_block1_shortcut"]
    assert model.get_layer("stage2_block1_shortcut").input is model.get_layer("stage2_block1_relu1").output
    assert not any(
        isinstance(layer, keras.layers.Dropout) for layer in keras_classics.wrn_16_8(dropout_rate=0.0).layers
    )


# ------------------------------------------------------------------------------------------- parity
REFERENCE_SCRIPT = textwrap.dedent(
    r'''
    import functools, sys
    import numpy as np, torch, torch.nn.functional as F
    from timm.layers.cbam import CbamModule
    from timm.models.resnet import BasicBlock, ResNet

    out = sys.argv[1]
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)

    def save(case, state, forward, size):
        x = np.random.default_rng(0).normal(size=(2, size, size, 3)).astype("float32")
        with torch.no_grad():
            y = forward(torch.from_numpy(x.transpose(0, 3, 1, 2))).numpy()
        np.savez(f"{out}/{case}.npz", **{k: v.detach().numpy() for k, v in state.items()})
        np.savez(f"{out}/{case}_io.npz", x=x, y=y)

    def bn_stats(c):
        return dict(weight=torch.rand(c, generator=g) + 0.5, bias=torch.randn(c, generator=g) * 0.1,
                    running_mean=torch.randn(c, generator=g) * 0.1, running_var=torch.rand(c, generator=g) + 0.5)

    # resnet18 + attention: timm's ResNet with the module on the residual branch. timm names every
    # attention module `se`; ours are `se`, `eca` (official ECA code) and `cbam` (CBAM with MLP biases).
    attention = {"se": "se", "eca": "eca", "cbam": functools.partial(CbamModule, mlp_bias=True)}
    renames = {
        "se": lambda k: k,
        "eca": lambda k: k.replace(".se.", ".eca."),
        "cbam": lambda k: k.replace(".se.channel.", ".cbam.").replace(".se.spatial.conv.conv", ".cbam.spatial_conv")
        .replace(".se.spatial.conv.bn", ".cbam.spatial_bn"),
    }
    for kind, layer in attention.items():
        m = ResNet(block=BasicBlock, layers=(2, 2, 2, 2), num_classes=10, block_args=dict(attn_layer=layer))
        with torch.no_grad():
            for sub in m.modules():
                if isinstance(sub, torch.nn.BatchNorm2d):
                    for key, value in bn_stats(sub.num_features).items():
                        getattr(sub, key).copy_(value)
        m.eval()
        save(f"resnet18_{kind}", {renames[kind](k): v for k, v in m.state_dict().items()}, m, 64)

    # WRN-16-8 as the authors' functional PyTorch code computes it, with parameters under our names.
    p = {"stem_conv.weight": torch.randn(16, 3, 3, 3, generator=g) * 0.3}
    def conv(name, cin, cout, k):
        p[f"{name}.weight"] = torch.randn(cout, cin, k, k, generator=g) * (2.0 / (k * k * cin)) ** 0.5
    def bn(name, c):
        p.update({f"{name}.{k}": v for k, v in bn_stats(c).items()})
    def bn_relu(x, name):
        return F.relu(F.batch_norm(x, p[f"{name}.running_mean"], p[f"{name}.running_var"], p[f"{name}.weight"],
                                   p[f"{name}.bias"], False, 0.0, 1e-5))
    plan, cin = [], 16
    for s, width in enumerate((128, 256, 512), 1):
        for b in (1, 2):
            name = f"stage{s}_block{b}"
            bn(f"{name}_bn1", cin); conv(f"{name}_conv1", cin, width, 3); bn(f"{name}_bn2", width)
            conv(f"{name}_conv2", width, width, 3)
            if cin != width:
                conv(f"{name}_shortcut", cin, width, 1)
            plan.append((name, 2 if (b == 1 and s > 1) else 1)); cin = width
    bn("head_bn", cin)
    p["head_fc.weight"] = torch.randn(10, cin, generator=g) * 0.05
    p["head_fc.bias"] = torch.randn(10, generator=g) * 0.1
    def wrn(x):
        x = F.conv2d(x, p["stem_conv.weight"], padding=1)
        for name, stride in plan:
            o1 = bn_relu(x, f"{name}_bn1")
            y = F.conv2d(o1, p[f"{name}_conv1.weight"], stride=stride, padding=1)
            y = F.conv2d(bn_relu(y, f"{name}_bn2"), p[f"{name}_conv2.weight"], padding=1)
            short = p.get(f"{name}_shortcut.weight")
            x = y + (F.conv2d(o1, short, stride=stride) if short is not None else x)
        o = F.avg_pool2d(bn_relu(x, "head_bn"), 8, 1, 0).flatten(1)
        return F.linear(o, p["head_fc.weight"], p["head_fc.bias"])
    save("wrn_16_8", p, wrn, 32)
    '''
)


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    for package in ("torch", "timm"):  # find, not import: see the module docstring
        if importlib.util.find_spec(package) is None:
            pytest.skip(f"{package} is not installed (the `parity` extra)")
    out = tmp_path_factory.mktemp("resnet_references")
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
    result = subprocess.run(
        [sys.executable, "-c", REFERENCE_SCRIPT, str(out)], capture_output=True, text=True, env=env, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    yield out
    shutil.rmtree(out, ignore_errors=True)  # tmp_path_retention_policy covers tmp_path only


def _assert_matches(model, references, case):
    io = np.load(references / f"{case}_io.npz")
    actual = np.asarray(model(io["x"], training=False))
    expected = io["y"]
    assert np.max(np.abs(actual - expected)) <= 1e-4 * np.max(np.abs(expected))
    np.testing.assert_array_equal(actual.argmax(-1), expected.argmax(-1))


@pytest.mark.parity
@pytest.mark.parametrize("kind", ["se", "eca", "cbam"])
def test_attention_option_matches_timm(kind, references):
    model = keras_classics.resnet18(
        attention=kind,
        input_shape=(64, 64, 3),
        classes=10,
        classifier_activation=None,
        weights=str(references / f"resnet18_{kind}.npz"),
    )
    _assert_matches(model, references, f"resnet18_{kind}")


@pytest.mark.parity
def test_wide_resnet_matches_authors_code(references):
    model = keras_classics.wrn_16_8(classifier_activation=None, weights=str(references / "wrn_16_8.npz"))
    _assert_matches(model, references, "wrn_16_8")
