"""Report settings: what the report says about the inspectorate and its publication (the Chief
Inspector's name and title, the organisation's full name, the series statement, the press
office, the markings, the copyright line), kept in the inspection file.

Each setting is a narrative part, `setting.<key>` (see `core.narrative.setting_part`), so it
is a revision like the words of the report: it has history, travels with the master, survives
a merge and its undo, and two leads who set it differently raise a conflict. The month of
publication is the narrative's own `report_date` part, offered here as `publication_month`.

`load_report_settings(file)` lays the stored values over `DEFAULTS` and gives the
`ReportSettings` the report is built with; every key that names a `ReportSettings` field
reaches the renderers that way. Qt-free.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.errors import ValidationError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.narrative.parts import (
    REPORT_DATE,
    Narrative,
    control_character_problem,
    load_narrative,
    set_texts,
    setting_part,
)
from inspector_app.core.report.data import ReportSettings

MAX_SETTING_CHARS = 1_000  # a setting is a line or two; anything longer is a paste by mistake
PUBLICATION_MONTH = "publication_month"  # stored in the narrative's report_date part


@dataclass(frozen=True)
class SettingSpec:
    """One setting: its key (as typed on the command line), its label (as the dialog shows
    it), what it is for, and an example."""

    key: str
    label: str
    help: str
    example: str = ""
    # Paragraphs (a blank line between them), edited in the Report view's Matter tab rather
    # than the one-line settings dialog.
    multiline: bool = False


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "chief_inspector",
        "Chief Inspector's name",
        "Signs the foreword and speaks in the press release; needed for a final report",
        "Alan MacDonald",
    ),
    SettingSpec(
        "chief_inspector_title",
        "Chief Inspector's title",
        "Printed under the name",
        "HM Chief Inspector of Probation",
    ),
    SettingSpec(
        "organisation_name",
        "Organisation's full name",
        "The service inspected, in full",
        "Merseyside Probation Trust",
    ),
    SettingSpec(
        "area_name", "Area's name", "The area the service covers, as used in the text", "Merseyside"
    ),
    SettingSpec(
        "series_statement",
        "Programme and series statement",
        "Where this inspection sits in its programme",
        "the second of six inspections focusing on work with adults who have offended",
    ),
    SettingSpec(
        "programme_start",
        "Programme started",
        "The month the inspection programme started, for the notes to editors",
        "April 2013",
    ),
    SettingSpec(
        "work_phrase",
        "The work inspected",
        "Completes 'The ... in <area> was of a <judgement> standard'",
        "work with adults who had offended",
    ),
    SettingSpec(
        "press_contact",
        "Press office contact",
        "Who journalists should call, in the press release's notes to editors",
        "the press office on 020 0000 0000",
    ),
    SettingSpec(
        PUBLICATION_MONTH,
        "Month of publication",
        "Year and month, such as 2027-02; empty for the month fieldwork ended",
        "2027-02",
    ),
    SettingSpec(
        "draft_marking",
        "Protective marking of drafts",
        "Printed at the top and bottom of every page of a draft",
        "OFFICIAL-SENSITIVE",
    ),
    SettingSpec(
        "final_marking",
        "Protective marking of the final report",
        "Empty for a published report (the default)",
        "",
    ),
    SettingSpec(
        "copyright_line",
        "Copyright and licence line",
        "The copyright and licence statement of the published report",
        "© Crown copyright 2027, under the Open Government Licence v3.0",
    ),
    SettingSpec(
        "isbn",
        "ISBN",
        "Printed with the copyright line of the published report, when it has one",
        "978-1-84099-000-0",
    ),
    SettingSpec(
        "context_facts",
        "Contextual information",
        "Facts about the area and the service for the appendix, 'Label: value' separated by ';'",
        "Caseload: about 5,200 people under supervision; Offender managers in post: 180",
    ),
    SettingSpec(
        "acknowledgements",
        "Acknowledgements",
        "Empty for the shipped thanks to the service's staff; a blank line between paragraphs",
        "",
        multiline=True,
    ),
    SettingSpec(
        "inspectorate_role",
        "The role of the inspectorate",
        "The paragraph about the inspectorate printed at the end of the report",
        "",
        multiline=True,
    ),
    SettingSpec("inspectorate", "Inspectorate", "The inspectorate's full name"),
    SettingSpec("inspectorate_short", "Inspectorate, short name", "As in the notes to editors"),
)
KEYS: tuple[str, ...] = tuple(s.key for s in SETTINGS)
SPECS: dict[str, SettingSpec] = {s.key: s for s in SETTINGS}

_REPORT_FIELDS = {f.name for f in dataclasses.fields(ReportSettings)}
_BUILT_IN = ReportSettings()
# A published report carries no protective marking unless the lead sets one.
DEFAULTS: dict[str, str] = {
    key: (getattr(_BUILT_IN, key) if key in _REPORT_FIELDS else "") for key in KEYS
} | {"final_marking": ""}


# --- reading ------------------------------------------------------------------------------------


def stored_settings(narrative: Narrative) -> dict[str, str]:
    """The settings written in the file (not the defaults), by key."""
    values = {k: v for k, v in narrative.settings.items() if k in SPECS}
    if narrative.has(REPORT_DATE):
        values[PUBLICATION_MONTH] = narrative.report_date
    return values


def defaults_for(file: InspectionFile) -> dict[str, str]:
    """The defaults of this inspection: the built-in ones, then what its framework ships as
    the report's matter ([report])."""
    shipped = {k: v for k, v in file.framework.report_defaults.items() if k in SPECS}
    return DEFAULTS | shipped


