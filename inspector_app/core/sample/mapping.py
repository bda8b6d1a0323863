"""How a trust's export maps onto the case profile: which column feeds which field, and what
each of its spellings means.

A mapping is the lead's decision, never a guess: columns are matched from the headings the
profile declares, values from the spellings it declares; anything else is listed with its count
and, where a spelling is close to an allowed value, a *suggestion* that applies only once the
lead accepts it. A mapping is written as a small TOML file, kept in the inspection file with the
import, and remembered per organisation so the next list from the same trust maps itself.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from inspector_app.core.errors import ValidationError
from inspector_app.core.framework.profile import (
    EXCLUDE,
    IGNORE,
    NOT_RECORDED,
    FieldKind,
    InputRule,
    ProfileDefinition,
    ProfileField,
    ProfileInput,
    fold,
)
from inspector_app.core.sample.table import Table, cell_text

__all__ = [
    "ColumnValues",
    "SampleMapping",
    "ValueReport",
    "column_values",
    "header_matcher",
    "load_mapping",
    "normalize_header",
    "propose_mapping",
    "resolve_value",
    "suggest_value",
]

BLANK = ""  # the spelling of an empty cell in a mapping
_MAX_MAP_BYTES = 1_000_000


def normalize_header(text: str) -> str:
    """'Sample No', 'SAMPLE-NO', 'sample_no' and 'Sample No.' are the same heading."""
    return re.sub(r"[^0-9a-z+]+", "", str(text).casefold())


def _targets(definition: ProfileDefinition) -> list[ProfileField | ProfileInput]:
    return [*definition.fields, *definition.inputs]


def _spellings(target: ProfileField | ProfileInput) -> list[str]:
    label = target.label if isinstance(target, ProfileField) else ""
    return [target.id if isinstance(target, ProfileInput) else target.name, label, *target.headers]


def header_matcher(definition: ProfileDefinition) -> dict[str, str]:
    """Normalised heading -> the field or input it names (first declared wins)."""
    names: dict[str, str] = {}
    for target in _targets(definition):
        name = target.id if isinstance(target, ProfileInput) else target.name
        for spelling in _spellings(target):
            if spelling:
                names.setdefault(normalize_header(spelling), name)
    return names


# --- the mapping -------------------------------------------------------------------------------


@dataclass
class SampleMapping:
    """The lead's decisions for one export. `columns`: field or input id -> the heading as
    written in the file ("" when the file has no such column). `values`: field or input id ->
    spelling as written ("" for an empty cell) -> an allowed value (as text), NOT_RECORDED,
    EXCLUDE, or for an item list a flag field or IGNORE."""

    sheet: str | None = None
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    # Fields that two or more of the file's headings name, until the lead chooses one.
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    def choose_column(self, target: str, heading: str) -> None:
        """The lead's choice of column for a field ("" when the file has none)."""
        self.columns[target] = heading
        self.ambiguous.pop(target, None)

    def value_for(self, target: str, spelling: str) -> str | None:
        """The lead's choice for a spelling, compared ignoring case and spacing."""
        chosen = self.values.get(target)
        if not chosen:
            return None
        folded = fold(spelling)
        for written, value in chosen.items():
            if fold(written) == folded:
                return value
        return None

    def set_value(self, target: str, spelling: str, value: str | None) -> None:
        chosen = self.values.setdefault(target, {})
        for written in [w for w in chosen if fold(w) == fold(spelling)]:
            del chosen[written]
        if value is not None:
            chosen[spelling] = value

    def to_toml(self, pending: Mapping[str, Mapping[str, str | None]] | None = None) -> str:
        """The mapping as a TOML file a person can read and edit. `pending` (field -> spelling
        -> suggestion or None) adds the values still to map as comments: nothing applies until
        the lead writes the line."""
        lines = ["# How this export's columns and spellings map onto the case profile.", ""]
        if self.sheet is not None:
            lines.append(f"sheet = {_toml_string(self.sheet)}")
        if self.header_row is not None:
            lines.append(f"header_row = {int(self.header_row)}")
        lines += ["", "[columns]"]
        lines += [f"{_toml_key(k)} = {_toml_string(v)}" for k, v in sorted(self.columns.items())]
        pending = pending or {}
        for target in sorted(set(self.values) | set(pending)):
            chosen = self.values.get(target, {})
            todo = pending.get(target, {})
            if not chosen and not todo:
                continue
            lines += ["", f"[values.{_toml_key(target)}]"]
            lines += [f"{_toml_string(k)} = {_toml_string(v)}" for k, v in sorted(chosen.items())]
            for spelling, suggestion in sorted(todo.items()):
                hint = f"suggested: {suggestion}" if suggestion else "to map"
                lines.append(
                    f"# {_toml_string(spelling)} = {_toml_string(suggestion or '')}  # {hint}"
                )
        return "\n".join(lines) + "\n"

    def merged_with(self, other: SampleMapping) -> SampleMapping:
        """This mapping with `other`'s decisions on top."""
        merged = SampleMapping(
            sheet=other.sheet if other.sheet is not None else self.sheet,
            header_row=other.header_row if other.header_row is not None else self.header_row,
            columns={**self.columns, **other.columns},
            values={target: dict(chosen) for target, chosen in self.values.items()},
        )
        for target, chosen in other.values.items():
            for spelling, value in chosen.items():
                merged.set_value(target, spelling, value)
        return merged


