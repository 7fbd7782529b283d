"""Per-layer tables: MACs, parameters and receptive fields against hand computation."""

import keras_classics
from keras_classics.analysis import count_macs, layer_table


def test_lenet5_table_by_hand():
    table = layer_table(keras_classics.lenet5()).set_index("layer")
    # output positions x kernel volume x output channels
    assert table.loc["c1", "macs"] == 28 * 28 * (5 * 5 * 1) * 6
    assert table.loc["c3", "macs"] == 10 * 10 * (5 * 5 * 6) * 16
    assert table.loc["c5", "macs"] == 1 * 1 * (5 * 5 * 16) * 120
    assert table.loc["f6", "macs"] == 120 * 84
    assert table["params"].sum() == 61706
    # receptive fields: 5, then +1 for the pool, +4*2, +1*2 for the pool, +4*4
    assert list(table.loc[["c1", "s2", "c3", "s4", "c5"], "receptive_field"]) == [5, 6, 14, 16, 32]
    assert table.loc["c1", "memory_bytes"] == 28 * 28 * 6 * 4
    assert count_macs(keras_classics.lenet5()) == table["macs"].sum()


def test_feature_extractor_taps_named_stages():
    from keras_classics.analysis import feature_extractor
    import pytest

    taps = feature_extractor("lenet5", input_shape=(32, 32, 1))
    assert [tuple(t.shape) for t in taps.outputs] == [(None, 28, 28, 6), (None, 10, 10, 16), (None, 1, 1, 120)]
    with pytest.raises(ValueError, match="no layers named \\['c9'\\]"):
        feature_extractor(keras_classics.lenet5(), stages=["c1", "c9"])


def test_receptive_fields_of_vgg16_and_the_papers_alexnet_by_hand():
    # VGG-16: 3x3 convolutions (stride 1, padding 1) add 2 * jump; 2x2/2 pools add 1 * jump and double it.
    # conv5_3 = 1 + 2*(2*1 + 2*2 + 3*4 + 3*8 + 3*16) + (1 + 2 + 4 + 8) = 196; pool5 = 196 + 16 = 212.
    vgg = layer_table(keras_classics.vgg16()).set_index("layer")
    assert tuple(vgg.loc["features_28", ["receptive_field", "jump", "start"]]) == (196, 16, 8.0)  # conv5_3
    assert tuple(vgg.loc["features_30", ["receptive_field", "jump", "start"]]) == (212, 32, 16.0)  # pool5
    # AlexNet (227 input): conv1 11/4 -> 11; pool 3/2 -> 19; conv2 5x5 -> 51; pool -> 67; conv3-5 3x3 -> 163;
    # pool5 -> 163 + 2*16 = 195, jump 32; the first pool5 unit is centred 33.5 pixels in (all 'valid').
    alexnet = layer_table(keras_classics.alexnet()).set_index("layer")
    assert tuple(alexnet.loc["features_14", ["receptive_field", "jump", "start"]]) == (195, 32, 33.5)


def test_same_padding_puts_the_odd_row_after_and_memory_in_both_precisions():
    import keras

    x = keras.Input((32, 32, 3))
    y = keras.layers.Conv2D(4, 3, strides=2, padding="same", name="conv")(x)  # pads 0 before, 1 after
    y = keras.layers.ZeroPadding2D(2, name="pad")(y)
    y = keras.layers.MaxPooling2D(3, strides=2, name="pool")(y)
    table = layer_table(keras.Model(x, y)).set_index("layer")
    assert tuple(table.loc["conv", ["receptive_field", "jump", "start"]]) == (3, 2, 1.5)
    assert tuple(table.loc["pad", ["receptive_field", "jump", "start"]]) == (3, 2, 1.5 - 2 * 2)
    assert tuple(table.loc["pool", ["receptive_field", "jump", "start"]]) == (3 + 2 * 2, 4, -2.5 + 1 * 2)
    assert table.loc["conv", "memory_float32"] == 16 * 16 * 4 * 4 == 2 * table.loc["conv", "memory_float16"]
