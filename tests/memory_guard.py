"""Keeps each pytest process's memory bounded, and reports its peak at the end of every run.

Why memory grew: TensorFlow's oneDNN allocator pooled every freed tensor for good (tests/conftest.py
switches to the system allocator), and a Keras model is a graph of objects that reference each other,
freed only by Python's cyclic garbage collector, whose full collections are rare: a test that builds
VGG-16 (550 MB of weights) left them behind, and one worker reached 13.5 GB. And TensorFlow keeps the
graph of every train function a test traced, for good, unless `keras_classics.runtime.release_models` drops
its custom-gradient registrations: the floor of a worker rose by 2 GB over 28 mixed-precision training
steps. A full collection after every test costs about a second once torch is imported, so the guard releases
only after a test that grew the process by more than `RELEASE_GROWTH_KIB` since the last release.

Report: each process (an xdist worker, or pytest itself without -n) reads its high-water mark, VmHWM in
/proc/self/status, when its session ends; the summary prints one figure per worker.

Set KC_MEMLOG=DIR to also write one line per test to DIR/<worker>.tsv (test, resident KiB after it, its
growth, the peak so far): that finds the tests that hold memory.
"""

import os
import pathlib

import pytest

RELEASE_GROWTH_KIB = 768 * 1024


def _status_kib(field):
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:  # not Linux: nothing to measure
        pass
    return None


def peak_kib():
    """This process's resident high-water mark (KiB), or None where /proc is absent."""
    return _status_kib("VmHWM")


# The largest peak of the helper processes this worker started (tests/fit_check.py), reported beside its own.
_helper_peak_kib = 0


def record_helper_peak(kib):
    global _helper_peak_kib
    if kib is not None:
        _helper_peak_kib = max(_helper_peak_kib, kib)


def release_memory():
    """Frees every unreachable model now, with the graphs traced for it (`keras_classics.runtime`)."""
    from keras_classics.runtime import release_models

    release_models()


def _worker_id(config):
    return getattr(config, "workerinput", {}).get("workerid", "main")


class MemoryGuard:
    def __init__(self, config):
        self.config = config
        self.worker_peaks = {}
        self.helper_peaks = {}
        self.after_release = _status_kib("VmRSS") or 0
        self.last_rss = self.after_release
        self.log = None
        directory = os.environ.get("KC_MEMLOG")
        if directory:
            path = pathlib.Path(directory)
            path.mkdir(parents=True, exist_ok=True)
            self.log = open(path / f"{_worker_id(config)}.tsv", "a", buffering=1)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_teardown(self, item):
        yield  # after the test's fixtures are finalized, so what they held is unreachable
        rss = _status_kib("VmRSS")
        if rss is not None and rss - self.after_release > RELEASE_GROWTH_KIB:
            release_memory()
            self.after_release = _status_kib("VmRSS") or 0
        if self.log is not None:
            rss = _status_kib("VmRSS") or 0
            self.log.write(f"{item.nodeid}\t{rss}\t{rss - self.last_rss}\t{_status_kib('VmHWM')}\n")
            self.last_rss = rss

    def pytest_sessionfinish(self):
        peak = _status_kib("VmHWM")
        if peak is None:
            return
        who = "controller" if getattr(self.config.option, "numprocesses", None) else "pytest"
        if hasattr(self.config, "workeroutput"):
            self.config.workeroutput["peak_rss_kib"] = peak
            self.config.workeroutput["helper_peak_rss_kib"] = _helper_peak_kib
        else:
            self.worker_peaks[who] = peak
            self.helper_peaks[who] = _helper_peak_kib

    def pytest_testnodedown(self, node, error):
        output = getattr(node, "workeroutput", {})
        if output.get("peak_rss_kib") is not None:
            self.worker_peaks[node.gateway.id] = output["peak_rss_kib"]
            self.helper_peaks[node.gateway.id] = output.get("helper_peak_rss_kib", 0)

    def pytest_terminal_summary(self, terminalreporter):
        if self.worker_peaks:
            peaks = ", ".join(f"{who} {kib / 2**20:.2f} GiB" for who, kib in sorted(self.worker_peaks.items()))
            terminalreporter.write_line(f"peak resident memory per process: {peaks}")
        helpers = {who: kib for who, kib in self.helper_peaks.items() if kib}
        if helpers:
            peaks = ", ".join(f"{who}'s {kib / 2**20:.2f} GiB" for who, kib in sorted(helpers.items()))
            terminalreporter.write_line(f"peak resident memory of the fit-check helper processes: {peaks}")
