"""PyTorch's pooling layers (`nn.MaxPool2d`, `nn.AvgPool2d`, `nn.AdaptiveAvgPool2d`) from built-in Keras layers.

Keras pools pad like TensorFlow's `"same"` (more at the bottom/right, where the stride needs it) or not at
all, while PyTorch pads `padding` cells on every side (`-inf` for max, zeros for average), may add a
partial last window (`ceil_mode`) and may leave padding out of the average (`count_include_pad=False`).
These functions build the PyTorch pool exactly, for any input size (static or not), from layers that
convert to plain TFLite ops; a combination that has no exact built-in form raises a `ValueError`.

Layer names: the pool itself is `name`; helper layers add a suffix (`{name}_pad`, `{name}_window`,
`{name}_shift`), so a model keeps the names its weight import and feature taps rely on.
"""

from __future__ import annotations

from keras import layers

from keras_classics.torch_compat import pair


def _tag(name, suffix):
    return f"{name}_{suffix}" if name else None


def _check(kernel, padding, name):
    # torch: "pad should be at most half of effective kernel size"; it also keeps every window non-empty.
    if any(2 * p > k for k, p in zip(kernel, padding)):
        raise ValueError(f"{name or 'pool'}: padding {padding} is more than half the kernel {kernel}, as torch forbids")


def _extra(k, s, p, ceil_mode):
    """Cells to pad at the bottom/right, beyond `p`, for the windows torch's `ceil_mode` adds.

    torch takes window j (start j*s - p) while j*s <= H + 2p - k (floor), or in ceil mode while
    j*s <= H + 2p - k + s - 1 and the window starts inside the input or the left padding (j*s <= H + p - 1).
    Valid pooling over H + 2p + e cells takes j*s <= H + 2p + e - k: the same bound for this e, at every H.
    """
    return min(s - 1, k - p - 1) if ceil_mode else 0


def _window(k, s, p, ceil_mode):
    """(top, bottom) crop of a stride-1 "same" pool whose every s-th output is torch's window, or None.

    TF's stride-1 "same" pool centres window i on cell i (`(k - 1) // 2` cells before it) and ignores the
    cells outside the input, exactly as torch's `-inf` padding does. Torch's window j is the one at
    i = j*s - p + (k - 1) // 2; cropping `top` and `bottom` cells leaves i = top, top + s, ... up to the last
    torch takes (see `_extra`), for any H. When a torch window has no centre inside the input (even k with
    p = k / 2, or some ceil-mode overhangs) there is none: None.
    """
    left = (k - 1) // 2
    last = min(2 * p - k + s - 1, p - 1) if ceil_mode else 2 * p - k  # j*s <= H + last
    top, bottom = left - p, p - 1 - left - last
    return (top, bottom) if min(top, bottom) >= 0 else None


def max_pool2d(x, kernel_size, strides=None, padding=0, ceil_mode=False, nonnegative_input=False, name=None):
    """`torch.nn.MaxPool2d(kernel_size, strides, padding, ceil_mode=ceil_mode)` on an NHWC tensor.

    Arguments are ints or (height, width) pairs; `strides` defaults to `kernel_size`, as in torch. Torch
    pads with `-inf`. Zero padding (`{name}_pad` + a valid pool, the cheapest) is the same only when no
    value is negative: say so with `nonnegative_input=True` (after a ReLU, ReLU6 or LRN of ReLUs).
    Otherwise a stride-1 "same" pool of the same kernel (`{name}_window`, TF ignores the cells outside),
    an optional crop (`{name}_shift`) and a 1x1/s pool (`name`) compute exactly torch's windows; the few
    layouts where that is impossible (a window with no centre inside the input) raise a `ValueError`.

    >>> import numpy as np
    >>> x = np.array([[-4.0, -3.0], [-2.0, -1.0]], "float32").reshape(1, 2, 2, 1)
    >>> np.asarray(max_pool2d(x, 3, 2, padding=1)).ravel().tolist()  # -inf padding: zeros would give 0.0
    [-1.0]
    >>> tuple(max_pool2d(np.zeros((1, 5, 5, 1), "float32"), 2, ceil_mode=True).shape)  # ceil(3 / 2) + 1 = 3
    (1, 3, 3, 1)
    """
    kernel, strides, padding = pair(kernel_size), pair(strides or kernel_size), pair(padding)
    _check(kernel, padding, name)
    extra = tuple(_extra(k, s, p, ceil_mode) for k, s, p in zip(kernel, strides, padding))
    if not any(padding + extra):
        return layers.MaxPooling2D(kernel, strides, name=name)(x)
    windows = tuple(_window(k, s, p, ceil_mode) for k, s, p in zip(kernel, strides, padding))
    if strides == (1, 1) and windows == ((0, 0), (0, 0)):  # stride 1, odd k, p = k // 2: "same" is torch's
        return layers.MaxPooling2D(kernel, 1, padding="same", name=name)(x)
    if nonnegative_input:
        pads = tuple((p, p + e) for p, e in zip(padding, extra))
        x = layers.ZeroPadding2D(pads, name=_tag(name, "pad"))(x)
        return layers.MaxPooling2D(kernel, strides, name=name)(x)
    if None in windows:
        raise ValueError(
            f"{name or 'max_pool2d'}: MaxPool2d({kernel}, {strides}, padding={padding}, ceil_mode={ceil_mode}) "
            "has no exact built-in form for negative inputs; pass nonnegative_input=True if the input is >= 0"
        )
    x = layers.MaxPooling2D(kernel, 1, padding="same", name=_tag(name, "window"))(x)
    if any(windows[0] + windows[1]):
        x = layers.Cropping2D(windows, name=_tag(name, "shift"))(x)
    return layers.MaxPooling2D(1, strides, name=name)(x)


