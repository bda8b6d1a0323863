"""The central store as the lead's screens use it: compare the master with the published
inspections, and publish it, the same way `inspector-app compare` and `publish` do
(cli/store_commands.py): the publication is built from the master read-only, the store is the
configured one (`core.store.configured`), and `compare` / `publish` do the work.

Each function is the `fn` of a background call: it opens the master and the store itself and
returns plain values. A store that cannot be used is an answer, not a crash: `compare_master`
says why in one line, naming the store's address and never its password. The report
compares the same way (`compare_file`, on the file it is built from), when a store is
configured (`store_configured`). Nothing here imports Qt.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import findings_from_cases
from inspector_app.core.store.access import open_store
from inspector_app.core.store.compare import Comparison, ComparisonRow, compare
from inspector_app.core.store.configured import (
    ENVIRONMENT_VARIABLE,
    remembered_address,
    resolve_location,
)
from inspector_app.core.store.errors import StoreRefused
from inspector_app.core.store.location import StoreLocation
from inspector_app.core.store.publication import (
    Publication,
    build_publication,
    publication_from_file,
)
from inspector_app.core.store.publish import (
    PUBLISHED,
    REPLACED,
    UNCHANGED,
    PublishOutcome,
    publish,
)

__all__ = [
    "COMPARED",
    "NOTHING_COMPARABLE",
    "PUBLISHED",
    "REPLACED",
    "UNCHANGED",
    "UNREACHABLE",
    "ComparisonRow",
    "MasterComparison",
    "PublishOutcome",
    "PublishPlan",
    "compare_file",
    "compare_master",
    "plan_publication",
    "publish_master",
    "store_configured",
]

COMPARED = "compared"  # the comparison has published inspections to compare with
NOTHING_COMPARABLE = "nothing comparable"  # the store has no inspection of this version
UNREACHABLE = "unreachable"  # the store cannot be used; `problem` says why


@dataclass(frozen=True)
class MasterComparison:
    """The master beside the store's published inspections, or why it cannot be."""

    status: str  # COMPARED, NOTHING_COMPARABLE or UNREACHABLE
    store: str  # the store's address without its password ("" if the address is unusable)
    framework_id: str
    framework_version: str
    comparison: Comparison | None  # None when UNREACHABLE
    problem: str = ""  # UNREACHABLE: the store's one-line reason, without its address
    framework_title: str = ""  # the framework's name in words, for the screen


@dataclass(frozen=True)
class PublishPlan:
    """What publishing the master would send, and where, before anything is sent."""

    store: str  # the store's address without its password
    organisation: str
    title: str
    framework_id: str
    framework_version: str
    cases: int
    answers: int
    figures: int
    open_conflicts: int


def store_configured(address: str | None = None) -> bool:
    """The lead chose a store: `address` (--store), INSPECTOR_APP_STORE, or the one `store
    init` remembered. The store file in the data folder, used when none is chosen, does not
    count: a report made without a chosen store says nothing about one."""
    if address and address.strip():
        return True
    if os.environ.get(ENVIRONMENT_VARIABLE, "").strip():
        return True
    return remembered_address() is not None


def compare_master(
    path: Path, passphrase: str | None, *, address: str | None = None, year: int | None = None
) -> MasterComparison:
    """The master's scores beside the published inspections of the same framework version."""
    with InspectionFile.open(path, readonly=True, passphrase=passphrase) as file:
        publication, title = publication_from_file(file), file.framework.title
    return replace(_compare(publication, address, year), framework_title=title)


def compare_file(
    file: InspectionFile,
    *,
    address: str | None = None,
    year: int | None = None,
    include_in_progress: bool = False,
) -> MasterComparison:
    """An open inspection file's scores beside the published inspections, its figures made as
    the report makes them (`include_in_progress` as the report counts cases), so the report's
    comparison prints the very figures the report does. A fieldwork file compares too."""
    cases = load_cases(file)
    findings = findings_from_cases(file.framework, cases, include_in_progress=include_in_progress)
    publication = build_publication(file.inspection, file.framework, cases, findings)
    return replace(_compare(publication, address, year), framework_title=file.framework.title)


def _compare(publication: Publication, address: str | None, year: int | None) -> MasterComparison:
    try:
        location = resolve_location(address)
    except StoreRefused as exc:
        return _unreachable(publication, "", str(exc))
    if location.default and location.path is not None and not location.path.exists():
        # Nothing was ever published here: say so without making the store file.
        return MasterComparison(
            NOTHING_COMPARABLE,
            location.shown,
            publication.framework_id,
            publication.framework_version,
            None,
        )
    try:
        with open_store(address) as store:
            comparison = compare(store, publication, year=year)
    except Exception as exc:  # any failure of the store is an answer on the screen
        return _unreachable(publication, location.shown, _one_line(exc, location))
    return MasterComparison(
        COMPARED if comparison.inspections else NOTHING_COMPARABLE,
        comparison.store,
        publication.framework_id,
        publication.framework_version,
        comparison,
    )


def plan_publication(
    path: Path, passphrase: str | None, *, address: str | None = None
) -> PublishPlan:
    """What `publish_master` would send and where (StoreRefused: an unusable address)."""
    publication = _publication(path, passphrase)
    location = resolve_location(address)
    return PublishPlan(
        store=location.shown,
        organisation=publication.organisation,
        title=publication.title,
        framework_id=publication.framework_id,
        framework_version=publication.framework_version,
        cases=len(publication.cases),
        answers=publication.answer_count,
        figures=len(publication.figures),
        open_conflicts=publication.open_conflicts,
    )


def publish_master(
    path: Path,
    passphrase: str | None,
    *,
    allow_conflicts: bool = False,
    address: str | None = None,
) -> PublishOutcome:
    """Publish the master as it is on disk now (`inspector-app publish`); StoreRefused says
    why not (open conflicts without `allow_conflicts`, a store that refuses)."""
    publication = _publication(path, passphrase)
    with open_store(address) as store:
        return publish(store, publication, allow_conflicts=allow_conflicts)


def _publication(path: Path, passphrase: str | None) -> Publication:
    with InspectionFile.open(path, readonly=True, passphrase=passphrase) as file:
        return publication_from_file(file)


def _unreachable(publication: Publication, store: str, problem: str) -> MasterComparison:
    return MasterComparison(
        UNREACHABLE,
        store,
        publication.framework_id,
        publication.framework_version,
        None,
        problem,
    )


def _one_line(exc: BaseException, location: StoreLocation) -> str:
    """The failure's first line, without the store's address in front (the screen names the
    store itself) and never with its password."""
    lines = str(exc).strip().splitlines()
    text = lines[0].strip() if lines else type(exc).__name__
    if location.password:
        text = text.replace(location.password, "***")
    return text.removeprefix(f"{location.shown}: ") or type(exc).__name__
