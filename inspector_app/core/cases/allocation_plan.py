"""Planning who reads which sampled case, balancing workload and the mix of case types.

Dealing cases out in sample order gave one inspector all the suspended sentence orders and
another all the licences, so each reader saw a narrow slice of the work. The plan here gives
every reader a number of cases proportional to their weight (within their capacity) and, for
each value of the first balance field (the sentence type), a share of those cases that is the
floor or the ceiling of their exact quota; later fields (RoSH) are then spread as evenly as the
first field allows.

How:

1. Targets. The grand total (cases to allocate plus cases already held) is shared in
   proportion to weight by water-filling: every reader gets ``clamp(lam * weight, held,
   capacity)`` for the one ``lam`` that makes the shares add up, so a capped reader's surplus
   goes to the others in proportion to their weights. Largest remainder then rounds the shares
   to whole targets (each the floor or ceiling of its share, still within the bounds).
2. Strict balance on the first field is a controlled rounding problem: the exact quotas
   ``Q[r][v] = n_v * target_r / total`` have whole row sums (the targets) and whole column sums
   (the ``n_v``), so by the matrix rounding theorem (Bacharach 1966; Cox 1987) there is a whole
   matrix, every cell the floor or ceiling of its quota, with the same row and column sums. We
   find it as a min-cost flow (cases grouped by value and excluded reader -> reader/value cell
   -> reader) whose convex costs are zero exactly when every cell is at its floor or ceiling and
   every reader at their target. The fractional quotas are a zero-cost flow, and a min-cost
   flow with whole capacities has a whole optimum, so whenever the rounding exists the flow
   finds it. When cases already held, capacities or exclusions rule it out, the same costs pick
   the nearest plan: missing a target costs more than any imbalance of case types, and a
   second case off costs three times the first, so deviations are spread thin.
3. Which actual cases: the flow fixes how many cases of each group go to each reader; cases
   are then handed out one by one (rarest second-field value first, then case key), each to the
   reader with room in that case's group whose count of the case's second-field value is lowest
   relative to their target (Sainte-Laguë: least ``(2 * count + 1) / target``), later fields
   breaking ties, then reader order.

Every step sorts its input first, so the same cases in any order give the same plan.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from inspector_app.core.errors import ValidationError


@dataclass(frozen=True)
class Reader:
    """A person who can read cases: an inspector (weight 1) or a local assessor, who may take
    a smaller share (weight 0.5) or have a hard limit on cases (capacity)."""

    id: str
    name: str
    weight: float = 1.0  # relative share of the cases (a local assessor may take 0.5)
    capacity: int | None = None  # hard maximum of cases in total, including `existing`


@dataclass(frozen=True)
class AllocationPlan:
    """The proposed allocation plus the resulting workload, for the lead to review."""

    assignments: dict[str, str]  # case key -> reader id, for the cases to allocate
    # reader id -> field -> value (as text, "" for unknown) -> cases, counting existing + new
    mix: dict[str, dict[str, dict[str, int]]]
    totals: dict[str, int]  # reader id -> cases in total (existing + new)


def plan_allocation(
    cases: Sequence[tuple[str, Mapping[str, object]]],
    readers: Sequence[Reader],
    *,
    balance: Sequence[str] = ("sentence_type", "rosh"),
    existing: Mapping[str, Sequence[Mapping[str, object]]] | None = None,
    exclude: Mapping[str, str] | None = None,
) -> AllocationPlan:
    """Allocate `cases` (case key, profile) so that totals follow the readers' weights and each
    reader's mix of the first `balance` field matches the overall mix (floor or ceiling of the
    exact quota whenever capacities and exclusions allow), later fields as well as possible.

    `existing` (reader id -> profiles of cases they already hold) counts towards totals and mix,
    so a re-run after more cases are imported keeps the balance overall; `exclude` (case key ->
    reader id) names who must not get a case, e.g. its first reader when planning second reads.
    """
    readers = list(readers)
    fields = list(dict.fromkeys(balance))
    existing = existing or {}
    exclude = exclude or {}
    weights = _check_readers(readers)
    keys = [key for key, _ in cases]
    if len(set(keys)) != len(keys):
        twice = sorted(k for k, n in Counter(keys).items() if n > 1)[0]
        raise ValidationError(f"case '{twice}' is listed more than once")
    ids = [r.id for r in readers]
    unknown = sorted(set(existing) - set(ids))
    if unknown:
        raise ValidationError(f"cases already held by '{unknown[0]}', who is not in the team")

    profiles = {key: profile for key, profile in sorted(cases, key=lambda c: c[0])}
    held = [len(existing.get(i, ())) for i in ids]
    n_new = len(profiles)
    grand = n_new + sum(held)
    room = [
        None if r.capacity is None else max(r.capacity - h, 0)
        for r, h in zip(readers, held, strict=True)
    ]
    capped = [x for x in room if x is not None]
    if len(capped) == len(room) and sum(capped) < n_new:
        raise ValidationError(
            f"the team's capacity ({sum(capped)} cases) is smaller than the {n_new} cases "
            "to allocate"
        )
    barred = {key: exclude[key] for key in profiles if exclude.get(key) in ids}
    for key, who in barred.items():
        if not any(i != who and x != 0 for i, x in zip(ids, room, strict=True)):
            name = readers[ids.index(who)].name
            raise ValidationError(
                f"case '{key}' has nobody to go to: {name} is excluded and nobody else has room"
            )

    targets = _targets(weights, held, [r.capacity for r in readers], grand)

    def first(profile: Mapping[str, object]) -> str:
        return _text(profile.get(fields[0])) if fields else ""

    column = Counter(first(p) for p in profiles.values())
    for i in ids:
        column.update(first(p) for p in existing.get(i, ()))
    held_cells = [Counter(first(p) for p in existing.get(i, ())) for i in ids]

    groups: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for key, profile in profiles.items():
        groups[(first(profile), barred.get(key))].append(key)
    counts = _controlled_rounding(
        {g: len(members) for g, members in sorted(groups.items(), key=_group_order)},
        ids,
        targets,
        held,
        room,
        held_cells,
        column,
        grand,
    )
    if sum(sum(row.values()) for row in counts.values()) < n_new:
        raise ValidationError(
            f"the exclusions leave some of the {n_new} cases with nobody who has room"
        )

    assignments = _choose_cases(profiles, groups, counts, fields[1:], readers, targets, existing)
    return _summarise(assignments, profiles, readers, fields, existing)


def _check_readers(readers: list[Reader]) -> list[Fraction]:
    """Refuse a team the plan cannot be made for; return exact weights (so the arithmetic, and
    with it the plan, does not depend on float rounding)."""
    if not readers:
        raise ValidationError("there is nobody in the team to allocate cases to")
    seen: set[str] = set()
    weights = []
    for r in readers:
        if r.id in seen:
            raise ValidationError(f"'{r.name}' is in the team more than once")
        seen.add(r.id)
        if not (isinstance(r.weight, int | float) and math.isfinite(r.weight) and r.weight > 0):
            raise ValidationError(f"{r.name}'s weight must be a number above 0, not {r.weight!r}")
        if r.capacity is not None and r.capacity < 0:
            raise ValidationError(f"{r.name}'s capacity cannot be negative ({r.capacity})")
        weights.append(Fraction(repr(float(r.weight))))
    return weights


def _text(value: object) -> str:
    """Profile values as the text the lead sees; unknown (None) becomes ""."""
    return "" if value is None else str(value)


def _group_order(item: tuple[tuple[str, str | None], list[str]]) -> tuple[str, bool, str]:
    (value, barred), _ = item
    return (value, barred is not None, barred or "")


def _targets(
    weights: list[Fraction], held: list[int], capacity: list[int | None], grand: int
) -> list[int]:
    """Whole targets proportional to weight, each at least what the reader holds and at most
    their capacity: water-fill the exact shares, then round by largest remainder."""
    lows = [Fraction(h) for h in held]
    highs = [
        None if c is None else Fraction(max(c, h)) for c, h in zip(capacity, held, strict=True)
    ]

    def share(lam: Fraction, i: int) -> Fraction:
        value = max(lam * weights[i], lows[i])
        high = highs[i]
        return value if high is None else min(value, high)

    def filled(lam: Fraction) -> Fraction:
        return sum((share(lam, i) for i in range(len(weights))), Fraction(0))

    points = {Fraction(0)}
    points.update(lo / w for lo, w in zip(lows, weights, strict=True))
    points.update(hi / w for hi, w in zip(highs, weights, strict=True) if hi is not None)
    previous = Fraction(0)
    lam = None
    for point in sorted(points):
        if filled(point) >= grand:
            below = filled(previous)
            lam = (
                point
                if point == previous
                else previous + (grand - below) * (point - previous) / (filled(point) - below)
            )
            break
        previous = point
    if lam is None:  # beyond every breakpoint only uncapped readers still grow
        slope = sum((w for w, hi in zip(weights, highs, strict=True) if hi is None), Fraction(0))
        lam = previous + (grand - filled(previous)) / slope
    shares = [share(lam, i) for i in range(len(weights))]
    whole = [math.floor(s) for s in shares]
    spare = grand - sum(whole)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(shares[i] - whole[i]), i))
    for i in by_remainder[:spare]:
        whole[i] += 1
    return whole


def _segments(start: int, limit: int, low: int, high: int) -> list[tuple[int, int]]:
    """Convex cost, in steps of one case, of moving a count from `start` up by up to `limit`,
    with the count wanted in [low, high]: a first case off costs 1, each further case 3.
    Returned as (cases, marginal cost) runs, costs shifted by +3 so none is negative."""
    runs = [
        (-math.inf, low - 1, 0),
        (low - 1, low, 2),
        (low, high, 3),
        (high, high + 1, 4),
        (high + 1, math.inf, 6),
    ]
    out = []
    end = start + limit
    for a, b, cost in runs:
        lo, hi = max(a, start), min(b, end)
        if hi > lo:
            out.append((int(hi - lo), cost))
    return out


def _controlled_rounding(
    groups: dict[tuple[str, str | None], int],
    ids: list[str],
    targets: list[int],
    held: list[int],
    room: list[int | None],
    held_cells: list[Counter[str]],
    column: Counter[str],
    grand: int,
) -> dict[tuple[str, str | None], dict[int, int]]:
    """How many cases of each group (first-field value, excluded reader) go to each reader:
    the min-cost flow described in the module docstring. Returns group -> reader index -> n."""
    n_new = sum(groups.values())
    result: dict[tuple[str, str | None], dict[int, int]] = {g: {} for g in groups}
    if n_new == 0:
        return result
    values = sorted({v for v, _ in groups})
    per_value: Counter[str] = Counter()
    for (v, _), n in groups.items():
        per_value[v] += n
    # Cost scales: a reader off target outweighs any type imbalance, which outweighs the
    # preference (rounding up the cells with the largest remainders first).
    small = grand
    p2 = n_new * small + 1
    p1 = n_new * (6 * p2 + small) + 1

    flow = _MinCostFlow()
    source, sink = flow.node(), flow.node()
    reader_nodes = [flow.node() for _ in ids]
    cell_nodes = {}
    for v in values:
        for r in range(len(ids)):
            cell = cell_nodes[(v, r)] = flow.node()
            exact = column[v] * targets[r]
            low, high = exact // grand, -(-exact // grand)
            prefer = grand - exact % grand  # 1 - remainder, in units of 1/grand
            for cases, cost in _segments(held_cells[r][v], per_value[v], low, high):
                flow.edge(cell, reader_nodes[r], cases, cost * p2 + (prefer if cost == 3 else 0))
    for r in range(len(ids)):
        spare = room[r]
        limit = n_new if spare is None else min(n_new, spare)
        for cases, cost in _segments(held[r], limit, targets[r], targets[r]):
            flow.edge(reader_nodes[r], sink, cases, cost * p1)
    group_edges = {}
    for (v, barred), n in groups.items():
        node = flow.node()
        flow.edge(source, node, n, 0)
        for r, reader_id in enumerate(ids):
            if reader_id != barred:
                group_edges[((v, barred), r)] = flow.edge(node, cell_nodes[(v, r)], n, 0)
    flow.run(source, sink, n_new)
    for (group, r), edge in group_edges.items():
        sent = flow.sent(edge)
        if sent:
            result[group][r] = sent
    return result


def _choose_cases(
    profiles: dict[str, Mapping[str, object]],
    groups: dict[tuple[str, str | None], list[str]],
    counts: dict[tuple[str, str | None], dict[int, int]],
    secondary: list[str],
    readers: list[Reader],
    targets: list[int],
    existing: Mapping[str, Sequence[Mapping[str, object]]],
) -> dict[str, str]:
    """Pick the actual cases within each reader's quota per group, spreading the secondary
    fields: rarest second-field values are placed first, while every reader still has room,
    each going to the reader with the least of that value relative to their target."""
    group_of = {key: g for g, members in groups.items() for key in members}
    room = {(g, r): n for g, row in counts.items() for r, n in row.items()}
    have = [
        {f: Counter(_text(p.get(f)) for p in existing.get(reader.id, ())) for f in secondary}
        for reader in readers
    ]
    rarity = {f: Counter(_text(p.get(f)) for p in profiles.values()) for f in secondary}

    def case_order(key: str) -> tuple[object, ...]:
        profile = profiles[key]
        values = [_text(profile.get(f)) for f in secondary]
        return (
            *((rarity[f][v], v) for f, v in zip(secondary, values, strict=True)),
            group_of[key][0],
            key,
        )

    def reader_order(r: int, profile: Mapping[str, object]) -> tuple[object, ...]:
        if targets[r] == 0:  # only when an exclusion forces a case on them
            return (math.inf, r)
        return (
            *(Fraction(2 * have[r][f][_text(profile.get(f))] + 1, targets[r]) for f in secondary),
            r,
        )

    assignments = {}
    for key in sorted(profiles, key=case_order):
        group, profile = group_of[key], profiles[key]
        r = min(
            (r for r in range(len(readers)) if room.get((group, r))),
            key=lambda r: reader_order(r, profile),
        )
        room[(group, r)] -= 1
        for f in secondary:
            have[r][f][_text(profile.get(f))] += 1
        assignments[key] = readers[r].id
    return dict(sorted(assignments.items()))


def _summarise(
    assignments: dict[str, str],
    profiles: dict[str, Mapping[str, object]],
    readers: list[Reader],
    fields: list[str],
    existing: Mapping[str, Sequence[Mapping[str, object]]],
) -> AllocationPlan:
    """Totals and mix per reader, existing and new together; every value seen anywhere is
    listed for every reader (0 where they have none) so a table of the plan has no gaps."""
    held_by = {r.id: list(existing.get(r.id, ())) for r in readers}
    for key, reader_id in assignments.items():
        held_by[reader_id].append(profiles[key])
    seen = {f: sorted({_text(p.get(f)) for ps in held_by.values() for p in ps}) for f in fields}
    mix: dict[str, dict[str, dict[str, int]]] = {}
    for r in readers:
        mix[r.id] = {}
        for f in fields:
            tally = Counter(_text(p.get(f)) for p in held_by[r.id])
            mix[r.id][f] = {v: tally[v] for v in seen[f]}
    totals = {r.id: len(held_by[r.id]) for r in readers}
    return AllocationPlan(assignments, mix, totals)


class _MinCostFlow:
    """Successive shortest paths with Dijkstra on reduced costs (all costs start non-negative,
    so potentials start at zero). Small graphs only: a few hundred nodes."""

    def __init__(self) -> None:
        self.head: list[list[int]] = []  # node -> edge indices
        self.to: list[int] = []
        self.cap: list[int] = []
        self.cost: list[int] = []
        self.initial: list[int] = []

    def node(self) -> int:
        self.head.append([])
        return len(self.head) - 1

    def edge(self, a: int, b: int, capacity: int, cost: int) -> int:
        index = len(self.to)
        for frm, dst, c, w in ((a, b, capacity, cost), (b, a, 0, -cost)):
            self.head[frm].append(len(self.to))
            self.to.append(dst)
            self.cap.append(c)
            self.cost.append(w)
            self.initial.append(c)
        return index

    def sent(self, edge: int) -> int:
        return self.initial[edge] - self.cap[edge]

    def run(self, source: int, sink: int, wanted: int) -> int:
        potential: list[float] = [0] * len(self.head)
        sent = 0
        while sent < wanted:
            dist: list[float] = [math.inf] * len(self.head)
            via = [-1] * len(self.head)
            dist[source] = 0
            queue: list[tuple[float, int]] = [(0, source)]
            while queue:
                d, u = heapq.heappop(queue)
                if d > dist[u]:
                    continue
                for e in self.head[u]:
                    if self.cap[e] <= 0:
                        continue
                    v = self.to[e]
                    nd = d + self.cost[e] + potential[u] - potential[v]
                    if nd < dist[v]:
                        dist[v] = nd
                        via[v] = e
                        heapq.heappush(queue, (nd, v))
            if dist[sink] == math.inf:
                break
            for u, d in enumerate(dist):
                if d < math.inf:
                    potential[u] += d
            push = wanted - sent
            v = sink
            while v != source:
                e = via[v]
                push = min(push, self.cap[e])
                v = self.to[e ^ 1]
            v = sink
            while v != source:
                e = via[v]
                self.cap[e] -= push
                self.cap[e ^ 1] += push
                v = self.to[e ^ 1]
            sent += push
        return sent
