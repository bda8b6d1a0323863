"""Tables written as spreadsheets for analysts: XLSX (a sheet per table) or CSV (one table,
UTF-8 with a byte-order mark so Excel reads the encoding right, quoted as RFC 4180 says).

No cell is ever evaluated. Text a spreadsheet would take for a formula (it starts with =, +,
-, @, a tab or a carriage return) stays text: in XLSX every text is a string cell, and a
formula-like one is also quote-prefixed so editing it in Excel keeps it text; in CSV, where a
cell has no type, it gets a leading apostrophe, as OWASP advises. Text that already starts
with an apostrophe gets one too, so removing one leading apostrophe from a CSV cell that has
one always gives the text back.

XLSX is XML, which cannot hold most control characters: they are written as Excel's own
escapes (`_x000B_`), and a literal `_x0041_` in the text is escaped too, so Excel shows the
text exactly as it was.

A file is written completely or not at all (through `core.files.disk`), never over an
inspection file, and over an existing file only when asked.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspector_app.core.errors import FileRefused, ValidationError
from inspector_app.core.files.disk import save_output

# core.files.disk offers the atomic write but not the check of what is already there; the
# report command's check of its targets reads the same two functions.
from inspector_app.core.storage.safe_write import looks_like_inspection_file, special_kind

Cell = str | int | float | None

XLSX = ".xlsx"
CSV = ".csv"
SUFFIXES = (XLSX, CSV)

# What makes a spreadsheet read a cell as a formula (OWASP's list), and the CSV escape.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_ESCAPE = "'"

# Excel's limits: rows of a worksheet (the header included) and characters of a cell.
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CELL_CHARS = 32_767
_SHEET_NAME_MAX = 31
_SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\]")
# Column widths, in characters: wide enough for the header, at most a sensible screenful.
_MIN_WIDTH = 8
_MAX_WIDTH = 60
_WIDTH_SAMPLE_ROWS = 2000

# What XML 1.0 cannot hold, and a literal escape Excel would otherwise decode.
_XML_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)"
)

APP = "inspector-app"


@dataclass(frozen=True)
class Table:
    """One table: the sheet's title, the column headings and the rows (each as long as the
    headings). Plain values only: text, whole numbers, fractions, or None for an empty cell."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Written:
    """What was written: the file and how many rows of data (headers aside) it holds."""

    path: Path
    rows: int
    tables: int


class TargetExists(FileRefused):
    """The chosen file already exists and replacing it was not asked for."""


# --- formula-like text --------------------------------------------------------------------------


def is_formula_like(text: str) -> bool:
    """True for text a spreadsheet would evaluate, or treat as the start of a formula."""
    return text.startswith(FORMULA_STARTS)


def csv_cell(value: Cell) -> str:
    """A value as CSV text: formula-like text (and text starting with the escape itself) gets
    one leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str):
        if is_formula_like(value) or value.startswith(CSV_ESCAPE):
            return CSV_ESCAPE + value
        return value
    return str(value)


def xlsx_text(text: str) -> str:
    """Text as an XLSX cell stores it: characters XML cannot hold, and a literal `_xHHHH_`,
    written as Excel's `_xHHHH_` escapes (openpyxl.utils.escape.unescape reads them back)."""

    def escape(match: re.Match[str]) -> str:
        found = match.group(0)
        return "_x005F_" if found == "_" else f"_x{ord(found):04X}_"

    return _XML_UNSAFE.sub(escape, text)


# --- the targets --------------------------------------------------------------------------------


def format_of(target: Path) -> str:
    """The format a file name asks for (XLSX or CSV), from its ending; anything else is
    refused."""
    suffix = Path(target).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError(
            f"{Path(target).name}: an export is written as .xlsx or .csv; "
            "give the file one of those endings"
        )
    return suffix


def check_target(target: Path, *, source: Path, overwrite: bool) -> str:
    """Before anything is read: the format the target's ending asks for. Refused: another
    ending, a missing folder, the inspection file the export is made from or any other
    inspection file (never written over), something that is not a file, and an existing file
    unless `overwrite` (TargetExists)."""
    target, source = Path(target), Path(source)
    suffix = format_of(target)
    if target.resolve() == source.resolve() or (
        target.exists() and source.exists() and target.samefile(source)
    ):
        raise FileRefused(
            f"{target.name}: is the inspection file the export is made from; it is never "
            "written over"
        )
    if not target.parent.is_dir():
        raise FileRefused(f"{target.parent}: no such folder")
    if not target.exists():
        return suffix
    if target.is_dir():
        raise FileRefused(f"{target.name}: is a folder; give a file name")
    if not target.is_file():
        raise FileRefused(f"{target.name}: {special_kind(target.stat().st_mode)}, not a file")
    if looks_like_inspection_file(target):
        raise FileRefused(
            f"{target.name}: is an inspection file (or another database); it is never "
            "written over, choose another name"
        )
    if not overwrite:
        raise TargetExists(f"{target.name}: already exists; nothing was written")
    return suffix


