"""Hybrid logical clock: orders revisions across laptops even when a clock is wrong.

A timestamp is wall time in milliseconds, a counter for events in the same millisecond (or
while the wall clock is behind), and the replica id, encoded as fixed-width text so that
string order is time order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

_MS_DIGITS = 13
_COUNTER_DIGITS = 6


def encode(ms: int, counter: int, replica: str) -> str:
    return f"{ms:0{_MS_DIGITS}d}.{counter:0{_COUNTER_DIGITS}d}.{replica}"


def decode(stamp: str) -> tuple[int, int, str]:
    ms, counter, replica = stamp.split(".", 2)
    return int(ms), int(counter), replica


def wall_ms(stamp: str) -> int:
    """The wall-clock part of a stamp, for showing 'when' to a person."""
    return int(stamp.split(".", 1)[0])


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass
class HybridClock:
    """Issues strictly increasing stamps for one replica."""

    replica: str
    last_ms: int = 0
    counter: int = 0
    now: Callable[[], int] = field(default=_now_ms, repr=False)

    def tick(self) -> str:
        wall = self.now()
        if wall > self.last_ms:
            self.last_ms, self.counter = wall, 0
        else:
            self.counter += 1
        return encode(self.last_ms, self.counter, self.replica)

    def observe(self, stamp: str | None) -> None:
        """Move past a stamp received from elsewhere (after loading or merging)."""
        if not stamp:
            return
        ms, counter, _ = decode(stamp)
        if (ms, counter) > (self.last_ms, self.counter):
            self.last_ms, self.counter = ms, counter
