"""The TF Serving signatures of an exported classifier: a pixel tensor in, or encoded image bytes in.

- `serving_default(images)`: float32 `(N, H, W, C)` RGB pixels in [0, 255] (normalization is inside
  the graph);
- `classify_image_bytes(image_bytes)`: a `(N,)` batch of encoded JPEG/PNG/BMP/GIF files (`tf.string`;
  the `_bytes` suffix makes TF Serving's REST API accept `{"b64": ...}`), decoded, shorter side resized
  and centre-cropped in the graph by the very function `evaluate` uses (`data.augment.center_crop_eval`).

Both return `probabilities` `(N, classes)`, `top_k_indices` and `top_k_probabilities` `(N, k)`, and
`top_k_classes` `(N, k)`, the class names, which travel inside the graph.

Example:
    >>> import keras_classics
    >>> from keras_classics.export.serving import serving_archive
    >>> archive = serving_archive(keras_classics.lenet5(), [str(i) for i in range(10)], top_k=3)
    >>> archive.write_out("/tmp/lenet5_serving", verbose=False)  # doctest: +SKIP
"""

from __future__ import annotations

import keras

from keras_classics.export.pixels import pixel_model

TENSOR_SIGNATURE = "serving_default"
BYTES_SIGNATURE = "classify_image_bytes"
OUTPUTS = ("probabilities", "top_k_indices", "top_k_probabilities", "top_k_classes")


def outputs_probabilities(model) -> bool:
    """Whether the model's (first) output is a softmax; if not (logits), the signatures apply one."""
    try:
        last = model.get_layer(model.output_names[0])
    except (AttributeError, IndexError, ValueError):  # not a functional model: judge by its last layer
        last = model.layers[-1]
    return last.get_config().get("activation") == "softmax"


def serving_archive(model, class_names, top_k: int = 5, mean=None, std=None):
    """A `keras.export.ExportArchive` holding `model` with the two signatures (not yet written).

    Args:
        model: a Keras classifier with one fixed-size image input.
        class_names: one name per class, in output order.
        top_k: how many best classes the signatures return (at most the number of classes).
        mean, std: see `export.pixels.pixel_model` (for a model with no `preprocessing` layer that is not
            a registered one).
    """
    import tensorflow as tf

    from keras_classics.data.augment import center_crop_eval

    pixels = pixel_model(model, mean, std)
    height, width, channels = pixels.inputs[0].shape[1:]
    classes = pixels.outputs[0].shape[-1]
    if len(class_names) != classes:
        raise ValueError(f"{len(class_names)} class names for a model with {classes} classes")
    if not 1 <= top_k <= classes:
        raise ValueError(f"top_k must lie in [1, {classes}] (the number of classes); got {top_k}")
    softmax = not outputs_probabilities(model)
    names = tf.constant([str(name) for name in class_names])

    def classify(images):
        outputs = pixels(images, training=False)
        scores = outputs[0] if isinstance(outputs, (list, tuple)) else outputs
        scores = tf.nn.softmax(scores) if softmax else scores
        best = tf.math.top_k(scores, k=top_k)
        return {
            "probabilities": scores,
            "top_k_indices": best.indices,
            "top_k_probabilities": best.values,
            "top_k_classes": tf.gather(names, best.indices),
        }

    def decode(encoded):
        image = tf.io.decode_image(encoded, channels=channels, expand_animations=False)
        image.set_shape([None, None, channels])
        return tf.cast(center_crop_eval(image, (height, width)), tf.float32)

    def classify_image_bytes(image_bytes):
        spec = tf.TensorSpec([height, width, channels], tf.float32)
        return classify(tf.map_fn(decode, image_bytes, fn_output_signature=spec))

    archive = keras.export.ExportArchive()
    archive.track(pixels)
    image_spec = tf.TensorSpec([None, height, width, channels], tf.float32, name="images")
    archive.add_endpoint(TENSOR_SIGNATURE, classify, input_signature=[image_spec])
    bytes_spec = tf.TensorSpec([None], tf.string, name="image_bytes")
    archive.add_endpoint(BYTES_SIGNATURE, classify_image_bytes, input_signature=[bytes_spec])
    return archive
