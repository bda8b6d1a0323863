"""Quality assurance: how often two assessors who read the same case agree.

For each pair of readers, over the questions both answered on the cases they both read: the
agreement rate and Cohen's kappa (agreement beyond what chance would give). Each reader's own
latest answer counts, not the lead's later resolution.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass

from inspector_app.core.cases.case_data import member_names
from inspector_app.core.files import allocation_queries
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.revisions.current import conflicted_keys
from inspector_app.core.revisions.log import decode_value
from inspector_app.core.revisions.reads import readers_latest_answers


@dataclass(frozen=True)
class PairAgreement:
    first: str
    second: str
    cases: int
    compared: int
    agreed: int
    rate: float | None
    kappa: float | None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def cohens_kappa(pairs: list[tuple[object, object]]) -> float | None:
    """Kappa for two raters' labels; None when it is undefined (no items, or both raters
    used one and the same category throughout, so chance agreement is 1)."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def _readers_answers(
    file: InspectionFile, *, double_read_only: bool
) -> tuple[dict[str, dict[str, object]], dict[str, str]]:
    """Each author's own latest answer per answer key (key -> author -> value), and each key's
    case. Resolutions (which carry a reason) are the lead's settlement, not a reading."""
    double_read = allocation_queries.double_read_cases(file.db) if double_read_only else None
    rows = readers_latest_answers(file.db.raw, double_read)
    by_key: dict[str, dict[str, object]] = defaultdict(dict)
    case_of: dict[str, str] = {}
    for record_key, case_key, author, value in rows:
        decoded = decode_value(value)
        if decoded is not None:
            by_key[record_key][author] = decoded
            case_of[record_key] = case_key
    return by_key, case_of


def _readers_by_case(file: InspectionFile, case_keys: set[str]) -> dict[str, list[str]]:
    """The member ids allocated each of the cases, sorted."""
    readers: dict[str, list[str]] = {key: [] for key in case_keys}
    for case_key, member_id, _ in allocation_queries.allocation_rows(file.db):
        if case_key in readers:
            readers[case_key].append(member_id)
    return {key: sorted(members) for key, members in readers.items()}


def agreement(file: InspectionFile) -> list[PairAgreement]:
    names = member_names(file)
    by_key, case_of = _readers_answers(file, double_read_only=True)
    readers = _readers_by_case(file, set(case_of.values()))
    pairs: dict[tuple[str, str], list[tuple[object, object]]] = defaultdict(list)
    cases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for record_key, answers in by_key.items():
        members = [m for m in readers[case_of[record_key]] if m in answers]
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                first, second = sorted((a, b), key=lambda m: names.get(m, m))
                pairs[(first, second)].append((answers[first], answers[second]))
                cases[(first, second)].add(case_of[record_key])
    result = []
    for (a, b), labels in sorted(
        pairs.items(), key=lambda kv: (names.get(kv[0][0]), names.get(kv[0][1]))
    ):
        agreed = sum(x == y for x, y in labels)
        result.append(
            PairAgreement(
                first=names.get(a, a),
                second=names.get(b, b),
                cases=len(cases[(a, b)]),
                compared=len(labels),
                agreed=agreed,
                rate=agreed / len(labels) if labels else None,
                kappa=cohens_kappa(labels),
            )
        )
    return result


@dataclass(frozen=True)
class QualityAssurance:
    """What the report may say of double reading: only what the answers show."""

    cases: int  # cases with answers from two readers to at least one question
    compared: int  # answers both readers gave
    agreed: int
    settled: int  # disagreements no longer open (the lead resolved them, or a reader changed)

    @property
    def disagreements(self) -> int:
        return self.compared - self.agreed


def quality_assurance(file: InspectionFile) -> QualityAssurance:
    """Cases double-read in fact (two readers' answers, not two allocations), how often the
    readers agreed, and how many of their differences are settled."""
    by_key, case_of = _readers_answers(file, double_read_only=False)
    open_keys = conflicted_keys(file.db.raw)
    cases: set[str] = set()
    compared = agreed = settled = 0
    for record_key, answers in by_key.items():
        if len(answers) < 2:
            continue
        cases.add(case_of[record_key])
        compared += 1
        if len(set(map(str, answers.values()))) == 1:
            agreed += 1
        elif record_key not in open_keys:
            settled += 1
    return QualityAssurance(len(cases), compared, agreed, settled)
