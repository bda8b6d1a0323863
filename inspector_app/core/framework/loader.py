"""Reads a framework TOML file into the frozen model and refuses anything doubtful.

A framework is edited by hand and then trusted by every figure in a report, so the loader checks
everything it can (typos in keys, unknown fields and values, conditions that point forwards) and
names the file, the section or question, and the problem in one FrameworkError message.
"""

from __future__ import annotations

import difflib
import os
import re
import threading
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NoReturn, TypeVar, cast

from inspector_app.core.errors import FrameworkError
from inspector_app.core.framework import profile
from inspector_app.core.framework.model import (
    ANSWER_OPS,
    FIELD_OPS,
    LABEL_MAX,
    All,
    AnswerTest,
    Any,
    Condition,
    Criterion,
    FieldTest,
    Framework,
    HeadlineRules,
    Not,
    Question,
    Scale,
    ScaleOption,
    Section,
    Stage,
    WordingBand,
    WordingFraction,
)
from inspector_app.core.framework.profile import ProfileDefinition, ProfileField, default_profile
from inspector_app.core.framework.profile_toml import parse_profile
from inspector_app.core.framework.ratings_toml import parse_ratings
from inspector_app.core.framework.source_lines import line_of_message
from inspector_app.core.resources import resources_dir

DEFAULT_SCALE = "yes_no_na"

_Op = TypeVar("_Op", bound=str)  # an applies_if operator: FieldOp or AnswerOp

_TOP_KEYS = (
    "framework",
    "scales",
    "sections",
    "wording",
    "profile",
    "headlines",
    "stages",
    "criteria",
    "report",
    "ratings",
    "glossary",
)
# What a framework may ship as the report's default matter ([report]); the report settings
# of the same names override them per inspection.
REPORT_DEFAULT_KEYS = (
    "inspectorate_role",
    "acknowledgements",
    "work_phrase",
    "programme_start",
    "series_statement",
    "copyright_line",
    "case_reading",
)
_FRAMEWORK_KEYS = ("id", "version", "title", "programme", "interview_question")
_SCALE_KEYS = ("label", "kind", "options", "positive", "negative", "excluded")
_OPTION_KEYS = ("value", "label", "key")
_SECTION_KEYS = ("code", "title", "criterion", "questions")
_QUESTION_KEYS = (
    "code",
    "text",
    "guidance",
    "scale",
    "scored",
    "polarity",
    "note_required",
    "applies_if",
    "finding",
    "label",
)
_WORDING_KEYS = (
    "words",
    "adverb",
    "equals",
    "from",
    "below",
    "fewer_cases_than",
    "nearest",
    "tolerance",
    "nearly",
    "more",
)
_FRACTION_KEYS = ("value", "words")
_COMBINATORS = ("all", "any", "not")
_CONDITION_HEADS = (*_COMBINATORS, "field", "answer")


# --- public API -------------------------------------------------------------------------------


def frameworks_dir() -> Path:
    """The folder holding the shipped framework files."""
    return resources_dir() / "frameworks"


def builtin_frameworks() -> dict[str, Path]:
    """Shipped frameworks by id (a file is named after its framework id), sorted by id."""
    folder = frameworks_dir()
    if not folder.is_dir():
        return {}
    return {path.stem: path for path in sorted(folder.glob("*.toml"))}


def load_builtin(framework_id: str) -> Framework:
    """Loads a shipped framework by id."""
    available = builtin_frameworks()
    path = available.get(framework_id)
    if path is None:
        names = ", ".join(available) or "none"
        raise FrameworkError(f"no built-in framework {framework_id!r} (available: {names})")
    framework = load_framework(path)
    if framework.id != framework_id:
        raise FrameworkError(
            f"{path.name}: the file declares id {framework.id!r}; "
            f"a shipped framework file must be named after its id"
        )
    return framework


