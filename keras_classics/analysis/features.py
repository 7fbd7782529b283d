"""Feature taps: a model that returns the outputs of a network's named stages.

Example:
    >>> import keras_classics
    >>> from keras_classics.analysis import feature_extractor
    >>> taps = feature_extractor("lenet5", input_shape=(32, 32, 1))
    >>> [tuple(t.shape) for t in taps.outputs]
    [(None, 28, 28, 6), (None, 10, 10, 16), (None, 1, 1, 120)]
"""

from __future__ import annotations

import keras


def feature_extractor(model, stages=None, **builder_kwargs) -> keras.Model:
    """A model from the same input to the outputs of `stages` (default: the spec's feature stages).

    Args:
        model: a registered model name (built headless with `builder_kwargs`) or a built Keras model.
        stages: layer names to tap; default `ModelSpec.stages`.
    """
    from keras_classics.registry import model_info

    if isinstance(model, str):
        spec = model_info(model)
        model = spec.builder(include_top=False, **builder_kwargs)
    else:
        spec = model_info(model.name) if stages is None else None
    names = list(stages if stages is not None else spec.stages)
    if not names:
        raise ValueError(f"no stages to tap for {model.name!r}; pass stages=[layer names]")
    known = {layer.name for layer in model.layers}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"{model.name!r} has no layers named {unknown}")
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    return keras.Model(inputs, [model.get_layer(n).output for n in names], name=f"{model.name}_features")
