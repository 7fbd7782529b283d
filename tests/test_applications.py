"""keras_classics.applications against keras.applications itself, run side by side in one process.

Every shared network: the same signature, positional order and defaults (weights aside), the same output
shapes and model names for the same arguments, keras.applications' documented usage snippets run unchanged
against both, and preprocessing compared on the same input (equal where the input convention is the same,
the reference's normalization where our weights need another).
"""

import hashlib
import inspect
import json
import re

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_classics
from keras_classics import applications
from keras_classics.applications import ZOO_NAMES, imagenet_utils

# keras.applications' module of each shared network.
MODULES = {
    "convnext": ["ConvNeXtTiny", "ConvNeXtSmall", "ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtXLarge"],
    "densenet": ["DenseNet121", "DenseNet169", "DenseNet201"],
    "efficientnet": [f"EfficientNetB{i}" for i in range(8)],
    "efficientnet_v2": [f"EfficientNetV2B{i}" for i in range(4)]
    + ["EfficientNetV2S", "EfficientNetV2M", "EfficientNetV2L"],
    "inception_resnet_v2": ["InceptionResNetV2"],
    "inception_v3": ["InceptionV3"],
    "mobilenet": ["MobileNet"],
    "mobilenet_v2": ["MobileNetV2"],
    "mobilenet_v3": ["MobileNetV3Small", "MobileNetV3Large"],
    "nasnet": ["NASNetMobile", "NASNetLarge"],
    "resnet": ["ResNet50", "ResNet101", "ResNet152"],
    "resnet50": ["ResNet50"],
    "resnet_v2": ["ResNet50V2", "ResNet101V2", "ResNet152V2"],
    "vgg16": ["VGG16"],
    "vgg19": ["VGG19"],
    "xception": ["Xception"],
}
# Modules whose networks expect the same input scaling as keras.applications' ...
SAME_INPUT = (
    "convnext", "densenet", "efficientnet", "efficientnet_v2", "inception_resnet_v2", "inception_v3", "mobilenet", "mobilenet_v3",
    "nasnet", "resnet_v2", "xception",
)
# ... and those whose reference weights need torchvision's normalization instead (each names its network).
OWN_INPUT = {"resnet": "resnet50", "resnet50": "resnet50", "vgg16": "vgg16", "vgg19": "vgg19", "mobilenet_v2": "mobilenet_v2"}
# The layers that scale pixels in the graph: ours are one Rescaling; keras.applications' also use Normalization.
PREPROCESSING_LAYERS = (keras.layers.Rescaling, keras.layers.Normalization)
BIG = {
    "NASNetLarge", "EfficientNetV2M", "EfficientNetV2L", "ResNet152V2", "ConvNeXtSmall", "ConvNeXtBase",
    "ConvNeXtLarge", "ConvNeXtXLarge", "EfficientNetB5", "EfficientNetB6", "EfficientNetB7", "ResNet152",
    "DenseNet201", "InceptionResNetV2",
}  # fmt: skip


def both(function_name):
    return getattr(keras.applications, function_name), getattr(applications, function_name)


def test_every_network_both_have_is_here_and_nothing_else():
    keras_names = {name for name in dir(keras.applications) if name[0].isupper()}
    zoo_names = {keras_classics.model_info(name).name for name in ZOO_NAMES.values()}
    assert set(ZOO_NAMES) <= keras_names
    assert zoo_names == set(ZOO_NAMES.values())
    assert keras_names == set(ZOO_NAMES)


@pytest.mark.parametrize("function_name", sorted(ZOO_NAMES))
def test_signature_order_and_defaults_are_keras_applications(function_name):
    theirs, ours = (inspect.signature(f).parameters for f in both(function_name))
    assert list(ours) == list(theirs)
    for name, param in theirs.items():
        assert ours[name].kind == param.kind, name
        expected = None if name == "weights" else param.default  # nothing is downloaded
        assert ours[name].default == expected, name


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_mirror_keras_applications_modules(module):
    theirs, ours = getattr(keras.applications, module), getattr(applications, module)
    public = {name for name in dir(theirs) if not name.startswith("_")}
    assert {"preprocess_input", "decode_predictions"} <= public
    for function_name in public | set(MODULES[module]):
        assert hasattr(ours, function_name), function_name
    for function_name in ("preprocess_input", "decode_predictions"):
        assert list(inspect.signature(getattr(ours, function_name)).parameters) == list(
            inspect.signature(getattr(theirs, function_name)).parameters
        )


def _size(function_name):
    return 75 if function_name in ("InceptionV3", "InceptionResNetV2") else 96


