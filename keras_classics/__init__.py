"""keras_classics: the classic image-classification networks for Keras 3, built faithfully.

Importing the package is instant: the model builders (and with them Keras and TensorFlow) load on first
use, and the custom layers register themselves with Keras as soon as Keras is imported, so
`keras.models.load_model` needs no `custom_objects`.

Example:
    >>> import keras_classics
    >>> model = keras_classics.lenet5()
    >>> model.count_params()
    61706
    >>> keras_classics.list_models(family="lenet")
    ['lenet5']
    >>> "resnet50" in keras_classics.__all__
    True
"""

__version__ = "0.1.0"

import importlib as _importlib
import pkgutil as _pkgutil

from keras_classics._keras_hook import register_layers_with_keras as _register_layers_with_keras
from keras_classics.builders import *  # noqa: F401,F403  (every zoo builder; they load Keras when called)
from keras_classics.registry import ModelSpec, create_model, list_models, model_info

_API = ["ModelSpec", "create_model", "list_models", "model_info"]
_SUBMODULES = frozenset(info.name for info in _pkgutil.iter_modules(__path__) if not info.name.startswith("_"))

_register_layers_with_keras()


def __getattr__(name):
    # PEP 562: called only for names not already in the module: `__all__`, a subpackage not imported yet,
    # or a model registered outside the zoo (`keras_classics.registry.register_model`).
    if name == "__all__":
        value = _API + list_models()
    elif name in _SUBMODULES:
        value = _importlib.import_module(f"{__name__}.{name}")
    elif not name.startswith("_") and name in list_models():
        value = model_info(name).builder
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | _SUBMODULES | set(__getattr__("__all__")))
