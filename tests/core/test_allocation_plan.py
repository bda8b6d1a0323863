"""Planning the allocation: totals follow weights and capacities, every reader gets their share
of each sentence type, RoSH is spread, exclusions hold, and the plan is deterministic."""

from __future__ import annotations

import math
import random
import time
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_app.core.cases.allocation_plan import AllocationPlan, Reader, plan_allocation
from inspector_app.core.errors import ValidationError

SSO, LICENCE, CO = "Suspended sentence order", "Licence", "Community order"
ROSH = ("Low", "Medium", "High", "Very high")
TEAM = (
    Reader("daniel", "Daniel Okafor"),
    Reader("priya", "Priya Raman"),
    Reader("tom", "Tom Gallagher"),  # local assessor
)


def sample(types: dict[str, int], seed: int = 7) -> list[tuple[str, dict[str, object]]]:
    """Cases in sample order, types in runs (as an import gives them), RoSH mixed."""
    rng = random.Random(seed)
    cases = []
    for sentence_type, n in types.items():
        for _ in range(n):
            rosh = rng.choices(ROSH, weights=(4, 4, 2, 1))[0]
            cases.append(
                (f"case-{len(cases) + 1:03d}", {"sentence_type": sentence_type, "rosh": rosh})
            )
    return cases


def assert_first_field_balanced(
    plan: AllocationPlan, cases: list[tuple[str, dict[str, object]]], field: str = "sentence_type"
) -> None:
    """Each reader's count of each value is the floor or ceiling of the overall-mix share."""
    overall = Counter(str(p[field]) for _, p in cases)
    total = sum(plan.totals.values())
    for reader_id, reader_total in plan.totals.items():
        for value, n in overall.items():
            exact = n * reader_total / total
            got = plan.mix[reader_id][field][value]
            assert math.floor(exact) <= got <= math.ceil(exact), (reader_id, value, got, exact)


def test_realistic_sample_gives_everyone_every_sentence_type() -> None:
    cases = sample({SSO: 14, LICENCE: 13, CO: 13})
    plan = plan_allocation(cases, TEAM)

    assert plan.totals == {"daniel": 14, "priya": 13, "tom": 13}
    assert set(plan.assignments) == {key for key, _ in cases}
    overall = Counter(p["sentence_type"] for _, p in cases)
    for reader_id, reader_total in plan.totals.items():
        for sentence_type, n in overall.items():
            share = n * reader_total / 40
            assert abs(plan.mix[reader_id]["sentence_type"][sentence_type] - share) <= 1
    # RoSH is spread too (as well as possible; here nobody is a case off their share).
    rosh = Counter(p["rosh"] for _, p in cases)
    for reader_id, reader_total in plan.totals.items():
        for level, n in rosh.items():
            assert abs(plan.mix[reader_id]["rosh"][level] - n * reader_total / 40) < 1
    # The mix agrees with the assignments.
    profiles = dict(cases)
    for reader_id in plan.totals:
        mine = [profiles[k] for k, r in plan.assignments.items() if r == reader_id]
        assert plan.mix[reader_id]["sentence_type"] == {
            t: sum(p["sentence_type"] == t for p in mine) for t in sorted(overall)
        }


def test_capacity_is_a_hard_limit_and_the_rest_is_shared() -> None:
    cases = sample({SSO: 14, LICENCE: 13, CO: 13})
    team = (TEAM[0], TEAM[1], Reader("tom", "Tom Gallagher", capacity=8))
    plan = plan_allocation(cases, team)
    assert plan.totals == {"daniel": 16, "priya": 16, "tom": 8}
    assert_first_field_balanced(plan, cases)


def test_weights_share_the_cases() -> None:
    cases = sample({SSO: 20, LICENCE: 18, CO: 12})
    team = (TEAM[0], TEAM[1], Reader("tom", "Tom Gallagher", weight=0.5))
    plan = plan_allocation(cases, team)
    assert plan.totals == {"daniel": 20, "priya": 20, "tom": 10}
    assert_first_field_balanced(plan, cases)


def test_capacity_surplus_follows_weights() -> None:
    cases = sample({SSO: 30, LICENCE: 30})
    team = (
        Reader("a", "A", weight=2.0),
        Reader("b", "B", weight=1.0),
        Reader("c", "C", capacity=5),
    )
    plan = plan_allocation(cases, team)
    assert plan.totals == {"a": 37, "b": 18, "c": 5}


