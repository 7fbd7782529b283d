"""TFLite export: built-in ops only, float32 equal to Keras, int8 with its float islands named, clear errors.

One model of each family (and each op the issue names: grouped convolutions, LRN, channel shuffle,
h-swish, SE/ECA/CBAM, Ghost modules, split attention, ViT attention) in float32 and int8, at small
inputs so the tier stays short. The zoo-wide sweep at full size is `benchmarks/export_sweep.py`.
"""

import os

import numpy as np
import pytest

import keras_classics
from keras_classics.export import TFLiteConversion, export_tflite
from keras_classics.export.tflite import list_ops, run
from zoo_helpers import ONE_PER_FAMILY

pytest.importorskip("ai_edge_litert", reason="the `litert` extra runs the exported files")

def _model_and_images(name, options, count=8):
    model = keras_classics.create_model(name.split(":")[0], classes=10, **options)
    shape = tuple(model.inputs[0].shape[1:])
    return model, np.random.default_rng(0).uniform(0, 255, (count, *shape)).astype("float32")


# Converted in `make test`: one family per kind of TFLite op (grouped convolutions, LRN, channel shuffle and
# split, hard-swish, swish, SE/ECA/CBAM, Ghost modules, split attention, ViT attention, layer norm, pre-
# activation BN, PyTorch-exact pools). These repeat those op kinds and convert in `make test-zoo`: ZFNet
# (AlexNet's layers without LRN), GoogLeNet (Inception v3's), ResNet-18 (the SE/ECA/CBAM ResNet-18s'),
# ResNeXt (grouped like AlexNet two-GPU), WRN-40-4 (ResNet V2's), Xception, MobileNet V1/V2, HarDNet-39DS
# and EffNet (depthwise like MobileNetV3), EfficientNetV2-B0 (EfficientNet-B0's).
TFLITE_ZOO_TIER = {
    "zfnet", "googlenet", "resnet18", "resnext50_32x4d", "wrn_40_4", "xception", "mobilenet_v1", "mobilenet_v2",
    "hardnet39ds", "effnet", "efficientnet_v2_b0",
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=[pytest.mark.zoo] if n in TFLITE_ZOO_TIER else []) for n in ONE_PER_FAMILY]
)
def test_float32_and_int8_convert_with_builtin_ops(name, tmp_path):
    model, images = _model_and_images(name, ONE_PER_FAMILY[name])
    with TFLiteConversion(model, representative=images, check_images=images[:2]) as conversion:
        report = conversion.export(tmp_path / "float.tflite")
        quantized = conversion.export(tmp_path / "int8.tflite", "int8", io_dtype="int8")
    assert report.max_relative_difference <= 1e-4
    assert not any(op.startswith("Flex") for op in report.ops)
    assert quantized.input_dtype == quantized.output_dtype == "int8"
    assert 0.0 <= quantized.top1_agreement <= 1.0
    # Weights stored as int8: about a quarter of the float file (small models carry fixed overhead).
    assert quantized.size_bytes < 0.5 * report.size_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["float.tflite", "int8.tflite"]
    del model


def test_lrn_stays_a_named_float_island_in_int8(tmp_path):
    # TFLite's LOCAL_RESPONSE_NORMALIZATION has a float kernel only: the int8 file must keep it in float
    # between DEQUANTIZE and QUANTIZE, and the report must say so.
    model, images = _model_and_images("alexnet", {"input_shape": (127, 127, 3)}, count=4)
    report = export_tflite(model, tmp_path / "alexnet.tflite", quantize="int8", representative=images)
    assert "LOCAL_RESPONSE_NORMALIZATION" in report.float_ops
    assert report.ops["LOCAL_RESPONSE_NORMALIZATION"] == 2 and report.ops["DEQUANTIZE"] >= 2
    assert "CONV_2D" not in report.float_ops  # the convolutions themselves run in int8
    assert "float islands (no integer kernel): LOCAL_RESPONSE_NORMALIZATION" in str(report)


def _hard_swish_model():
    import keras

    inputs = keras.Input((24, 24, 3))
    x = keras.layers.Rescaling(1 / 255, name="preprocessing")(inputs)
    for _ in range(3):
        x = keras.layers.Activation("hard_silu")(keras.layers.Conv2D(16, 3, padding="same")(x))
    return keras.Model(inputs, keras.layers.Dense(4)(keras.layers.GlobalAveragePooling2D()(x)))


def _xnnpack_partitions(path):
    from keras_classics.export.tflite import make_interpreter

    details = make_interpreter(path.read_bytes(), delegates=True)._get_ops_details()
    return sum(detail["op_name"] == "DELEGATE" for detail in details)


def test_int8_keeps_hard_swish_in_float_so_xnnpack_runs_the_file_in_one_piece(tmp_path):
    # XNNPACK has no int8 HARD_SWISH: quantized, each one leaves the delegate and splits the graph.
    model = _hard_swish_model()
    images = np.random.default_rng(0).uniform(0, 255, (8, 24, 24, 3)).astype("float32")
    with TFLiteConversion(model, representative=images) as conversion:
        default = conversion.export(tmp_path / "default.tflite", "int8", io_dtype="int8")
        full = conversion.export(tmp_path / "full.tflite", "int8", io_dtype="int8", keep_float=())
    assert default.ops["HARD_SWISH"] == 3 and sorted(set(default.float_ops)) == ["HARD_SWISH"]
    assert "kept in float for XNNPACK (keep_float): HARD_SWISH" in str(default)
    assert full.float_ops == [] and full.input_dtype == default.input_dtype == "int8"
    assert _xnnpack_partitions(tmp_path / "default.tflite") == 1
    assert _xnnpack_partitions(tmp_path / "full.tflite") > 1


