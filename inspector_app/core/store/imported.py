"""Figures from before the app: other areas' published scores, read from a CSV or XLSX file, so
the comparison works from the programme's first inspection made with the app.

One row a score: area, organisation, fieldwork_start, fieldwork_end, framework_id,
framework_version, criterion (a code of that framework: a stage, a criterion or standard, a
scored question, or "overall"), score (the printed percentage, 0 to 100) and base (the cases
judged). Headings are matched ignoring case, spaces and underscores. Every row is checked
first; a file with any problem is refused whole, naming the rows, and nothing is written.

Each area's inspection (area, framework id and version, fieldwork dates) becomes one
inspection in the store, marked as imported (`IMPORTED_APP_VERSION` in schema.py, and an id
starting "imported-"), written in one transaction as a publish is. Importing the same file
again changes nothing; a changed figure replaces that inspection's imported rows whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import sqlalchemy as sa

from inspector_app import __version__
from inspector_app.core.errors import ValidationError
from inspector_app.core.files.inspection_file import utc_now_iso
from inspector_app.core.framework import Framework
from inspector_app.core.framework.loader import builtin_frameworks, load_builtin
from inspector_app.core.i18n import _
from inspector_app.core.sample.table import cell_text, read_table
from inspector_app.core.store.engine import Store
from inspector_app.core.store.errors import StoreRefused
from inspector_app.core.store.frameworks import known_frameworks
from inspector_app.core.store.migrate import check_schema
from inspector_app.core.store.publication import CRITERION, OVERALL, QUESTION, STAGE
from inspector_app.core.store.publish import _who
from inspector_app.core.store.roles import check_may_publish
from inspector_app.core.store.schema import (
    IMPORTED_APP_VERSION,
    IMPORTED_ID_PREFIX,
    publish_event,
    published_figure,
    published_inspection,
)

# The columns, in the order the README lists them; headings are matched by `heading_key`.
COLUMNS = (
    "area",
    "organisation",
    "fieldwork_start",
    "fieldwork_end",
    "framework_id",
    "framework_version",
    "criterion",
    "score",
    "base",
)
MAX_PROBLEMS = 20  # problems listed before "and N more"

ADDED = "added"
REPLACED = "replaced"
UNCHANGED = "unchanged"


class ImportRefused(StoreRefused):
    """The file has problems; nothing was written. `problems` holds one line each."""

    def __init__(self, path: Path, problems: Sequence[str]) -> None:
        self.path = path
        self.problems = tuple(problems)
        shown = list(self.problems[:MAX_PROBLEMS])
        if len(self.problems) > MAX_PROBLEMS:
            shown.append(
                _("... and {more} more problems").format(more=len(self.problems) - MAX_PROBLEMS)
            )
        self.lines = tuple(shown)
        heading = _("{name}: not imported, nothing was written:").format(name=path.name)
        super().__init__("\n".join([heading, *(f"  {line}" for line in shown)]))


@dataclass(frozen=True)
class ImportedInspection:
    """One area's inspection as the file gives it."""

    area: str
    organisation: str
    fieldwork_start: str
    fieldwork_end: str
    framework_id: str
    framework_version: str
    programme: str
    figures: tuple[dict[str, object], ...]  # published_figure rows, without the id

    @property
    def inspection_id(self) -> str:
        key = json.dumps(
            [
                self.area,
                self.framework_id,
                self.framework_version,
                self.fieldwork_start,
                self.fieldwork_end,
            ],
            ensure_ascii=False,
        )
        return IMPORTED_ID_PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]

    @property
    def content_hash(self) -> str:
        content = {
            "area": self.area,
            "organisation": self.organisation,
            "fieldwork": [self.fieldwork_start, self.fieldwork_end],
            "framework": [self.framework_id, self.framework_version],
            "figures": sorted(
                (str(f["level"]), str(f["code"]), f["percent"], f["sufficient"], f["insufficient"])
                for f in self.figures
            ),
        }
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def cases_counted(self) -> int:
        """The overall score's base, else the largest base given."""
        bases = [
            (f["level"], int(str(f["sufficient"])) + int(str(f["insufficient"])))
            for f in self.figures
        ]
        overall = [base for level, base in bases if level == OVERALL]
        return overall[0] if overall else max((base for level, base in bases), default=0)


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did, for the command line."""

    store: str  # the store's address, without its password
    file: str
    rows: int  # scores read from the file
    added: tuple[str, ...]  # areas of inspections new to the store
    replaced: tuple[str, ...]  # areas whose imported figures changed
    unchanged: tuple[str, ...]  # areas the store held exactly so already

    @property
    def inspections(self) -> int:
        return len(self.added) + len(self.replaced) + len(self.unchanged)

    def to_json(self) -> dict[str, object]:
        return {
            "store": self.store,
            "file": self.file,
            "rows": self.rows,
            "inspections": self.inspections,
            "added": list(self.added),
            "replaced": list(self.replaced),
            "unchanged": list(self.unchanged),
        }


def heading_key(text: str) -> str:
    """A heading as matched: without case, spaces, underscores or hyphens."""
    return re.sub(r"[\s_\-]+", "", text).casefold()


_WANTED = {heading_key(column): column for column in COLUMNS}


def import_published(store: Store, path: Path | str) -> ImportOutcome:
    """Import the published scores in `path` (see the module's docstring), all or nothing."""
    path = Path(path)
    if not path.is_file():
        raise StoreRefused(_("{path}: no such file").format(path=path))
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise StoreRefused(
            _("{name}: only a CSV (.csv) or Excel workbook (.xlsx) file can be imported").format(
                name=path.name
            )
        )
    try:
        table = read_table(path, header_score=lambda text: heading_key(text) in _WANTED)
    except ValidationError as exc:
        raise StoreRefused(str(exc)) from exc
    if table.problem:
        raise StoreRefused(f"{path.name}: {table.problem}")
    columns: dict[str, int] = {}
    for index, heading in enumerate(table.header):
        name = _WANTED.get(heading_key(heading or ""))
        if name is not None and name not in columns:
            columns[name] = index
    missing = [column for column in COLUMNS if column not in columns]
    if missing:
        raise ImportRefused(
            path,
            [
                _("row {row}: no column {names} (the columns are: {columns})").format(
                    row=table.header_row, names=", ".join(missing), columns=", ".join(COLUMNS)
                )
            ],
        )
    rows = [
        (
            number,
            {name: cell_text(cells[i]) if i < len(cells) else None for name, i in columns.items()},
        )
        for number, cells in table.rows
    ]
    with store.begin(write=True) as conn:
        check_schema(conn, store.shown)
        check_may_publish(conn, store.shown)
        known = {(f.framework_id, f.version) for f in known_frameworks(conn)}
        inspections, problems = read_inspections(rows, known)
        if not rows:
            problems.append(_("the file holds no scores"))
        if problems:
            raise ImportRefused(path, problems)
        added: list[str] = []
        replaced: list[str] = []
        unchanged: list[str] = []
        for inspection in inspections:
            status = _write(conn, inspection)
            {ADDED: added, REPLACED: replaced, UNCHANGED: unchanged}[status].append(inspection.area)
    return ImportOutcome(
        store=store.shown,
        file=path.name,
        rows=len(rows),
        added=tuple(added),
        replaced=tuple(replaced),
        unchanged=tuple(unchanged),
    )


# --- checking ------------------------------------------------------------------------------


def read_inspections(
    rows: Sequence[tuple[int, dict[str, str | None]]], known: set[tuple[str, str]]
) -> tuple[list[ImportedInspection], list[str]]:
    """The file's inspections, and one line per problem (naming the row) if any."""
    problems: list[str] = []
    groups: dict[tuple[str, str, str, str, str], _Group] = {}
    frameworks: dict[tuple[str, str], Framework | None] = {}
    for number, cells in rows:
        found = _check_row(number, cells, known, frameworks, problems)
        if found is None:
            continue
        key, organisation, framework, figure = found
        group = groups.setdefault(key, _Group(organisation, framework))
        if group.organisation != organisation:
            problems.append(
                _(
                    "row {row}: organisation {organisation} differs from {first}, given above "
                    "for the same area and fieldwork"
                ).format(row=number, organisation=organisation, first=group.organisation)
            )
        elif figure["code"] in group.figures:
            problems.append(
                _("row {row}: a second score for {code} of the same area and fieldwork").format(
                    row=number, code=figure["code"]
                )
            )
        else:
            group.figures[str(figure["code"])] = figure
    inspections = [
        ImportedInspection(
            area=area,
            organisation=group.organisation,
            fieldwork_start=start,
            fieldwork_end=end,
            framework_id=framework_id,
            framework_version=version,
            programme=group.framework.programme,
            figures=tuple(sorted(group.figures.values(), key=lambda f: int(str(f["position"])))),
        )
        for (area, framework_id, version, start, end), group in groups.items()
    ]
    return inspections, problems


@dataclass
class _Group:
    organisation: str
    framework: Framework
    figures: dict[str, dict[str, object]] = field(default_factory=dict)


def _check_row(
    number: int,
    cells: dict[str, str | None],
    known: set[tuple[str, str]],
    frameworks: dict[tuple[str, str], Framework | None],
    problems: list[str],
) -> tuple[tuple[str, str, str, str, str], str, Framework, dict[str, object]] | None:
    """One row's inspection key, organisation, framework and figure, or None (the problems
    added to `problems`)."""
    before = len(problems)
    for column in COLUMNS:
        if not cells.get(column):
            problems.append(_("row {row}: no {column}").format(row=number, column=column))
    if len(problems) > before:
        return None
    area, organisation = str(cells["area"]), str(cells["organisation"])
    framework_id, version = str(cells["framework_id"]), str(cells["framework_version"])
    start = _date(number, "fieldwork_start", str(cells["fieldwork_start"]), problems)
    end = _date(number, "fieldwork_end", str(cells["fieldwork_end"]), problems)
    if start and end and end < start:
        problems.append(
            _("row {row}: fieldwork_end {end} is before fieldwork_start {start}").format(
                row=number, end=end, start=start
            )
        )
    score = _score(number, str(cells["score"]), problems)
    base = _base(number, str(cells["base"]), problems)
    framework = None
    if (framework_id, version) not in known:
        problems.append(
            _("row {row}: the store does not know framework {framework} version {version}").format(
                row=number, framework=framework_id, version=version
            )
        )
    else:
        framework = _framework(framework_id, version, frameworks)
        if framework is None:
            problems.append(
                _(
                    "row {row}: this version of Inspector cannot check the codes of framework "
                    "{framework} version {version}"
                ).format(row=number, framework=framework_id, version=version)
            )
    figure = None
    if framework is not None:
        figure = _figure(framework, str(cells["criterion"]))
        if figure is None:
            problems.append(
                _(
                    "row {row}: {code} is not a stage, criterion, scored question or "
                    "'overall' of framework {framework} version {version}"
                ).format(
                    row=number, code=cells["criterion"], framework=framework_id, version=version
                )
            )
    if len(problems) > before or framework is None or figure is None:
        return None
    assert start and end and score is not None and base is not None
    sufficient = int((score * base / 100).to_integral_value(ROUND_HALF_UP))
    percent = int(score.to_integral_value(ROUND_HALF_UP))
    figure.update(sufficient=sufficient, insufficient=base - sufficient, percent=percent)
    return (area, framework_id, version, start, end), organisation, framework, figure


def _date(number: int, column: str, text: str, problems: list[str]) -> str | None:
    try:
        return dt.date.fromisoformat(text[:10] if "T" in text else text).isoformat()
    except ValueError:
        problems.append(
            _("row {row}: {column} {text} is not a date (YYYY-MM-DD)").format(
                row=number, column=column, text=text
            )
        )
        return None


def _score(number: int, text: str, problems: list[str]) -> Decimal | None:
    try:
        value = Decimal(text.removesuffix("%").strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not 0 <= value <= 100:
        problems.append(
            _("row {row}: score {text} is not a percentage from 0 to 100").format(
                row=number, text=text
            )
        )
        return None
    return value


def _base(number: int, text: str, problems: list[str]) -> int | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value != value.to_integral_value() or value < 1:
        problems.append(
            _("row {row}: base {text} is not a positive whole number of cases").format(
                row=number, text=text
            )
        )
        return None
    return int(value)


def _framework(
    framework_id: str, version: str, cache: dict[tuple[str, str], Framework | None]
) -> Framework | None:
    """The framework this app ships with that id and version, or None."""
    if (framework_id, version) not in cache:
        framework = None
        if framework_id in builtin_frameworks():
            loaded = load_builtin(framework_id)
            framework = loaded if loaded.version == version else None
        cache[(framework_id, version)] = framework
    return cache[(framework_id, version)]


def _figure(framework: Framework, code: str) -> dict[str, object] | None:
    """The figure's level, code, title, stage and report position for a code of the
    framework (None: no such code)."""
    for position, (level, known, title, stage) in enumerate(_codes(framework)):
        if known.casefold() == code.casefold():
            return {
                "level": level,
                "code": known,
                "title": title,
                "stage": stage,
                "position": position,
                "rating": None,
                "adjusted_rating": None,
            }
    return None


def _codes(framework: Framework) -> list[tuple[str, str, str, str]]:
    """(level, code, title, stage) of every figure the framework has, in report order."""
    scored = {q.code: q for q in framework.questions() if q.scored}
    found = [(OVERALL, "overall", "All scored questions", "")]
    stages_done: set[str] = set()
    placed: set[str] = set()
    for criterion in framework.criteria():
        stage = framework.stage(criterion.stage) if criterion.stage else None
        if stage is not None and stage.code not in stages_done:
            stages_done.add(stage.code)
            found.append((STAGE, stage.code, stage.title, stage.code))
        found.append((CRITERION, criterion.code, criterion.title, criterion.stage))
        for code in criterion.questions:
            if code in scored and code not in placed:
                placed.add(code)
                question = scored[code]
                found.append((QUESTION, code, question.label or code, criterion.stage))
    for code, question in scored.items():
        if code not in placed:
            found.append((QUESTION, code, question.label or code, ""))
    return found


# --- writing -------------------------------------------------------------------------------


def _write(conn: sa.Connection, inspection: ImportedInspection) -> str:
    table = published_inspection
    inspection_id = inspection.inspection_id
    row = conn.execute(
        sa.select(table.c.content_hash).where(table.c.id == inspection_id).with_for_update()
    ).first()
    previous = None if row is None else str(row[0])
    content_hash = inspection.content_hash
    if previous == content_hash:
        return UNCHANGED
    values = {
        "title": inspection.area,
        "organisation": inspection.organisation,
        "programme": inspection.programme,
        "fieldwork_start": inspection.fieldwork_start,
        "fieldwork_end": inspection.fieldwork_end,
        "fieldwork_year": int(inspection.fieldwork_start[:4]),
        "framework_id": inspection.framework_id,
        "framework_version": inspection.framework_version,
        "cases_counted": inspection.cases_counted,
        "report_final": True,  # taken from a published report
        "overall_rating": None,
        "overall_score": None,
        "open_conflicts": 0,
        "conflicts_allowed": False,
        "content_hash": content_hash,
        "published_at": utc_now_iso(),
        "app_version": IMPORTED_APP_VERSION,
    }
    conn.execute(published_figure.delete().where(published_figure.c.inspection_id == inspection_id))
    if previous is None:
        conn.execute(table.insert().values(id=inspection_id, **values))
    else:
        conn.execute(table.update().where(table.c.id == inspection_id).values(values))
    conn.execute(
        published_figure.insert(),
        [{"inspection_id": inspection_id, **figure} for figure in inspection.figures],
    )
    conn.execute(
        publish_event.insert().values(
            inspection_id=inspection_id,
            published_at=values["published_at"],
            content_hash=content_hash,
            replaced_hash=previous,
            open_conflicts=0,
            conflicts_allowed=False,
            published_by=_who(conn),
            app_version=__version__,
        )
    )
    return ADDED if previous is None else REPLACED
