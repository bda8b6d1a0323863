"""The stratified sample draw: allocation arithmetic, reproducibility from the seed, reserves.

The lead must be able to show that the sample mirrors the long list (proportional, with a
minimum for small strata) and that anyone with the long list and the seed gets the same draw.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_app.core.errors import ValidationError
from inspector_app.core.sample.draw import (
    DrawResult,
    StratumPlan,
    allocate_sizes,
    draw_stratified,
)

CO, LIC, SSO = ("community order",), ("licence",), ("suspended sentence order",)
SENTENCES = {CO: 280, LIC: 214, SSO: 146}


def long_list(populations: dict[tuple[str, ...], int]) -> list[tuple[str, tuple[str, ...]]]:
    """Candidates with case references numbered across the strata, like a trust's extract."""
    candidates = []
    for stratum, population in populations.items():
        for _ in range(population):
            candidates.append((f"CRN{len(candidates) + 1:05d}", stratum))
    return candidates


SENTENCE_LIST = long_list(SENTENCES)

# Strata with one or two fields drawn from a few values, "" standing for unknown.
_values = st.sampled_from(["", "community order", "licence", "SSO", "female", "male"])
_strata = st.one_of(
    st.lists(st.tuples(_values), min_size=1, max_size=80),
    st.lists(st.tuples(_values, _values), min_size=1, max_size=80),
)


@st.composite
def candidate_lists(draw: st.DrawFn) -> list[tuple[str, tuple[str, ...]]]:
    strata = draw(_strata)
    keys = draw(
        st.lists(
            st.text(min_size=1, max_size=6), min_size=len(strata), max_size=len(strata), unique=True
        )
    )
    return list(zip(keys, strata, strict=True))


@st.composite
def draws(draw: st.DrawFn) -> tuple[list[tuple[str, tuple[str, ...]]], int, int, int, str]:
    candidates = draw(candidate_lists())
    size = draw(st.integers(1, len(candidates)))
    minimum = draw(st.integers(0, 4))
    reserves = draw(st.integers(0, 3))
    seed = draw(st.text(max_size=10))
    return candidates, size, minimum, reserves, seed


@st.composite
def allocations(draw: st.DrawFn) -> tuple[dict[tuple[str, ...], int], int, int]:
    names = draw(st.lists(st.text(max_size=4), min_size=1, max_size=8, unique=True))
    populations = {(name,): draw(st.integers(0, 500)) for name in names}
    size = draw(st.integers(0, sum(populations.values())))
    minimum = draw(st.integers(0, 6))
    return populations, size, minimum


