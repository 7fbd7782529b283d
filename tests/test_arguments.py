"""Every builder refuses bad arguments before it builds anything, with a message naming the argument.

Run over the whole zoo (these calls fail in validation, so they cost milliseconds): a user's typo must end
in one ValueError or TypeError that says what was wrong and what is allowed, never in a stack trace from
deep inside a layer.
"""

import inspect

import pytest

import keras_classics

MODELS = keras_classics.list_models()


def _rate_options(name):
    parameters = inspect.signature(keras_classics.model_info(name).builder).parameters
    return [p for p in parameters if p.endswith("_rate")]


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("classes", [0, -3, 2.5, True, "10"])
def test_classes_must_be_a_positive_integer(name, classes):
    with pytest.raises(ValueError, match=f"classes must be a positive integer; got {classes!r}"):
        keras_classics.create_model(name, classes=classes)


@pytest.mark.parametrize("name", MODELS)
def test_pooling_names_the_allowed_values(name):
    with pytest.raises(ValueError, match="pooling must be one of None, 'avg', 'max'; got 'mean'"):
        keras_classics.create_model(name, include_top=False, pooling="mean")


@pytest.mark.parametrize("name", MODELS)
def test_input_shapes_are_checked_before_building(name):
    spec = keras_classics.model_info(name)
    with pytest.raises(ValueError, match="input_shape must be \\(height, width, channels\\)"):
        keras_classics.create_model(name, input_shape=(spec.default_size, spec.default_size))
    with pytest.raises(ValueError, match="looks channels-first"):
        keras_classics.create_model(name, input_shape=(3, spec.default_size, spec.default_size))
    with pytest.raises(ValueError, match="channels must be a positive integer"):
        keras_classics.create_model(name, input_shape=(spec.default_size, spec.default_size, 0))
    if spec.min_size > 1:
        small = spec.min_size - 1
        with pytest.raises(ValueError, match=f"too small for {name}.*at least {spec.min_size}"):
            keras_classics.create_model(name, input_shape=(small, small, spec.channels))


@pytest.mark.parametrize("name", [n for n in MODELS if _rate_options(n)])
@pytest.mark.parametrize("bad", [True, 1.0, -0.1, "0.2"])
def test_every_rate_option_is_a_probability(name, bad):
    for option in _rate_options(name):
        with pytest.raises(ValueError, match=f"{option} must be a number in \\[0, 1\\); got {bad!r}"):
            keras_classics.create_model(name, **{option: bad})


@pytest.mark.parametrize("name", MODELS)
def test_unknown_arguments_name_the_builder_and_the_argument(name):
    with pytest.raises(TypeError, match=f"{name}\\(\\) got an unexpected keyword argument 'dropout'"):
        keras_classics.create_model(name, dropout=0.5)


@pytest.mark.parametrize("name", MODELS)
def test_pretrained_weight_names_say_nothing_is_downloaded(name):
    with pytest.raises(ValueError, match="never downloads weights"):
        keras_classics.create_model(name, weights="imagenet")


@pytest.mark.parametrize(
    "filename, content, error, message",
    [
        ("missing.weights.h5", None, FileNotFoundError, "weights file not found: .*missing.weights.h5"),
        ("empty.weights.h5", b"", ValueError, "could not read weights file .*empty.weights.h5.* not HDF5"),
        ("text.weights.h5", b"hello", ValueError, "could not read weights file .*text.weights.h5"),
        ("empty.keras", b"", ValueError, "could not read .*empty.keras.*empty or damaged"),
        ("empty.safetensors", b"", ValueError, "could not read weights file .*empty.safetensors"),
        ("empty.npz", b"", ValueError, "could not read weights file .*empty.npz"),
        ("text.safetensors", b"hello", ValueError, "could not read weights file .*text.safetensors"),
        ("weights.txt", b"hello", ValueError, "unsupported weights file .*weights.txt.*supported extensions"),
    ],
)
def test_bad_weights_files_are_named(tmp_path, filename, content, error, message):
    path = tmp_path / filename
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(error, match=message):
        keras_classics.lenet5(weights=str(path))


def test_weights_of_another_network_say_they_do_not_fit(tmp_path):
    path = tmp_path / "lenet5.weights.h5"
    keras_classics.lenet5().save_weights(path)
    with pytest.raises(ValueError, match="does not fit model 'resnet18'"):
        keras_classics.resnet18(weights=str(path))
    with pytest.raises(ValueError, match="built for 3-channel input.*usual 1-channel images"):
        keras_classics.lenet5(input_shape=(32, 32, 3), weights=str(path))


@pytest.mark.parametrize("name", MODELS)
def test_kernel_init_names_the_schemes_before_building(name):
    with pytest.raises(ValueError, match="kernel_init must be None or one of 'reference', 'paper', 'he', 'glorot'"):
        keras_classics.create_model(name, kernel_init="xavier")
    if keras_classics.model_info(name).family not in ("alexnet", "vgg", "resnet", "lenet", "zfnet"):
        families = "alexnet, lenet, resnet, vgg, zfnet"
        with pytest.raises(ValueError, match=f"kernel_init='paper' is defined for the {families}"):
            keras_classics.create_model(name, kernel_init="paper")
