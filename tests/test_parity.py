"""Same logits as the reference: torchvision/timm models with random weights, imported into ours.

For every registered model whose ModelSpec names a torchvision or timm reference: build the reference
with random weights (and random BatchNorm statistics, so their conversion is exercised), save its state
dict as .safetensors, build ours from that file with `classifier_activation=None`, run both in inference
mode on the same random images (NCHW for the reference, NHWC for ours) and require
`max|ours - ref| <= 1e-4 * max|ref|` and the same top-1 class for every image.
"""

import numpy as np
import pytest

import keras_classics
from zoo_helpers import BIG_MODEL_PARAMS, release_big_model

pytestmark = pytest.mark.parity
torch = pytest.importorskip("torch")
pytest.importorskip("safetensors")

def _torchvision_densenet264():
    # The DenseNet paper's Table 1 network, which torchvision's DenseNet class builds but does not name.
    import torchvision

    return torchvision.models.DenseNet(growth_rate=32, block_config=(6, 12, 64, 48), num_init_features=64)


# Models whose reference is a configuration of a library class rather than a named function.
CONFIGURED_REFERENCES = {"densenet264": _torchvision_densenet264}

REFERENCED = [
    name
    for name in keras_classics.list_models()
    if keras_classics.model_info(name).reference_library is not None or name in CONFIGURED_REFERENCES
]


PARITY_MAX_SIZE = 320


def reference_model(spec):
    if spec.name in CONFIGURED_REFERENCES:
        return CONFIGURED_REFERENCES[spec.name]()
    if spec.reference_library == "torchvision":
        import torchvision

        # The weights are random and copied across, so their initialisation does not matter; saying so
        # silences GoogLeNet's and Inception v3's FutureWarning about the default changing.
        options = {"init_weights": False} if spec.reference_name in ("googlenet", "inception_v3") else {}
        return torchvision.models.get_model(spec.reference_name, weights=None, **options)
    import timm

    return timm.create_model(spec.reference_name, pretrained=False)


def randomize_batchnorm_statistics(module, generator):
    for sub in module.modules():
        if isinstance(sub, torch.nn.modules.batchnorm._BatchNorm) and sub.running_mean is not None:
            sub.running_mean.copy_(torch.randn(sub.running_mean.shape, generator=generator) * 0.1)
            sub.running_var.copy_(torch.rand(sub.running_var.shape, generator=generator) + 0.5)


def randomize_zero_parameters(module, generator):
    """References initialize some parameters to zero or nearly (torchvision ViT heads, zero_init_residual
    gammas, ConvNeXt's 1e-6 layer scale): left so, whole branches vanish and logits would match trivially.
    Give them small random values."""
    for parameter in module.parameters():
        if parameter.abs().max() < 1e-4:
            parameter.copy_(torch.randn(parameter.shape, generator=generator) * 0.02)


def save_state_dict(module, path):
    from safetensors.torch import save_file

    state = {k: v.detach().contiguous() for k, v in module.state_dict().items()}
    save_file(state, str(path))


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=[pytest.mark.slow] if keras_classics.model_info(n).params > BIG_MODEL_PARAMS else [])
        for n in REFERENCED
    ],
)
def test_logits_match_reference(name, tmp_path):
    spec = keras_classics.model_info(name)
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(0)
    reference = reference_model(spec).eval()
    with torch.no_grad():
        randomize_batchnorm_statistics(reference, generator)
        randomize_zero_parameters(reference, generator)
    path = tmp_path / f"{name}.safetensors"
    save_state_dict(reference, path)
    # Every network above this size (EfficientNet B4-B7, V2) pools globally, so a smaller input compares the
    # same computation; at 480-600 pixels EfficientNetV2-L's two forward passes took 6 GB.
    size = min(spec.default_size, PARITY_MAX_SIZE)
    images = np.random.default_rng(0).normal(size=(2, size, size, 3)).astype("float32")
    with torch.no_grad():
        expected = reference(torch.from_numpy(images.transpose(0, 3, 1, 2))).numpy()
    del reference  # one copy of the weights at a time: ViT-H/14's are 2.5 GB
    release_big_model(spec)

    ours = keras_classics.create_model(
        name, weights=str(path), classifier_activation=None, input_shape=(size, size, spec.channels)
    )
    actual = np.asarray(ours(images, training=False))

    assert np.std(expected) > 0, "the reference's logits are constant: the comparison would prove nothing"
    tolerance = 1e-4 * np.max(np.abs(expected))
    assert np.max(np.abs(actual - expected)) <= tolerance
    np.testing.assert_array_equal(actual.argmax(-1), expected.argmax(-1))


# Models whose logits are a single dense layer on the globally average-pooled features: a headless model
# loaded from the full state dict must give features that the reference's classifier turns into its logits.
POOLED_HEADS = {"resnet50": "fc", "densenet121": "classifier", "efficientnet_b0": "classifier.1"}


@pytest.mark.parametrize("name", sorted(POOLED_HEADS))
def test_headless_import_skips_the_classifier_only(name, tmp_path):
    spec = keras_classics.model_info(name)
    torch.manual_seed(0)
    reference = reference_model(spec).eval()
    with torch.no_grad():
        randomize_batchnorm_statistics(reference, torch.Generator().manual_seed(0))
    path = tmp_path / f"{name}.safetensors"
    save_state_dict(reference, path)
    ours = keras_classics.create_model(name, include_top=False, pooling="avg")
    from keras_classics.weights.reference import load_reference_weights

    head = POOLED_HEADS[name]
    assert sorted(load_reference_weights(ours, str(path))) == [f"{head}.bias", f"{head}.weight"]
    images = np.random.default_rng(0).normal(size=(2, 96, 96, 3)).astype("float32")
    with torch.no_grad():
        expected = reference(torch.from_numpy(images.transpose(0, 3, 1, 2))).numpy()
    state = reference.state_dict()
    weight, bias = state[f"{head}.weight"].numpy(), state[f"{head}.bias"].numpy()
    actual = np.asarray(ours(images, training=False)) @ weight.T + bias
    assert np.max(np.abs(actual - expected)) <= 1e-4 * np.max(np.abs(expected))
