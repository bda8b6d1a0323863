"""A trust's export turned into validated cases, through the lead's mapping.

Every problem is reported by row and column at once (not one at a time), and the caller
decides whether to refuse the file or import only the good rows. Rows whose value the lead
mapped to "exclude" are set apart with the reason. Nothing here touches a database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app.core.framework.profile import (
    EXCLUDE,
    IGNORE,
    NOT_RECORDED,
    SAMPLE_NO_FIELD,
    FieldKind,
    InputRule,
    ProfileDefinition,
    ProfileField,
    ProfileInput,
    default_profile,
    fold,
)
from inspector_app.core.sample.mapping import (
    BLANK,
    SampleMapping,
    header_matcher,
    normalize_header,
    propose_mapping,
    resolve_item,
    resolve_value,
    split_items,
)
from inspector_app.core.sample.table import MAX_CELL_CHARS, Table, cell_text, read_table

__all__ = [
    "Excluded",
    "Problem",
    "SampleReadResult",
    "SampleRow",
    "convert_table",
    "read_sample",
    "read_sample_table",
]

_MAX_SHOWN = 40  # longest cell text quoted in a message before it is cut
_LAST = 1 << 30  # sort key that puts a file-level problem after the others


def _sample_columns() -> tuple[str, ...]:
    return tuple(f.name for f in default_profile().fields)


@dataclass(frozen=True)
class SampleRow:
    """One valid case from the file; `crn` and `name` are identifying and kept apart by the
    caller, `profile` holds every profile field (None where the file has no value) and `raw`
    the export's own spelling of each value that was mapped to another."""

    row_number: int  # as the user sees it in the spreadsheet
    sample_no: int | None  # None in a long list, where the sample is drawn later
    crn: str | None
    name: str | None
    profile: Mapping[str, object]
    raw: dict[str, str] = field(default_factory=dict)


