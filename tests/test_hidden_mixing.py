"""Hidden-feature mixing (training/hidden_mixing.py): each method's defining property, the model cut, the wrapper."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_classics
from keras_classics.training.hidden_mixing import (
    HiddenMixing,
    default_stages,
    manifold_mixup,
    patchup,
    patchup_mask,
    puzzle_labelling,
    puzzlemix,
    split_model,
)

BATCH = 6


def _batch(shape=(32, 32, 3), classes=BATCH, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((BATCH, *shape), dtype=np.float32)
    return x, np.eye(classes, dtype=np.float32)[np.arange(BATCH) % classes]


def _pairing(mixed_labels):
    """(own weight, partner index) per example, read from labels mixed from distinct one-hot classes 0..B-1."""
    mixed_labels = np.asarray(mixed_labels)
    own = mixed_labels[np.arange(BATCH), np.arange(BATCH)]
    others = mixed_labels.copy()
    others[np.arange(BATCH), np.arange(BATCH)] = -1
    partner = np.where(own > 1 - 1e-6, np.arange(BATCH), others.argmax(axis=1))
    return own, partner


@pytest.mark.parametrize(
    "name, size", [("lenet5", 32), ("resnet18", 32), ("mobilenet_v2", 32), ("densenet121", 32)]
)
def test_split_front_then_back_is_the_whole_model(name, size):
    channels = keras_classics.model_info(name).channels
    net = keras_classics.create_model(name, input_shape=(size, size, channels), classes=5)
    x, _ = _batch((size, size, channels))
    whole = net(x, training=False).numpy()
    for stage in keras_classics.model_info(name).stages:
        front, back = split_model(net, stage)
        assert {id(w) for w in back.weights + front.weights} <= {id(w) for w in net.weights}  # shared, not copied
        np.testing.assert_allclose(back(front(x, training=False), training=False).numpy(), whole, atol=1e-6)


def _skip_model():
    inputs = keras.Input((8, 8, 3))
    a = keras.layers.Conv2D(4, 3, padding="same", name="a")(inputs)
    b = keras.layers.Conv2D(4, 3, padding="same", name="b")(a)
    added = keras.layers.Add(name="add")([a, b])
    outputs = keras.layers.Dense(3, activation="softmax")(keras.layers.GlobalAveragePooling2D()(added))
    return keras.Model(inputs, outputs, name="skippy")


def test_split_refuses_a_stage_that_a_path_goes_around():
    net = _skip_model()
    with pytest.raises(ValueError, match=r"stage 'b' of model 'skippy' does not cut"):
        split_model(net, "b")
    front, back = split_model(net, "add")  # after the skip joins, every path passes through
    assert back.output.shape == (None, 3)
    with pytest.raises(ValueError, match=r"stage 'nope': model 'skippy' has no layer"):
        split_model(net, "nope")
    with pytest.raises(ValueError, match="'b' of model 'skippy'"):
        HiddenMixing(net, stages=["input", "b"])


def test_default_stages_pass_over_registered_stages_that_do_not_cut():
    net = keras_classics.xception(input_shape=(32, 32, 3), classes=4)
    # timm's Xception feature taps block2_rep_0 and block3_rep_0 sit inside residual blocks.
    assert default_stages(net) == ("input", "act2", "act4")


def test_manifold_mixup_interpolates_features_and_labels_with_one_lambda():
    h = tf.random.normal([BATCH, 5, 5, 7], seed=1)
    _, y = _batch()
    mixed, mixed_y = manifold_mixup(h, y, seed=[3, 4], alpha=2.0)
    np.testing.assert_allclose(tf.reduce_sum(mixed_y, axis=1), 1.0, atol=1e-6)
    own, partner = _pairing(mixed_y)
    lam = own[partner != np.arange(BATCH)]
    assert lam.size and np.allclose(lam, lam[0]) and 0 < lam[0] < 1  # one lam per batch
    lam = lam[0]
    expected = lam * h.numpy() + (1 - lam) * h.numpy()[partner]
    np.testing.assert_allclose(mixed, expected, atol=1e-5)


def test_wrapper_mixes_the_hidden_map_at_the_drawn_stage():
    net = keras_classics.lenet5(input_shape=(32, 32, 1), classes=BATCH)
    trainer = HiddenMixing(net, "manifold_mixup", stages=["c3"], seed=0)
    x, y = _batch((32, 32, 1))
    y_pred, mixed_y = trainer.mixed_forward(x, y, tf.constant([5, 6], tf.int64), training=False)
    own, partner = _pairing(mixed_y)
    lam = own[partner != np.arange(BATCH)][0]
    front, back = split_model(net, "c3")
    hidden = front(x, training=False).numpy()
    expected = back(lam * hidden + (1 - lam) * hidden[partner], training=False)
    np.testing.assert_allclose(y_pred, expected, atol=1e-5)


def test_patchup_hard_swaps_masked_features_and_weighs_labels_by_their_fraction():
    h = tf.random.normal([BATCH, 12, 12, 4], seed=2)
    _, y = _batch()
    mixed, mixed_y = patchup(h, y, seed=[7, 8], mode="hard", block_size=3, gamma=0.5, probability=1.0)
    mixed, h = mixed.numpy(), h.numpy()
    own, partner = _pairing(mixed_y)
    i = int(np.flatnonzero(partner != np.arange(BATCH))[0])
    swapped = mixed[i] != h[i]
    fraction = swapped.mean()
    assert 0 < fraction < 1
    np.testing.assert_allclose(1 - own, fraction, atol=1e-6)  # every example: one mask for the batch
    np.testing.assert_array_equal(mixed[i][swapped], h[partner[i]][swapped])  # swapped values are the partner's
    np.testing.assert_array_equal(mixed[i][~swapped], h[i][~swapped])
    for j in range(BATCH):  # the same positions for every pair
        np.testing.assert_array_equal(mixed[j][swapped], h[partner[j]][swapped])


def test_patchup_soft_mixes_inside_the_blocks_and_weighs_labels_accordingly():
    h = tf.random.normal([BATCH, 12, 12, 4], seed=3)
    _, y = _batch()
    mask = patchup_mask(tf.random.experimental.stateless_split(tf.constant([7, 9], tf.int64), 3)[1], (12, 12, 4),
                        block_size=3, gamma=0.75)
    mixed, mixed_y = patchup(h, y, seed=[7, 9], mode="soft", block_size=3, gamma=0.75, probability=1.0)
    inside, fraction = mask.numpy() > 0, float(tf.reduce_mean(mask))
    own, partner = _pairing(mixed_y)
    i = int(np.flatnonzero(partner != np.arange(BATCH))[0])
    lam = 1 - (1 - own[i]) / fraction  # own weight = 1 - p (1 - lam)
    h, mixed = h.numpy(), mixed.numpy()
    np.testing.assert_allclose(mixed[i][inside], lam * h[i][inside] + (1 - lam) * h[partner[i]][inside], atol=1e-5)
    np.testing.assert_array_equal(mixed[i][~inside], h[i][~inside])
    np.testing.assert_allclose(tf.reduce_sum(mixed_y, axis=1), 1.0, atol=1e-6)


def test_patchup_mask_is_made_of_blocks_and_grows_with_gamma():
    seed = tf.constant([1, 1], tf.int64)
    small, large = (float(tf.reduce_mean(patchup_mask(seed, (16, 16, 8), 5, g))) for g in (0.1, 0.9))
    assert 0 < small < large <= 1
    mask = patchup_mask(seed, (16, 16, 8), 5, 0.3)[None]
    assert 0 < float(tf.reduce_mean(mask)) < 1
    # A union of 5x5 squares (clipped at the border) is unchanged by an opening with that square.
    eroded = -tf.nn.max_pool2d(-mask, 5, 1, "SAME")
    np.testing.assert_array_equal(tf.nn.max_pool2d(eroded, 5, 1, "SAME"), mask)


def test_patchup_with_probability_zero_leaves_the_batch_alone():
    h = tf.random.normal([BATCH, 8, 8, 2])
    _, y = _batch()
    mixed, mixed_y = patchup(h, y, seed=[0, 1], probability=0.0)
    np.testing.assert_array_equal(mixed, h)
    np.testing.assert_array_equal(mixed_y, y)


def _quadrant_saliency(size=32):
    """Example i is salient in quadrant i % 4 only."""
    saliency = np.zeros((BATCH, size, size), np.float32)
    half = size // 2
    for i in range(BATCH):
        r, c = divmod(i % 4, 2)
        saliency[i, r * half + 4:r * half + 12, c * half + 4:c * half + 12] = 1.0
    return saliency


def test_puzzlemix_takes_pixels_from_the_pair_keeps_salient_regions_and_weighs_labels_by_pixels():
    images, y = _batch((32, 32, 3))
    saliency = _quadrant_saliency()
    for seed in ([0, 1], [2, 3], [4, 5]):
        mixed, mixed_y = puzzlemix(images, y, saliency, seed=seed)
        mixed, mixed_y = mixed.numpy(), mixed_y.numpy()
        own, partner = _pairing(mixed_y)
        np.testing.assert_allclose(mixed_y.sum(axis=1), 1.0, atol=1e-6)
        for i in range(BATCH):
            from_own = np.all(mixed[i] == images[i], axis=-1)
            from_partner = np.all(mixed[i] == images[partner[i]], axis=-1)
            assert np.all(from_own | from_partner)  # no pixel from anywhere else
            np.testing.assert_allclose(own[i], from_own.mean(), atol=1e-6)  # label weight = pixel fraction
            if i % 4 != partner[i] % 4:  # each image's salient square survives
                assert from_own[saliency[i] > 0].all()
                assert from_partner[saliency[partner[i]] > 0].all()


def test_puzzle_labelling_follows_saliency_and_the_mixing_ratio_prior():
    own = tf.constant([[[0.4, 0.1], [0.1, 0.4]]])
    partner = tf.constant([[[0.1, 0.4], [0.4, 0.1]]])
    assert puzzle_labelling(own, partner, 0.5).numpy().tolist() == [[[1.0, 0.0], [0.0, 1.0]]]
    flat = tf.fill([1, 2, 2], 0.25)
    assert puzzle_labelling(flat, flat, 0.8).numpy().min() == 1.0  # equal saliency: the prior (lam) decides
    assert puzzle_labelling(flat, flat, 0.2).numpy().max() == 0.0


def test_puzzlemix_saliency_is_the_input_gradient():
    inputs = keras.Input((8, 8, 3))
    left = keras.layers.Cropping2D(((0, 0), (0, 4)))(inputs)  # the model sees the left half only
    outputs = keras.layers.Dense(3, activation="softmax")(keras.layers.Flatten()(left))
    trainer = HiddenMixing(keras.Model(inputs, outputs, name="left"), "puzzlemix", grid_sizes=(2,), seed=0)
    trainer.compile("sgd", keras.losses.CategoricalCrossentropy())
    x = np.random.default_rng(0).random((4, 8, 8, 3), dtype=np.float32)
    saliency = trainer.saliency(x, np.eye(3, dtype=np.float32)[[0, 1, 2, 0]]).numpy()
    assert saliency.shape == (4, 8, 8)
    assert np.all(saliency[:, :, 4:] == 0) and np.all(saliency[:, :, :4].sum(axis=(1, 2)) > 0)


@pytest.mark.parametrize(
    "method, options",
    [("manifold_mixup", {}), ("patchup", {"patchup_mode": "hard"}), ("puzzlemix", {"grid_sizes": (2, 4)})],
)
def test_fit_trains_the_wrapped_model_and_predict_is_the_model(method, options):
    net = keras_classics.lenet5(input_shape=(32, 32, 1), classes=BATCH)
    trainer = HiddenMixing(net, method, seed=1, **options)
    trainer.compile(keras.optimizers.SGD(0.05), keras.losses.CategoricalCrossentropy(), metrics=["accuracy"])
    x, y = _batch((32, 32, 1))
    before = [w.numpy().copy() for w in net.trainable_weights]
    history = trainer.fit(x, y, batch_size=BATCH, epochs=3, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert any(not np.array_equal(b, w.numpy()) for b, w in zip(before, net.trainable_weights))
    assert trainer.trainable_weights and {id(w) for w in trainer.trainable_weights} == {
        id(w) for w in net.trainable_weights
    }
    np.testing.assert_allclose(trainer.predict(x, verbose=0), net.predict(x, verbose=0), atol=1e-6)
    loss, _ = trainer.evaluate(x, y, verbose=0)
    np.testing.assert_allclose(loss, keras.losses.CategoricalCrossentropy()(y, net(x, training=False)), rtol=1e-5)


def _trained_weights(seed):
    keras.utils.set_random_seed(0)
    net = keras_classics.lenet5(input_shape=(32, 32, 1), classes=BATCH)
    trainer = HiddenMixing(net, "patchup", patchup_mode="soft", seed=seed)
    trainer.compile(keras.optimizers.SGD(0.05), keras.losses.CategoricalCrossentropy())
    x, y = _batch((32, 32, 1))
    trainer.fit(x, y, batch_size=3, epochs=2, shuffle=False, verbose=0)
    return [w.numpy() for w in net.trainable_weights]


def test_a_seed_repeats_the_run_exactly():
    first, again, other = _trained_weights(3), _trained_weights(3), _trained_weights(4)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(a, b) for a, b in zip(first, other))


def test_each_step_draws_anew_from_seed_and_step():
    net = keras_classics.lenet5(input_shape=(32, 32, 1), classes=BATCH)
    trainer = HiddenMixing(net, "manifold_mixup", seed=0)
    x, y = _batch((32, 32, 1))
    seed = tf.constant([1, 2], tf.int64)
    first = trainer.mixed_forward(x, y, seed, training=False)
    again = trainer.mixed_forward(x, y, seed, training=False)
    other = trainer.mixed_forward(x, y, tf.constant([1, 3], tf.int64), training=False)
    np.testing.assert_array_equal(first[1], again[1])
    np.testing.assert_array_equal(first[0], again[0])
    assert not np.array_equal(first[1], other[1])


def test_the_wrapper_saves_and_loads(tmp_path):
    net = keras_classics.lenet5(input_shape=(32, 32, 1), classes=3)
    trainer = HiddenMixing(net, "patchup", stages=["input", "c1"], seed=5, block_size=5)
    trainer.compile("sgd", keras.losses.CategoricalCrossentropy())
    trainer.save(tmp_path / "trainer.keras")
    loaded = keras.models.load_model(tmp_path / "trainer.keras")
    assert isinstance(loaded, HiddenMixing) and loaded.compiled and not loaded.jit_compile
    assert (loaded.method, loaded.stages, loaded.seed, loaded.block_size) == ("patchup", ("input", "c1"), 5, 5)
    x, _ = _batch((32, 32, 1))
    np.testing.assert_allclose(loaded.predict(x, verbose=0), net.predict(x, verbose=0), atol=1e-6)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"method": "cutout"}, r"method must be one of manifold_mixup, patchup, puzzlemix; got 'cutout'"),
        ({"stages": ["input", "layer9"]}, r"stage 'layer9': model 'lenet5' has no layer"),
        ({"alpha": 0.0}, r"alpha must be a number > 0; got 0.0"),
        ({"alpha": -1}, r"alpha must be a number > 0; got -1"),
        ({"method": "patchup", "gamma": 1.5}, r"gamma must be a number from 0 to 1; got 1.5"),
        ({"method": "patchup", "patchup_mode": "medium"}, r"patchup_mode must be one of hard, soft; got 'medium'"),
        ({"method": "puzzlemix", "stages": ["c1"]}, r"puzzlemix mixes the input only"),
    ],
)
def test_bad_arguments_are_refused_by_name(kwargs, message):
    net = keras_classics.lenet5(input_shape=(32, 32, 1), classes=3)
    with pytest.raises(ValueError, match=message):
        HiddenMixing(net, **kwargs)


def test_xla_is_refused_by_name():
    trainer = HiddenMixing(keras_classics.lenet5(input_shape=(32, 32, 1), classes=3), seed=0)
    with pytest.raises(ValueError, match="jit_compile must be False"):
        trainer.compile("sgd", keras.losses.CategoricalCrossentropy(), jit_compile=True)
    trainer.compile("sgd", keras.losses.CategoricalCrossentropy(), jit_compile="auto")
    assert trainer.jit_compile is False


def test_sparse_labels_are_refused():
    net = keras_classics.lenet5(input_shape=(32, 32, 1), classes=BATCH)
    trainer = HiddenMixing(net, seed=0)
    trainer.compile("sgd", keras.losses.CategoricalCrossentropy())
    x, _ = _batch((32, 32, 1))
    with pytest.raises(ValueError, match=r"one-hot labels of shape \(batch, classes\)"):
        trainer.fit(x, np.arange(BATCH), batch_size=BATCH, epochs=1, verbose=0)


def test_patchup_refuses_a_stage_without_a_spatial_map():
    net = keras_classics.lenet5(input_shape=(32, 32, 1), classes=3)
    dense = [layer.name for layer in net.layers if len(layer.output.shape) == 2][0]
    with pytest.raises(ValueError, match=rf"stage '{dense}' of model 'lenet5': PatchUp needs"):
        HiddenMixing(net, "patchup", stages=[dense])
    HiddenMixing(net, "manifold_mixup", stages=[dense])  # manifold mixup mixes any tensor
