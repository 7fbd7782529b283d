"""Reusing a trained network: image retrieval by its features."""

from keras_classics.reuse.retrieval import ImageIndex, contact_sheet, embedding_model, load_images

__all__ = ["ImageIndex", "contact_sheet", "embedding_model", "load_images"]
