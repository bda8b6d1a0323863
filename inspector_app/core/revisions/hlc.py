"""Hybrid logical clock: orders revisions across laptops even when a clock is wrong.

A timestamp is wall time in milliseconds, a counter for events in the same millisecond (or
while the wall clock is behind), and the replica id, encoded as fixed-width text so that
string order is time order.

Both widths are fixed, and so is the order: the counter never grows past its six digits. When
it would (a million events in one millisecond, which only a stamp received from elsewhere at
the counter's limit can bring about), the clock moves on to the next millisecond instead, so
every stamp it issues is valid and sorts after the ones before it. A stamp received from
elsewhere is never adopted as it is unless it is valid: one that is not a stamp at all is
ignored, and one whose counter an earlier version let grow past six digits is read as the
millisecond that many events would have reached (see `normalise`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

_MS_DIGITS = 13
_COUNTER_DIGITS = 6
MAX_COUNTER = 10**_COUNTER_DIGITS - 1
_MAX_MS = 10**_MS_DIGITS - 1
# The parts of a stamp a clock can move past: 13-digit milliseconds and a counter of digits.
_READABLE = re.compile(r"(\d{13})\.(\d{1,18})\.(.*)", re.ASCII | re.DOTALL)


def encode(ms: int, counter: int, replica: str) -> str:
    if not (0 <= ms <= _MAX_MS and 0 <= counter <= MAX_COUNTER):
        raise ValueError(f"no clock stamp has millisecond {ms} and counter {counter}")
    return f"{ms:0{_MS_DIGITS}d}.{counter:0{_COUNTER_DIGITS}d}.{replica}"


def decode(stamp: str) -> tuple[int, int, str]:
    ms, counter, replica = stamp.split(".", 2)
    return int(ms), int(counter), replica


def normalise(stamp: str | None) -> tuple[int, int, str] | None:
    """The (milliseconds, counter, replica) a stamp stands for, with the counter within its
    six digits, or None for text that is not a stamp. A counter an earlier version let grow
    past six digits carries into the milliseconds, as the clock now does: (ms, 1000002)
    stands for (ms + 1, 2), which still sorts after everything stamped in ms."""
    match = _READABLE.fullmatch(stamp) if isinstance(stamp, str) else None
    if match is None:
        return None
    ms, counter = int(match[1]), int(match[2])
    ms, counter = ms + counter // (MAX_COUNTER + 1), counter % (MAX_COUNTER + 1)
    if ms > _MAX_MS:
        return None
    return ms, counter, match[3]


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
        elif self.counter < MAX_COUNTER:
            self.counter += 1
        else:  # the counter is full: the next millisecond, never a seventh digit
            self.last_ms, self.counter = self.last_ms + 1, 0
        return encode(self.last_ms, self.counter, self.replica)

    def observe(self, stamp: str | None) -> None:
        """Move past a stamp received from elsewhere (after loading or merging). Text that is
        not a stamp is ignored; an over-wide counter is read as `normalise` says."""
        parts = normalise(stamp)
        if parts is None:
            return
        ms, counter, _ = parts
        if (ms, counter) > (self.last_ms, self.counter):
            self.last_ms, self.counter = ms, counter
