"""LeNet-5 (LeCun, Bottou, Bengio & Haffner 1998, "Gradient-based learning applied to document recognition").

The modern textbook form: C1 6@5x5 -> S2 2x2 average pool -> C3 16@5x5 (full connectivity, not the paper's
sparse Table I) -> S4 -> C5 120@5x5 -> F6 84 -> output 10, tanh throughout, on 32x32 single-channel
images. Layer names are the paper's (c1, s2, ...): no code reference exists.
"""

from keras import layers

from keras_classics.models.builder import assemble
from keras_classics.models.variant_table import VariantRow, register_family


def _features(x):
    for conv, pool, filters in (("c1", "s2", 6), ("c3", "s4", 16)):
        x = layers.Conv2D(filters, 5, activation="tanh", name=conv)(x)
        x = layers.AveragePooling2D(2, name=pool)(x)
    return layers.Conv2D(120, 5, activation="tanh", name="c5")(x)


def _head(x, classes):
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(84, activation="tanh", name="f6")(x)
    return layers.Dense(classes, name="output")(x)


def _build(row, spec, args):
    return assemble(spec, args, _features, _head)


# One variant, and no architecture fields: its row is a plain `VariantRow`.
VARIANTS = (
    VariantRow(
        name="lenet5",
        reference="paper:LeCun et al. 1998 Fig. 2",
        params=61706,
        params_source="shared/reference/architectures.csv (6*26 + 16*151 + 120*401 + 84*121 + 10*85)",
        doc="LeNet-5, the convolutional network of LeCun et al. 1998 (modern form: full C3, tanh, average pooling).",
    ),
)

register_family(
    VARIANTS,
    _build,
    family="lenet",
    head_modules=("f6", "output"),
    paper="LeCun et al. 1998, Gradient-based learning applied to document recognition",
    default_size=32,
    min_size=32,
    channels=1,
    classes=10,
    mean=(0.5,),
    std=(0.5,),
    stages=("c1", "c3", "c5"),
)