def test_float16_and_dynamic_shrink_the_file_and_stay_close(tmp_path):
    model, images = _model_and_images("mobilenet_v2", {"input_shape": (64, 64, 3)})
    sizes = {}
    with TFLiteConversion(model, check_images=images) as conversion:  # three files from one staged SavedModel
        for mode in ("none", "float16", "dynamic"):
            report = conversion.export(tmp_path / f"{mode}.tflite", quantize=mode)
            sizes[mode] = report.size_bytes
            assert (tmp_path / f"{mode}.tflite").stat().st_size == report.size_bytes
        staged = conversion._staging
        assert os.path.isfile(os.path.join(staged, "saved_model.pb"))
    assert not os.path.exists(staged)  # removed on leaving the block
    assert report.top1_agreement is not None  # dynamic reports agreement, not a relative difference
    assert sizes["dynamic"] < sizes["float16"] < sizes["none"]
    assert 0.45 < sizes["float16"] / sizes["none"] < 0.55  # half the bytes per weight


def test_the_file_takes_pixels_and_computes_the_keras_models_numbers(tmp_path):
    # A model without its own preprocessing gets the registered normalization inside the file.
    model, images = _model_and_images("lenet5", {}, count=3)
    path = tmp_path / "lenet5.tflite"
    export_tflite(model, path)
    outputs, _ = run(path.read_bytes(), images)
    info = keras_classics.model_info("lenet5")
    expected = model((images / 255.0 - info.mean[0]) / info.std[0], training=False)
    np.testing.assert_allclose(outputs, expected, rtol=0, atol=1e-5)


def _normalization_constants(path):
    from keras_classics.export.tflite import make_interpreter

    interpreter = make_interpreter(path.read_bytes())
    shapes = {tensor["index"]: tuple(tensor["shape"]) for tensor in interpreter.get_tensor_details()}
    first_mul = next(op for op in interpreter._get_ops_details() if op["op_name"] == "MUL")
    return [shapes[i] for i in first_mul["inputs"] if len(shapes[i]) < 4]


def test_per_channel_normalization_multiplies_by_a_whole_row_and_keeps_the_numbers(tmp_path):
    # XNNPACK broadcasts a 3-value MUL/ADD constant one pixel at a time (MobileNetV3-Small took 1.2 times
    # keras.applications' time): the normalization in front has one value per pixel of a row instead.
    model, images = _model_and_images("resnet18", {"input_shape": (32, 40, 3)}, count=3)
    report = export_tflite(model, tmp_path / "resnet18.tflite", check_images=images)
    assert report.max_relative_difference <= 1e-4  # checked against the Keras model on the same pixels
    assert _normalization_constants(tmp_path / "resnet18.tflite") == [(40, 3)]


def test_an_op_with_no_builtin_kernel_is_named_and_nothing_is_written(tmp_path):
    import keras
    import tensorflow as tf

    class Erf(keras.layers.Layer):  # tf.math.erfinv has no TFLite built-in
        def call(self, x):
            return tf.math.erfinv(tf.clip_by_value(x / 300.0, -0.9, 0.9))

    inputs = keras.Input((4, 4, 3))
    x = Erf()(keras.layers.Rescaling(1.0, name="preprocessing")(inputs))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(keras.layers.Flatten()(x)))
    with pytest.raises(ValueError, match="(?i)built-in ops only failed: .*erfinv"):
        export_tflite(model, tmp_path / "erf.tflite")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"quantize": "int4"}, "quantize must be one of none, float16, dynamic, int8; got 'int4'"),
        ({"quantize": "int8"}, "needs representative images"),
        ({"io_dtype": "int8"}, "io_dtype='int8' needs quantize='int8'"),
        ({"io_dtype": "int16"}, "io_dtype must be one of"),
        ({"check_images": np.zeros((2, 8, 8, 1))}, r"check_images must be a non-empty batch of shape \(N, 32, 32, 1\)"),
        ({"check_images": np.full((2, 32, 32, 1), 2e3)}, r"must be pixels in \[0, 255\]"),
        ({"min_agreement": 1.5}, "min_agreement must lie in"),
    ],
)
def test_bad_arguments_are_named_before_any_work(kwargs, message, tmp_path):
    with pytest.raises(ValueError, match=message):
        export_tflite(keras_classics.lenet5(), tmp_path / "lenet5.tflite", **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_bad_paths_and_models(tmp_path):
    with pytest.raises(ValueError, match="ends in .tflite"):
        export_tflite(keras_classics.lenet5(), tmp_path / "lenet5.bin")
    with pytest.raises(ValueError, match="fixed input size"):
        export_tflite(keras_classics.resnet18(input_shape=(None, None, 3)), tmp_path / "resnet18.tflite")
    with pytest.raises(ValueError, match="cannot tell how model 'mine' expects its pixels"):
        import keras

        inputs = keras.Input((4, 4, 3))
        export_tflite(keras.Model(inputs, keras.layers.Flatten()(inputs), name="mine"), tmp_path / "m.tflite")


def test_list_ops_rejects_select_tf_ops():
    class FakeInterpreter:
        def _get_ops_details(self):
            return [{"op_name": "CONV_2D", "outputs": [0]}, {"op_name": "FlexErfinv", "outputs": [1]}]

        def get_tensor_details(self):
            return [{"index": 0, "dtype": np.float32}, {"index": 1, "dtype": np.float32}]

    with pytest.raises(ValueError, match="not TFLite built-ins: FlexErfinv"):
        list_ops(FakeInterpreter())
