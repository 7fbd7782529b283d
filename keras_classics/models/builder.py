"""Turning a family's feature extractor and head into a `keras.applications`-style builder.

Each family module describes its variants as rows of a table (`keras_classics.models.variant_table`), and
`register_family` calls `register_variant` once per row, which registers the variant's `ModelSpec`, build
function and options. Its public builder is a plain function
in `keras_classics/builders.py` with the `keras.applications` signature

    name(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None,
         classes=<default>, classifier_activation="softmax", name=<variant>, *,
         include_preprocessing=False, kernel_init=None, <family options>)

generated from the registry by `python -m keras_classics.builders_source` (so that `grep "def resnet50"`, an
IDE and a type checker find it); it calls `build_variant`, which hands the family's build function the spec
and a `BuildArgs`. That function calls `assemble`, which owns everything the families share: input
validation, the input layer, optional in-graph preprocessing, pooling, the classifier activation, auxiliary
outputs and weight loading.
Family options named `*_rate` (dropout, drop path) are probabilities: the builder checks each with
`check_rate` before the family sees it.
"""

from __future__ import annotations

import dataclasses
import inspect
import numbers
from typing import Callable

import keras
from keras import layers

from keras_classics.blocks.preprocessing import normalize_pixels
from keras_classics.models.initialization import initialize, resolve_scheme
from keras_classics.registry import ModelSpec, model_info, register_model

_POOLINGS = (None, "avg", "max")


@dataclasses.dataclass
class BuildArgs:
    """The arguments every builder takes, after defaults are applied; `options` holds family options."""

    include_top: bool
    weights: str | None
    input_tensor: object
    input_shape: tuple | None
    pooling: str | None
    classes: int
    classifier_activation: object
    name: str
    include_preprocessing: bool
    kernel_init: str | None
    options: dict

    def __getattr__(self, key):
        # Family options read like attributes, the one way families read them: `args.alpha`, and
        # `getattr(args, "aux_logits", False)` for an option only some variants of a family declare.
        options = self.__dict__.get("options", {})
        if key in options:
            return options[key]
        raise AttributeError(key)


def check_rate(name: str, value):
    """Returns `value` if it is a number in [0, 1) (a dropout or drop-path rate), else raises ValueError.

    Example:
        >>> check_rate("dropout_rate", True)
        Traceback (most recent call last):
        ...
        ValueError: dropout_rate must be a number in [0, 1); got True
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be a number in [0, 1); got {value!r}")
    return value


def signature(spec_name: str, classes: int, options: dict) -> inspect.Signature:
    """A variant's builder signature: keras.applications' arguments, then ours and the family's options."""
    positional = dict(
        include_top=True,
        weights=None,
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=classes,
        classifier_activation="softmax",
        name=spec_name,
    )
    params = [inspect.Parameter(k, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=v) for k, v in positional.items()]
    keyword = {"include_preprocessing": False, "kernel_init": None, **options}
    params += [inspect.Parameter(k, inspect.Parameter.KEYWORD_ONLY, default=v) for k, v in keyword.items()]
    return inspect.Signature(params)


@dataclasses.dataclass(frozen=True)
class Variant:
    """What `register_variant` was given: the family's build function, its options and its description."""

    build: Callable
    options: dict
    doc: str


_VARIANTS: dict[str, Variant] = {}


def variant(name: str) -> Variant:
    """The registered variant `name` (from which `keras_classics.builders_source` writes its builder)."""
    return _VARIANTS[name]


def build_variant(name: str, arguments: dict) -> keras.Model:
    """Builds variant `name` from its builder's arguments (the builder's `locals()`): what every function in
    `keras_classics.builders` calls."""
    entry = _VARIANTS[name]
    values = dict(arguments)
    family_options = {key: values.pop(key) for key in entry.options}
    for key, value in family_options.items():
        if key.endswith("_rate"):
            check_rate(key, value)
    return entry.build(model_info(name), BuildArgs(options=family_options, **values))


