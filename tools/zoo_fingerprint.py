"""Fingerprints every registered model, to show that a refactor changed no network.

For each model, built at a small size: the SHA-256 of its `get_config()` (sorted JSON: every layer's name, type,
settings and connections), of its weights' paths and shapes, its trainable count and layer count, and its
ModelSpec fields. Run it in the checkout before and after a change, then compare the two files.

Usage:
    python tools/zoo_fingerprint.py OUT.json              # in the checkout whose package is imported
    python tools/zoo_fingerprint.py OUT.json 'resnet*' vgg16   # only the models these patterns name
    python tools/zoo_fingerprint.py --compare BEFORE.json AFTER.json

In another checkout, put it first on the path: `PYTHONPATH=/path/to/checkout python tools/zoo_fingerprint.py`.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import sys

SPEC_FIELDS = (
    "family", "paper", "reference", "params", "params_source", "mmacs", "default_size", "min_size", "channels",
    "classes", "mean", "std", "stages", "head_modules", "aux_modules",
)  # fmt: skip


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def fingerprint(patterns=("*",)) -> dict:
    import keras
    import numpy as np

    import keras_classics

    out = {}
    names = sorted({name for pattern in patterns for name in keras_classics.list_models(pattern)})
    for name in names:
        spec = keras_classics.model_info(name)
        side = spec.default_size if spec.family == "vit" else max(spec.min_size, 32)  # ViT: whole patches
        keras.backend.clear_session()  # the same automatic layer names in every checkout
        model = keras_classics.create_model(name, input_shape=(side, side, spec.channels))
        out[name] = {
            "config": _digest(model.get_config()),
            "weights": _digest([(w.path, tuple(w.shape)) for w in model.weights]),
            "trainable": int(sum(np.prod(w.shape) for w in model.trainable_weights)),
            "layers": len(model.layers),
            "spec": {field: str(getattr(spec, field)) for field in SPEC_FIELDS},
        }
        del model
        gc.collect()
        print(name, out[name]["trainable"], file=sys.stderr, flush=True)
    return out


def compare(before: dict, after: dict) -> list[str]:
    """The differences, one line each, for the models both files have."""
    lines = []
    for name in sorted(set(before) & set(after)):
        for key, value in before[name].items():
            if after[name][key] != value:
                lines.append(f"{name}: {key} differs")
    return lines


def main(argv) -> int:
    if argv[:1] == ["--compare"] and len(argv) == 3:
        before, after = (json.load(open(path)) for path in argv[1:])
        differences = compare(before, after)
        print("\n".join(differences) or "no differences", file=sys.stderr)
        print(f"{len(set(before) & set(after))} models in both; only before: {sorted(set(before) - set(after))}; "
              f"only after: {sorted(set(after) - set(before))}")  # fmt: skip
        return 1 if differences else 0
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with open(argv[0], "w") as handle:
        json.dump(fingerprint(argv[1:] or ("*",)), handle, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
