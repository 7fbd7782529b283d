"""The one way a family describes its variants: a table of `VariantRow`s and one `register_family` call.

A family subclasses `VariantRow` with the fields that shape its networks (depths, widths, ...), writes one
row per variant, and registers the table with the facts every row shares stated once:

    @dataclasses.dataclass(frozen=True)
    class ResNetRow(VariantRow):
        depths: tuple
        bottleneck: bool

    VARIANTS = (
        ResNetRow((2, 2, 2, 2), False, name="resnet18", reference="torchvision:resnet18", params=11689512),
        ...
    )
    register_family(VARIANTS, _build, family="resnet", paper=RESNET, default_size=224, min_size=1,
                    stages=lambda row: ..., doc=lambda row: f"ResNet-{row.depth} ...")

A `ModelSpec` fact comes from the row (its keyword fields below) or from the family's call, never both; a
family value may be a function of the row (`stages=lambda row: ...`), for facts that follow from the row's
architecture fields.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Callable, Iterable

from keras_classics.models.builder import register_variant


class _FromFamily:
    """The default of a row's fact: the family's `register_family` call states it."""

    def __repr__(self) -> str:
        return "<from the family>"


FROM_FAMILY = _FromFamily()


@dataclasses.dataclass(frozen=True, kw_only=True)
class VariantRow:
    """One variant of a family's table: its name, and the facts that differ from row to row.

    A family's subclass adds its architecture fields, which come first and positionally; these are keyword
    fields, one per `ModelSpec` fact (and the builder's `doc`). Each one left at `FROM_FAMILY` is stated by
    the family's `register_family` call (or is the `ModelSpec` default where neither states it).

    Attributes:
        name: registry and builder name (`"resnet50"`).
        doc: the builder's description (its docstring's first paragraph).
        family, paper, ...: the `ModelSpec` fields of the same names (see `keras_classics.registry.ModelSpec`).
    """

    name: str
    doc: str | _FromFamily = FROM_FAMILY
    family: str | _FromFamily = FROM_FAMILY
    paper: str | _FromFamily = FROM_FAMILY
    reference: str | _FromFamily = FROM_FAMILY
    params: int | _FromFamily = FROM_FAMILY
    params_source: str | _FromFamily = FROM_FAMILY
    default_size: int | _FromFamily = FROM_FAMILY
    min_size: int | _FromFamily = FROM_FAMILY
    mmacs: float | None | _FromFamily = FROM_FAMILY
    channels: int | _FromFamily = FROM_FAMILY
    classes: int | _FromFamily = FROM_FAMILY
    mean: tuple | _FromFamily = FROM_FAMILY
    std: tuple | _FromFamily = FROM_FAMILY
    stages: tuple | _FromFamily = FROM_FAMILY
    head_modules: tuple | _FromFamily = FROM_FAMILY
    aux_modules: tuple | _FromFamily = FROM_FAMILY

    def __init_subclass__(cls, **kwargs):
        # A family field named like a fact (`channels` for stage widths) would silently become that fact.
        super().__init_subclass__(**kwargs)
        shadowing = sorted(set(cls.__dict__.get("__annotations__", {})) & set(VariantRow.__annotations__))
        if shadowing:
            raise TypeError(
                f"{cls.__name__}: field(s) {', '.join(shadowing)} shadow VariantRow's facts of the same name; "
                "rename the architecture field"
            )


_ROW_FACTS = tuple(field.name for field in dataclasses.fields(VariantRow) if field.name != "name")


def register_family(
    rows: Iterable[VariantRow],
    build: Callable,
    *,
    options: dict | Callable | None = None,
    **facts,
) -> dict[str, Callable]:
    """Registers every row of a family's table; returns the builders by name.

    Args:
        rows: the family's `VariantRow`s.
        build: `build(row, spec, args) -> keras.Model`.
        options: the builder's family options and defaults (`{"dropout_rate": 0.5}`), or a function of the
            row returning them.
        **facts: `doc` and the `ModelSpec` fields (`family`, `paper`, `default_size`, `stages`, ...) that
            the rows do not state, each a value or a function of the row.

    Raises:
        ValueError: if a row and the family both state one fact.
    """

    def value(fact, row):
        return fact(row) if callable(fact) else fact

    builders = {}
    for row in rows:
        from_row = {key: getattr(row, key) for key in _ROW_FACTS if getattr(row, key) is not FROM_FAMILY}
        twice = sorted(from_row.keys() & facts.keys())
        if twice:
            raise ValueError(f"{row.name}: {', '.join(twice)} stated by both the row and the family")
        stated = {key: value(fact, row) for key, fact in facts.items()} | from_row
        builders[row.name] = register_variant(
            row.name,
            functools.partial(build, row),
            options=dict(value(options, row) or {}),
            **stated,
        )
    return builders
