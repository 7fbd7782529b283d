"""The builders' default initialisation is their reference implementation's, checked against the reference.

For one model per reference scheme (`keras_classics.models.init_rules.REFERENCE_RULES`): construct the
torchvision/timm reference as its library does (its own init loop), import its state dict into our
architecture, and build ours with the default `kernel_init`. The two then hold, variable by variable, a
draw from the reference's distribution and a draw from ours. Each convolution and dense kernel and bias
must agree in what can be told from the samples: constant (zero heads, zero biases) exactly, otherwise the
standard deviation and mean to within sampling error, and, for large tensors, normal against uniform
(kurtosis 3 against 1.8).
"""

import math

import keras
import numpy as np
import pytest

import keras_classics
from keras_classics.models.init_rules import reference_key
from keras_classics.models.initialization import weight_layers

pytestmark = pytest.mark.parity
torch = pytest.importorskip("torch")
pytest.importorskip("safetensors")

from test_parity import save_state_dict  # noqa: E402

# one model per reference scheme, and the grouped/depthwise/attention paths whose fans differ
CHECKED = {
    "alexnet_torchvision": "torchvision:alexnet",
    "shufflenet_v2_x0_5": "torchvision:shufflenet_v2",
    "vgg11": "torchvision:vgg",
    "resnet18": "torchvision:resnet",
    "resnext50_32x4d": "torchvision:resnet",
    "densenet121": "torchvision:densenet",
    "googlenet": "torchvision:googlenet",
    "inception_v3": "torchvision:inception_v3",
    "squeezenet1_1": "torchvision:squeezenet",
    "mobilenet_v2": "torchvision:mobilenet",
    "mobilenet_v3_small": "torchvision:mobilenet",
    "efficientnet_b0": "torchvision:efficientnet",
    "vit_b_32": "torchvision:vit",
    "convnext_tiny": "torchvision:convnext",
    "inception_v4": "timm:defaults",
    "ghostnet": "timm:defaults",
    "se_resnet50": "timm:resnet",
    "resnest50": "timm:resnet",
    "xception": "timm:resnet",
    "resnet50_v2": "timm:resnetv2",
    "mobilenet_v1": "timm:goog",
    "efficientnet_v2_b0": "timm:goog",
    "vit_ti_16": "timm:vit",
}

# timm zero-initialises the last BatchNorm gamma (ResNetV2: the last conv) of each residual block by
# default; our builders leave that to `zero_init_residual=True`, so the reference is built without it.
TIMM_ZERO_INIT_LAST = ("timm:resnet", "timm:resnetv2")


def reference_as_constructed(spec):
    if spec.reference_library == "torchvision":
        import torchvision

        return torchvision.models.get_model(spec.reference_name, weights=None)
    import timm

    options = {}
    if reference_key(spec) in TIMM_ZERO_INIT_LAST and spec.reference_name != "legacy_xception":
        options["zero_init_last"] = False
    return timm.create_model(spec.reference_name, pretrained=False, **options)


def _weights(model):
    """{variable path: values} of every convolution and dense kernel and bias."""
    out = {}
    for layer in weight_layers(model):
        for variable in (layer.kernel, layer.bias):
            if variable is not None:
                out[variable.path] = keras.ops.convert_to_numpy(variable).astype(np.float64).ravel()
    return out


def _kurtosis(values):
    centred = values - values.mean()
    return float(np.mean(centred**4) / np.mean(centred**2) ** 2)


def _same_distribution(path, ours, reference):
    if np.ptp(reference) == 0:
        assert np.ptp(ours) == 0 and ours[0] == pytest.approx(reference[0], abs=1e-12), (path, ours[:3], reference[0])
        return
    assert np.ptp(ours) > 0, (path, "constant, but the reference draws it at random", reference.std())
    n = ours.size
    if n >= 30:
        # relative standard error of a sample std: 1 / sqrt(2n) (normal), 0.45 / sqrt(n) (uniform); two samples
        assert abs(ours.std() / reference.std() - 1) < 6 / math.sqrt(n), (path, ours.std(), reference.std())
        assert abs(ours.mean() - reference.mean()) < 8 * max(ours.std(), reference.std()) / math.sqrt(n), path
    if n >= 20_000:
        assert abs(_kurtosis(ours) - _kurtosis(reference)) < 0.4, (path, _kurtosis(ours), _kurtosis(reference))


def _drawn_and_imported(name, tmp_path, kernel_init=None):
    """Our model's weights as its builder draws them, and the reference's as constructed, imported into ours."""
    spec = keras_classics.model_info(name)
    torch.manual_seed(0)
    path = tmp_path / f"{name}.safetensors"
    save_state_dict(reference_as_constructed(spec), path)
    size = min(spec.default_size, 320)
    shape = (size, size, spec.channels)
    keras.backend.clear_session()  # the same automatic layer names in both builds
    keras.utils.set_random_seed(0)
    drawn = _weights(keras_classics.create_model(name, kernel_init=kernel_init, input_shape=shape))
    keras.backend.clear_session()
    imported = _weights(keras_classics.create_model(name, weights=str(path), input_shape=shape))
    assert sorted(drawn) == sorted(imported)
    return drawn, imported


@pytest.mark.parametrize("name", sorted(CHECKED))
def test_default_init_draws_from_the_reference_distribution(name, tmp_path):
    assert reference_key(keras_classics.model_info(name)) == CHECKED[name]
    ours, reference = _drawn_and_imported(name, tmp_path)
    for variable_path in ours:
        _same_distribution(variable_path, ours[variable_path], reference[variable_path])


def test_every_registered_model_has_a_reference_scheme():
    keys = {name: reference_key(keras_classics.model_info(name)) for name in keras_classics.list_models()}
    assert set(CHECKED.values()) >= {key for key in keys.values() if key.startswith(("torchvision", "timm"))}


@pytest.mark.parametrize(("name", "other"), [("resnet18", "glorot"), ("mobilenet_v2", "torch"), ("vit_ti_16", "he")])
def test_the_comparison_tells_another_scheme_apart(name, other, tmp_path):
    theirs, reference = _drawn_and_imported(name, tmp_path, kernel_init=other)
    mismatched = 0
    for variable_path in theirs:
        try:
            _same_distribution(variable_path, theirs[variable_path], reference[variable_path])
        except AssertionError:
            mismatched += 1
    assert mismatched >= len(theirs) // 4, (mismatched, len(theirs))