def _toml_string(text: str) -> str:
    """A JSON string is a TOML basic string, once DEL (which JSON leaves raw) is escaped."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_key(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else _toml_string(text)


def load_mapping(path: Path | str, definition: ProfileDefinition) -> SampleMapping:
    """Read and check a mapping file: every column and value must name something the profile
    declares."""
    path = Path(path)
    try:
        if path.stat().st_size > _MAX_MAP_BYTES:
            raise ValidationError(f"{path.name}: too large for a mapping file")
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ValidationError(f"{path}: cannot read the mapping file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{path.name}: a mapping file must be UTF-8 text") from exc
    return parse_mapping(text, path.name, definition)


def parse_mapping(text: str, source: str, definition: ProfileDefinition) -> SampleMapping:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise ValidationError(f"{source}: not a valid mapping file ({exc})") from exc
    unknown = set(data) - {"sheet", "header_row", "columns", "values"}
    if unknown:
        raise ValidationError(f"{source}: unknown key {sorted(unknown)[0]!r}")
    sheet, header_row = data.get("sheet"), data.get("header_row")
    if sheet is not None and not isinstance(sheet, str):
        raise ValidationError(f"{source}: 'sheet' must be a sheet name in quotes")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise ValidationError(f"{source}: 'header_row' must be a row number (1 or more)")
    known = {t.id if isinstance(t, ProfileInput) else t.name: t for t in _targets(definition)}
    columns = data.get("columns", {})
    values = data.get("values", {})
    if not isinstance(columns, dict) or not isinstance(values, dict):
        raise ValidationError(f"{source}: [columns] and [values] must be tables")
    for name, heading in columns.items():
        if name not in known:
            raise ValidationError(f"{source}: [columns] names unknown field {name!r}")
        if not isinstance(heading, str):
            raise ValidationError(f"{source}: [columns] {name} must be a heading in quotes")
    checked: dict[str, dict[str, str]] = {}
    for name, chosen in values.items():
        target = known.get(name)
        if target is None:
            raise ValidationError(f"{source}: [values.{name}] names unknown field {name!r}")
        if not isinstance(chosen, dict):
            raise ValidationError(f"{source}: [values.{name}] must be a table")
        for spelling, value in chosen.items():
            if not isinstance(value, str) or not _allowed_target(target, value, definition):
                raise ValidationError(
                    f"{source}: [values.{name}] maps {spelling!r} to {value!r}, which is not "
                    f"allowed (allowed: {', '.join(allowed_targets(target, definition))})"
                )
        checked[name] = dict(chosen)
    return SampleMapping(sheet, header_row, dict(columns), checked)


def allowed_targets(
    target: ProfileField | ProfileInput, definition: ProfileDefinition
) -> list[str]:
    """What a spelling of this field or input may be mapped to, as the lead chooses it."""
    if isinstance(target, ProfileInput):
        if target.rule is InputRule.ITEMS:
            return [*target.into, IGNORE, EXCLUDE]
        return [NOT_RECORDED, EXCLUDE]
    if target.kind is FieldKind.FLAG:
        options = ["yes", "no"]
    elif target.kind is FieldKind.TEXT:
        options = []
    else:
        options = [str(v) for v in target.values]
    return [*options, *([] if target.required else [NOT_RECORDED]), EXCLUDE]


def _allowed_target(
    target: ProfileField | ProfileInput, value: str, definition: ProfileDefinition
) -> bool:
    return value in allowed_targets(target, definition)


# --- proposing a mapping -------------------------------------------------------------------------


def propose_mapping(
    definition: ProfileDefinition, table: Table, saved: SampleMapping | None = None
) -> SampleMapping:
    """Columns matched by their headings (a saved mapping's choices first, where this file has
    that heading); value choices carried over from the saved mapping. Nothing is guessed: a
    value the profile does not declare stays unmapped until the lead maps it."""
    by_heading = header_matcher(definition)
    headings = [h for h in table.header if h]
    columns: dict[str, str] = {}
    named: dict[str, list[str]] = {}
    for heading in headings:
        name = by_heading.get(normalize_header(heading))
        if name is not None:
            named.setdefault(name, []).append(heading)
            columns.setdefault(name, heading)
    mapping = SampleMapping(table.sheet, table.header_row, columns, {})
    mapping.ambiguous = {name: tuple(h) for name, h in named.items() if len(h) > 1}
    if saved is not None:
        for name, heading in saved.columns.items():
            if heading == "" or heading in headings:
                mapping.choose_column(name, heading)
        mapping.values = {target: dict(chosen) for target, chosen in saved.values.items()}
    # A field fed directly wins over an input feeding it; an input is dropped only if every
    # field it feeds has its own column.
    for target in definition.inputs:
        if target.id in mapping.columns and all(mapping.columns.get(name) for name in target.into):
            del mapping.columns[target.id]
    return mapping


# --- values ------------------------------------------------------------------------------


def _number(target: ProfileField, value: object, text: str) -> int | None:
    """A whole number from a cell: 3, 3.0 (Excel), '3', and with a declared word: 'Tier 3'."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e15 else None
    prefixes = "|".join(re.escape(p) for p in target.number_prefixes)
    optional = rf"(?:(?:{prefixes})\.?\s*)?" if prefixes else ""
    match = re.fullmatch(rf"{optional}([+-]?[0-9]{{1,15}})(?:\.0*)?", text.strip(), re.I)
    return int(match.group(1)) if match else None


