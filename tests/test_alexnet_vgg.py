"""AlexNet, ZFNet and VGG: what is particular to these families (the generic checks are in test_models.py).

Headless builds keep these fast (the dense heads hold most of the parameters); the parity tests compare
with torchvision and with PyTorch re-implementations of the paper networks.
"""

import keras
import numpy as np
import pytest

import keras_classics
from keras_classics.layers import GroupConv2D, LocalResponseNormalization
from keras_classics.blocks.pooling import adaptive_avg_pool
from zoo_helpers import random_images


def _numpy_adaptive_avg_pool(x, out):
    # torch.nn.AdaptiveAvgPool2d, written out: bin i spans [floor(i*n/out), ceil((i+1)*n/out)).
    def bins(n):
        return [(i * n // out, -(-(i + 1) * n // out)) for i in range(out)]

    rows = [[x[:, a:b, c:d].mean(axis=(1, 2)) for c, d in bins(x.shape[2])] for a, b in bins(x.shape[1])]
    return np.stack([np.stack(row, axis=1) for row in rows], axis=1)


@pytest.mark.parametrize("height, width", [(7, 7), (14, 14), (13, 13), (8, 10), (1, 1), (3, 5), (20, 9)])
def test_adaptive_avg_pool_matches_torch_definition(height, width):
    x = np.random.default_rng(0).normal(size=(2, height, width, 3)).astype("float32")
    inputs = keras.Input((height, width, 3))
    model = keras.Model(inputs, adaptive_avg_pool(inputs, 7))
    np.testing.assert_allclose(model(x), _numpy_adaptive_avg_pool(x, 7), rtol=1e-5, atol=1e-6)
    if (height, width) == (7, 7):
        assert len(model.layers) == 1  # identity at the default size: no extra layers


def test_adaptive_pool_needs_a_known_size():
    with pytest.raises(ValueError, match="avgpool: the adaptive pool needs a known input size"):
        adaptive_avg_pool(keras.Input((None, None, 3)), 7)


def _headless(name, size=None):
    spec = keras_classics.model_info(name)
    size = size or spec.default_size
    return keras_classics.create_model(name, include_top=False, input_shape=(size, size, 3))


def _layers_of(model, cls):
    return [layer for layer in model.layers if type(layer) is cls]


def test_alexnet_two_gpu_split_groups_conv2_conv4_conv5():
    def groups(model):
        return {layer.name: layer.groups for layer in model.layers if isinstance(layer, keras.layers.Conv2D)}

    grouped = groups(_headless("alexnet_2gpu"))
    assert grouped == {"features_0": 1, "features_4": 2, "features_8": 1, "features_10": 2, "features_12": 2}
    # The split convs run per group without XLA; the others are Keras' own Conv2D.
    assert all(isinstance(_headless("alexnet_2gpu").get_layer(n), GroupConv2D) for n, g in grouped.items() if g > 1)
    assert set(groups(_headless("alexnet")).values()) == {1}


def test_alexnet_lrn_follows_the_first_two_relus_with_paper_constants():
    model = _headless("alexnet")
    lrns = _layers_of(model, LocalResponseNormalization)
    assert [layer.name for layer in lrns] == ["features_2", "features_6"]
    for layer in lrns:
        assert (layer.depth_radius, layer.bias, layer.alpha, layer.beta) == (2, 2.0, 1e-4, 0.75)
        assert isinstance(layer._inbound_nodes[0].input_tensors[0]._keras_history.operation, keras.layers.ReLU)
    assert not _layers_of(_headless("alexnet_torchvision"), LocalResponseNormalization)


@pytest.mark.parametrize(
    "name, sizes",
    [
        ("alexnet", [55, 27, 13, 6]),  # 227 input, Fig. 2
        ("alexnet_torchvision", [55, 27, 13, 6]),
        ("zfnet", [110, 55, 26, 13, 6]),  # Zeiler & Fergus Fig. 3
        ("vgg11_lrn", [224, 112, 56, 28, 14, 7]),
    ],
)
def test_feature_stages_follow_the_paper_map_sizes(name, sizes):
    model = _headless(name)
    stages = keras_classics.model_info(name).stages
    assert [model.get_layer(stage).output.shape[1] for stage in stages] == sizes
    assert stages[-1] == model.layers[-1].name  # the last stage is the headless output


@pytest.mark.parametrize(
    "name, weight_layers, one_by_one",
    [("vgg11", 8, 0), ("vgg11_lrn", 8, 0), ("vgg13", 10, 0), ("vgg16_c", 13, 3), ("vgg16", 13, 0), ("vgg19_bn", 16, 0)],
)
def test_vgg_configurations_of_table_1(name, weight_layers, one_by_one):
    convs = _layers_of(_headless(name, 32), keras.layers.Conv2D)  # + 3 fc layers = the table's 11/13/16/19
    assert len(convs) == weight_layers
    assert sum(layer.kernel_size == (1, 1) for layer in convs) == one_by_one
    assert len(_layers_of(_headless(name, 32), LocalResponseNormalization)) == (name == "vgg11_lrn")


def test_vgg_bn_uses_pytorch_batchnorm_constants_and_keeps_conv_bias():
    model = _headless("vgg11_bn", 32)
    norms = _layers_of(model, keras.layers.BatchNormalization)
    assert len(norms) == 8 and {(n.epsilon, n.momentum) for n in norms} == {(1e-5, 0.9)}
    assert all(conv.use_bias for conv in _layers_of(model, keras.layers.Conv2D))  # torchvision keeps it


def test_dropout_rate_option():
    model = keras_classics.alexnet_torchvision(input_shape=(63, 63, 3), dropout_rate=0.3)
    assert [layer.rate for layer in _layers_of(model, keras.layers.Dropout)] == [0.3, 0.3]
    with pytest.raises(ValueError, match="dropout_rate must be a number in \\[0, 1\\); got 1.5"):
        keras_classics.vgg11(dropout_rate=1.5)


def test_classifier_needs_a_fixed_size_but_features_do_not():
    with pytest.raises(ValueError, match="needs a fixed height"):
        keras_classics.zfnet(input_shape=(None, None, 3))
    model = keras_classics.vgg11_bn(include_top=False)
    assert model(random_images(40)).shape == (2, 1, 1, 512)
    assert model(random_images(64)).shape == (2, 2, 2, 512)


# ------------------------------------------------------------------------------------------ parity
def _torch_paper_alexnet(torch, features, classes):
    nn = torch.nn

    class Net(nn.Module):  # the paper networks as an nn.Sequential pair, like torchvision's AlexNet
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(*features(nn))
            self.classifier = nn.Sequential(
                nn.Dropout(), nn.Linear(9216, 4096), nn.ReLU(), nn.Dropout(), nn.Linear(4096, 4096), nn.ReLU(),
                nn.Linear(4096, classes),
            )  # fmt: skip

        def forward(self, x):
            return self.classifier(torch.flatten(self.features(x), 1))

    return Net()


def _lrn(nn, groups=1):
    """The paper's LRN (k=2, n=5, alpha=1e-4, beta=0.75); with `groups=2` each GPU's half of the maps is
    normalized on its own, as in the two-GPU network (cuda-convnet's rnorm1a/rnorm1b)."""
    lrn = nn.LocalResponseNorm(5, alpha=5 * 1e-4, beta=0.75, k=2.0)  # PyTorch divides alpha by n
    if groups == 1:
        return lrn

    class PerGroup(nn.Module):
        def forward(self, x):
            import torch

            return torch.cat([lrn(part) for part in x.chunk(groups, dim=1)], dim=1)

    return PerGroup()


def _alexnet_2gpu_features(nn):
    return [
        nn.Conv2d(3, 96, 11, 4), nn.ReLU(), _lrn(nn, groups=2), nn.MaxPool2d(3, 2),
        nn.Conv2d(96, 256, 5, padding=2, groups=2), nn.ReLU(), _lrn(nn, groups=2), nn.MaxPool2d(3, 2),
        nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 384, 3, padding=1, groups=2), nn.ReLU(),
        nn.Conv2d(384, 256, 3, padding=1, groups=2), nn.ReLU(), nn.MaxPool2d(3, 2),
    ]  # fmt: skip


def _zfnet_features(nn):
    return [
        nn.Conv2d(3, 96, 7, 2, 1), nn.ReLU(), nn.MaxPool2d(3, 2, 1), _lrn(nn),
        nn.Conv2d(96, 256, 5, 2), nn.ReLU(), nn.MaxPool2d(3, 2, 1), _lrn(nn),
        nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 384, 3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2),
    ]  # fmt: skip