def _unlisted_builder(name: str, classes: int, options: dict):
    """The builder of a variant that `keras_classics/builders.py` does not have yet: a family being added,
    before `python -m keras_classics.builders_source` rewrites the file (a test fails until then)."""
    bound_signature = signature(name, classes, options)

    def builder(*call_args, **call_kwargs):
        bound = bound_signature.bind(*call_args, **call_kwargs)
        bound.apply_defaults()
        return build_variant(name, bound.arguments)

    builder.__name__ = builder.__qualname__ = name
    builder.__signature__ = bound_signature
    return builder


def register_variant(name: str, build: Callable, *, options: dict | None = None, doc: str = "", **spec_fields):
    """Register one variant; returns its builder, the function of that name in `keras_classics.builders`.

    Args:
        name: registry name and function name (`"resnet50"`).
        build: `build(spec, args) -> keras.Model`, usually a family function bound to a table row.
        options: family keyword options and their defaults for this variant (`{"aux_logits": False}`).
        doc: one paragraph describing the variant (its builder's docstring starts with it).
        **spec_fields: the `ModelSpec` fields other than `name` and `builder`.
    """
    from keras_classics import builders

    options = dict(options or {})
    _VARIANTS[name] = Variant(build, options, doc or spec_fields.get("paper", ""))
    builder = getattr(builders, name, None) or _unlisted_builder(name, spec_fields.get("classes", 1000), options)
    register_model(name=name, **spec_fields)(builder)
    return builder


def resolve_input_shape(spec: ModelSpec, args: BuildArgs, fixed_size: bool) -> tuple:
    """The (height, width, channels) of the input, validated against the model's limits."""
    shape = args.input_shape
    if shape is None and args.input_tensor is not None:
        shape = tuple(args.input_tensor.shape[1:])
    if shape is None:
        side = spec.default_size if (args.include_top or fixed_size) else None
        return (side, side, spec.channels)
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__") or len(shape) != 3:
        raise ValueError(f"input_shape must be (height, width, channels) in channels_last order; got {shape!r}")
    shape = tuple(shape)
    height, width, channels = shape
    if not _is_count(channels):
        raise ValueError(f"input_shape channels must be a positive integer; got {shape!r}")
    if not all(side is None or _is_count(side) for side in (height, width)):
        raise ValueError(f"input_shape height and width must be positive integers (or None); got {shape!r}")
    if _looks_channels_first(shape):
        raise ValueError(
            f"input_shape {shape!r} looks channels-first; keras_classics models are channels_last (NHWC): "
            f"pass {(width, channels, height)!r}"
        )
    for side_name, side in (("height", height), ("width", width)):
        if side is None:
            if fixed_size:
                raise ValueError(f"{spec.name} needs a fixed {side_name}; got input_shape={shape!r}")
            continue
        if side < spec.min_size:
            raise ValueError(
                f"input_shape {shape!r} is too small for {spec.name}: height and width must be at least {spec.min_size}"
            )
    return shape


