"""Checks every custom layer follows the Keras layer recipe: config round trip, `.keras` save/load with no
`custom_objects`, and a forward pass under the mixed_float16 policy."""

import inspect

import keras
import numpy as np
import pytest

import keras_classics.layers as L

# id -> (factory, input shapes without the batch axis)
CASES = {
    "GroupConv2D": (lambda: L.GroupConv2D(8, 3, groups=2, padding="same"), [(5, 5, 4)]),
    "LocalResponseNormalization": (lambda: L.LocalResponseNormalization(alpha=1e-2), [(4, 4, 8)]),
    "ChannelShuffle": (lambda: L.ChannelShuffle(2), [(4, 4, 6)]),
    "SqueezeExcite": (lambda: L.SqueezeExcite(reduction=4, gate="hard_sigmoid"), [(4, 4, 16)]),
    "EfficientChannelAttention": (lambda: L.EfficientChannelAttention(), [(4, 4, 16)]),
    "CBAM": (lambda: L.CBAM(reduction=4), [(6, 6, 16)]),
    "SplitAttention": (lambda: L.SplitAttention(16, strides=2, groups=2), [(8, 8, 16)]),
    "ClassToken": (lambda: L.ClassToken(8), [(4, 8)]),
    "LearnedPositionEmbedding": (lambda: L.LearnedPositionEmbedding(), [(5, 8)]),
    "SinusoidalPositionEmbedding": (lambda: L.SinusoidalPositionEmbedding(), [(5, 8)]),
    "ScaledDotProductAttention": (lambda: L.ScaledDotProductAttention(0.1), [(5, 8), (6, 8), (6, 4)]),
    "MultiHeadSelfAttention": (lambda: L.MultiHeadSelfAttention(2, 8, dropout=0.1), [(5, 8)]),
    "LayerScale": (lambda: L.LayerScale(0.5), [(4, 4, 8)]),
    "OnDevice": (lambda: L.OnDevice(L.GroupConv2D(4, 3, groups=2, padding="same"), "/cpu:0"), [(5, 5, 4)]),
}


def test_every_exported_layer_is_covered():
    exported = {name for name in L.__all__ if isinstance(getattr(L, name), type)}
    assert exported == set(CASES)


def _inputs(shapes, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.uniform(-2.0, 2.0, size=(2,) + s).astype("float32") for s in shapes]


def _randomize(weights, seed=1):
    """Non-default values for every float variable (positive, so BatchNorm variances stay valid)."""
    rng = np.random.default_rng(seed)
    for w in weights:
        w.assign(rng.uniform(0.2, 1.0, size=w.shape).astype(w.dtype))


def _call(layer, xs):
    return keras.ops.convert_to_numpy(layer(*xs))


@pytest.mark.parametrize("name", list(CASES))
def test_config_round_trip(name):
    factory, _ = CASES[name]
    layer = factory()
    config = layer.get_config()
    init = type(layer).__init__
    own_init = init.__module__.startswith("keras_classics")
    arguments = [
        p for p in inspect.signature(init).parameters.values()
        if own_init and p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    ]
    for p in arguments:
        assert p.name in config, f"{name}.get_config() lacks {p.name}"
        value = getattr(layer, p.name)
        if isinstance(value, keras.layers.Layer):  # a wrapper's layer is stored serialized
            value = keras.saving.serialize_keras_object(value)
        assert config[p.name] == value, f"{name}.{p.name}: attribute {value!r} != config {config[p.name]!r}"
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    registered = keras.saving.get_registered_object(f"keras_classics>{type(layer).__name__}")
    assert registered is type(layer)


@pytest.mark.parametrize("name", list(CASES))
def test_save_and_load(name, tmp_path):
    factory, shapes = CASES[name]
    inputs = [keras.Input(s) for s in shapes]
    layer = factory()
    outputs = layer(*inputs)
    model = keras.Model(inputs, outputs)
    _randomize(model.weights)
    xs = _inputs(shapes)
    expected = keras.ops.convert_to_numpy(model(xs, training=False))
    assert expected.shape[1:] == tuple(layer.compute_output_shape(*[(None,) + s for s in shapes]))[1:]
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert type(loaded.layers[-1]) is type(layer)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded(xs, training=False)), expected, rtol=1e-6, atol=1e-6)
    for a, b in zip(model.weights, loaded.weights):
        # a wrapper's layer is named inside the wrapper's scope when built there, not when loaded (as Keras' own)
        assert a.path == b.path or (isinstance(layer, keras.layers.Wrapper) and a.path.endswith("/" + b.path))
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b))


@pytest.mark.parametrize("name", list(CASES))
def test_mixed_float16(name):
    factory, shapes = CASES[name]
    xs = _inputs(shapes)
    layer = factory()
    _call(layer, xs)  # builds
    _randomize([w for w in layer.weights if w.trainable])
    expected = _call(layer, xs)
    config = {k: v for k, v in layer.get_config().items() if k != "dtype"}
    if "layer" in config:  # a wrapper computes nothing itself: its layer takes the policy
        inner = {k: v for k, v in config["layer"]["config"].items() if k != "dtype"}
        config["layer"] = {**config["layer"], "config": inner}
    try:
        keras.mixed_precision.set_global_policy("mixed_float16")
        half = type(layer).from_config(config)
        half(*xs)
        half.set_weights(layer.get_weights())
        out = half(*xs)
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert half.compute_dtype == "float16"
    assert keras.backend.standardize_dtype(out.dtype) == "float16"
    out = keras.ops.convert_to_numpy(out).astype("float32")
    assert np.isfinite(out).all()
    scale = max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(out, expected, rtol=2e-2, atol=2e-2 * scale)
