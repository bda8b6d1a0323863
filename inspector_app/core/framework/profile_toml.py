"""Reads a framework's `[profile]` table into a `ProfileDefinition`, checking every entry.

A mistake in the table (an unknown kind, an alias to a value that is not allowed, an input
feeding a field that does not exist) is refused with the entry named, so a profile that loads
is one import can rely on.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Mapping
from typing import NoReturn

from inspector_app.core.errors import FrameworkError
from inspector_app.core.framework.profile import (
    IDENTIFYING_FIELDS,
    IGNORE,
    SAMPLE_NO_FIELD,
    FieldKind,
    InputRule,
    ProfileDefinition,
    ProfileField,
    ProfileInput,
)

DEFAULT_FRAMEWORK_FILE = "iaow-2013.toml"

_PROFILE_KEYS = ("fields", "inputs", "true_words", "false_words", "age_reference")
_FIELD_KEYS = (
    "id",
    "label",
    "kind",
    "values",
    "required",
    "identifying",
    "aliases",
    "headers",
    "number_prefixes",
    "code_pattern",
    "bands",
    "in_report",
)
_INPUT_KEYS = ("id", "label", "rule", "into", "headers", "separator", "aliases", "order")
_AGE_REFERENCES = ("fieldwork_start", "import_date")
_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")


_shipped = threading.local()  # reading the shipped framework, on this thread


def load_default_profile() -> ProfileDefinition:
    """The profile declared by the shipped framework file, read with the whole framework:
    a file made from it carries the same text, which is then not parsed a second time."""
    from inspector_app.core.framework.loader import frameworks_dir, load_framework_text

    path = frameworks_dir() / DEFAULT_FRAMEWORK_FILE
    if getattr(_shipped, "reading", False):  # it has none of its own to fall back on
        raise FrameworkError(f"{path.name}: the shipped framework declares no [profile] table")
    _shipped.reading = True
    try:
        return load_framework_text(path.read_text(encoding="utf-8"), path.name).profile
    finally:
        _shipped.reading = False


def parse_profile(raw: object, source: str) -> ProfileDefinition:
    """Checks and builds a profile definition; errors name `source` and the entry."""
    return _ProfileParser(source).parse(raw)


class _ProfileParser:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> NoReturn:
        raise FrameworkError(f"{self.source}: {where}: {problem}")

    def table(self, raw: object, where: str, keys: tuple[str, ...]) -> Mapping[str, object]:
        if not isinstance(raw, dict):
            self.fail(where, "must be a table")
        unknown = [key for key in raw if key not in keys]
        if unknown:
            self.fail(where, f"unknown key {unknown[0]!r} (expected {', '.join(keys)})")
        return raw

    def text(self, raw: Mapping[str, object], key: str, where: str, default: str = "") -> str:
        value = raw.get(key, default)
        if not isinstance(value, str) or (not value.strip() and not default and key in raw):
            self.fail(where, f"{key!r} must be a non-empty string")
        return value

    def texts(self, raw: Mapping[str, object], key: str, where: str) -> tuple[str, ...]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(where, f"{key!r} must be a list of strings")
        return tuple(value)

    def flag(self, raw: Mapping[str, object], key: str, where: str, default: bool) -> bool:
        value = raw.get(key, default)
        if not isinstance(value, bool):
            self.fail(where, f"{key!r} must be true or false")
        return value

    def parse(self, raw: object) -> ProfileDefinition:
        data = self.table(raw, "[profile]", _PROFILE_KEYS)
        entries = data.get("fields")
        if not isinstance(entries, list) or not entries:
            self.fail("[profile]", "needs a list of [[profile.fields]]")
        fields = tuple(self.field(entry, i) for i, entry in enumerate(entries))
        names = [f.name for f in fields]
        duplicate = next((n for n in names if names.count(n) > 1), None)
        if duplicate:
            self.fail("[profile]", f"field {duplicate!r} is declared twice")
        if SAMPLE_NO_FIELD not in names:
            self.fail("[profile]", f"needs a field {SAMPLE_NO_FIELD!r} (the public case number)")
        by_name = {f.name: f for f in fields}
        inputs_raw = data.get("inputs", [])
        if not isinstance(inputs_raw, list):
            self.fail("[profile]", "'inputs' must be a list of [[profile.inputs]]")
        inputs = tuple(self.input(entry, i, by_name) for i, entry in enumerate(inputs_raw))
        clash = {i.id for i in inputs} & set(names)
        if clash:
            self.fail("[profile]", f"input {sorted(clash)[0]!r} has the name of a field")
        age_reference = self.text(data, "age_reference", "[profile]", "fieldwork_start")
        if age_reference not in _AGE_REFERENCES:
            self.fail("[profile]", f"'age_reference' must be one of {', '.join(_AGE_REFERENCES)}")
        true_words = self.texts(data, "true_words", "[profile]") or ("yes", "y", "true", "1")
        false_words = self.texts(data, "false_words", "[profile]") or ("no", "n", "false", "0")
        return ProfileDefinition(
            fields,
            inputs,
            tuple(w.casefold() for w in true_words),
            tuple(w.casefold() for w in false_words),
            age_reference,
        )

    def field(self, raw: object, index: int) -> ProfileField:
        where = f"profile.fields[{index}]"
        entry = self.table(raw, where, _FIELD_KEYS)
        name = self.text(entry, "id", where)
        if not _ID.fullmatch(name):
            self.fail(where, f"id {name!r} must be lower case letters, digits and _")
        where = f"profile field {name!r}"
        try:
            kind = FieldKind(self.text(entry, "kind", where))
        except ValueError:
            self.fail(where, f"'kind' must be one of {', '.join(k.value for k in FieldKind)}")
        identifying = self.flag(entry, "identifying", where, False)
        if identifying and name not in IDENTIFYING_FIELDS:
            self.fail(where, f"only {' and '.join(IDENTIFYING_FIELDS)} can be identifying")
        values = self.values(entry, kind, where)
        aliases = self.aliases(entry, kind, values, where)
        code_pattern = entry.get("code_pattern")
        if code_pattern is not None:
            if not isinstance(code_pattern, str):
                self.fail(where, "'code_pattern' must be a string")
            try:
                re.compile(code_pattern)
            except re.error as exc:
                self.fail(where, f"'code_pattern' is not a valid pattern ({exc})")
        return ProfileField(
            name=name,
            label=self.text(entry, "label", where),
            kind=kind,
            values=values,
            required=self.flag(entry, "required", where, False),
            identifying=identifying,
            aliases=aliases,
            headers=self.texts(entry, "headers", where),
            number_prefixes=tuple(
                p.casefold() for p in self.texts(entry, "number_prefixes", where)
            ),
            code_pattern=code_pattern,
            bands=self.bands(entry, values, where),
            in_report=self.flag(entry, "in_report", where, kind is not FieldKind.TEXT),
        )

    def values(
        self, entry: Mapping[str, object], kind: FieldKind, where: str
    ) -> tuple[str | int, ...]:
        values = entry.get("values", [])
        if not isinstance(values, list):
            self.fail(where, "'values' must be a list")
        wanted = {FieldKind.CHOICE: str, FieldKind.INTEGER: int}.get(kind)
        if wanted is None:
            if values:
                self.fail(where, f"a {kind.value} field has no 'values'")
            return ()
        for value in values:
            if not isinstance(value, wanted) or isinstance(value, bool):
                self.fail(where, f"value {value!r} is not a {kind.value}")
        if kind is FieldKind.CHOICE and not values:
            self.fail(where, "a choice field needs 'values'")
        if len(set(values)) != len(values):
            self.fail(where, "'values' lists a value twice")
        return tuple(values)

    def aliases(
        self,
        entry: Mapping[str, object],
        kind: FieldKind,
        values: tuple[str | int, ...],
        where: str,
    ) -> tuple[tuple[str, object], ...]:
        raw = entry.get("aliases", {})
        if not isinstance(raw, dict):
            self.fail(where, "'aliases' must be a table of spelling = value")
        if raw and kind in (FieldKind.FLAG, FieldKind.TEXT):
            self.fail(where, f"a {kind.value} field has no 'aliases'")
        for spelling, value in raw.items():
            if value not in values or isinstance(value, bool):
                self.fail(where, f"alias {spelling!r} names {value!r}, which is not in 'values'")
        return tuple(raw.items())

    def bands(
        self, entry: Mapping[str, object], values: tuple[str | int, ...], where: str
    ) -> tuple[tuple[int, int, str], ...]:
        raw = entry.get("bands", [])
        if not isinstance(raw, list):
            self.fail(where, "'bands' must be a list of { from, to, value }")
        bands = []
        for band in raw:
            if not isinstance(band, dict) or set(band) != {"from", "to", "value"}:
                self.fail(where, "each band needs exactly 'from', 'to' and 'value'")
            low, high, value = band["from"], band["to"], band["value"]
            if not (isinstance(low, int) and isinstance(high, int) and low <= high):
                self.fail(where, f"band {value!r} needs whole numbers with from <= to")
            if value not in values:
                self.fail(where, f"band value {value!r} is not in 'values'")
            bands.append((low, high, value))
        bands.sort()
        for (_, high, value), (low, _, _) in itertools.pairwise(bands):
            if low <= high:
                self.fail(where, f"band {value!r} overlaps the next one")
        return tuple(bands)

    def input(self, raw: object, index: int, fields: Mapping[str, ProfileField]) -> ProfileInput:
        where = f"profile.inputs[{index}]"
        entry = self.table(raw, where, _INPUT_KEYS)
        input_id = self.text(entry, "id", where)
        if not _ID.fullmatch(input_id):
            self.fail(where, f"id {input_id!r} must be lower case letters, digits and _")
        where = f"profile input {input_id!r}"
        try:
            rule = InputRule(self.text(entry, "rule", where))
        except ValueError:
            self.fail(where, f"'rule' must be one of {', '.join(r.value for r in InputRule)}")
        into = self.texts(entry, "into", where)
        if not into:
            self.fail(where, "'into' must name at least one field")
        for name in into:
            if name not in fields:
                self.fail(where, f"'into' names unknown field {name!r}")
        targets = [fields[name] for name in into]
        separator = self.text(entry, "separator", where, " ")
        if rule in (InputRule.AGE_FROM_DATE, InputRule.AGE_FROM_YEARS) and (
            len(targets) != 1 or not targets[0].bands
        ):
            self.fail(where, "an age input feeds one field that declares 'bands'")
        if rule is InputRule.ITEMS and any(t.kind is not FieldKind.FLAG for t in targets):
            self.fail(where, "an items input feeds flag fields only")
        if rule is InputRule.JOIN and (len(targets) != 1 or targets[0].kind is not FieldKind.TEXT):
            self.fail(where, "a join input feeds one text field")
        aliases_raw = entry.get("aliases", {})
        if not isinstance(aliases_raw, dict):
            self.fail(where, "'aliases' must be a table of spelling = field")
        for spelling, target in aliases_raw.items():
            if target != IGNORE and target not in into:
                self.fail(where, f"alias {spelling!r} names {target!r}, which is not in 'into'")
        order = entry.get("order", 0)
        if not isinstance(order, int) or isinstance(order, bool):
            self.fail(where, "'order' must be a whole number")
        return ProfileInput(
            id=input_id,
            label=self.text(entry, "label", where),
            rule=rule,
            into=into,
            headers=self.texts(entry, "headers", where),
            separator=separator if rule in (InputRule.SPLIT, InputRule.ITEMS) else "",
            aliases=tuple(aliases_raw.items()),
            order=order,
        )
