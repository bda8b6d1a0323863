"""The largest input the app accepts, in one place (the README's "Protecting the data" lists
them). Each is far beyond what real work produces, and low enough that a file padded or
crafted to exhaust the laptop's memory or disk is refused with a message naming the limit.
"""

from __future__ import annotations

MB = 1_000_000

# A fieldwork file: one inspector's few dozen cases are a few megabytes; this allows a
# hundred times more.
MAX_FIELDWORK_FILE_BYTES = 500 * MB
# One evidence note, and the reason given with a resolution (answers.check_note).
MAX_NOTE_CHARS = 100_000
# A stored value: a free-text answer or a part of the report such as the foreword, as JSON.
MAX_VALUE_CHARS = 1_000_000
# Revisions of one case in a fieldwork file: about 150 questions, each changed a hundred
# times over, is still well within it.
MAX_REVISIONS_PER_CASE = 20_000
# A case sample or long list as a file (CSV or Excel): a whole region's long list of
# 100,000 cases is about 15 MB of CSV.
MAX_SAMPLE_FILE_BYTES = 100 * MB
# What an Excel workbook unpacks to (its parts are compressed; a "zip bomb" unpacks a few
# kilobytes into gigabytes).
MAX_XLSX_UNPACKED_BYTES = 500 * MB
# Rows of a case list, and characters of one profile cell.
MAX_ROWS = 200_000
MAX_CELL_CHARS = 500
# The last row a spreadsheet holds (Excel's limit): a workbook claiming a row past it, or
# running on past it with blank rows, is damaged or made to stall a reader.
SPREADSHEET_ROWS = 1_048_576
# A workbook's part that unpacks to more than this many times its packed size (spreadsheet
# XML packs about ten to twenty times), when it is big too, is made to exhaust memory.
MAX_PART_PACKING = 100
LARGE_PART_BYTES = 20 * MB
# Its table of shared text (each distinct text of the workbook once): a long list's names,
# CRNs and spellings take a few tens of MB at most.
MAX_SHARED_STRINGS_BYTES = 100 * MB
# A CSV field the reader takes whole (a longer profile cell is then named as too long,
# rather than the file refused in the reader's own words).
CSV_FIELD_CHARS = 64 * MB


def size_text(size: int) -> str:
    """A file size as people read it: '2.1 GB', '140 MB', '12 kB'."""
    if size >= 1000 * MB:
        return f"{size / (1000 * MB):.1f} GB"
    if size >= MB:
        return f"{size / MB:.0f} MB"
    return f"{max(size // 1000, 1)} kB"