def write_tables(
    target: Path,
    tables: Sequence[Table],
    *,
    source: Path,
    overwrite: bool = False,
    title: str = "",
    description: str = "",
    csv_columns: Sequence[str] | None = None,
) -> Written:
    """Write the tables to `target` in the format its ending names: XLSX, a sheet per table;
    CSV, the tables as one (see `tidy`). The whole file or nothing; checked as
    `check_target` says, again just before the write."""
    suffix = check_target(target, source=source, overwrite=overwrite)
    if suffix == XLSX:
        payload = xlsx_bytes(tables, title=title, description=description)
    else:
        payload = csv_bytes(tidy(tables, csv_columns))
    check_target(target, source=source, overwrite=overwrite)
    save_output(Path(target), payload)
    return Written(Path(target), sum(len(t.rows) for t in tables), len(tables))


# --- CSV ----------------------------------------------------------------------------------------


def tidy(tables: Sequence[Table], columns: Sequence[str] | None = None) -> Table:
    """Several tables as one, for a format with no sheets: every column of any table (in
    `columns`' order, else as first met), empty where a table has no such column."""
    if len(tables) == 1 and columns is None:
        return tables[0]
    seen = list(dict.fromkeys(c for t in tables for c in t.columns))
    order = [c for c in columns if c in seen] if columns is not None else seen
    order += [c for c in seen if c not in order]
    rows: list[tuple[Cell, ...]] = []
    for table in tables:
        where = {name: index for index, name in enumerate(table.columns)}
        rows.extend(
            tuple(row[where[c]] if c in where else None for c in order) for row in table.rows
        )
    title = tables[0].title if len(tables) == 1 else "All"
    return Table(title, tuple(order), tuple(rows))


def csv_bytes(table: Table) -> bytes:
    """One table as CSV: UTF-8 with a byte-order mark, CRLF line ends, fields quoted where
    RFC 4180 needs it, formula-like text escaped (`csv_cell`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([csv_cell(c) for c in table.columns])
    writer.writerows([csv_cell(value) for value in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- XLSX ---------------------------------------------------------------------------------------


def xlsx_bytes(tables: Sequence[Table], *, title: str = "", description: str = "") -> bytes:
    """The tables as an XLSX workbook, a sheet each: the header row bold and frozen, columns
    sized to their contents, every text a string cell; the workbook's properties name the
    app, never a person."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    properties = workbook.properties
    properties.creator = APP
    properties.lastModifiedBy = None
    properties.title = title or None
    properties.description = description or None
    used: set[str] = set()
    for table in tables:
        _check_size(table)
        sheet = workbook.create_sheet(_sheet_name(table.title, used))
        _write_sheet(sheet, table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _check_size(table: Table) -> None:
    if len(table.rows) + 1 > XLSX_MAX_ROWS:
        raise ValidationError(
            f"{table.title}: {len(table.rows):,} rows are more than a worksheet holds "
            f"({XLSX_MAX_ROWS - 1:,}); export as .csv instead"
        )
    for number, row in enumerate(table.rows, start=2):
        for column, value in zip(table.columns, row, strict=True):
            if isinstance(value, str) and len(xlsx_text(value)) > XLSX_MAX_CELL_CHARS:
                raise ValidationError(
                    f"{table.title}, row {number}, {column}: {len(value):,} characters are "
                    f"more than a spreadsheet cell holds ({XLSX_MAX_CELL_CHARS:,}); "
                    "export as .csv instead"
                )


def _sheet_name(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), unique in the book."""
    base = _SHEET_NAME_UNSAFE.sub("-", title).strip("'") or "Sheet"
    base = base[:_SHEET_NAME_MAX]
    name, number = base, 1
    while name.casefold() in used:
        number += 1
        tail = f" ({number})"
        name = base[: _SHEET_NAME_MAX - len(tail)] + tail
    used.add(name.casefold())
    return name


def _write_sheet(sheet: Any, table: Table) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    # Widths and the frozen header go before the first row: a write-only sheet streams.
    for index, width in enumerate(_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for heading in table.columns:
        cell = _xlsx_cell(sheet, heading)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])


def _xlsx_cell(sheet: Any, value: Cell) -> Any:
    """A cell whose type is the value's own: text is always a string cell (openpyxl would
    make "=..." a formula and "#N/A" an error), quote-prefixed when formula-like."""
    from openpyxl.cell import WriteOnlyCell

    if not isinstance(value, str):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet, value=xlsx_text(value))
    cell.data_type = "s"
    if is_formula_like(value):
        cell.quotePrefix = True
    return cell


def _widths(table: Table) -> list[float]:
    """Each column as wide as its heading or its longest line in the first rows, within
    bounds."""
    widths = []
    sample = table.rows[:_WIDTH_SAMPLE_ROWS]
    for index, heading in enumerate(table.columns):
        longest = max([_display_length(heading), *(_display_length(r[index]) for r in sample)])
        widths.append(float(min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH)))
    return widths


def _display_length(value: Cell) -> int:
    if value is None:
        return 0
    return max((len(line) for line in str(value).splitlines()), default=0)