def resolve_value(
    definition: ProfileDefinition,
    target: ProfileField,
    value: object,
    mapping: SampleMapping,
) -> tuple[object, str]:
    """What one cell (or part of one) means for a field, and how that was decided:
    'blank', 'mapped' (the lead's choice), 'allowed' (an allowed value or a declared spelling),
    'exclude', or 'unmapped'."""
    text = cell_text(value)
    spelling = text if text is not None else BLANK
    chosen = mapping.value_for(target.name, spelling)
    if chosen is not None:
        if chosen == EXCLUDE:
            return None, "exclude"
        if chosen == NOT_RECORDED:
            return None, "mapped"
        return _typed(target, chosen), "mapped"
    if text is None:
        return None, "blank"
    if target.kind is FieldKind.TEXT:
        return text, "allowed"
    if target.kind is FieldKind.FLAG:
        if isinstance(value, bool):
            return value, "allowed"
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value), "allowed"
        word = definition.flag_word(text)
        return (word, "allowed") if word is not None else (None, "unmapped")
    if target.kind is FieldKind.INTEGER:
        number = _number(target, value, text)
        if number is not None and (not target.values or number in target.values):
            return number, "allowed"
        found = target.match(text)
        return (found, "allowed") if found is not None else (None, "unmapped")
    found = target.match(text)
    return (found, "allowed") if found is not None else (None, "unmapped")


