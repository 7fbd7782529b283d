"""Mixing inside the network: manifold mixup, PatchUp and saliency-guided PuzzleMix, as a training wrapper.

`data/mixing.py` mixes images before they reach the model. The methods here need the model itself, so they
live in a `keras.Model` wrapper, `HiddenMixing`, whose `train_step` mixes each batch with a partner
permutation of itself (`partner_order`) and trains on the mixed one-hot labels; `call`, `evaluate` and
`predict` are the wrapped model's, untouched. The wrapper owns no weights: it trains the model it wraps.

- Manifold mixup (Verma et al., "Manifold Mixup: Better Representations by Interpolating Hidden States",
  ICML 2019): a stage k is drawn per batch from `stages` (the input counts as stage 0), the model runs up to
  it, and the hidden maps and labels are mixed, `h = lam * h_i + (1 - lam) * h_j`,
  `y = lam * y_i + (1 - lam) * y_j`, `lam ~ Beta(alpha, alpha)` (their CIFAR alpha: 2.0).
- PatchUp (Faramarzi et al., "PatchUp: A Feature-Space Block-Level Regularization Technique for
  Convolutional Neural Networks", AAAI 2022, arXiv:2006.07794): at the drawn stage, a DropBlock-style mask
  of `block_size` squares (centres drawn per position and channel with DropBlock's adjusted rate from
  `gamma`, one mask for the whole batch, as in the authors' code) selects features. Hard mode swaps them
  for the partner's; soft mode replaces them with `lam * h_i + (1 - lam) * h_j`. With `p` the fraction of
  features in the mask, the label is `(1 - p) * y_i + p * y_j` (hard) or
  `(1 - p) * y_i + p * (lam * y_i + (1 - lam) * y_j)` (soft). The paper's loss,
  `CE(y_i) * (1 - p) + CE(y_b) * p + CE(y_mixed)` (`y_b` = `y_j` hard, `lam * y_i + (1 - lam) * y_j` soft),
  is linear in the target, so it equals `2 * CE(y_mixed)`: training on `y_mixed` is the same objective at
  half the learning rate. A batch is mixed with probability `probability`, else trained clean. At the input
  (stage 0) PatchUp applies CutMix (Beta(1, 1) box, `data.mixing.cutmix`), as the authors' code does.
  Defaults are the paper's CIFAR settings: block 7, alpha 2; hard: gamma 0.5, probability 0.7; soft:
  gamma 0.75, probability 1.0.
- PuzzleMix (Kim, Choo and Song, "Puzzle Mix: Exploiting Saliency and Local Statistics for Optimal Mixup",
  ICML 2020), a documented part of it. Implemented: the saliency (the input gradient of the loss on the clean
  batch, the model in inference mode as in the authors' `clean_lam = 0` setting, its L2 norm over channels),
  average-pooled to an n x n grid (n drawn per batch from `grid_sizes`, default the authors' 2, 4, 8, 16) and
  normalised to sum 1 per image; the binary labelling energy with the paper's unary term (keeping the own cell
  costs the partner's saliency there, taking the partner's costs the own saliency) and its mixing-ratio prior
  (`-eta / n**2 * log(lam)` for an own cell, `log(1 - lam)` for a partner cell, `lam ~ Beta(alpha, alpha)`,
  eta 0.2, alpha 1); and labels weighted by the exact fraction of pixels from each image. Not implemented:
  the pairwise smoothness terms (beta, gamma; their graph cut by alpha-beta swap), so the energy separates
  over cells and its exact minimiser is a per-cell comparison; more than two mixing levels (n_labels 3); the
  optimal-transport step that moves salient blocks inside each image; the adversarial input noise; and the
  clean-input loss term (`clean_lam > 0`).

`split_model` cuts any functional zoo model at a feature stage (`ModelSpec.stages`) into the part up to that
tensor and the part from it to the output (layers shared, not copied) and refuses a stage that some path to
the output goes around (an Inception branch, a DenseNet concatenation inside a block).

Example:
    >>> import numpy as np, keras, keras_classics
    >>> from keras_classics.training.hidden_mixing import HiddenMixing
    >>> net = keras_classics.lenet5(input_shape=(32, 32, 1), classes=3)
    >>> trainer = HiddenMixing(net, "manifold_mixup", seed=0)
    >>> trainer.stages
    ('input', 'c1', 'c3')
    >>> trainer.compile("sgd", keras.losses.CategoricalCrossentropy())
    >>> x, y = np.random.rand(8, 32, 32, 1).astype("float32"), np.eye(3)[np.arange(8) % 3]
    >>> history = trainer.fit(x, y, batch_size=4, epochs=1, verbose=0)
    >>> bool(np.allclose(trainer.predict(x, verbose=0), net.predict(x, verbose=0)))
    True
"""

