"""Analysis: per-layer tables (params, MACs, memory, receptive field) and the zoo table."""

from keras_classics.analysis.profile import count_macs, layer_macs, layer_table

__all__ = ["count_macs", "layer_macs", "layer_table"]