def settings_from(
    narrative: Narrative, defaults: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Every setting's current value: what the file holds, else the default."""
    return dict(defaults or DEFAULTS) | stored_settings(narrative)


def setting_values(file: InspectionFile) -> dict[str, str]:
    return settings_from(load_narrative(file), defaults_for(file))


def report_settings_from(values: Mapping[str, str]) -> ReportSettings:
    """The `ReportSettings` for these values: every key naming one of its fields."""
    chosen = {k: v for k, v in (DEFAULTS | dict(values)).items() if k in _REPORT_FIELDS}
    return dataclasses.replace(_BUILT_IN, **chosen)


def load_report_settings(file: InspectionFile) -> ReportSettings:
    """The file's settings merged over the defaults, as the report is built with them."""
    return report_settings_from(setting_values(file))


def conflicted_settings(narrative: Narrative) -> list[str]:
    """Keys of settings two people set differently (the newest value is the one used)."""
    keys = [k for k in KEYS if setting_part(k) in narrative.conflicted]
    if REPORT_DATE in narrative.conflicted:
        keys.append(PUBLICATION_MONTH)
    return keys


# --- checking and writing -----------------------------------------------------------------------


def unknown_key_message(key: str) -> str:
    return f"no report setting '{key}'; the settings are: {', '.join(KEYS)}"


def check_settings(values: Mapping[str, object]) -> dict[str, str]:
    """The values as they would be stored (stripped); ValidationError naming the first key
    that is unknown, not text, too long or holds a control character."""
    checked: dict[str, str] = {}
    for key, value in values.items():
        if key not in SPECS:
            raise ValidationError(unknown_key_message(key))
        if not isinstance(value, str):
            raise ValidationError(f"report setting {key}: expected text, not {value!r}")
        problem = control_character_problem(value, multiline=SPECS[key].multiline)
        if problem:
            raise ValidationError(f"report setting {key}: the value {problem}")
        text = value.strip()
        limit = MAX_SETTING_CHARS * (4 if SPECS[key].multiline else 1)
        if len(text) > limit:
            raise ValidationError(
                f"report setting {key}: {len(text):,} characters; the limit is {limit:,}"
            )
        if key == PUBLICATION_MONTH and text:
            _check_month(text)
        checked[key] = text
    return checked


def _check_month(text: str) -> None:
    parts = text.split("-")
    ok = len(parts) == 2 and all(p.isdigit() for p in parts) and len(parts[0]) == 4
    if not ok or not 1 <= int(parts[1]) <= 12:
        raise ValidationError(
            f"report setting {PUBLICATION_MONTH}: '{text}' is not a month such as 2027-02"
        )


def save_report_settings(
    file: InspectionFile,
    values: Mapping[str, object],
    *,
    note: str = "",
    author: str | None = None,
) -> dict[str, str]:
    """Check every value, then write them in one transaction (all or none). A value the file
    already holds records nothing; so does a default for a setting never written. Returns
    every setting's value afterwards."""
    checked = check_settings(values)
    narrative = load_narrative(file)
    stored = stored_settings(narrative)
    conflicted = set(conflicted_settings(narrative))
    defaults = defaults_for(file)
    parts: dict[str, str] = {}
    for key, value in checked.items():
        if key not in stored and value == defaults[key] and key not in conflicted:
            continue
        parts[REPORT_DATE if key == PUBLICATION_MONTH else setting_part(key)] = value
    if parts:
        narrative = set_texts(file, parts, note=note, author=author)
    return settings_from(narrative, defaults)


# --- from the command line -----------------------------------------------------------------------


def parse_assignments(assignments: Iterable[str]) -> dict[str, str]:
    """`KEY=VALUE` pairs (the value may be empty, or hold '='); unknown keys refused."""
    values: dict[str, str] = {}
    for item in assignments:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValidationError(f"--set {item!r}: write KEY=VALUE, e.g. chief_inspector=NAME")
        if key not in SPECS:
            raise ValidationError(unknown_key_message(key))
        values[key] = value
    return values


def read_settings_toml(path: Path) -> dict[str, str]:
    """The settings in a TOML file: `key = "value"` lines, at the top or under [settings]."""
    table = read_toml(path)
    if set(table) == {"settings"} and isinstance(table["settings"], dict):
        table = table["settings"]
    settings: dict[str, str] = {}
    for key, value in table.items():
        if key not in SPECS:
            raise ValidationError(f"{path.name}: {unknown_key_message(key)}")
        if not isinstance(value, str):
            raise ValidationError(f"{path.name}: {key} must be text in quotes, not {value!r}")
        settings[key] = value
    return settings


def read_toml(path: Path) -> dict[str, object]:
    """A TOML file as a table, or ValidationError saying why it cannot be read."""
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError as exc:
        raise ValidationError(f"{path.name}: is a folder, not a TOML file") from exc
    except OSError as exc:
        raise ValidationError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{path.name}: not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"{path.name}: not valid TOML ({exc})") from exc
