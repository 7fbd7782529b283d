"""Exports: SavedModel for TF Serving (TFLite comes with a later issue)."""

from keras_classics.export.saved_model import export_saved_model

__all__ = ["export_saved_model"]
