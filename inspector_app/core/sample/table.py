"""A trust's export (CSV or Excel) read as a plain table: its sheets, its header row, its rows.

Exports are made for people, not programs: a title block sits above the header, a totals row
under the data, notes on a second sheet. This module finds the table in all that (the header
row is the one naming the most known columns, and can be chosen) and hands over the cells as
text, numbers and dates exactly as stored. Nothing here knows what a column means, and nothing
is evaluated: a workbook's formulas give the value Excel saved with them.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app.core.errors import ValidationError
from inspector_app.core.limits import (
    CSV_FIELD_CHARS,
    LARGE_PART_BYTES,
    MAX_CELL_CHARS,
    MAX_PART_PACKING,
    MAX_ROWS,
    MAX_SAMPLE_FILE_BYTES,
    MAX_SHARED_STRINGS_BYTES,
    MAX_XLSX_UNPACKED_BYTES,
    SPREADSHEET_ROWS,
    size_text,
)
from inspector_app.core.plural import counted

if TYPE_CHECKING:
    from _csv import Reader as _csv_reader

    import openpyxl

__all__ = ["MAX_CELL_CHARS", "MAX_ROWS", "Table", "cell_text", "read_table"]

_DISTINCT_CELLS = 50_000
_HEADER_SCAN = 50  # rows looked at for the header row
_CSV_DELIMITERS = (",", ";", "\t")
_BINARY_SAMPLE = 65536
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\x1a")
_FOOTER = re.compile(r"(grand )?totals?\b|count\b|number of\b|end of (report|extract)", re.I)

Cells = tuple[object, ...]


@dataclass
class Table:
    """The cells of one sheet: the header row and the data rows under it, numbered as the user
    sees them in a spreadsheet; or a problem that stops the file from being read at all."""

    path: Path
    sheets: tuple[str, ...] = ()  # every sheet's name (empty for CSV)
    sheet: str | None = None  # the sheet read
    header_row: int = 0  # 0 when the file holds nothing at all
    header: tuple[str | None, ...] = ()
    rows: list[tuple[int, Cells]] = field(default_factory=list)
    footer_rows: tuple[int, ...] = ()  # totals or notes under the data, left out
    hidden_rows: tuple[int, ...] = ()  # data rows a workbook hides (a filter): read all the same
    problem: str | None = None

    @property
    def empty(self) -> bool:
        return self.header_row == 0 and self.problem is None


def read_table(
    path: Path | str,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    header_score: Callable[[str], bool] | None = None,
    progress: Callable[[int], bool] | None = None,
) -> Table:
    """Read a CSV or XLSX file's table.

    `header_score(text)` says whether a heading is one the caller knows; the header row is the
    row (of the first 50) with the most known headings, else the first non-blank row; a
    workbook's sheet, unless named, is the one whose header row scores best. `progress(rows)`
    is called every 1,000 rows and returns False to stop (ValidationError "cancelled").
    Raises ValidationError when the file cannot be read as a table at all.
    """
    path = Path(path)
    if not path.exists():
        raise ValidationError(f"Cannot read the sample file {path}: it does not exist.")
    if path.is_dir():
        raise ValidationError(f"Cannot read the sample file {path}: it is a folder, not a file.")
    if not path.is_file():
        raise ValidationError(f"Cannot read the sample file {path}: it is not a regular file.")
    size = path.stat().st_size
    if size > MAX_SAMPLE_FILE_BYTES:
        raise ValidationError(
            f"{path.name}: is {size_text(size)}; a case list is at most "
            f"{size_text(MAX_SAMPLE_FILE_BYTES)} (a region's long list is about 15 MB), so this "
            "is not one"
        )
    known = header_score or (lambda _text: False)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, header_row, known, progress)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet, header_row, known, progress)
    raise ValidationError(
        f"Cannot read the sample file {path}: only CSV (.csv) and Excel workbook (.xlsx) "
        "files can be imported; save the list as CSV UTF-8 or as an Excel workbook."
    )


# --- cells ---------------------------------------------------------------------------------------


def cell_text(value: object) -> str | None:
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
    elif isinstance(value, dt.datetime) and value.time() == dt.time():
        text = value.date().isoformat()
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    else:
        text = str(getattr(value, "text", None) or value)
    return text.strip() or None


def is_blank_row(cells: Sequence[object]) -> bool:
    return all(cell_text(cell) is None for cell in cells)


def _is_footer(cells: Sequence[object]) -> bool:
    """A totals or notes line under the data: one filled cell, worded like a total."""
    filled = [text for cell in cells if (text := cell_text(cell)) is not None]
    return len(filled) == 1 and bool(_FOOTER.match(filled[0]))


def _table_from_rows(
    path: Path,
    records: Iterator[tuple[int, Cells]],
    header_row: int | None,
    known: Callable[[str], bool],
    progress: Callable[[int], bool] | None,
) -> Table:
    """Find the header row among the first rows, then take the rows under it (blank rows and
    footers left out), holding only the header's width of each."""
    head: list[tuple[int, Cells]] = []
    for row_number, cells in records:
        head.append((row_number, cells))
        if len(head) >= _HEADER_SCAN and header_row is None:
            break
        if header_row is not None and row_number >= header_row:
            break
    chosen = _choose_header(head, header_row, known)
    if chosen is None:
        if header_row is not None:
            raise ValidationError(
                f"{path.name}: row {header_row} cannot be the header row: it is blank or "
                "beyond the end of the file."
            )
        return Table(path)
    number, header_cells = chosen
    filled = [i for i, cell in enumerate(header_cells) if cell_text(cell) is not None]
    width = max(filled) + 1
    header = tuple(cell_text(cell) for cell in header_cells[:width])
    table = Table(path, header_row=number, header=header)
    footers: list[int] = []
    remaining = (item for item in head if item[0] > number)

    def all_rows() -> Iterator[tuple[int, Cells]]:
        yield from remaining
        yield from records

    # A long list repeats the same few spellings ("Tier 2", "Male", a team's name) on every
    # row: each is kept once, which halves the memory a 100,000-row list takes.
    seen: dict[object, object] = {}
    for row_number, cells in all_rows():
        # Every row counts, blank or not (rows are numbered as read, one after another): a
        # workbook of millions of blank rows, or one that claims a row millions down, is
        # stopped (or cancelled) as it is read.
        if row_number > SPREADSHEET_ROWS:
            raise ValidationError(
                f"{path.name}: it runs past row {SPREADSHEET_ROWS:,}, the last a spreadsheet "
                "holds, so the file is damaged (or made to stall a reader) and is not read."
            )
        if progress is not None and row_number % 1000 == 0 and not progress(len(table.rows)):
            raise ValidationError(f"{path.name}: reading was cancelled.")
        cells = tuple(seen.setdefault(cell, cell) for cell in cells[:width])
        if len(seen) > _DISTINCT_CELLS:
            seen.clear()  # mostly unique text (names, CRNs): stop remembering it
        if is_blank_row(cells):
            continue
        if _is_footer(cells):
            footers.append(row_number)
            continue
        table.rows.append((row_number, cells))
        count = len(table.rows)
        if count > MAX_ROWS:
            raise ValidationError(
                f"{path.name}: more than {MAX_ROWS:,} rows; a long list is far smaller, so this "
                "is not a case list (or holds more than one)."
            )
    table.footer_rows = tuple(footers)
    return table


