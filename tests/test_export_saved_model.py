"""SavedModel export for TF Serving: layout, signatures, a fresh process's numbers, image bytes, atomicity."""

import json
import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
import tensorflow as tf

import keras_classics
from keras_classics.data.augment import center_crop_eval
from keras_classics.export import export_saved_model, next_version

PHOTOS = pathlib.Path(__file__).resolve().parents[2] / "shared" / "datasets" / "cats_vs_dogs"
DIGITS = [str(i) for i in range(10)]


@pytest.fixture(scope="module")
def lenet5_export(tmp_path_factory):
    model = keras_classics.lenet5()
    base = tmp_path_factory.mktemp("serving") / "lenet5"
    report = export_saved_model(model, base, class_names=DIGITS, top_k=3)
    yield model, base, report


def test_layout_is_the_one_tf_serving_polls_and_versions_count_up(lenet5_export, tmp_path):
    model, base, report = lenet5_export
    assert report.path == str(base / "1") and (base / "1" / "saved_model.pb").is_file()
    assert sorted(p.name for p in base.iterdir()) == ["1"]  # no staging folder left beside it
    assert next_version(base) == 2 and next_version(tmp_path / "nothing") == 1
    with pytest.raises(FileExistsError, match="exists"):
        export_saved_model(model, base, version=1)


def test_saved_model_cli_shows_the_documented_signatures(lenet5_export):
    _, base, _ = lenet5_export
    cli = pathlib.Path(sys.executable).with_name("saved_model_cli")
    shown = subprocess.run(
        [str(cli), "show", "--all", "--dir", str(base / "1")], capture_output=True, text=True, check=False
    )
    assert shown.returncode == 0, shown.stderr[-2000:]
    out = " ".join(shown.stdout.split())
    for text in (
        "signature_def['serving_default']",
        "inputs['images'] tensor_info: dtype: DT_FLOAT shape: (-1, 32, 32, 1)",
        "signature_def['classify_image_bytes']",
        "inputs['image_bytes'] tensor_info: dtype: DT_STRING shape: (-1)",
        "outputs['probabilities'] tensor_info: dtype: DT_FLOAT shape: (-1, 10)",
        "outputs['top_k_classes'] tensor_info: dtype: DT_STRING shape: (-1, 3)",
        "outputs['top_k_indices'] tensor_info: dtype: DT_INT32 shape: (-1, 3)",
    ):
        assert text in out, text


