"""Helpers the model tests share: the parametrized model list, input sizes, random images."""

import os
import pathlib

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras_classics  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

# Models whose full-size build holds more than this many parameters run under the `slow` marker.
BIG_MODEL_PARAMS = 100_000_000


# One model per distinct block path: every family, and each variant whose blocks differ from its siblings'
# (attention kinds, groups, widening, bypasses, each Inception paper's modules, LRN, 1x1 convs, depthwise-
# separable HarDNet, ShuffleNet v1's ungrouped first stage, EfficientNetV2-B's TensorFlow padding and timm
# layout). The other variants repeat the same blocks at other depths, widths or resolutions (DenseNet-264,
# EfficientNet-B7, ViT-L, ...): the per-model behaviour tests mark them `zoo`, a tier `make test` leaves out
# and `make test-zoo` runs. Counts, MACs and argument checks still cover every model in `make test`.
REPRESENTATIVES = {
    "lenet5", "alexnet", "alexnet_2gpu", "alexnet_torchvision", "zfnet",
    "vgg11_bn", "vgg11_lrn", "vgg16_c",
    "googlenet", "inception_v2", "inception_v3", "inception_v4", "inception_resnet_v1", "inception_resnet_v2",
    "resnet18", "resnet50", "resnext50_32x4d", "se_resnet50", "eca_resnet50", "cbam_resnet50", "wide_resnet50_2",
    "resnet50_v2", "wrn_40_4", "densenet121",
    "squeezenet1_0", "squeezenet1_1", "squeezenet1_0_bypass", "squeezenet1_0_complex_bypass",
    "xception", "nasnet_mobile", "mobilenet_v1", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large",
    "shufflenet_v1_g1", "shufflenet_v1_g3", "shufflenet_v2_x0_5",
    "efficientnet_b0", "efficientnet_v2_s", "efficientnet_v2_b0", "effnet",
    "hardnet39ds", "hardnet68", "ghostnet_050",
    "resnest50", "vit_ti_16", "vit_b_32", "convnext_tiny",
}  # fmt: skip


def model_params(names=None, tiered: bool = False):
    """pytest params over registered models, marking the big ones `slow` and, when `tiered`, the variants
    outside `REPRESENTATIVES` `zoo`."""
    params = []
    for name in names if names is not None else keras_classics.list_models():
        spec = keras_classics.model_info(name)
        marks = [pytest.mark.slow] if spec.params > BIG_MODEL_PARAMS else []
        if tiered and name not in REPRESENTATIVES:
            marks.append(pytest.mark.zoo)
        params.append(pytest.param(name, id=name, marks=marks))
    return params


def small_size(spec):
    """The smallest valid input side: where shape, channel, save and fit checks run."""
    return spec.min_size


def pooling_size(spec):
    """An input side whose last feature map is larger than 1x1 for every model, so avg != max."""
    return max(spec.min_size, 64)


def other_size(spec):
    """A valid input side different from the default (for the non-default-size check)."""
    return spec.min_size if spec.min_size != spec.default_size else spec.default_size + 8


def random_images(size, channels=3, batch=2, seed=0):
    return np.random.default_rng(seed).uniform(0.0, 1.0, (batch, size, size, channels)).astype("float32")


def release_big_model(spec):
    """Frees the models a test no longer references before it builds the next one, for the big variants.

    Between tests the memory guard (tests/memory_guard.py) does this; inside a test that builds a
    600M-parameter network several times, the previous copy must go first.
    """
    if spec.params > BIG_MODEL_PARAMS:
        from memory_guard import release_memory

        release_memory()


def drop_path_rates(model):
    """{layer name: rate} of the model's stochastic-depth layers (`blocks.regularization.drop_path`: a Keras
    Dropout whose mask has one value per sample)."""
    import keras

    def per_sample(layer):
        shape = layer.noise_shape
        return shape is not None and shape[0] is None and all(d == 1 for d in shape[1:])

    return {
        layer.name: layer.rate
        for layer in model.layers
        if isinstance(layer, keras.layers.Dropout) and per_sample(layer)
    }


# One model of each family (and each op the issues name: grouped convolutions, LRN, channel shuffle, h-swish,
# SE/ECA/CBAM, Ghost modules, split attention, ViT attention), for the per-family export and numerics tests.
# name[:label] -> build options: a small input. VGG is left to the zoo-wide sweeps: its 123M-parameter
# head (the 7x7x512 -> 4096 layer whatever the input) costs the converter 6 GB, and AlexNet and ZFNet use
# the same layer kinds.
ONE_PER_FAMILY = {
    "lenet5": {},
    "alexnet_2gpu": {"input_shape": (127, 127, 3)},  # the two-GPU split: grouped convolutions, LRN
    "zfnet": {"input_shape": (99, 99, 3)},
    "googlenet": {"input_shape": (64, 64, 3)},
    "inception_v3": {"input_shape": (75, 75, 3)},
    "resnet18": {"input_shape": (64, 64, 3)},
    "resnet18:se": {"input_shape": (64, 64, 3), "attention": "se"},  # the SE/ECA/CBAM ResNets' blocks
    "resnet18:eca": {"input_shape": (64, 64, 3), "attention": "eca"},
    "resnet18:cbam": {"input_shape": (64, 64, 3), "attention": "cbam"},
    "resnext50_32x4d": {"input_shape": (64, 64, 3)},
    "resnet50_v2": {"input_shape": (64, 64, 3)},
    "wrn_40_4": {},
    "densenet121": {"input_shape": (64, 64, 3)},
    "squeezenet1_1": {"input_shape": (64, 64, 3)},
    "xception": {"input_shape": (71, 71, 3)},
    "mobilenet_v1": {"input_shape": (64, 64, 3)},
    "mobilenet_v2": {"input_shape": (64, 64, 3)},
    "mobilenet_v3_small": {"input_shape": (64, 64, 3)},  # h-swish
    "shufflenet_v1_g3": {"input_shape": (64, 64, 3)},  # grouped 1x1 convolutions, channel shuffle
    "shufflenet_v2_x0_5": {"input_shape": (64, 64, 3)},
    "efficientnet_b0": {"input_shape": (64, 64, 3)},
    "efficientnet_v2_b0": {"input_shape": (64, 64, 3)},  # the smallest EfficientNetV2: same blocks as S
    "effnet": {},
    "hardnet39ds": {"input_shape": (64, 64, 3)},
    "ghostnet_050": {"input_shape": (64, 64, 3)},  # Ghost modules
    "resnest50": {"input_shape": (64, 64, 3)},  # split attention
    "vit_ti_16": {"input_shape": (64, 64, 3)},  # ViT attention
    "convnext_tiny": {"input_shape": (64, 64, 3)},
}


def write_colour_folder(root, classes=("red", "green", "blue"), per_class: int = 12):
    """Class sub-folders of noisy PNG pictures whose dominant colour is the class, of varied sizes."""
    import tensorflow as tf

    rng = np.random.default_rng(0)
    for label, name in enumerate(classes):
        os.makedirs(os.path.join(root, name), exist_ok=True)
        for i in range(per_class):
            image = rng.integers(0, 120, (36 + i, 40, 3))
            image[..., label % 3] += 120
            tf.io.write_file(os.path.join(root, name, f"{i}.png"), tf.io.encode_png(image.astype("uint8")))
    return root
