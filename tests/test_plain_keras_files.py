"""`.keras` files of the zoo load in plain Keras, without keras_classics, wherever no layer of ours is needed.

A network whose convolutions have one group and that needs no LRN, channel shuffle, attention module or
ViT token layer is made only of Keras' built-in layers, so a user can hand its `.keras` file to someone
who does not have this package. The others need `import keras_classics`, and Keras' error names it.
"""

import os
import subprocess
import sys
import textwrap

import numpy as np

import keras_classics
from zoo_helpers import random_images, small_size

# Built-in only; with preprocessing (Rescaling) and stochastic depth (Dropout) in the graph, hard-swish
# (MobileNetV3), squeeze-and-excitation as plain layers (EfficientNet, GhostNet), the Inception blocks and
# NASNet's cells (cropping and zero padding in the factorized reductions).
PLAIN = {
    "resnet18": {"drop_path_rate": 0.1, "include_preprocessing": True},
    "mobilenet_v3_small": {"include_preprocessing": True},
    "efficientnet_b0": {},
    "ghostnet_050": {},
    "googlenet": {},
    "nasnet_mobile": {},
}
NEEDS_THE_PACKAGE = "shufflenet_v2_x0_5"  # ChannelShuffle


def _save(tmp_path, name, options):
    spec = keras_classics.model_info(name)
    size = max(small_size(spec), 32)
    model = keras_classics.create_model(name, input_shape=(size, size, 3), classes=3, **options)
    images = random_images(size) * (255.0 if options.get("include_preprocessing") else 1.0)
    np.save(tmp_path / f"{name}.npy", images)
    np.save(tmp_path / f"{name}.expected.npy", np.asarray(model(images, training=False)))
    model.save(tmp_path / f"{name}.keras")
    custom = sorted({type(layer).__name__ for layer in model.layers if not type(layer).__module__.startswith("keras.")})
    return custom


def test_built_in_models_load_in_a_process_without_the_package(tmp_path):
    for name, options in PLAIN.items():
        assert _save(tmp_path, name, options) == [], f"{name} should be made of built-in layers only"
    assert _save(tmp_path, NEEDS_THE_PACKAGE, {}) == ["ChannelShuffle"]
    code = textwrap.dedent(
        f"""
        import sys
        sys.modules["keras_classics"] = None  # as on a machine without the package
        import keras, numpy as np
        folder = {str(tmp_path)!r}
        for name in {sorted(PLAIN)!r}:
            model = keras.models.load_model(f"{{folder}}/{{name}}.keras")
            got = np.asarray(model(np.load(f"{{folder}}/{{name}}.npy"), training=False))
            np.testing.assert_allclose(got, np.load(f"{{folder}}/{{name}}.expected.npy"), atol=1e-5)
            print("loaded", name)
        try:
            keras.models.load_model(f"{{folder}}/{NEEDS_THE_PACKAGE}.keras")
        except Exception as error:
            print("refused:", " ".join(str(error).split()))
        """
    )
    env = {**os.environ, "PYTHONPATH": ""}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600, cwd="/")
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert [line for line in lines if line.startswith("loaded")] == [f"loaded {name}" for name in sorted(PLAIN)]
    refusal = next(line for line in lines if line.startswith("refused:"))
    # Keras' own message: it cannot locate the class, and the config it prints names our module.
    assert "Could not locate class 'ChannelShuffle'" in refusal and "keras_classics.layers.shuffle" in refusal