def _compare(torch, reference, name, size, classes=10, scale=1.0):
    from keras_classics.weights.reference import load_reference_weights

    torch.manual_seed(0)
    reference.eval()
    with torch.no_grad():
        for module in reference.modules():  # large activations, so that LRN really normalizes
            if isinstance(module, torch.nn.Conv2d):
                module.weight.mul_(scale)
        for module in reference.modules():  # non-trivial BatchNorm statistics
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 2.0)
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.5, 0.5)
    model = keras_classics.create_model(
        name, input_shape=(size, size, 3), classes=classes, classifier_activation=None
    )
    load_reference_weights(model, reference.state_dict())
    images = random_images(size)
    with torch.no_grad():
        expected = reference(torch.from_numpy(images.transpose(0, 3, 1, 2))).numpy()
    got = np.asarray(model(images, training=False))
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4 * np.abs(expected).max())


@pytest.mark.parity
@pytest.mark.parametrize("name, features", [("alexnet_2gpu", _alexnet_2gpu_features), ("zfnet", _zfnet_features)])
def test_paper_networks_match_pytorch_reimplementation(name, features):
    torch = pytest.importorskip("torch")
    size = keras_classics.model_info(name).default_size
    torch.manual_seed(0)  # the reference's weights, whatever ran before in this process
    _compare(torch, _torch_paper_alexnet(torch, features, 10), name, size, scale=6.0)


@pytest.mark.parity
@pytest.mark.parametrize("size", [63, 100, 224])  # adaptive pool: repeated, overlapping, identity bins
def test_alexnet_torchvision_matches_torchvision(size):
    torch = pytest.importorskip("torch")
    torchvision = pytest.importorskip("torchvision")
    _compare(torch, torchvision.models.alexnet(num_classes=10), "alexnet_torchvision", size)


@pytest.mark.parity
@pytest.mark.slow
@pytest.mark.parametrize("name, size", [("vgg11_bn", 80), ("vgg13", 100)])  # 2x2 and 3x3 maps into the 7x7 pool
def test_vgg_matches_torchvision_at_other_sizes(name, size):
    torch = pytest.importorskip("torch")
    torchvision = pytest.importorskip("torchvision")
    _compare(torch, getattr(torchvision.models, name)(num_classes=10), name, size)
