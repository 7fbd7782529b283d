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
