"""Importing reference (PyTorch-layout) state dicts: layouts, strictness and error messages."""

import inspect

import keras
import numpy as np
import pytest
from zoo_helpers import model_params

import keras_classics
from keras_classics.weights.reference import load_reference_weights, read_state_dict


def torch_layout_state(model):
    """The lenet5 weights as PyTorch would store them, converted by hand (OIHW convs, (out, in) linears)."""
    state = {}
    for layer in model.layers:
        if not layer.weights:
            continue
        kernel, bias = (w.numpy() for w in layer.weights)
        weight = kernel.transpose(3, 2, 0, 1) if kernel.ndim == 4 else kernel.T
        state[f"{layer.name}.weight"] = np.ascontiguousarray(weight)
        state[f"{layer.name}.bias"] = bias
    return state


def images(n=2):
    return np.random.default_rng(0).uniform(size=(n, 32, 32, 1)).astype("float32")


def test_mapping_npz_and_safetensors_round_trip(tmp_path):
    from safetensors.numpy import save_file

    source = keras_classics.lenet5()
    state = torch_layout_state(source)
    np.savez(tmp_path / "lenet5.npz", **state)
    save_file(state, str(tmp_path / "lenet5.safetensors"))
    for weights in (tmp_path / "lenet5.npz", tmp_path / "lenet5.safetensors"):
        model = keras_classics.lenet5(weights=str(weights))
        np.testing.assert_allclose(model(images()), source(images()), atol=1e-6)
    model = keras_classics.lenet5()
    load_reference_weights(model, state)
    np.testing.assert_allclose(model(images()), source(images()), atol=1e-6)


def test_flatten_order_is_converted_from_nchw():
    # At 40x40 LeNet's C5 map is 3x3x120, so f6 follows a real (C, H, W) -> (H, W, C) flatten.
    source = keras_classics.lenet5(input_shape=(40, 40, 1))
    state = torch_layout_state(source)
    f6 = source.get_layer("f6").kernel.numpy()  # (H*W*C, 84) in Keras order
    state["f6.weight"] = f6.reshape(3, 3, 120, 84).transpose(3, 2, 0, 1).reshape(84, -1)  # torch: (84, C*H*W)
    model = keras_classics.lenet5(input_shape=(40, 40, 1))
    load_reference_weights(model, state)
    x = np.random.default_rng(1).uniform(size=(2, 40, 40, 1)).astype("float32")
    np.testing.assert_allclose(model(x), source(x), atol=1e-6)


def test_missing_unused_and_mismatched_keys_are_listed():
    state = torch_layout_state(keras_classics.lenet5())
    model = keras_classics.lenet5()
    before = [w.numpy().copy() for w in model.weights]
    broken = dict(state)
    del broken["c3.bias"]
    broken["c9.weight"] = np.zeros(3, "float32")
    broken["f6.weight"] = np.zeros((84, 7), "float32")
    with pytest.raises(ValueError) as error:
        load_reference_weights(model, broken)
    message = str(error.value)
    assert "nothing was loaded" in message
    assert "c9.weight" in message and "unused" in message
    assert "f6.weight: reference (7, 84)" in message
    assert "c3/bias" in message
    assert all(np.array_equal(b, w.numpy()) for b, w in zip(before, model.weights))


def test_headless_model_skips_only_the_trailing_classifier():
    state = torch_layout_state(keras_classics.lenet5())
    source = keras_classics.lenet5(include_top=False)
    skipped = load_reference_weights(source, state)
    assert sorted(skipped) == ["f6.bias", "f6.weight", "output.bias", "output.weight"]
    np.testing.assert_array_equal(source.get_layer("c5").kernel.numpy(), state["c5.weight"].transpose(2, 3, 1, 0))
    # A key that is not part of the trailing head is still an error, even in a headless model.
    misplaced = {"stray.weight": np.zeros(3, "float32"), **state}
    with pytest.raises(ValueError, match="unused reference keys:\n    stray.weight"):
        load_reference_weights(keras_classics.lenet5(include_top=False), misplaced)


def test_corrupted_and_unsupported_files(tmp_path):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"not a safetensors file")
    with pytest.raises(ValueError, match="could not read weights file"):
        keras_classics.lenet5(weights=str(bad))
    odd = tmp_path / "weights.bin"
    odd.write_bytes(b"")
    with pytest.raises(ValueError, match="unsupported weights file"):
        keras_classics.lenet5(weights=str(odd))


def test_pth_without_torch_says_what_to_install(tmp_path, monkeypatch):
    import sys

    path = tmp_path / "w.pth"
    path.write_bytes(b"x")
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(ImportError, match="needs torch"):
        read_state_dict(path)


