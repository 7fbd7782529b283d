"""Loss settings the papers train with, beyond what a Keras loss takes as an argument."""

from __future__ import annotations


def aux_loss_weights(model, aux_weight: float = 0.3) -> list[float]:
    """Loss weights for `model.compile`: 1.0 for the main output, `aux_weight` for each auxiliary one.

    GoogLeNet (Szegedy et al. 2015, Sec. 5) adds the auxiliary losses with weight 0.3; torchvision's
    Inception-v3 recipe uses 0.4. Keras pairs a list of weights with a list of losses, one per output.

    Example:
        >>> import keras_classics
        >>> model = keras_classics.googlenet(aux_logits=True)
        >>> aux_loss_weights(model)
        [1.0, 0.3, 0.3]
        >>> model.compile("sgd", loss=["sparse_categorical_crossentropy"] * 3, loss_weights=aux_loss_weights(model))
    """
    return [1.0] + [float(aux_weight)] * (len(model.outputs) - 1)
