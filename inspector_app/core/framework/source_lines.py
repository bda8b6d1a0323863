"""Where in a framework file a problem is: the line of the table (or key) a loader message
names, so `framework check` can say "line 412" to the person editing the file.

TOML parsers give no positions for values, so the file's tables are found again here by their
headers and their `code` / `rating` keys: "question 2.1.3" is the `[[sections.questions]]`
table whose code is "2.1.3", and a message about its 'scale' points at that key's line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"]+)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=\s*(.*)$")
_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"')
# A message's subject, as the loader writes it: what kind of table, and which.
_SUBJECTS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"^section (\S+), question (\d+)$"), "sections.questions", "index-in-section"),
    (re.compile(r"^question (\S+)$"), "sections.questions", "code"),
    (re.compile(r"^section (\d+)$"), "sections", "index"),
    (re.compile(r"^section (\S+)$"), "sections", "code"),
    (re.compile(r"^criterion (\d+)$"), "criteria", "index"),
    (re.compile(r"^criterion (\S+)$"), "criteria", "code"),
    (re.compile(r"^stage (\d+)$"), "stages", "index"),
    (re.compile(r"^stage (\S+)$"), "stages", "code"),
    (re.compile(r"^scale (\S+)$"), "scales.{}", "header"),
    (re.compile(r"^\[\[([a-z.]+)\]\] '(.*)'$"), "{}", "rating"),
    (re.compile(r"^\[\[([a-z.]+)\]\] (\d+)$"), "{}", "index"),
    (re.compile(r"^\[\[([a-z.]+)\]\]$"), "{}", "header"),
    (re.compile(r"^\[([a-z.]+)\]$"), "{}", "header"),
    (re.compile(r"^wording band (\d+)$"), "wording", "index"),
    (re.compile(r"^profile field '(.+)'$"), "profile.fields", "id"),
    (re.compile(r"^profile input '(.+)'$"), "profile.inputs", "id"),
    (re.compile(r"^profile\.fields\[(\d+)\]$"), "profile.fields", "index"),
    (re.compile(r"^profile\.inputs\[(\d+)\]$"), "profile.inputs", "index"),
)
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")
_MENTIONED_KEY = re.compile(r"'([A-Za-z0-9_\-]+)'")
# Problems that name no key but are about one.
_PROBLEM_KEYS: tuple[tuple[str, str], ...] = (
    ("applies_if:", "applies_if"),
    ("unknown scale", "scale"),
    ("code used twice", "code"),
    ("is not a scored question", "questions"),
    ("already feeds criterion", "questions"),
    ("note_required value", "note_required"),
)


@dataclass
class _Table:
    header: str  # "sections.questions", "scales.yes_no"
    line: int
    keys: dict[str, int] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)  # quoted string values


def tables_of(text: str) -> list[_Table]:
    """The file's tables in order, with their top-level keys' lines (the document's own top
    level is a table named "")."""
    tables = [_Table("", 1)]
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            tables.append(_Table(header.group(2).replace('"', ""), number))
            continue
        key = _KEY.match(line)
        if key and key.group(1) not in tables[-1].keys:
            tables[-1].keys[key.group(1)] = number
            quoted = _QUOTED.match(key.group(2).strip())
            if quoted:
                tables[-1].values[key.group(1)] = quoted.group(1)
    return tables


def line_of(text: str, where: str | None, problem: str = "") -> int | None:
    """The line a loader message points at (`where` as the loader names it, `problem` for
    the key it mentions), or None when it cannot be found."""
    tables = tables_of(text)
    table = _find_table(tables, where, last="used twice" in problem) if where else None
    if where == "top level" or where is None:
        mentioned = _MENTIONED_KEY.search(problem)
        if mentioned:
            name = mentioned.group(1)
            for candidate in tables:
                if candidate.header.split(".")[0] == name:
                    return candidate.line
            return tables[0].keys.get(name)
        return None
    if table is None:
        return None
    key = _key_of(problem, table)
    return table.keys[key] if key else table.line


def _key_of(problem: str, table: _Table) -> str | None:
    """The key of `table` a problem is about: the key its wording is about, else the first
    quoted name that is one of its keys."""
    for phrase, key in _PROBLEM_KEYS:
        if phrase in problem and key in table.keys:
            return key
    names: list[str] = _MENTIONED_KEY.findall(problem)
    return next((name for name in names if name in table.keys), None)


def _find_table(tables: list[_Table], where: str, *, last: bool = False) -> _Table | None:
    """The table `where` names; of two with the same code, the `last` one when a message
    is about the second."""
    for pattern, header, how in _SUBJECTS:
        found = pattern.match(where)
        if not found:
            continue
        groups = found.groups()
        if how == "header":
            name = header.format(*groups)
            return next((t for t in tables if t.header == name), None)
        if how == "rating":
            name = header.format(groups[0])
            return next(
                (t for t in tables if t.header == name and t.values.get("rating") == groups[1]),
                None,
            )
        name = header.format(groups[0]) if "{}" in header else header
        value = groups[-1]
        named = [t for t in tables if t.header == name]
        if how in ("code", "id"):
            matching = [t for t in named if t.values.get(how) == value]
            return (matching[-1] if last else matching[0]) if matching else None
        if how == "index-in-section":
            return _question_by_index(tables, groups[0], int(groups[1]))
        index = int(value) - 1
        return named[index] if 0 <= index < len(named) else None
    return None


def _question_by_index(tables: list[_Table], section: str, index: int) -> _Table | None:
    """The `index`th question (from 1) of the section whose code is `section`."""
    inside = False
    seen = 0
    for table in tables:
        if table.header == "sections":
            inside = table.values.get("code") == section
        elif inside and table.header == "sections.questions":
            seen += 1
            if seen == index:
                return table
    return None


def line_of_message(text: str, source: str, message: str) -> int | None:
    """The line a whole loader message ("SOURCE: WHERE: PROBLEM") is about; a TOML syntax
    error carries its own."""
    position = _TOML_POSITION.search(message)
    if position:
        return int(position.group(1))
    rest = message.removeprefix(f"{source}: ")
    where, _, problem = rest.partition(": ")
    if not problem:
        return None
    return line_of(text, where, problem)
