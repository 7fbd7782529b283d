"""Exports, each checked against the Keras model before it is put in place.

- `saved_model`: TF Serving's `BASE/NAME/VERSION/` with a pixel-tensor and an image-bytes signature
  (`serving`), written atomically;
- `tflite`: float32, float16, dynamic-range and int8 files with built-in ops only (`TFLiteConversion`
  writes several modes of one model sharing the staged SavedModel);
- `folding`: a copy for inference with each BatchNormalization folded into the convolution before it
  (`export_saved_model` serves one; the TFLite converter folds them itself);
- `pixels`: both take RGB pixels in [0, 255], the model's normalization moved inside.
"""

from keras_classics.export.folding import fold_batch_norm, foldable_pairs
from keras_classics.export.pixels import pixel_model
from keras_classics.export.saved_model import SavedModelReport, export_saved_model, next_version
from keras_classics.export.tflite import QUANTIZATIONS, TFLiteConversion, TFLiteReport, export_tflite

__all__ = [
    "QUANTIZATIONS",
    "SavedModelReport",
    "TFLiteConversion",
    "TFLiteReport",
    "export_saved_model",
    "export_tflite",
    "fold_batch_norm",
    "foldable_pairs",
    "next_version",
    "pixel_model",
]
