"""Read the long list / case sample a probation service sends (CSV or XLSX) into validated rows.

Services build these files by hand in Excel, so every problem is reported by row and column at
once (not one at a time), and the caller decides whether to refuse the file or import only the
good rows. Nothing here touches a database, and no cell is ever evaluated: a formula stays text.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from inspector_app.core import profile
from inspector_app.core.errors import ValidationError
from inspector_app.core.profile import FieldKind, ProfileField

__all__ = [
    "SAMPLE_COLUMNS",
    "Problem",
    "SampleReadResult",
    "SampleRow",
    "read_sample",
]

# Every column the importer understands, in the order a template would list them.
_ALL_FIELDS: tuple[ProfileField, ...] = (
    profile.SAMPLE_NO,
    profile.CRN,
    profile.NAME,
    *profile.PROFILE_FIELDS,
)
_FIELDS: dict[str, ProfileField] = {f.name: f for f in _ALL_FIELDS}
SAMPLE_COLUMNS: tuple[str, ...] = tuple(_FIELDS)
_REQUIRED_COLUMNS: tuple[str, ...] = tuple(f.name for f in _ALL_FIELDS if f.required)

_CSV_DELIMITERS = (",", ";", "\t")
_BINARY_SAMPLE = 65536  # bytes looked at to tell text from binary
_MAX_SHOWN = 40  # longest cell text quoted in a message before it is cut
_FLAG_WORDS: dict[str, bool] = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
}
# Words a service may write before a number ("Tier 3", "Case 017").
_NUMBER_PREFIXES: dict[str, str] = {"tier": "tier", "sample_no": "case"}
_LAST = 1 << 30  # sort key that puts a file-level problem after the others
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\x1a")


@dataclass(frozen=True)
class SampleRow:
    """One valid case from the file; `crn` and `name` are identifying and kept apart by the
    caller, `profile` holds every profile field (None where the file has no value)."""

    row_number: int  # as the user sees it in the spreadsheet (header = row 1)
    sample_no: int
    crn: str | None
    name: str | None
    profile: dict[str, object]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, worded to be shown to the user as it is."""

    row: int | None  # None for file-level problems (missing column, encoding, empty file)
    column: str | None  # the header as written in the file, or the canonical name
    message: str


@dataclass(frozen=True)
class SampleReadResult:
    """Everything learnt from one file: the valid rows and every problem found."""

    path: Path
    rows: tuple[SampleRow, ...]  # only the valid rows
    problems: tuple[Problem, ...]
    total_rows: int  # data rows seen (completely blank rows are not counted)

    @property
    def ok(self) -> bool:
        """True when the whole file can be imported as it is."""
        return not self.problems


