"""The one shape every bench's `--json` object takes, built in one place.

docs/benchmarks.md is generated from these objects (tools/benchmarks_doc.py), so each figure
must carry the same facts whichever script measured it: its median, min and max over its
runs, how many runs, the baseline measured in the same run and the ratio to it, the goal,
and the machine it ran on. A script fills a `Report` and prints it with `emit`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import operator
import os
import platform
import statistics
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA = 1
_COMPARE: dict[str, Callable[[float, float], bool]] = {"<=": operator.le, ">=": operator.ge}
# Top-level keys of the object; a headline figure may not take one of these names.
_RESERVED = frozenset(
    {"schema", "bench", "title", "command", "parameters", "figures", "facts", "notes", "goals_met"}
    | {"machine", "date"}
)


@dataclass(frozen=True)
class Goal:
    """A target the issue or the script states: on the figure's median, or on its ratio to
    the baseline (a ratio is what survives a slower or busier machine)."""

    op: str
    value: float
    on: str = "median"

    def __post_init__(self) -> None:
        if self.op not in _COMPARE or self.on not in ("median", "ratio"):
            raise ValueError(f"goal {self.on} {self.op} {self.value}")

    def met(self, median: float, ratio: float | None) -> bool | None:
        """None when the goal is on a ratio and there is no baseline to divide by."""
        subject = ratio if self.on == "ratio" else median
        return None if subject is None else _COMPARE[self.op](subject, self.value)

    def as_dict(self) -> dict[str, Any]:
        return {"on": self.on, "op": self.op, "value": self.value}


def at_most(value: float, on: str = "median") -> Goal:
    return Goal("<=", value, on)


def at_least(value: float, on: str = "median") -> Goal:
    return Goal(">=", value, on)


def spread(values: Sequence[float]) -> dict[str, float | int]:
    """Median, min, max and count: the median is the figure, min and max show how much
    the runs disagreed (a best run alone flatters)."""
    if not values:
        raise ValueError("a figure needs at least one run")
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": len(values),
    }


def machine() -> dict[str, Any]:
    """What the figures depend on besides the code: cores, Python, platform, and the load
    when measured (the machine may be shared)."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        usable = os.cpu_count()
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        load = None
    return {
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "load_average": load,
    }


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class Report:
    """One bench run's figures, facts (counts that are not timed) and notes."""

    bench: str
    title: str
    parameters: dict[str, Any]
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    headline: dict[str, float | None] = field(default_factory=dict)

    def add(
        self,
        name: str,
        values: Sequence[float],
        unit: str,
        label: str,
        *,
        baseline: str | None = None,
        goals: Sequence[Goal] = (),
    ) -> dict[str, Any]:
        """A figure from its runs; `baseline` names a figure added before it."""
        entry: dict[str, Any] = {"label": label, "unit": unit, **spread(values)}
        ratio = None
        if baseline is not None:
            base = self.figures[baseline]["median"]
            ratio = entry["median"] / base if base else None
            entry["baseline"] = baseline
            entry["baseline_median"] = base
        entry["ratio"] = ratio
        entry["goals"] = [g.as_dict() for g in goals]
        verdicts = [g.met(entry["median"], ratio) for g in goals]
        entry["met"] = None if not goals or None in verdicts else all(verdicts)
        self.figures[name] = entry
        return entry

    def top(self, name: str, value: float | None) -> None:
        """A figure the issue names, also at the top level (so `jq .shown_ratio` works)."""
        if name in _RESERVED:
            raise ValueError(f"{name} is a key of the report itself")
        self.headline[name] = value

    def goals_met(self) -> bool | None:
        """All stated goals met; None when no figure has a goal."""
        verdicts = [f["met"] for f in self.figures.values() if f["met"] is not None]
        return all(verdicts) if verdicts else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "bench": self.bench,
            "title": self.title,
            "command": command(),
            "parameters": self.parameters,
            **self.headline,
            "figures": self.figures,
            "facts": self.facts,
            "notes": self.notes,
            "goals_met": self.goals_met(),
            "machine": machine(),
            "date": now(),
        }


def command() -> str:
    """The command line that produced the figures, from the project folder."""
    script = Path(sys.argv[0]).resolve()
    try:
        shown = script.relative_to(Path(__file__).resolve().parents[1])
    except ValueError:
        shown = script
    return " ".join([str(shown.as_posix()), *sys.argv[1:]])


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object on stdout; the human text goes to stderr",
    )


def parameters(args: argparse.Namespace) -> dict[str, Any]:
    """The options a run used, without --json itself."""
    return {k: v for k, v in vars(args).items() if k != "json"}


@contextlib.contextmanager
def stdout_to_stderr(enabled: bool) -> Iterator[None]:
    """While measuring for --json, send everything written to stdout (our prints, a
    library's, a child process's) to stderr, so the JSON object is alone on stdout."""
    if not enabled:
        yield
        return
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def emit(report: Report) -> None:
    print(json.dumps(report.as_dict(), indent=2, default=str), flush=True)