from __future__ import annotations

import random

import keras
import tensorflow as tf

from keras_classics.data.augment import split_seed
from keras_classics.data.mixing import cutmix, partner_order, sample_beta

INPUT = "input"
METHODS = ("manifold_mixup", "patchup", "puzzlemix")
PATCHUP_MODES = ("hard", "soft")
# The papers' CIFAR settings.
DEFAULT_ALPHA = {"manifold_mixup": 2.0, "patchup": 2.0, "puzzlemix": 1.0}
PATCHUP_GAMMA = {"hard": 0.5, "soft": 0.75}
PATCHUP_PROBABILITY = {"hard": 0.7, "soft": 1.0}
PUZZLE_GRID_SIZES = (2, 4, 8, 16)


# ---------------------------------------------------------------------------------------------------------
# Cutting a functional model at a stage


def _node_key(tensor):
    history = tensor._keras_history
    return id(history.operation), history.node_index, history.tensor_index


def _bypasses(outputs, stage_tensor, inputs) -> bool:
    """Whether some path from `outputs` back to `inputs` avoids `stage_tensor` (walks the Keras graph)."""
    stage, input_keys = _node_key(stage_tensor), {_node_key(t) for t in inputs}
    seen, stack = set(), list(outputs)
    while stack:
        tensor = stack.pop()
        key = _node_key(tensor)
        if key == stage or key in seen:
            continue
        if key in input_keys:
            return True
        seen.add(key)
        history = tensor._keras_history
        stack.extend(history.operation._inbound_nodes[history.node_index].input_tensors)
    return False


def _stage_tensor(model, stage):
    try:
        functional = isinstance(model, keras.Model) and bool(model.inputs) and bool(model.outputs)
    except (AttributeError, ValueError):
        functional = False
    if not functional:
        raise ValueError(f"hidden mixing needs a functional Keras model; {getattr(model, 'name', model)!r} is not one")
    names = [layer.name for layer in model.layers]
    if stage not in names:
        raise ValueError(f"stage {stage!r}: model {model.name!r} has no layer of that name")
    try:
        tensor = model.get_layer(stage).output
    except (AttributeError, ValueError) as error:
        raise ValueError(
            f"stage {stage!r} of model {model.name!r}: the layer is called more than once, so its output is "
            f"not one tensor ({error})"
        ) from None
    if not isinstance(tensor, keras.KerasTensor):
        raise ValueError(f"stage {stage!r} of model {model.name!r} returns several tensors; pick a layer with one")
    return tensor


def split_model(model, stage: str):
    """`(front, back)`: `model` cut at the output of layer `stage`, so `back(front(x))` is `model(x)`.

    Both are functional models over the same layers (weights shared, nothing copied): `front` maps the
    model's input to the stage tensor, `back` maps a tensor of that shape to the model's outputs.

    Raises:
        ValueError: naming the model and the stage, if the model has no such layer, is not functional, or
            some path from the input to an output goes around the stage tensor (then no cut exists there).

    Example:
        >>> import numpy as np, keras_classics
        >>> net = keras_classics.lenet5(input_shape=(32, 32, 1), classes=4)
        >>> front, back = split_model(net, "c3")
        >>> front.output.shape, back.output.shape
        ((None, 10, 10, 16), (None, 4))
        >>> x = np.random.rand(2, 32, 32, 1).astype("float32")
        >>> bool(np.allclose(back(front(x)), net(x), atol=1e-6))
        True
    """
    tensor = _stage_tensor(model, stage)
    if not cuts(model, stage):
        raise ValueError(
            f"stage {stage!r} of model {model.name!r} does not cut the network: some path from the input to the "
            "output goes around it (a parallel branch or a skip connection), so mixing there cannot be done by "
            "splitting the model; pick a stage every path passes through"
        )
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    outputs = model.outputs[0] if len(model.outputs) == 1 else model.outputs
    front = keras.Model(inputs, tensor, name=f"{model.name}_to_{stage}")
    back = keras.Model(tensor, outputs, name=f"{model.name}_from_{stage}")
    return front, back


