"""The papers' own methods: initialisation schemes, VGG's warm start from net A, weight averaging (Polyak)."""

import json
import math
import os

import keras
import numpy as np
import pytest

import fit_check
import keras_classics
from keras_classics.models.initialization import fans, initialize, weight_layers
from keras_classics.training.optim import averaging_decay, build_optimizer
from keras_classics.training.recipes import Recipe
from keras_classics.training.warm_start import vgg_layers, vgg_warm_start


def _values(layer):
    return keras.ops.convert_to_numpy(layer.kernel).ravel().astype(np.float64)


def _sampled(model, least=1000):
    """Layers with enough weights for their sample statistics to be tight (5 standard errors below)."""
    return [layer for layer in weight_layers(model) if math.prod(layer.kernel.shape) >= least]


def _close_std(values, std):
    # the sample standard deviation of n normal draws has relative standard error 1 / sqrt(2 n)
    assert abs(values.std() / std - 1) < 5 / math.sqrt(2 * values.size), (values.std(), std)
    assert abs(values.mean()) < 5 * std / math.sqrt(values.size)


def _close_uniform(values, limit):
    assert np.abs(values).max() <= limit * (1 + 1e-6)  # float32 rounding of the bound
    # the variance of U(-a, a) is a^2 / 3; of n draws its relative standard error is sqrt(0.8 / n)
    assert abs(values.var() / (limit**2 / 3) - 1) < 5 * math.sqrt(0.8 / values.size), (values.var(), limit**2 / 3)


def _digest(layer):
    """A layer's weights as hashes (fit_check's): equal hashes mean equal weights, without keeping a copy."""
    return tuple(fit_check._digest(weight) for weight in layer.weights)


def _bias(layer):
    return keras.ops.convert_to_numpy(layer.bias)


# ----------------------------------------------------------------------------------------- initialisation
def test_alexnet_paper_scheme_draws_std_001_and_biases_one_where_section_5_says():
    model = keras_classics.alexnet(kernel_init="paper", input_shape=(67, 67, 3), classes=10)
    layers = weight_layers(model)
    assert [type(layer).__name__ for layer in layers].count("Dense") == 3
    for layer in _sampled(model):
        _close_std(_values(layer), 0.01)
    # conv1..conv5, fc6, fc7, fc8: ones in conv2, conv4, conv5 and the two hidden fully connected layers
    assert [np.unique(_bias(layer)).tolist() for layer in layers] == [[0], [1], [0], [1], [1], [1], [1], [0]]


def test_vgg_paper_scheme_is_variance_001_with_zero_biases_and_glorot_is_bounded():
    model = keras_classics.vgg11(include_top=False, kernel_init="paper", input_shape=(32, 32, 3))
    for layer in _sampled(model):
        _close_std(_values(layer), 0.1)  # "10^-2 variance"
        assert not _bias(layer).any()
    initialize(model, "glorot", seed=0)
    for layer in _sampled(model):
        fan_in, fan_out = fans(layer)
        _close_uniform(_values(layer), math.sqrt(6 / (fan_in + fan_out)))


def test_resnet_he_scheme_uses_fan_out_and_keeps_zero_init_residual():
    model = keras_classics.resnet18(
        include_top=False, kernel_init="paper", zero_init_residual=True, input_shape=(32, 32, 3)
    )
    checked = 0
    for layer in _sampled(model):
        kernel_height, kernel_width, _, out_channels = layer.kernel.shape
        _close_std(_values(layer), math.sqrt(2 / (kernel_height * kernel_width * out_channels)))
        checked += 1
    assert checked == 20  # every conv of ResNet-18 (17 + 3 projections) has at least 1,000 weights
    assert not keras.ops.convert_to_numpy(model.get_layer("layer1_0_bn2").gamma).any()  # still zero
    assert keras.ops.convert_to_numpy(model.get_layer("layer1_0_bn1").gamma).all()


