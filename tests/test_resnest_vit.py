"""ResNeSt and ViT: structure the reference weights rely on, family options, position-embedding
resampling, and logits against timm/torchvision at small input sizes (the `parity` tier).

The generic checks (counts, shapes, pooling, channels, save/load, training) are in test_models.py;
`MultiHeadSelfAttention` is checked against torch `nn.MultiheadAttention` in tests/layers/test_vit.py.
"""

import sys

# As tests/layers/conftest.py: Triton loaded after TensorFlow crashes the interpreter; torch runs without it.
sys.modules.setdefault("triton", None)

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import keras_classics  # noqa: E402
from keras_classics.layers import ClassToken, LearnedPositionEmbedding, SplitAttention  # noqa: E402
from keras_classics.models.vit import resample_position_embedding  # noqa: E402
from keras_classics.weights.reference import load_reference_weights  # noqa: E402
from zoo_helpers import drop_path_rates, random_images  # noqa: E402

RESNEST = ["resnest50", "resnest101"]


# ------------------------------------------------------------------------------------------------ ResNeSt
def test_resnest_blocks_follow_timm_layout():
    model = keras_classics.resnest50(include_top=False, input_shape=(64, 64, 3))
    layer = model.get_layer
    # Deep stem 32-32-64 (timm conv1.0/.3/.6), bn1 after the third conv.
    assert [layer(n).filters for n in ("conv1_0", "conv1_3", "conv1_6")] == [32, 32, 64]
    assert isinstance(layer("bn1"), keras.layers.BatchNormalization)
    # Radix-2 split attention replaces the 3x3 conv; its conv is never strided (avd takes the stride).
    conv2 = layer("layer2_0_conv2")
    assert isinstance(conv2, SplitAttention) and conv2.radix == 2 and conv2.strides == 1
    assert conv2.fc1.filters == 64 and conv2.conv.filters == 256  # make_divisible(128 * 2 / 4, 8, 32)
    # avd: a 3x3/2 average pool after the split attention, only in the stride-2 blocks.
    assert isinstance(layer("layer2_0_avd_last"), keras.layers.AveragePooling2D)
    names = {l.name for l in model.layers}
    assert "layer1_0_avd_last" not in names and "layer2_1_avd_last" not in names
    # avg_down: AvgPool (downsample.0) -> 1x1 conv (.1) -> BN (.2); layer1 only projects channels.
    assert isinstance(layer("layer2_0_downsample_0"), keras.layers.AveragePooling2D)
    assert layer("layer2_0_downsample_1").kernel_size == (1, 1)
    assert "layer1_0_downsample_0" not in names and "layer1_0_downsample_1" in names
    assert tuple(model.output.shape) == (None, 2, 2, 2048)


@pytest.mark.parametrize("name", RESNEST)
def test_resnest_stages_exist_and_halve(name):
    spec = keras_classics.model_info(name)
    model = keras_classics.create_model(name, include_top=False, input_shape=(64, 64, 3))
    sides = [model.get_layer(stage).output.shape[1] for stage in spec.stages]
    assert sides == [32, 16, 8, 4, 2]


def test_resnest_odd_input_sizes():
    # ceil_mode average pooling in the shortcut: 33 -> 17 -> 9 -> 5 -> 3 -> 2 like timm.
    model = keras_classics.resnest50(include_top=False, input_shape=(33, 33, 3))
    assert tuple(model.output.shape) == (None, 2, 2, 2048)
    assert np.all(np.isfinite(model(random_images(33))))


def test_resnest_drop_path_rate():
    model = keras_classics.resnest50(drop_path_rate=0.3, input_shape=(32, 32, 3), classes=3)
    rates = list(drop_path_rates(model).values())
    # timm's linear rule over the 16 blocks: block i drops with 0.3 * i / 15 (block 0 has none).
    np.testing.assert_allclose(rates, [0.3 * i / 15 for i in range(1, 16)], rtol=1e-6)
    assert not drop_path_rates(keras_classics.resnest50(input_shape=(32, 32, 3)))
    with pytest.raises(ValueError, match="drop_path_rate must be a number in"):
        keras_classics.resnest50(drop_path_rate=1.0)


# -------------------------------------------------------------------------------------------------- ViT
def test_resample_identity_when_grid_unchanged():
    pos = np.random.default_rng(0).normal(size=(1, 1 + 7 * 7, 5)).astype("float32")
    out = resample_position_embedding(pos, 7)
    assert out.dtype == pos.dtype and np.array_equal(out, pos)
    np.testing.assert_array_equal(resample_position_embedding(pos[0], (7, 7)), pos[0])


