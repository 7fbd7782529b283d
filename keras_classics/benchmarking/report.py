"""Writing a part's results: the CSV, the printed table, and a bar chart (skipped without matplotlib).

Example:
    >>> import pandas as pd
    >>> from keras_classics.benchmarking.report import format_table
    >>> print(format_table(pd.DataFrame({"model": ["a"], "ours_ms": [12.3456], "ours_vs_keras": [0.98765]})))
    model ours_ms ours_vs_keras
        a   12.35         0.988
"""

from __future__ import annotations

import dataclasses
import math
from typing import Callable

import pandas as pd

from keras_classics.io import atomic_path


@dataclasses.dataclass(frozen=True)
class Chart:
    """A horizontal bar chart of a table: one group of bars per row, one bar per column in `columns`."""

    columns: tuple[str, ...]
    legend: tuple[str, ...]  # the columns' names in the legend
    xlabel: str
    label: Callable  # table row (a pandas Series) -> the group's label
    log: bool = False  # values spanning decades (batch 1 and batch 32 together)


def save_csv(table: pd.DataFrame, path) -> None:
    with atomic_path(path) as staged:
        table.to_csv(staged, index=False)


def format_table(table: pd.DataFrame) -> str:
    """The table as text: ratios (`*_vs_*`, `headroom`, `speedup`) to 3 decimals, other numbers to 2."""
    formatters = {}
    for column in table.columns:
        if pd.api.types.is_float_dtype(table[column]):
            digits = 3 if "_vs_" in column or column.endswith(("headroom", "speedup")) else 2
            formatters[column] = lambda value, digits=digits: "-" if math.isnan(value) else f"{value:.{digits}f}"
    with pd.option_context("display.width", 250, "display.max_columns", None, "display.max_rows", None):
        return table.to_string(index=False, formatters=formatters)


def bar_chart(table: pd.DataFrame, chart: Chart, title: str, path) -> bool:
    """Draws `chart` of `table` into the PNG at `path`; False (and a message) when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker
    except ImportError:
        print(f"matplotlib is not installed: no chart {path} (pip install matplotlib)")
        return False
    columns = [column for column in chart.columns if column in table and table[column].notna().any()]
    legend = [name for column, name in zip(chart.columns, chart.legend) if column in columns]
    data = table[columns].set_axis([chart.label(row) for _, row in table.iterrows()])
    figure, axes = plt.subplots(figsize=(9, 0.18 * len(data) * (len(columns) + 1) + 1.5))
    colors = [f"C{chart.columns.index(column)}" for column in columns]  # a contender keeps its colour
    # barh draws upwards: reversed, the first row and its first bar come out on top.
    positive = data.to_numpy(dtype=float)
    positive = positive[positive > 0]  # NaN compares False: the missing bars drop out too
    # A log axis only where the values span decades; within one, linear bars from 0 compare at a glance.
    log = bool(chart.log and positive.size and positive.max() / positive.min() > 30)
    data.iloc[::-1, ::-1].plot.barh(ax=axes, logx=log, width=0.8, color=colors[::-1])
    if log:
        axes.xaxis.set_major_locator(matplotlib.ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        axes.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda value, _: f"{value:g}"))
        axes.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    axes.set_xlabel(f"{chart.xlabel}{'; log scale' if log else ''}")
    axes.set_title(title, fontsize="medium")
    handles = axes.get_legend_handles_labels()[0][::-1]
    axes.legend(handles, legend, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    axes.grid(axis="x", alpha=0.3)
    with atomic_path(path) as staged:
        figure.savefig(staged, dpi=110, format="png", bbox_inches="tight")
    plt.close(figure)
    return True