def test_exclusion_is_honoured_when_planning_second_readers() -> None:
    cases = sample({SSO: 14, LICENCE: 13, CO: 13})
    first = plan_allocation(cases, TEAM)
    second = plan_allocation(cases, TEAM, exclude=first.assignments)
    assert all(second.assignments[k] != first.assignments[k] for k, _ in cases)
    assert sorted(second.totals.values()) == [13, 13, 14]
    assert_first_field_balanced(second, cases)


def test_exclusion_wins_over_balance() -> None:
    cases = sample({SSO: 4, LICENCE: 2})
    plan = plan_allocation(cases, TEAM[:2], exclude={key: "priya" for key, _ in cases[:5]})
    assert {plan.assignments[k] for k, _ in cases[:5]} == {"daniel"}
    assert plan.totals == {"daniel": 5, "priya": 1}


def test_existing_cases_count_so_a_rerun_keeps_the_balance() -> None:
    cases = sample({SSO: 14, LICENCE: 13, CO: 13})
    profiles = dict(cases)
    first_batch = cases[:20]  # the first import was all suspended sentence orders + licences
    plan = plan_allocation(first_batch, TEAM)
    held: dict[str, list[dict[str, object]]] = {r.id: [] for r in TEAM}
    for key, reader_id in plan.assignments.items():
        held[reader_id].append(profiles[key])

    rerun = plan_allocation(cases[20:], TEAM, existing=held)
    assert not set(rerun.assignments) & set(plan.assignments)
    assert rerun.totals == {"daniel": 14, "priya": 13, "tom": 13}
    assert_first_field_balanced(rerun, cases)


def test_a_new_member_takes_the_new_cases_when_the_others_hold_their_share() -> None:
    held = {"daniel": [{"sentence_type": SSO, "rosh": "Low"}] * 10}
    held["priya"] = [{"sentence_type": LICENCE, "rosh": "Low"}] * 10
    cases = sample({CO: 6})
    plan = plan_allocation(cases, TEAM, existing=held)
    assert plan.totals == {"daniel": 10, "priya": 10, "tom": 6}
    assert set(plan.assignments.values()) == {"tom"}


def test_unknown_values_are_counted_as_empty_text() -> None:
    cases = [("a", {"sentence_type": SSO}), ("b", {"sentence_type": None, "rosh": "Low"})]
    plan = plan_allocation(cases, TEAM[:1])
    assert plan.mix["daniel"] == {
        "sentence_type": {"": 1, SSO: 1},
        "rosh": {"": 1, "Low": 1},
    }


def test_nothing_to_allocate_still_reports_the_team() -> None:
    plan = plan_allocation([], TEAM, existing={"tom": [{"sentence_type": CO, "rosh": "High"}]})
    assert plan.assignments == {}
    assert plan.totals == {"daniel": 0, "priya": 0, "tom": 1}
    assert plan.mix["daniel"]["sentence_type"] == {CO: 0}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"readers": []}, "nobody in the team"),
        (
            {"readers": [Reader("a", "A", capacity=20), Reader("b", "B", capacity=20)]},
            r"^the team's capacity \(40 cases\) is smaller than the 60 cases to allocate$",
        ),
        (
            {"readers": [Reader("a", "A")], "exclude": {"case-001": "a"}},
            "case 'case-001' has nobody to go to: A is excluded",
        ),
        (
            {
                "readers": [Reader("a", "A", capacity=0), Reader("b", "B")],
                "exclude": {"case-001": "b"},
            },
            "case 'case-001' has nobody to go to",
        ),
        ({"readers": [Reader("a", "A"), Reader("a", "A")]}, "more than once"),
        ({"readers": [Reader("a", "A", weight=0)]}, "weight must be a number above 0"),
        ({"readers": [Reader("a", "A", capacity=-1)]}, "capacity cannot be negative"),
        ({"readers": TEAM, "existing": {"zoe": []}}, "'zoe', who is not in the team"),
    ],
)
def test_refusals(kwargs: dict, message: str) -> None:
    cases = sample({SSO: 30, LICENCE: 30})
    with pytest.raises(ValidationError, match=message) as caught:
        plan_allocation(cases, **kwargs)
    assert "\n" not in str(caught.value)


def test_capacity_and_exclusions_together_can_leave_cases_stranded() -> None:
    cases = sample({SSO: 3})
    team = [Reader("a", "A", capacity=1), Reader("b", "B", capacity=5)]
    with pytest.raises(ValidationError, match="exclusions leave some of the 3 cases"):
        plan_allocation(cases, team, exclude={key: "b" for key, _ in cases})


def test_a_case_listed_twice_is_refused() -> None:
    with pytest.raises(ValidationError, match="'x' is listed more than once"):
        plan_allocation([("x", {}), ("x", {})], TEAM)