def load_framework(path: str | os.PathLike[str]) -> Framework:
    """Reads and validates a framework file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FrameworkError(f"{path.name}: cannot read the file: {exc.strerror}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrameworkError(
            f"{path.name}: not UTF-8 text (bad byte at offset {exc.start})"
        ) from exc
    return load_framework_text(text, path.name)


# Frameworks parsed in this process, by their exact text: every inspection file carries its
# framework's text, and each opening of a file (the window's, and each background reader's)
# would otherwise parse it again, most of what an opening costs. The model is frozen, so one
# parse serves them all. A few texts at most are open at once; the oldest goes first.
_PARSED: dict[str, Framework] = {}
_PARSED_MAX = 8
_PARSED_LOCK = threading.Lock()


def load_framework_text(text: str, source_name: str) -> Framework:
    """Parses and validates framework TOML; `source_name` (usually the file name) starts every
    error message. A text parsed before is not parsed again."""
    with _PARSED_LOCK:
        known = _PARSED.get(text)
    if known is not None:
        return known
    try:
        framework = _Loader(source_name).load(text)
    except FrameworkError as exc:
        if exc.line is None:
            exc.line = line_of_message(text, source_name, str(exc))
        raise
    with _PARSED_LOCK:
        if len(_PARSED) >= _PARSED_MAX:
            del _PARSED[next(iter(_PARSED))]
        _PARSED[text] = framework
    return framework


# --- the loader -------------------------------------------------------------------------------


def _names_code(label: str, code: str) -> bool:
    """Whether `label` holds the question code `code` as a word of its own, in any case. A
    plain-ASCII label without the code's letters in a row cannot (most labels): no pattern
    is made for it."""
    if label.isascii() and code.isascii() and code.lower() not in label.lower():
        return False
    return re.search(rf"(?<![\w.]){re.escape(code)}(?!\w|\.\w)", label, re.IGNORECASE) is not None


def _show(value: object) -> str:
    """A value as the TOML author wrote it, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def _listing(values: Iterable[object]) -> str:
    return ", ".join(_show(v) for v in values)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Loader:
    """One load: holds the source name for messages and the questions seen so far."""

    def __init__(self, source_name: str) -> None:
        self.source = source_name
        self.scales: dict[str, Scale] = {}
        self.all_codes: set[str] = set()
        self.earlier: dict[str, Question] = {}
        self._profile: ProfileDefinition | None = None

    @property
    def profile(self) -> ProfileDefinition:
        """The framework's own profile once `load` has read it, else the shipped one (asked
        for only when needed: the shipped profile is itself read through a loader)."""
        return self._profile if self._profile is not None else default_profile()

    def fail(self, where: str | None, problem: str) -> NoReturn:
        prefix = f"{self.source}: {where}: " if where else f"{self.source}: "
        raise FrameworkError(prefix + problem)

    # generic checks

    def table(self, value: object, where: str, what: str) -> dict[str, object]:
        if not isinstance(value, dict):
            self.fail(where, f"{what} must be a table, not {_show(value)}")
        return value

    def check_keys(self, table: Mapping[str, object], allowed: tuple[str, ...], where: str) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"expected {_listing(allowed)}"
                self.fail(where, f"unknown key {key!r} ({hint})")

    def string(
        self, table: Mapping[str, object], key: str, where: str, default: str | None = None
    ) -> str:
        value = table.get(key)
        if value is None:
            if default is None:
                self.fail(where, f"missing {key!r}")
            return default
        if not isinstance(value, str):
            self.fail(where, f"{key!r} must be a string in quotes, not {_show(value)}")
        if default is None and not value.strip():
            self.fail(where, f"{key!r} must not be empty")
        return value

    def opt_string(self, table: Mapping[str, object], key: str, where: str) -> str | None:
        if table.get(key) is None:
            return None
        return self.string(table, key, where)

    def code(self, table: Mapping[str, object], where: str, key: str = "code") -> str:
        code = self.string(table, key, where)
        if any(c.isspace() for c in code):
            self.fail(where, f"{key} {code!r} must not contain spaces")
        return code

    def strings(self, table: Mapping[str, object], key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(where, f"{key!r} must be a list of strings, not {_show(value)}")
        return tuple(value)

    def boolean(self, table: Mapping[str, object], key: str, where: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.fail(where, f"{key!r} must be true or false, not {_show(value)}")
        return value

    def share(self, table: Mapping[str, object], key: str, where: str) -> float | None:
        value = table.get(key)
        if value is None:
            return None
        if not _is_number(value) or not 0 <= cast(float, value) <= 1:
            self.fail(where, f"{key!r} must be a number from 0 to 1, not {_show(value)}")
        return float(cast(float, value))

    # the document

    def load(self, text: str) -> Framework:
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            self.fail(None, f"invalid TOML: {exc}")
        self.check_keys(doc, _TOP_KEYS, "top level")
        if "framework" not in doc:
            self.fail(None, "missing the [framework] table (id, version, title)")
        head = self.table(doc["framework"], "[framework]", "[framework]")
        self.check_keys(head, _FRAMEWORK_KEYS, "[framework]")
        framework_id = self.code(head, "[framework]", key="id")
        version = self.string(head, "version", "[framework]")
        title = self.string(head, "title", "[framework]")
        programme = self.string(head, "programme", "[framework]", default="")
        # A framework without a [profile] table (files made before profiles were data) reads
        # its cases with the shipped profile, which is what it was made with.
        self._profile = (
            parse_profile(doc["profile"], self.source) if "profile" in doc else default_profile()
        )

        scales = self.table(doc.get("scales", {}), "[scales]", "[scales]")
        for scale_id, raw in scales.items():
            self.scales[scale_id] = self.scale(scale_id, raw)

        raw_sections = doc.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections:
            self.fail(None, "the framework needs at least one [[sections]] table")
        self.collect_codes(raw_sections)
        sections: list[Section] = []
        for index, raw in enumerate(raw_sections, start=1):
            section = self.section(index, raw)
            if any(s.code == section.code for s in sections):
                self.fail(f"section {section.code}", "section code used twice")
            sections.append(section)

        wording = None
        if "wording" in doc:
            raw_wording = doc["wording"]
            if not isinstance(raw_wording, list):
                self.fail(None, "'wording' must be an array of tables ([[wording]])")
            wording = tuple(self.band(i, raw) for i, raw in enumerate(raw_wording, start=1))

        stages = self.stages(doc.get("stages", []))
        criteria = self.criteria(doc.get("criteria", []), stages, sections)
        ratings = None
        if "ratings" in doc:
            ratings = parse_ratings(doc["ratings"], self.source, criteria)
        return Framework(
            id=framework_id,
            version=version,
            title=title,
            programme=programme,
            scales=dict(self.scales),
            sections=tuple(sections),
            wording=wording,
            ratings=ratings,
            source=text,
            profile=self.profile,
            headlines=self.headlines(doc.get("headlines", {})),
            interview_question=self.interview(head, sections),
            stages=stages,
            declared_criteria=criteria,
            report_defaults=self.report_defaults(doc.get("report", {})),
            glossary=self.glossary(doc.get("glossary", [])),
        )

    def glossary(self, raw: object) -> tuple[tuple[str, str], ...]:
        """[[glossary]]: the terms the report explains, for a framework whose programme uses
        its own words (none: the report's shipped glossary)."""
        if not isinstance(raw, list):
            self.fail(None, "'glossary' must be an array of tables ([[glossary]])")
        entries: list[tuple[str, str]] = []
        for index, item in enumerate(raw, start=1):
            where = f"glossary {index}"
            table = self.table(item, where, "a glossary entry")
            self.check_keys(table, ("term", "meaning"), where)
            entries.append(
                (self.string(table, "term", where), self.string(table, "meaning", where))
            )
        return tuple(entries)

    def report_defaults(self, raw: object) -> dict[str, str]:
        """[report]: the report's matter as this framework ships it (text only)."""
        table = self.table(raw, "[report]", "[report]")
        self.check_keys(table, REPORT_DEFAULT_KEYS, "[report]")
        return {key: self.string(table, key, "[report]") for key in table}

    def stages(self, raw: object) -> tuple[Stage, ...]:
        """[[stages]]: the stages of the offender's journey the report's chapters follow."""
        if not isinstance(raw, list):
            self.fail(None, "'stages' must be an array of tables ([[stages]])")
        found: list[Stage] = []
        for index, item in enumerate(raw, start=1):
            where = f"stage {index}"
            table = self.table(item, where, "a stage")
            self.check_keys(table, ("code", "title"), where)
            stage = Stage(self.code(table, where), self.string(table, "title", where))
            if any(s.code == stage.code for s in found):
                self.fail(f"stage {stage.code}", "stage code used twice")
            found.append(stage)
        return tuple(found)

    def criteria(
        self, raw: object, stages: tuple[Stage, ...], sections: list[Section]
    ) -> tuple[Criterion, ...]:
        """[[criteria]]: what the report scores. Each names its stage (when stages are
        declared) and the scored questions that feed it; a question feeds at most one."""
        if not isinstance(raw, list):
            self.fail(None, "'criteria' must be an array of tables ([[criteria]])")
        scored = {q.code for s in sections for q in s.questions if q.scored}
        fed: dict[str, str] = {}
        found: list[Criterion] = []
        for index, item in enumerate(raw, start=1):
            table = self.table(item, f"criterion {index}", "a criterion")
            code = self.code(table, f"criterion {index}")
            where = f"criterion {code}"
            self.check_keys(
                table, ("code", "title", "stage", "looked_for", "questions", "subgroups"), where
            )
            stage = self.string(table, "stage", where, default="")
            if stages and not any(s.code == stage for s in stages):
                self.fail(where, f"'stage' names no stage: {_show(stage)}")
            if not stages and stage:
                self.fail(where, "'stage' given, but the framework declares no [[stages]]")
            questions = self.strings(table, "questions", where)
            if not questions:
                self.fail(where, "'questions' must name at least one scored question")
            for question in questions:
                if question not in scored:
                    self.fail(where, f"{_show(question)} is not a scored question")
                if question in fed:
                    self.fail(where, f"{question} already feeds criterion {fed[question]}")
                fed[question] = code
            if any(c.code == code for c in found):
                self.fail(where, "criterion code used twice")
            found.append(
                Criterion(
                    code=code,
                    title=self.string(table, "title", where),
                    stage=stage,
                    looked_for=self.string(table, "looked_for", where),
                    questions=questions,
                    subgroups=self.strings(table, "subgroups", where),
                )
            )
        return tuple(found)

    def interview(self, head: Mapping[str, object], sections: list[Section]) -> str | None:
        """The question whose Yes records an interview with the offender manager."""
        code = head.get("interview_question")
        if code is None:
            return None
        if not isinstance(code, str) or not any(
            q.code == code for s in sections for q in s.questions
        ):
            self.fail("[framework]", f"'interview_question' names no question: {_show(code)}")
        return code

    def headlines(self, raw: object) -> HeadlineRules:
        table = self.table(raw, "[headlines]", "[headlines]")
        keys = ("report_minimum_base", "press_minimum_base", "per_section", "count")
        self.check_keys(table, keys, "[headlines]")
        values: dict[str, int] = {}
        for key in keys:
            if key in table:
                value = table[key]
                if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                    self.fail("[headlines]", f"{key!r} must be a whole number of 1 or more")
                values[key] = value
        return HeadlineRules(**values)

    def collect_codes(self, raw_sections: list[object]) -> None:
        """Notes every question code first, so that a condition can tell 'unknown' from 'later'."""
        for raw in raw_sections:
            questions = raw.get("questions") if isinstance(raw, dict) else None
            for q in questions if isinstance(questions, list) else []:
                if isinstance(q, dict) and isinstance(q.get("code"), str):
                    self.all_codes.add(q["code"])

    # scales

    def scale(self, scale_id: str, raw: object) -> Scale:
        where = f"scale {scale_id}"
        table = self.table(raw, where, "a scale")
        self.check_keys(table, _SCALE_KEYS, where)
        label = self.string(table, "label", where, default=scale_id)
        kind = self.string(table, "kind", where, default="choice")
        if kind == "text":
            for key in ("options", "positive", "negative", "excluded"):
                if key in table:
                    self.fail(where, f"a text scale has no {key!r}")
            return Scale(scale_id, label, (), kind="text")
        if kind != "choice":
            self.fail(where, f"kind must be 'choice' or 'text', not {_show(kind)}")

        raw_options = table.get("options")
        if not isinstance(raw_options, list) or not raw_options:
            self.fail(where, "a choice scale needs a non-empty 'options' list")
        options: list[ScaleOption] = []
        for raw_option in raw_options:
            option_table = self.table(raw_option, where, "each option")
            self.check_keys(option_table, _OPTION_KEYS, where)
            value = self.string(option_table, "value", where)
            option_label = self.string(option_table, "label", where)
            key = self.string(option_table, "key", where)
            if len(key) != 1 or not key.isalpha():
                self.fail(where, f"option {value!r}: key must be a single letter, not {key!r}")
            if any(o.value == value for o in options):
                self.fail(where, f"option value {value!r} used twice")
            if any(o.key == key.upper() for o in options):
                self.fail(where, f"option key {key.upper()!r} used twice")
            options.append(ScaleOption(value, option_label, key.upper()))
        values = [o.value for o in options]

        positive = self.opt_string(table, "positive", where)
        negative = self.opt_string(table, "negative", where)
        if (positive is None) != (negative is None):
            self.fail(where, "give both 'positive' and 'negative', or neither")
        for key, chosen in (("positive", positive), ("negative", negative)):
            if chosen is not None and chosen not in values:
                self.fail(where, f"{key} {chosen!r} is not one of its options ({_listing(values)})")
        if positive is not None and positive == negative:
            self.fail(where, "'positive' and 'negative' must differ")
        excluded = self.strings(table, "excluded", where)
        for value in excluded:
            if value not in values:
                self.fail(where, f"excluded {value!r} is not one of its options")
            if value in (positive, negative):
                self.fail(where, f"{value!r} cannot be both counted and excluded")
        return Scale(scale_id, label, tuple(options), positive, negative, excluded)

    # sections and questions

    def section(self, index: int, raw: object) -> Section:
        where = f"section {index}"
        table = self.table(raw, where, "a section")
        if isinstance(table.get("code"), str):
            where = f"section {table['code']}"
        self.check_keys(table, _SECTION_KEYS, where)
        code = self.code(table, where)
        title = self.string(table, "title", where)
        criterion = self.string(table, "criterion", where, default="")
        raw_questions = table.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            self.fail(where, "has no questions ([[sections.questions]])")
        questions = tuple(
            self.question(code, i, raw_q) for i, raw_q in enumerate(raw_questions, start=1)
        )
        return Section(code, title, criterion, questions)

    def question(self, section_code: str, index: int, raw: object) -> Question:
        where = f"section {section_code}, question {index}"
        table = self.table(raw, where, "a question")
        if isinstance(table.get("code"), str):
            where = f"question {table['code']}"
        self.check_keys(table, _QUESTION_KEYS, where)
        code = self.code(table, where)
        if code in self.earlier:
            first = self.earlier[code].section_code
            self.fail(where, f"question code used twice (first in section {first})")
        text = self.string(table, "text", where)
        guidance = self.string(table, "guidance", where, default="")

        scale_id = self.string(table, "scale", where, default=DEFAULT_SCALE)
        scale = self.scales.get(scale_id)
        if scale is None:
            defined = _listing(self.scales) or "none"
            self.fail(where, f"unknown scale {scale_id!r} (defined: {defined})")

        scored = self.boolean(table, "scored", where, default=scale.scorable)
        if scored and not scale.scorable:
            self.fail(where, f"is scored, but scale {scale_id!r} has no positive and negative")

        polarity = table.get("polarity", "positive")
        if polarity not in ("positive", "negative"):
            self.fail(where, f"polarity must be 'positive' or 'negative', not {_show(polarity)}")

        note_required = self.strings(table, "note_required", where)
        for value in note_required:
            if value not in scale.values:
                self.fail(
                    where,
                    f"note_required value {value!r} is not an option of scale {scale_id!r}"
                    f" ({_listing(scale.values) or 'free text'})",
                )

        finding = self.opt_string(table, "finding", where)
        label = self.label(table, where, code)
        applies_if = None
        if "applies_if" in table:
            applies_if = self.condition(table["applies_if"], where, code)

        sufficient = insufficient = None
        if scored:
            sufficient, insufficient = scale.positive, scale.negative
            if polarity == "negative":
                sufficient, insufficient = insufficient, sufficient

        question = Question(
            code=code,
            text=text,
            guidance=guidance,
            scale=scale_id,
            scored=scored,
            polarity=polarity,
            note_required=note_required,
            applies_if=applies_if,
            finding=finding,
            section_code=section_code,
            sufficient_value=sufficient,
            insufficient_value=insufficient,
            label=label,
        )
        self.earlier[code] = question
        return question

    def label(self, table: Mapping[str, object], where: str, code: str) -> str | None:
        """A question's short label: one line of plain words for charts and tables, which
        never print question codes."""
        label = self.opt_string(table, "label", where)
        if label is None:
            return None
        if label != label.strip() or any(c in label for c in "\r\n\t"):
            self.fail(where, f"'label' must be one line without surrounding spaces: {label!r}")
        if len(label) > LABEL_MAX:
            self.fail(
                where,
                f"'label' has {len(label)} characters, more than the {LABEL_MAX} a chart can "
                f"show: {label!r}",
            )
        if label.endswith("."):
            self.fail(where, f"'label' must not end with a full stop: {label!r}")
        if _names_code(label, code):
            self.fail(
                where,
                f"'label' must not contain the question code {code!r} "
                f"(reports name questions in words): {label!r}",
            )
        return label

    # conditions

    def condition(self, raw: object, where: str, own_code: str) -> Condition:
        if not isinstance(raw, dict):
            self.fail(where, f"applies_if: a condition must be a table, not {_show(raw)}")
        heads = [key for key in _CONDITION_HEADS if key in raw]
        if len(heads) != 1:
            found = f" (found {', '.join(heads)})" if heads else f" (found {_listing(raw)})"
            self.fail(
                where,
                f"applies_if: a condition needs exactly one of {', '.join(_CONDITION_HEADS)}"
                + found,
            )
        head = heads[0]
        if head in _COMBINATORS:
            if len(raw) != 1:
                extra = _listing(k for k in raw if k != head)
                self.fail(where, f"applies_if: unexpected {extra} beside {head!r}")
            body = raw[head]
            if head == "not":
                return Not(self.condition(body, where, own_code))
            if not isinstance(body, list):
                self.fail(where, f"applies_if: {head!r} needs a list of conditions")
            if not body:
                self.fail(where, f"applies_if: {head!r} needs at least one condition")
            items = tuple(self.condition(item, where, own_code) for item in body)
            return All(items) if head == "all" else Any(items)
        if head == "field":
            return self.field_test(raw, where)
        return self.answer_test(raw, where, own_code)

    def operator(
        self, raw: Mapping[str, object], head: str, ops: tuple[_Op, ...], where: str
    ) -> _Op:
        subject = f"{head} test on {_show(raw[head])}"
        others = [key for key in raw if key != head]
        for key in others:
            if key not in ops:
                self.fail(
                    where,
                    f"applies_if: unknown operator {key!r} in {subject} (use one of: "
                    f"{', '.join(ops)})",
                )
        if not others:
            self.fail(
                where, f"applies_if: {subject} has no operator (use one of: {', '.join(ops)})"
            )
        if len(others) > 1:
            self.fail(
                where, f"applies_if: {subject} has more than one operator ({', '.join(others)})"
            )
        return ops[ops.index(others[0])]  # the operator as typed, from `ops`

    def field_test(self, raw: Mapping[str, object], where: str) -> FieldTest:
        name = raw["field"]
        if not isinstance(name, str):
            self.fail(where, f"applies_if: 'field' must be a field name, not {_show(name)}")
        spec = self.profile.by_name.get(name)
        if spec is None or spec.identifying or name == profile.SAMPLE_NO_FIELD:
            self.fail(where, f"applies_if refers to unknown profile field {name!r}")
        op = self.operator(raw, "field", FIELD_OPS, where)
        value = raw[op]
        if op in ("gte", "lte") and spec.kind is not profile.FieldKind.INTEGER:
            self.fail(
                where,
                f"applies_if: operator {op!r} needs a number field, but {name!r} is a "
                f"{spec.kind.value} field",
            )
        if op in ("in", "not_in"):
            if not isinstance(value, list) or not value:
                self.fail(where, f"applies_if: {op!r} on field {name!r} needs a non-empty list")
            for item in value:
                self.field_value(spec, item, where)
            return FieldTest(name, op, tuple(value))
        self.field_value(spec, value, where)
        return FieldTest(name, op, value)

    def field_value(self, spec: ProfileField, value: object, where: str) -> None:
        if profile.is_valid_value(spec, value):
            return
        if spec.kind is profile.FieldKind.FLAG:
            self.fail(
                where,
                f"applies_if: profile field {spec.name!r} is a flag and needs true or false, "
                f"not {_show(value)}",
            )
        allowed = f" (allowed: {_listing(spec.values)})" if spec.values else ""
        self.fail(
            where,
            f"applies_if: {_show(value)} is not a valid value for profile field "
            f"{spec.name!r}{allowed}",
        )

    def answer_test(self, raw: Mapping[str, object], where: str, own_code: str) -> AnswerTest:
        code = raw["answer"]
        if not isinstance(code, str):
            self.fail(where, f"applies_if: 'answer' must be a question code, not {_show(code)}")
        if code == own_code:
            self.fail(where, "applies_if refers to the question's own answer")
        target = self.earlier.get(code)
        if target is None:
            if code in self.all_codes:
                self.fail(
                    where,
                    f"applies_if refers to question {code!r}, which comes later; "
                    f"a condition may only use answers to earlier questions",
                )
            self.fail(where, f"applies_if refers to unknown question {code!r}")
        op = self.operator(raw, "answer", ANSWER_OPS, where)
        value = raw[op]
        if op == "answered":
            if not isinstance(value, bool):
                self.fail(where, f"applies_if: 'answered' needs true or false, not {_show(value)}")
            return AnswerTest(code, "answered", value)
        scale = self.scales[target.scale]
        if scale.kind == "text":
            self.fail(
                where, f"applies_if: question {code!r} has a free-text answer; use 'answered'"
            )
        items: list[object] = [value]
        if op in ("in", "not_in"):
            if not isinstance(value, list) or not value:
                self.fail(where, f"applies_if: {op!r} on answer {code!r} needs a non-empty list")
            items = value
        for item in items:
            if item not in scale.values:
                self.fail(
                    where,
                    f"applies_if: {_show(item)} is not an answer to question {code!r} "
                    f"(scale {scale.id}: {_listing(scale.values)})",
                )
        return AnswerTest(code, op, tuple(items) if op in ("in", "not_in") else value)

    # wording

    def band(self, index: int, raw: object) -> WordingBand:
        where = f"wording band {index}"
        table = self.table(raw, where, "a wording band")
        self.check_keys(table, _WORDING_KEYS, where)
        words = self.opt_string(table, "words", where)
        raw_nearest = table.get("nearest", [])
        if not isinstance(raw_nearest, list):
            self.fail(where, "'nearest' must be a list of { value, words } tables")
        nearest: list[WordingFraction] = []
        for raw_fraction in raw_nearest:
            fraction = self.table(raw_fraction, where, "each 'nearest' entry")
            self.check_keys(fraction, _FRACTION_KEYS, where)
            value = self.share(fraction, "value", where)
            if value is None:
                self.fail(where, "each 'nearest' entry needs a 'value'")
            nearest.append(WordingFraction(value, self.string(fraction, "words", where)))
        if (words is None) == (not nearest):
            self.fail(where, "give either 'words' or a non-empty 'nearest' list")
        equals = self.share(table, "equals", where)
        from_ = self.share(table, "from", where)
        below = self.share(table, "below", where)
        if equals is not None and (from_ is not None or below is not None):
            self.fail(where, "'equals' cannot be combined with 'from' or 'below'")
        if from_ is not None and below is not None and from_ >= below:
            self.fail(where, "'from' must be less than 'below'")
        fewer = table.get("fewer_cases_than")
        if fewer is not None and (
            not isinstance(fewer, int) or isinstance(fewer, bool) or fewer < 1
        ):
            self.fail(where, f"'fewer_cases_than' must be a whole number, not {_show(fewer)}")
        tolerance = self.share(table, "tolerance", where) or 0.0
        return WordingBand(
            words=words,
            adverb=self.opt_string(table, "adverb", where),
            equals=equals,
            from_=from_,
            below=below,
            fewer_cases_than=fewer,
            nearest=tuple(sorted(nearest, key=lambda f: f.value)),
            tolerance=tolerance,
            nearly=self.opt_string(table, "nearly", where),
            more=self.opt_string(table, "more", where),
        )
