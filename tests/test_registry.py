"""The registry and the builder contract shared by every model."""

import dataclasses
import inspect
import os
import re
import subprocess
import sys
import warnings

import keras
import numpy as np
import pytest

import keras_classics
from keras_classics.registry import register_model
from zoo_helpers import REPO


def test_every_builder_is_exported_at_top_level():
    for name in keras_classics.list_models():
        assert getattr(keras_classics, name) is keras_classics.model_info(name).builder


def test_builders_module_is_generated_from_the_registry_as_it_is_now():
    """keras_classics/builders.py writes every builder out (`def resnet50(...)`); a family changed without
    regenerating it fails here."""
    from keras_classics import builders, builders_source

    message = "keras_classics/builders.py is out of date: run `python -m keras_classics.builders_source`"
    assert builders_source.TARGET.read_text() == builders_source.render(), message
    for name in keras_classics.list_models():
        builder = keras_classics.model_info(name).builder
        assert builder is getattr(builders, name) and builder.__module__ == "keras_classics.builders", name


def test_duplicate_registration_raises():
    with pytest.raises(ValueError, match="lenet5.*already registered"):
        register_model(name="lenet5", family="x")(lambda: None)


def test_unknown_name_suggests_closest():
    with pytest.raises(ValueError, match="did you mean lenet5"):
        keras_classics.create_model("lenet4")


def test_list_models_filters_by_pattern_and_family():
    assert keras_classics.list_models("lenet*") == ["lenet5"]
    assert keras_classics.list_models(family="lenet") == ["lenet5"]
    with pytest.raises(ValueError, match="unknown family 'nope'"):
        keras_classics.list_models(family="nope")


@pytest.mark.parametrize("name", keras_classics.list_models())
def test_spec_is_complete(name):
    spec = keras_classics.model_info(name)
    assert spec.params > 0 and spec.params_source and spec.paper and spec.reference
    assert spec.min_size <= spec.default_size
    assert len(spec.mean) == len(spec.std) in (1, spec.channels)
    assert inspect.signature(spec.builder).parameters["name"].default == name


@pytest.mark.parametrize("name", keras_classics.list_models())
def test_builder_takes_keras_applications_arguments(name):
    expected = [
        "include_top",
        "weights",
        "input_tensor",
        "input_shape",
        "pooling",
        "classes",
        "classifier_activation",
        "name",
    ]
    params = inspect.signature(keras_classics.model_info(name).builder).parameters
    assert list(params)[: len(expected)] == expected
    assert params["include_preprocessing"].default is False


@pytest.mark.parametrize(
    "ours, theirs",
    [("resnet50", "ResNet50"), ("vgg16", "VGG16"), ("mobilenet_v2", "MobileNetV2"), ("densenet121", "DenseNet121")],
)
def test_drop_in_for_keras_applications(ours, theirs):
    if ours not in keras_classics.list_models():
        pytest.skip(f"{ours} is not registered yet")
    ours_params = inspect.signature(getattr(keras_classics, ours)).parameters
    for arg, param in inspect.signature(getattr(keras.applications, theirs)).parameters.items():
        assert arg in ours_params, f"{ours} lacks keras.applications.{theirs} argument {arg!r}"
        if arg not in ("weights", "name", "alpha"):
            assert ours_params[arg].default == param.default


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="pooling must be one of"):
        keras_classics.lenet5(include_top=False, pooling="mean")
    with pytest.raises(ValueError, match="too small for lenet5.*at least 32"):
        keras_classics.lenet5(input_shape=(20, 20, 1))
    with pytest.raises(ValueError, match="never downloads"):
        keras_classics.lenet5(weights="imagenet")
    with pytest.raises(FileNotFoundError, match="weights file not found"):
        keras_classics.lenet5(weights="/nonexistent/lenet5.weights.h5")
    with pytest.raises(ValueError, match="classes must be a positive integer"):
        keras_classics.lenet5(classes=0)
    with pytest.raises(TypeError, match="lenet5\\(\\).*unexpected keyword argument 'alpah'"):
        keras_classics.lenet5(alpah=1.0)


@pytest.mark.parametrize("shape", [(3, 224, 224), (1, 64, 64), (4, 32, 32)])
def test_channels_first_shape_is_refused_with_the_channels_last_one(shape):
    # resnet50 takes any side from 1 pixel, so (3, 224, 224) would otherwise build a 224-channel network.
    channels, height, width = shape
    expected = f"looks channels-first; keras_classics models are channels_last (NHWC): pass {(height, width, channels)}"
    with pytest.raises(ValueError, match=re.escape(expected)):
        keras_classics.resnet50(input_shape=shape)


def test_weights_for_other_input_channels_name_the_channel_count(tmp_path):
    path = tmp_path / "resnet18.weights.h5"
    keras_classics.resnet18(classes=4, input_shape=(32, 32, 3)).save_weights(path)
    expected = "'resnet18' was built for 1-channel input, and weights made for resnet18's usual 3-channel"
    with pytest.raises(ValueError, match=expected):
        keras_classics.resnet18(classes=4, input_shape=(32, 32, 1), weights=str(path))
    keras_classics.resnet18(classes=4, input_shape=(32, 32, 3), weights=str(path))  # the matching build loads