class ProfileLayout:
    """The profile's field names, shared by every row read: a row keeps only its values (a
    long list of 100,000 rows would otherwise hold 100,000 copies of the keys)."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.index = {name: i for i, name in enumerate(names)}

    def row(self, values: Mapping[str, object]) -> RowProfile:
        return RowProfile(self, tuple(values.get(name) for name in self.names))


class RowProfile(Mapping[str, object]):
    """One row's profile, read-only: every field of the profile, None where it has no value."""

    __slots__ = ("_layout", "_values")

    def __init__(self, layout: ProfileLayout, values: tuple[object, ...]) -> None:
        self._layout, self._values = layout, values

    def __getitem__(self, name: str) -> object:
        return self._values[self._layout.index[name]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._layout.names)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return repr(dict(self))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, worded to be shown to the user as it is."""

    row: int | None  # None for file-level problems (missing column, encoding, empty file)
    column: str | None  # the header as written in the file, or the field's name
    message: str
    value: str | None = None  # the cell's text, for a value that is not allowed


@dataclass(frozen=True)
class Excluded:
    """A row left out because the lead mapped one of its values to 'exclude'."""

    row_number: int
    reason: str
    profile: Mapping[str, object]
    fields: tuple[str, ...] = ()  # the fields whose values excluded it


@dataclass(frozen=True)
class SampleReadResult:
    """Everything learnt from one file: the valid rows and every problem found."""

    path: Path
    rows: tuple[SampleRow, ...]  # only the valid rows
    problems: tuple[Problem, ...]
    total_rows: int  # data rows seen (blank rows and footers are not counted)
    excluded: tuple[Excluded, ...] = ()
    invalid_profiles: tuple[tuple[int, Mapping[str, object]], ...] = ()  # rows with problems
    mapping: SampleMapping = field(default_factory=SampleMapping)
    table: Table | None = None

    @property
    def ok(self) -> bool:
        """True when the whole file can be imported as it is."""
        return not self.problems


def read_sample_table(
    path: Path | str,
    definition: ProfileDefinition | None = None,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    progress: Callable[[int], bool] | None = None,
) -> Table:
    """The export's table, its header row found by the profile's known headings."""
    known = header_matcher(definition or default_profile())
    return read_table(
        path,
        sheet=sheet,
        header_row=header_row,
        header_score=lambda text: normalize_header(text) in known,
        progress=progress,
    )


def read_sample(
    path: Path | str,
    definition: ProfileDefinition | None = None,
    mapping: SampleMapping | None = None,
    *,
    long_list: bool = False,
    reference_date: dt.date | None = None,
) -> SampleReadResult:
    """Read and validate a file with a mapping (by default the headings and spellings the
    profile declares, and nothing else).

    Raises ValidationError only when the file cannot be read as a table at all; every other
    problem (encoding, columns, values) is reported in the result so the user sees them all.
    """
    definition = definition or default_profile()
    table = read_sample_table(
        path,
        definition,
        sheet=mapping.sheet if mapping else None,
        header_row=mapping.header_row if mapping else None,
    )
    chosen = propose_mapping(definition, table, mapping)
    return convert_table(
        table, definition, chosen, long_list=long_list, reference_date=reference_date
    )


def convert_table(
    table: Table,
    definition: ProfileDefinition,
    mapping: SampleMapping,
    *,
    long_list: bool = False,
    reference_date: dt.date | None = None,
) -> SampleReadResult:
    """Every row of `table` through `mapping`: valid rows, excluded rows and problems."""
    return _Converter(table, definition, mapping, long_list, reference_date).run()


# --- messages ----------------------------------------------------------------------------------


def _quote(text: str) -> str:
    shown = text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."
    shown = "".join(ch if ch.isprintable() else " " for ch in shown)
    return "'" + shown + "'"


def _spelling(text: str | None) -> str:
    return _quote(text) if text else "blank"


def _or_list(values: Sequence[object]) -> str:
    items = [str(v) for v in values]
    if not items:
        return "nothing"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


_MAP_HINT = "map it to an allowed value, or exclude its rows"


# --- conversion ---------------------------------------------------------------------------------


@dataclass
class _Column:
    index: int
    heading: str
    target: ProfileField | ProfileInput


class _Converter:
    """Checks the header, then every row, collecting problems with a sort key (row, column)."""

    def __init__(
        self,
        table: Table,
        definition: ProfileDefinition,
        mapping: SampleMapping,
        long_list: bool,
        reference_date: dt.date | None,
    ) -> None:
        self.table = table
        self.definition = definition
        self.mapping = mapping
        self.long_list = long_list
        self.reference_date = reference_date or dt.date.today()
        self.name = table.path.name
        self._problems: list[tuple[tuple[int, int], Problem]] = []
        self._resolved: dict[tuple[str, str | None], tuple[object, str]] = {}

    def _file_problem(self, message: str, column: str | None = None, index: int = -1) -> None:
        self._problems.append(((0, index), Problem(None, column, message)))

    def _row_problem(
        self, row: int, column: _Column, detail: str, value: str | None = None
    ) -> None:
        message = f"{self.name} row {row}, column '{column.heading}': {detail}."
        self._problems.append(((row, column.index), Problem(row, column.heading, message, value)))

    def run(self) -> SampleReadResult:
        table = self.table
        if table.problem is not None:
            self._file_problem(table.problem)
            return self._result([], 0, [], [])
        if table.empty:
            self._file_problem(f"{self.name} is empty: it has no header row and no cases.")
            return self._result([], 0, [], [])
        columns, usable = self._columns()
        rows, excluded, invalid = self._rows(columns)
        if not table.rows:
            self._file_problem(f"{self.name} has a header row but no cases.", index=_LAST)
        return self._result(rows if usable else [], len(table.rows), excluded, invalid)

    def _result(
        self,
        rows: list[SampleRow],
        total: int,
        excluded: list[Excluded],
        invalid: list[tuple[int, Mapping[str, object]]],
    ) -> SampleReadResult:
        self._problems.sort(key=lambda item: item[0])
        problems = tuple(problem for _, problem in self._problems)
        return SampleReadResult(
            self.table.path,
            tuple(rows),
            problems,
            total,
            tuple(excluded),
            tuple(invalid),
            self.mapping,
            self.table,
        )

    def _columns(self) -> tuple[list[_Column], bool]:
        """The mapped columns, and whether rows can be used (not if a required column is
        missing or a heading appears twice)."""
        usable = True
        positions: dict[str, list[int]] = {}
        for i, heading in enumerate(self.table.header):
            if heading:
                positions.setdefault(heading, []).append(i)
        fields = self.definition.by_name
        inputs = {i.id: i for i in self.definition.inputs}
        twice: set[str] = set()  # fields fed by two columns: said once, not read from either
        # Two columns the profile would read as one field: say so rather than pick one.
        for name, headings in self.mapping.ambiguous.items():
            if self.mapping.columns.get(name) not in headings:
                continue
            from openpyxl.utils import get_column_letter  # openpyxl is slow to import

            first, second = headings[0], headings[1]
            same = first == second  # one heading written twice: the mapping cannot tell them
            first_index = positions[first][0]
            second_index = positions[second][1 if same and len(positions[second]) > 1 else 0]
            advice = (
                "delete or rename one of them, then check the file again"
                if same
                else "delete one of them or choose one in the mapping"
            )
            self._file_problem(
                f"{self.name} has two columns for '{name}': {_quote(first)} (column "
                f"{get_column_letter(first_index + 1)}) and {_quote(second)} (column "
                f"{get_column_letter(second_index + 1)}); {advice}.",
                second,
                second_index,
            )
            usable = False
            twice.add(name)
            twice.update(inputs[name].into if name in inputs else ())
        columns: list[_Column] = []
        for name, heading in self.mapping.columns.items():
            if not heading:
                continue
            target = fields.get(name) or inputs.get(name)
            found = positions.get(heading)
            if target is None or not found:
                self._file_problem(
                    f"{self.name} has no column {_quote(heading)} (mapped to '{name}').",
                    heading,
                )
                usable = False
                continue
            if name in twice:
                continue
            if len(found) > 1:  # one heading twice: which column is meant cannot be told
                from openpyxl.utils import get_column_letter

                letters = " and ".join(get_column_letter(i + 1) for i in found)
                self._file_problem(
                    f"{self.name} has {len(found)} columns headed {_quote(heading)} (columns "
                    f"{letters}); delete or rename all but one, then check the file again.",
                    heading,
                    found[1],
                )
                usable = False
                twice.update(target.into if isinstance(target, ProfileInput) else (target.name,))
                continue
            columns.append(_Column(found[0], heading, target))
        fed = {c.target.name for c in columns if isinstance(c.target, ProfileField)} | twice
        for c in columns:
            if isinstance(c.target, ProfileInput):
                fed.update(c.target.into)
        for f in self.definition.fields:
            if not f.required or f.name in fed:
                continue
            if f.name == SAMPLE_NO_FIELD and self.long_list:
                continue
            self._file_problem(
                f"{self.name} has no column '{f.name}' ({f.label}) in its header row (row "
                f"{self.table.header_row}); this column is required.",
                f.name,
                len(self.table.header),
            )
            usable = False
        columns.sort(key=lambda c: c.index)
        return columns, usable

    def _rows(
        self, columns: list[_Column]
    ) -> tuple[list[SampleRow], list[Excluded], list[tuple[int, Mapping[str, object]]]]:
        valid: list[SampleRow] = []
        excluded: list[Excluded] = []
        invalid: list[tuple[int, Mapping[str, object]]] = []
        first_row_of: dict[int, int] = {}
        first_row_of_person: dict[str, int] = {}
        crn_column = next(
            (c for c in columns if isinstance(c.target, ProfileField) and c.target.name == "crn"),
            None,
        )
        sample_column = next(
            (
                c
                for c in columns
                if isinstance(c.target, ProfileField) and c.target.name == SAMPLE_NO_FIELD
            ),
            None,
        )
        direct = {c.target.name for c in columns if isinstance(c.target, ProfileField)}
        profile_names = [f.name for f in self.definition.profile_fields]
        layout = ProfileLayout(tuple(profile_names))
        for row_number, cells in self.table.rows:
            values: dict[str, object] = {}
            raw: dict[str, str] = {}
            joins: dict[str, list[tuple[int, str]]] = {}
            exclusions: list[tuple[tuple[str, ...], str]] = []
            row_ok = True
            for column in columns:
                cell = cells[column.index] if column.index < len(cells) else None
                text = cell_text(cell)
                if text is not None and len(text) > MAX_CELL_CHARS:
                    self._row_problem(
                        row_number,
                        column,
                        f"{len(text)} characters is too long for a profile value "
                        f"(at most {MAX_CELL_CHARS})",
                    )
                    row_ok = False
                    continue
                target = column.target
                if isinstance(target, ProfileField):
                    ok = self._field(row_number, column, target, cell, values, raw, exclusions)
                else:
                    if any(name in direct for name in target.into) and target.rule in (
                        InputRule.AGE_FROM_DATE,
                        InputRule.AGE_FROM_YEARS,
                    ):
                        continue  # the field has its own column
                    ok = self._input(
                        row_number, column, target, cell, values, raw, joins, exclusions
                    )
                row_ok = row_ok and ok
            for name, parts in joins.items():
                if name not in direct:
                    joined = " ".join(text for _, text in sorted(parts))
                    values[name] = joined or None
            crn = values.get("crn")
            if isinstance(crn, str) and crn.strip() and crn_column is not None:
                # One person twice could be drawn twice, or counted twice in the report.
                first = first_row_of_person.setdefault(crn.strip().upper(), row_number)
                if first != row_number:
                    self._row_problem(
                        row_number,
                        crn_column,
                        f"CRN {crn.strip()} is already on row {first} (the same person twice)",
                    )
                    row_ok = False
            sample_no = values.get(SAMPLE_NO_FIELD)
            if isinstance(sample_no, int) and sample_column is not None:
                first = first_row_of.setdefault(sample_no, row_number)
                if first != row_number:
                    self._row_problem(
                        row_number,
                        sample_column,
                        f"sample number {sample_no} is already used on row {first}",
                    )
                    row_ok = False
            case_profile = layout.row(values)
            if not row_ok:
                invalid.append((row_number, case_profile))
                continue
            if exclusions:
                reason = "; ".join(text for _, text in exclusions)
                fields = tuple(sorted({name for names, _ in exclusions for name in names}))
                excluded.append(Excluded(row_number, reason, case_profile, fields))
                continue
            if not self.long_list and not isinstance(sample_no, int):
                continue
            valid.append(
                SampleRow(
                    row_number=row_number,
                    sample_no=sample_no if isinstance(sample_no, int) else None,
                    crn=_text_or_none(values.get("crn")),
                    name=_text_or_none(values.get("name")),
                    profile=case_profile,
                    raw={k: v for k, v in raw.items() if k in layout.index},
                )
            )
        return valid, excluded, invalid

    def _field(
        self,
        row_number: int,
        column: _Column,
        target: ProfileField,
        cell: object,
        values: dict[str, object],
        raw: dict[str, str],
        exclusions: list[tuple[tuple[str, ...], str]],
    ) -> bool:
        text = cell_text(cell)
        if target.name == SAMPLE_NO_FIELD:
            number = _sample_number(target, cell, text)
            if text is None:
                self._row_problem(row_number, column, f"missing value ({target.label} is required)")
                return False
            if number is None:
                self._row_problem(
                    row_number,
                    column,
                    f"{_quote(text)} is not a sample number "
                    "(expected a positive whole number such as 17 or Case 017)",
                )
                return False
            values[target.name] = number
            return True
        value, state = self._resolve(target, cell)
        return self._settle(row_number, column, target, text, value, state, values, raw, exclusions)

    def _resolve(self, target: ProfileField, cell: object) -> tuple[object, str]:
        """resolve_value, remembered per spelling: a long list repeats a few spellings in
        thousands of rows."""
        if not isinstance(cell, str | None):
            return resolve_value(self.definition, target, cell, self.mapping)
        key = (target.name, cell)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = resolve_value(self.definition, target, cell, self.mapping)
        return found

    def _settle(
        self,
        row_number: int,
        column: _Column,
        target: ProfileField,
        text: str | None,
        value: object,
        state: str,
        values: dict[str, object],
        raw: dict[str, str],
        exclusions: list[tuple[tuple[str, ...], str]],
    ) -> bool:
        if state == "exclude":
            exclusions.append(((target.name,), f"{target.label} {_spelling(text)}"))
            return True
        if state == "unmapped":
            # Kept for comparing the rows left out with the rest, never imported.
            values[target.name] = f"{text or BLANK} (not mapped)"
            shown = _allowed_text(target)
            self._row_problem(
                row_number,
                column,
                f"unknown value {_quote(text or BLANK)} for {target.label} (expected {shown}); "
                + _MAP_HINT,
                text,
            )
            return False
        if value is None and target.required:
            self._row_problem(row_number, column, f"missing value ({target.label} is required)")
            return False
        values[target.name] = value
        if text is not None and value is not None and fold(_shown(value)) != fold(text):
            raw[target.name] = text
        return True

    def _input(
        self,
        row_number: int,
        column: _Column,
        source: ProfileInput,
        cell: object,
        values: dict[str, object],
        raw: dict[str, str],
        joins: dict[str, list[tuple[int, str]]],
        exclusions: list[tuple[tuple[str, ...], str]],
    ) -> bool:
        text = cell_text(cell)
        fields = self.definition.by_name
        if source.rule is InputRule.JOIN:
            if text is not None:
                joins.setdefault(source.into[0], []).append((source.order, text))
            return True
        if source.rule in (InputRule.AGE_FROM_DATE, InputRule.AGE_FROM_YEARS):
            return self._age(row_number, column, source, cell, text, values)
        chosen = self.mapping.value_for(source.id, text if text is not None else BLANK)
        if chosen == EXCLUDE:
            exclusions.append((source.into, f"{source.label} {_spelling(text)}"))
            return True
        if chosen == NOT_RECORDED or text is None:
            return True
        if source.rule is InputRule.ITEMS:
            flags = dict.fromkeys(source.into, False)
            ok = True
            for item in split_items(source, text):
                target, state = resolve_item(source, item, self.mapping)
                if state == "exclude":
                    exclusions.append((source.into, f"{source.label} {_spelling(item)}"))
                elif state == "unmapped" or target is None:
                    self._row_problem(
                        row_number,
                        column,
                        f"unknown item {_quote(item)} in {source.label} (expected one of "
                        f"{_or_list([fields[n].label for n in source.into])}, or ignore it); "
                        + _MAP_HINT.replace("value", "requirement"),
                        item,
                    )
                    ok = False
                elif target != IGNORE:
                    flags[target] = True
            for name, flag in flags.items():
                values.setdefault(name, flag)
            return ok
        # SPLIT: one part per field, in order.
        parts = [part.strip() for part in text.split(source.separator)]
        if len(parts) > len(source.into):
            self._row_problem(
                row_number,
                column,
                f"{_quote(text)} has {len(parts)} parts separated by "
                f"'{source.separator}', but {source.label} has {len(source.into)}; " + _MAP_HINT,
                text,
            )
            return False
        ok = True
        for name, part in zip(source.into, parts, strict=False):
            spec = fields[name]
            value, state = self._resolve(spec, part or None)
            ok = (
                self._settle(
                    row_number, column, spec, part or None, value, state, values, raw, exclusions
                )
                and ok
            )
        return ok

    def _age(
        self,
        row_number: int,
        column: _Column,
        source: ProfileInput,
        cell: object,
        text: str | None,
        values: dict[str, object],
    ) -> bool:
        target = self.definition.by_name[source.into[0]]
        if text is None:
            return True
        if source.rule is InputRule.AGE_FROM_DATE:
            born = _date(cell, text)
            if born is None:
                self._row_problem(
                    row_number,
                    column,
                    f"{_quote(text)} is not a date (expected a date such as 1984-03-21 or "
                    "21/03/1984)",
                )
                return False
            on = self.reference_date
            age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        else:
            number = _sample_number(target, cell, text, allow_zero=True)
            if number is None:
                self._row_problem(row_number, column, f"{_quote(text)} is not an age in years")
                return False
            age = number
        band = next((value for low, high, value in target.bands if low <= age <= high), None)
        if band is None:
            self._row_problem(
                row_number,
                column,
                f"an age of {age} on {self.reference_date.isoformat()} is outside every "
                f"{target.label} ({_or_list(target.values)})",
            )
            return False
        values[target.name] = band
        return True


def _allowed_text(target: ProfileField) -> str:
    if target.kind is FieldKind.FLAG:
        return "yes or no"
    return _or_list(target.values)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


_SAMPLE_NUMBER = re.compile(
    r"(?:(?:case|sample)\s*(?:no\.?|number)?\s*)?0*([0-9]{1,9})(?:\.0*)?", re.I
)


def _sample_number(
    target: ProfileField, value: object, text: str | None, *, allow_zero: bool = False
) -> int | None:
    """A positive whole number: 17, 17.0 (Excel), '017', 'Case 017'."""
    if text is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        number: int | None = value
    elif isinstance(value, float):
        number = int(value) if value.is_integer() and abs(value) < 1e9 else None
    else:
        prefixes = "|".join(re.escape(p) for p in (*target.number_prefixes, "case", "sample"))
        match = re.fullmatch(
            rf"(?:(?:{prefixes})\s*(?:no\.?|number)?\s*)?([+-]?[0-9]{{1,12}})(?:\.0*)?",
            text,
            re.I,
        )
        number = int(match.group(1)) if match else None
    if number is None or number < (0 if allow_zero else 1) or number >= 10**9:
        return None
    return number


def _date(value: object, text: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


if TYPE_CHECKING:
    SAMPLE_COLUMNS: tuple[str, ...]  # read on first use, by `__getattr__` below


def __getattr__(name: str) -> object:
    if name == "SAMPLE_COLUMNS":
        return _sample_columns()
    raise AttributeError(name)