def _is_count(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 1


def _looks_channels_first(shape) -> bool:
    """(3, 224, 224): a first side of 1, 3 or 4 pixels (an image's channel count) before many "channels".

    keras.applications rejects such shapes too (as too small); a real image is never 3 pixels tall.
    """
    height, _, channels = shape
    return height in (1, 3, 4) and channels is not None and channels > 4


def _validate(spec: ModelSpec, args: BuildArgs) -> None:
    if args.kernel_init is not None:
        resolve_scheme(args.kernel_init, spec.family)  # before building: a wrong name costs no time
    if args.pooling not in _POOLINGS:
        raise ValueError(f"pooling must be one of None, 'avg', 'max'; got {args.pooling!r}")
    if not isinstance(args.classes, int) or isinstance(args.classes, bool) or args.classes < 1:
        raise ValueError(f"classes must be a positive integer; got {args.classes!r}")
    if isinstance(args.weights, str) and args.weights.lower() in ("imagenet", "default", "pretrained"):
        raise ValueError(
            f"weights={args.weights!r}: keras_classics never downloads weights; pass None or the path of a "
            "local file (.weights.h5, .keras, .safetensors, .npz, .pth)"
        )
    if args.include_preprocessing and args.input_shape is not None:
        channels = tuple(args.input_shape)[-1]
        if channels != len(spec.mean):
            raise ValueError(
                f"include_preprocessing=True normalizes {len(spec.mean)} channels with {spec.name}'s mean and "
                f"std; got input_shape with {channels} channels"
            )


def _input_layer(args: BuildArgs, shape: tuple):
    if args.input_tensor is None:
        return keras.Input(shape=shape, name="input")
    if keras.backend.is_keras_tensor(args.input_tensor):
        return args.input_tensor
    return keras.Input(tensor=args.input_tensor, shape=shape, name="input")


def _pool(x, pooling: str | None):
    if pooling is None:
        return x
    if len(x.shape) == 3:  # token sequences (ViT)
        pool = layers.GlobalAveragePooling1D if pooling == "avg" else layers.GlobalMaxPooling1D
    else:
        pool = layers.GlobalAveragePooling2D if pooling == "avg" else layers.GlobalMaxPooling2D
    return pool(name=f"{pooling}_pool")(x)


def default_head(x, classes: int, name: str = "fc", dropout: float = 0.0):
    """Global average pooling, optional dropout and one dense layer: the head of most modern CNNs."""
    x = layers.GlobalAveragePooling2D(name="avgpool")(x)
    if dropout:
        x = layers.Dropout(dropout, name="dropout")(x)
    return layers.Dense(classes, name=name)(x)


def assemble(
    spec: ModelSpec,
    args: BuildArgs,
    features: Callable,
    head: Callable = default_head,
    aux_heads: Callable | None = None,
    fixed_size: bool = False,
) -> keras.Model:
    """Build the functional model of one variant.

    Args:
        spec: the variant's `ModelSpec`.
        args: the builder's arguments.
        features: `features(x) -> tensor`, the network up to its last feature map.
        head: `head(x, classes) -> logits`, the classifier used when `include_top=True`.
        aux_heads: `aux_heads(classes) -> [logits, ...]`, auxiliary classifiers built from tensors the
            `features` call captured; their outputs follow the main one when `include_top=True`.
        fixed_size: the network needs a known input size (flatten heads, position embeddings).
    """
    _validate(spec, args)
    shape = resolve_input_shape(spec, args, fixed_size)
    inputs = _input_layer(args, shape)
    x = inputs
    if args.include_preprocessing:
        x = normalize_pixels(x, spec.mean, spec.std)
    x = features(x)
    if args.include_top:
        logits = [head(x, args.classes)] + (list(aux_heads(args.classes)) if aux_heads else [])
        names = ["predictions"] + [f"aux{i}_predictions" for i in range(1, len(logits))]
        outputs = [
            layers.Activation(args.classifier_activation or "linear", dtype="float32", name=n)(y)
            for y, n in zip(logits, names)
        ]
        outputs = outputs[0] if len(outputs) == 1 else outputs
    else:
        outputs = _pool(x, args.pooling)
    source = keras.utils.get_source_inputs(args.input_tensor) if args.input_tensor is not None else [inputs]
    # One input is passed bare, so calling the model on a tensor does not warn about input structure.
    model = keras.Model(source[0] if len(source) == 1 else source, outputs, name=args.name)
    if args.weights is None:
        # Keras drew Glorot kernels while building; the reference implementation's scheme replaces them.
        initialize(model, args.kernel_init, spec=spec)
    else:  # every loader fills every weight or raises: a draw would only be overwritten
        from keras_classics.weights import load_weights

        load_weights(model, args.weights, spec=spec)
    return model