@pytest.mark.parametrize(
    "function_name", [pytest.param(n, marks=pytest.mark.slow) if n in BIG else n for n in sorted(ZOO_NAMES)]
)
def test_headless_feature_maps_and_names_match(function_name):
    size = _size(function_name)
    shapes, names = [], []
    for build in both(function_name):
        model = build(include_top=False, weights=None, input_shape=(size, size, 3))
        shapes.append(tuple(model.output.shape))
        names.append(model.name)
    assert shapes[0] == shapes[1]
    assert names[0] == names[1]


@pytest.mark.parametrize(
    "function_name",
    ["DenseNet121", "EfficientNetB0", "InceptionV3", "MobileNet", "MobileNetV2", "MobileNetV3Small", "ResNet50",
     "Xception"],
)
def test_pooling_and_top_arguments_give_the_same_outputs(function_name):
    size = _size(function_name)
    for kwargs in (
        dict(include_top=False, pooling="avg"),
        dict(include_top=False, pooling="max"),
        dict(include_top=True, classes=7, classifier_activation=None),
    ):
        outputs = [
            tuple(build(weights=None, input_shape=(size, size, 3), **kwargs).output.shape)
            for build in both(function_name)
        ]
        assert outputs[0] == outputs[1], kwargs
    keras.backend.clear_session()


@pytest.mark.parametrize("function_name", [f"EfficientNetV2B{i}" for i in range(4)])
def test_efficientnet_v2_b_models_are_keras_applications_network(function_name):
    # timm's tf_efficientnetv2_b* is the network keras.applications builds: the same trainable weights and,
    # with TensorFlow's padding on both sides, the same feature map at an odd input size.
    theirs, ours = (build(weights=None, include_top=False, input_shape=(65, 65, 3)) for build in both(function_name))
    assert tuple(ours.output.shape) == tuple(theirs.output.shape) == (None, 3, 3, ours.output.shape[-1])
    trainable = [sum(int(np.prod(w.shape)) for w in model.trainable_weights) for model in (theirs, ours)]
    head = ours.output.shape[-1] * 1000 + 1000
    assert trainable[0] == trainable[1] == keras_classics.model_info(ZOO_NAMES[function_name]).params - head


@pytest.mark.parametrize(
    "call",
    [
        lambda apps: apps.MobileNetV2((96, 96, 3), 0.5, False, None),
        lambda apps: apps.MobileNet((128, 128, 3), 0.75, 2, 0.1, False, None),
        lambda apps: apps.MobileNetV3Small((64, 64, 3), 0.75, True, False, None),
        lambda apps: apps.MobileNetV3Large((64, 64, 3), 0.6, False, True, None, None, 10),
        lambda apps: apps.ResNet50(False, None, None, (64, 64, 3), "avg"),
    ],
    ids=["mobilenet_v2", "mobilenet", "mobilenet_v3_minimalistic", "mobilenet_v3_top", "resnet50"],
)
def test_positional_arguments_mean_what_they_mean_in_keras_applications(call):
    theirs, ours = call(keras.applications), call(applications)
    assert tuple(ours.output.shape) == tuple(theirs.output.shape)
    assert ours.name == theirs.name


# keras.applications' documented usage (keras.io/api/applications), written once and run against both.


def _classify_an_image_with_resnet50(apps, image_path):
    model = apps.ResNet50(weights=None)
    img = keras.utils.load_img(image_path, target_size=(224, 224))
    x = keras.utils.img_to_array(img)
    x = np.expand_dims(x, axis=0)
    x = apps.resnet50.preprocess_input(x)
    preds = model.predict(x, verbose=0)
    return preds, apps.resnet50.decode_predictions(preds, top=3)[0]


def _extract_features_with_vgg16(apps, image_path):
    model = apps.VGG16(weights=None, include_top=False)
    x = keras.utils.img_to_array(keras.utils.load_img(image_path, target_size=(224, 224)))
    x = apps.vgg16.preprocess_input(np.expand_dims(x, axis=0))
    return model.predict(x, verbose=0)


def _fine_tune_inception_v3(apps):
    base_model = apps.InceptionV3(weights=None, include_top=False)
    x = keras.layers.GlobalAveragePooling2D()(base_model.output)
    x = keras.layers.Dense(1024, activation="relu")(x)
    predictions = keras.layers.Dense(200, activation="softmax")(x)
    model = keras.Model(inputs=base_model.input, outputs=predictions)
    for layer in base_model.layers:
        layer.trainable = False
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy")
    scores = model.predict(np.zeros((1, 96, 96, 3), "float32"), verbose=0)
    return model, scores


def _inception_v3_over_a_custom_input_tensor(apps):
    input_tensor = keras.Input(shape=(224, 224, 3))
    model = apps.InceptionV3(input_tensor=input_tensor, weights=None, include_top=True)
    return model, input_tensor


