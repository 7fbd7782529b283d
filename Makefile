# Two commands do everything on a fresh machine: `make demo` and `make test`.
# Each creates .venv/ at the repository root and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export TF_CPP_MIN_LOG_LEVEL ?= 2
# TensorFlow's oneDNN pool never returns freed memory; the system allocator does (see tests/conftest.py).
export TF_ONEDNN_USE_SYSTEM_ALLOCATOR ?= 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test test-fast test-zoo test-parity benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[cpu,digits,test]"
	# TF Serving's client protos for the export tests; --no-deps: it would pull the full tensorflow wheel.
	$(BIN)/python -m pip install --quiet --no-deps "tensorflow-serving-api>=2.20"
	touch $@

$(VENV)/.installed-parity: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[cpu,digits,test,parity]"
	touch $@

# The main job: train LeNet-5 on scikit-learn's digits, print test accuracy, export a SavedModel.
demo: $(VENV)/.installed
	$(BIN)/keras-classics train lenet5

# Every test except the PyTorch parity tier (`make test-parity`) and the zoo-wide behaviour sweep (`make test-zoo`).
test: $(VENV)/.installed
	$(BIN)/python -m pytest -n 2 -m "not parity and not zoo" -q --durations=30 --doctest-modules keras_classics tests

test-fast: $(VENV)/.installed
	$(BIN)/python -m pytest -n 2 -m "not parity and not zoo and not slow" -q --doctest-modules keras_classics tests

# The per-model behaviour checks (sizes, pooling, channels, .keras round trip, fit step) for the variants
# that repeat a representative's blocks, the TFLite conversion of the families whose ops repeat another's, and
# BatchNormalization folding of the networks whose placements repeat another's:
# run it when models/, blocks/, layers/ or export/ change.
test-zoo: $(VENV)/.installed
	$(BIN)/python -m pytest -n 2 -m zoo -q tests/test_models.py tests/test_export_tflite.py tests/test_export_folding.py

test-parity: $(VENV)/.installed-parity
	$(BIN)/python -m pytest -n 2 -m parity -q

# The performance suite against keras.applications and the PyTorch references (24 minutes on 2 cores;
# `keras-classics benchmark --quick` takes 3): CSV and PNG per part in benchmarks/results/. It runs with
# TensorFlow's own allocator: the system one (which the tests use for memory) cost the input pipeline 10-50%.
benchmark: $(VENV)/.installed-parity
	$(BIN)/python -m pip install --quiet -e ".[cpu,digits,test,parity,bench]"
	TF_ONEDNN_USE_SYSTEM_ALLOCATOR=0 $(BIN)/keras-classics benchmark

clean:
	rm -rf $(VENV) build *.egg-info