def test_torch_scheme_bounds_kernels_and_biases_by_one_over_root_fan_in_with_pytorchs_fans():
    model = keras_classics.mobilenet_v2(alpha=0.35, input_shape=(32, 32, 3), classes=10, kernel_init="torch")
    depthwise = next(layer for layer in weight_layers(model) if isinstance(layer, keras.layers.DepthwiseConv2D))
    height, width, channels, _ = depthwise.kernel.shape
    assert fans(depthwise) == (height * width, height * width * channels)  # PyTorch: groups = channels
    for layer in _sampled(model):
        limit = 1 / math.sqrt(fans(layer)[0])
        _close_uniform(_values(layer), limit)
        if layer.bias is not None:
            assert np.abs(_bias(layer)).max() <= limit and _bias(layer).std() > 0


def test_lenet_paper_scheme_is_uniform_24_over_fan_in():
    model = keras_classics.lenet5(kernel_init="paper")
    for layer in _sampled(model, least=400):
        _close_uniform(_values(layer), 2.4 / fans(layer)[0])


def test_the_default_is_the_reference_scheme_or_for_paper_models_their_paper_or_family_scheme():
    # torchvision ResNet: convs N(0, 2 / fan_out), the fc PyTorch's default U(+-1/sqrt(fan_in)) (the parity
    # tier compares these with the constructed references themselves: tests/test_reference_init.py)
    resnet = keras_classics.resnet18(input_shape=(32, 32, 3), classes=10)
    for layer in _sampled(resnet):
        fan_in, fan_out = fans(layer)
        if layer.name == "fc":
            _close_uniform(_values(layer), 1 / math.sqrt(fan_in))
        else:
            _close_std(_values(layer), math.sqrt(2 / fan_out))
    zfnet = keras_classics.zfnet(input_shape=(99, 99, 3), classes=10)  # its paper: N(0, 0.01^2), biases 0
    for layer in _sampled(zfnet):
        _close_std(_values(layer), 0.01)
        assert not _bias(layer).any()
    effnet = keras_classics.effnet(input_shape=(32, 32, 3), classes=10)  # the authors' Keras: Glorot
    for layer in _sampled(effnet):
        _close_uniform(_values(layer), math.sqrt(6 / sum(fans(layer))))


def test_schemes_are_checked_before_building_and_seeds_repeat():
    schemes = "'reference', 'paper', 'he', 'glorot', 'torch'"
    with pytest.raises(ValueError, match=f"kernel_init must be None or one of {schemes}"):
        keras_classics.resnet18(kernel_init="xavier")
    with pytest.raises(ValueError, match="'paper' is defined for the alexnet, lenet, resnet, vgg, zfnet families"):
        keras_classics.mobilenet_v2(kernel_init="paper")
    model = keras_classics.lenet5()
    initialize(model, "he", seed=7)
    first = [w.copy() for w in model.get_weights()]
    initialize(model, "he", seed=7)
    assert all(np.array_equal(a, b) for a, b in zip(first, model.get_weights()))
    keras.utils.set_random_seed(1)
    again = keras_classics.lenet5(kernel_init="torch").get_weights()
    keras.utils.set_random_seed(1)
    assert all(np.array_equal(a, b) for a, b in zip(again, keras_classics.lenet5(kernel_init="torch").get_weights()))


# ----------------------------------------------------------------------------------------- VGG warm start
def test_vgg_warm_start_copies_net_a_first_four_convs_and_the_three_fc_layers():
    a = keras_classics.vgg11(input_shape=(32, 32, 3), classes=10)
    d = keras_classics.vgg13(input_shape=(32, 32, 3), classes=10)
    before = {name: _digest(layer) for name, layer in vgg_layers(d).items()}  # VGG-13 is 0.5 GB: no copy
    copied = vgg_warm_start(d, a)
    assert copied == ["conv1_1", "conv2_1", "conv3_1", "conv3_2", "fc6", "fc7", "fc8"]
    theirs = vgg_layers(a)
    for name, layer in vgg_layers(d).items():
        if name in copied:
            assert _digest(layer) == _digest(theirs[name]) != before[name], name
        else:  # the intermediate layers keep their own random initialisation
            assert _digest(layer) == before[name], name
    assert [n for n in vgg_layers(d) if n.startswith("conv")][:4] == ["conv1_1", "conv1_2", "conv2_1", "conv2_2"]
    del a, d
    small = keras_classics.vgg11(include_top=False, input_shape=(32, 32, 3))
    with pytest.raises(ValueError, match=r"'lenet5' is not one \(conv1_1 has a 5x5 kernel\)"):
        vgg_warm_start(keras_classics.lenet5(), small)