def read_sample(path: Path | str) -> SampleReadResult:
    """Read and validate a sample file.

    Raises ValidationError only when the file cannot be read as a table at all; every other
    problem (encoding, columns, values) is reported in the result so the user sees them all.
    """
    path = Path(path)
    if not path.exists():
        raise ValidationError(f"Cannot read the sample file {path}: it does not exist.")
    if path.is_dir():
        raise ValidationError(f"Cannot read the sample file {path}: it is a folder, not a file.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _read_csv(path)
    elif suffix == ".xlsx":
        table = _read_xlsx(path)
    else:
        raise ValidationError(
            f"Cannot read the sample file {path}: only CSV (.csv) and Excel workbook (.xlsx) "
            "files can be imported; save the list as CSV UTF-8 or as an Excel workbook."
        )
    return _Validator(path).run(table)


# --- reading the table -------------------------------------------------------------------------


@dataclass
class _Table:
    """The raw cells of a file: the header row and the rows after it, numbered as the user sees
    them, or a file-level problem that stops anything from being read."""

    header_row: int = 0
    header: Sequence[object] = ()
    rows: Iterable[tuple[int, Sequence[object]]] = ()
    problem: str | None = None
    empty: bool = False


def _read_csv(path: Path) -> _Table:
    """Decode strictly as UTF-8 (never guess another encoding) and split with the delimiter the
    header row is written in."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"Cannot read the sample file {path}: {exc.strerror}.") from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _Table(problem=f"{path.name} is UTF-16 text, not UTF-8; save the file as CSV UTF-8.")
    if data.startswith(b"PK\x03\x04"):
        raise ValidationError(
            f"Cannot read the sample file {path}: it is not CSV text; it looks like an Excel "
            "workbook, so give it the .xlsx extension or save it as CSV UTF-8."
        )
    if _looks_binary(data):
        raise ValidationError(
            f"Cannot read the sample file {path}: it is not CSV text (it contains binary data)."
        )
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return _Table(
            problem=(
                f"{path.name} is not UTF-8 text (byte 0x{data[exc.start]:02X} at line {line}); "
                "save the file as CSV UTF-8."
            )
        )
    delimiter = _detect_delimiter(text)
    records = enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)
    try:
        for row_number, cells in records:
            if not _is_blank_row(cells):
                return _Table(header_row=row_number, header=cells, rows=_csv_rows(path, records))
    except csv.Error as exc:
        raise _csv_error(path, exc) from exc
    return _Table(empty=True)


def _csv_rows(
    path: Path, records: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, Sequence[object]]]:
    """The rows after the header, turning a parser failure into a message naming the file."""
    try:
        yield from records
    except csv.Error as exc:
        raise _csv_error(path, exc) from exc


def _csv_error(path: Path, exc: csv.Error) -> ValidationError:
    return ValidationError(f"Cannot read the sample file {path} as CSV: {exc}.")


def _looks_binary(data: bytes) -> bool:
    """A NUL byte, or many control characters, means this is not a text file at all."""
    if b"\x00" in data:
        return True
    head = data[:_BINARY_SAMPLE]
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls * 20 > len(head)  # more than 5 %


def _detect_delimiter(text: str) -> str:
    """Pick the delimiter under which the first non-blank line splits into the most known headers
    (then the most columns); this copes with headers that csv.Sniffer misreads."""
    best, best_score = ",", (-1, -1)
    for delimiter in _CSV_DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            header = next((cells for cells in reader if not _only_delimiters(cells)), [])
        except csv.Error:
            continue
        known = sum(1 for cell in header if _normalize_header(cell) in _HEADER_NAMES)
        score = (known, len(header))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _only_delimiters(cells: Sequence[str]) -> bool:
    """A line of nothing but separators (',,,' read with ';') is blank whatever the delimiter."""
    return all(not cell.strip().strip("".join(_CSV_DELIMITERS)) for cell in cells)


def _read_xlsx(path: Path) -> _Table:
    """Read the first worksheet in read-only mode.

    The workbook is opened with data_only=False so that a formula cell gives back its formula
    text ("=HYPERLINK(...)") rather than the result Excel cached for it: an imported value must be
    what was typed, never something computed.
    """
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged file
        raise _not_a_workbook(path) from exc
    try:
        if not workbook.worksheets:
            return _Table(empty=True)
        sheet = workbook.worksheets[0]
        # The stored dimensions are often wrong; without them openpyxl reads what is there.
        sheet.reset_dimensions()
        header_row, header = 0, ()
        for row_number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not _is_blank_row(cells):
                header_row, header = row_number, cells
                break
        if not header_row:
            return _Table(empty=True)
        # Only the header's width is needed; this keeps a sheet formatted out to column XFD cheap.
        width = max(i for i, cell in enumerate(header, start=1) if not _is_blank(cell))
        rows = list(
            enumerate(
                sheet.iter_rows(min_row=header_row + 1, max_col=width, values_only=True),
                start=header_row + 1,
            )
        )
    except Exception as exc:
        raise _not_a_workbook(path) from exc
    finally:
        workbook.close()
    return _Table(header_row=header_row, header=header[:width], rows=rows)


def _not_a_workbook(path: Path) -> ValidationError:
    return ValidationError(
        f"Cannot read the sample file {path}: it is not a valid Excel workbook (.xlsx)."
    )


# --- cells -------------------------------------------------------------------------------------


def _normalize_header(text: object) -> str:
    """'Sample No', 'SAMPLE-NO' and 'sample_no' are the same column."""
    return re.sub(r"[\s_\-\ufeff]+", "", str(text)).casefold()


def _header_names() -> dict[str, str]:
    """Normalised header spelling -> field name: the field name and its label both match."""
    names: dict[str, str] = {}
    for f in _ALL_FIELDS:
        for spelling in (f.name, f.label):
            names.setdefault(_normalize_header(spelling), f.name)
    return names


_HEADER_NAMES = _header_names()


def _cell_text(value: object) -> str | None:
    """A cell as the text the user sees (stripped), or None when it is blank."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() else str(value)
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    else:  # an openpyxl ArrayFormula keeps its formula text in `.text`
        text = str(getattr(value, "text", None) or value)
    return text.strip() or None


def _is_blank(value: object) -> bool:
    return _cell_text(value) is None


def _is_blank_row(cells: Sequence[object]) -> bool:
    return all(_is_blank(cell) for cell in cells)


def _fold(text: str) -> str:
    """Case and spacing do not matter when matching a choice: ' very  HIGH ' is 'Very high'."""
    return " ".join(text.split()).casefold()


def _quote(text: str) -> str:
    shown = text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."
    return "'" + shown.replace("\n", " ") + "'"


def _or_list(values: Iterable[object]) -> str:
    items = [str(v) for v in values]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _choice_lookup(f: ProfileField) -> dict[str, str]:
    lookup = {_fold(alias): value for alias, value in f.aliases}
    lookup.update({_fold(value): value for value in f.values})
    return lookup


_CHOICES: dict[str, dict[str, str]] = {
    f.name: _choice_lookup(f) for f in _ALL_FIELDS if f.kind is FieldKind.CHOICE
}


def _number_pattern(f: ProfileField) -> re.Pattern[str]:
    prefix = _NUMBER_PREFIXES.get(f.name)
    optional_word = rf"(?:{prefix}\s*)?" if prefix else ""
    return re.compile(rf"{optional_word}([+-]?[0-9]+)(?:\.0*)?", re.IGNORECASE)


_NUMBER_PATTERNS: dict[str, re.Pattern[str]] = {
    f.name: _number_pattern(f) for f in _ALL_FIELDS if f.kind is FieldKind.INTEGER
}


def _to_int(f: ProfileField, value: object, text: str) -> int | None:
    """A whole number from a cell: 3, 3.0 (Excel), '3', '3.0' and, for tier, 'Tier 3'."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    match = _NUMBER_PATTERNS[f.name].fullmatch(text)
    return int(match.group(1)) if match else None


def _convert(f: ProfileField, value: object) -> tuple[object, str | None]:
    """The cell converted to the field's type, or None and why it is not allowed."""
    text = _cell_text(value)
    if text is None:
        return None, (f"missing value ({f.label} is required)" if f.required else None)
    if f is profile.SAMPLE_NO:
        number = _to_int(f, value, text)
        if number is None or number < 1:
            return None, (
                f"{_quote(text)} is not a sample number "
                "(expected a positive whole number such as 17 or Case 017)"
            )
        return number, None
    if f.kind is FieldKind.TEXT:
        return text, None
    if f.kind is FieldKind.CHOICE:
        choice = _CHOICES[f.name].get(_fold(text))
        if choice is None:
            return None, f"unknown value {_quote(text)} (expected {_or_list(f.values)})"
        return choice, None
    if f.kind is FieldKind.INTEGER:
        number = _to_int(f, value, text)
        if number is None or number not in f.values:
            return None, f"unknown value {_quote(text)} (expected {_or_list(f.values)})"
        return number, None
    # FieldKind.FLAG
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value), None
    flag = _FLAG_WORDS.get(text.casefold())
    if flag is None:
        return None, f"unknown value {_quote(text)} (expected yes or no)"
    return flag, None


