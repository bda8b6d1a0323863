"""Does leaving rows out change who is in the sample? Excluded rows compared with kept ones.

Excluding the rows a file could not import looks harmless, but when the problem rows share a
trait (every case whose ethnicity was spelled the trust's way) the import silently removes a
whole group. The comparison names, field by field, how the excluded rows differ, and flags a
difference large enough that the lead must confirm it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspector_app.core.framework.profile import FieldKind, ProfileDefinition

if TYPE_CHECKING:
    from inspector_app.core.sample.importing import SampleReadResult

NOTABLE_GAP = 0.2  # a value's share differing by at least this much between excluded and kept
CHANCE = 0.001  # ... and by a margin a random choice of rows would give less often than this


@dataclass(frozen=True)
class Difference:
    """How the excluded rows differ from the kept ones on one field."""

    field: str
    sentence: str
    notable: bool


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "not recorded" if value is None else str(value)


def _percent(part: int, whole: int) -> int:
    return (200 * part + whole) // (2 * whole) if whole else 0  # half up


def _tail(k: int, n: int, p: float) -> float:
    """The chance that n rows picked at random, each with the value at rate p, hold k or more
    of it (k above the expected count) or k or fewer (below it)."""
    if p <= 0.0:
        return 1.0 if k == 0 else 0.0
    if p >= 1.0:
        return 1.0 if k == n else 0.0
    ks = range(k, n + 1) if k >= n * p else range(0, k + 1)
    log_p, log_q = math.log(p), math.log1p(-p)
    total = 0.0
    for i in ks:
        log_term = (
            math.lgamma(n + 1)
            - math.lgamma(i + 1)
            - math.lgamma(n - i + 1)
            + i * log_p
            + (n - i) * log_q
        )
        total += math.exp(log_term)
    return min(total, 1.0)


def compare_excluded(
    kept: Sequence[Mapping[str, object]],
    excluded: Sequence[Mapping[str, object]],
    definition: ProfileDefinition,
    *,
    skip: set[str] | frozenset[str] = frozenset(),
) -> list[Difference]:
    """One sentence per field where the excluded rows differ from the kept ones, the notable
    ones first."""
    if not excluded or not kept:
        return []
    n_out, n_kept = len(excluded), len(kept)
    differences: list[Difference] = []
    for spec in definition.profile_fields:
        if spec.kind is FieldKind.TEXT or not spec.in_report or spec.name in skip:
            continue
        out = Counter(_shown(p.get(spec.name)) for p in excluded)
        inside = Counter(_shown(p.get(spec.name)) for p in kept)
        if set(out) == {"not recorded"} and set(inside) == {"not recorded"}:
            continue
        gaps = {
            value: out[value] / n_out - inside[value] / n_kept for value in set(out) | set(inside)
        }
        value, gap = max(sorted(gaps.items()), key=lambda item: abs(item[1]))
        overall = (out[value] + inside[value]) / (n_out + n_kept)
        notable = abs(gap) >= NOTABLE_GAP and _tail(out[value], n_out, overall) < CHANCE
        label = spec.label
        kept_share = _percent(inside[value], n_kept)
        if out[value] == n_out:
            whole = (
                "the one excluded case has" if n_out == 1 else f"all {n_out} excluded cases have"
            )
            sentence = f"{whole} {label} {value}, against {kept_share}% of the cases kept"
        elif out[value] == 0:
            none = (
                "the one excluded case does not have"
                if n_out == 1
                else f"none of the {n_out} excluded cases has"
            )
            sentence = f"{none} {label} {value}, against {kept_share}% of the cases kept"
        else:
            sentence = (
                f"{label} {value}: {_percent(out[value], n_out)}% of the excluded cases, "
                f"{kept_share}% of the cases kept"
            )
        if abs(gap) > 0:
            differences.append(Difference(spec.name, sentence, notable))
    differences.sort(key=lambda d: not d.notable)
    return differences


def compare_left_out(
    result: SampleReadResult, definition: ProfileDefinition, *, with_problems: bool = True
) -> list[Difference]:
    """How the rows a read leaves out (mapped to exclude, and with `with_problems` the rows
    with problems) differ from the rows it keeps. A field every left-out row was excluded on
    differs by the lead's own choice, so it is not compared."""
    problems = [profile for _, profile in result.invalid_profiles] if with_problems else []
    left_out = [e.profile for e in result.excluded] + problems
    chosen: set[str] = (
        set.intersection(*(set(e.fields) for e in result.excluded))
        if result.excluded and not problems
        else set()
    )
    return compare_excluded([r.profile for r in result.rows], left_out, definition, skip=chosen)