@pytest.fixture
def keras_class_index(monkeypatch):
    """keras.applications' decode_predictions, given the class index it would otherwise download."""
    from keras.src.applications import imagenet_utils as keras_imagenet_utils

    index = {str(i): list(entry) for i, entry in enumerate(imagenet_utils.imagenet_classes())}
    monkeypatch.setattr(keras_imagenet_utils, "CLASS_INDEX", index)


@pytest.fixture
def image_path(tmp_path):
    path = tmp_path / "photo.png"
    pixels = np.random.default_rng(0).integers(0, 256, (240, 320, 3)).astype("uint8")
    keras.utils.save_img(path, pixels)
    return path


@pytest.mark.slow
def test_snippet_classify_imagenet_classes_with_resnet50(keras_class_index, image_path):
    (their_preds, their_top3), (our_preds, our_top3) = (
        _classify_an_image_with_resnet50(apps, image_path) for apps in (keras.applications, applications)
    )
    assert their_preds.shape == our_preds.shape == (1, 1000)
    assert [len(entry) for entry in our_top3] == [3, 3, 3]
    # Keras' own decoder reads our model's scores exactly as ours does.
    assert keras.applications.resnet50.decode_predictions(our_preds, top=3)[0] == our_top3
    assert [wnid for wnid, _, _ in our_top3] == [imagenet_utils.imagenet_classes()[i][0] for i in np.argsort(-our_preds[0])[:3]]


@pytest.mark.slow
def test_snippet_extract_features_with_vgg16(image_path):
    shapes = [_extract_features_with_vgg16(apps, image_path).shape for apps in (keras.applications, applications)]
    assert shapes[0] == shapes[1] == (1, 7, 7, 512)


@pytest.mark.slow
def test_snippet_fine_tune_inception_v3_on_new_classes():
    results = [_fine_tune_inception_v3(apps) for apps in (keras.applications, applications)]
    (theirs, their_scores), (ours, our_scores) = results
    assert their_scores.shape == our_scores.shape == (1, 200)
    # Only the new head trains: two dense layers, 2048 * 1024 + 1024 + 1024 * 200 + 200 weights.
    for model in (theirs, ours):
        assert sum(int(np.prod(w.shape)) for w in model.trainable_weights) == 2048 * 1024 + 1024 + 1024 * 200 + 200


@pytest.mark.slow
def test_snippet_inception_v3_over_a_custom_input_tensor():
    for apps in (keras.applications, applications):
        model, input_tensor = _inception_v3_over_a_custom_input_tensor(apps)
        assert model.inputs[0] is input_tensor
        assert tuple(model.output.shape) == (None, 1000)


# Preprocessing, on the same input.


def _images(data_format="channels_last"):
    x = np.random.default_rng(1).uniform(0, 255, (2, 9, 7, 3)).astype("float32")
    return np.moveaxis(x, -1, 1).copy() if data_format == "channels_first" else x


@pytest.mark.parametrize("module", SAME_INPUT)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_preprocess_input_equals_keras_applications_where_the_convention_is_the_same(module, data_format):
    x = _images(data_format)
    theirs = getattr(keras.applications, module).preprocess_input(x.copy(), data_format=data_format)
    ours = getattr(applications, module).preprocess_input(x, data_format=data_format)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-5)


@pytest.mark.parametrize("module, network", sorted(OWN_INPUT.items()))
def test_preprocess_input_gives_what_our_reference_weights_expect(module, network):
    x = _images()
    spec = keras_classics.model_info(network)
    expected = (x / 255.0 - np.array(spec.mean)) / np.array(spec.std)
    theirs = getattr(keras.applications, module).preprocess_input(x.copy())
    ours = getattr(applications, module).preprocess_input(x)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-5)
    assert not np.allclose(ours, theirs, atol=1e-2)  # keras.applications' caffe/tf scaling would be wrong here


@pytest.mark.parametrize("module", ["resnet", "inception_v3", "densenet"])
def test_preprocess_input_takes_every_kind_of_input_keras_applications_takes(module):
    theirs, ours = getattr(keras.applications, module).preprocess_input, getattr(applications, module).preprocess_input
    x = _images()
    untouched = x.copy()
    for value in (x[0], x.astype("uint8"), tf.constant(x)):
        a, b = theirs(np.array(value) if isinstance(value, np.ndarray) else value), ours(value)
        assert tuple(a.shape) == tuple(b.shape) and a.dtype == b.dtype
    np.testing.assert_array_equal(x, untouched)  # ours never writes into the caller's array
    inputs = keras.Input((9, 7, 3))
    model = keras.Model(inputs, ours(inputs))  # inside a functional model, as in the transfer-learning guide
    np.testing.assert_allclose(model.predict(x, verbose=0), ours(x), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_imagenet_utils_preprocess_input_modes_are_keras(mode, data_format):
    x = _images(data_format)
    theirs = keras.applications.imagenet_utils.preprocess_input(x.copy(), data_format=data_format, mode=mode)
    ours = imagenet_utils.preprocess_input(x, data_format=data_format, mode=mode)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-4)
    symbolic = keras.Input((9, 7, 3) if data_format == "channels_last" else (3, 9, 7))
    model = keras.Model(symbolic, imagenet_utils.preprocess_input(symbolic, data_format=data_format, mode=mode))
    np.testing.assert_allclose(model.predict(x, verbose=0), theirs, rtol=1e-6, atol=1e-4)