def test_input_tensor_and_weights_file(tmp_path):
    source = keras_classics.lenet5()
    path = tmp_path / "lenet5.weights.h5"
    source.save_weights(path)
    inputs = keras.Input((32, 32, 1))
    model = keras_classics.lenet5(input_tensor=inputs, weights=str(path))
    assert model.inputs[0] is inputs
    images = np.random.default_rng(0).uniform(size=(2, 32, 32, 1)).astype("float32")
    np.testing.assert_allclose(model(images), source(images), atol=1e-6)
    wrong = keras_classics.lenet5(classes=3)
    wrong_path = tmp_path / "wrong.weights.h5"
    wrong.save_weights(wrong_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the clear error comes alone, without Keras' "legacy file" warning
        with pytest.raises(ValueError, match="does not fit model"):
            keras_classics.lenet5(weights=str(wrong_path))


def test_include_preprocessing_normalizes_raw_pixels():
    plain = keras_classics.lenet5(classifier_activation=None)
    wrapped = keras_classics.lenet5(classifier_activation=None, include_preprocessing=True)
    wrapped.set_weights(plain.get_weights())
    raw = np.random.default_rng(1).uniform(0, 255, size=(2, 32, 32, 1)).astype("float32")
    spec = keras_classics.model_info("lenet5")
    normalized = (raw / 255.0 - spec.mean[0]) / spec.std[0]
    np.testing.assert_allclose(wrapped(raw), plain(normalized), rtol=1e-5, atol=1e-5)


def test_per_channel_normalization_has_one_constant_per_pixel_of_a_row_when_the_width_is_known():
    import keras

    from keras_classics.blocks.preprocessing import normalize_pixels

    # A (C,) constant is broadcast one pixel at a time by TF's CPU kernels and XNNPACK (3.3x slower than a
    # row-long one at 224x224); with a known width the layer holds (W, C) constants, the same numbers.
    mean, std = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
    raw = np.random.default_rng(2).uniform(0, 255, size=(2, 4, 5, 3)).astype("float32")
    expected = (raw / 255.0 - np.array(mean)) / np.array(std)
    for shape, constant in (((4, 5, 3), (5, 3)), ((None, None, 3), (3,))):
        inputs = keras.Input(shape)
        layer = keras.Model(inputs, normalize_pixels(inputs, mean, std)).layers[1]
        assert np.shape(layer.scale) == np.shape(layer.offset) == constant
        np.testing.assert_allclose(layer(raw), expected, rtol=1e-5, atol=1e-5)


def test_readme_lists_every_model():
    readme = (REPO / "README.md").read_text()
    missing = [name for name in keras_classics.list_models() if f"| {name} |" not in readme]
    assert not missing, f"README's model table lacks {missing}: regenerate it with `keras-classics list --markdown`"


def test_the_package_api_is_there_though_loaded_lazily():
    from keras_classics import resnet50

    assert resnet50 is keras_classics.model_info("resnet50").builder
    assert {"create_model", "list_models", "model_info", "ModelSpec", "lenet5"} <= set(keras_classics.__all__)
    assert set(keras_classics.__all__) <= set(dir(keras_classics)) and "layers" in dir(keras_classics)
    assert keras_classics.__version__ == "0.1.0"
    with pytest.raises(AttributeError, match="no attribute 'resnet51'"):
        keras_classics.resnet51


def test_import_keras_classics_is_enough_for_load_model(tmp_path):
    """`import keras_classics` loads no TensorFlow, yet a later `import keras` can load custom layers."""
    path = tmp_path / "resnet18_eca.keras"
    keras_classics.resnet18(attention="eca", input_shape=(32, 32, 3), classes=3).save(path)  # a custom layer
    code = (
        "import sys, keras_classics\n"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules\n"
        "import keras\n"
        f"model = keras.models.load_model({str(path)!r})\n"
        "print(type(model.get_layer('layer1_0_eca')).__name__)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "EfficientChannelAttention"


def test_every_rate_option_is_checked_the_same_way():
    # Options named *_rate are probabilities; every family rejects bools, non-numbers and values outside
    # [0, 1) with one message, before any layer is built.
    checked = 0
    for name in keras_classics.list_models():
        builder = keras_classics.model_info(name).builder
        for option in inspect.signature(builder).parameters:
            if not option.endswith("_rate"):
                continue
            for value in (True, "0.1", 1.0, -0.1):
                with pytest.raises(ValueError, match=re.escape(f"{option} must be a number in [0, 1); got {value!r}")):
                    builder(**{option: value})
            checked += 1
    assert checked >= 30


def test_a_variant_row_states_every_spec_fact_a_family_may_vary():
    from keras_classics.models.variant_table import VariantRow
    from keras_classics.registry import ModelSpec

    row_facts = {field.name for field in dataclasses.fields(VariantRow)}
    spec_facts = {field.name for field in dataclasses.fields(ModelSpec)} - {"builder"}
    assert row_facts == spec_facts | {"doc"}


def test_a_fact_stated_by_the_row_and_the_family_is_refused():
    from keras_classics.models.variant_table import VariantRow, register_family

    row = VariantRow(name="twice_stated_net", params=10)
    with pytest.raises(ValueError, match="twice_stated_net: params stated by both the row and the family"):
        register_family((row,), lambda row, spec, args: None, params=10, family="test")
    assert "twice_stated_net" not in keras_classics.list_models()


def test_a_family_field_named_like_a_fact_is_refused():
    from keras_classics.models.variant_table import VariantRow

    with pytest.raises(TypeError, match="WidthsRow: field.s. channels shadow VariantRow's facts"):

        @dataclasses.dataclass(frozen=True)
        class WidthsRow(VariantRow):
            channels: tuple


def test_every_family_registers_its_variants_through_one_table():
    # One idiom: a table of VariantRows and register_family; no family calls register_variant itself.
    models = REPO / "keras_classics" / "models"
    direct = [path.name for path in models.glob("*.py") if "register_variant(" in path.read_text()]
    assert sorted(direct) == ["builder.py", "variant_table.py"]