def cuts(model, stage: str) -> bool:
    """Whether every path from the input to the output of `model` passes through layer `stage`'s output."""
    tensor = _stage_tensor(model, stage)
    return not _bypasses(list(model.outputs), tensor, list(model.inputs))


def default_stages(model) -> tuple[str, ...]:
    """The input and the first two registered feature stages that cut the model, as the papers' k in {0, 1, 2}.

    Manifold mixup (Verma et al. 2019) mixes PreActResNet at the input or after its first two residual
    stages; PatchUp's code (k = 2) at the input, the stem or the first stage. Registered stages that do not
    cut the network (Xception's `block*_rep_0`, NASNet's cell taps) are passed over.
    """
    from keras_classics.registry import model_info

    try:
        stages = model_info(model.name).stages
    except (ValueError, TypeError):
        stages = ()
    if not stages:
        raise ValueError(
            f"model {model.name!r} has no registered feature stages; pass stages=[layer names] ('input' for the "
            "input itself)"
        )
    return (INPUT,) + tuple([stage for stage in stages if cuts(model, stage)][:2])


# ---------------------------------------------------------------------------------------------------------
# The mixing functions (plain TensorFlow; stateless, seeded)


def _one_hot_labels(labels):
    labels = tf.convert_to_tensor(labels)
    if labels.shape.rank != 2:
        raise ValueError(
            f"hidden mixing needs one-hot labels of shape (batch, classes); got labels of shape {labels.shape} "
            "(sparse labels: one-hot encode them, e.g. make_dataset(..., one_hot=True))"
        )
    return tf.cast(labels, tf.float32)


def _draw(seed, alpha, batch):
    """lam ~ Beta(alpha, alpha) and the partner permutation, from one seed."""
    seeds = split_seed(seed, 2)
    return sample_beta(seeds[0], alpha), partner_order(seeds[1], batch)


def manifold_mixup(features, labels, seed, alpha: float = 2.0):
    """`lam * h + (1 - lam) * h[partner]` and the labels likewise, `lam ~ Beta(alpha, alpha)` (one per batch).

    Example:
        >>> import tensorflow as tf
        >>> h, y = tf.random.normal([4, 3, 3, 8]), tf.one_hot([0, 1, 2, 3], 4)
        >>> mixed, mixed_y = manifold_mixup(h, y, seed=[1, 2])
        >>> mixed.shape, [round(float(s), 5) for s in tf.reduce_sum(mixed_y, axis=1)]
        (TensorShape([4, 3, 3, 8]), [1.0, 1.0, 1.0, 1.0])
    """
    labels = _one_hot_labels(labels)
    features = tf.convert_to_tensor(features)
    lam, order = _draw(seed, alpha, tf.shape(features)[0])
    weight = tf.cast(lam, features.dtype)
    mixed = weight * features + (1.0 - weight) * tf.gather(features, order)
    return mixed, lam * labels + (1.0 - lam) * tf.gather(labels, order)


def patchup_mask(seed, shape, block_size: int = 7, gamma: float = 0.5):
    """A (height, width, channels) float mask, 1 on the features PatchUp alters, 0 elsewhere.

    DropBlock's construction, as PatchUp uses it: block centres are drawn per position and channel with rate
    `gamma * h * w / (b**2 * (h - b + 1) * (w - b + 1))` (so about a `gamma` share of the features would be
    covered if the blocks did not overlap) and each centre grows into a `b` x `b` square, `b` being
    `block_size` clipped to the map.
    """
    height, width, channels = (int(s) for s in shape)
    block = max(1, min(int(block_size), height, width))
    rate = gamma * height * width / (block**2 * (height - block + 1) * (width - block + 1))
    centres = tf.cast(tf.random.stateless_uniform([1, height, width, channels], seed) < rate, tf.float32)
    return tf.nn.max_pool2d(centres, block, 1, "SAME")[0]