def test_preprocess_input_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"expected 3 colour channels on axis 3 \(channels_last\); got shape \(1, 4, 4, 4\)"):
        applications.resnet.preprocess_input(np.zeros((1, 4, 4, 4)))
    with pytest.raises(ValueError, match="data_format must be 'channels_last' or 'channels_first'; got 'NHWC'"):
        applications.resnet.preprocess_input(np.zeros((1, 4, 4, 3)), data_format="NHWC")
    with pytest.raises(ValueError, match="mode must be one of caffe, tf, torch; got 'pytorch'"):
        imagenet_utils.preprocess_input(np.zeros((1, 4, 4, 3)), mode="pytorch")


@pytest.mark.parametrize(
    "function_name, module",
    [
        ("ConvNeXtTiny", "convnext"),
        ("EfficientNetB0", "efficientnet"),
        ("EfficientNetV2B0", "efficientnet_v2"),
        ("EfficientNetV2S", "efficientnet_v2"),
        ("MobileNetV3Small", "mobilenet_v3"),
    ],
)
def test_in_graph_preprocessing_is_on_by_default_as_in_keras_applications(function_name, module):
    theirs, ours = (build(weights=None, input_shape=(32, 32, 3)) for build in both(function_name))
    for model in (theirs, ours):
        assert isinstance(model.layers[1], PREPROCESSING_LAYERS)
    # It normalizes [0, 255] pixels with the reference's mean and std: the same network without it, fed the
    # normalized pixels, gives the same scores.
    spec = keras_classics.model_info(ZOO_NAMES[function_name])
    bare = keras_classics.create_model(spec.name, input_shape=(32, 32, 3), include_preprocessing=False)
    bare.set_weights(ours.get_weights())
    x = np.random.default_rng(2).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    assert getattr(applications, module).preprocess_input(x) is x
    np.testing.assert_allclose(
        ours.predict(x, verbose=0),
        bare.predict((x / 255.0 - np.array(spec.mean)) / np.array(spec.std), verbose=0),
        rtol=1e-4,
        atol=1e-6,
    )
    if module in ("convnext", "efficientnet_v2", "mobilenet_v3"):  # keras.applications' families with the switch
        for build in both(function_name):
            model = build(weights=None, input_shape=(32, 32, 3), include_preprocessing=False)
            assert not any(isinstance(layer, PREPROCESSING_LAYERS) for layer in model.layers)


# decode_predictions.


def test_class_index_is_the_file_keras_applications_downloads():
    from keras.src.applications import imagenet_utils as keras_imagenet_utils

    pinned = re.search(r'file_hash="([0-9a-f]{32})"', inspect.getsource(keras_imagenet_utils)).group(1)
    shipped = imagenet_utils._CLASS_INDEX_FILE.read_bytes()
    assert hashlib.md5(shipped).hexdigest() == pinned
    classes = imagenet_utils.imagenet_classes()
    assert len(classes) == 1000 and len({wnid for wnid, _ in classes}) == 1000
    assert json.loads(shipped)["0"] == ["n01440764", "tench"]


@pytest.mark.parametrize("top", [1, 5, 1000])
def test_decode_predictions_equals_keras_applications(keras_class_index, top):
    preds = np.random.default_rng(top).random((3, 1000)).astype("float32")
    assert applications.resnet.decode_predictions(preds, top=top) == keras.applications.resnet.decode_predictions(
        preds, top=top
    )
    assert applications.efficientnet.decode_predictions(tf.constant(preds), top=top) == (
        keras.applications.efficientnet.decode_predictions(preds, top=top)
    )


def test_decode_predictions_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"shape \(samples, 1000\); got an array of shape \(2, 10\)"):
        applications.resnet50.decode_predictions(np.zeros((2, 10)))
    with pytest.raises(ValueError, match=r"shape \(samples, 1000\); got an array of shape \(1000,\)"):
        applications.resnet50.decode_predictions(np.zeros(1000))
    with pytest.raises(ValueError, match="top must be a positive integer; got 0"):
        applications.resnet50.decode_predictions(np.zeros((1, 1000)), top=0)


def test_weights_never_download():
    with pytest.raises(ValueError, match="never downloads"):
        applications.MobileNetV2(input_shape=(32, 32, 3), weights="imagenet")
