"""The case profile: what is known about each sampled case.

The fields are data, declared in the framework's `[profile]` table: each field's label, kind,
allowed values, the column headings a trust's export may use for it and the other spellings of
its values. Import, applicability, the GUI and the report all read one `ProfileDefinition`, so a
field or an alias is added by editing the TOML, never the code.

`PROFILE_FIELDS`, `FIELDS_BY_NAME` and `FLAG_FIELDS` are the shipped framework's definition,
for code that has no inspection file at hand.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING


class FieldKind(StrEnum):
    CHOICE = "choice"  # one of `values`
    FLAG = "flag"  # True / False
    INTEGER = "integer"  # one of `values` (as ints), or any whole number when none are listed
    TEXT = "text"  # free text


class InputRule(StrEnum):
    """How a column that is not simply one field feeds the profile."""

    AGE_FROM_DATE = "age_from_date"  # a date of birth, banded at the reference date
    AGE_FROM_YEARS = "age_from_years"  # an age in years, banded
    SPLIT = "split"  # one cell holds several fields in order ("Cat 2 / Level 1")
    ITEMS = "items"  # a list of items, each setting one flag ("UPW; ATR")
    JOIN = "join"  # several columns make one text field (forename + surname)


NOT_RECORDED = "(not recorded)"  # a mapping target: the case has no value for the field
EXCLUDE = "(exclude)"  # a mapping target: rows with this value are left out of the import
IGNORE = "(ignore)"  # an item-list target: the item sets no flag


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """The form spellings are compared in: case, spacing and punctuation do not matter, so
    'White: British', 'WHITE - british' and 'White British' are the same spelling."""
    return " ".join(re.sub(r"[^0-9a-z+<>]+", " ", text.casefold()).split())


@dataclass(frozen=True)
class ProfileField:
    name: str
    label: str
    kind: FieldKind
    values: tuple[str | int, ...] = ()  # str for a choice field, int for an integer one
    required: bool = False
    identifying: bool = False  # kept apart from the profile, never printed in a report
    aliases: tuple[tuple[str, object], ...] = ()  # other spellings of allowed values
    headers: tuple[str, ...] = ()  # column headings a trust's export uses for this field
    number_prefixes: tuple[str, ...] = ()  # words written before a number ("Tier 3", "Cat 2")
    code_pattern: str | None = None  # a leading code ("W1 ") tried without, then alone
    bands: tuple[tuple[int, int, str], ...] = ()  # (from, to, value): ages into age bands
    in_report: bool = True  # shown in the report's case sample profile
    _lookup: dict[str, object] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        lookup = {fold(str(spelling)): value for spelling, value in self.aliases}
        lookup.update({fold(str(value)): value for value in self.values})
        object.__setattr__(self, "_lookup", lookup)

    def match(self, text: str) -> object | None:
        """The allowed value this spelling stands for by the declared aliases, or None.

        Tried in order: the whole text; without a leading code ('W1 White: British' ->
        'White: British'); the code alone ('W1')."""
        found = self._lookup.get(fold(text))
        if found is not None or not self.code_pattern:
            return found
        code = re.match(self.code_pattern, text.strip())
        if code is None:
            return None
        rest = text.strip()[code.end() :]
        found = self._lookup.get(fold(rest)) if rest.strip() else None
        return found if found is not None else self._lookup.get(fold(code.group(0)))


@dataclass(frozen=True)
class ProfileInput:
    """A kind of column that feeds fields by a rule rather than one to one."""

    id: str
    label: str
    rule: InputRule
    into: tuple[str, ...]  # the fields it feeds
    headers: tuple[str, ...] = ()
    separator: str = ""  # SPLIT and ITEMS
    aliases: tuple[tuple[str, str], ...] = ()  # ITEMS: item spelling -> flag field or IGNORE
    order: int = 0  # JOIN: position of this part in the joined text
    _lookup: dict[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_lookup", {fold(k): v for k, v in self.aliases})

    def match_item(self, text: str) -> str | None:
        """ITEMS: the flag field (or IGNORE) an item's spelling stands for, or None."""
        return self._lookup.get(fold(text))