@pytest.mark.parametrize("new_grid, margin, interior_atol", [((16, 16), 3, 1e-3), ((4, 6), 1, 0.02)])
def test_resample_preserves_a_smooth_field(new_grid, margin, interior_atol):
    def field(rows, cols):
        # A low-frequency field over the unit square, sampled at the patch centres.
        r = (np.arange(rows) + 0.5) / rows
        c = (np.arange(cols) + 0.5) / cols
        return np.stack([np.sin(2 * r)[:, None] + np.cos(c)[None, :], r[:, None] * c[None, :]], axis=-1)

    cls = np.array([[[3.0, -4.0]]])
    pos = np.concatenate([cls, field(8, 8).reshape(1, 64, 2)], axis=1)
    out = resample_position_embedding(pos, new_grid)
    assert out.shape == (1, 1 + new_grid[0] * new_grid[1], 2)
    np.testing.assert_array_equal(out[:, :1], cls)  # the class token is not interpolated
    error = np.abs(out[0, 1:].reshape(*new_grid, 2) - field(*new_grid))
    # Cubic accuracy inside; near the border the kernel is truncated and renormalized (as torch does).
    assert error[margin:-margin, margin:-margin].max() < interior_atol
    assert error.max() < 0.06


def test_resample_errors():
    with pytest.raises(ValueError, match="not a square grid"):
        resample_position_embedding(np.zeros((1, 1 + 6, 4)), 3)
    with pytest.raises(ValueError, match="does not hold"):
        resample_position_embedding(np.zeros((1, 1 + 6, 4)), 3, old_grid=(2, 2))


@pytest.mark.parity
@pytest.mark.parametrize("old, new", [(14, 24), (14, 5), (7, (3, 9))])
def test_resample_equals_timm(old, new):
    torch = pytest.importorskip("torch")
    pos_embed = pytest.importorskip("timm.layers.pos_embed")
    pos = np.random.default_rng(1).normal(size=(1, 1 + old * old, 6)).astype("float32")
    grid = (new, new) if isinstance(new, int) else new
    expected = pos_embed.resample_abs_pos_embed(torch.from_numpy(pos), list(grid), num_prefix_tokens=1).numpy()
    np.testing.assert_allclose(resample_position_embedding(pos, grid), expected, atol=1e-5)


def test_vit_headless_returns_normed_token_sequence():
    model = keras_classics.vit_ti_16(include_top=False, input_shape=(48, 48, 3))
    assert tuple(model.output.shape) == (None, 1 + 3 * 3, 192)
    assert model.layers[-1].name == "norm"


@pytest.mark.parametrize("size", [32, 48])
def test_vit_patch_tokens_are_row_major_patch_projections(size):
    # The patch embedding (conv P x P / P with bias, then a reshape) equals flattening each patch in
    # row-major patch order and projecting it, as timm and torchvision do.
    model = keras_classics.vit_ti_16(include_top=False, input_shape=(size, size, 3))
    tokens = keras.Model(model.input, model.get_layer("patch_tokens").output)
    kernel, bias = (keras.ops.convert_to_numpy(w) for w in model.get_layer("patch_embed_proj").weights)
    p, n, d = 16, size // 16, kernel.shape[-1]
    x = random_images(size)
    patches = x[:, : n * p, : n * p].reshape(2, n, p, n, p, 3).transpose(0, 1, 3, 2, 4, 5).reshape(2, n * n, -1)
    np.testing.assert_allclose(tokens(x), patches @ kernel.reshape(-1, d) + bias, rtol=1e-4, atol=1e-4)


def test_vit_position_embedding_follows_input_size():
    # Non-square: 2 x 3 patches of 32 pixels.
    model = keras_classics.vit_b_32(input_shape=(64, 96, 3), classes=2)
    pos = model.get_layer("encoder_pos_embedding")
    assert isinstance(pos, LearnedPositionEmbedding) and tuple(pos.pos_embedding.shape) == (1, 1 + 2 * 3, 768)
    with pytest.raises(ValueError, match="needs a fixed height"):
        keras_classics.vit_b_32(include_top=False, input_shape=(None, None, 3))


@pytest.mark.parametrize("shape", [(100, 100, 3), (64, 100, 3), (40, 32, 3)])
def test_vit_rejects_sides_that_are_not_whole_patches(shape):
    # Silently dropping the pixels past the last whole patch would compute on a different image.
    with pytest.raises(ValueError, match="must be multiples of 16 .nearest: "):
        keras_classics.vit_ti_16(input_shape=shape)


