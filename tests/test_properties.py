"""Property-based argument checks (hypothesis): whatever a user passes, the answer is a model or one clear error.

For arbitrary values (numbers of every sign and type, strings, None, containers) of the arguments users get
wrong most, a builder, `train`, `preset` and `recipe` either work or raise ValueError/TypeError whose message
names the argument; never an error from deep inside a layer or TensorFlow. Builds that the values allow are
kept cheap: small models at small inputs.
"""

import importlib

import keras
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import keras_classics
from keras_classics.data import preset
from keras_classics.training import recipe, train

ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 3000),  # valid counts stay small enough to build in milliseconds
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.integers(-5, 300), max_size=4),
    st.tuples(st.integers(-5, 300), st.integers(-5, 300), st.integers(-5, 5)),
)
CHEAP_MODELS = ("lenet5", "squeezenet1_1", "mobilenet_v3_small")
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _builds_or_names(argument, call):
    """Runs `call`; a refusal must be ValueError/TypeError naming `argument`."""
    try:
        model = call()
    except (ValueError, TypeError) as error:
        assert argument in str(error), f"{type(error).__name__} does not name {argument}: {error}"
        return None
    keras.backend.clear_session()
    return model


@FAST
@given(name=st.sampled_from(CHEAP_MODELS), classes=ANYTHING)
def test_any_classes_value_builds_or_is_named(name, classes):
    model = _builds_or_names("classes", lambda: keras_classics.create_model(name, classes=classes, input_shape=None))
    if model is not None:
        assert model.outputs[0].shape[-1] == classes


@FAST
@given(name=st.sampled_from(CHEAP_MODELS), pooling=ANYTHING)
def test_any_pooling_value_builds_or_is_named(name, pooling):
    _builds_or_names("pooling", lambda: keras_classics.create_model(name, include_top=False, pooling=pooling))


@FAST
@given(name=st.sampled_from(CHEAP_MODELS), shape=ANYTHING)
def test_any_input_shape_builds_or_is_named(name, shape):
    model = _builds_or_names("input_shape", lambda: keras_classics.create_model(name, input_shape=shape))
    if model is not None and shape is not None:
        assert tuple(model.inputs[0].shape[1:]) == tuple(shape)


@FAST
@given(rate=ANYTHING)
def test_any_dropout_rate_builds_or_is_named(rate):
    model = _builds_or_names(
        "dropout_rate", lambda: keras_classics.squeezenet1_1(dropout_rate=rate, input_shape=(64, 64, 3))
    )
    if model is not None:
        assert 0 <= rate < 1


# A width multiplier is any positive number; large ones are valid and huge, so the values stay below 3.
ALPHAS = st.one_of(st.none(), st.booleans(), st.integers(-3, 2), st.floats(-2, 3), st.text(max_size=5))


@FAST
@given(alpha=ALPHAS)
def test_any_mobilenet_alpha_builds_or_is_named(alpha):
    _builds_or_names("alpha", lambda: keras_classics.mobilenet_v1(alpha=alpha, input_shape=(32, 32, 3), classes=3))


@settings(max_examples=60, deadline=None)
@given(name=ANYTHING)
def test_any_recipe_or_augmentation_name_is_known_or_named(name):
    for function, argument in ((recipe, "recipe"), (preset, "augmentation preset")):
        try:
            function(name)
        except (ValueError, TypeError) as error:
            assert argument in str(error) and "choose one of" in str(error), str(error)


@settings(max_examples=40, deadline=None)
@given(
    argument=st.sampled_from(["epochs", "batch_size", "image_size", "steps_per_execution", "early_stopping", "seed"]),
    value=ANYTHING,
)
def test_any_train_count_is_accepted_or_named_before_training(argument, value, tmp_path_factory):
    # train() checks every count before it reads data or builds a model; accepted values are not run here.
    train_module = importlib.import_module("keras_classics.training.train")

    checked = {}

    def stop_after_checks(*args, **kwargs):
        checked["reached"] = True
        raise _StopBeforeTraining

    original = train_module._sources
    train_module._sources = stop_after_checks
    try:
        train("lenet5", export_dir=None, run_dir=str(tmp_path_factory.mktemp("run")), **{argument: value})
    except _StopBeforeTraining:
        assert checked["reached"]
        # What got through is in the documented domain: a positive integer (seed: non-negative), or None.
        allowed_none = argument in ("epochs", "batch_size", "image_size", "early_stopping", "seed")  # seed: 0
        if value is None:
            assert allowed_none
        else:
            assert isinstance(value, int) and not isinstance(value, bool) and value >= (argument != "seed")
    except (ValueError, TypeError) as error:
        assert argument in str(error), str(error)
    finally:
        train_module._sources = original


class _StopBeforeTraining(Exception):
    pass


@pytest.mark.parametrize("argument", ["classes", "pooling", "input_shape"])
def test_the_property_tests_would_catch_an_unnamed_error(argument):
    # The check itself can fail: an error that does not name the argument is reported.
    with pytest.raises(AssertionError, match=f"does not name {argument}"):
        _builds_or_names(argument, lambda: (_ for _ in ()).throw(ValueError("something went wrong")))
