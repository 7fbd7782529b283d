"""What the parts compare and how each contender is called: twins, references, batches, timed calls.

- `TWINS`: our name -> the `keras.applications` builder of the same network (every network both have:
  `keras_classics.applications.ZOO_NAMES`); `DEFAULT_TWINS`, the 23 a full run times by default.
- `build_ours`, `build_keras_twin`, `build_reference`: the three contenders with random weights, the same
  input size and number of classes; the PyTorch reference is the registry's torchvision/timm model.
- `keras_forward`, `torch_forward`, `keras_train_step`: the timed calls (see `harness.interleave`).
- `capped_batch`: halves a batch for the largest networks so the full suite fits its time budget.

Fair preprocessing: keras.applications' EfficientNet always rescales and normalises pixels inside the
model, and its EfficientNetV2, MobileNetV3 and ConvNeXt do by default (`Twin.in_graph_preprocessing` asks
keras.applications); for those pairs ours is built with `include_preprocessing=True` (one in-graph
`Rescaling`) and keras' MobileNetV3 keeps its own, so both sides take raw pixels. Every other
pair takes normalised input on both sides. The torch references never normalise inside. The tables say
which in their `preprocessing` column.

Example:
    >>> from keras_classics.benchmarking.contenders import TWINS, capped_batch
    >>> TWINS["mobilenet_v1"].keras_name, TWINS["efficientnet_b3"].in_graph_preprocessing
    ('MobileNet', True)
    >>> capped_batch(32, mmacs=4089.2, max_gmacs=64), capped_batch(32, mmacs=300.8, max_gmacs=64)
    (8, 32)
"""

from __future__ import annotations

import dataclasses
import functools
import os
import sys
import warnings

import numpy as np

from keras_classics.applications import ZOO_NAMES


@dataclasses.dataclass(frozen=True)
class Twin:
    """A network's `keras.applications` builder, and whether the pair normalises pixels in the graph."""

    keras_name: str

    @functools.cached_property
    def in_graph_preprocessing(self) -> bool:
        """keras.applications' own answer: a family whose `preprocess_input` hands pixels back unchanged
        normalises them inside its models (EfficientNet always; EfficientNetV2, MobileNetV3 and ConvNeXt by
        default)."""
        import importlib

        import keras

        module = importlib.import_module(getattr(keras.applications, self.keras_name).__module__)
        pixels = np.arange(12, dtype="float32").reshape(1, 2, 2, 3) * 20.0
        return bool(np.array_equal(module.preprocess_input(pixels.copy()), pixels))


TWINS = {zoo_name: Twin(keras_name) for keras_name, zoo_name in ZOO_NAMES.items()}

# What the full run times by default: the 23 networks the performance issue names (keras.applications' VGG,
# ResNet, Inception v3, Inception-ResNet-v2, Xception, MobileNet v1-v3, DenseNet and EfficientNet B0-B7).
# `--models twins` times all 40 that keras.applications shares with the zoo (ConvNeXt, EfficientNetV2,
# ResNet V2 and NASNet too): about 21 minutes of inference alone, where the suite aims at half an hour.
DEFAULT_TWINS = (
    "vgg16", "vgg19", "resnet50", "resnet101", "resnet152", "inception_v3", "inception_resnet_v2", "xception",
    "mobilenet_v1", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large",
    "densenet121", "densenet169", "densenet201",
    "efficientnet_b0", "efficientnet_b1", "efficientnet_b2", "efficientnet_b3",
    "efficientnet_b4", "efficientnet_b5", "efficientnet_b6", "efficientnet_b7",
)  # fmt: skip

# One network per family of `DEFAULT_TWINS`: the deeper variants repeat its blocks, so their training
# ratio follows its. Compiling a training step is most of a network's time here (Inception-ResNet-v2: over
# a minute a side), so the training part times these 11; `--models` (or `twins`) times others.
FAMILY_REPRESENTATIVES = (
    "vgg16",
    "resnet50",
    "inception_v3",
    "inception_resnet_v2",
    "xception",
    "mobilenet_v1",
    "mobilenet_v2",
    "mobilenet_v3_small",
    "mobilenet_v3_large",
    "densenet121",
    "efficientnet_b0",
)


def preprocessing(name: str) -> str:
    """Where the pair normalises pixels: the `preprocessing` column of the tables."""
    twin = TWINS.get(name)
    return "in-graph" if twin is not None and twin.in_graph_preprocessing else "outside"


def timing_row(name: str, batch: int, timings, names, **extra) -> dict:
    """One CSV row: the network, its input and batch, how its pixels are normalised, then `extra` and the
    timing columns of `names` (`harness.Timings.columns`)."""
    from keras_classics.registry import model_info

    return {
        "model": name,
        "input": model_info(name).default_size,
        "batch": batch,
        "preprocessing": preprocessing(name),
        **extra,
        "rounds": timings.rounds,
        **timings.columns(names, batch),
    }


