"""The Inception family beyond the generic zoo tests: auxiliary classifiers, residual scaling,
GoogLeNet's ceil-mode pools, and (marker `parity`) the auxiliary heads and odd input sizes against
torchvision."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_classics
from keras_classics.training import aux_loss_weights
from zoo_helpers import random_images


def _trainable_count(model):
    return int(sum(np.prod(w.shape) for w in model.trainable_weights))


def test_googlenet_aux_classifiers_train_with_paper_loss_weights(tmp_path):
    full = keras_classics.googlenet(aux_logits=True)
    assert _trainable_count(full) == 13_004_888  # torchvision googlenet(aux_logits=True)
    assert full.output_names == ["predictions", "aux1_predictions", "aux2_predictions"]

    model = keras_classics.googlenet(aux_logits=True, input_shape=(64, 64, 3), classes=3)
    assert aux_loss_weights(model) == [1.0, 0.3, 0.3]
    # Keras pairs a list of loss weights with a list of losses: one loss per output.
    model.compile(optimizer="sgd", loss=["sparse_categorical_crossentropy"] * 3, loss_weights=aux_loss_weights(model))
    labels = np.array([0, 1, 2, 1])
    before = [w.numpy().copy() for w in model.trainable_weights]
    history = model.fit(random_images(64, batch=4), [labels] * 3, batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert all(not np.array_equal(b, w.numpy()) for b, w in zip(before, model.trainable_weights))

    path = tmp_path / "googlenet_aux.keras"
    model.save(path)
    images = random_images(64)
    for ours, loaded in zip(model(images), keras.models.load_model(path)(images)):
        np.testing.assert_allclose(loaded, ours, atol=1e-6)


def test_aux_logits_argument_errors():
    with pytest.raises(ValueError, match="aux_logits=True needs include_top=True"):
        keras_classics.googlenet(aux_logits=True, include_top=False)
    with pytest.raises(ValueError, match="googlenet needs a fixed height"):
        keras_classics.googlenet(aux_logits=True, input_shape=(None, None, 3))
    with pytest.raises(ValueError, match="aux_logits=True needs input height and width >= 299"):
        keras_classics.inception_v3(aux_logits=True, input_shape=(75, 75, 3))
    with pytest.raises(ValueError, match="dropout_rate must be a number in"):
        keras_classics.inception_v4(dropout_rate=1.5)


@pytest.mark.slow
def test_inception_v3_aux_classifier_gets_gradients():
    model = keras_classics.inception_v3(aux_logits=True, classifier_activation=None)
    assert _trainable_count(model) == 27_161_264  # torchvision inception_v3(aux_logits=True)
    model = keras_classics.inception_v3(aux_logits=True, classes=3, classifier_activation=None)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    labels = np.array([0, 2])
    with tf.GradientTape() as tape:
        main, aux = model(random_images(299), training=True)
        loss = loss_fn(labels, main) + 0.4 * loss_fn(labels, aux)
    gradients = tape.gradient(loss, model.trainable_weights)
    assert all(g is not None and np.any(g) for g in gradients)


def test_inception_v3_trains_with_label_smoothing():
    model = keras_classics.inception_v3(input_shape=(75, 75, 3), classes=4)
    model.compile(optimizer="sgd", loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1))
    labels = keras.utils.to_categorical([0, 1, 2, 3], 4)
    history = model.fit(random_images(75, batch=4), labels, batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def _scales(model):
    return {layer.name: layer.scale for layer in model.layers if layer.name.endswith("_scale")}


def test_residual_scale_option():
    default = _scales(keras_classics.inception_resnet_v1(include_top=False, input_shape=(75, 75, 3)))
    assert len(default) == 5 + 10 + 5
    assert default["repeat_0_scale"] == 0.17 and default["repeat_1_0_scale"] == 0.1
    assert default["repeat_2_4_scale"] == 0.2
    custom = _scales(keras_classics.inception_resnet_v1(include_top=False, input_shape=(75, 75, 3), scale=0.3))
    assert set(custom.values()) == {0.3}
    for bad in ((0.1, 0.2), -0.1, "0.2"):
        with pytest.raises(ValueError, match="scale must be a positive number or a tuple of three"):
            keras_classics.inception_resnet_v2(scale=bad)


def _ceil_pool(size, kernel, stride):
    return -(-(size - kernel) // stride) + 1


@pytest.mark.parametrize("size", [15, 33, 224])
def test_googlenet_pools_round_up_like_ceil_mode(size):
    model = keras_classics.googlenet(include_top=False, input_shape=(size, size, 3))
    grid = (size + 2 * 3 - 7) // 2 + 1  # conv1
    for kernel in (3, 3, 3, 2):  # maxpool1..4
        grid = _ceil_pool(grid, kernel, 2)
    assert tuple(model.output_shape) == (None, grid, grid, 1024)


# ------------------------------------------------------------------------------ against torchvision
def _torch_reference(name, **kwargs):
    torch = pytest.importorskip("torch")
    torchvision = pytest.importorskip("torchvision")
    pytest.importorskip("safetensors")
    torch.manual_seed(0)
    model = torchvision.models.get_model(name, weights=None, init_weights=True, **kwargs).eval()
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.copy_(torch.randn(module.running_mean.shape, generator=generator) * 0.1)
                module.running_var.copy_(torch.rand(module.running_var.shape, generator=generator) + 0.5)
    return torch, model


def _state_dict(model):
    return {k: v.detach().numpy() for k, v in model.state_dict().items()}


def _close(actual, expected):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert np.max(np.abs(actual - expected)) <= 1e-4 * np.max(np.abs(expected))


@pytest.mark.parity
@pytest.mark.parametrize(
    "name, size, taps",
    [
        ("googlenet", 224, {"aux1": "inception4a", "aux2": "inception4d"}),
        ("inception_v3", 299, {"AuxLogits": "Mixed_6e"}),
    ],
)
def test_aux_classifiers_match_torchvision(name, size, taps):
    torch, reference = _torch_reference(name, aux_logits=True)
    captured = {}
    for aux, tap in taps.items():
        getattr(reference, tap).register_forward_hook(lambda m, i, out, aux=aux: captured.__setitem__(aux, out))
    images = np.random.default_rng(0).normal(size=(2, size, size, 3)).astype("float32")
    with torch.no_grad():
        logits = reference(torch.from_numpy(images.transpose(0, 3, 1, 2))).numpy()
        aux_logits = [getattr(reference, aux)(captured[aux]).numpy() for aux in taps]  # eval: no dropout

    ours = keras_classics.create_model(name, aux_logits=True, classifier_activation=None)
    from keras_classics.weights.reference import load_reference_weights

    assert load_reference_weights(ours, _state_dict(reference)) == []  # every key used
    outputs = ours(images, training=False)
    for actual, expected in zip(outputs, [logits] + aux_logits):
        _close(actual, expected)


@pytest.mark.parity
@pytest.mark.parametrize("size", [15, 33, 97])
def test_googlenet_matches_torchvision_at_odd_sizes(size):
    torch, reference = _torch_reference("googlenet", aux_logits=False)
    images = np.random.default_rng(1).normal(size=(2, size, size, 3)).astype("float32")
    with torch.no_grad():
        expected = reference(torch.from_numpy(images.transpose(0, 3, 1, 2))).numpy()
    ours = keras_classics.googlenet(input_shape=(size, size, 3), classifier_activation=None)
    from keras_classics.weights.reference import load_reference_weights

    load_reference_weights(ours, _state_dict(reference))
    _close(ours(images, training=False), expected)