def _stratum_of(candidates: list[tuple[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    return dict(candidates)


# --- the realistic case --------------------------------------------------------------------


def test_sentence_types_640_drawing_60_gives_26_20_14() -> None:
    # 60*280/640 = 26.25, 60*214/640 = 20.06, 60*146/640 = 13.69: floors 26, 20, 13 and the
    # one place left goes to the largest remainder (.69), so 26 / 20 / 14.
    assert allocate_sizes(SENTENCES, 60) == {CO: 26, LIC: 20, SSO: 14}
    result = draw_stratified(SENTENCE_LIST, 60, seed="HMIP-2025-Northshire")
    assert result.plan == (
        StratumPlan(CO, 280, 26),
        StratumPlan(LIC, 214, 20),
        StratumPlan(SSO, 146, 14),
    )
    strata = _stratum_of(SENTENCE_LIST)
    assert Counter(strata[key] for key in result.drawn) == {CO: 26, LIC: 20, SSO: 14}
    assert len(set(result.drawn)) == 60
    for stratum, reserves in result.reserves.items():
        assert len(reserves) == 2
        assert all(strata[key] == stratum for key in reserves)


def test_a_minimum_that_does_not_bind_changes_nothing() -> None:
    """The minimum is a floor, not a bonus: 13.69 is already above 5."""
    assert allocate_sizes(SENTENCES, 60, minimum=5) == {CO: 26, LIC: 20, SSO: 14}
    assert allocate_sizes(SENTENCES, 60, minimum=0) == {CO: 26, LIC: 20, SSO: 14}


def test_sample_numbers_do_not_follow_the_strata() -> None:
    result = draw_stratified(SENTENCE_LIST, 60, seed="HMIP-2025-Northshire")
    strata = _stratum_of(SENTENCE_LIST)
    in_sample_order = [strata[key] for key in result.drawn]
    assert in_sample_order != sorted(in_sample_order)


def test_a_different_seed_gives_a_different_draw() -> None:
    first = draw_stratified(SENTENCE_LIST, 60, seed="HMIP-2025-Northshire")
    second = draw_stratified(SENTENCE_LIST, 60, seed="HMIP-2025-Northshire-2")
    assert set(first.drawn) != set(second.drawn)
    assert first.plan == second.plan


def test_the_draw_for_a_seed_never_changes() -> None:
    """A recorded seed must reproduce the recorded sample in later releases and Pythons: if
    this fails, the drawing procedure changed and old draws can no longer be checked."""
    candidates = long_list({("licence",): 6, ("community order",): 5, ("",): 3})
    result = draw_stratified(candidates, 5, seed="2025-03-14 Helen Ashworth", minimum=1)
    assert result == DrawResult(
        drawn=EXPECTED_DRAWN,
        reserves=EXPECTED_RESERVES,
        plan=(
            StratumPlan(("",), 3, 1),
            StratumPlan(("community order",), 5, 2),
            StratumPlan(("licence",), 6, 2),
        ),
    )


EXPECTED_DRAWN = ("CRN00007", "CRN00013", "CRN00010", "CRN00001", "CRN00002")
EXPECTED_RESERVES = {
    ("",): ("CRN00012", "CRN00014"),
    ("community order",): ("CRN00009", "CRN00008"),
    ("licence",): ("CRN00006", "CRN00003"),
}


# --- allocation by hand ----------------------------------------------------------------------


def test_binding_minimums_are_fixed_and_the_rest_shared_in_proportion() -> None:
    # Quotas 49.6 / 0.25 / 0.1: the small strata get their floors (3, and all 2 of the
    # tiny one) and the large stratum the remaining 45.
    populations = {("large",): 1000, ("small",): 5, ("tiny",): 2}
    assert allocate_sizes(populations, 50, minimum=3) == {
        ("large",): 45,
        ("small",): 3,
        ("tiny",): 2,
    }


def test_equal_remainders_go_to_the_larger_stratum_then_the_earlier_one() -> None:
    # Quotas 0.5 and 1.5: the same remainder, so the larger stratum "b" gets the place.
    assert allocate_sizes({("a",): 1, ("b",): 3}, 2, minimum=0) == {("a",): 0, ("b",): 2}
    # Same remainder and same population: stratum order decides.
    even = {("a",): 1, ("b",): 1, ("c",): 1}
    assert allocate_sizes(even, 2, minimum=0) == {("a",): 1, ("b",): 1, ("c",): 0}


def test_minimums_that_do_not_fit_go_to_the_largest_strata_first() -> None:
    populations = {("a",): 5, ("b",): 10, ("c",): 10}
    assert allocate_sizes(populations, 2, minimum=1) == {("a",): 0, ("b",): 1, ("c",): 1}
    assert allocate_sizes(populations, 4, minimum=3) == {("a",): 0, ("b",): 3, ("c",): 1}
    assert allocate_sizes(populations, 9, minimum=3) == {("a",): 3, ("b",): 3, ("c",): 3}


def test_a_minimum_larger_than_a_stratum_takes_the_whole_stratum() -> None:
    assert allocate_sizes({("a",): 100, ("b",): 2}, 20, minimum=5) == {("a",): 18, ("b",): 2}


def test_empty_strata_get_nothing() -> None:
    assert allocate_sizes({("a",): 0, ("b",): 10}, 3) == {("a",): 0, ("b",): 3}


# --- allocation properties --------------------------------------------------------------------


@settings(max_examples=300)
@given(allocations())
def test_allocation_sums_to_size_within_populations(
    case: tuple[dict[tuple[str, ...], int], int, int],
) -> None:
    populations, size, minimum = case
    sizes = allocate_sizes(populations, size, minimum=minimum)
    assert sizes.keys() == populations.keys()
    assert sum(sizes.values()) == size
    assert all(0 <= sizes[s] <= populations[s] for s in populations)
    assert allocate_sizes(dict(reversed(populations.items())), size, minimum=minimum) == sizes


@settings(max_examples=300)
@given(allocations())
def test_every_stratum_gets_its_minimum_when_the_minimums_fit(
    case: tuple[dict[tuple[str, ...], int], int, int],
) -> None:
    populations, size, minimum = case
    floors = {s: min(minimum, p) for s, p in populations.items()}
    sizes = allocate_sizes(populations, size, minimum=minimum)
    if sum(floors.values()) <= size:
        assert all(sizes[s] >= floors[s] for s in populations)
    else:
        # Largest strata first: a run of full minimums, at most one partial, then nothing.
        order = sorted(populations, key=lambda s: (-populations[s], s))
        given_out = [sizes[s] for s in order]
        full = [sizes[s] == floors[s] for s in order]
        first_short = full.index(False)
        assert all(full[:first_short])
        assert all(n == 0 for n in given_out[first_short + 1 :])


@settings(max_examples=300)
@given(allocations())
def test_allocation_is_within_one_case_of_the_quota_when_no_minimum_binds(
    case: tuple[dict[tuple[str, ...], int], int, int],
) -> None:
    populations, size, minimum = case
    total = sum(populations.values())
    quotas = {
        s: Fraction(size * p, total) if total else Fraction(0) for s, p in populations.items()
    }
    binds = any(quotas[s] < min(minimum, p) for s, p in populations.items())
    sizes = allocate_sizes(populations, size, minimum=0 if binds else minimum)
    assert all(abs(sizes[s] - quotas[s]) < 1 for s in populations)


# --- draw properties -----------------------------------------------------------------------


@settings(max_examples=200)
@given(draws())
def test_draw_follows_its_plan(
    case: tuple[list[tuple[str, tuple[str, ...]]], int, int, int, str],
) -> None:
    candidates, size, minimum, reserves_per_stratum, seed = case
    result = draw_stratified(
        candidates, size, seed=seed, minimum=minimum, reserves_per_stratum=reserves_per_stratum
    )
    strata = _stratum_of(candidates)
    populations = Counter(strata.values())
    assert len(result.drawn) == size
    assert len(set(result.drawn)) == size
    assert set(result.drawn) <= strata.keys()
    assert [p.stratum for p in result.plan] == sorted(populations)
    assert {p.stratum: p.population for p in result.plan} == populations
    assert sum(p.drawn for p in result.plan) == size
    drawn_per_stratum = Counter(strata[key] for key in result.drawn)
    assert {p.stratum: p.drawn for p in result.plan if p.drawn} == drawn_per_stratum
    if sum(min(minimum, n) for n in populations.values()) <= size:
        assert all(p.drawn >= min(minimum, p.population) for p in result.plan)


@settings(max_examples=200)
@given(draws())
def test_reserves_are_from_their_stratum_and_never_drawn_twice(
    case: tuple[list[tuple[str, tuple[str, ...]]], int, int, int, str],
) -> None:
    candidates, size, minimum, reserves_per_stratum, seed = case
    result = draw_stratified(
        candidates, size, seed=seed, minimum=minimum, reserves_per_stratum=reserves_per_stratum
    )
    strata = _stratum_of(candidates)
    assert list(result.reserves) == [p.stratum for p in result.plan]
    all_reserves = [key for keys in result.reserves.values() for key in keys]
    assert len(all_reserves) == len(set(all_reserves))
    assert not set(all_reserves) & set(result.drawn)
    for plan in result.plan:
        reserves = result.reserves[plan.stratum]
        assert all(strata[key] == plan.stratum for key in reserves)
        expected = min(reserves_per_stratum, plan.population - plan.drawn) if plan.drawn else 0
        assert len(reserves) == expected


@settings(max_examples=150)
@given(st.data(), draws())
def test_same_seed_same_draw_whatever_the_order_of_the_long_list(
    data: st.DataObject,
    case: tuple[list[tuple[str, tuple[str, ...]]], int, int, int, str],
) -> None:
    candidates, size, minimum, reserves_per_stratum, seed = case
    shuffled = data.draw(st.permutations(candidates))
    options = {"seed": seed, "minimum": minimum, "reserves_per_stratum": reserves_per_stratum}
    first = draw_stratified(candidates, size, **options)
    assert draw_stratified(candidates, size, **options) == first
    assert draw_stratified(shuffled, size, **options) == first
    assert draw_stratified(tuple(reversed(shuffled)), size, **options) == first


@settings(max_examples=150)
@given(draws(), st.integers(0, 5))
def test_the_number_of_reserves_never_changes_the_sample(
    case: tuple[list[tuple[str, tuple[str, ...]]], int, int, int, str], other_reserves: int
) -> None:
    candidates, size, minimum, reserves_per_stratum, seed = case
    first = draw_stratified(
        candidates, size, seed=seed, minimum=minimum, reserves_per_stratum=reserves_per_stratum
    )
    second = draw_stratified(
        candidates, size, seed=seed, minimum=minimum, reserves_per_stratum=other_reserves
    )
    assert second.drawn == first.drawn
    for stratum, reserves in first.reserves.items():
        shorter = min(len(reserves), len(second.reserves[stratum]))
        assert second.reserves[stratum][:shorter] == reserves[:shorter]


# --- refusals -------------------------------------------------------------------------------


def test_more_cases_than_the_long_list_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        draw_stratified(SENTENCE_LIST, 700, seed="x")
    assert str(caught.value) == "cannot draw 700 cases from a long list of 640"
    with pytest.raises(ValidationError, match=r"^cannot draw 700 cases from a long list of 640$"):
        allocate_sizes(SENTENCES, 700)


@pytest.mark.parametrize("size", [0, -3])
def test_an_empty_sample_is_refused(size: int) -> None:
    with pytest.raises(ValidationError) as caught:
        draw_stratified(SENTENCE_LIST, size, seed="x")
    assert str(caught.value) == f"a sample needs at least one case (asked for {size})"


def test_a_case_listed_twice_is_refused() -> None:
    candidates = [*SENTENCE_LIST, ("CRN00007", LIC)]
    with pytest.raises(ValidationError) as caught:
        draw_stratified(candidates, 60, seed="x")
    assert str(caught.value) == "case 'CRN00007' appears more than once in the long list"


def test_cases_with_different_numbers_of_strata_values_are_refused() -> None:
    candidates = [("A1", ("licence", "female")), ("A2", ("licence",))]
    with pytest.raises(ValidationError, match=r"^every case needs a value for each strata field"):
        draw_stratified(candidates, 1, seed="x")


def test_negative_settings_are_refused() -> None:
    with pytest.raises(ValidationError, match=r"^the minimum per stratum cannot be negative"):
        draw_stratified(SENTENCE_LIST, 60, seed="x", minimum=-1)
    with pytest.raises(ValidationError, match=r"^reserves per stratum cannot be negative"):
        draw_stratified(SENTENCE_LIST, 60, seed="x", reserves_per_stratum=-1)
    with pytest.raises(ValidationError, match=r"^stratum licence has a negative population$"):
        allocate_sizes({LIC: -1, CO: 5}, 2)
    with pytest.raises(ValidationError, match=r"^a sample cannot have a negative size"):
        allocate_sizes(SENTENCES, -1)


def test_messages_are_one_line() -> None:
    attempts = [
        lambda: draw_stratified(SENTENCE_LIST, 700, seed="x"),
        lambda: draw_stratified(SENTENCE_LIST, 0, seed="x"),
        lambda: draw_stratified([*SENTENCE_LIST, ("CRN00001", CO)], 6, seed="x"),
        lambda: draw_stratified([("A", ("x", "y")), ("B", ("x",))], 1, seed="x"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert "\n" not in str(caught.value)
