"""Shared fixtures: a clean Keras state per test, and the optional ../shared data sets."""

import keras
import pytest

from zoo_helpers import SHARED


@pytest.fixture(autouse=True)
def _fresh_keras_session():
    """Each test starts from a clean Keras graph-name state and float32 policy."""
    keras.backend.clear_session()
    keras.mixed_precision.set_global_policy("float32")
    yield
    keras.mixed_precision.set_global_policy("float32")


@pytest.fixture
def shared_dir():
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (a user's clone has none)")
    return SHARED
