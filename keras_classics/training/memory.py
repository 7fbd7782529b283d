"""Will a training batch fit in memory? Checked before `train` starts, so a batch that cannot fit fails with a
message saying what would, instead of the kernel's out-of-memory killer ending the process mid-epoch.

    needed = RUNTIME_BYTES + params x 4 bytes x (weights, gradients, 2 optimizer slots)
             + batch x PER_IMAGE_FACTOR x (the layers' output sizes for one image, `analysis.layer_table`)

The constants are measured by `benchmarks/memory_limits.py` (one model of each family at its default size,
peak resident memory of a steady training step at batch 1 and 16, this 2-core machine): the runtime held
0.64-0.93 GiB before a small model's weights, and a step kept 0.59-2.69 times the sum of the layers' outputs
per image (median 1.1). PER_IMAGE_FACTOR = 1.25 covers 20 of the 24 models with at least 5 MiB per image;
MobileNetV3 (1.71), ConvNeXt (1.74), EffNet (2.15) and ViT (2.69) keep intermediates inside their layers
(attention scores, GELU and h-swish inputs) that the sum does not see, so for them the check is lenient.
GPUs report their own out-of-memory error, which `train` turns into the same kind of message.
"""

from __future__ import annotations

GIB = 2**30
RUNTIME_BYTES = 1.0 * GIB
PER_IMAGE_FACTOR = 1.25
BYTES_PER_PARAMETER = 4 * 4  # float32 weights, their gradients and two optimizer slots (Adam's m and v)


class WontFitInMemory(ValueError):
    """The training batch needs more memory than the machine has available."""


def available_bytes() -> int | None:
    """Memory this process may still use: MemAvailable, or the cgroup's limit less its use if that is smaller.

    None where neither can be read (not Linux).
    """
    candidates = []
    try:
        with open("/proc/meminfo") as file:
            for line in file:
                if line.startswith("MemAvailable:"):
                    candidates.append(int(line.split()[1]) * 1024)
    except OSError:
        pass
    try:
        with open("/sys/fs/cgroup/memory.max") as limit, open("/sys/fs/cgroup/memory.current") as used:
            text = limit.read().strip()
            if text != "max":
                candidates.append(int(text) - int(used.read().strip()))
    except (OSError, ValueError):
        pass
    return min(candidates) if candidates else None


def per_image_bytes(model) -> int:
    """Estimated training memory per image: the layers' output sizes times the measured factor."""
    from keras_classics.analysis import layer_table

    outputs = layer_table(model)["memory_bytes"].fillna(0).sum()
    return int(PER_IMAGE_FACTOR * outputs)


def fixed_bytes(model) -> int:
    return int(RUNTIME_BYTES + BYTES_PER_PARAMETER * model.count_params())


def check_batch_fits(model, batch_size: int, available: int | None = None) -> None:
    """Raises WontFitInMemory when `batch_size` images cannot train `model` in the available memory.

    Example:
        >>> import keras_classics
        >>> model = keras_classics.lenet5()
        >>> check_batch_fits(model, 500_000, available=8 * GIB)
        Traceback (most recent call last):
        ...
        keras_classics.training.memory.WontFitInMemory: training lenet5 at 32x32 with batch size 500000 needs about 20.1 GiB (40.2 KiB per image + 1.0 GiB for the runtime, weights and optimizer state); 8.0 GiB is available: use a batch size of at most 182762, or a smaller image size
    """
    available = available_bytes() if available is None else available
    if available is None:
        return
    per_image, fixed = per_image_bytes(model), fixed_bytes(model)
    needed = fixed + batch_size * per_image
    if needed <= available:
        return
    largest = int((available - fixed) // per_image) if available > fixed else 0
    advice = (
        f"use a batch size of at most {largest}" if largest >= 1 else "this model does not fit even at batch size 1"
    )
    height, width = model.inputs[0].shape[1:3]
    raise WontFitInMemory(
        f"training {model.name} at {height}x{width} with batch size {batch_size} needs about {_size(needed)} "
        f"({_size(per_image)} per image + {_size(fixed)} for the runtime, weights and optimizer state); "
        f"{_size(available)} is available: {advice}, or a smaller image size"
    )


def _size(count: float) -> str:
    for unit, scale in (("TiB", 2**40), ("GiB", GIB), ("MiB", 2**20)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count / 1024:.1f} KiB"


def describe_oom(error, batch_size: int) -> str:
    """The message for a device's own out-of-memory error (GPUs raise ResourceExhaustedError)."""
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return (
        f"out of device memory at batch size {batch_size} ({first[:200]}): use a smaller batch size "
        f"(try {max(batch_size // 2, 1)}) or a smaller image size"
    )


__all__ = ["WontFitInMemory", "available_bytes", "check_batch_fits", "describe_oom"]
