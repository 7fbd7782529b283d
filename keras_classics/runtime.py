"""Giving back the memory of models a long-running process has finished with.

A process that builds and trains many networks one after another (the benchmark suite, the zoo sweeps, the
test suite) must return each one's memory before the next. `keras.backend.clear_session()` and a garbage
collection are not enough under TensorFlow: every graph-mode `tf.custom_gradient` call registers its gradient
function in TensorFlow's global gradient registry, for good (tensorflow/tensorflow#97697), and the function's
closure holds the whole traced graph. `Model.fit` and `train_on_batch` make such a call in every train
function they trace: the default distribution strategy's gradient all-reduce is one. So each model that was
trained kept its train function's graph alive: 85 MiB per DenseNet-121 trained at 32x32, never freed.

`release_models()` also drops those registrations. A registered custom gradient is read only while a gradient
is being traced, so dropping it cannot change a function that is already traced, and tracing again registers
a fresh one. TensorFlow's registry is private, and this is the one module that reaches it.

Example:
    >>> import numpy as np, keras, keras_classics
    >>> model = keras_classics.lenet5(classes=3)
    >>> model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    >>> _ = model.train_on_batch(np.zeros((2, 32, 32, 1), "float32"), np.array([0, 1]))
    >>> del model
    >>> release_models() >= 1  # the custom gradients its train function registered
    True
"""

from __future__ import annotations

import ctypes
import gc

_CUSTOM_GRADIENT_PREFIX = "CustomGradient-"  # tensorflow/python/ops/custom_gradient.py names them so


def forget_custom_gradients() -> int:
    """Drops TensorFlow's registered graph-mode custom gradients; returns how many (0 where the private
    registry is not where TensorFlow 2.21 keeps it)."""
    try:
        from tensorflow.python.framework import ops

        registry = ops._gradient_registry._registry
    except (ImportError, AttributeError):
        return 0
    stale = [name for name in registry if isinstance(name, str) and name.startswith(_CUSTOM_GRADIENT_PREFIX)]
    for name in stale:
        del registry[name]
    return len(stale)


def _trim_heap() -> None:
    """Returns freed heap pages to the system (glibc keeps them for reuse otherwise)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def release_models() -> int:
    """Frees every model no longer referenced, and the graphs traced for it.

    Clears Keras' global state (as `keras.backend.clear_session` does), drops TensorFlow's registered custom
    gradients, collects garbage and hands freed heap pages back to the system. Models still referenced keep
    working, their traced functions included. Returns the number of custom gradients dropped.
    """
    import keras

    keras.backend.clear_session(free_memory=False)
    dropped = forget_custom_gradients()
    gc.collect()
    _trim_heap()
    return dropped
