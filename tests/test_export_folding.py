"""Folding BatchNormalization into the layer before it: the same outputs, fewer layers, nothing else touched."""

import keras
import numpy as np
import pytest

import keras_classics
from keras_classics.export import fold_batch_norm, foldable_pairs
from keras_classics.layers import GroupConv2D

RNG = np.random.default_rng(0)


def with_trained_statistics(model):
    """Gives every BatchNormalization non-trivial gamma, beta, mean and variance (fresh ones are an identity map,
    which folding could get wrong unnoticed)."""
    for layer in _all_layers(model):
        if isinstance(layer, keras.layers.BatchNormalization):
            weights = {w.path.split("/")[-1]: w for w in layer.weights}
            for name, variable in weights.items():
                low, high = (0.5, 1.5) if name in ("gamma", "moving_variance") else (-0.3, 0.3)
                variable.assign(RNG.uniform(low, high, variable.shape).astype("float32"))
    return model


def _all_layers(model):
    for layer in model.layers:
        yield from _all_layers(layer) if isinstance(layer, keras.Model) else [layer]


def assert_same_outputs(model, folded, scale_tolerance=1e-5):
    x = RNG.uniform(-1, 1, (2, *model.inputs[0].shape[1:])).astype("float32")
    expected = np.asarray(keras.ops.convert_to_tensor(model(x, training=False)))
    got = np.asarray(keras.ops.convert_to_tensor(folded(x)))
    np.testing.assert_allclose(got, expected, atol=scale_tolerance * max(1.0, np.abs(expected).max()))


def batch_norms(model):
    return [layer for layer in _all_layers(model) if isinstance(layer, keras.layers.BatchNormalization)]


# `make test` folds one network per kind of BatchNormalization placement; the rest fold in `make test-zoo`.
ZOO = pytest.mark.zoo


@pytest.mark.parametrize(
    "name, size, all_folded",
    [
        ("resnet18", 64, True),  # conv -> BN everywhere, the shortcut's too
        ("mobilenet_v3_small", 64, True),  # depthwise convolutions, SE, hard-swish
        ("resnet50_v2", 64, False),  # pre-activation: BN after additions stays
        ("shufflenet_v2_x0_5", 64, True),  # channel split: a Keras op, not a layer, in the graph
        pytest.param("resnext50_32x4d", 64, True, marks=ZOO),  # grouped convolutions (GroupConv2D)
        pytest.param("densenet121", 64, False, marks=ZOO),  # BN after each concatenation stays
        pytest.param("inception_v3", 75, True, marks=ZOO),  # auxiliary head: two outputs
    ],
)
def test_zoo_networks_keep_their_outputs_and_lose_their_foldable_batch_norms(name, size, all_folded):
    spec = keras_classics.model_info(name)
    shape = (size, size, spec.channels)
    model = with_trained_statistics(keras_classics.create_model(name, input_shape=shape, classes=7))
    folded = fold_batch_norm(model)
    pairs = foldable_pairs(model)
    assert_same_outputs(model, folded)
    assert pairs and len(batch_norms(folded)) == len(batch_norms(model)) - len(pairs)
    assert (not batch_norms(folded)) == all_folded
    assert [layer.name for layer in folded.layers] == [layer.name for layer in model.layers]
    assert folded.name == model.name
    assert folded.count_params() < model.count_params()
    # the original keeps its BatchNormalization layers and weights
    assert len(batch_norms(model)) == len(batch_norms(keras_classics.create_model(name, input_shape=(size, size, 3))))


def test_keras_applications_models_fold_too():
    model = with_trained_statistics(keras.applications.MobileNetV2(weights=None, input_shape=(64, 64, 3), classes=5))
    folded = fold_batch_norm(model)
    assert_same_outputs(model, folded)
    assert not batch_norms(folded)


def _graph_with(layer_before, norm=None, input_shape=(6, 6, 4)):
    inputs = keras.Input(input_shape)
    x = layer_before(inputs)
    outputs = (norm or keras.layers.BatchNormalization(name="bn"))(x)
    return with_trained_statistics(keras.Model(inputs, outputs))