def patchup(features, labels, seed, mode: str = "hard", block_size: int = 7, gamma=None, alpha: float = 2.0,
            probability=None):
    """PatchUp on a batch of feature maps (batch, height, width, channels); returns (mixed, mixed labels).

    One mask (`patchup_mask`) serves the whole batch. With `p` the fraction of features it covers, hard mode
    swaps them for the partner's and weighs labels `(1 - p, p)`; soft mode puts `lam * h + (1 - lam) * h_j`
    there and weighs `(1 - p * (1 - lam), p * (1 - lam))`. With probability `1 - probability` the batch is
    left as it is (`p = 0`).

    Example:
        >>> import tensorflow as tf
        >>> h, y = tf.random.normal([4, 8, 8, 2]), tf.one_hot([0, 1, 2, 3], 4)
        >>> mixed, mixed_y = patchup(h, y, seed=[0, 3], mode="hard", block_size=3, probability=1.0)
        >>> mixed.shape, [round(float(s), 5) for s in tf.reduce_sum(mixed_y, axis=1)]
        (TensorShape([4, 8, 8, 2]), [1.0, 1.0, 1.0, 1.0])
    """
    if mode not in PATCHUP_MODES:
        raise ValueError(f"patchup mode must be one of {', '.join(PATCHUP_MODES)}; got {mode!r}")
    gamma = PATCHUP_GAMMA[mode] if gamma is None else gamma
    probability = PATCHUP_PROBABILITY[mode] if probability is None else probability
    labels = _one_hot_labels(labels)
    features = tf.convert_to_tensor(features)
    if features.shape.rank != 4 or None in features.shape[1:]:
        raise ValueError(
            f"PatchUp needs feature maps of a known shape (batch, height, width, channels); got {features.shape}"
        )
    seeds = split_seed(seed, 3)
    lam, order = _draw(seeds[0], alpha, tf.shape(features)[0])
    mask = patchup_mask(seeds[1], features.shape[1:], block_size, gamma)
    mask = mask * tf.cast(tf.random.stateless_uniform([], seeds[2]) < probability, tf.float32)
    changed = tf.reduce_mean(mask)
    partner = tf.gather(features, order)
    if mode == "hard":
        patch, partner_weight = partner, changed
    else:
        weight = tf.cast(lam, features.dtype)
        patch, partner_weight = weight * features + (1.0 - weight) * partner, changed * (1.0 - lam)
    mixed = tf.where(mask[None] > 0, patch, features)
    return mixed, (1.0 - partner_weight) * labels + partner_weight * tf.gather(labels, order)


def patchup_input(images, labels, seed, probability: float = 1.0):
    """PatchUp's stage 0, as in the authors' code: CutMix (Beta(1, 1)) with probability `probability`."""
    labels = _one_hot_labels(labels)
    seeds = split_seed(seed, 2)
    mixed, mixed_labels = cutmix(images, labels, seeds[0], alpha=1.0)
    apply = tf.random.stateless_uniform([], seeds[1]) < probability
    images = tf.cast(images, mixed.dtype)
    return tf.where(apply, mixed, images), tf.where(apply, mixed_labels, labels)


def input_saliency(gradients):
    """PuzzleMix's saliency of each pixel: the L2 norm over channels of the loss gradient, (batch, h, w)."""
    gradients = tf.cast(gradients, tf.float32)
    return tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=-1))


def puzzle_labelling(own, partner, lam, eta: float = 0.2):
    """Which grid cells keep the own image (1.0) or take the partner's (0.0), shape (batch, n, n).

    The exact minimiser of PuzzleMix's binary labelling energy without its smoothness terms: keeping a cell
    costs the partner's saliency there plus `-eta / n**2 * log(lam)`, taking the partner's costs the own
    saliency plus `-eta / n**2 * log(1 - lam)`; the cheaper label wins in each cell. `own` and `partner` are
    the cells' saliencies, each map normalised to sum 1.

    Example:
        >>> import tensorflow as tf
        >>> own = tf.constant([[[0.7, 0.1], [0.1, 0.1]]])
        >>> partner = tf.constant([[[0.1, 0.1], [0.1, 0.7]]])
        >>> puzzle_labelling(own, partner, lam=0.5).numpy().tolist()
        [[[1.0, 1.0], [1.0, 0.0]]]
    """
    own, partner = tf.convert_to_tensor(own, tf.float32), tf.convert_to_tensor(partner, tf.float32)
    lam = tf.cast(lam, tf.float32)
    prior = eta / tf.cast(tf.shape(own)[1] * tf.shape(own)[2], tf.float32)
    keep_cost = partner - prior * tf.math.log(lam + 1e-8)
    take_cost = own - prior * tf.math.log(1.0 - lam + 1e-8)
    return tf.cast(keep_cost <= take_cost, tf.float32)