@dataclass(frozen=True)
class ProfileDefinition:
    """Every field and input of one framework's case profile."""

    fields: tuple[ProfileField, ...]  # sample number and identifying fields included
    inputs: tuple[ProfileInput, ...] = ()
    true_words: tuple[str, ...] = ("yes", "y", "true", "1")
    false_words: tuple[str, ...] = ("no", "n", "false", "0")
    age_reference: str = "fieldwork_start"

    @functools.cached_property
    def by_name(self) -> dict[str, ProfileField]:
        return {f.name: f for f in self.fields}

    @functools.cached_property
    def profile_fields(self) -> tuple[ProfileField, ...]:
        """The fields that make up a case's profile (not the sample number, not identifiers)."""
        return tuple(f for f in self.fields if f.name != SAMPLE_NO_FIELD and not f.identifying)

    @functools.cached_property
    def flag_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.profile_fields if f.kind is FieldKind.FLAG)

    def flag_word(self, text: str) -> bool | None:
        folded = text.strip().casefold()
        if folded in self.true_words:
            return True
        if folded in self.false_words:
            return False
        return None


SAMPLE_NO_FIELD = "sample_no"
IDENTIFYING_FIELDS = ("crn", "name")  # the only identifiers a file keeps (in case_identity)

# A case profile as the core passes it around: field name -> value (str, int, bool or None).
Profile = dict[str, object]


def is_valid_value(field: ProfileField, value: object) -> bool:
    """True if `value` (already converted to the field's type) is allowed; None means unknown."""
    if value is None:
        return not field.required
    if field.kind is FieldKind.FLAG:
        return isinstance(value, bool)
    if field.kind is FieldKind.TEXT:
        return isinstance(value, str)
    if field.kind is FieldKind.INTEGER and (isinstance(value, bool) or not isinstance(value, int)):
        return False
    if field.kind is FieldKind.INTEGER and not field.values:
        return True
    return value in field.values


def sample_label(sample_no: int) -> str:
    """The public id of a case, as printed everywhere: 'Case 017'."""
    return f"Case {sample_no:03d}"


@functools.cache
def default_profile() -> ProfileDefinition:
    """The case profile of the shipped framework."""
    from inspector_app.core.framework.profile_toml import load_default_profile

    return load_default_profile()


if TYPE_CHECKING:
    # What `__getattr__` below returns for each name, for the type checker.
    PROFILE_FIELDS: tuple[ProfileField, ...]
    FIELDS_BY_NAME: dict[str, ProfileField]
    FLAG_FIELDS: tuple[str, ...]
    SAMPLE_NO: ProfileField
    CRN: ProfileField
    NAME: ProfileField
    ROSH_LEVELS: tuple[str | int, ...]
    SENTENCE_TYPES: tuple[str | int, ...]
    ETHNICITIES: tuple[str | int, ...]
    AGE_BANDS: tuple[str | int, ...]
    OFFENCE_GROUPS: tuple[str | int, ...]
    GENDERS: tuple[str | int, ...]
    TIERS: tuple[str | int, ...]


def __getattr__(name: str) -> object:
    """The shipped definition's fields under their historical names, read on first use."""
    if name.startswith("__"):
        raise AttributeError(name)
    definition = default_profile()
    shipped: dict[str, object] = {
        "PROFILE_FIELDS": definition.profile_fields,
        "FIELDS_BY_NAME": {f.name: f for f in definition.profile_fields},
        "FLAG_FIELDS": definition.flag_fields,
        "SAMPLE_NO": definition.by_name[SAMPLE_NO_FIELD],
        "CRN": definition.by_name["crn"],
        "NAME": definition.by_name["name"],
        "ROSH_LEVELS": definition.by_name["rosh"].values,
        "SENTENCE_TYPES": definition.by_name["sentence_type"].values,
        "ETHNICITIES": definition.by_name["ethnicity"].values,
        "AGE_BANDS": definition.by_name["age_band"].values,
        "OFFENCE_GROUPS": definition.by_name["offence_group"].values,
        "GENDERS": definition.by_name["gender"].values,
        "TIERS": definition.by_name["tier"].values,
    }
    if name in shipped:
        return shipped[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def profile_to_json(values: Mapping[str, object]) -> str:
    """A profile as stored in a file: the known values only, keys sorted, compact."""
    return json.dumps(
        {k: v for k, v in sorted(values.items()) if v is not None},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def profile_from_json(text: str | None, definition: ProfileDefinition) -> Profile:
    """Every field of the definition, from a stored profile (None where nothing is known; a
    value of the wrong type, which no import writes, is read as unknown)."""
    try:
        stored = json.loads(text or "{}")
    except ValueError:
        stored = {}
    if not isinstance(stored, dict):
        stored = {}
    values: Profile = {}
    for spec in definition.profile_fields:
        value = stored.get(spec.name)
        values[spec.name] = value if value is not None and is_valid_value(spec, value) else None
    return values


def raw_from_json(text: str | None) -> dict[str, str]:
    """The export's own spellings kept beside a profile (field -> text as written)."""
    try:
        stored = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(stored, dict):
        return {}
    return {k: v for k, v in stored.items() if isinstance(v, str)}