def test_vit_head_reads_the_class_token():
    model = keras_classics.vit_ti_16(input_shape=(32, 32, 3), classes=4, classifier_activation=None)
    images = random_images(32)
    tokens = keras.Model(model.input, model.get_layer("norm").output)(images)
    head = model.get_layer("head")
    expected = np.asarray(tokens)[:, 0] @ head.kernel.numpy() + head.bias.numpy()
    np.testing.assert_allclose(model(images), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("vit_ti_16", ["patch_embed_proj", "cls_token", "pos_embed", "blocks_11_norm1", "blocks_11_attn",
                       "blocks_11_norm2", "blocks_11_mlp_fc1", "blocks_11_mlp_fc2", "norm", "head"]),
        ("vit_b_32", ["conv_proj", "class_token", "encoder_pos_embedding", "encoder_layers_encoder_layer_11_ln_1",
                      "encoder_layers_encoder_layer_11_self_attention", "encoder_layers_encoder_layer_11_ln_2",
                      "encoder_layers_encoder_layer_11_mlp_0", "encoder_layers_encoder_layer_11_mlp_3",
                      "encoder_ln", "heads_head"]),
    ],
)
def test_vit_layer_names_follow_reference(name, expected):
    model = keras_classics.create_model(name, input_shape=(32, 32, 3), classes=2)
    names = {l.name for l in model.layers}
    assert set(expected) <= names
    assert set(keras_classics.model_info(name).stages) <= names
    assert isinstance(model.get_layer(expected[1]), ClassToken)
    norms = [l for l in model.layers if isinstance(l, keras.layers.LayerNormalization)]
    assert len(norms) == 25 and all(l.epsilon == 1e-6 for l in norms)


def test_vit_regularization_options():
    model = keras_classics.vit_ti_16(
        input_shape=(32, 32, 3), classes=3, dropout_rate=0.1, attention_dropout_rate=0.2, drop_path_rate=0.11
    )
    rates = sorted({round(rate, 6) for rate in drop_path_rates(model).values()})
    np.testing.assert_allclose(rates, [0.11 * i / 11 for i in range(1, 12)], rtol=1e-5)
    paths = set(drop_path_rates(model))
    dropouts = [l for l in model.layers if isinstance(l, keras.layers.Dropout) and l.name not in paths]
    assert len(dropouts) == 1 + 3 * 12 and {l.rate for l in dropouts} == {0.1}
    assert model.get_layer("blocks_0_attn").dropout == 0.2
    images = random_images(32)
    np.testing.assert_allclose(model(images, training=False), model(images, training=False))
    assert not np.allclose(model(images, training=True), model(images, training=False))
    for option in ("dropout_rate", "attention_dropout_rate", "drop_path_rate"):
        with pytest.raises(ValueError, match=f"{option} must be a number in"):
            keras_classics.vit_ti_16(**{option: -0.1})


# --------------------------------------------------------------------------------------- reference parity
def _randomize(module, torch, generator):
    """Every floating parameter and buffer random (torchvision's zero-init head would hide errors)."""
    norms = (torch.nn.modules.batchnorm._BatchNorm, torch.nn.LayerNorm)
    with torch.no_grad():
        for sub in module.modules():
            tensors = list(sub.named_parameters(recurse=False)) + list(sub.named_buffers(recurse=False))
            for key, value in tensors:
                if value.is_floating_point():
                    noise = torch.randn(value.shape, generator=generator) * 0.05
                    if key == "running_var" or (isinstance(sub, norms) and key == "weight"):
                        noise = noise + 1.0
                    value.copy_(noise)


def _compare(reference, model, size, torch):
    images = np.random.default_rng(0).uniform(-1.0, 1.0, (2, size, size, 3)).astype("float32")
    with torch.no_grad():
        expected = reference(torch.from_numpy(images.transpose(0, 3, 1, 2))).numpy()
    actual = np.asarray(model(images, training=False))
    assert np.max(np.abs(actual - expected)) <= 1e-4 * np.max(np.abs(expected))


@pytest.mark.parity
def test_resnest50_matches_timm_at_an_odd_size():
    torch = pytest.importorskip("torch")
    timm = pytest.importorskip("timm")
    reference = timm.create_model("resnest50d", pretrained=False).eval()
    _randomize(reference, torch, torch.Generator().manual_seed(0))
    model = keras_classics.resnest50(input_shape=(65, 65, 3), classifier_activation=None)
    load_reference_weights(model, reference.state_dict())
    _compare(reference, model, 65, torch)


@pytest.mark.parity
def test_vit_ti_16_imports_timm_224_weights_at_another_size():
    torch = pytest.importorskip("torch")
    timm = pytest.importorskip("timm")
    # timm resamples its 14x14 position embedding on the fly for other sizes (dynamic_img_size).
    reference = timm.create_model("vit_tiny_patch16_224", pretrained=False, dynamic_img_size=True).eval()
    _randomize(reference, torch, torch.Generator().manual_seed(1))
    model = keras_classics.vit_ti_16(input_shape=(80, 80, 3), classifier_activation=None)
    load_reference_weights(model, reference.state_dict())
    _compare(reference, model, 80, torch)


@pytest.mark.parity
def test_vit_b_32_matches_torchvision():
    torch = pytest.importorskip("torch")
    torchvision = pytest.importorskip("torchvision")
    reference = torchvision.models.vit_b_32(image_size=64).eval()
    _randomize(reference, torch, torch.Generator().manual_seed(2))
    model = keras_classics.vit_b_32(input_shape=(64, 64, 3), classifier_activation=None)
    load_reference_weights(model, reference.state_dict())  # in_proj_weight -> qkv, out_proj -> proj
    _compare(reference, model, 64, torch)