def _cells(size, grid):
    """(size, grid) one-hot: which of `grid` equal cells each of `size` pixels lies in."""
    return tf.one_hot(tf.range(size) * grid // size, grid, dtype=tf.float32)


def puzzlemix(images, labels, saliency, seed, alpha: float = 1.0, grid_sizes=PUZZLE_GRID_SIZES, eta: float = 0.2):
    """Saliency-guided mixing of images (batch, h, w, c) with their partners; returns (mixed, mixed labels).

    `saliency` (batch, h, w) is pooled to an n x n grid (n drawn from `grid_sizes`, those no larger than the
    image), normalised to sum 1 per image, and `puzzle_labelling` picks each cell's source with
    `lam ~ Beta(alpha, alpha)`. Every mixed pixel is exactly the own or the partner's pixel, and each label
    is weighted by the fraction of pixels taken from that image.

    Example:
        >>> import tensorflow as tf
        >>> images, labels = tf.random.uniform([4, 16, 16, 3]), tf.one_hot([0, 1, 2, 3], 4)
        >>> saliency = tf.random.uniform([4, 16, 16])
        >>> mixed, mixed_labels = puzzlemix(images, labels, saliency, seed=[0, 1])
        >>> [round(float(s), 5) for s in tf.reduce_sum(mixed_labels, axis=1)]
        [1.0, 1.0, 1.0, 1.0]
    """
    labels = _one_hot_labels(labels)
    images = tf.convert_to_tensor(images)
    if not images.dtype.is_floating:
        images = tf.cast(images, tf.float32)
    height, width = images.shape[1], images.shape[2]
    if height is None or width is None:
        raise ValueError(f"puzzlemix needs images of a known height and width; got shape {images.shape}")
    sizes = [int(n) for n in grid_sizes if 1 <= int(n) <= min(height, width)]
    if not sizes:
        raise ValueError(f"grid_sizes {tuple(grid_sizes)} has no size between 1 and {min(height, width)}")
    seeds = split_seed(seed, 3)
    lam, order = _draw(seeds[0], alpha, tf.shape(images)[0])
    grid = tf.gather(sizes, tf.random.stateless_uniform([], seeds[1], 0, len(sizes), dtype=tf.int32))
    rows, cols = _cells(height, grid), _cells(width, grid)
    area = tf.reduce_sum(rows, 0)[:, None] * tf.reduce_sum(cols, 0)[None, :]
    cell = tf.einsum("bhw,hi,wj->bij", tf.cast(saliency, tf.float32), rows, cols) / area
    cell = cell / tf.maximum(tf.reduce_sum(cell, axis=[1, 2], keepdims=True), 1e-12)
    keep = puzzle_labelling(cell, tf.gather(cell, order), lam, eta)
    mask = tf.einsum("bij,hi,wj->bhw", keep, rows, cols)
    mixed = tf.where(mask[..., None] > 0.5, images, tf.gather(images, order))
    own = tf.reduce_mean(mask, axis=[1, 2])[:, None]
    return mixed, own * labels + (1.0 - own) * tf.gather(labels, order)


# ---------------------------------------------------------------------------------------------------------
# The training wrapper


def _float_images(x):
    x = tf.convert_to_tensor(x)
    return x if x.dtype.is_floating else tf.cast(x, tf.float32)


class _Splits:
    """Holds the (front, back) models outside Keras' tracking: their layers are the wrapped model's."""

    def __init__(self, pairs):
        self.pairs = pairs


def _positive(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"{name} must be a number > 0; got {value!r}")
    return float(value)


def _fraction(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a number from 0 to 1; got {value!r}")
    return float(value)


@keras.saving.register_keras_serializable(package="keras_classics")
class HiddenMixing(keras.Model):
    """Trains `model` with manifold mixup, PatchUp or PuzzleMix; evaluates and predicts with `model` as is.

    Args:
        model: a functional Keras model with one input and one output (any zoo model; GoogLeNet and
            Inception-v3 built with `aux_logits=False`). Its weights are the ones trained.
        method: "manifold_mixup", "patchup" or "puzzlemix".
        stages: where to mix (manifold mixup, PatchUp): layer names whose outputs are cut points (see
            `split_model`), "input" for the input. One is drawn uniformly per batch. Default: the input and the
            registered model's first two feature stages (`default_stages`). PuzzleMix mixes the input only.
        alpha: Beta(alpha, alpha) for lam; default 2.0 (manifold mixup, PatchUp) or 1.0 (PuzzleMix).
        seed: an int; every batch's draws come from (seed, optimizer step), so a run repeats exactly.
            None draws one from Python's `random`.
        patchup_mode: "hard" (swap the masked features) or "soft" (mix them).
        block_size, gamma, probability: PatchUp's block side, feature share and per-batch probability;
            defaults as in `patchup`.
        grid_sizes, eta: PuzzleMix's grid sides (one drawn per batch) and prior weight.

    Compile it with a loss on one-hot labels (`CategoricalCrossentropy`); metrics are computed on the mixed
    labels during training and on the given labels in `evaluate`. Save `trainer.model` for the trained
    network (the wrapper also saves and loads as a whole).

    Example:
        >>> import keras_classics
        >>> net = keras_classics.resnet18(input_shape=(32, 32, 3), classes=10)
        >>> HiddenMixing(net, "patchup", patchup_mode="soft", seed=1).stages
        ('input', 'relu', 'layer1_1_out')
    """

    def __init__(self, model, method="manifold_mixup", stages=None, alpha=None, seed=None, *,
                 patchup_mode="hard", block_size=7, gamma=None, probability=None,
                 grid_sizes=PUZZLE_GRID_SIZES, eta=0.2, **kwargs):
        kwargs.setdefault("name", f"{model.name}_{method}" if isinstance(method, str) else None)
        super().__init__(**kwargs)
        if method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
        if not isinstance(model, keras.Model) or len(getattr(model, "inputs", None) or ()) != 1:
            raise ValueError("hidden mixing needs a functional Keras model with one input")
        if len(model.outputs) != 1:
            raise ValueError(
                f"hidden mixing needs a model with one output; {model.name!r} has {len(model.outputs)} "
                "(build GoogLeNet/Inception with aux_logits=False)"
            )
        if patchup_mode not in PATCHUP_MODES:
            raise ValueError(f"patchup_mode must be one of {', '.join(PATCHUP_MODES)}; got {patchup_mode!r}")
        self.model = model
        self.method = method
        self.alpha = _positive("alpha", DEFAULT_ALPHA[method] if alpha is None else alpha)
        self.seed = random.randrange(2**31 - 1) if seed is None else int(seed)
        self.patchup_mode = patchup_mode
        if isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 1:
            raise ValueError(f"block_size must be an integer >= 1; got {block_size!r}")
        self.block_size = block_size
        self.gamma = _fraction("gamma", PATCHUP_GAMMA[patchup_mode] if gamma is None else gamma)
        self.probability = _fraction(
            "probability", PATCHUP_PROBABILITY[patchup_mode] if probability is None else probability
        )
        self.grid_sizes = tuple(int(n) for n in grid_sizes)
        if not self.grid_sizes or min(self.grid_sizes) < 1:
            raise ValueError(f"grid_sizes must be integers >= 1; got {grid_sizes!r}")
        self.eta = _positive("eta", eta)
        if method == "puzzlemix":
            if stages not in (None, (INPUT,), [INPUT], INPUT):
                raise ValueError(f"puzzlemix mixes the input only; leave stages out (got {stages!r})")
            stages = (INPUT,)
        elif stages is None:
            stages = default_stages(model)
        elif isinstance(stages, str):
            stages = (stages,)
        self.stages = tuple(stages)
        if not self.stages:
            raise ValueError("stages must name at least one stage")
        pairs = []
        for stage in self.stages:
            if stage == INPUT:
                pairs.append((None, model))
                continue
            front, back = split_model(model, stage)
            if method == "patchup" and (len(front.output.shape) != 4 or None in front.output.shape[1:]):
                raise ValueError(
                    f"stage {stage!r} of model {model.name!r}: PatchUp needs a (batch, height, width, channels) "
                    f"feature map; its output has shape {front.output.shape}"
                )
            pairs.append((front, back))
        self._splits = _Splits(pairs)
        self.built = True

    def call(self, inputs, training=None):
        return self.model(inputs, training=training)

    # -- mixing ----------------------------------------------------------------------------------------------

    def _mix(self, features, labels, seed, at_input):
        if self.method == "manifold_mixup":
            if at_input and not features.dtype.is_floating:
                features = tf.cast(features, tf.float32)
            return manifold_mixup(features, labels, seed, self.alpha)
        if at_input:
            return patchup_input(features, labels, seed, self.probability)
        return patchup(features, labels, seed, self.patchup_mode, self.block_size, self.gamma, self.alpha,
                       self.probability)

    def mixed_forward(self, x, y, seed, training=True):
        """`(y_pred, mixed_labels)` for one batch mixed with the stateless `seed` (what `train_step` runs).

        Manifold mixup and PatchUp draw the stage from `seed`, run the model up to it, mix, and run the rest;
        PuzzleMix mixes the images by saliency (a gradient pass through the model) and runs the model.
        """
        y = _one_hot_labels(y)
        seeds = split_seed(seed, 2)
        if self.method == "puzzlemix":
            images, mixed_labels = self.puzzle_batch(x, y, seeds[1])
            return self.model(images, training=training), mixed_labels

        def branch(index):
            front, back = self._splits.pairs[index]

            def run():
                hidden = x if front is None else front(x, training=training)
                hidden, mixed_labels = self._mix(hidden, y, seeds[1], at_input=front is None)
                return back(hidden, training=training), mixed_labels

            return run

        if len(self.stages) == 1:
            return branch(0)()
        index = tf.random.stateless_uniform([], seeds[0], 0, len(self.stages), dtype=tf.int32)
        return tf.switch_case(index, [branch(i) for i in range(len(self.stages))])

    def saliency(self, x, y):
        """PuzzleMix's saliency (batch, h, w): the compiled loss's input gradient on the clean batch, the model
        in inference mode, its L2 norm over channels (`input_saliency`)."""
        x = _float_images(x)
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = self.compute_loss(x=x, y=_one_hot_labels(y), y_pred=self.model(x, training=False), training=False)
        return tf.stop_gradient(input_saliency(tape.gradient(loss, x)))

    def puzzle_batch(self, x, y, seed):
        """PuzzleMix's mixed images and labels for one batch (`saliency`, then `puzzlemix`)."""
        x = _float_images(x)
        return puzzlemix(x, y, self.saliency(x, y), seed, self.alpha, self.grid_sizes, self.eta)

    def step_seed(self):
        """The stateless seed of the current optimizer step: (seed, step) folded into one."""
        base = tf.constant([self.seed, 0], dtype=tf.int64)
        return tf.random.experimental.stateless_fold_in(base, tf.cast(self.optimizer.iterations, tf.int64))

    def train_step(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        seed = self.step_seed()
        with tf.GradientTape() as tape:
            y_pred, mixed_labels = self.mixed_forward(x, y, seed, training=True)
            loss = self.compute_loss(x=x, y=mixed_labels, y_pred=y_pred, sample_weight=sample_weight, training=True)
            if self._loss_tracker is not None:
                replicas = tf.distribute.get_strategy().num_replicas_in_sync
                self._loss_tracker.update_state(loss * replicas, sample_weight=tf.shape(y_pred)[0])
            scaled = self.optimizer.scale_loss(loss)
        gradients = tape.gradient(scaled, self.trainable_weights)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))
        return self.compute_metrics(x, mixed_labels, y_pred, sample_weight=sample_weight)

    def compile(self, *args, jit_compile=False, **kwargs):
        """`keras.Model.compile` without XLA: XLA has no kernel for the stateless Gamma draw behind lam."""
        if jit_compile not in (False, None, "auto"):
            raise ValueError(
                f"jit_compile must be False for hidden mixing (XLA cannot draw Beta samples); got {jit_compile!r}"
            )
        super().compile(*args, jit_compile=False, **kwargs)

    def compile_from_config(self, config):
        self.compile(**keras.saving.deserialize_keras_object(config))
        if self.built and getattr(self, "optimizer", None) is not None:
            self.optimizer.build(self.trainable_variables)

    # -- saving ----------------------------------------------------------------------------------------------

    def get_config(self):
        return {
            "model": keras.saving.serialize_keras_object(self.model),
            "method": self.method,
            "stages": list(self.stages),
            "alpha": self.alpha,
            "seed": self.seed,
            "patchup_mode": self.patchup_mode,
            "block_size": self.block_size,
            "gamma": self.gamma,
            "probability": self.probability,
            "grid_sizes": list(self.grid_sizes),
            "eta": self.eta,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["model"] = keras.saving.deserialize_keras_object(config["model"], custom_objects=custom_objects)
        return cls(**config)