def _typed(target: ProfileField, text: str) -> object:
    if target.kind is FieldKind.FLAG:
        return text == "yes"
    if target.kind is FieldKind.INTEGER:
        return int(text)
    return text


def suggest_value(target: ProfileField | ProfileInput, spelling: str) -> str | None:
    """A close allowed value for an unknown spelling, offered to the lead and never applied by
    itself: one allowed value named whole inside the spelling ('ORA Community Order' ->
    'Community order'), else a near spelling ('Medum' -> 'Medium')."""
    if isinstance(target, ProfileInput):
        choices = {fold(k): v for k, v in target.aliases}
        choices.update(
            {fold(name.removeprefix("req_").replace("_", " ")): name for name in target.into}
        )
    elif target.kind in (FieldKind.CHOICE, FieldKind.INTEGER):
        choices = {fold(str(v)): str(v) for v in target.values}
        choices.update({fold(str(k)): str(v) for k, v in target.aliases if len(str(k)) > 2})
    else:
        return None
    folded = fold(spelling)
    if not folded:
        return None
    inside = {
        value
        for key, value in choices.items()
        if len(key) > 3 and re.search(rf"(^| ){re.escape(key)}( |$)", folded)
    }
    if len(inside) == 1:
        return inside.pop()
    close = difflib.get_close_matches(folded, list(choices), n=1, cutoff=0.8)
    return choices[close[0]] if close else None


@dataclass(frozen=True)
class ValueReport:
    """One distinct spelling in a column and what it maps to."""

    spelling: str  # as written ("" for an empty cell)
    count: int
    state: str  # "allowed", "mapped", "blank", "exclude", "unmapped" or "ignored"
    maps_to: str | None  # the value as text, NOT_RECORDED, EXCLUDE, a flag field or IGNORE
    suggestion: str | None = None


@dataclass(frozen=True)
class ColumnValues:
    """A mapped column's distinct values, for the lead to check and map."""

    target: str  # field or input id whose values these are
    label: str
    heading: str
    allowed: tuple[str, ...]  # what a spelling may be mapped to
    values: tuple[ValueReport, ...]

    @property
    def unmapped(self) -> tuple[ValueReport, ...]:
        return tuple(v for v in self.values if v.state == "unmapped")


def column_values(
    definition: ProfileDefinition, table: Table, mapping: SampleMapping
) -> list[ColumnValues]:
    """Every mapped column's distinct values, with counts and how each maps, in column order.
    Free text, dates and ages are not listed: they are read as they are."""
    index = {heading: i for i, heading in enumerate(table.header) if heading}
    reports: list[tuple[int, ColumnValues]] = []
    fields = definition.by_name
    inputs = {i.id: i for i in definition.inputs}
    for name, heading in mapping.columns.items():
        column = index.get(heading)
        if column is None:
            continue
        counts = Counter(
            cell_text(cells[column] if column < len(cells) else None) or BLANK
            for _, cells in table.rows
        )
        if name in fields and fields[name].kind is not FieldKind.TEXT and name != "sample_no":
            target = fields[name]
            values = [
                _report_field(definition, target, spelling, count, mapping)
                for spelling, count in counts.items()
            ]
            reports.append(
                (column, _column(target.name, target.label, heading, values, target, definition))
            )
        elif name in inputs and inputs[name].rule in (InputRule.SPLIT, InputRule.ITEMS):
            source = inputs[name]
            for target_name, values in _input_reports(definition, source, counts, mapping).items():
                spec = fields.get(target_name)
                label = spec.label if spec else source.label
                owner: ProfileField | ProfileInput = spec if spec is not None else source
                reports.append(
                    (column, _column(target_name, label, heading, values, owner, definition))
                )
    reports.sort(key=lambda item: item[0])
    return [report for _, report in reports]


