"""keras_classics: the classic image-classification networks for Keras 3, built faithfully.

Example:
    >>> import keras_classics
    >>> model = keras_classics.lenet5()
    >>> model.count_params()
    61706
    >>> keras_classics.list_models(family="lenet")
    ['lenet5']
"""

__version__ = "0.1.0"

import keras_classics.layers  # noqa: F401  (registers the custom layers for load_model)
from keras_classics import models as _models  # noqa: F401  (registers every variant)
from keras_classics.registry import ModelSpec, create_model, list_models, model_info

__all__ = ["ModelSpec", "create_model", "list_models", "model_info"]

# Every builder at top level: keras_classics.resnet50(...)
for _name in list_models():
    globals()[_name] = model_info(_name).builder
    __all__.append(_name)
del _name
