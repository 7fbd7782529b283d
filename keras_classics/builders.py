"""Every zoo network's builder, with the `keras.applications` signature: `keras_classics.resnet50(...)`.

Generated from the registry by `python -m keras_classics.builders_source`: edit the family modules in
`keras_classics/models/`, not this file (a test fails when it is out of date).

Each builder takes the arguments of the `keras.applications` builder of its kind, in the same order:
`include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name` (`weights` is
None or a local file: `.weights.h5`, `.keras`, or a reference state dict; nothing is downloaded); then, by
keyword, `include_preprocessing` (raw [0, 255] RGB in, the reference's mean/std applied in the graph),
`kernel_init` (None: the reference implementation's scheme; "paper", "he", "glorot" or "torch": see
`keras_classics.models.initialization`) and the family's options, shown in each signature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import keras


def _build(name: str, arguments: dict) -> keras.Model:
    from keras_classics.models.builder import build_variant

    return build_variant(name, arguments)


__all__ = [
    "alexnet",
    "alexnet_2gpu",
    "alexnet_torchvision",
    "cbam_resnet50",
    "convnext_base",
    "convnext_large",
    "convnext_small",
    "convnext_tiny",
    "convnext_xlarge",
    "densenet121",
    "densenet161",
    "densenet169",
    "densenet201",
    "densenet264",
    "eca_resnet101",
    "eca_resnet50",
    "efficientnet_b0",
    "efficientnet_b1",
    "efficientnet_b2",
    "efficientnet_b3",
    "efficientnet_b4",
    "efficientnet_b5",
    "efficientnet_b6",
    "efficientnet_b7",
    "efficientnet_v2_b0",
    "efficientnet_v2_b1",
    "efficientnet_v2_b2",
    "efficientnet_v2_b3",
    "efficientnet_v2_l",
    "efficientnet_v2_m",
    "efficientnet_v2_s",
    "effnet",
    "ghostnet",
    "ghostnet_050",
    "ghostnet_130",
    "googlenet",
    "hardnet39ds",
    "hardnet68",
    "hardnet85",
    "inception_resnet_v1",
    "inception_resnet_v2",
    "inception_v2",
    "inception_v3",
    "inception_v4",
    "lenet5",
    "mobilenet_v1",
    "mobilenet_v2",
    "mobilenet_v3_large",
    "mobilenet_v3_small",
    "nasnet_large",
    "nasnet_mobile",
    "resnest101",
    "resnest50",
    "resnet101",
    "resnet101_v2",
    "resnet152",
    "resnet152_v2",
    "resnet18",
    "resnet34",
    "resnet50",
    "resnet50_v2",
    "resnext101_32x8d",
    "resnext50_32x4d",
    "se_resnet101",
    "se_resnet50",
    "se_resnext50_32x4d",
    "shufflenet_v1",
    "shufflenet_v1_g1",
    "shufflenet_v1_g2",
    "shufflenet_v1_g3",
    "shufflenet_v1_g4",
    "shufflenet_v1_g8",
    "shufflenet_v2_x0_5",
    "shufflenet_v2_x1_0",
    "shufflenet_v2_x1_5",
    "shufflenet_v2_x2_0",
    "squeezenet1_0",
    "squeezenet1_0_bypass",
    "squeezenet1_0_complex_bypass",
    "squeezenet1_1",
    "vgg11",
    "vgg11_bn",
    "vgg11_lrn",
    "vgg13",
    "vgg13_bn",
    "vgg16",
    "vgg16_bn",
    "vgg16_c",
    "vgg19",
    "vgg19_bn",
    "vit_b_16",
    "vit_b_32",
    "vit_l_16",
    "vit_s_16",
    "vit_ti_16",
    "wide_resnet101_2",
    "wide_resnet50_2",
    "wrn_16_8",
    "wrn_28_10",
    "wrn_40_4",
    "xception",
    "zfnet",
]


def alexnet(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="alexnet",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
) -> keras.Model:
    """AlexNet as one tower: the paper's layer sizes (Fig. 2) without the two-GPU split, with LRN.

    Reference: paper:Krizhevsky et al. 2012 Fig. 2 (one tower); 62,378,344 trainable parameters
    (shared/reference/architectures.csv (paper Fig. 2 as one tower, our count)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.alexnet(classes=10, classifier_activation=None)
    """
    return _build("alexnet", locals())


def alexnet_2gpu(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="alexnet_2gpu",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
    devices=None,
) -> keras.Model:
    """AlexNet as trained on two GPUs: conv2, conv4 and conv5 are grouped convolutions (groups=2) and each GPU's
    response normalization sees its own maps; `devices=[first, second]` puts each tower on its device.

    Reference: paper:Krizhevsky et al. 2012 Fig. 2 (two GPUs); 60,965,224 trainable parameters
    (shared/reference/architectures.csv (paper Fig. 2 with groups=2 on conv2/4/5, our count)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.alexnet_2gpu(classes=10, classifier_activation=None)
    """
    return _build("alexnet_2gpu", locals())


def alexnet_torchvision(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="alexnet_torchvision",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
) -> keras.Model:
    """torchvision's AlexNet (64-192-384-256-256 kernels, no LRN, adaptive 6x6 average pool): its weights import by
    name; any input side >= 63 works.

    Reference: torchvision:alexnet; 61,100,840 trainable parameters (shared/reference/architectures.csv (torchvision
    0.29.1 alexnet)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.alexnet_torchvision(classes=10, classifier_activation=None)
    """
    return _build("alexnet_torchvision", locals())


def cbam_resnet50(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="cbam_resnet50",
    *,
    include_preprocessing=False,
    kernel_init=None,
    attention="cbam",
    drop_path_rate=0.0,
    zero_init_residual=False,
) -> keras.Model:
    """ResNet-50 with CBAM on every block's residual branch (Woo et al. 2018).

    Reference: paper:Woo et al. 2018 Table 4; 28,089,624 trainable parameters (ours: torchvision resnet50 +
    CBAM(reduction 16, 7x7 spatial conv + BN) per block; paper Table 4: 28.09M).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.cbam_resnet50(classes=10, classifier_activation=None)
    """
    return _build("cbam_resnet50", locals())


def convnext_base(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="convnext_base",
    *,
    include_preprocessing=False,
    kernel_init=None,
    drop_path_rate=0.5,
) -> keras.Model:
    """ConvNeXt-Base (Liu et al. 2022): channels (128, 256, 512, 1024), blocks (3, 3, 27, 3); 7x7 depthwise conv,
    LayerNorm, 4x inverted bottleneck with GELU, layer scale. `drop_path_rate` is the stochastic depth rate of the
    last block (linearly less for earlier ones).

    Reference: torchvision:convnext_base; 88,591,464 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.convnext_base(classes=10, classifier_activation=None)
    """
    return _build("convnext_base", locals())


def convnext_large(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="convnext_large",
    *,
    include_preprocessing=False,
    kernel_init=None,
    drop_path_rate=0.5,
) -> keras.Model:
    """ConvNeXt-Large (Liu et al. 2022): channels (192, 384, 768, 1536), blocks (3, 3, 27, 3); 7x7 depthwise conv,
    LayerNorm, 4x inverted bottleneck with GELU, layer scale. `drop_path_rate` is the stochastic depth rate of the
    last block (linearly less for earlier ones).

    Reference: torchvision:convnext_large; 197,767,336 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.convnext_large(classes=10, classifier_activation=None)  # doctest: +SKIP
    """
    return _build("convnext_large", locals())


def convnext_small(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="convnext_small",
    *,
    include_preprocessing=False,
    kernel_init=None,
    drop_path_rate=0.4,
) -> keras.Model:
    """ConvNeXt-Small (Liu et al. 2022): channels (96, 192, 384, 768), blocks (3, 3, 27, 3); 7x7 depthwise conv,
    LayerNorm, 4x inverted bottleneck with GELU, layer scale. `drop_path_rate` is the stochastic depth rate of the
    last block (linearly less for earlier ones).

    Reference: torchvision:convnext_small; 50,223,688 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.convnext_small(classes=10, classifier_activation=None)
    """
    return _build("convnext_small", locals())


def convnext_tiny(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="convnext_tiny",
    *,
    include_preprocessing=False,
    kernel_init=None,
    drop_path_rate=0.1,
) -> keras.Model:
    """ConvNeXt-Tiny (Liu et al. 2022): channels (96, 192, 384, 768), blocks (3, 3, 9, 3); 7x7 depthwise conv,
    LayerNorm, 4x inverted bottleneck with GELU, layer scale. `drop_path_rate` is the stochastic depth rate of the
    last block (linearly less for earlier ones).

    Reference: torchvision:convnext_tiny; 28,589,128 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.convnext_tiny(classes=10, classifier_activation=None)
    """
    return _build("convnext_tiny", locals())


def convnext_xlarge(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="convnext_xlarge",
    *,
    include_preprocessing=False,
    kernel_init=None,
    drop_path_rate=0.0,
) -> keras.Model:
    """ConvNeXt-XL (Liu et al. 2022): channels (256, 512, 1024, 2048), blocks (3, 3, 27, 3); 7x7 depthwise conv,
    LayerNorm, 4x inverted bottleneck with GELU, layer scale. `drop_path_rate` is the stochastic depth rate of the
    last block (linearly less for earlier ones).

    Reference: timm:convnext_xlarge; 350,196,968 trainable parameters (timm 1.0.31 convnext_xlarge parameters() =
    keras.applications ConvNeXtXLarge trainable weights).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.convnext_xlarge(classes=10, classifier_activation=None)  # doctest: +SKIP
    """
    return _build("convnext_xlarge", locals())


def densenet121(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet121",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.0,
) -> keras.Model:
    """DenseNet-BC-121 (Huang et al. 2017, Table 1): growth rate 32, 64 stem filters, dense blocks of 6-12-24-16
    bottleneck layers, compression 0.5. `dropout_rate` drops each dense layer's new maps while training
    (torchvision's `drop_rate`).

    Reference: torchvision:densenet121; 7,978,856 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.densenet121(classes=10, classifier_activation=None)
    """
    return _build("densenet121", locals())


def densenet161(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet161",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.0,
) -> keras.Model:
    """DenseNet-BC-161 (Huang et al. 2017, Table 1): growth rate 48, 96 stem filters, dense blocks of 6-12-36-24
    bottleneck layers, compression 0.5. `dropout_rate` drops each dense layer's new maps while training
    (torchvision's `drop_rate`).

    Reference: torchvision:densenet161; 28,681,000 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.densenet161(classes=10, classifier_activation=None)
    """
    return _build("densenet161", locals())


def densenet169(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet169",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.0,
) -> keras.Model:
    """DenseNet-BC-169 (Huang et al. 2017, Table 1): growth rate 32, 64 stem filters, dense blocks of 6-12-32-32
    bottleneck layers, compression 0.5. `dropout_rate` drops each dense layer's new maps while training
    (torchvision's `drop_rate`).

    Reference: torchvision:densenet169; 14,149,480 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.densenet169(classes=10, classifier_activation=None)
    """
    return _build("densenet169", locals())


def densenet201(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet201",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.0,
) -> keras.Model:
    """DenseNet-BC-201 (Huang et al. 2017, Table 1): growth rate 32, 64 stem filters, dense blocks of 6-12-48-32
    bottleneck layers, compression 0.5. `dropout_rate` drops each dense layer's new maps while training
    (torchvision's `drop_rate`).

    Reference: torchvision:densenet201; 20,013,928 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.densenet201(classes=10, classifier_activation=None)
    """
    return _build("densenet201", locals())


def densenet264(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet264",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.0,
) -> keras.Model:
    """DenseNet-BC-264 (Huang et al. 2017, Table 1): growth rate 32, 64 stem filters, dense blocks of 6-12-64-48
    bottleneck layers, compression 0.5. `dropout_rate` drops each dense layer's new maps while training
    (torchvision's `drop_rate`).

    Reference: paper:Table 1 (DenseNet-264); 33,337,704 trainable parameters (shared/reference/architectures.csv
    (torchvision DenseNet(growth_rate=32, block_config=(6, 12, 64, 48), num_init_features=64))).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.densenet264(classes=10, classifier_activation=None)
    """
    return _build("densenet264", locals())


def eca_resnet101(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="eca_resnet101",
    *,
    include_preprocessing=False,
    kernel_init=None,
    attention="eca",
    drop_path_rate=0.0,
    zero_init_residual=False,
) -> keras.Model:
    """ECA-ResNet-101: torchvision ResNet-101 with ECA (adaptive k, no bias) on every block (Wang et al. 2020).

    Reference: paper:Wang et al. 2020 ECA-Net101 (adaptive k); 44,549,331 trainable parameters (ours: torchvision
    resnet101 44,549,160 + 3*5 + 4*5 + 23*5 + 3*7 = 171 ECA weights).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.eca_resnet101(classes=10, classifier_activation=None)
    """
    return _build("eca_resnet101", locals())


def eca_resnet50(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="eca_resnet50",
    *,
    include_preprocessing=False,
    kernel_init=None,
    attention="eca",
    drop_path_rate=0.0,
    zero_init_residual=False,
) -> keras.Model:
    """ECA-ResNet-50: torchvision ResNet-50 with ECA (adaptive k, no bias) on every block (Wang et al. 2020).

    Reference: paper:Wang et al. 2020 ECA-Net50 (adaptive k); 25,557,118 trainable parameters
    (shared/reference/architectures.csv (torchvision resnet50 + 3*5 + 4*5 + 6*5 + 3*7 = 86 ECA weights)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.eca_resnet50(classes=10, classifier_activation=None)
    """
    return _build("eca_resnet50", locals())


def efficientnet_b0(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnet_b0",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.2,
    drop_path_rate=0.2,
) -> keras.Model:
    """EfficientNet-B0 (Tan & Le 2019): the B0 network of Table 1 scaled by width 1.0, depth 1.0, resolution 224;
    MBConv blocks with squeeze-and-excitation and swish. `dropout_rate` is the dropout before the classifier,
    `drop_path_rate` the stochastic depth rate of the last block (linearly less for earlier ones).

    Reference: torchvision:efficientnet_b0; 5,288,548 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.efficientnet_b0(classes=10, classifier_activation=None)
    """
    return _build("efficientnet_b0", locals())


def efficientnet_b1(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnet_b1",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.2,
    drop_path_rate=0.2,
) -> keras.Model:
    """EfficientNet-B1 (Tan & Le 2019): the B0 network of Table 1 scaled by width 1.0, depth 1.1, resolution 240;
    MBConv blocks with squeeze-and-excitation and swish. `dropout_rate` is the dropout before the classifier,
    `drop_path_rate` the stochastic depth rate of the last block (linearly less for earlier ones).

    Reference: torchvision:efficientnet_b1; 7,794,184 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.efficientnet_b1(classes=10, classifier_activation=None)
    """
    return _build("efficientnet_b1", locals())


def efficientnet_b2(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnet_b2",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.3,
    drop_path_rate=0.2,
) -> keras.Model:
    """EfficientNet-B2 (Tan & Le 2019): the B0 network of Table 1 scaled by width 1.1, depth 1.2, resolution 260;
    MBConv blocks with squeeze-and-excitation and swish. `dropout_rate` is the dropout before the classifier,
    `drop_path_rate` the stochastic depth rate of the last block (linearly less for earlier ones).

    Reference: torchvision:efficientnet_b2; 9,109,994 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.efficientnet_b2(classes=10, classifier_activation=None)
    """
    return _build("efficientnet_b2", locals())


def efficientnet_b3(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnet_b3",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.3,
    drop_path_rate=0.2,
) -> keras.Model:
    """EfficientNet-B3 (Tan & Le 2019): the B0 network of Table 1 scaled by width 1.2, depth 1.4, resolution 300;
    MBConv blocks with squeeze-and-excitation and swish. `dropout_rate` is the dropout before the classifier,
    `drop_path_rate` the stochastic depth rate of the last block (linearly less for earlier ones).

    Reference: torchvision:efficientnet_b3; 12,233,232 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.efficientnet_b3(classes=10, classifier_activation=None)
    """
    return _build("efficientnet_b3", locals())


def efficientnet_b4(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnet_b4",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.4,
    drop_path_rate=0.2,
) -> keras.Model:
    """EfficientNet-B4 (Tan & Le 2019): the B0 network of Table 1 scaled by width 1.4, depth 1.8, resolution 380;
    MBConv blocks with squeeze-and-excitation and swish. `dropout_rate` is the dropout before the classifier,
    `drop_path_rate` the stochastic depth rate of the last block (linearly less for earlier ones).

    Reference: torchvision:efficientnet_b4; 19,341,616 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.efficientnet_b4(classes=10, classifier_activation=None)
    """
    return _build("efficientnet_b4", locals())


def efficientnet_b5(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnet_b5",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.4,
    drop_path_rate=0.2,
) -> keras.Model:
    """EfficientNet-B5 (Tan & Le 2019): the B0 network of Table 1 scaled by width 1.6, depth 2.2, resolution 456;
    MBConv blocks with squeeze-and-excitation and swish. `dropout_rate` is the dropout before the classifier,
    `drop_path_rate` the stochastic depth rate of the last block (linearly less for earlier ones).

    Reference: torchvision:efficientnet_b5; 30,389,784 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.efficientnet_b5(classes=10, classifier_activation=None)
    """
    return _build("efficientnet_b5", locals())


def efficientnet_b6(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnet_b6",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
    drop_path_rate=0.2,
) -> keras.Model:
    """EfficientNet-B6 (Tan & Le 2019): the B0 network of Table 1 scaled by width 1.8, depth 2.6, resolution 528;
    MBConv blocks with squeeze-and-excitation and swish. `dropout_rate` is the dropout before the classifier,
    `drop_path_rate` the stochastic depth rate of the last block (linearly less for earlier ones).

    Reference: torchvision:efficientnet_b6; 43,040,704 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.efficientnet_b6(classes=10, classifier_activation=None)
    """
    return _build("efficientnet_b6", locals())


def efficientnet_b7(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnet_b7",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
    drop_path_rate=0.2,
) -> keras.Model:
    """EfficientNet-B7 (Tan & Le 2019): the B0 network of Table 1 scaled by width 2.0, depth 3.1, resolution 600;
    MBConv blocks with squeeze-and-excitation and swish. `dropout_rate` is the dropout before the classifier,
    `drop_path_rate` the stochastic depth rate of the last block (linearly less for earlier ones).

    Reference: torchvision:efficientnet_b7; 66,347,960 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.efficientnet_b7(classes=10, classifier_activation=None)
    """
    return _build("efficientnet_b7", locals())


def efficientnet_v2_b0(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnet_v2_b0",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.2,
    drop_path_rate=0.2,
) -> keras.Model:
    """EfficientNetV2-B0 (Tan & Le 2021, the authors' smaller configurations): Fused-MBConv early stages, MBConv with
    squeeze-and-excitation later, SiLU, a 1x1 head conv to 1280 channels; TensorFlow "same" padding as timm's
    `tf_efficientnetv2_b0`. `dropout_rate` is the dropout before the classifier, `drop_path_rate` the stochastic
    depth rate of the last block (linearly less for earlier ones).

    Reference: timm:tf_efficientnetv2_b0; 7,139,704 trainable parameters (shared/reference/architectures.csv (timm
    1.0.31 tf_efficientnetv2_b0)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.efficientnet_v2_b0(classes=10, classifier_activation=None)
    """
    return _build("efficientnet_v2_b0", locals())


def efficientnet_v2_b1(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnet_v2_b1",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.2,
    drop_path_rate=0.2,
) -> keras.Model:
    """EfficientNetV2-B1 (Tan & Le 2021, the authors' smaller configurations): Fused-MBConv early stages, MBConv with
    squeeze-and-excitation later, SiLU, a 1x1 head conv to 1280 channels; TensorFlow "same" padding as timm's
    `tf_efficientnetv2_b1`. `dropout_rate` is the dropout before the classifier, `drop_path_rate` the stochastic
    depth rate of the last block (linearly less for earlier ones).

    Reference: timm:tf_efficientnetv2_b1; 8,141,052 trainable parameters (shared/reference/architectures.csv (timm
    1.0.31 tf_efficientnetv2_b1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.efficientnet_v2_b1(classes=10, classifier_activation=None)
    """
    return _build("efficientnet_v2_b1", locals())


def efficientnet_v2_b2(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnet_v2_b2",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.3,
    drop_path_rate=0.2,
) -> keras.Model:
    """EfficientNetV2-B2 (Tan & Le 2021, the authors' smaller configurations): Fused-MBConv early stages, MBConv with
    squeeze-and-excitation later, SiLU, a 1x1 head conv to 1408 channels; TensorFlow "same" padding as timm's
    `tf_efficientnetv2_b2`. `dropout_rate` is the dropout before the classifier, `drop_path_rate` the stochastic
    depth rate of the last block (linearly less for earlier ones).

    Reference: timm:tf_efficientnetv2_b2; 10,096,086 trainable parameters (shared/reference/architectures.csv (timm
    1.0.31 tf_efficientnetv2_b2)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.efficientnet_v2_b2(classes=10, classifier_activation=None)
    """
    return _build("efficientnet_v2_b2", locals())


def efficientnet_v2_b3(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnet_v2_b3",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.3,
    drop_path_rate=0.2,
) -> keras.Model:
    """EfficientNetV2-B3 (Tan & Le 2021, the authors' smaller configurations): Fused-MBConv early stages, MBConv with
    squeeze-and-excitation later, SiLU, a 1x1 head conv to 1536 channels; TensorFlow "same" padding as timm's
    `tf_efficientnetv2_b3`. `dropout_rate` is the dropout before the classifier, `drop_path_rate` the stochastic
    depth rate of the last block (linearly less for earlier ones).

    Reference: timm:tf_efficientnetv2_b3; 14,358,406 trainable parameters (shared/reference/architectures.csv (timm
    1.0.31 tf_efficientnetv2_b3)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.efficientnet_v2_b3(classes=10, classifier_activation=None)
    """
    return _build("efficientnet_v2_b3", locals())


def efficientnet_v2_l(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnet_v2_l",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.4,
    drop_path_rate=0.2,
) -> keras.Model:
    """EfficientNetV2-L (Tan & Le 2021): Fused-MBConv early stages, MBConv with squeeze-and-excitation later, SiLU, a
    1x1 head conv to 1280 channels. `dropout_rate` is the dropout before the classifier, `drop_path_rate` the
    stochastic depth rate of the last block (linearly less for earlier ones).

    Reference: torchvision:efficientnet_v2_l; 118,515,272 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.efficientnet_v2_l(classes=10, classifier_activation=None)  # doctest: +SKIP
    """
    return _build("efficientnet_v2_l", locals())


def efficientnet_v2_m(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnet_v2_m",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.3,
    drop_path_rate=0.2,
) -> keras.Model:
    """EfficientNetV2-M (Tan & Le 2021): Fused-MBConv early stages, MBConv with squeeze-and-excitation later, SiLU, a
    1x1 head conv to 1280 channels. `dropout_rate` is the dropout before the classifier, `drop_path_rate` the
    stochastic depth rate of the last block (linearly less for earlier ones).

    Reference: torchvision:efficientnet_v2_m; 54,139,356 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.efficientnet_v2_m(classes=10, classifier_activation=None)
    """
    return _build("efficientnet_v2_m", locals())


def efficientnet_v2_s(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnet_v2_s",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.2,
    drop_path_rate=0.2,
) -> keras.Model:
    """EfficientNetV2-S (Tan & Le 2021): Fused-MBConv early stages, MBConv with squeeze-and-excitation later, SiLU, a
    1x1 head conv to 1280 channels. `dropout_rate` is the dropout before the classifier, `drop_path_rate` the
    stochastic depth rate of the last block (linearly less for earlier ones).

    Reference: torchvision:efficientnet_v2_s; 21,458,488 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.efficientnet_v2_s(classes=10, classifier_activation=None)
    """
    return _build("efficientnet_v2_s", locals())


def effnet(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=10,
    classifier_activation="softmax",
    name="effnet",
    *,
    include_preprocessing=False,
    kernel_init=None,
) -> keras.Model:
    """EffNet (Freeman et al. 2018), the CIFAR-10 network of Table 1: three EffNet blocks (spatially separable 1x3 /
    3x1 depthwise convs with 1x2 pooling between, bottleneck factor 2, a strided 2x1 conv, LeakyReLU and BatchNorm),
    then a fully connected classifier.

    Reference: paper:Freeman et al. 2018 Table 1 and Fig. 2; 151,146 trainable parameters (our count of the paper's
    Table 1 CIFAR-10 EffNet: blocks (in, bottleneck, out) = (3, 32, 64), (64, 64, 128), (128, 128, 256), each in*b +
    3b + 3b + 2*b*out conv weights + 2*(3b + out) BN, = 4,704 + 21,504 + 83,968; then FC 4*4*256*10 + 10 = 40,970).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.effnet(classes=10, classifier_activation=None)
    """
    return _build("effnet", locals())


def ghostnet(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="ghostnet",
    *,
    include_preprocessing=False,
    kernel_init=None,
    width=1.0,
    dropout_rate=0.2,
) -> keras.Model:
    """GhostNet 1.0x (Han et al. 2020, Table 1): Ghost bottlenecks with squeeze-and-excitation. `dropout_rate` is the
    dropout before the classifier; `width` (0.5, 1.0 or 1.3) scales every layer's channels.

    Reference: timm:ghostnet_100; 5,182,508 trainable parameters (shared/reference/architectures.csv (timm 1.0.31
    ghostnet_100)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.ghostnet(classes=10, classifier_activation=None)
    """
    return _build("ghostnet", locals())


def ghostnet_050(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="ghostnet_050",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.2,
) -> keras.Model:
    """GhostNet 0.5x (Han et al. 2020, Table 1): Ghost bottlenecks with squeeze-and-excitation. `dropout_rate` is the
    dropout before the classifier.

    Reference: timm:ghostnet_050; 2,587,292 trainable parameters (shared/reference/architectures.csv notes (timm
    1.0.31 ghostnet_050)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.ghostnet_050(classes=10, classifier_activation=None)
    """
    return _build("ghostnet_050", locals())


def ghostnet_130(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="ghostnet_130",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.2,
) -> keras.Model:
    """GhostNet 1.3x (Han et al. 2020, Table 1): Ghost bottlenecks with squeeze-and-excitation. `dropout_rate` is the
    dropout before the classifier.

    Reference: timm:ghostnet_130; 7,358,820 trainable parameters (shared/reference/architectures.csv notes (timm
    1.0.31 ghostnet_130)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.ghostnet_130(classes=10, classifier_activation=None)
    """
    return _build("ghostnet_130", locals())


def googlenet(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="googlenet",
    *,
    include_preprocessing=False,
    kernel_init=None,
    aux_logits=False,
    dropout_rate=0.2,
    aux_dropout_rate=0.7,
) -> keras.Model:
    """GoogLeNet (Inception-v1) as torchvision 0.29.1: Table 1 of the paper with BatchNorm (eps 1e-3) after every conv
    and 3x3 convs in the '5x5' branches. `aux_logits=True` adds the two auxiliary classifiers on inception4a and
    inception4d as extra outputs `[logits, aux1, aux2]` (needs a fixed input size); compile with `loss=[loss] * 3,
    loss_weights=aux_loss_weights(model)` = [1.0, 0.3, 0.3].

    Reference: torchvision:googlenet; 6,624,904 trainable parameters (shared/reference/architectures.csv
    (torchvision googlenet, aux_logits=False; 13,004,888 with aux)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.googlenet(classes=10, classifier_activation=None)
    """
    return _build("googlenet", locals())


def hardnet39ds(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="hardnet39ds",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.05,
) -> keras.Model:
    """HarDNet-39DS (Chao et al. 2019, Table 1): harmonic dense blocks with m = 1.6, depthwise-separable layers and
    stride-2 depthwise downsampling. `dropout_rate` is the dropout before the classifier.

    Reference: paper:Chao et al. 2019 Table 1 (layer names as the authors' PingoLH/Pytorch-HarDNet); 3,488,228
    trainable parameters (our count of the paper's Table 1 architecture as built by the authors' code (conv kernels
    + BN gamma/beta + classifier; paper: 3.5M)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.hardnet39ds(classes=10, classifier_activation=None)
    """
    return _build("hardnet39ds", locals())


def hardnet68(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="hardnet68",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.1,
) -> keras.Model:
    """HarDNet-68 (Chao et al. 2019, Table 1): harmonic dense blocks with m = 1.7. `dropout_rate` is the dropout before
    the classifier.

    Reference: paper:Chao et al. 2019 Table 1 (layer names as the authors' PingoLH/Pytorch-HarDNet); 17,565,348
    trainable parameters (our count of the paper's Table 1 architecture as built by the authors' code (conv kernels
    + BN gamma/beta + classifier; paper: 17.6M)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.hardnet68(classes=10, classifier_activation=None)
    """
    return _build("hardnet68", locals())


def hardnet85(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="hardnet85",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.2,
) -> keras.Model:
    """HarDNet-85 (Chao et al. 2019, Table 1): harmonic dense blocks with m = 1.7. `dropout_rate` is the dropout before
    the classifier.

    Reference: paper:Chao et al. 2019 Table 1 (layer names as the authors' PingoLH/Pytorch-HarDNet); 36,670,212
    trainable parameters (our count of the paper's Table 1 architecture as built by the authors' code (conv kernels
    + BN gamma/beta + classifier; paper: 36.7M)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.hardnet85(classes=10, classifier_activation=None)
    """
    return _build("hardnet85", locals())


def inception_resnet_v1(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="inception_resnet_v1",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.2,
    scale=(0.17, 0.1, 0.2),
) -> keras.Model:
    """Inception-ResNet-v1 per the paper's figures: stem of Fig. 14, 5 x Inception-ResNet-A (Fig. 10), Reduction-A
    (Fig. 7, k=192 l=192 m=256 n=384), 10 x Inception-ResNet-B (Fig. 11), Reduction-B (Fig. 12), 5 x Inception-
    ResNet-C (Fig. 13), average pool, dropout 0.2 (keep 0.8), classifier. BN (eps 1e-3) on the conv layers only, not
    on the summations. Names follow timm's inception_resnet_v2. `scale` multiplies the residual of the A, B and C
    blocks (Sec. 3.3, 0.1-0.3; a float applies to all three; default (0.17, 0.1, 0.2) as timm/TF-slim).

    Reference: paper:Szegedy et al. 2017 Figs. 7, 10-15 and Table 1; 22,756,328 trainable parameters (our count of
    Figs. 7, 10-15 and Table 1 (no reference pins one): bias-free convs + BN gamma/beta, biased 1x1 residual
    projections, classifier 1792 x 1000 + 1000).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.inception_resnet_v1(classes=10, classifier_activation=None)
    """
    return _build("inception_resnet_v1", locals())


def inception_resnet_v2(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="inception_resnet_v2",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.2,
    scale=(0.17, 0.1, 0.2),
) -> keras.Model:
    """Inception-ResNet-v2 as timm 1.0.31 / TF-slim: v3-style stem and mixed_5b, 10 x Block35 (Fig. 16), Reduction-A
    (k=256 l=256 m=384 n=384), 20 x Block17 (Fig. 17), Reduction-B (Fig. 18), 9 x Block8 (Fig. 19) and a final
    unscaled Block8 without ReLU, 1x1 conv to 1536, dropout 0.2 (keep 0.8; timm's default is 0), classifier
    `classif`. `scale` multiplies the residual of the A, B and C blocks (Sec. 3.3, 0.1-0.3; a float applies to all
    three; default (0.17, 0.1, 0.2) as timm/TF-slim).

    Reference: timm:inception_resnet_v2; 55,843,464 trainable parameters (shared/reference/architectures.csv (timm
    1.0.31 inception_resnet_v2)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.inception_resnet_v2(classes=10, classifier_activation=None)
    """
    return _build("inception_resnet_v2", locals())


def inception_v2(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="inception_v2",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.0,
) -> keras.Model:
    """BN-Inception (Inception-v2), Ioffe & Szegedy 2015 Appendix Fig. 5: GoogLeNet's stem, BatchNorm (eps 1e-3) after
    every conv, each 5x5 as two 3x3, modules 3c and 4e reduce the grid with stride 2 and a pass-through max pool. No
    dropout (Sec. 4.2.1 removes it).

    Reference: paper:Ioffe & Szegedy 2015 Appendix Fig. 5; 11,285,224 trainable parameters (our count of Fig. 5 (no
    reference pins one): bias-free convs + BN gamma/beta, fc 1024 x 1000 + 1000; no auxiliary classifiers).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.inception_v2(classes=10, classifier_activation=None)
    """
    return _build("inception_v2", locals())


def inception_v3(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="inception_v3",
    *,
    include_preprocessing=False,
    kernel_init=None,
    aux_logits=False,
    dropout_rate=0.5,
) -> keras.Model:
    """Inception-v3 as torchvision 0.29.1 (Table 1; Figs. 5, 6, 7 and 10 of the paper; BN eps 1e-3). `aux_logits=True`
    adds the auxiliary classifier on Mixed_6e as a second output (inputs >= 299). Label smoothing (Sec. 7) is a loss
    option.

    Reference: torchvision:inception_v3; 23,834,568 trainable parameters (shared/reference/architectures.csv
    (torchvision inception_v3, aux_logits=False; 27,161,264 with aux)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.inception_v3(classes=10, classifier_activation=None)
    """
    return _build("inception_v3", locals())


def inception_v4(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="inception_v4",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.2,
) -> keras.Model:
    """Inception-v4 as timm 1.0.31 (Fig. 9: stem of Fig. 3, 4 x Inception-A, Reduction-A, 7 x Inception-B, Reduction-B,
    3 x Inception-C; BN eps 1e-3). Dropout 0.2 before the classifier (Fig. 9, keep 0.8; timm's default is 0).

    Reference: timm:inception_v4; 42,679,816 trainable parameters (shared/reference/architectures.csv (timm 1.0.31
    inception_v4)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.inception_v4(classes=10, classifier_activation=None)
    """
    return _build("inception_v4", locals())


def lenet5(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=10,
    classifier_activation="softmax",
    name="lenet5",
    *,
    include_preprocessing=False,
    kernel_init=None,
) -> keras.Model:
    """LeNet-5, the convolutional network of LeCun et al. 1998 (modern form: full C3, tanh, average pooling).

    Reference: paper:LeCun et al. 1998 Fig. 2; 61,706 trainable parameters (shared/reference/architectures.csv (6*26
    + 16*151 + 120*401 + 84*121 + 10*85)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.lenet5(classes=10, classifier_activation=None)
    """
    return _build("lenet5", locals())


def mobilenet_v1(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="mobilenet_v1",
    *,
    include_preprocessing=False,
    kernel_init=None,
    alpha=1.0,
    depth_multiplier=1,
    dropout_rate=0.0,
) -> keras.Model:
    """MobileNet V1 (Howard et al. 2017, Table 1): 13 depthwise-separable blocks, BN + ReLU6 after every conv. `alpha`
    is the width multiplier (the paper's 0.25, 0.5, 0.75, 1.0, or any positive number); the resolution multiplier is
    the input size (128, 160, 192 or 224). `depth_multiplier` gives each depthwise conv that many filters per input
    channel (keras.applications' option; 1 in the paper); `dropout_rate` before the classifier (timm: 0).

    Reference: timm:mobilenetv1_100; 4,231,976 trainable parameters (shared/reference/architectures.csv (timm 1.0.31
    mobilenetv1_100)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.mobilenet_v1(classes=10, classifier_activation=None)
    """
    return _build("mobilenet_v1", locals())


def mobilenet_v2(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="mobilenet_v2",
    *,
    include_preprocessing=False,
    kernel_init=None,
    alpha=1.0,
    dropout_rate=0.2,
) -> keras.Model:
    """MobileNet V2 (Sandler et al. 2018, Table 2): inverted residual blocks with linear bottlenecks and ReLU6. `alpha`
    is the width multiplier (the paper's 0.35 to 1.4, or any positive number; channels rounded to multiples of 8;
    the last layer keeps at least 1280 channels); `dropout_rate` before the classifier.

    Reference: torchvision:mobilenet_v2; 3,504,872 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1 mobilenet_v2)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.mobilenet_v2(classes=10, classifier_activation=None)
    """
    return _build("mobilenet_v2", locals())


def mobilenet_v3_large(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="mobilenet_v3_large",
    *,
    include_preprocessing=False,
    kernel_init=None,
    alpha=1.0,
    minimalistic=False,
    dropout_rate=0.2,
) -> keras.Model:
    """MobileNet V3-Large (Howard et al. 2019, Table 1): inverted residuals with squeeze-and-excitation (hard-sigmoid
    gate) and hard-swish in the later blocks. `alpha` is the width multiplier (the paper's 0.35 to 1.25, or any
    positive number); `minimalistic=True` is the paper's minimalistic model (3x3 kernels, no SE, ReLU);
    `dropout_rate` before the last dense layer.

    Reference: torchvision:mobilenet_v3_large; 5,483,032 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1 mobilenet_v3_large)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.mobilenet_v3_large(classes=10, classifier_activation=None)
    """
    return _build("mobilenet_v3_large", locals())


def mobilenet_v3_small(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="mobilenet_v3_small",
    *,
    include_preprocessing=False,
    kernel_init=None,
    alpha=1.0,
    minimalistic=False,
    dropout_rate=0.2,
) -> keras.Model:
    """MobileNet V3-Small (Howard et al. 2019, Table 2): inverted residuals with squeeze-and-excitation (hard-sigmoid
    gate) and hard-swish in the later blocks. `alpha` is the width multiplier (the paper's 0.35 to 1.25, or any
    positive number); `minimalistic=True` is the paper's minimalistic model (3x3 kernels, no SE, ReLU);
    `dropout_rate` before the last dense layer.

    Reference: torchvision:mobilenet_v3_small; 2,542,856 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1 mobilenet_v3_small)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.mobilenet_v3_small(classes=10, classifier_activation=None)
    """
    return _build("mobilenet_v3_small", locals())


def nasnet_large(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="nasnet_large",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.0,
) -> keras.Model:
    """NASNet-A 6 @ 4032 (Zoph et al. 2018): a 3x3/2 stem, two reduction cells, then three stages of 6 normal cells
    with reduction cells between them, at 331x331. `dropout_rate` is the dropout before the classifier (timm's
    `drop_rate`; the paper trains with 0.5).

    Reference: timm:nasnetalarge; 88,753,150 trainable parameters (shared/reference/architectures.csv (timm 1.0.31
    nasnetalarge)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.nasnet_large(classes=10, classifier_activation=None)
    """
    return _build("nasnet_large", locals())


def nasnet_mobile(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="nasnet_mobile",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.0,
) -> keras.Model:
    """NASNet-A 4 @ 1056 (Zoph et al. 2018): a 3x3/2 stem, two reduction cells, then three stages of 4 normal cells
    with reduction cells between them, at 224x224. `dropout_rate` is the dropout before the classifier (timm's
    `drop_rate`; the paper trains with 0.5).

    Reference: keras.applications:NASNetMobile; 5,289,978 trainable parameters (shared/reference/architectures.csv
    (keras.applications NASNetMobile trainable; paper Table 3: 5.3M)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.nasnet_mobile(classes=10, classifier_activation=None)
    """
    return _build("nasnet_mobile", locals())


def resnest101(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnest101",
    *,
    include_preprocessing=False,
    kernel_init=None,
    drop_path_rate=0.0,
) -> keras.Model:
    """ResNeSt-101 (2s1x64d): ResNet-101-D (stem width 64) with radix-2 split attention, at 256x256.

    Reference: timm:resnest101e; 48,275,016 trainable parameters (shared/reference/architectures.csv (timm 1.0.31
    parameters())).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.resnest101(classes=10, classifier_activation=None)
    """
    return _build("resnest101", locals())


def resnest50(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnest50",
    *,
    include_preprocessing=False,
    kernel_init=None,
    drop_path_rate=0.0,
) -> keras.Model:
    """ResNeSt-50 (2s1x64d): ResNet-50-D with radix-2 split-attention bottlenecks, at 224x224.

    Reference: timm:resnest50d; 27,483,240 trainable parameters (shared/reference/architectures.csv (timm 1.0.31
    parameters())).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.resnest50(classes=10, classifier_activation=None)
    """
    return _build("resnest50", locals())


def resnet101(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet101",
    *,
    include_preprocessing=False,
    kernel_init=None,
    attention=None,
    drop_path_rate=0.0,
    zero_init_residual=False,
) -> keras.Model:
    """ResNet-101 v1.5 (He et al. 2016 Table 1).

    Reference: torchvision:resnet101; 44,549,160 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.resnet101(classes=10, classifier_activation=None)
    """
    return _build("resnet101", locals())


def resnet101_v2(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet101_v2",
    *,
    include_preprocessing=False,
    kernel_init=None,
    drop_path_rate=0.0,
) -> keras.Model:
    """ResNet-101 v2 (He et al. 2016, Identity Mappings): full pre-activation bottlenecks, (3, 4, 23, 3) blocks per
    stage, a final BN-ReLU. `drop_path_rate` is the stochastic depth rate of the last block (linearly less for
    earlier ones; timm's default 0).

    Reference: timm:resnetv2_101; 44,541,480 trainable parameters (shared/reference/architectures.csv (timm)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.resnet101_v2(classes=10, classifier_activation=None)
    """
    return _build("resnet101_v2", locals())


def resnet152(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet152",
    *,
    include_preprocessing=False,
    kernel_init=None,
    attention=None,
    drop_path_rate=0.0,
    zero_init_residual=False,
) -> keras.Model:
    """ResNet-152 v1.5 (He et al. 2016 Table 1).

    Reference: torchvision:resnet152; 60,192,808 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.resnet152(classes=10, classifier_activation=None)
    """
    return _build("resnet152", locals())


def resnet152_v2(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet152_v2",
    *,
    include_preprocessing=False,
    kernel_init=None,
    drop_path_rate=0.0,
) -> keras.Model:
    """ResNet-152 v2 (He et al. 2016, Identity Mappings): full pre-activation bottlenecks, (3, 8, 36, 3) blocks per
    stage, a final BN-ReLU. `drop_path_rate` is the stochastic depth rate of the last block (linearly less for
    earlier ones; timm's default 0).

    Reference: timm:resnetv2_152; 60,185,128 trainable parameters (shared/reference/architectures.csv (timm)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.resnet152_v2(classes=10, classifier_activation=None)
    """
    return _build("resnet152_v2", locals())


def resnet18(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet18",
    *,
    include_preprocessing=False,
    kernel_init=None,
    attention=None,
    drop_path_rate=0.0,
    zero_init_residual=False,
) -> keras.Model:
    """ResNet-18 (basic blocks, He et al. 2016 Table 1).

    Reference: torchvision:resnet18; 11,689,512 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.resnet18(classes=10, classifier_activation=None)
    """
    return _build("resnet18", locals())


def resnet34(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet34",
    *,
    include_preprocessing=False,
    kernel_init=None,
    attention=None,
    drop_path_rate=0.0,
    zero_init_residual=False,
) -> keras.Model:
    """ResNet-34 (basic blocks, He et al. 2016 Table 1).

    Reference: torchvision:resnet34; 21,797,672 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.resnet34(classes=10, classifier_activation=None)
    """
    return _build("resnet34", locals())


def resnet50(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet50",
    *,
    include_preprocessing=False,
    kernel_init=None,
    attention=None,
    drop_path_rate=0.0,
    zero_init_residual=False,
) -> keras.Model:
    """ResNet-50 v1.5 (bottleneck blocks, stride on the 3x3; He et al. 2016 Table 1).

    Reference: torchvision:resnet50; 25,557,032 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.resnet50(classes=10, classifier_activation=None)
    """
    return _build("resnet50", locals())


def resnet50_v2(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet50_v2",
    *,
    include_preprocessing=False,
    kernel_init=None,
    drop_path_rate=0.0,
) -> keras.Model:
    """ResNet-50 v2 (He et al. 2016, Identity Mappings): full pre-activation bottlenecks, (3, 4, 6, 3) blocks per
    stage, a final BN-ReLU. `drop_path_rate` is the stochastic depth rate of the last block (linearly less for
    earlier ones; timm's default 0).

    Reference: timm:resnetv2_50; 25,549,352 trainable parameters (shared/reference/architectures.csv (timm)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.resnet50_v2(classes=10, classifier_activation=None)
    """
    return _build("resnet50_v2", locals())


def resnext101_32x8d(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnext101_32x8d",
    *,
    include_preprocessing=False,
    kernel_init=None,
    attention=None,
    drop_path_rate=0.0,
    zero_init_residual=False,
) -> keras.Model:
    """ResNeXt-101 (32x8d), torchvision's variant of Xie et al. 2017.

    Reference: torchvision:resnext101_32x8d; 88,791,336 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.resnext101_32x8d(classes=10, classifier_activation=None)
    """
    return _build("resnext101_32x8d", locals())


def resnext50_32x4d(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnext50_32x4d",
    *,
    include_preprocessing=False,
    kernel_init=None,
    attention=None,
    drop_path_rate=0.0,
    zero_init_residual=False,
) -> keras.Model:
    """ResNeXt-50 (32x4d): ResNet-50 with grouped 3x3 convs (Xie et al. 2017 Table 1).

    Reference: torchvision:resnext50_32x4d; 25,028,904 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.resnext50_32x4d(classes=10, classifier_activation=None)
    """
    return _build("resnext50_32x4d", locals())


def se_resnet101(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="se_resnet101",
    *,
    include_preprocessing=False,
    kernel_init=None,
    attention="se",
    drop_path_rate=0.0,
    zero_init_residual=False,
) -> keras.Model:
    """SE-ResNet-101 (SE reduction 16; timm seresnet101).

    Reference: timm:seresnet101; 49,326,872 trainable parameters (timm 1.0.31 seresnet101: sum(p.numel() for p in
    model.parameters())).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.se_resnet101(classes=10, classifier_activation=None)
    """
    return _build("se_resnet101", locals())


def se_resnet50(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="se_resnet50",
    *,
    include_preprocessing=False,
    kernel_init=None,
    attention="se",
    drop_path_rate=0.0,
    zero_init_residual=False,
) -> keras.Model:
    """SE-ResNet-50 (SE reduction 16; timm seresnet50).

    Reference: timm:seresnet50; 28,088,024 trainable parameters (shared/reference/architectures.csv (timm 1.0.31
    seresnet50)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.se_resnet50(classes=10, classifier_activation=None)
    """
    return _build("se_resnet50", locals())


def se_resnext50_32x4d(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="se_resnext50_32x4d",
    *,
    include_preprocessing=False,
    kernel_init=None,
    attention="se",
    drop_path_rate=0.0,
    zero_init_residual=False,
) -> keras.Model:
    """SE-ResNeXt-50 (32x4d) (SE reduction 16; timm seresnext50_32x4d).

    Reference: timm:seresnext50_32x4d; 27,559,896 trainable parameters (shared/reference/architectures.csv (timm
    1.0.31 seresnext50_32x4d)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.se_resnext50_32x4d(classes=10, classifier_activation=None)
    """
    return _build("se_resnext50_32x4d", locals())


def shufflenet_v1(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="shufflenet_v1",
    *,
    include_preprocessing=False,
    kernel_init=None,
    groups=3,
    scale=1.0,
) -> keras.Model:
    """ShuffleNet V1 (Zhang et al. 2017, Table 1): pointwise group convolutions with channel shuffle. `groups` in {1,
    2, 3, 4, 8} picks the Table 1 column (default 3, the paper's choice); `scale` in {0.5, 1.0, 1.5, 2.0} multiplies
    every width (ShuffleNet s x).

    Reference: paper:Zhang et al. 2017 Table 1 (g=3, 1x); 1,865,728 trainable parameters (our build of Zhang et al.
    2017 Table 1 at 1x (the paper and the reference table give no count); g=3).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.shufflenet_v1(classes=10, classifier_activation=None)
    """
    return _build("shufflenet_v1", locals())


def shufflenet_v1_g1(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="shufflenet_v1_g1",
    *,
    include_preprocessing=False,
    kernel_init=None,
    scale=1.0,
) -> keras.Model:
    """ShuffleNet V1 with g=1 groups (Zhang et al. 2017, Table 1 column g=1, 143 MFLOPs at 1x); `scale` in {0.5, 1.0,
    1.5, 2.0} multiplies every width.

    Reference: paper:Zhang et al. 2017 Table 1 (g=1, 1x); 1,531,936 trainable parameters (our build of Zhang et al.
    2017 Table 1 at 1x (the paper and the reference table give no count)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.shufflenet_v1_g1(classes=10, classifier_activation=None)
    """
    return _build("shufflenet_v1_g1", locals())


def shufflenet_v1_g2(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="shufflenet_v1_g2",
    *,
    include_preprocessing=False,
    kernel_init=None,
    scale=1.0,
) -> keras.Model:
    """ShuffleNet V1 with g=2 groups (Zhang et al. 2017, Table 1 column g=2, 140 MFLOPs at 1x); `scale` in {0.5, 1.0,
    1.5, 2.0} multiplies every width.

    Reference: paper:Zhang et al. 2017 Table 1 (g=2, 1x); 1,733,848 trainable parameters (our build of Zhang et al.
    2017 Table 1 at 1x (the paper and the reference table give no count)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.shufflenet_v1_g2(classes=10, classifier_activation=None)
    """
    return _build("shufflenet_v1_g2", locals())


def shufflenet_v1_g3(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="shufflenet_v1_g3",
    *,
    include_preprocessing=False,
    kernel_init=None,
    scale=1.0,
) -> keras.Model:
    """ShuffleNet V1 with g=3 groups (Zhang et al. 2017, Table 1 column g=3, 137 MFLOPs at 1x); `scale` in {0.5, 1.0,
    1.5, 2.0} multiplies every width.

    Reference: paper:Zhang et al. 2017 Table 1 (g=3, 1x); 1,865,728 trainable parameters (our build of Zhang et al.
    2017 Table 1 at 1x (the paper and the reference table give no count)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.shufflenet_v1_g3(classes=10, classifier_activation=None)
    """
    return _build("shufflenet_v1_g3", locals())


def shufflenet_v1_g4(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="shufflenet_v1_g4",
    *,
    include_preprocessing=False,
    kernel_init=None,
    scale=1.0,
) -> keras.Model:
    """ShuffleNet V1 with g=4 groups (Zhang et al. 2017, Table 1 column g=4, 133 MFLOPs at 1x); `scale` in {0.5, 1.0,
    1.5, 2.0} multiplies every width.

    Reference: paper:Zhang et al. 2017 Table 1 (g=4, 1x); 1,968,344 trainable parameters (our build of Zhang et al.
    2017 Table 1 at 1x (the paper and the reference table give no count)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.shufflenet_v1_g4(classes=10, classifier_activation=None)
    """
    return _build("shufflenet_v1_g4", locals())


def shufflenet_v1_g8(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="shufflenet_v1_g8",
    *,
    include_preprocessing=False,
    kernel_init=None,
    scale=1.0,
) -> keras.Model:
    """ShuffleNet V1 with g=8 groups (Zhang et al. 2017, Table 1 column g=8, 137 MFLOPs at 1x); `scale` in {0.5, 1.0,
    1.5, 2.0} multiplies every width.

    Reference: paper:Zhang et al. 2017 Table 1 (g=8, 1x); 2,434,768 trainable parameters (our build of Zhang et al.
    2017 Table 1 at 1x (the paper and the reference table give no count)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.shufflenet_v1_g8(classes=10, classifier_activation=None)
    """
    return _build("shufflenet_v1_g8", locals())


def shufflenet_v2_x0_5(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="shufflenet_v2_x0_5",
    *,
    include_preprocessing=False,
    kernel_init=None,
) -> keras.Model:
    """ShuffleNet V2 0.5x (Ma et al. 2018, Table 5): channel split, two branches concatenated, channel shuffle.

    Reference: torchvision:shufflenet_v2_x0_5; 1,366,792 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1 shufflenet_v2_x0_5)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.shufflenet_v2_x0_5(classes=10, classifier_activation=None)
    """
    return _build("shufflenet_v2_x0_5", locals())


def shufflenet_v2_x1_0(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="shufflenet_v2_x1_0",
    *,
    include_preprocessing=False,
    kernel_init=None,
) -> keras.Model:
    """ShuffleNet V2 1.0x (Ma et al. 2018, Table 5): channel split, two branches concatenated, channel shuffle.

    Reference: torchvision:shufflenet_v2_x1_0; 2,278,604 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1 shufflenet_v2_x1_0)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.shufflenet_v2_x1_0(classes=10, classifier_activation=None)
    """
    return _build("shufflenet_v2_x1_0", locals())


def shufflenet_v2_x1_5(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="shufflenet_v2_x1_5",
    *,
    include_preprocessing=False,
    kernel_init=None,
) -> keras.Model:
    """ShuffleNet V2 1.5x (Ma et al. 2018, Table 5): channel split, two branches concatenated, channel shuffle.

    Reference: torchvision:shufflenet_v2_x1_5; 3,503,624 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1 shufflenet_v2_x1_5)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.shufflenet_v2_x1_5(classes=10, classifier_activation=None)
    """
    return _build("shufflenet_v2_x1_5", locals())


def shufflenet_v2_x2_0(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="shufflenet_v2_x2_0",
    *,
    include_preprocessing=False,
    kernel_init=None,
) -> keras.Model:
    """ShuffleNet V2 2.0x (Ma et al. 2018, Table 5): channel split, two branches concatenated, channel shuffle.

    Reference: torchvision:shufflenet_v2_x2_0; 7,393,996 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1 shufflenet_v2_x2_0)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.shufflenet_v2_x2_0(classes=10, classifier_activation=None)
    """
    return _build("shufflenet_v2_x2_0", locals())


def squeezenet1_0(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="squeezenet1_0",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
) -> keras.Model:
    """SqueezeNet 1.0 (Iandola et al. 2016, Table 1): 7x7/2 stem of 96 filters and eight Fire modules. `dropout_rate`
    is the dropout before the final 1x1 convolution.

    Reference: torchvision:squeezenet1_0; 1,248,424 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.squeezenet1_0(classes=10, classifier_activation=None)
    """
    return _build("squeezenet1_0", locals())


def squeezenet1_0_bypass(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="squeezenet1_0_bypass",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
) -> keras.Model:
    """SqueezeNet 1.0 with simple bypass (Iandola et al. 2016, Section 6, Figure 2 middle): identity shortcuts around
    fire3, fire5, fire7 and fire9. `dropout_rate` is the dropout before the final 1x1 convolution.

    Reference: paper:Table 3 / Figure 2 (simple bypass); 1,248,424 trainable parameters
    (shared/reference/architectures.csv (identity shortcuts add no parameters to squeezenet1_0)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.squeezenet1_0_bypass(classes=10, classifier_activation=None)
    """
    return _build("squeezenet1_0_bypass", locals())


def squeezenet1_0_complex_bypass(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="squeezenet1_0_complex_bypass",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
) -> keras.Model:
    """SqueezeNet 1.0 with complex bypass (Iandola et al. 2016, Section 6, Figure 2 right): the simple bypass plus 1x1
    convolution shortcuts around fire2, fire4, fire6 and fire8. `dropout_rate` is the dropout before the final 1x1
    convolution.

    Reference: paper:Table 3 / Figure 2 (complex bypass); 1,589,672 trainable parameters (derived: squeezenet1_0's
    1,248,424 + 1x1 projections with bias on fire2/4/6/8 (96*128+128 + 128*256+256 + 256*384+384 + 384*512+512 =
    341,248)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.squeezenet1_0_complex_bypass(classes=10, classifier_activation=None)
    """
    return _build("squeezenet1_0_complex_bypass", locals())


def squeezenet1_1(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="squeezenet1_1",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
) -> keras.Model:
    """SqueezeNet 1.1 (the authors' repository): 3x3/2 stem of 64 filters and earlier pooling, 2.4x cheaper than 1.0 at
    the same accuracy. `dropout_rate` is the dropout before the final 1x1 convolution.

    Reference: torchvision:squeezenet1_1; 1,235,496 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.squeezenet1_1(classes=10, classifier_activation=None)
    """
    return _build("squeezenet1_1", locals())


def vgg11(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg11",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
) -> keras.Model:
    """VGG configuration A of Simonyan & Zisserman 2014 Table 1, in torchvision's layout (adaptive 7x7 average pool;
    any input side >= 32).

    Reference: torchvision:vgg11; 132,863,336 trainable parameters (shared/reference/architectures.csv (torchvision
    0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.vgg11(classes=10, classifier_activation=None)  # doctest: +SKIP
    """
    return _build("vgg11", locals())


def vgg11_bn(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg11_bn",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
) -> keras.Model:
    """VGG configuration A of Simonyan & Zisserman 2014 Table 1 with BatchNorm after every conv (torchvision), in
    torchvision's layout (adaptive 7x7 average pool; any input side >= 32).

    Reference: torchvision:vgg11_bn; 132,868,840 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.vgg11_bn(classes=10, classifier_activation=None)  # doctest: +SKIP
    """
    return _build("vgg11_bn", locals())


def vgg11_lrn(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg11_lrn",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
) -> keras.Model:
    """VGG configuration A-LRN of Simonyan & Zisserman 2014 Table 1, in torchvision's layout (adaptive 7x7 average
    pool; any input side >= 32).

    Reference: paper:Simonyan & Zisserman 2014 Table 1 (A-LRN); 132,863,336 trainable parameters
    (shared/reference/architectures.csv (Table 1 layer sizes, our count)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.vgg11_lrn(classes=10, classifier_activation=None)  # doctest: +SKIP
    """
    return _build("vgg11_lrn", locals())


def vgg13(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg13",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
) -> keras.Model:
    """VGG configuration B of Simonyan & Zisserman 2014 Table 1, in torchvision's layout (adaptive 7x7 average pool;
    any input side >= 32).

    Reference: torchvision:vgg13; 133,047,848 trainable parameters (shared/reference/architectures.csv (torchvision
    0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.vgg13(classes=10, classifier_activation=None)  # doctest: +SKIP
    """
    return _build("vgg13", locals())


def vgg13_bn(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg13_bn",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
) -> keras.Model:
    """VGG configuration B of Simonyan & Zisserman 2014 Table 1 with BatchNorm after every conv (torchvision), in
    torchvision's layout (adaptive 7x7 average pool; any input side >= 32).

    Reference: torchvision:vgg13_bn; 133,053,736 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.vgg13_bn(classes=10, classifier_activation=None)  # doctest: +SKIP
    """
    return _build("vgg13_bn", locals())


def vgg16(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg16",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
) -> keras.Model:
    """VGG configuration D of Simonyan & Zisserman 2014 Table 1, in torchvision's layout (adaptive 7x7 average pool;
    any input side >= 32).

    Reference: torchvision:vgg16; 138,357,544 trainable parameters (shared/reference/architectures.csv (torchvision
    0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.vgg16(classes=10, classifier_activation=None)  # doctest: +SKIP
    """
    return _build("vgg16", locals())


def vgg16_bn(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg16_bn",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
) -> keras.Model:
    """VGG configuration D of Simonyan & Zisserman 2014 Table 1 with BatchNorm after every conv (torchvision), in
    torchvision's layout (adaptive 7x7 average pool; any input side >= 32).

    Reference: torchvision:vgg16_bn; 138,365,992 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.vgg16_bn(classes=10, classifier_activation=None)  # doctest: +SKIP
    """
    return _build("vgg16_bn", locals())


def vgg16_c(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg16_c",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
) -> keras.Model:
    """VGG configuration C of Simonyan & Zisserman 2014 Table 1, in torchvision's layout (adaptive 7x7 average pool;
    any input side >= 32).

    Reference: paper:Simonyan & Zisserman 2014 Table 1 (C); 133,638,952 trainable parameters
    (shared/reference/architectures.csv (Table 1 layer sizes, our count)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.vgg16_c(classes=10, classifier_activation=None)  # doctest: +SKIP
    """
    return _build("vgg16_c", locals())


def vgg19(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg19",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
) -> keras.Model:
    """VGG configuration E of Simonyan & Zisserman 2014 Table 1, in torchvision's layout (adaptive 7x7 average pool;
    any input side >= 32).

    Reference: torchvision:vgg19; 143,667,240 trainable parameters (shared/reference/architectures.csv (torchvision
    0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.vgg19(classes=10, classifier_activation=None)  # doctest: +SKIP
    """
    return _build("vgg19", locals())


def vgg19_bn(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg19_bn",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
) -> keras.Model:
    """VGG configuration E of Simonyan & Zisserman 2014 Table 1 with BatchNorm after every conv (torchvision), in
    torchvision's layout (adaptive 7x7 average pool; any input side >= 32).

    Reference: torchvision:vgg19_bn; 143,678,248 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.vgg19_bn(classes=10, classifier_activation=None)  # doctest: +SKIP
    """
    return _build("vgg19_bn", locals())


def vit_b_16(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vit_b_16",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.0,
    attention_dropout_rate=0.0,
    drop_path_rate=0.0,
) -> keras.Model:
    """ViT-Base/16: 12 pre-norm encoder blocks of width 768 with 12 heads on 16x16 patches, classified from the class
    token. Inputs of other sizes (multiples of the patch size) get a position embedding of their own length.

    Reference: torchvision:vit_b_16; 86,567,656 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1 parameters())).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.vit_b_16(classes=10, classifier_activation=None)
    """
    return _build("vit_b_16", locals())


def vit_b_32(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vit_b_32",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.0,
    attention_dropout_rate=0.0,
    drop_path_rate=0.0,
) -> keras.Model:
    """ViT-Base/32: 12 pre-norm encoder blocks of width 768 with 12 heads on 32x32 patches, classified from the class
    token. Inputs of other sizes (multiples of the patch size) get a position embedding of their own length.

    Reference: torchvision:vit_b_32; 88,224,232 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1 parameters())).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.vit_b_32(classes=10, classifier_activation=None)
    """
    return _build("vit_b_32", locals())


def vit_l_16(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vit_l_16",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.0,
    attention_dropout_rate=0.0,
    drop_path_rate=0.0,
) -> keras.Model:
    """ViT-Large/16: 24 pre-norm encoder blocks of width 1024 with 16 heads on 16x16 patches, classified from the class
    token. Inputs of other sizes (multiples of the patch size) get a position embedding of their own length.

    Reference: torchvision:vit_l_16; 304,326,632 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1 parameters())).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.vit_l_16(classes=10, classifier_activation=None)  # doctest: +SKIP
    """
    return _build("vit_l_16", locals())


def vit_s_16(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vit_s_16",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.0,
    attention_dropout_rate=0.0,
    drop_path_rate=0.0,
) -> keras.Model:
    """ViT-Small/16: 12 pre-norm encoder blocks of width 384 with 6 heads on 16x16 patches, classified from the class
    token. Inputs of other sizes (multiples of the patch size) get a position embedding of their own length.

    Reference: timm:vit_small_patch16_224; 22,050,664 trainable parameters (shared/reference/architectures.csv (timm
    1.0.31 parameters())).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.vit_s_16(classes=10, classifier_activation=None)
    """
    return _build("vit_s_16", locals())


def vit_ti_16(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vit_ti_16",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.0,
    attention_dropout_rate=0.0,
    drop_path_rate=0.0,
) -> keras.Model:
    """ViT-Tiny/16: 12 pre-norm encoder blocks of width 192 with 3 heads on 16x16 patches, classified from the class
    token. Inputs of other sizes (multiples of the patch size) get a position embedding of their own length.

    Reference: timm:vit_tiny_patch16_224; 5,717,416 trainable parameters (shared/reference/architectures.csv (timm
    1.0.31 parameters())).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.vit_ti_16(classes=10, classifier_activation=None)
    """
    return _build("vit_ti_16", locals())


def wide_resnet101_2(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="wide_resnet101_2",
    *,
    include_preprocessing=False,
    kernel_init=None,
    attention=None,
    drop_path_rate=0.0,
    zero_init_residual=False,
) -> keras.Model:
    """Wide ResNet-101-2: ResNet-101 with twice the bottleneck width (torchvision).

    Reference: torchvision:wide_resnet101_2; 126,886,696 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.wide_resnet101_2(classes=10, classifier_activation=None)  # doctest: +SKIP
    """
    return _build("wide_resnet101_2", locals())


def wide_resnet50_2(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="wide_resnet50_2",
    *,
    include_preprocessing=False,
    kernel_init=None,
    attention=None,
    drop_path_rate=0.0,
    zero_init_residual=False,
) -> keras.Model:
    """Wide ResNet-50-2: ResNet-50 with twice the bottleneck width (torchvision).

    Reference: torchvision:wide_resnet50_2; 68,883,240 trainable parameters (shared/reference/architectures.csv
    (torchvision 0.29.1)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.wide_resnet50_2(classes=10, classifier_activation=None)
    """
    return _build("wide_resnet50_2", locals())


def wrn_16_8(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=10,
    classifier_activation="softmax",
    name="wrn_16_8",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.3,
    attention=None,
) -> keras.Model:
    """WRN-16-8 for 32x32 CIFAR images: 2 wide-dropout blocks per group, widths 128/256/512 (Zagoruyko & Komodakis
    2016).

    Reference: paper:Zagoruyko & Komodakis 2016 Table 1; 10,961,370 trainable parameters
    (shared/reference/architectures.csv, notes of wrn_28_10 (WRN-16-8)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.wrn_16_8(classes=10, classifier_activation=None)
    """
    return _build("wrn_16_8", locals())


def wrn_28_10(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=10,
    classifier_activation="softmax",
    name="wrn_28_10",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.3,
    attention=None,
) -> keras.Model:
    """WRN-28-10 for 32x32 CIFAR images: 4 wide-dropout blocks per group, widths 160/320/640 (Zagoruyko & Komodakis
    2016).

    Reference: paper:Zagoruyko & Komodakis 2016 Table 1; 36,479,194 trainable parameters
    (shared/reference/architectures.csv (WRN-28-10)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.wrn_28_10(classes=10, classifier_activation=None)
    """
    return _build("wrn_28_10", locals())


def wrn_40_4(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=10,
    classifier_activation="softmax",
    name="wrn_40_4",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.3,
    attention=None,
) -> keras.Model:
    """WRN-40-4 for 32x32 CIFAR images: 6 wide-dropout blocks per group, widths 64/128/256 (Zagoruyko & Komodakis
    2016).

    Reference: paper:Zagoruyko & Komodakis 2016 Table 1; 8,949,210 trainable parameters
    (shared/reference/architectures.csv, notes of wrn_28_10 (WRN-40-4)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.wrn_40_4(classes=10, classifier_activation=None)
    """
    return _build("wrn_40_4", locals())


def xception(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="xception",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.0,
) -> keras.Model:
    """Xception (Chollet 2017, Figure 5): 36 convolutions in 14 modules (12 with residual connections), entry / middle
    / exit flows of depthwise separable convolutions, at 299x299. `dropout_rate` is the dropout before the
    classifier (timm's `drop_rate`).

    Reference: timm:legacy_xception; 22,855,952 trainable parameters (shared/reference/architectures.csv (timm
    1.0.31 legacy_xception)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.xception(classes=10, classifier_activation=None)
    """
    return _build("xception", locals())


def zfnet(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="zfnet",
    *,
    include_preprocessing=False,
    kernel_init=None,
    dropout_rate=0.5,
) -> keras.Model:
    """ZFNet (Zeiler & Fergus 2013 Fig. 3): AlexNet with conv1 96@7x7/2 and conv2 256@5x5/2, one tower.

    Reference: paper:Zeiler & Fergus 2013 Fig. 3; 62,357,608 trainable parameters
    (shared/reference/architectures.csv (Fig. 3 layer sizes, our count)).

    Example:
        >>> import keras_classics
        >>> model = keras_classics.zfnet(classes=10, classifier_activation=None)
    """
    return _build("zfnet", locals())