@pytest.mark.parametrize(
    "layer",
    [
        keras.layers.Conv2D(5, 3, use_bias=True, name="conv_with_bias"),
        GroupConv2D(6, 3, groups=2, use_bias=False, name="grouped_conv"),
        keras.layers.DepthwiseConv2D(3, depth_multiplier=2, name="depthwise_times_two"),
        keras.layers.Conv1D(5, 2, name="conv1d"),
        keras.layers.Dense(5, name="dense"),  # BatchNorm1d after a Linear
    ],
    ids=lambda layer: layer.name,
)
def test_each_kind_of_producer_folds_exactly(layer):
    shape = (6, 4) if isinstance(layer, keras.layers.Conv1D) else (6, 6, 4)
    model = _graph_with(layer, input_shape=shape)
    layer.set_weights([RNG.normal(0, 1, w.shape).astype("float32") for w in layer.get_weights()])
    assert foldable_pairs(model) == [(layer.name, "bn")]
    assert_same_outputs(model, fold_batch_norm(model))


def test_batch_norm_without_scale_or_center_folds():
    plain = keras.layers.BatchNormalization(scale=False, center=False)
    model = _graph_with(keras.layers.Conv2D(3, 1, name="conv"), plain)
    assert_same_outputs(model, fold_batch_norm(model))


@pytest.mark.parametrize("case", ["output_also_used_elsewhere", "activation_in_the_conv", "channels_axis_not_last"])
def test_what_cannot_fold_is_left_alone_and_still_computes_the_same(case):
    inputs = keras.Input((6, 6, 4))
    activation = "relu" if case == "activation_in_the_conv" else None
    x = keras.layers.Conv2D(4, 3, padding="same", activation=activation, name="conv")(inputs)
    y = keras.layers.BatchNormalization(axis=1 if case == "channels_axis_not_last" else -1, name="bn")(x)
    if case == "output_also_used_elsewhere":
        y = keras.layers.Add()([x, y])
    model = with_trained_statistics(keras.Model(inputs, y))
    assert foldable_pairs(model) == []
    folded = fold_batch_norm(model)
    assert len(batch_norms(folded)) == 1
    assert_same_outputs(model, folded)


def test_nested_and_sequential_models_fold():
    backbone = keras_classics.mobilenet_v3_small(input_shape=(64, 64, 3), include_top=False, pooling="avg")
    inputs = keras.Input((64, 64, 3))
    outer = keras.Model(inputs, keras.layers.Dense(3, name="head")(backbone(inputs)), name="transfer")
    with_trained_statistics(outer)
    pairs = foldable_pairs(outer)
    assert pairs and all(a.startswith(f"{backbone.name}/") for a, _ in pairs)
    folded = fold_batch_norm(outer)
    assert_same_outputs(outer, folded)
    assert not batch_norms(folded)

    sequential = keras.Sequential(
        [keras.Input((8, 8, 3)), keras.layers.Conv2D(4, 3, name="c"), keras.layers.BatchNormalization(name="b")]
    )
    with_trained_statistics(sequential)
    assert foldable_pairs(sequential) == [("c", "b")]
    assert_same_outputs(sequential, fold_batch_norm(sequential))


def test_a_folded_model_saves_and_loads_as_a_plain_keras_file(tmp_path):
    model = with_trained_statistics(keras_classics.resnet18(input_shape=(32, 32, 3), classes=4))
    folded = fold_batch_norm(model)
    folded.save(tmp_path / "folded.keras")
    assert_same_outputs(model, keras.models.load_model(tmp_path / "folded.keras"))


def test_models_without_a_graph_get_a_clear_error():
    class Subclassed(keras.Model):
        def call(self, x):
            return x

    with pytest.raises(TypeError, match="functional or Sequential Keras model.*got Subclassed"):
        fold_batch_norm(Subclassed())
    with pytest.raises(TypeError, match="got Conv2D"):
        foldable_pairs(keras.layers.Conv2D(3, 1))
    with pytest.raises(ValueError, match="not built yet"):
        fold_batch_norm(keras.Sequential([keras.layers.Conv2D(3, 1)]))


def test_a_batch_norm_layer_called_twice_is_left_alone():
    # One BatchNormalization shared by two branches cannot take either convolution's weights.
    inputs = keras.Input((6, 6, 3))
    shared = keras.layers.BatchNormalization(name="shared_bn")
    a = shared(keras.layers.Conv2D(4, 1, name="conv_a")(inputs))
    b = shared(keras.layers.Conv2D(4, 1, name="conv_b")(inputs))
    model = with_trained_statistics(keras.Model(inputs, keras.layers.Add()([a, b])))
    assert foldable_pairs(model) == []
    assert_same_outputs(model, fold_batch_norm(model))
