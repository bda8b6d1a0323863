"""The case profile fields (DESIGN section 3): one table that import, applicability, the GUI
and the report all read, so a field's name, label and allowed values live in one place."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FieldKind(StrEnum):
    CHOICE = "choice"  # one of `values`
    FLAG = "flag"  # True / False
    INTEGER = "integer"  # one of `values` (as ints)
    TEXT = "text"  # free text


@dataclass(frozen=True)
class ProfileField:
    name: str
    label: str
    kind: FieldKind
    values: tuple = ()
    required: bool = False
    identifying: bool = False  # kept apart from the profile, never printed in a report
    aliases: tuple[tuple[str, str], ...] = ()  # extra spellings accepted on import


GENDERS = ("Male", "Female", "Other")
ETHNICITIES = (
    "White",
    "Mixed/Multiple ethnic groups",
    "Asian/Asian British",
    "Black/African/Caribbean/Black British",
    "Other ethnic group",
    "Not known",
)
AGE_BANDS = ("18-20", "21-24", "25-29", "30-39", "40-49", "50+")
SENTENCE_TYPES = ("Community order", "Suspended sentence order", "Licence")
OFFENCE_GROUPS = (
    "Violence against the person",
    "Sexual offences",
    "Robbery",
    "Burglary",
    "Theft and handling",
    "Fraud and forgery",
    "Criminal damage",
    "Drug offences",
    "Motoring offences",
    "Other offences",
)
ROSH_LEVELS = ("Low", "Medium", "High", "Very high")
TIERS = (1, 2, 3, 4)
MAPPA_CATEGORIES = (1, 2, 3)
MAPPA_LEVELS = (1, 2, 3)
OM_GRADES = ("PO", "PSO")

SAMPLE_NO = ProfileField("sample_no", "Sample number", FieldKind.INTEGER, required=True)
CRN = ProfileField("crn", "Case reference number", FieldKind.TEXT, identifying=True)
NAME = ProfileField("name", "Name", FieldKind.TEXT, identifying=True)

PROFILE_FIELDS: tuple[ProfileField, ...] = (
    ProfileField(
        "gender", "Gender", FieldKind.CHOICE, GENDERS, aliases=(("m", "Male"), ("f", "Female"))
    ),
    ProfileField("ethnicity", "Ethnicity", FieldKind.CHOICE, ETHNICITIES),
    ProfileField("age_band", "Age band", FieldKind.CHOICE, AGE_BANDS),
    ProfileField(
        "sentence_type",
        "Sentence type",
        FieldKind.CHOICE,
        SENTENCE_TYPES,
        required=True,
        aliases=(
            ("co", "Community order"),
            ("sso", "Suspended sentence order"),
            ("license", "Licence"),
        ),
    ),
    ProfileField("offence_group", "Index offence group", FieldKind.CHOICE, OFFENCE_GROUPS),
    ProfileField("rosh", "RoSH level", FieldKind.CHOICE, ROSH_LEVELS, required=True),
    ProfileField("tier", "Tier", FieldKind.INTEGER, TIERS, required=True),
    ProfileField("mappa_category", "MAPPA category", FieldKind.INTEGER, MAPPA_CATEGORIES),
    ProfileField("mappa_level", "MAPPA level", FieldKind.INTEGER, MAPPA_LEVELS),
    ProfileField("child_protection", "Child protection concerns", FieldKind.FLAG),
    ProfileField("domestic_abuse", "Domestic abuse", FieldKind.FLAG),
    ProfileField("alcohol_misuse", "Alcohol misuse", FieldKind.FLAG),
    ProfileField("drug_misuse", "Drug misuse", FieldKind.FLAG),
    ProfileField("statutory_victim", "Statutory victim case", FieldKind.FLAG),
    ProfileField("om_grade", "Offender manager grade", FieldKind.CHOICE, OM_GRADES),
    ProfileField("office", "Office / team", FieldKind.TEXT),
)

FIELDS_BY_NAME: dict[str, ProfileField] = {f.name: f for f in PROFILE_FIELDS}
FLAG_FIELDS: tuple[str, ...] = tuple(f.name for f in PROFILE_FIELDS if f.kind is FieldKind.FLAG)

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
    return value in field.values


def sample_label(sample_no: int) -> str:
    """The public id of a case, as printed everywhere: 'Case 017'."""
    return f"Case {sample_no:03d}"
