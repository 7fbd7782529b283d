"""Registering the custom layers with Keras the moment Keras is imported.

`import keras_classics` does not import Keras (TensorFlow takes seconds to load, and the command line's
`--help` should not wait for it). Yet `import keras_classics` must be enough for `keras.models.load_model` to
find the package's custom layers. So the package calls `register_layers_with_keras()`: if Keras is already
loaded, the layers are imported (and so registered) at once; otherwise a one-shot import hook imports them
right after `keras` itself finishes loading, before any user code can call `load_model`.

Example:
    >>> import sys, keras_classics
    >>> import keras
    >>> "keras_classics.layers" in sys.modules
    True
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

_LAYERS = "keras_classics.layers"


class _ThenImportLayers(importlib.abc.Loader):
    """Wraps the loader of `keras`: runs it, then imports the custom layers."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        module.__loader__ = self.loader  # the module keeps its real loader, as if never wrapped
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        self.loader.exec_module(module)
        importlib.import_module(_LAYERS)


class _WatchForKeras(importlib.abc.MetaPathFinder):
    """Finds nothing itself; wraps the loader the other finders return for `keras`.

    Every search for `keras` gets a wrapped loader, not only the first: TensorFlow probes with
    `importlib.util.find_spec("keras")` before importing it, and that probe's spec is never executed.
    """

    def __init__(self):
        self.searching = False

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "keras" or self.searching or "keras" in sys.modules:
            return None
        self.searching = True  # the search below comes back through here: it must pass through
        try:
            spec = importlib.util.find_spec("keras")
        finally:
            self.searching = False
        if spec is None or spec.loader is None:
            return None
        spec.loader = _ThenImportLayers(spec.loader)
        return spec


def register_layers_with_keras() -> None:
    """Makes sure the custom layers are registered whenever Keras is (or becomes) importable."""
    if "keras" in sys.modules:
        importlib.import_module(_LAYERS)
    elif not any(isinstance(finder, _WatchForKeras) for finder in sys.meta_path):
        sys.meta_path.insert(0, _WatchForKeras())
