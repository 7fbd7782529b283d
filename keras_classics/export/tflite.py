"""Exporting to TFLite (float32, float16, dynamic range, int8) with built-in ops only, checked after conversion.

The file is converted from a SavedModel that Keras' `ExportArchive` writes with `training=False` (TF's
converter freezes its variables; `TFLiteConverter.from_keras_model` and Keras' own
`model.export(format="litert")`, which turns on select-TF "Flex" ops the `ai-edge-litert` runtime cannot
run, are not used). Every op of the result must be a TFLite built-in; the file is then run with the
LiteRT interpreter and compared with the Keras model before it is renamed into place:

- `none` (float32): largest difference within 1e-4 of the largest output, relative;
- `float16` (float16 weights, float compute): within 1e-2;
- `dynamic` (int8 weights, float activations) and `int8` (full integer, calibrated on the
  `representative` images the user gives): the top-1 agreement with the float model on the check images
  is measured and reported (pass `min_agreement` to require a level).

An int8 model keeps float "islands" where TFLite has no integer kernel (LOCAL_RESPONSE_NORMALIZATION
is float-only), and by default where XNNPACK has none (`INT8_KEEP_FLOAT`: HARD_SWISH, MobileNetV3's
activation; `keep_float=()` quantizes it too): they are listed in the report, not hidden. The exported
file takes RGB pixels in [0, 255] (the model's normalization moves into the file, see `export.pixels`).

Example:
    >>> import numpy as np, keras_classics
    >>> from keras_classics.export import export_tflite
    >>> model = keras_classics.lenet5()
    >>> report = export_tflite(model, "/tmp/lenet5.tflite")  # doctest: +SKIP
    >>> print(report)  # doctest: +SKIP
    /tmp/lenet5.tflite: float32, 245.6 KiB, 10 ops (CONV_2D x2, ...), max relative difference 3.1e-07 (limit 1e-04)
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import os
import shutil
import tempfile
import time

import numpy as np

from keras_classics.export.pixels import image_batch, model_outputs, pixel_model
from keras_classics.io import atomic_path

QUANTIZATIONS = ("none", "float16", "dynamic", "int8")
# Ops an int8 file leaves in float by default. XNNPACK (the interpreter's default CPU delegate, LiteRT 2.3)
# has no int8 HARD_SWISH: quantized, each one falls back to TFLite's own int8 kernel and cuts the delegated
# graph in two. MobileNetV3-Small's 19 of them made its int8 file 21 partitions and 8x slower than with them
# left in float (2 partitions; `benchmarks/results/tflite.csv`). `keep_float=()` gives a fully integer file
# (for accelerators that need one).
INT8_KEEP_FLOAT = ("HARD_SWISH",)
IO_DTYPES = ("float32", "int8", "uint8")
RELATIVE_TOLERANCE = {"none": 1e-4, "float16": 1e-2}
# Ops that only move values between integer and float: not float compute.
_CONVERSION_OPS = {"QUANTIZE", "DEQUANTIZE"}


@dataclasses.dataclass
class TFLiteReport:
    """What was written and what the check measured."""

    path: str
    quantize: str
    size_bytes: int
    ops: dict  # op name -> count, in the order ops first appear
    float_ops: list  # int8 only: ops that still compute in float (no integer kernel)
    input_dtype: str
    output_dtype: str
    check_images: int
    max_relative_difference: float | None = None  # float32 / float16
    tolerance: float | None = None
    top1_agreement: float | None = None  # dynamic / int8
    latency_ms: float | None = None  # one image, the interpreter's default (XNNPACK) delegate
    kept_float: tuple = ()  # int8 only: ops left in float by choice (`keep_float`), not for want of a kernel

    def __str__(self) -> str:
        ops = ", ".join(f"{name} x{count}" if count > 1 else name for name, count in self.ops.items())
        kind = {"none": "float32", "float16": "float16 weights", "dynamic": "dynamic-range int8 weights"}.get(
            self.quantize, f"int8 ({self.input_dtype} in, {self.output_dtype} out)"
        )
        line = f"{self.path}: {kind}, {self.size_bytes / 1024:,.1f} KiB, {sum(self.ops.values())} ops ({ops})"
        if self.max_relative_difference is not None:
            line += (
                f"; max relative difference to Keras {self.max_relative_difference:.1e} (limit {self.tolerance:.0e})"
            )
        if self.top1_agreement is not None:
            line += f"; top-1 agrees with the Keras model on {self.top1_agreement:.1%} of {self.check_images} images"
        kept = sorted(set(self.float_ops) & set(self.kept_float))
        missing = sorted(set(self.float_ops) - set(kept))
        if missing:
            line += f"; float islands (no integer kernel): {', '.join(missing)}"
        if kept:
            line += f"; kept in float for XNNPACK (keep_float): {', '.join(kept)}"
        return line


def export_tflite(
    model,
    path,
    quantize: str = "none",
    representative=None,
    check_images=None,
    io_dtype: str = "float32",
    min_agreement: float | None = None,
    mean=None,
    std=None,
    keep_float=INT8_KEEP_FLOAT,
) -> TFLiteReport:
    """Converts `model` to a TFLite file at `path`, checks it against the model, and returns the report.

    Args:
        model: a Keras model with one image input of fixed size (the first output is exported).
        path: the `.tflite` file to write (atomically: nothing is left there if a step fails).
        quantize: "none" (float32), "float16", "dynamic" or "int8".
        representative: int8 only, required: a few hundred of the user's images, (N, H, W, C) RGB
            pixels in [0, 255], to calibrate activation ranges.
        check_images: pixels to compare the file with the Keras model on (default: `representative`,
            else 8 random images). Use held-out real images: that is what the agreement measures.
        io_dtype: int8 only: the file's input and output type, "float32", "int8" or "uint8".
        min_agreement: raise if the quantized file's top-1 agreement falls below this fraction.
        mean, std: the model's input statistics, when it has no `preprocessing` layer and is not a
            registered model (see `export.pixels.pixel_model`).
        keep_float: int8 only: TFLite op names to leave in float (default `INT8_KEEP_FLOAT`, what
            XNNPACK cannot run in int8); `()` for a fully integer file.

    Raises:
        ValueError: a bad argument, an op with no TFLite built-in kernel (named), or a check that failed.
    """
    _check_arguments(path, quantize, representative, io_dtype, min_agreement)
    with TFLiteConversion(model, representative, check_images, mean, std) as conversion:
        return conversion.export(path, quantize, io_dtype, min_agreement, keep_float)


class TFLiteConversion:
    """Several TFLite files of one model (one per quantization mode), sharing the work they have in common.

    The pixel model, its staged training=False SavedModel and the Keras outputs on the check images are
    made once; each `export` converts, checks and writes one file exactly as `export_tflite` does. Use it as
    a context manager: the staged SavedModel is removed on exit.

    Example:
        >>> import numpy as np, keras_classics
        >>> from keras_classics.export.tflite import TFLiteConversion
        >>> images = np.random.default_rng(0).uniform(0, 255, (8, 32, 32, 1)).astype("float32")
        >>> with TFLiteConversion(keras_classics.lenet5(), representative=images) as conversion:  # doctest: +SKIP
        ...     reports = [conversion.export(f"/tmp/lenet5_{mode}.tflite", mode) for mode in ("none", "int8")]
    """

    def __init__(self, model, representative=None, check_images=None, mean=None, std=None):
        shape = tuple(model.inputs[0].shape[1:])
        if None in shape:
            raise ValueError(
                f"TFLite needs a fixed input size; model {model.name!r} takes {shape}: build it with input_shape="
            )
        self.model = pixel_model(model, mean, std)
        shape = tuple(self.model.inputs[0].shape[1:])
        self.representative = None if representative is None else _pixels(representative, shape, "representative")
        check = _pixels(check_images, shape, "check_images") if check_images is not None else self.representative
        if check is None:
            check = np.random.default_rng(0).uniform(0, 255, (8, *shape)).astype("float32")
        self.check_images = check
        self._expected = None
        self._staging = None
        self._cleanup = contextlib.ExitStack()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._cleanup.close()
        self._staging = None

    def export(
        self, path, quantize: str = "none", io_dtype: str = "float32", min_agreement=None, keep_float=INT8_KEEP_FLOAT
    ) -> TFLiteReport:
        """Converts, checks and writes one file (see `export_tflite` for the arguments and the checks)."""
        _check_arguments(path, quantize, self.representative, io_dtype, min_agreement)
        flatbuffer = convert_saved_model(self._saved_model(), quantize, self.representative, io_dtype, keep_float)
        interpreter = make_interpreter(flatbuffer)
        ops, float_ops = list_ops(interpreter)
        report = TFLiteReport(
            path=os.fspath(path),
            quantize=quantize,
            size_bytes=len(flatbuffer),
            ops=ops,
            float_ops=float_ops if quantize == "int8" else [],
            input_dtype=np.dtype(interpreter.get_input_details()[0]["dtype"]).name,
            output_dtype=np.dtype(interpreter.get_output_details()[0]["dtype"]).name,
            check_images=len(self.check_images),
            kept_float=tuple(keep_float) if quantize == "int8" else (),
        )
        _verify(report, self._keras_outputs(), flatbuffer, self.check_images, min_agreement)
        with atomic_path(path) as staged, open(staged, "wb") as file:
            file.write(flatbuffer)
        return report

    def _saved_model(self):
        if self._staging is None:
            self._staging = self._cleanup.enter_context(inference_saved_model(self.model))
        return self._staging

    def _keras_outputs(self):
        if self._expected is None:
            self._expected = model_outputs(self.model, self.check_images)
        return self._expected


def _check_arguments(path, quantize, representative, io_dtype, min_agreement):
    if quantize not in QUANTIZATIONS:
        raise ValueError(f"quantize must be one of {', '.join(QUANTIZATIONS)}; got {quantize!r}")
    if io_dtype not in IO_DTYPES:
        raise ValueError(f"io_dtype must be one of {', '.join(IO_DTYPES)}; got {io_dtype!r}")
    if io_dtype != "float32" and quantize != "int8":
        raise ValueError(f"io_dtype={io_dtype!r} needs quantize='int8' (a {quantize!r} file computes in float)")
    if quantize == "int8" and representative is None:
        raise ValueError("quantize='int8' needs representative images (a few hundred of yours) to calibrate with")
    if min_agreement is not None and not 0.0 <= min_agreement <= 1.0:
        raise ValueError(f"min_agreement must lie in [0, 1]; got {min_agreement!r}")
    if not os.fspath(path).endswith(".tflite"):
        raise ValueError(f"a TFLite file's name ends in .tflite; got {os.fspath(path)!r}")
    if os.path.isdir(path):
        raise ValueError(f"{os.fspath(path)!r} is a folder; give the path of the .tflite file to write")


def _pixels(images, shape, argument):
    images = image_batch(images, shape, argument)
    if images.min() < 0.0 or images.max() > 255.0:
        raise ValueError(f"{argument} must be pixels in [0, 255]; got values in [{images.min():g}, {images.max():g}]")
    return images


def convert(
    model, quantize: str = "none", representative=None, io_dtype: str = "float32", keep_float=INT8_KEEP_FLOAT
) -> bytes:
    """The TFLite flatbuffer of `model` (taking what `model` takes), built-in ops only.

    Raises:
        ValueError: the converter met an op with no built-in TFLite kernel (its message names it).
    """
    with inference_saved_model(model) as directory:
        return convert_saved_model(directory, quantize, representative, io_dtype, keep_float)


def convert_saved_model(
    directory, quantize: str = "none", representative=None, io_dtype: str = "float32", keep_float=INT8_KEEP_FLOAT
) -> bytes:
    """The TFLite flatbuffer of the inference SavedModel in `directory` (see `convert`)."""
    import tensorflow as tf

    converter = tf.lite.TFLiteConverter.from_saved_model(os.fspath(directory))
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    if quantize != "none":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if quantize == "float16":
        converter.target_spec.supported_types = [tf.float16]
    if quantize != "int8":
        return _convert(converter)
    converter.representative_dataset = lambda: ([image[None]] for image in representative)
    # Integer kernels for every op where TFLite has one; float kernels (an "island" between
    # DEQUANTIZE and QUANTIZE) for the rest, which `list_ops` reports.
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8, tf.lite.OpsSet.TFLITE_BUILTINS]
    if not keep_float:
        if io_dtype != "float32":
            converter.inference_input_type = converter.inference_output_type = getattr(tf, io_dtype)
        return _convert(converter)
    # Selective quantization, as `tf.lite.experimental.QuantizationDebugger` does it: calibrate, then
    # quantize with the listed ops denied (the converter's own last step, which takes no such list).
    from tensorflow.lite.python import convert as lite_convert

    converter._experimental_calibrate_only = True
    calibrated = _convert(converter)
    io = getattr(tf, io_dtype)
    return lite_convert.mlir_quantize(
        calibrated, input_data_type=io, output_data_type=io, denylisted_ops=list(keep_float)
    )


@contextlib.contextmanager
def inference_saved_model(model):
    """The folder of `model`'s inference SavedModel (what `convert_saved_model` takes), removed on exit.

    Staged once, it serves any number of conversions (one per quantization mode).
    """
    staging = tempfile.mkdtemp(prefix="keras_classics_tflite_")
    try:
        _inference_saved_model(model, staging)
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _inference_saved_model(model, directory):
    """A SavedModel with one signature, `serving_default(images) -> probabilities`, run with training=False."""
    import keras
    import tensorflow as tf

    archive = keras.export.ExportArchive()
    archive.track(model)
    shape = [None, *model.inputs[0].shape[1:]]

    def serve(images):
        outputs = model(images, training=False)
        return {"probabilities": outputs[0] if isinstance(outputs, (list, tuple)) else outputs}

    archive.add_endpoint("serving_default", serve, input_signature=[tf.TensorSpec(shape, tf.float32, name="images")])
    archive.write_out(directory, verbose=False)


def _convert(converter) -> bytes:
    try:
        return converter.convert()
    except Exception as error:  # the converter's ConverterError: keep the part that names the ops
        message = str(error)
        lines = [line.strip() for line in message.splitlines() if "op" in line.lower() and line.strip()]
        detail = "; ".join(lines[:6]) or message[:1500]
        raise ValueError(f"TFLite conversion with built-in ops only failed: {detail}") from error


def make_interpreter(flatbuffer, delegates: bool = False):
    """A LiteRT interpreter for `flatbuffer`, tensors allocated; `delegates=False` keeps ops listable."""
    try:
        from ai_edge_litert.interpreter import Interpreter, OpResolverType  # the `litert` extra
    except ImportError:
        import tensorflow as tf

        Interpreter, OpResolverType = tf.lite.Interpreter, tf.lite.experimental.OpResolverType
    resolver = OpResolverType.AUTO if delegates else OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES
    interpreter = Interpreter(model_content=flatbuffer, experimental_op_resolver_type=resolver)
    interpreter.allocate_tensors()
    return interpreter


def list_ops(interpreter):
    """`({op name: count}, [ops computing in float])` of an interpreter built without delegates.

    Raises:
        ValueError: an op that is not a TFLite built-in (select-TF "Flex" ops, custom ops).
    """
    details = interpreter._get_ops_details()  # the only op listing the interpreter offers
    counts = collections.Counter(detail["op_name"] for detail in details)
    foreign = sorted(name for name in counts if name.startswith("Flex") or name in ("CUSTOM", "DELEGATE"))
    if foreign:
        raise ValueError(f"the TFLite file uses ops that are not TFLite built-ins: {', '.join(foreign)}")
    dtypes = {tensor["index"]: np.dtype(tensor["dtype"]) for tensor in interpreter.get_tensor_details()}
    float_ops = [
        detail["op_name"]
        for detail in details
        if detail["op_name"] not in _CONVERSION_OPS and any(dtypes.get(int(i)) == np.float32 for i in detail["outputs"])
    ]
    return dict(counts), float_ops


def run(flatbuffer, images, delegates: bool = True):
    """Runs a TFLite file on `images` one at a time (as a phone would); returns float outputs and ms/image."""
    interpreter = make_interpreter(flatbuffer, delegates=delegates)
    source, target = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    outputs, seconds = [], 0.0
    for image in images:
        interpreter.set_tensor(source["index"], _quantize(image[None], source))
        start = time.perf_counter()
        interpreter.invoke()
        seconds += time.perf_counter() - start
        outputs.append(_dequantize(interpreter.get_tensor(target["index"]), target))
    return np.concatenate(outputs), 1000.0 * seconds / max(1, len(images))


def _quantize(x, detail):
    if np.dtype(detail["dtype"]) == np.float32:
        return x.astype("float32")
    scale, zero_point = detail["quantization"]
    info = np.iinfo(detail["dtype"])
    return np.clip(np.round(x / scale + zero_point), info.min, info.max).astype(detail["dtype"])


def _dequantize(y, detail):
    if np.dtype(detail["dtype"]) == np.float32:
        return y
    scale, zero_point = detail["quantization"]
    return (y.astype("float32") - zero_point) * scale


def _verify(report, expected, flatbuffer, images, min_agreement):
    actual, report.latency_ms = run(flatbuffer, images)
    if report.quantize in RELATIVE_TOLERANCE:
        report.tolerance = RELATIVE_TOLERANCE[report.quantize]
        scale = max(float(np.max(np.abs(expected))), 1e-12)
        report.max_relative_difference = float(np.max(np.abs(actual - expected))) / scale
        if report.max_relative_difference > report.tolerance:
            raise ValueError(
                f"the {report.quantize} TFLite file's outputs differ from the Keras model's by "
                f"{report.max_relative_difference:.2e} of the largest output (> {report.tolerance:.0e}); not written"
            )
        return
    report.top1_agreement = float(np.mean(actual.argmax(-1) == expected.argmax(-1)))
    if min_agreement is not None and report.top1_agreement < min_agreement:
        raise ValueError(
            f"the {report.quantize} TFLite file's top-1 agrees with the Keras model on {report.top1_agreement:.1%} "
            f"of {len(images)} images (< {min_agreement:.1%}); not written"
        )
