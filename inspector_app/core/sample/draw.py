"""Drawing the case sample: a stratified random draw from a trust's long list, with reserves.

The lead inspector draws the sample (typically 60-200 cases) from the long list (hundreds to
thousands of cases). The draw must be reproducible: anyone holding the long list and the seed
gets the same cases, the same sample numbers and the same reserves, on any machine.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from inspector_app.core.errors import ValidationError

Stratum = tuple[str, ...]


@dataclass(frozen=True)
class StratumPlan:
    """How many cases one stratum gives to the sample, so the lead can show and defend it."""

    stratum: Stratum  # the stratum's values, one per strata field, as text ("" for unknown)
    population: int  # candidates in the stratum
    drawn: int  # how many the plan takes from it


@dataclass(frozen=True)
class DrawResult:
    """A complete draw: the sample in sample-number order, the reserves and the plan behind it."""

    drawn: tuple[str, ...]  # candidate keys in sample order (sample numbers 1..N follow it)
    reserves: dict[Stratum, tuple[str, ...]]  # per stratum, reserve keys in order of use
    plan: tuple[StratumPlan, ...]  # sorted by stratum


def allocate_sizes(
    populations: Mapping[Stratum, int], size: int, *, minimum: int = 1
) -> dict[Stratum, int]:
    """Proportional allocation with a minimum per stratum (never more than the stratum holds),
    largest-remainder rounding.

    Proportional so the sample mirrors the long list; the minimum so that a small stratum is
    still seen at all. The minimum is a floor, not a bonus: a stratum whose proportional quota
    is below min(minimum, population) is fixed there and the other strata share the rest in
    proportion to population (repeated until no further stratum falls below its floor), so
    when no minimum binds every stratum is within one case of size * population / total.
    Floors are then taken and the leftover places go one each to the largest remainders, ties
    to the larger population, then to the earlier stratum. Exact fractions keep it
    deterministic. The result always sums to `size` with each value <= its population.

    If the minimums alone exceed `size`, not every stratum can have one: the minimum goes to
    the largest strata first (ties in stratum order), the last of them possibly getting only
    part of it, and the smallest strata get none.
    """
    if minimum < 0:
        raise ValidationError(f"the minimum per stratum cannot be negative (it is {minimum})")
    if size < 0:
        raise ValidationError(f"a sample cannot have a negative size ({size})")
    for stratum, population in populations.items():
        if population < 0:
            raise ValidationError(f"stratum {_label(stratum)} has a negative population")
    total = sum(populations.values())
    if size > total:
        raise ValidationError(f"cannot draw {size} cases from a long list of {total}")

    strata = sorted(populations)
    floors = {s: min(minimum, populations[s]) for s in strata}
    if sum(floors.values()) >= size:
        return _minimums_to_largest(populations, floors, size)

    fixed: dict[Stratum, int] = {}
    while True:
        free = [s for s in strata if s not in fixed]
        left = size - sum(fixed.values())
        # Never zero: fixing a stratum at its floor gives it more than its quota, so the
        # share per case left for the free strata (left / free population) only falls, from
        # size / total <= 1. For the same reason no quota ever exceeds its population: the
        # cap holds without redistributing anything.
        free_population = sum(populations[s] for s in free)
        quotas = {s: Fraction(left * populations[s], free_population) for s in free}
        newly = {s: floors[s] for s in free if quotas[s] < floors[s]}
        if not newly:
            break
        fixed |= newly

    sizes = dict(fixed)
    for s in free:
        sizes[s] = int(quotas[s])  # at least the floor, as no quota is below it now
    leftover = size - sum(sizes.values())
    by_remainder = sorted(free, key=lambda s: (-(quotas[s] - sizes[s]), -populations[s], s))
    for s in by_remainder[:leftover]:
        sizes[s] += 1
    return {s: sizes[s] for s in strata}


def _minimums_to_largest(
    populations: Mapping[Stratum, int], floors: Mapping[Stratum, int], size: int
) -> dict[Stratum, int]:
    """Minimums that do not all fit go to the largest strata: they hold most of the cases."""
    sizes = dict.fromkeys(sorted(populations), 0)
    left = size
    for s in sorted(populations, key=lambda s: (-populations[s], s)):
        sizes[s] = min(floors[s], left)
        left -= sizes[s]
    return sizes


def draw_stratified(
    candidates: Sequence[tuple[str, Stratum]],
    size: int,
    *,
    seed: str,
    minimum: int = 1,
    reserves_per_stratum: int = 2,
) -> DrawResult:
    """Draw `size` cases from (key, stratum) candidates, reproducibly from `seed`.

    Candidates are sorted by key first so the order of the long list never matters. One
    random.Random seeded with the text of `seed` (string seeding is stable across Python runs
    and machines) shuffles each stratum, strata taken in sorted order; the first cases of a
    shuffled stratum are drawn and the next `reserves_per_stratum` are its reserves, in the
    order they are to be used. A stratum with nothing drawn gets no reserves: there is
    nothing in it to replace. Whole strata are shuffled (rather than sampled) so that the
    number of reserves asked for never changes which cases are drawn. Finally the drawn keys
    are shuffled by the same generator, so sample numbers do not reveal the stratum.
    """
    if size < 1:
        raise ValidationError(f"a sample needs at least one case (asked for {size})")
    if reserves_per_stratum < 0:
        raise ValidationError(
            f"reserves per stratum cannot be negative (asked for {reserves_per_stratum})"
        )
    ordered = sorted(candidates, key=lambda candidate: candidate[0])
    for (key, _), (next_key, _) in itertools.pairwise(ordered):
        if key == next_key:
            raise ValidationError(f"case {key!r} appears more than once in the long list")
    if size > len(ordered):
        raise ValidationError(f"cannot draw {size} cases from a long list of {len(ordered)}")
    widths = {len(stratum) for _, stratum in ordered}
    if len(widths) > 1:
        raise ValidationError(
            "every case needs a value for each strata field "
            f"(cases have {', '.join(str(w) for w in sorted(widths))} values)"
        )

    members: dict[Stratum, list[str]] = {}
    for key, stratum in ordered:
        members.setdefault(tuple(stratum), []).append(key)
    populations = {s: len(keys) for s, keys in members.items()}
    sizes = allocate_sizes(populations, size, minimum=minimum)

    rng = random.Random(str(seed))
    drawn: list[str] = []
    reserves: dict[Stratum, tuple[str, ...]] = {}
    plan: list[StratumPlan] = []
    for stratum in sorted(members):
        keys = list(members[stratum])  # sorted by key
        rng.shuffle(keys)
        taken = sizes[stratum]
        drawn.extend(keys[:taken])
        reserves[stratum] = tuple(keys[taken : taken + reserves_per_stratum]) if taken else ()
        plan.append(StratumPlan(stratum, populations[stratum], taken))
    rng.shuffle(drawn)
    return DrawResult(tuple(drawn), reserves, tuple(plan))


def _label(stratum: Stratum) -> str:
    """A stratum as a user would recognise it, with unknown values shown as such."""
    return " / ".join(value or "(unknown)" for value in stratum) or "(no strata)"