# --- validation --------------------------------------------------------------------------------


class _Validator:
    """Checks the header, then every row, collecting problems with a sort key (row, column)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        self._problems: list[tuple[tuple[int, int], Problem]] = []

    def _file_problem(self, message: str, column: str | None = None, index: int = -1) -> None:
        self._problems.append(((0, index), Problem(None, column, message)))

    def _row_problem(self, row: int, index: int, column: str, detail: str) -> None:
        message = f"{self.name} row {row}, column '{column}': {detail}."
        self._problems.append(((row, index), Problem(row, column, message)))

    def _result(self, rows: Sequence[SampleRow], total_rows: int) -> SampleReadResult:
        self._problems.sort(key=lambda item: item[0])  # stable: file order within a cell
        problems = tuple(problem for _, problem in self._problems)
        return SampleReadResult(self.path, tuple(rows), problems, total_rows)

    def run(self, table: _Table) -> SampleReadResult:
        if table.problem is not None:
            self._file_problem(table.problem)
            return self._result((), 0)
        if table.empty:
            self._file_problem(f"{self.name} is empty: it has no header row and no cases.")
            return self._result((), 0)
        columns, usable = self._check_header(table.header_row, table.header)
        rows, total = self._check_rows(columns, table.rows)
        if total == 0:
            self._file_problem(f"{self.name} has a header row but no cases.", index=_LAST)
        return self._result(rows if usable else (), total)

    def _check_header(
        self, header_row: int, header: Sequence[object]
    ) -> tuple[list[tuple[int, ProfileField, str]], bool]:
        """The known columns as (index, field, header as written), and whether rows can be used
        (not if a required column is missing or a column appears twice)."""
        found: dict[str, tuple[int, str]] = {}
        usable = True
        for index, cell in enumerate(header):
            written = _cell_text(cell)
            if written is None:
                continue
            name = _HEADER_NAMES.get(_normalize_header(written))
            if name is None:
                continue  # a column of the service's own: not ours to judge
            if name in found:
                first_index, first_written = found[name]
                self._file_problem(
                    f"{self.name} has two columns for '{name}': {_quote(first_written)} (column "
                    f"{get_column_letter(first_index + 1)}) and {_quote(written)} (column "
                    f"{get_column_letter(index + 1)}); delete one of them.",
                    written,
                    index,
                )
                usable = False
                continue
            found[name] = (index, written)
        for name in _REQUIRED_COLUMNS:
            if name not in found:
                self._file_problem(
                    f"{self.name} has no column '{name}' ({_FIELDS[name].label}) in its header "
                    f"row (row {header_row}); this column is required.",
                    name,
                    len(header),
                )
                usable = False
        columns = [(index, _FIELDS[name], written) for name, (index, written) in found.items()]
        columns.sort(key=lambda column: column[0])
        return columns, usable

    def _check_rows(
        self,
        columns: list[tuple[int, ProfileField, str]],
        rows: Iterable[tuple[int, Sequence[object]]],
    ) -> tuple[list[SampleRow], int]:
        valid: list[SampleRow] = []
        first_row_of: dict[int, int] = {}  # sample number -> the row it first appeared on
        sample_column = next((c for c in columns if c[1] is profile.SAMPLE_NO), None)
        total = 0
        for row_number, cells in rows:
            if _is_blank_row(cells):
                continue  # blank rows are common at the end of an export
            total += 1
            row_ok = True
            values: dict[str, object] = {}
            for index, f, written in columns:
                value, error = _convert(f, cells[index] if index < len(cells) else None)
                if error is not None:
                    self._row_problem(row_number, index, written, error)
                    row_ok = False
                values[f.name] = value
            sample_no = values.get(profile.SAMPLE_NO.name)
            if isinstance(sample_no, int) and sample_column is not None:
                first = first_row_of.setdefault(sample_no, row_number)
                if first != row_number:
                    self._row_problem(
                        row_number,
                        sample_column[0],
                        sample_column[2],
                        f"sample number {sample_no} is already used on row {first}",
                    )
                    row_ok = False
            if row_ok and isinstance(sample_no, int):
                valid.append(
                    SampleRow(
                        row_number=row_number,
                        sample_no=sample_no,
                        crn=_text_or_none(values.get(profile.CRN.name)),
                        name=_text_or_none(values.get(profile.NAME.name)),
                        profile={f.name: values.get(f.name) for f in profile.PROFILE_FIELDS},
                    )
                )
        return valid, total


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
