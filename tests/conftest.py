"""Shared fixtures: a clean Keras state per test, and the optional ../shared data sets."""

import os
import sys

# TensorFlow's oneDNN build keeps every tensor it frees in a pool of its own that never shrinks (its BFC
# allocator), so one VGG-16 build leaves 1.9 GB resident for good and each larger model raises the floor.
# The system allocator gives freed memory back, with the same oneDNN kernels. Set before TensorFlow loads.
os.environ.setdefault("TF_ONEDNN_USE_SYSTEM_ALLOCATOR", "1")

# torchvision and timm import torch._dynamo, which imports Triton when it is installed (the CUDA build of
# torch ships it); Triton's compiled library loaded after TensorFlow's crashes the interpreter. The CPU
# reference checks never need Triton, so it is marked absent and torch goes on without it.
sys.modules.setdefault("triton", None)

import keras  # noqa: E402
import pytest  # noqa: E402

from memory_guard import MemoryGuard  # noqa: E402
from zoo_helpers import SHARED  # noqa: E402


def pytest_configure(config):
    config.pluginmanager.register(MemoryGuard(config), "keras_classics_memory_guard")


@pytest.fixture(autouse=True)
def _fresh_keras_session():
    """Each test starts from a clean Keras name state, the float32 policy and a fixed seed.

    The seed makes weight initialization and dropout masks the same on every run, so a failure reproduces.

    `free_memory=False` skips clear_session's full garbage collection: about a second per test once
    torch is loaded, which over the suite costs more than the memory it returns.
    """
    keras.backend.clear_session(free_memory=False)
    keras.mixed_precision.set_global_policy("float32")
    keras.utils.set_random_seed(0)
    yield
    keras.mixed_precision.set_global_policy("float32")


@pytest.fixture
def shared_dir():
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (a user's clone has none)")
    return SHARED


@pytest.fixture
def two_class_photos(tmp_path):
    """tmp_path/photos with classes `dark` and `light`, ten noisy 40x48 PNGs each: learnable in a few steps."""
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(0)
    for name, level in (("dark", 40), ("light", 210)):
        (tmp_path / "photos" / name).mkdir(parents=True)
        for i in range(10):
            pixels = np.clip(rng.normal(level, 20, (40, 48, 3)), 0, 255).astype("uint8")
            tf.io.write_file(str(tmp_path / "photos" / name / f"{i}.png"), tf.io.encode_png(pixels))
    return tmp_path / "photos"
