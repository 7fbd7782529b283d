"""Analysis: per-layer tables (params, MACs, memory, receptive field) and feature taps."""

from keras_classics.analysis.features import feature_extractor
from keras_classics.analysis.profile import count_macs, layer_macs, layer_table

__all__ = ["count_macs", "feature_extractor", "layer_macs", "layer_table"]