def _same_is_exact(k, s, p, ceil_mode):
    # TF's "same" windows (padding left out of the average) are torch's at every size: stride 1 with a
    # centred odd kernel, or 2x2/2 ceil mode (TF then pads one cell at the end, never at the start).
    return (s == 1 and k % 2 == 1 and p == k // 2) or (k == s == 2 and p == 0 and ceil_mode)


def avg_pool2d(x, kernel_size, strides=None, padding=0, ceil_mode=False, count_include_pad=True, name=None):
    """`torch.nn.AvgPool2d(kernel_size, strides, padding, ceil_mode, count_include_pad)` on an NHWC tensor.

    Arguments are ints or (height, width) pairs; `strides` defaults to `kernel_size`. Counted padding is
    explicit zeros (`{name}_pad`) and a valid pool; uncounted padding, and the partial windows of
    `ceil_mode` (torch averages them over their cells inside the input), are Keras' `"same"` pool where its
    windows are torch's. Other combinations raise a `ValueError`.

    >>> import numpy as np
    >>> x = np.full((1, 3, 3, 1), 9.0, "float32")
    >>> np.asarray(avg_pool2d(x, 3, 1, padding=1))[0, :, :, 0].tolist()  # the zeros count: 4/9 in a corner
    [[4.0, 6.0, 4.0], [6.0, 9.0, 6.0], [4.0, 6.0, 4.0]]
    >>> np.asarray(avg_pool2d(x, 3, 1, padding=1, count_include_pad=False))[0, 0, :, 0].tolist()
    [9.0, 9.0, 9.0]
    """
    kernel, strides, padding = pair(kernel_size), pair(strides or kernel_size), pair(padding)
    _check(kernel, padding, name)
    extra = tuple(_extra(k, s, p, ceil_mode) for k, s, p in zip(kernel, strides, padding))
    if not any(padding + extra):
        return layers.AveragePooling2D(kernel, strides, name=name)(x)
    if count_include_pad and any(padding) and not any(extra):
        x = layers.ZeroPadding2D(tuple((p, p) for p in padding), name=_tag(name, "pad"))(x)
        return layers.AveragePooling2D(kernel, strides, name=name)(x)
    # Without counted padding (torch's ceil-mode overhang never counts), only real cells are averaged.
    same = all(_same_is_exact(k, s, p, ceil_mode) for k, s, p in zip(kernel, strides, padding))
    if same and (not count_include_pad or not any(padding)):
        return layers.AveragePooling2D(kernel, strides, padding="same", name=name)(x)
    raise ValueError(
        f"{name or 'avg_pool2d'}: AvgPool2d({kernel}, {strides}, padding={padding}, ceil_mode={ceil_mode}, "
        f"count_include_pad={count_include_pad}) has no exact built-in form"
    )


def _bins(size, output_size):
    # torch.nn.AdaptiveAvgPool2d: bin i covers [floor(i * n / out), ceil((i + 1) * n / out)).
    return [((i * size) // output_size, -(-(i + 1) * size // output_size)) for i in range(output_size)]


def adaptive_avg_pool(x, output_size, name="avgpool"):
    """`torch.nn.AdaptiveAvgPool2d(output_size)` for a statically known input size, from built-in layers only.

    The pool is separable (a bin's mean is the mean of its row means), so each axis is pooled on its own:
    by one `AveragePooling2D` where the bins are evenly spaced and of equal length (always when the side is
    a multiple of `output_size`; nothing at all when equal), otherwise by cropping and averaging each bin
    and concatenating (bins overlap, or repeat when the side is smaller than `output_size`). All of it runs
    as plain TFLite ops (slice, average pool, concatenation) and needs no weights.

    >>> import keras
    >>> inputs = keras.Input((5, 13, 8))
    >>> adaptive_avg_pool(inputs, 7).shape  # rows repeat, columns overlap
    (None, 7, 7, 8)
    """
    for axis, tag in ((1, f"{name}_h"), (2, f"{name}_w")):
        size = x.shape[axis]
        if size is None:
            raise ValueError(f"{name}: the adaptive pool needs a known input size; got shape {tuple(x.shape)}")
        bins = _bins(size, output_size)
        lengths = {end - start for start, end in bins}
        steps = {b[0] - a[0] for a, b in zip(bins, bins[1:])} or {1}
        along = (lambda n: (n, 1)) if axis == 1 else (lambda n: (1, n))
        if len(lengths) == 1 and len(steps) == 1 and 0 not in steps:
            length, step = lengths.pop(), steps.pop()
            if (length, step) != (1, 1):
                x = layers.AveragePooling2D(along(length), along(step), name=tag)(x)
            continue
        pieces = []
        for i, (start, end) in enumerate(bins):
            piece = x
            if (start, end) != (0, size):
                crop = ((start, size - end), (0, 0)) if axis == 1 else ((0, 0), (start, size - end))
                piece = layers.Cropping2D(crop, name=f"{tag}{i}_crop")(piece)
            if end - start > 1:
                piece = layers.AveragePooling2D(along(end - start), name=f"{tag}{i}_pool")(piece)
            pieces.append(piece)
        x = layers.Concatenate(axis=axis, name=tag)(pieces)
    return x