def test_vgg_warm_start_names_the_layer_whose_shapes_differ(tmp_path):
    a = keras_classics.vgg11(include_top=False, input_shape=(32, 32, 1))
    d = keras_classics.vgg13(include_top=False, input_shape=(32, 32, 3))
    with pytest.raises(ValueError, match=r"conv1_1: 'vgg11' has weights \[\(3, 3, 1, 64\), \(64,\)\]"):
        vgg_warm_start(d, a)
    from keras_classics.training import train

    with pytest.raises(ValueError, match="lenet5 is not a VGG"):
        train("lenet5", warm_start=str(tmp_path), export_dir=None, run_dir=str(tmp_path / "run"))
    with pytest.raises(ValueError, match="does not exist"):
        train("vgg13", warm_start=str(tmp_path / "missing.keras"), export_dir=None, run_dir=str(tmp_path / "r"))


# ----------------------------------------------------------------------------------------- weight averaging
def test_averaging_decay_is_capped_to_a_tenth_of_the_run():
    averaged = Recipe("x", "test", weight_averaging=0.9999)
    assert averaging_decay(averaged, 10**6) == 0.9999
    assert averaging_decay(averaged, 1000) == pytest.approx(0.99)
    assert averaging_decay(Recipe("y", "test"), 10**6) == 0.0


def test_fit_ends_with_the_exponential_moving_average_of_every_steps_weights(tmp_path):
    from keras_classics.training.run_folder import RunCheckpoint, paths

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(3)])
    chosen = Recipe("averaged", "test", optimizer="sgd", learning_rate=0.5, weight_decay=0.0, schedule="constant",
                    weight_averaging=0.8, reference_batch=8)  # fmt: skip
    steps = 6
    model.compile(optimizer=build_optimizer(chosen, 8, steps, epochs=100), loss="mse", metrics=["mse"])
    seen = []
    record = keras.callbacks.LambdaCallback(on_train_batch_end=lambda *_, **__: seen.append(model.get_weights()))
    x = np.random.default_rng(0).normal(size=(48, 6)).astype("float32")
    y = np.stack([x[:, 0], x[:, 1] - x[:, 2], np.zeros(48, "float32")], axis=1)
    callbacks = [record, keras.callbacks.SwapEMAWeights(), RunCheckpoint(tmp_path, monitor="val_mse")]
    history = model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0, validation_data=(x, y),
                        callbacks=callbacks)  # fmt: skip
    assert len(seen) == steps
    expected = [w.copy() for w in seen[0]]  # Keras' first average is the first step's weights
    for weights in seen[1:]:
        expected = [0.8 * e + 0.2 * w for e, w in zip(expected, weights)]
    assert not np.allclose(expected[0], seen[-1][0])  # the average differs from the last weights
    for got, want in zip(model.get_weights(), expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    # validation measured the averaged weights; best.keras holds them, last.keras the training weights
    assert history.history["val_mse"][0] == pytest.approx(float(model.evaluate(x, y, verbose=0)[1]), rel=1e-5)
    best = keras.saving.load_model(paths(tmp_path)["best"], compile=False)
    last = keras.saving.load_model(paths(tmp_path)["last"], compile=False)
    for got, want in zip(best.get_weights(), expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    for got, want in zip(last.get_weights(), seen[-1]):
        np.testing.assert_allclose(got, want, rtol=1e-6)


def test_train_uses_the_recipes_scheme_and_evaluates_the_averaged_weights(tmp_path):
    from keras_classics.training import train

    result = train("lenet5", "digits", epochs=1, batch_size=64, export_dir=None, recipe_name="efficientnet",
                   run_dir=str(tmp_path / "run"), verbose=0, check_memory=False)  # fmt: skip
    with open(os.path.join(result.run_dir, "config.json")) as file:
        config = json.load(file)
    assert config["kernel_init"] == "he" and config["recipe"]["weight_averaging"] == 0.9999
    # validation inside fit swapped the average in; the final model holds it: the same accuracy
    assert result.history["val_accuracy"][-1] == pytest.approx(result.test_accuracy, abs=1e-6)
    optimizer = result.model.optimizer
    assert optimizer.use_ema and 0 < optimizer.ema_momentum < 0.9999  # capped for a 1-epoch run