def _choose_header(
    head: list[tuple[int, Cells]], header_row: int | None, known: Callable[[str], bool]
) -> tuple[int, Cells] | None:
    if header_row is not None:
        found = next((item for item in head if item[0] == header_row), None)
        return None if found is None or is_blank_row(found[1]) else found
    best: tuple[int, Cells] | None = None
    best_score = 0
    for row_number, cells in head:
        if is_blank_row(cells):
            continue
        if best is None:
            best = (row_number, cells)
        texts = [text for cell in cells if (text := cell_text(cell)) is not None]
        score = sum(1 for text in texts if known(text))
        if score > best_score:
            best, best_score = (row_number, cells), score
    return best


# --- CSV -----------------------------------------------------------------------------------------


def _read_csv(
    path: Path,
    header_row: int | None,
    known: Callable[[str], bool],
    progress: Callable[[int], bool] | None,
) -> Table:
    """UTF-8 (with or without a BOM) is read as it is; any other bytes are refused with the
    line they are on, never guessed at."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"Cannot read the sample file {path}: {exc.strerror}.") from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Table(
            path, problem=f"{path.name} is UTF-16 text, not UTF-8; save the file as CSV UTF-8."
        )
    if data.startswith(b"PK\x03\x04"):
        raise ValidationError(
            f"Cannot read the sample file {path}: it is not CSV text; it looks like an Excel "
            "workbook, so give it the .xlsx extension or save it as CSV UTF-8."
        )
    if _utf16_without_mark(data):
        return Table(
            path, problem=f"{path.name} is UTF-16 text, not UTF-8; save the file as CSV UTF-8."
        )
    if data.startswith(_OLE_SIGNATURE):
        raise _old_or_locked_workbook(path)
    if _looks_binary(data):
        raise ValidationError(
            f"Cannot read the sample file {path}: it is not CSV text (it contains binary data)."
        )
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return Table(
            path,
            problem=(
                f"{path.name} is not UTF-8 text (byte 0x{data[exc.start]:02X} at line {line}); "
                "save the file as CSV UTF-8."
            ),
        )
    del data
    delimiter = _detect_delimiter(text, known)
    # The reader's own limit is a setting of the whole process: set here, so a long cell is
    # always named as too long by the checks, whatever else has been read before.
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_CHARS))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _table_from_rows(
            path, _whole_records(reader, delimiter), header_row, known, progress
        )
    except _SwallowedRows as swallowed:
        return Table(path, problem=swallowed.message(path.name))
    except csv.Error as exc:
        raise ValidationError(f"Cannot read the sample file {path} as CSV: {exc}.") from exc


class _SwallowedRows(Exception):
    """A quote opened in a cell and never closed: the lines after it were read into it."""

    def __init__(self, line: int, column: int, lines: int) -> None:
        super().__init__(line, column, lines)
        self.line, self.column, self.lines = line, column, lines

    def message(self, name: str) -> str:
        return (
            f'{name}: a quote (") opens the cell in column {self.column} on line {self.line} '
            f"and is never closed, so the {self.lines} lines after it were read into that one "
            "cell (and their cases lost); put the quote right, then check the file again."
        )


# A cell that takes in lines holding this many delimiters each took in rows of the file.
_ROW_LIKE = 3


def _whole_records(reader: _csv_reader, delimiter: str) -> Iterator[tuple[int, Cells]]:
    """The CSV's records, numbered; raises _SwallowedRows where a stray quote has run a cell
    over rows of the file (a line break in a cell of free text is kept as it is)."""
    line = 0
    for number, cells in enumerate(reader, start=1):
        first_line = line + 1
        line = reader.line_num
        if line > first_line:
            for index, cell in enumerate(cells, start=1):
                taken = cell.splitlines()[1:]
                if sum(1 for part in taken if part.count(delimiter) >= _ROW_LIKE):
                    raise _SwallowedRows(first_line, index, len(taken))
        yield number, tuple(cells)


def _utf16_without_mark(data: bytes) -> bool:
    """Text saved as UTF-16 with no byte-order mark: every other byte of plain text is NUL."""
    head = data[: _BINARY_SAMPLE - _BINARY_SAMPLE % 2]
    if len(head) < 4:
        return False
    for start in (0, 1):  # big-endian puts the NUL first, little-endian second
        nuls = head[start::2].count(0)
        if nuls * 10 >= len(head) // 2 * 9 and not head[1 - start :: 2].count(0):
            return True
    return False


# The container of an old Excel file (.xls) and of a password-protected workbook alike.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _old_or_locked_workbook(path: Path) -> ValidationError:
    return ValidationError(
        f"Cannot read the sample file {path}: it is an old Excel file (.xls) or a workbook "
        "locked with a password; open it in Excel and save it as .xlsx without a password, or "
        "as CSV UTF-8."
    )


def _looks_binary(data: bytes) -> bool:
    """A NUL byte, or many control characters, means this is not a text file at all."""
    if b"\x00" in data:
        return True
    head = data[:_BINARY_SAMPLE]
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls * 20 > len(head)  # more than 5 %


def _detect_delimiter(text: str, known: Callable[[str], bool]) -> str:
    """The delimiter under which the first lines split into the most known headings (then the
    most columns); this copes with headings that csv.Sniffer misreads."""
    best, best_score = ",", (-1, -1)
    lines = "\n".join(text.splitlines()[:_HEADER_SCAN])
    for delimiter in _CSV_DELIMITERS:
        reader = csv.reader(io.StringIO(lines, newline=""), delimiter=delimiter)
        try:
            rows = [cells for cells in reader if not _only_delimiters(cells)]
        except csv.Error:
            continue
        score = max(
            ((sum(1 for c in cells if known(c.strip())), len(cells)) for cells in rows),
            default=(0, 0),
        )
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _only_delimiters(cells: Sequence[str]) -> bool:
    return all(not cell.strip().strip("".join(_CSV_DELIMITERS)) for cell in cells)


# --- Excel ---------------------------------------------------------------------------------------


def _check_unpacked_size(path: Path) -> None:
    """A workbook is a zip of XML parts: refuse one that would unpack into more than the
    limit before a byte of it is unpacked (the sizes are in the zip's directory)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _not_a_workbook(path) from exc
    unpacked = sum(info.file_size for info in parts)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ValidationError(
            f"{path.name}: the workbook unpacks to {size_text(unpacked)}; a case list unpacks "
            f"to far less (the limit is {size_text(MAX_XLSX_UNPACKED_BYTES)}), so it is not read"
        )
    for info in parts:
        packed = max(info.compress_size, 1)
        inflated = info.file_size > LARGE_PART_BYTES and info.file_size > MAX_PART_PACKING * packed
        shared = info.filename.lower().endswith("sharedstrings.xml")
        if inflated or (shared and info.file_size > MAX_SHARED_STRINGS_BYTES):
            raise ValidationError(
                f"{path.name}: a part of the workbook ({info.filename}) unpacks to "
                f"{size_text(info.file_size)} from {size_text(info.compress_size)}, far more "
                "than a case list's does, so it is not read (it would take minutes and "
                "gigabytes of memory)"
            )


def _read_xlsx(
    path: Path,
    sheet: str | None,
    header_row: int | None,
    known: Callable[[str], bool],
    progress: Callable[[int], bool] | None,
) -> Table:
    """Read-only, values as Excel saved them (data_only: a formula gives its cached result and is
    never evaluated here)."""
    import openpyxl  # slow to import (a tenth of a second): only a workbook needs it

    _check_unpacked_size(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged file
        raise _not_a_workbook(path) from exc
    try:
        names = tuple(workbook.sheetnames)
        if not names:
            return Table(path)
        if sheet is not None and sheet not in names:
            raise ValidationError(
                f"{path.name} has no sheet {sheet!r} (its sheets: {', '.join(names)})."
            )
        candidates = [sheet] if sheet is not None else list(names)
        best: Table | None = None
        best_score = -1
        refusals: list[ValidationError] = []
        for name in candidates:
            try:
                table = _read_sheet(workbook, path, name, header_row, known, progress)
            except ValidationError as exc:
                if sheet is not None or "cannot be the header row" not in str(exc):
                    raise
                refusals.append(exc)  # a header row chosen for another, longer sheet
                continue
            score = sum(1 for text in table.header if text and known(text))
            if score > best_score:
                best, best_score = table, score
        if best is None:
            raise refusals[0]
        best.sheets = names
        return best
    except ValidationError:
        raise
    except Exception as exc:
        raise _not_a_workbook(path) from exc
    finally:
        workbook.close()


def _read_sheet(
    workbook: openpyxl.Workbook,
    path: Path,
    name: str,
    header_row: int | None,
    known: Callable[[str], bool],
    progress: Callable[[int], bool] | None,
) -> Table:
    worksheet = workbook[name]
    worksheet.reset_dimensions()  # stored dimensions are often wrong
    records = enumerate(worksheet.iter_rows(values_only=True), start=1)
    table = _table_from_rows(path, records, header_row, known, progress)
    table.sheet = name
    part = getattr(worksheet, "_worksheet_path", None)
    if isinstance(part, str) and table.rows:
        hidden = _hidden_rows(path, part)
        table.hidden_rows = tuple(number for number, _ in table.rows if number in hidden)
    return table


_ROW_TAG = re.compile(rb"<row\b[^>]*>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_CHUNK = 1 << 20


def hidden_rows_note(count: int) -> str:
    """What a list with hidden rows is told: they are read like the others."""
    return counted(
        count,
        "{n} row read is hidden in the workbook (a filter in Excel leaves rows out so): it is "
        "read like the others; if it is no case for this list, delete it from the file and "
        "check the file again.",
        "{n} rows read are hidden in the workbook (a filter in Excel leaves rows out so): "
        "they are read like the others; if they are no cases for this list, delete them from "
        "the file and check the file again.",
    )


def _hidden_rows(path: Path, part: str) -> frozenset[int]:
    """The rows a sheet hides (a filter in Excel hides the rows it leaves out): read from its
    XML in pieces, as the reader does not say."""
    hidden: set[int] = set()
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part) as xml:
            tail = b""
            while chunk := xml.read(_CHUNK):
                text = tail + chunk
                end = text.rfind(b"<")  # a tag cut at the chunk's end is read with the next
                for tag in _ROW_TAG.findall(text, 0, end if end > 0 else len(text)):
                    number = _ROW_NUMBER.search(tag)
                    if number and _HIDDEN.search(tag):
                        hidden.add(int(number.group(1)))
                tail = text[end:] if end > 0 else b""
    except (KeyError, OSError, zipfile.BadZipFile):
        return frozenset()
    return frozenset(hidden)


def _not_a_workbook(path: Path) -> ValidationError:
    try:
        with path.open("rb") as file:
            if file.read(len(_OLE_SIGNATURE)) == _OLE_SIGNATURE:
                return _old_or_locked_workbook(path)
    except OSError:
        pass
    return ValidationError(
        f"Cannot read the sample file {path}: it is not a valid Excel workbook (.xlsx)."
    )
