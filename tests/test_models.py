"""Checks every registered model: parameter count, shapes, pooling, channels, save/load, training.

Parametrized over `keras_classics.list_models()`, so a new variant is covered by registering it.
"""

import csv
import functools

import keras
import numpy as np
import pytest

import fit_check
import keras_classics
from keras_classics.analysis import count_macs, feature_extractor
from keras_classics.analysis.zoo import macs_as_the_reference_counts
from keras_classics.layers import GroupConv2D
from memory_guard import record_helper_peak
from zoo_helpers import SHARED, model_params, other_size, pooling_size, random_images, release_big_model, small_size

ALL = model_params()
TIERED = model_params(tiered=True)  # behaviour checks: the representatives here, every model in `make test-zoo`


def _spec(name):
    return keras_classics.model_info(name)


def _trainable_count(model):
    return int(sum(np.prod(w.shape) for w in model.trainable_weights))


def _main_output(outputs):
    return outputs[0] if isinstance(outputs, (list, tuple)) else outputs


@pytest.mark.parametrize("name", ALL)
def test_trainable_parameters_equal_spec_and_macs_the_reference_table(name):
    model = keras_classics.create_model(name)
    assert _trainable_count(model) == _spec(name).params
    # Multiply-accumulates, where the reference table (the contract) pins them: equal within 1%.
    row = _reference_rows().get(name) or {}
    if row.get("mmacs"):
        assert int(row["input_res"]) == _spec(name).default_size
        # torchvision's ViT rows leave out the attention projections (see macs_as_the_reference_counts)
        macs = macs_as_the_reference_counts(model, _spec(name), count_macs(model))
        assert macs / 1e6 == pytest.approx(float(row["mmacs"]), rel=0.01)


@functools.cache
def _reference_rows():
    path = SHARED / "reference" / "architectures.csv"
    if not path.is_file():
        return {}
    with open(path, newline="") as handle:
        return {row["name"]: row for row in csv.DictReader(handle)}


@pytest.mark.parametrize("name", keras_classics.list_models())
def test_spec_equals_reference_table(name):
    rows = _reference_rows()
    if not rows:
        pytest.skip("../shared/reference/architectures.csv is absent")
    row = rows.get(name)
    if row is None or not row["trainable_params"]:
        pytest.skip(f"the reference table pins no parameter count for {name}")
    assert _spec(name).params == int(row["trainable_params"])


@pytest.mark.parametrize("name", TIERED)
def test_classifier_at_non_default_size(name):
    spec = _spec(name)
    size = other_size(spec)
    model = keras_classics.create_model(name, input_shape=(size, size, spec.channels), classes=7)
    probabilities = _main_output(model(random_images(size, spec.channels), training=False))
    assert tuple(probabilities.shape) == (2, 7)
    np.testing.assert_allclose(np.sum(probabilities, axis=-1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("name", TIERED)
def test_headless_with_each_pooling(name):
    spec = _spec(name)
    size = pooling_size(spec)
    images = random_images(size, spec.channels)
    shape = (size, size, spec.channels)
    headless = keras_classics.create_model(name, include_top=False, input_shape=shape)
    feature_map = headless(images)
    assert len(feature_map.shape) in (3, 4)
    # The spec's feature stages are layers of the model, the last one the feature map itself.
    taps = feature_extractor(headless)(images)
    taps = taps if isinstance(taps, (list, tuple)) else [taps]
    assert len(taps) == len(spec.stages) >= 1
    np.testing.assert_allclose(taps[-1], feature_map, atol=1e-6)
    channels = feature_map.shape[-1]
    del headless, taps
    for pooling, reduce in (("avg", np.mean), ("max", np.max)):
        release_big_model(spec)  # one full set of weights alive at a time (ViT-H/14 holds 2.5 GB)
        model = keras_classics.create_model(name, include_top=False, pooling=pooling, input_shape=shape)
        pooled = model(images)
        assert tuple(pooled.shape) == (2, channels)
        # Same architecture, its own random weights: check the pooling itself on its own feature map.
        unpooled = keras.Model(model.input, model.layers[-2].output)(images)
        axes = tuple(range(1, len(unpooled.shape) - 1))
        np.testing.assert_allclose(pooled, reduce(unpooled, axis=axes), rtol=1e-4, atol=1e-5)
        del model


@pytest.mark.parametrize("channels", [1, 4])
@pytest.mark.parametrize("name", TIERED)
def test_other_input_channels(name, channels):
    spec = _spec(name)
    size = small_size(spec)
    model = keras_classics.create_model(name, input_shape=(size, size, channels), classes=5)
    assert tuple(_main_output(model(random_images(size, channels))).shape) == (2, 5)


@pytest.mark.parametrize("name", TIERED)
def test_keras_file_round_trip(name, tmp_path):
    spec = _spec(name)
    size = small_size(spec)
    model = keras_classics.create_model(name, input_shape=(size, size, spec.channels), classes=3)
    # One group is Keras' own Conv2D, so the file needs keras_classics only for layers Keras lacks
    # (test_plain_keras_files.py loads such files with the package absent).
    one_group = [layer.name for layer in model.layers if isinstance(layer, GroupConv2D) and layer.groups == 1]
    assert not one_group, f"{one_group} could be Keras' own Conv2D"
    images = random_images(size, spec.channels)
    expected = _main_output(model(images, training=False))
    path = tmp_path / f"{name}.keras"
    model.save(path)
    del model
    release_big_model(spec)
    loaded = keras.models.load_model(path)  # no custom_objects: importing keras_classics registers them
    np.testing.assert_allclose(_main_output(loaded(images, training=False)), expected, atol=1e-6)


@pytest.fixture(scope="module")
def fit_helpers():
    pool = fit_check.helper_pool()
    yield pool
    pool.shutdown()


@pytest.mark.parametrize("name", TIERED)
def test_fit_step_reaches_every_weight(name, fit_helpers):
    # Run in a helper process: Keras' compiled training step leaks about the weights' size per model in
    # TensorFlow's runtime (tests/fit_check.py), which would add up to the whole zoo in this worker.
    spec = _spec(name)
    report = fit_helpers.submit(fit_check.fit_step_report, name, small_size(spec), spec.channels).result()
    record_helper_peak(report["peak_kib"])
    assert not report["starved"], f"no gradient reaches {report['starved']}"
    assert np.isfinite(report["loss"])
    assert not report["unchanged"], f"fit did not update {report['unchanged']}"


def test_the_representatives_are_registered_and_cover_every_family():
    from zoo_helpers import REPRESENTATIVES

    assert REPRESENTATIVES <= set(keras_classics.list_models())
    families = {keras_classics.model_info(name).family for name in keras_classics.list_models()}
    assert {keras_classics.model_info(name).family for name in REPRESENTATIVES} == families
