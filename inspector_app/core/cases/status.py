"""Where fieldwork stands: one summary row per case, as the case list and `status` show it."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from inspector_app.core.cases.case_data import CaseState, load_cases, progress_of, status_of
from inspector_app.core.files import case_queries
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework.profile import FIELDS_BY_NAME, FLAG_FIELDS, Profile


@dataclass(frozen=True)
class CaseSummary:
    key: str
    sample_no: int
    label: str
    sentence_type: str | None
    rosh: str | None
    tier: int | None
    flags: tuple[str, ...]  # labels of the flags that are set
    assessor: str | None
    second_reader: str | None
    status: str
    answered: int
    applicable: int
    notes_missing: int
    conflicts: int
    review_notes_open: int = 0  # the lead's review notes still waiting (cases/review.py)
    reviewed: bool = False  # signed off by the lead


@dataclass(frozen=True)
class FileStatus:
    path: str
    role: str
    owner: str | None
    title: str
    organisation: str
    framework: str
    cases: tuple[CaseSummary, ...]

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(c.status for c in self.cases))

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["counts"] = self.counts
        for case in data["cases"]:
            case.pop("key")
        return data


def profile_columns(profile: Profile) -> dict[str, Any]:
    """The profile as the case list's columns show it: sentence type, RoSH, tier and the
    flags set (values are validated on import: choice fields text, tier a whole number)."""
    return {
        "sentence_type": profile.get("sentence_type"),
        "rosh": profile.get("rosh"),
        "tier": profile.get("tier"),
        "flags": tuple(FIELDS_BY_NAME[f].label for f in FLAG_FIELDS if profile.get(f)),
    }


def summarise(file: InspectionFile, case: CaseState) -> CaseSummary:
    """One case's summary row, from its already loaded state."""
    profile = case.profile
    progress = progress_of(file.framework, case)
    return CaseSummary(
        key=case.key,
        sample_no=case.sample_no,
        label=case.label,
        **profile_columns(profile),
        assessor=case.first_reader,
        second_reader=case.second_reader,
        status=status_of(case),
        answered=progress.answered,
        applicable=progress.applicable,
        notes_missing=progress.notes_missing,
        conflicts=progress.conflicts,
        review_notes_open=case.review_notes_open,
        reviewed=case.reviewed,
    )


def case_summaries(file: InspectionFile, case_keys: list[str] | None = None) -> list[CaseSummary]:
    """The summaries of every case (in one scan of the file) or of the given ones."""
    return [summary for summary, _profile in summaries_with_profiles(file, case_keys)]


def summaries_with_profiles(
    file: InspectionFile, case_keys: list[str] | None = None
) -> list[tuple[CaseSummary, Profile]]:
    """Each summary with the case's profile as confirmed on site (what the case list's filter
    searches besides), for every case (in one scan) or the given ones, by sample number."""
    if case_keys is None:
        from inspector_app.core.cases.summary_scan import scan_summaries

        return scan_summaries(file)
    return [(summarise(file, case), case.profile) for case in load_cases(file, case_keys)]


def page_of_summaries(
    file: InspectionFile, start: int, count: int
) -> tuple[list[tuple[CaseSummary, Profile]], int]:
    """The same for `count` cases by sample number from the `start`th (0: the first), read
    case by case (a screenful to show while every case is read), with where the next page
    starts: the start again when there are no more. A withdrawn case leaves a page short."""
    keys = case_queries.page_of_keys(file.db, start, count)
    return summaries_with_profiles(file, keys) if keys else [], start + len(keys)


def file_status(file: InspectionFile) -> FileStatus:
    return FileStatus(
        path=str(file.path),
        role=file.role.role,
        owner=file.role.owner_name,
        title=file.inspection.title,
        organisation=file.inspection.organisation,
        framework=f"{file.framework.id} {file.framework.version}",
        cases=tuple(case_summaries(file)),
    )