def test_convert_reference_weights_writes_a_file_the_builder_loads(tmp_path):
    from keras_classics.weights import convert_reference_weights

    source = keras_classics.lenet5()
    np.savez(tmp_path / "lenet5.npz", **torch_layout_state(source))
    steps = []
    destination = tmp_path / "out.weights.h5"
    skipped = convert_reference_weights("lenet5", tmp_path / "lenet5.npz", destination, progress=steps.append)
    assert skipped == [] and [step[:5] for step in steps] == ["[1/3]", "[2/3]", "[3/3]"]
    model = keras_classics.lenet5(weights=str(tmp_path / "out.weights.h5"))
    np.testing.assert_allclose(model(images()), source(images()), atol=1e-6)
    with pytest.raises(ValueError, match=r"dst must end in \.weights\.h5"):
        convert_reference_weights("lenet5", tmp_path / "lenet5.npz", tmp_path / "out.h5", progress=None)
    with pytest.raises(FileNotFoundError, match="missing.npz"):
        convert_reference_weights("lenet5", tmp_path / "missing.npz", tmp_path / "x.weights.h5", progress=None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lenet5.npz", "out.weights.h5"]


def test_an_unregistered_model_is_imported_strictly_unless_given_a_spec():
    state = torch_layout_state(keras_classics.lenet5())
    with pytest.raises(ValueError, match="unused reference keys"):
        load_reference_weights(keras_classics.lenet5(include_top=False, name="my_lenet"), state)
    spec = keras_classics.model_info("lenet5")
    skipped = load_reference_weights(keras_classics.lenet5(include_top=False, name="my_lenet"), state, spec=spec)
    assert sorted(skipped) == ["f6.bias", "f6.weight", "output.bias", "output.weight"]


def test_head_keys_are_skipped_only_when_the_model_lacks_the_head():
    # With its head, a stray key under a declared head module is as wrong as any other.
    state = {**torch_layout_state(keras_classics.lenet5()), "f6.extra": np.zeros(3, "float32")}
    with pytest.raises(ValueError, match="unused reference keys:\n    f6.extra"):
        load_reference_weights(keras_classics.lenet5(), state)


def torch_shaped_zeros(model):
    """Zero arrays shaped and named as a PyTorch state dict of `model` (convs, dense layers, BatchNorm).

    Every `_` of a layer name is taken for a module boundary (`aux1_conv_bn` -> `aux1.conv.bn`), as in
    torchvision's GoogLeNet.
    """
    state = {}
    for layer in model.layers:
        module = layer.name.replace("_", ".")
        if isinstance(layer, keras.layers.BatchNormalization):
            for param in ("weight", "bias", "running_mean", "running_var"):
                state[f"{module}.{param}"] = np.zeros(layer.gamma.shape, "float32")
        elif isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense)):
            kernel = layer.kernel.shape
            shape = (kernel[3], kernel[2], kernel[0], kernel[1]) if len(kernel) == 4 else kernel[::-1]
            state[f"{module}.weight"] = np.zeros(shape, "float32")
            if layer.use_bias:
                state[f"{module}.bias"] = np.zeros(layer.bias.shape, "float32")
        else:
            assert not layer.weights, f"torch_shaped_zeros does not know {type(layer).__name__}"
    return state


def test_aux_classifier_keys_are_skipped_when_built_without_them():
    state = torch_shaped_zeros(keras_classics.googlenet(aux_logits=True, classes=3))
    skipped = load_reference_weights(keras_classics.googlenet(classes=3), state)
    assert sorted(skipped) == sorted(key for key in state if key.startswith(("aux1.", "aux2.")))
    assert len(skipped) == 18  # per classifier: a conv, its BatchNorm (4 arrays), fc1 and fc2
    state["aux3.fc1.weight"] = np.zeros((3, 3), "float32")  # not declared: an error
    with pytest.raises(ValueError, match="unused reference keys:\n    aux3.fc1.weight"):
        load_reference_weights(keras_classics.googlenet(classes=3), state)


# ------------------------------------------------------------------- the declarations vs the models
def _weighted_layers(model):
    return {layer.name for layer in model.layers if layer.weights}


def _under(layer_name, modules):
    """Whether a Keras layer name lies in one of the reference module paths (`.` -> `_`)."""
    keras_forms = [module.replace(".", "_") for module in modules]
    return any(layer_name == m or layer_name.startswith(m + "_") for m in keras_forms)


def _check_declaration(modules, with_part, without_part):
    assert {n for n in with_part if _under(n, modules)} == with_part - without_part
    assert not {n for n in without_part if _under(n, modules)}
    for module in modules:  # no declaration names a module the model never has
        assert any(_under(n, (module,)) for n in with_part), module


@pytest.mark.parametrize("name", model_params())
def test_declared_head_and_aux_modules_match_the_model(name):
    spec = keras_classics.model_info(name)
    shape = (spec.min_size, spec.min_size, spec.channels)
    full = _weighted_layers(spec.builder(input_shape=shape, classes=3))
    keras.backend.clear_session()
    headless = _weighted_layers(spec.builder(include_top=False, input_shape=shape))
    assert spec.head_modules, "every model declares its classifier's modules"
    _check_declaration(spec.head_modules, full, headless)

    has_aux = "aux_logits" in inspect.signature(spec.builder).parameters
    assert bool(spec.aux_modules) == has_aux
    if has_aux:  # auxiliary classifiers need the reference's grid, so the default size
        keras.backend.clear_session()
        size = (spec.default_size, spec.default_size, spec.channels)
        plain = _weighted_layers(spec.builder(input_shape=size, classes=3))
        keras.backend.clear_session()
        with_aux = _weighted_layers(spec.builder(input_shape=size, classes=3, aux_logits=True))
        _check_declaration(spec.aux_modules, with_aux, plain)


def test_load_trained_refuses_weights_for_what_holds_its_own(tmp_path):
    from keras_classics.weights import load_trained

    with pytest.raises(ValueError, match="is a run folder, which holds its own checkpoints"):
        load_trained(tmp_path, weights="w.weights.h5")
    keras_file = tmp_path / "m.keras"
    keras_file.write_bytes(b"")
    with pytest.raises(ValueError, match=r"m\.keras' is a \.keras file, which holds its own weights"):
        load_trained(keras_file, weights="w.weights.h5")
