"""The one timing harness every benchmark part uses: warm-up, then interleaved rounds, then medians.

Shared machines are noisy: a compile job or a test run next door can halve the speed for a minute. Timing
contender A ten times and then B ten times lets such a minute land on one of them only. Here every round
calls each contender once, so a slow stretch falls on all of them alike; the median of each contender's
rounds drops the odd disturbed round, and the ratio of two medians measured in the same rounds is what the
suite reports. The order turns by one place each round (A, B, C, then B, C, A, then C, A, B): a call pays
for what ran just before it (caches, threads going to sleep), and in a fixed order one contender would
always follow the same one. Measured on MobileNetV3-Small at batch 1 (60 rounds): ours / keras.applications
was 1.16 with ours right after the torch reference and 0.97 with keras.applications there.

A contender is a callable with no arguments that returns only when its work is done (read back a
TensorFlow result, call `invoke()`, pull a batch): the harness times the call, nothing else.

Example:
    >>> calls = []
    >>> timings = interleave({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, rounds=2)
    >>> calls  # one warm-up round, then two timed ones, the second in turned order
    ['a', 'b', 'a', 'b', 'b', 'a']
    >>> len(timings.seconds["a"]), timings.rounds
    (2, 2)
"""

from __future__ import annotations

import dataclasses
import math
import statistics
import time
from typing import Callable, Mapping


@dataclasses.dataclass
class Timings:
    """Seconds per timed call of each contender, in round order (warm-up calls are not kept)."""

    seconds: dict[str, list[float]]

    @property
    def rounds(self) -> int:
        return min((len(values) for values in self.seconds.values()), default=0)

    def median(self, name: str) -> float:
        """The median seconds of one call of `name`."""
        return statistics.median(self.seconds[name])

    def ratio(self, numerator: str, denominator: str) -> float:
        """median(numerator) / median(denominator): below 1 means `numerator` is faster; NaN if either is absent."""
        if numerator not in self.seconds or denominator not in self.seconds:
            return math.nan
        return self.median(numerator) / self.median(denominator)

    def per_second(self, name: str, items: int) -> float:
        """`items` (images) per median call of `name`, per second; NaN if `name` was not timed."""
        return items / self.median(name) if name in self.seconds else math.nan

    def milliseconds(self, name: str) -> float:
        """The median call of `name` in milliseconds; NaN if `name` was not timed."""
        return 1e3 * self.median(name) if name in self.seconds else math.nan

    def columns(self, names, items: int, baseline: str = "ours") -> dict:
        """A table row's timing columns: `NAME_ms` and `NAME_images_per_s` of each of `names` (NaN for one
        not timed), then `BASELINE_vs_NAME`, the ratio of medians (below 1: the baseline is faster)."""
        row = {f"{name}_ms": self.milliseconds(name) for name in names}
        row.update({f"{name}_images_per_s": self.per_second(name, items) for name in names})
        row.update({f"{baseline}_vs_{name}": self.ratio(baseline, name) for name in names if name != baseline})
        return row


def interleave(
    contenders: Mapping[str, Callable[[], object]],
    rounds: int,
    warmup: int = 1,
    clock: Callable[[], float] = time.perf_counter,
    min_seconds: float = 0.0,
    max_rounds: int = 40,
) -> Timings:
    """Calls each contender `warmup` times untimed, then `rounds` timed times, one call per contender per round,
    the order turned by one place each round.

    With `min_seconds`, rounds go on (up to `max_rounds`) until every contender has that many seconds of timed
    calls: a 10 ms call needs tens of rounds for its median to settle, a 1 s call does not.

    Args:
        contenders: name -> callable, called in this order within every round.
        rounds: timed calls per contender (3 or more give a median that ignores one disturbed round).
        warmup: untimed rounds first: tracing, first-call allocations, filling caches.
        clock: seconds as a float (tests pass a fake one).

    Raises:
        ValueError: no contenders, rounds < 1 or warmup < 0.
    """
    if not contenders:
        raise ValueError("nothing to time: no contenders")
    if not isinstance(rounds, int) or rounds < 1:
        raise ValueError(f"rounds must be a positive int; got {rounds!r}")
    if not isinstance(warmup, int) or warmup < 0:
        raise ValueError(f"warmup must be an int >= 0; got {warmup!r}")
    for _ in range(warmup):
        for call in contenders.values():
            call()
    seconds = {name: [] for name in contenders}
    names = list(contenders)
    done = 0
    while done < rounds or (done < max_rounds and min(sum(v) for v in seconds.values()) < min_seconds):
        turn = done % len(names)
        done += 1
        for name in names[turn:] + names[:turn]:
            start = clock()
            contenders[name]()
            seconds[name].append(clock() - start)
    return Timings(seconds)