def test_order_of_cases_does_not_change_the_plan() -> None:
    cases = sample({SSO: 14, LICENCE: 13, CO: 13})
    plan = plan_allocation(cases, TEAM)
    for seed in range(5):
        shuffled = cases[:]
        random.Random(seed).shuffle(shuffled)
        assert plan_allocation(shuffled, TEAM) == plan


def test_large_team_and_sample_plan_quickly() -> None:
    rng = random.Random(3)
    types = [f"type {i}" for i in range(10)]
    cases = [
        (f"c{i:04d}", {"sentence_type": rng.choice(types), "rosh": rng.choice(ROSH)})
        for i in range(1000)
    ]
    team = [Reader(f"r{i:02d}", f"R{i}", weight=0.5 if i % 4 == 0 else 1.0) for i in range(20)]
    started = time.perf_counter()
    first = plan_allocation(cases, team)
    second = plan_allocation(cases, team, exclude=first.assignments)
    assert time.perf_counter() - started < 20
    assert_first_field_balanced(first, cases)
    assert_first_field_balanced(second, cases)
    assert all(second.assignments[k] != first.assignments[k] for k, _ in cases)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=5), max_size=200),
    st.lists(st.sampled_from(ROSH), min_size=1, max_size=200),
    st.integers(min_value=1, max_value=8),
    st.randoms(use_true_random=False),
)
def test_every_reader_gets_their_quota_of_every_type(
    types: list[int], rosh: list[str], n_readers: int, rng: random.Random
) -> None:
    cases = [
        (f"k{i:03d}", {"sentence_type": f"type {t}", "rosh": rosh[i % len(rosh)]})
        for i, t in enumerate(types)
    ]
    team = [Reader(f"r{i}", f"Reader {i}") for i in range(n_readers)]
    plan = plan_allocation(cases, team)

    assert sorted(plan.assignments) == sorted(k for k, _ in cases)
    assert max(plan.totals.values()) - min(plan.totals.values()) <= 1
    overall = Counter(f"type {t}" for t in types)
    for reader_id, reader_total in plan.totals.items():
        for value, n in overall.items():
            exact = n * reader_total / len(cases)
            assert abs(plan.mix[reader_id]["sentence_type"][value] - exact) < 1

    shuffled = cases[:]
    rng.shuffle(shuffled)
    assert plan_allocation(shuffled, team) == plan


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.sampled_from(ROSH)), max_size=80),
    st.lists(
        st.tuples(st.sampled_from([0.5, 1.0, 2.0]), st.none() | st.integers(0, 30)),
        min_size=1,
        max_size=5,
    ),
    st.lists(st.integers(0, 4), max_size=80),
    st.data(),
)
def test_capacities_exclusions_and_held_cases_are_always_respected(
    profiles: list[tuple[int, str]],
    team_spec: list[tuple[float, int | None]],
    held_by: list[int],
    data: st.DataObject,
) -> None:
    """Hard rules hold for any team: every case placed once, nobody over capacity, nobody given
    a case they are excluded from; without exclusions the sentence types stay balanced."""
    team = [Reader(f"r{i}", f"R{i}", w, c) for i, (w, c) in enumerate(team_spec)]
    cases = [(f"k{i:02d}", {"sentence_type": t, "rosh": r}) for i, (t, r) in enumerate(profiles)]
    existing: dict[str, list[dict[str, object]]] = {}
    for i, who in enumerate(held_by[: len(team) * 3]):
        if who < len(team):
            existing.setdefault(team[who].id, []).append({"sentence_type": i % 4, "rosh": "Low"})
    excluded = data.draw(
        st.dictionaries(
            st.sampled_from([k for k, _ in cases] or ["none"]),
            st.sampled_from([r.id for r in team]),
        )
    )
    try:
        plan = plan_allocation(cases, team, existing=existing, exclude=excluded)
    except ValidationError as refused:
        room = [
            math.inf if r.capacity is None else max(r.capacity - len(existing.get(r.id, [])), 0)
            for r in team
        ]
        assert sum(room) < len(cases) or excluded, str(refused)
        return

    assert sorted(plan.assignments) == [k for k, _ in cases]
    for reader in team:
        held = len(existing.get(reader.id, []))
        new = sum(r == reader.id for r in plan.assignments.values())
        assert plan.totals[reader.id] == held + new
        if reader.capacity is not None:
            assert new == 0 or plan.totals[reader.id] <= reader.capacity
    assert all(plan.assignments[k] != r for k, r in excluded.items() if k in plan.assignments)
    if not excluded and not existing:
        assert_first_field_balanced(plan, cases)
