"""Writes `keras_classics/builders.py`: one plain function per registered variant, from the registry.

A builder written out as `def resnet50(...)` is found by `grep`, shown with its signature and docstring by an
IDE and `help()`, and checked by a type checker; the family modules stay the single source of every variant
(their `VARIANTS` tables and `register_family` calls), and `tests/test_registry.py` fails when the file is out of date.

Usage:
    python -m keras_classics.builders_source   # rewrites keras_classics/builders.py

Example:
    >>> from keras_classics.builders_source import render_builder
    >>> print(render_builder("lenet5").splitlines()[0])
    def lenet5(
"""

from __future__ import annotations

import inspect
import pathlib
import sys
import textwrap

from keras_classics.io import atomic_path
from keras_classics.models.builder import signature, variant
from keras_classics.registry import list_models, model_info

TARGET = pathlib.Path(__file__).resolve().parent / "builders.py"
# A builder's example runs as a doctest; above this size it is shown but not run, because building a VGG or
# ViT-L/H once costs 0.5-2.5 GB and seconds, and the model tests build each of them already.
DOCTEST_MAX_PARAMS = 100_000_000
WIDTH = 120

HEADER = '''"""Every zoo network's builder, with the `keras.applications` signature: `keras_classics.resnet50(...)`.

Generated from the registry by `python -m keras_classics.builders_source`: edit the family modules in
`keras_classics/models/`, not this file (a test fails when it is out of date).

Each builder takes the arguments of the `keras.applications` builder of its kind, in the same order:
`include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name` (`weights` is
None or a local file: `.weights.h5`, `.keras`, or a reference state dict; nothing is downloaded); then, by
keyword, `include_preprocessing` (raw [0, 255] RGB in, the reference's mean/std applied in the graph),
`kernel_init` (None: the reference implementation's scheme; "paper", "he", "glorot" or "torch": see
`keras_classics.models.initialization`) and the family's options, shown in each signature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import keras


def _build(name: str, arguments: dict) -> keras.Model:
    from keras_classics.models.builder import build_variant

    return build_variant(name, arguments)
'''


def _literal(value) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _docstring(name: str) -> str:
    spec = model_info(name)
    text = variant(name).doc
    if '"""' in text or "\\" in text:
        raise ValueError(f"{name}: its description cannot go into a docstring as it is: {text!r}")
    flag = "  # doctest: +SKIP" if spec.params > DOCTEST_MAX_PARAMS else ""
    paragraphs = [
        text,
        f"Reference: {spec.reference}; {spec.params:,} trainable parameters ({spec.params_source}).",
    ]
    wrapped = [textwrap.fill(p, WIDTH - 4, initial_indent="    ", subsequent_indent="    ") for p in paragraphs]
    example = (
        "    Example:\n"
        "        >>> import keras_classics\n"
        f"        >>> model = keras_classics.{name}(classes=10, classifier_activation=None){flag}\n"
    )
    body = "\n\n".join(wrapped).lstrip() + "\n\n" + example
    return f'    """{body}    """\n'


def render_builder(name: str) -> str:
    """The source of `name`'s builder function."""
    spec = model_info(name)
    lines = [f"def {name}("]
    for parameter in signature(name, spec.classes, variant(name).options).parameters.values():
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY and "    *," not in lines:
            lines.append("    *,")  # keras.applications' arguments may be positional, ours only by keyword
        lines.append(f"    {parameter.name}={_literal(parameter.default)},")
    lines.append(") -> keras.Model:")
    return "\n".join(lines) + "\n" + _docstring(name) + f'    return _build("{name}", locals())\n'


def render() -> str:
    """The whole of `keras_classics/builders.py` for the models registered now (the built-in zoo)."""
    names = list_models()
    functions = "\n\n".join(render_builder(name) for name in names)
    listing = "".join(f'    "{name}",\n' for name in names)
    return f"{HEADER}\n\n__all__ = [\n{listing}]\n\n\n{functions}"


def main() -> int:
    with atomic_path(TARGET) as staged:
        pathlib.Path(staged).write_text(render())
    print(f"wrote {TARGET} ({len(list_models())} builders)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