def capped_batch(batch: int, mmacs: float | None, max_gmacs: float) -> int:
    """`batch`, halved until one step's forward pass costs at most `max_gmacs` GMACs (at least 1)."""
    while batch > 1 and mmacs and batch * mmacs / 1e3 > max_gmacs:
        batch //= 2
    return batch


def input_shape(name: str) -> tuple[int, int, int]:
    from keras_classics.registry import model_info

    spec = model_info(name)
    return (spec.default_size, spec.default_size, spec.channels)


def random_images(batch: int, shape, seed: int = 0) -> np.ndarray:
    """float32 images in [0, 1); the values do not change the time of a dense network."""
    return np.random.default_rng(seed).uniform(size=(batch, *shape)).astype("float32")


def random_labels(batch: int, classes: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, classes, size=batch).astype("int32")


# ----------------------------------------------------------------------------------------- building
def build_ours(name: str):
    """Our network with random weights at its default size, normalising pixels inside where its twin does."""
    from keras_classics.registry import model_info

    options = {"include_preprocessing": True} if preprocessing(name) == "in-graph" else {}
    return model_info(name).builder(**options)


def build_keras_twin(name: str):
    """The keras.applications twin (random weights, our input size and classes), or None when there is none."""
    import inspect

    import keras

    from keras_classics.registry import model_info

    if name not in TWINS:
        return None
    builder = getattr(keras.applications, TWINS[name].keras_name)
    options = {"weights": None, "input_shape": input_shape(name), "classes": model_info(name).classes}
    # EfficientNetV2, MobileNetV3 and ConvNeXt have the switch (on by default); EfficientNet normalises with no
    # way to turn it off.
    if "include_preprocessing" in inspect.signature(builder).parameters:
        options["include_preprocessing"] = TWINS[name].in_graph_preprocessing
    return builder(**options)


def import_torch():
    """torch, or None when the `parity` extra is not installed."""
    # Triton's library loaded after TensorFlow's crashes the process; the CPU runs never need it.
    sys.modules.setdefault("triton", None)
    # torch's OpenMP threads spin after each op by default. Interleaved with TensorFlow on a busy machine
    # they spun through the other contenders' turns, and a 7 ms MobileNetV3 call took 1.2 s (measured
    # here with the test suite running beside it); passive waiting kept it at 7-10 ms. Read when torch loads.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import torch
    except ImportError:
        return None
    return torch


def build_reference(name: str):
    """The torchvision/timm reference in eval mode with random weights, or None (no torch, or no code reference)."""
    from keras_classics.registry import model_info

    spec = model_info(name)
    if spec.reference_library is None or import_torch() is None:
        return None
    with warnings.catch_warnings():  # torchvision's Inception v3 warns that its default init will change
        warnings.simplefilter("ignore", FutureWarning)
        if spec.reference_library == "timm":
            import timm

            module = timm.create_model(spec.reference_name, pretrained=False, num_classes=spec.classes)
        else:
            import torchvision

            module = torchvision.models.get_model(spec.reference_name, weights=None, num_classes=spec.classes)
    return module.eval()


def release():
    """Forgets the Keras models built so far and returns their memory (traced graphs included) before the
    next network."""
    from keras_classics.runtime import release_models

    release_models()


# ----------------------------------------------------------------------------------------- timed calls
def _read_back(result):
    """Waits for a TensorFlow result by copying it to NumPy (nested outputs too)."""
    import tensorflow as tf

    tf.nest.map_structure(lambda tensor: tensor.numpy(), result)


def keras_forward(model, images):
    """One inference pass of `images` through `model` inside a `tf.function`, read back to NumPy."""
    import tensorflow as tf

    forward = tf.function(lambda x: model(x, training=False))
    tensor = tf.constant(images)  # converted once, as torch's from_numpy costs nothing in its call
    return lambda: _read_back(forward(tensor))


def torch_forward(module, images):
    """One inference pass of `images` (NHWC, transposed once to NCHW) through a torch module."""
    torch = import_torch()
    tensor = torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2)))

    def call():
        with torch.inference_mode():
            module(tensor)

    return call


def keras_train_step(model, images, labels, jit_compile: bool = False):
    """One `train_on_batch` step: SGD with momentum, cross-entropy, the model's own precision policy."""
    import keras
    import tensorflow as tf

    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
        loss="sparse_categorical_crossentropy",
        jit_compile=jit_compile,
    )
    # Tensors made once (a no-op for tensors already placed on a GPU), not converted from NumPy every step.
    images, labels = tf.convert_to_tensor(images), tf.convert_to_tensor(labels)
    return lambda: model.train_on_batch(images, labels)  # returns the loss as a Python float: the step is done
