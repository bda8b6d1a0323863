"""Withdrawing a case without a replacement, and reinstating it.

When a case cannot be inspected and its stratum has no reserve left (or the lead wants none),
the case is withdrawn: it stays in the master with the reason, out of the case list, the
findings, the report's counts and every fieldwork file written from then on. Like a
replacement, a withdrawal is refused once anything is written on the case, so no fieldwork is
ever set aside. The case keeps its readers, so a fieldwork file written before still merges;
anything it brings stays with the withdrawn case and counts again if the case is reinstated.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspector_app.core.changes import Changes
from inspector_app.core.errors import ValidationError
from inspector_app.core.files import allocation_queries, case_queries, team_queries
from inspector_app.core.files import withdrawal_queries as queries
from inspector_app.core.files.inspection_file import InspectionFile, utc_now_iso
from inspector_app.core.files.withdrawal_queries import WithdrawalRow
from inspector_app.core.framework.profile import profile_from_json, sample_label
from inspector_app.core.i18n import _
from inspector_app.core.revisions.reads import case_has_revisions

REASON_LIMIT = 500


@dataclass(frozen=True)
class WithdrawnCase:
    """A withdrawn case as the Sample tab lists it."""

    key: str
    sample_no: int
    label: str  # "Case 003"
    description: str  # "Licence · High · Tier 3"
    reason: str
    withdrawn_at: str  # UTC, ISO 8601
    withdrawn_by: str | None  # the member's name
    first_reader: str | None
    written_since: bool  # a file written before brought work on it after it was withdrawn


def withdraw_case(file: InspectionFile, sample_no: int, reason: str) -> Changes:
    """Take a case out of the inspection without a replacement, with the reason. Refused once
    the case has any answer or correction."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError("give the reason the case is withdrawn (--reason)")
    if len(reason) > REASON_LIMIT:
        raise ValidationError(f"the reason is at most {REASON_LIMIT} characters")
    _check_master(file)
    key = file.case_key_for(sample_no)
    if key in queries.withdrawn_keys(file.db):
        raise ValidationError(f"case {sample_no} is already withdrawn")
    if case_has_revisions(file.db.raw, key):
        raise ValidationError(
            f"case {sample_no} already has answers or corrections; it cannot be withdrawn"
        )
    queries.add(file.db, WithdrawalRow(key, reason, utc_now_iso(), file.role.owner_id))
    return Changes(case_keys=frozenset({key}), cases=True, all_cases=True)


def reinstate_case(file: InspectionFile, sample_no: int) -> Changes:
    """Bring a withdrawn case back into the inspection, with the readers it had."""
    _check_master(file)
    key = file.case_key_for(sample_no)
    if not queries.remove(file.db, key):
        raise ValidationError(f"case {sample_no} is not withdrawn")
    return Changes(case_keys=frozenset({key}), cases=True, all_cases=True)


def withdrawn_cases(file: InspectionFile) -> list[WithdrawnCase]:
    """Every withdrawn case, by sample number."""
    rows = queries.withdrawals(file.db)
    if not rows:
        return []
    by_key = {row.case_key: row for row in rows}
    names = team_queries.names_by_id(file.db)
    first = {
        key: names.get(member_id)
        for key, member_id, reader in allocation_queries.allocation_rows(file.db, list(by_key))
        if reader == allocation_queries.FIRST
    }
    definition = file.framework.profile
    found = []
    for key, sample_no, profile_text, _raw in case_queries.case_rows(file.db, list(by_key)):
        row = by_key[key]
        profile = profile_from_json(profile_text, definition)
        found.append(
            WithdrawnCase(
                key=key,
                sample_no=sample_no,
                label=sample_label(sample_no),
                description=describe(profile),
                reason=row.reason,
                withdrawn_at=row.withdrawn_at,
                withdrawn_by=names.get(row.withdrawn_by or ""),
                first_reader=first.get(key),
                written_since=case_has_revisions(file.db.raw, key),
            )
        )
    return found


def describe(profile: dict[str, object]) -> str:
    """A case's kind as the set-up screen shows it: "Licence · High · Tier 3"."""
    parts = [str(profile.get(name) or "") for name in ("sentence_type", "rosh")]
    tier = profile.get("tier")
    if tier is not None:
        parts.append(f"Tier {tier}")
    return " · ".join(p for p in parts if p)


def withdrawal_fact(file: InspectionFile) -> tuple[str, str] | None:
    """What the report's account of the sample says of withdrawn cases, or None (none)."""
    cases = withdrawn_cases(file)
    if not cases:
        return None
    reasons = "; ".join(
        _("case {number:03d}: {reason}").format(number=c.sample_no, reason=c.reason) for c in cases
    )
    return (_("Cases withdrawn without a replacement"), f"{len(cases)} ({reasons})")


def _check_master(file: InspectionFile) -> None:
    if not file.is_master:
        raise ValidationError(
            f"{file.path.name}: is a fieldwork file; withdraw cases in the master file"
        )
