"""The whole zoo in one table: parameters, MACs against the reference, memory, depth, receptive field.

`model_row(name)` builds one registered model at its paper's input size and sums its `layer_table`;
`zoo_table(names)` does so for each (freeing every model before the next) and `cost_chart` plots MACs
against parameters on log axes, one labelled point per model. `benchmarks/zoo_table.py` writes both for
every model (`benchmarks/results/zoo_table.csv`, `zoo_cost.png`).

Example:
    >>> from keras_classics.analysis.zoo import model_row
    >>> row = model_row("lenet5")
    >>> row["params"], row["mmacs"], row["depth"], row["receptive_field"]
    (61706, 0.4165, 5, 32)
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

MIB = 2**20


def macs_as_the_reference_counts(model, spec, macs: float) -> float:
    """`macs` of `model` counted the way its reference table row counts them.

    torchvision's ViT rows leave out `nn.MultiheadAttention`'s q/k/v and output projections: torch computes
    them inside `F.multi_head_attention_forward`, where no per-module counter sees them. Every other row
    counts what `count_macs` counts.
    """
    from keras_classics.analysis.profile import layer_macs

    if spec.family == "vit" and (spec.reference or "").startswith("torchvision"):
        macs -= sum(layer_macs(layer) for layer in model.layers if type(layer).__name__ == "MultiHeadSelfAttention")
    return macs


def model_row(name: str) -> dict:
    """One registered model's totals at its default input size (see the module docstring)."""
    from keras_classics.analysis.profile import layer_table
    from keras_classics.registry import model_info
    from keras_classics.runtime import release_models

    spec = model_info(name)
    model = spec.builder()
    try:
        table = layer_table(model)
        macs = float(table["macs"].sum())
        counted = macs_as_the_reference_counts(model, spec, macs)
        params = int(sum(np.prod(w.shape) for w in model.weights))
        maps = table[[len(shape) == 3 for shape in table["output_shape"]]]  # (height, width, channels) outputs
        fields = [f for f in maps["receptive_field"] if math.isfinite(f)]
        return {
            "name": name,
            "family": spec.family,
            "input_size": spec.default_size,
            "params": params,
            "trainable_params": int(sum(np.prod(w.shape) for w in model.trainable_weights)),
            "mmacs": round(macs / 1e6, 4),
            "reference_mmacs": spec.mmacs,
            # against the reference, counted its way (see macs_as_the_reference_counts)
            "mmacs_ratio": round(counted / 1e6 / spec.mmacs, 5) if spec.mmacs else None,
            "weights_mib": round(params * 4 / MIB, 2),
            "activations_mib_float32": round(float(table["memory_float32"].fillna(0).sum()) / MIB, 2),
            "activations_mib_float16": round(float(table["memory_float16"].fillna(0).sum()) / MIB, 2),
            "largest_activation_mib": round(float(table["memory_float32"].max()) / MIB, 3),
            "depth": int((table["macs"] > 0).sum()),  # layers that multiply: convolutions and dense layers
            "receptive_field": int(max(fields)) if fields else None,  # of the last feature map
        }
    finally:
        del model
        release_models()


def zoo_table(names=None) -> pd.DataFrame:
    """`model_row` for each of `names` (default: every registered model)."""
    from keras_classics.registry import list_models

    return pd.DataFrame([model_row(name) for name in (names or list_models())])


def cost_chart(table: pd.DataFrame, path) -> str:
    """A PNG: MACs against parameters (log axes), one labelled point per model, coloured by family."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from keras_classics.io import atomic_path

    figure, axis = plt.subplots(figsize=(15, 10))
    families = sorted(table["family"].unique())
    colours = plt.get_cmap("tab20", len(families))
    for i, family in enumerate(families):
        rows = table[table["family"] == family]
        axis.scatter(rows["params"] / 1e6, rows["mmacs"] / 1e3, s=22, color=colours(i), label=family)
        for row in rows.itertuples():
            axis.annotate(row.name, (row.params / 1e6, row.mmacs / 1e3), fontsize=6, xytext=(3, 2),
                          textcoords="offset points")  # fmt: skip
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("parameters (millions)")
    axis.set_ylabel("multiply-accumulates per image at the paper's input size (billions)")
    axis.set_title(f"keras_classics: {len(table)} models")
    axis.grid(True, which="both", alpha=0.25)
    axis.legend(fontsize=7, ncol=2, loc="upper left")
    figure.tight_layout()
    with atomic_path(path) as staged:
        figure.savefig(staged, format="png", dpi=90)
    plt.close(figure)
    return str(path)
