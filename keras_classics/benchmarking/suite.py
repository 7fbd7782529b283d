"""Runs the chosen parts in one process and writes `PART.csv` and `PART.png` for each into the output folder.

Example (what `keras-classics benchmark --only inference --models mobilenet_v2` does):
    from keras_classics.benchmarking.suite import Settings, run_suite
    tables = run_suite(Settings(parts=("inference",), models=("mobilenet_v2",)))
    tables["inference"][["model", "batch", "ours_ms", "ours_vs_keras_applications"]]
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import os
import time

from keras_classics.benchmarking import DEFAULT_DATA, DEFAULT_OUTPUT, PARTS, Skipped


@dataclasses.dataclass(frozen=True)
class Settings:
    """What the command asked for; each part's `plan` turns it into its own list of work."""

    parts: tuple[str, ...] = PARTS
    quick: bool = False  # each part's short list: the whole suite in minutes
    models: tuple[str, ...] | None = None  # None: each part's own list; ("all",) every registered model,
    # ("twins",) the 40 keras.applications shares (`contenders.TWINS`)
    rounds: int | None = None  # None: each part's own number of timed rounds
    reference: bool = True  # time the torchvision/timm reference too (when torch is installed)
    data: str = DEFAULT_DATA  # the JPEG folder of the pipeline part
    output: str = DEFAULT_OUTPUT


def _checked(settings: Settings) -> Settings:
    from keras_classics.registry import list_models, model_info

    unknown = [part for part in settings.parts if part not in PARTS]
    if unknown or not settings.parts:
        raise ValueError(f"unknown benchmark part {unknown}; choose from {', '.join(PARTS)}")
    if settings.models is None:
        return settings
    from keras_classics.benchmarking.contenders import TWINS

    special = {("all",): tuple(list_models()), ("twins",): tuple(TWINS)}
    models = special.get(tuple(settings.models), tuple(settings.models))
    for name in models:
        try:
            model_info(name)  # an unknown name fails here, before any timing, with "did you mean"
        except ValueError as error:
            raise ValueError(f"{error} (or, alone, 'all' or 'twins')") from None
    return dataclasses.replace(settings, models=models)


@contextlib.contextmanager
def _retracing_warnings_off():
    """Each network gets its own tf.function; TensorFlow's "N of the last M calls triggered retracing"
    warning counts them as retraces of one function and would print it for every network."""
    import tensorflow as tf

    logger = tf.get_logger()
    level = logger.level
    logger.setLevel("ERROR")
    try:
        yield
    finally:
        logger.setLevel(level)


def run_suite(settings: Settings = Settings()) -> dict:
    """Runs the parts in `settings.parts` in order; returns {part: table} of those that ran (not skipped).

    Raises:
        ValueError: an unknown part or model name (before anything is timed).
    """
    settings = _checked(settings)
    tables, seconds = {}, {}
    start = time.perf_counter()
    with _retracing_warnings_off():
        for part in settings.parts:
            module = importlib.import_module(f"{__package__}.{part}")
            print(f"\n== {part}: {module.TITLE}", flush=True)
            part_start = time.perf_counter()
            try:
                table = module.measure(module.plan(settings))
            except Skipped as reason:
                print(f"{part}: skipped: {reason}", flush=True)
                continue
            finally:
                seconds[part] = time.perf_counter() - part_start
            tables[part] = table
            _write(part, module, table, settings)
    spent = ", ".join(f"{part} {value:.0f} s" for part, value in seconds.items())
    print(f"\nbenchmark finished in {time.perf_counter() - start:.0f} s ({spent}); results in {settings.output}")
    return tables


def _write(part, module, table, settings):
    from keras_classics.benchmarking.report import bar_chart, format_table, save_csv

    os.makedirs(settings.output, exist_ok=True)
    print(format_table(table), flush=True)
    csv = os.path.join(settings.output, f"{part}.csv")
    save_csv(table, csv)
    png = os.path.join(settings.output, f"{part}.png")
    run = "--quick" if settings.quick else "full"
    if bar_chart(table, module.CHART, f"{module.TITLE}\n{run} run, {os.cpu_count()} CPU cores", png):
        print(f"wrote {csv} and {png}")
    else:
        print(f"wrote {csv}")
