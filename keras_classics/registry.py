"""The model registry: one `ModelSpec` per named variant, and the functions that look them up.

Every builder in `keras_classics.models` is decorated with `@register_model(...)`, which records its
metadata (paper, reference implementation, parameter count, input sizes, preprocessing) so that
`list_models`, `create_model`, `model_info` and the tests all read from one place.

This module imports nothing heavy; the first lookup imports `keras_classics.models` (and with it Keras and
TensorFlow), so a lookup always sees the whole zoo however the caller imported this module.

Example:
    >>> import keras_classics
    >>> keras_classics.list_models("resnet1*", family="resnet")
    ['resnet101', 'resnet152', 'resnet18']
    >>> keras_classics.model_info("resnet50").params
    25557032
"""

from __future__ import annotations

import dataclasses
import difflib
import fnmatch
from typing import Callable

from keras_classics.torch_compat import IMAGENET_MEAN, IMAGENET_STD


@dataclasses.dataclass(frozen=True)
class ModelSpec:
    """What is known about one model variant, independent of how it is built.

    Attributes:
        name: registry name, also the default Keras model name (`"resnet50"`).
        family: family name (`"resnet"`): the variants one family module builds, named after it (its
            paper lineage; the Inception family spans one module per paper). `list_models(family=...)` lists
            them all: "resnet" includes the SE/ECA/CBAM ResNets that `models/resnet.py` builds.
        paper: short citation of the paper that defines the network.
        reference: the implementation whose weights and numbers we match: `"torchvision:resnet50"`,
            `"timm:resnest50d"`, or a paper table (`"paper:Table 1"`) where no code reference exists.
        params: trainable parameters of the default build (`classes` below, family defaults).
        params_source: where `params` comes from (reference count or our derivation).
        mmacs: millions of multiply-accumulates at `default_size`, or None where not pinned.
        default_size: the input side length the paper uses.
        min_size: the smallest input side length the network accepts.
        channels: default input channels.
        classes: default number of classes.
        mean, std: per-channel normalization of [0, 1] RGB that the reference weights expect.
        stages: names of the layers whose outputs are the feature stages (for feature taps).
        head_modules: reference module paths of the classifier (`("fc",)`, `("conv_head", "classifier")`):
            importing reference weights into a model built with `include_top=False` skips their keys.
        aux_modules: reference module paths of the auxiliary classifiers (`("aux1", "aux2")`), whose keys
            are skipped for a model built without them (`aux_logits=False`). See
            `keras_classics.weights.reference` for how keys are matched.
        builder: the registered builder function.
    """

    name: str
    family: str
    paper: str
    reference: str
    params: int
    params_source: str
    default_size: int
    min_size: int
    mmacs: float | None = None
    channels: int = 3
    classes: int = 1000
    mean: tuple[float, ...] = IMAGENET_MEAN
    std: tuple[float, ...] = IMAGENET_STD
    stages: tuple[str, ...] = ()
    head_modules: tuple[str, ...] = ()
    aux_modules: tuple[str, ...] = ()
    builder: Callable | None = dataclasses.field(default=None, repr=False, compare=False)

    @property
    def reference_library(self) -> str | None:
        """`"torchvision"` or `"timm"` when a code reference exists, else None."""
        library, _, _ = self.reference.partition(":")
        return library if library in ("torchvision", "timm") else None

    @property
    def reference_name(self) -> str | None:
        """The reference's own model name (`"resnest50d"` for `"timm:resnest50d"`)."""
        return self.reference.partition(":")[2] if self.reference_library else None


_REGISTRY: dict[str, ModelSpec] = {}


def _load_zoo() -> None:
    """Imports the model families, which register their variants (a no-op once done or under way)."""
    import keras_classics.models  # noqa: F401


def register_model(**spec_fields) -> Callable:
    """Decorator that registers a builder under `spec_fields["name"]` (default: the function name).

    Raises:
        ValueError: if the name is already registered.
    """

    def decorate(builder: Callable) -> Callable:
        _load_zoo()  # so that a user's model cannot take a built-in name before the built-ins register
        name = spec_fields.pop("name", builder.__name__)
        if name in _REGISTRY:
            raise ValueError(f"model {name!r} is already registered (by {_REGISTRY[name].builder!r})")
        spec = ModelSpec(name=name, builder=builder, **spec_fields)
        _REGISTRY[name] = spec
        builder.spec = spec
        return builder

    return decorate


def _lookup(name: str) -> ModelSpec:
    if not isinstance(name, str):
        raise TypeError(f"model name must be a string; got {type(name).__name__}")
    _load_zoo()
    key = name.lower().replace("-", "_")
    if key in _REGISTRY:
        return _REGISTRY[key]
    close = difflib.get_close_matches(key, _REGISTRY, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; see keras_classics.list_models()"
    raise ValueError(f"unknown model {name!r}{hint}")


def list_models(pattern: str = "*", family: str | None = None) -> list[str]:
    """Sorted names of the registered models matching a shell-style `pattern` and `family`."""
    _load_zoo()
    if family is not None and family not in {s.family for s in _REGISTRY.values()}:
        families = sorted({s.family for s in _REGISTRY.values()})
        raise ValueError(f"unknown family {family!r}; known families: {', '.join(families)}")
    return sorted(
        name
        for name, spec in _REGISTRY.items()
        if fnmatch.fnmatch(name, pattern) and (family is None or spec.family == family)
    )


def model_info(name: str) -> ModelSpec:
    """The `ModelSpec` of a registered model (unknown names raise `ValueError` with suggestions)."""
    return _lookup(name)


def create_model(name: str, **kwargs):
    """Build a registered model by name: `create_model("resnet50", classes=10)`."""
    return _lookup(name).builder(**kwargs)