def test_a_fresh_process_gets_the_keras_numbers_and_the_class_names(lenet5_export, tmp_path):
    model, base, _ = lenet5_export
    pixels = np.random.default_rng(1).uniform(0, 255, (5, 32, 32, 1)).astype("float32")
    np.save(tmp_path / "pixels.npy", pixels)
    script = textwrap.dedent(
        f"""
        import json, numpy as np, tensorflow as tf
        loaded = tf.saved_model.load({str(base / "1")!r})
        out = loaded.signatures["serving_default"](images=tf.constant(np.load({str(tmp_path / "pixels.npy")!r})))
        print(json.dumps({{k: v.numpy().astype(str if v.dtype == tf.string else float).tolist() for k, v in out.items()}}))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    served = json.loads(done.stdout.strip().splitlines()[-1])
    info = keras_classics.model_info("lenet5")
    expected = np.asarray(model((pixels / 255.0 - info.mean[0]) / info.std[0], training=False))
    np.testing.assert_allclose(served["probabilities"], expected, rtol=0, atol=1e-5)
    best = np.argsort(-expected, axis=-1)[:, :3]
    np.testing.assert_array_equal(np.asarray(served["top_k_indices"], dtype=int), best)
    assert served["top_k_classes"] == [[DIGITS[i] for i in row] for row in best]


@pytest.mark.skipif(not PHOTOS.is_dir(), reason="needs ../shared/datasets")
def test_image_bytes_signature_matches_the_python_path_on_real_jpegs(tmp_path):
    model = keras_classics.create_model("mobilenet_v3_small", input_shape=(96, 96, 3), classes=2)
    report = export_saved_model(model, tmp_path / "m", class_names=["cat", "dog"])
    loaded = tf.saved_model.load(report.path)
    files = [PHOTOS / "cats" / "cat.0.jpg", PHOTOS / "dogs" / "dog.7.jpg", PHOTOS / "cats" / "cat.13.jpg"]
    encoded = [tf.io.read_file(str(path)) for path in files]
    served = loaded.signatures["classify_image_bytes"](image_bytes=tf.stack(encoded))
    crops = np.stack([center_crop_eval(tf.io.decode_jpeg(data, channels=3), (96, 96)).numpy() for data in encoded])
    info = keras_classics.model_info("mobilenet_v3_small")
    expected = model((crops.astype("float32") / 255.0 - np.array(info.mean)) / np.array(info.std), training=False)
    np.testing.assert_allclose(served["probabilities"].numpy(), expected, rtol=0, atol=1e-5)
    assert set(served["top_k_classes"].numpy().ravel().astype(str)) <= {"cat", "dog"}


def test_predict_requests_from_the_serving_client_fit_both_signatures(lenet5_export):
    predict_pb2 = pytest.importorskip("tensorflow_serving.apis.predict_pb2")
    from tensorflow.python.tools import saved_model_utils

    _, base, _ = lenet5_export
    meta = saved_model_utils.get_meta_graph_def(str(base / "1"), "serve")
    requests = {
        "serving_default": {"images": tf.make_tensor_proto(np.zeros((2, 32, 32, 1), "float32"))},
        "classify_image_bytes": {
            "image_bytes": tf.make_tensor_proto([tf.io.encode_png(np.zeros((40, 50, 1), "uint8")).numpy()])
        },
    }
    for signature, inputs in requests.items():
        request = predict_pb2.PredictRequest()
        request.model_spec.name = "lenet5"
        request.model_spec.signature_name = signature
        for key, proto in inputs.items():
            request.inputs[key].CopyFrom(proto)
        expected = meta.signature_def[signature].inputs
        assert set(request.inputs) == set(expected)
        for key, tensor in request.inputs.items():
            assert tensor.dtype == expected[key].dtype
        assert predict_pb2.PredictRequest.FromString(request.SerializeToString()) == request


def test_logits_models_get_a_softmax_and_a_failed_check_writes_nothing(tmp_path):
    model = keras_classics.lenet5(classifier_activation=None)
    report = export_saved_model(model, tmp_path / "lenet5")
    loaded = tf.saved_model.load(report.path)
    probabilities = loaded.signatures["serving_default"](images=tf.zeros((2, 32, 32, 1)))["probabilities"].numpy()
    np.testing.assert_allclose(probabilities.sum(-1), 1.0, atol=1e-6)
    with pytest.raises(ValueError, match="shape"):
        export_saved_model(model, tmp_path / "lenet5", sample=np.zeros((1, 8, 8, 1), "float32"))
    with pytest.raises(ValueError, match="3 class names for a model with 10 classes"):
        export_saved_model(model, tmp_path / "lenet5", class_names=["a", "b", "c"])
    with pytest.raises(ValueError, match="version must be a positive integer"):
        export_saved_model(model, tmp_path / "lenet5", version=0)
    assert sorted(p.name for p in (tmp_path / "lenet5").iterdir()) == ["1"]


def test_a_killed_export_leaves_no_version_tf_serving_would_load(tmp_path):
    # SIGKILL while the version is being written: only a hidden staging folder may remain (TF Serving
    # loads numeric folder names only), never a "1".
    script = textwrap.dedent(
        f"""
        import keras_classics
        from keras_classics.export import export_saved_model
        export_saved_model(keras_classics.create_model("resnet18", input_shape=(64, 64, 3)), {str(tmp_path / "r")!r})
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None:
        staged = (
            [p for p in (tmp_path / "r").glob(".1.tmp-*/contents/variables/*")] if (tmp_path / "r").exists() else []
        )
        if staged:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the export finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not [p.name for p in (tmp_path / "r").iterdir() if p.name.isdigit()]
    assert next_version(tmp_path / "r") == 1


def _op_types(loaded, signature):
    graph = loaded.signatures[signature].graph
    ops = [op.type for op in graph.get_operations()]
    for function in graph.as_graph_def().library.function:  # the model's call is a function of its own
        ops += [node.op for node in function.node_def]
    return ops


def test_the_served_graph_has_its_batch_norms_folded_and_still_gives_the_keras_numbers(tmp_path):
    model = keras_classics.create_model("resnet18", input_shape=(32, 32, 3), classes=3)
    rng = np.random.default_rng(1)
    for layer in model.layers:  # trained-looking statistics: fresh ones are an identity map
        if isinstance(layer, tf.keras.layers.BatchNormalization):
            layer.set_weights([rng.uniform(0.5, 1.5, w.shape).astype("float32") for w in layer.get_weights()])
    folded = export_saved_model(model, tmp_path / "folded")
    kept = export_saved_model(model, tmp_path / "kept", fold_batch_norm=False)
    assert folded.folded_batch_norms == 20 and kept.folded_batch_norms == 0  # every BN of ResNet-18 follows a conv
    assert "20 BatchNormalization layers folded" in str(folded)
    assert folded.max_difference < folded.tolerance  # the check compares with the unfolded Keras model
    # inference BatchNormalization is an Rsqrt of the variance, per layer and call: none is left after folding
    assert _op_types(tf.saved_model.load(kept.path), "serving_default").count("Rsqrt") == 20
    assert "Rsqrt" not in _op_types(tf.saved_model.load(folded.path), "serving_default")