def _column(
    name: str,
    label: str,
    heading: str,
    values: Iterable[ValueReport],
    owner: ProfileField | ProfileInput,
    definition: ProfileDefinition,
) -> ColumnValues:
    ordered = sorted(values, key=lambda v: (v.state != "unmapped", -v.count, v.spelling))
    return ColumnValues(
        name, label, heading, tuple(allowed_targets(owner, definition)), tuple(ordered)
    )


def _report_field(
    definition: ProfileDefinition,
    target: ProfileField,
    spelling: str,
    count: int,
    mapping: SampleMapping,
) -> ValueReport:
    value, state = resolve_value(definition, target, spelling or None, mapping)
    if state == "unmapped":
        return ValueReport(spelling, count, state, None, suggest_value(target, spelling))
    if state == "exclude":
        return ValueReport(spelling, count, state, EXCLUDE)
    if value is None:
        if state == "blank" and target.required:
            return ValueReport(spelling, count, "unmapped", None)
        return ValueReport(spelling, count, state, NOT_RECORDED)
    shown = ("yes" if value else "no") if isinstance(value, bool) else str(value)
    return ValueReport(spelling, count, state, shown)


def _input_reports(
    definition: ProfileDefinition,
    source: ProfileInput,
    counts: Mapping[str, int],
    mapping: SampleMapping,
) -> dict[str, list[ValueReport]]:
    """A combined column's parts, listed under the field each part feeds; an item list's items
    under the input itself."""
    parts: dict[str, Counter[str]] = {}
    whole: list[ValueReport] = []
    for spelling, count in counts.items():
        chosen = mapping.value_for(source.id, spelling)
        if chosen is not None:
            whole.append(
                ValueReport(spelling, count, "exclude" if chosen == EXCLUDE else "mapped", chosen)
            )
            continue
        if source.rule is InputRule.ITEMS:
            for item in split_items(source, spelling):
                parts.setdefault(source.id, Counter())[item] += count
            continue
        if spelling == BLANK:
            whole.append(ValueReport(spelling, count, "blank", NOT_RECORDED))
            continue
        pieces = [p.strip() for p in spelling.split(source.separator)]
        for name, piece in zip(source.into, pieces, strict=False):
            parts.setdefault(name, Counter())[piece] += count
        if len(pieces) > len(source.into):
            whole.append(ValueReport(spelling, count, "unmapped", None))
    out: dict[str, list[ValueReport]] = {}
    if whole:
        out[source.id] = whole
    fields = definition.by_name
    for name, counter in parts.items():
        reports = out.setdefault(name, [])
        for piece, count in counter.items():
            if source.rule is InputRule.ITEMS:
                reports.append(_report_item(source, piece, count, mapping))
            else:
                reports.append(_report_field(definition, fields[name], piece, count, mapping))
    return out


def split_items(source: ProfileInput, spelling: str) -> list[str]:
    return [item.strip() for item in spelling.split(source.separator) if item.strip()]


def resolve_item(source: ProfileInput, item: str, mapping: SampleMapping) -> tuple[str | None, str]:
    """The flag field (or IGNORE / EXCLUDE) an item stands for, and how that was decided."""
    chosen = mapping.value_for(source.id, item)
    if chosen is not None:
        return chosen, "exclude" if chosen == EXCLUDE else "mapped"
    found = source.match_item(item)
    if found is not None:
        return found, "ignored" if found == IGNORE else "allowed"
    return None, "unmapped"


def _report_item(
    source: ProfileInput, item: str, count: int, mapping: SampleMapping
) -> ValueReport:
    target, state = resolve_item(source, item, mapping)
    suggestion = suggest_value(source, item) if state == "unmapped" else None
    return ValueReport(item, count, state, target, suggestion)
