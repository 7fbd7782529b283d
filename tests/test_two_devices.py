"""AlexNet's two towers on two devices (Krizhevsky et al. 2012, Sec. 3.2), on two logical CPU devices.

Logical devices must be configured before TensorFlow first touches its devices, which the test worker has
long done, so the check runs in a fresh process and reports what it measured.
"""

import json
import os
import subprocess
import sys

import pytest

import keras_classics

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CHECK = r"""
import json
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import keras, numpy as np, keras_classics
from keras_classics.models.two_towers import on_two_devices

keras.utils.set_random_seed(0)
one = keras_classics.alexnet_2gpu(input_shape=(67, 67, 3), classes=5, kernel_init="paper")
two = on_two_devices(one, ["/cpu:0", "/cpu:1"])
x = np.random.default_rng(0).uniform(0, 1, (3, 67, 67, 3)).astype("float32")
difference = float(np.abs(one(x, training=False) - two(x, training=False)).max())
graph = tf.function(lambda t: two(t, training=False)).get_concrete_function(tf.TensorSpec((None, 67, 67, 3))).graph
placed = {}
for op in graph.get_operations():
    if op.type in ("Conv2D", "MatMul", "LRN"):
        device = tf.DeviceSpec.from_string(op.device)
        placed.setdefault(f"{op.type}@{device.device_type}:{device.device_index}", 0)
        placed[f"{op.type}@{device.device_type}:{device.device_index}"] += 1
built = keras_classics.alexnet_2gpu(input_shape=(67, 67, 3), classes=5, devices=["/cpu:0", "/cpu:1"])
two.compile(optimizer=keras.optimizers.SGD(0.01), loss=keras.losses.SparseCategoricalCrossentropy())
before = [w.numpy().copy() for w in two.trainable_weights]
loss = two.fit(x, np.array([0, 1, 2]), epochs=1, verbose=0).history["loss"][0]
changed = sum(not np.array_equal(b, w.numpy()) for b, w in zip(before, two.trainable_weights))
print(json.dumps({
    "difference": difference, "placed": placed, "loss": loss, "changed": changed,
    "weights": len(two.trainable_weights),
    "params": [sum(int(np.prod(w.shape)) for w in m.trainable_weights) for m in (one, two, built)],
}))
"""


def test_the_two_towers_compute_the_one_device_network_each_on_its_device_and_train():
    env = {**os.environ, "PYTHONPATH": REPO + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["difference"] < 1e-5
    # five convolutions and two response normalizations per tower; fc6 and fc7 split, fc8 on the first device
    assert report["placed"] == {"Conv2D@CPU:0": 5, "Conv2D@CPU:1": 5, "LRN@CPU:0": 2, "LRN@CPU:1": 2,
                                "MatMul@CPU:0": 3, "MatMul@CPU:1": 2}  # fmt: skip
    assert report["params"][0] == report["params"][1] == report["params"][2]
    assert report["loss"] > 0 and report["changed"] == report["weights"]  # every weight of both towers trained


def test_devices_are_checked_before_building():
    with pytest.raises(ValueError, match="devices must be a list of two device names"):
        keras_classics.alexnet_2gpu(devices="/cpu:0")
    with pytest.raises(ValueError, match=r"devices: '/gpu:7' is not a device of this machine \(it has "):
        keras_classics.alexnet_2gpu(devices=["/cpu:0", "/gpu:7"])
    with pytest.raises(ValueError, match="built with its classifier"):
        keras_classics.alexnet_2gpu(include_top=False, devices=["/cpu:0", "/cpu:0"])
    with pytest.raises(TypeError, match="unexpected keyword argument 'devices'"):
        keras_classics.alexnet(devices=["/cpu:0", "/cpu:0"])


MIRRORED = r"""
import json, sys
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import numpy as np
from keras_classics.training import train
weights = {}
for strategy in ("default", "mirrored"):
    run_dir = sys.argv[1] + "/" + strategy
    result = train("lenet5", epochs=1, strategy=strategy, run_dir=run_dir, export_dir=None, verbose=0)
    weights[strategy] = result.model.get_weights()
    replicas = result.model.distribute_strategy.num_replicas_in_sync
print(json.dumps({
    "replicas": replicas,
    "difference": max(float(np.abs(a - b).max()) for a, b in zip(weights["default"], weights["mirrored"])),
    "largest": max(float(np.abs(a).max()) for a in weights["default"]),
}))
"""


def test_mirrored_over_two_devices_trains_the_weights_one_device_trains(tmp_path):
    # An epoch of LeNet-5 on the digits (44 Adam steps, batch 32 split 16 + 16): the same weights up to
    # float rounding. Each epoch's data must not depend on how often it is iterated: Keras' fit under a
    # strategy opens one iterator to build the model before the one it trains on (it differed by 0.07 then).
    env = {**os.environ, "PYTHONPATH": REPO + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(
        [sys.executable, "-c", MIRRORED, str(tmp_path)], capture_output=True, text=True, env=env, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["replicas"] == 2
    assert report["difference"] < 1e-5 * report["largest"] + 1e-6
