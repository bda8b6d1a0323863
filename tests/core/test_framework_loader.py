"""The framework loader: the shipped file loads, and every kind of mistake in a hand-edited
framework is refused with a message naming the file, the question and the problem."""

from __future__ import annotations

import textwrap
import tomllib
from pathlib import Path

import pytest

import inspector_app
from inspector_app.core.errors import FrameworkError, NotFound
from inspector_app.core.framework import (
    AnswerTest,
    Any,
    FieldTest,
    builtin_frameworks,
    load_builtin,
    load_framework,
    load_framework_text,
    resources_dir,
)

HEAD = """\
[framework]
id = "test"
version = "1"
title = "Test framework"

[scales.yes_no_na]
positive = "yes"
negative = "no"
excluded = ["na"]
options = [
    { value = "yes", label = "Yes", key = "Y" },
    { value = "no", label = "No", key = "N" },
    { value = "na", label = "Not applicable", key = "A" },
]

[scales.grade]
options = [ { value = "PO", label = "PO", key = "P" }, { value = "PSO", label = "PSO", key = "S" } ]

[scales.note]
kind = "text"
"""

SECTION = """
[[sections]]
code = "S"
title = "Section"
"""

Q1 = """
[[sections.questions]]
code = "Q1"
text = "First question?"
"""


def framework_text(questions: str = "", head: str = HEAD, section: str = SECTION) -> str:
    """A small framework: the head, one section, question Q1, then `questions`."""
    return head + section + Q1 + textwrap.dedent(questions)


def load_broken(tmp_path: Path, text: str) -> str:
    """Writes `text` as broken.toml, expects the loader to refuse it, returns the message."""
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    return str(info.value)


# --- the shipped framework --------------------------------------------------------------------


def test_shipped_framework_loads() -> None:
    framework = load_builtin("iaow-2013")
    assert framework.id == "iaow-2013"
    assert framework.programme == "Inspection of Adult Offending Work"
    assert 40 <= len(framework.questions()) <= 70
    assert [s.code for s in framework.sections] == ["0", "A", "B", "C", "D", "E", "F", "G"]
    assert framework.ratings is None
    assert framework.wording


def test_shipped_source_is_the_file_text() -> None:
    path = builtin_frameworks()["iaow-2013"]
    framework = load_framework(path)
    assert framework.source == path.read_text(encoding="utf-8")
    assert load_framework_text(framework.source, "copy.toml") == framework


def test_every_shipped_file_is_named_after_its_id() -> None:
    frameworks = builtin_frameworks()
    assert "iaow-2013" in frameworks
    for framework_id in frameworks:
        assert load_builtin(framework_id).id == framework_id


def test_lookups() -> None:
    framework = load_builtin("iaow-2013")
    question = framework.question("B1.3")
    assert question.section_code == "B"
    assert question in framework.section("B").questions
    assert framework.scale_of(question).id == "yes_no_na"
    assert framework.scale_of("0.3").id == "om_grade"
    assert [q.code for q in framework.questions()][:2] == ["0.1", "0.2"]
    with pytest.raises(NotFound, match="no question 'Z9'"):
        framework.question("Z9")
    with pytest.raises(NotFound, match="no section 'Z'"):
        framework.section("Z")


def test_unknown_builtin_is_refused() -> None:
    with pytest.raises(
        FrameworkError, match=r"no built-in framework 'nope' \(available: .*iaow-2013"
    ):
        load_builtin("nope")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError, match=r"^absent\.toml: cannot read the file"):
        load_framework(tmp_path / "absent.toml")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(framework_text().encode() + b"# caf\xe9\n")
    with pytest.raises(FrameworkError, match=r"^latin\.toml: not UTF-8"):
        load_framework(path)


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + framework_text().encode())
    assert load_framework(path).id == "test"


# --- resources folder -------------------------------------------------------------------------


def test_resources_dir_is_package_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INSPECTOR_APP_RESOURCES", raising=False)
    package_dir = Path(inspector_app.__file__).resolve().parent
    assert resources_dir() == package_dir / "resources"
    assert (resources_dir() / "frameworks" / "iaow-2013.toml").is_file()


def test_resources_dir_honours_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "test.toml").write_text(framework_text(), encoding="utf-8")
    monkeypatch.setenv("INSPECTOR_APP_RESOURCES", str(tmp_path))
    assert resources_dir() == tmp_path
    assert list(builtin_frameworks()) == ["test"]
    assert load_builtin("test").title == "Test framework"


def test_builtin_file_named_differently_from_its_id(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "other.toml").write_text(framework_text(), encoding="utf-8")
    monkeypatch.setenv("INSPECTOR_APP_RESOURCES", str(tmp_path))
    with pytest.raises(FrameworkError, match=r"other\.toml: the file declares id 'test'"):
        load_builtin("other")


# --- defaults and derived values --------------------------------------------------------------


def test_question_defaults() -> None:
    framework = load_framework_text(framework_text(), "t.toml")
    q1 = framework.question("Q1")
    assert q1.scale == "yes_no_na"
    assert q1.scored is True
    assert q1.polarity == "positive"
    assert q1.note_required == ()
    assert q1.applies_if is None
    assert q1.finding is None
    assert q1.guidance == ""
    assert framework.programme == ""
    assert framework.wording is None


def test_unscored_scales_default_to_unscored() -> None:
    text = framework_text(
        """
        [[sections.questions]]
        code = "G"
        text = "Grade?"
        scale = "grade"

        [[sections.questions]]
        code = "T"
        text = "Note"
        scale = "note"
        """
    )
    framework = load_framework_text(text, "t.toml")
    assert framework.question("G").scored is False
    assert framework.question("T").scored is False
    assert framework.scales["note"].kind == "text"
    assert framework.scales["note"].options == ()
    assert framework.scales["grade"].positive is None


def test_is_sufficient_follows_polarity() -> None:
    text = framework_text(
        """
        [[sections.questions]]
        code = "Q2"
        text = "Were there unnecessary delays?"
        polarity = "negative"
        note_required = ["yes"]

        [[sections.questions]]
        code = "Q3"
        text = "Recorded only"
        scored = false
        """
    )
    framework = load_framework_text(text, "t.toml")
    positive, negative, unscored = (framework.question(c) for c in ("Q1", "Q2", "Q3"))
    assert (positive.is_sufficient("yes"), positive.is_sufficient("no")) == (True, False)
    assert (negative.is_sufficient("yes"), negative.is_sufficient("no")) == (False, True)
    for question in (positive, negative):
        assert question.is_sufficient("na") is None
        assert question.is_sufficient(None) is None
        assert question.is_sufficient("") is None
    assert unscored.is_sufficient("yes") is None
    assert negative.needs_note("yes") and not negative.needs_note("no")


def test_option_keys_are_upper_case_letters() -> None:
    head = HEAD.replace('key = "Y"', 'key = "y"')
    framework = load_framework_text(framework_text(head=head), "t.toml")
    assert [o.key for o in framework.scales["yes_no_na"].options] == ["Y", "N", "A"]


def test_conditions_are_parsed_to_data() -> None:
    text = framework_text(
        """
        [[sections.questions]]
        code = "Q2"
        text = "Second?"
        applies_if = { any = [ { field = "tier", in = [3, 4] }, { answer = "Q1", is = "no" } ] }
        """
    )
    condition = load_framework_text(text, "t.toml").question("Q2").applies_if
    assert condition == Any((FieldTest("tier", "in", (3, 4)), AnswerTest("Q1", "is", "no")))


# --- validation errors ------------------------------------------------------------------------


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    message = load_broken(tmp_path, '[framework]\nid = "x"\nversion = \n')
    assert message.startswith("broken.toml: invalid TOML:")
    assert "line 3" in message


@pytest.mark.parametrize("key", ["id", "version", "title"])
def test_missing_framework_key(tmp_path: Path, key: str) -> None:
    head = "\n".join(line for line in HEAD.splitlines() if not line.startswith(f"{key} ="))
    message = load_broken(tmp_path, framework_text(head=head + "\n"))
    assert message == f"broken.toml: [framework]: missing '{key}'"


def test_version_must_be_a_string(tmp_path: Path) -> None:
    message = load_broken(tmp_path, framework_text(head=HEAD.replace('"1"', "1.0")))
    assert message == "broken.toml: [framework]: 'version' must be a string in quotes, not 1.0"


def test_missing_framework_table(tmp_path: Path) -> None:
    message = load_broken(tmp_path, SECTION + Q1)
    assert message == "broken.toml: missing the [framework] table (id, version, title)"


def test_unknown_top_level_key(tmp_path: Path) -> None:
    message = load_broken(tmp_path, framework_text() + "\n[[rules]]\nname = 'x'\n")
    assert message.startswith("broken.toml: top level: unknown key 'rules'")


def test_no_sections(tmp_path: Path) -> None:
    message = load_broken(tmp_path, HEAD)
    assert message == "broken.toml: the framework needs at least one [[sections]] table"


def test_duplicate_section_code(tmp_path: Path) -> None:
    text = framework_text() + SECTION + Q1.replace("Q1", "Q9")
    assert load_broken(tmp_path, text) == "broken.toml: section S: section code used twice"


def test_section_without_questions(tmp_path: Path) -> None:
    text = framework_text() + '\n[[sections]]\ncode = "T"\ntitle = "Empty"\n'
    message = load_broken(tmp_path, text)
    assert message == "broken.toml: section T: has no questions ([[sections.questions]])"


def test_section_missing_title(tmp_path: Path) -> None:
    text = framework_text(section='\n[[sections]]\ncode = "S"\n')
    assert load_broken(tmp_path, text) == "broken.toml: section S: missing 'title'"


def test_duplicate_question_code_across_sections(tmp_path: Path) -> None:
    text = framework_text() + SECTION.replace('"S"', '"T"') + Q1
    message = load_broken(tmp_path, text)
    assert message == "broken.toml: question Q1: question code used twice (first in section S)"


def test_code_with_spaces(tmp_path: Path) -> None:
    message = load_broken(tmp_path, framework_text().replace('"Q1"', '"Q 1"'))
    assert message == "broken.toml: question Q 1: code 'Q 1' must not contain spaces"


Q2 = """
[[sections.questions]]
code = "Q2"
text = "Second question?"
"""

ERRORS = {
    "missing text": (
        '\n[[sections.questions]]\ncode = "Q2"\n',
        "question Q2: missing 'text'",
    ),
    "missing code": (
        '\n[[sections.questions]]\ntext = "No code"\n',
        "section S, question 2: missing 'code'",
    ),
    "unknown scale": (
        Q2 + 'scale = "yes_no_maybe"\n',
        "question Q2: unknown scale 'yes_no_maybe' (defined: 'yes_no_na', 'grade', 'note')",
    ),
    "bad polarity": (
        Q2 + 'polarity = "good"\n',
        "question Q2: polarity must be 'positive' or 'negative', not 'good'",
    ),
    "note_required not in scale": (
        Q2 + 'note_required = ["nope"]\n',
        "question Q2: note_required value 'nope' is not an option of scale 'yes_no_na'"
        " ('yes', 'no', 'na')",
    ),
    "note_required on a text scale": (
        Q2 + 'scale = "note"\nnote_required = ["no"]\n',
        "question Q2: note_required value 'no' is not an option of scale 'note' (free text)",
    ),
    "note_required not a list": (
        Q2 + 'note_required = "no"\n',
        "question Q2: 'note_required' must be a list of strings, not 'no'",
    ),
    "scored without positive and negative": (
        Q2 + 'scale = "grade"\nscored = true\n',
        "question Q2: is scored, but scale 'grade' has no positive and negative",
    ),
    "scored not a boolean": (
        Q2 + 'scored = "yes"\n',
        "question Q2: 'scored' must be true or false, not 'yes'",
    ),
    "typo in a question key": (
        Q2 + 'polarty = "negative"\n',
        "question Q2: unknown key 'polarty' (did you mean 'polarity'?)",
    ),
    "unrelated unknown key": (
        Q2 + "weight = 3\n",
        "question Q2: unknown key 'weight' (expected 'code', 'text', 'guidance', 'scale', "
        "'scored', 'polarity', 'note_required', 'applies_if', 'finding', 'label')",
    ),
    "unknown profile field": (
        Q2 + 'applies_if = { field = "rosh_level", is = "High" }\n',
        "question Q2: applies_if refers to unknown profile field 'rosh_level'",
    ),
    "value not allowed for a choice field": (
        Q2 + 'applies_if = { field = "rosh", is = "Extreme" }\n',
        "question Q2: applies_if: 'Extreme' is not a valid value for profile field 'rosh' "
        "(allowed: 'Low', 'Medium', 'High', 'Very high')",
    ),
    "value not allowed inside in": (
        Q2 + 'applies_if = { field = "rosh", in = ["High", "high"] }\n',
        "question Q2: applies_if: 'high' is not a valid value for profile field 'rosh'",
    ),
    "flag needs a boolean": (
        Q2 + 'applies_if = { field = "alcohol_misuse", is = "yes" }\n',
        "question Q2: applies_if: profile field 'alcohol_misuse' is a flag and needs true or "
        "false, not 'yes'",
    ),
    "integer field given a string": (
        Q2 + 'applies_if = { field = "tier", is = "4" }\n',
        "question Q2: applies_if: '4' is not a valid value for profile field 'tier' "
        "(allowed: 1, 2, 3, 4)",
    ),
    "integer out of range": (
        Q2 + 'applies_if = { field = "mappa_level", gte = 4 }\n',
        "question Q2: applies_if: 4 is not a valid value for profile field 'mappa_level'",
    ),
    "gte on a choice field": (
        Q2 + 'applies_if = { field = "rosh", gte = "High" }\n',
        "question Q2: applies_if: operator 'gte' needs a number field, but 'rosh' is a choice "
        "field",
    ),
    "unknown operator": (
        Q2 + 'applies_if = { field = "rosh", eq = "High" }\n',
        "question Q2: applies_if: unknown operator 'eq' in field test on 'rosh' "
        "(use one of: is, in, not_in, gte, lte)",
    ),
    "answered on a field": (
        Q2 + 'applies_if = { field = "rosh", answered = true }\n',
        "question Q2: applies_if: unknown operator 'answered' in field test on 'rosh'",
    ),
    "gte on an answer": (
        Q2 + 'applies_if = { answer = "Q1", gte = "yes" }\n',
        "question Q2: applies_if: unknown operator 'gte' in answer test on 'Q1' "
        "(use one of: is, in, not_in, answered)",
    ),
    "no operator": (
        Q2 + 'applies_if = { field = "rosh" }\n',
        "question Q2: applies_if: field test on 'rosh' has no operator",
    ),
    "two operators": (
        Q2 + 'applies_if = { field = "rosh", is = "High", in = ["Low"] }\n',
        "question Q2: applies_if: field test on 'rosh' has more than one operator (is, in)",
    ),
    "empty in": (
        Q2 + 'applies_if = { field = "rosh", in = [] }\n',
        "question Q2: applies_if: 'in' on field 'rosh' needs a non-empty list",
    ),
    "empty all": (
        Q2 + "applies_if = { all = [] }\n",
        "question Q2: applies_if: 'all' needs at least one condition",
    ),
    "empty any": (
        Q2 + "applies_if = { not = { any = [] } }\n",
        "question Q2: applies_if: 'any' needs at least one condition",
    ),
    "all not a list": (
        Q2 + 'applies_if = { all = { field = "rosh", is = "High" } }\n',
        "question Q2: applies_if: 'all' needs a list of conditions",
    ),
    "two heads": (
        Q2 + 'applies_if = { field = "rosh", answer = "Q1", is = "yes" }\n',
        "question Q2: applies_if: a condition needs exactly one of all, any, not, field, answer "
        "(found field, answer)",
    ),
    "no head": (
        Q2 + 'applies_if = { feild = "rosh", is = "High" }\n',
        "question Q2: applies_if: a condition needs exactly one of all, any, not, field, answer "
        "(found 'feild', 'is')",
    ),
    "condition not a table": (
        Q2 + 'applies_if = "rosh == High"\n',
        "question Q2: applies_if: a condition must be a table, not 'rosh == High'",
    ),
    "extra key beside a combinator": (
        Q2 + 'applies_if = { not = { field = "rosh", is = "High" }, is = true }\n',
        "question Q2: applies_if: unexpected 'is' beside 'not'",
    ),
    "unknown question": (
        Q2 + 'applies_if = { answer = "Q9", is = "yes" }\n',
        "question Q2: applies_if refers to unknown question 'Q9'",
    ),
    "own answer": (
        Q2 + 'applies_if = { answer = "Q2", answered = true }\n',
        "question Q2: applies_if refers to the question's own answer",
    ),
    "later question": (
        Q2
        + 'applies_if = { answer = "Q3", is = "yes" }\n'
        + '\n[[sections.questions]]\ncode = "Q3"\ntext = "Third?"\n',
        "question Q2: applies_if refers to question 'Q3', which comes later; a condition may "
        "only use answers to earlier questions",
    ),
    "answer value not in scale": (
        Q2 + 'applies_if = { answer = "Q1", is = "maybe" }\n',
        "question Q2: applies_if: 'maybe' is not an answer to question 'Q1' "
        "(scale yes_no_na: 'yes', 'no', 'na')",
    ),
    "answer value in a list not in scale": (
        Q2 + 'applies_if = { answer = "Q1", not_in = ["no", "Yes"] }\n',
        "question Q2: applies_if: 'Yes' is not an answer to question 'Q1'",
    ),
    "answered needs a boolean": (
        Q2 + 'applies_if = { answer = "Q1", answered = "yes" }\n',
        "question Q2: applies_if: 'answered' needs true or false, not 'yes'",
    ),
    "comparing a free-text answer": (
        '\n[[sections.questions]]\ncode = "T"\ntext = "Note"\nscale = "note"\n'
        + Q2
        + 'applies_if = { answer = "T", is = "x" }\n',
        "question Q2: applies_if: question 'T' has a free-text answer; use 'answered'",
    ),
}


@pytest.mark.parametrize("snippet, expected", list(ERRORS.values()), ids=list(ERRORS))
def test_question_errors(tmp_path: Path, snippet: str, expected: str) -> None:
    message = load_broken(tmp_path, framework_text(snippet))
    assert message.startswith("broken.toml: " + expected), message


def test_error_in_nested_condition_names_the_question(tmp_path: Path) -> None:
    snippet = Q2 + (
        'applies_if = { all = [ { field = "tier", in = [1, 2] }, '
        '{ not = { any = [ { field = "rosh_level", is = "High" } ] } } ] }\n'
    )
    message = load_broken(tmp_path, framework_text(snippet))
    assert (
        message
        == "broken.toml: question Q2: applies_if refers to unknown profile field 'rosh_level'"
    )


SCALE_ERRORS = {
    "positive not an option": (
        ('positive = "yes"', 'positive = "ja"'),
        "scale yes_no_na: positive 'ja' is not one of its options ('yes', 'no', 'na')",
    ),
    "positive without negative": (
        ('negative = "no"\n', ""),
        "scale yes_no_na: give both 'positive' and 'negative', or neither",
    ),
    "excluded not an option": (
        ('excluded = ["na"]', 'excluded = ["n/a"]'),
        "scale yes_no_na: excluded 'n/a' is not one of its options",
    ),
    "duplicate key letter": (
        ('key = "A"', 'key = "n"'),
        "scale yes_no_na: option key 'N' used twice",
    ),
    "key not a single letter": (
        ('key = "A"', 'key = "NA"'),
        "scale yes_no_na: option 'na': key must be a single letter, not 'NA'",
    ),
    "duplicate value": (
        ('value = "na"', 'value = "no"'),
        "scale yes_no_na: option value 'no' used twice",
    ),
    "text scale with options": (
        ('kind = "text"', 'kind = "text"\noptions = []'),
        "scale note: a text scale has no 'options'",
    ),
    "unknown kind": (
        ('kind = "text"', 'kind = "number"'),
        "scale note: kind must be 'choice' or 'text', not 'number'",
    ),
    "typo in a scale key": (
        ('excluded = ["na"]', 'exclude = ["na"]'),
        "scale yes_no_na: unknown key 'exclude' (did you mean 'excluded'?)",
    ),
}


@pytest.mark.parametrize("change, expected", list(SCALE_ERRORS.values()), ids=list(SCALE_ERRORS))
def test_scale_errors(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in HEAD
    message = load_broken(tmp_path, framework_text(head=HEAD.replace(old, new, 1)))
    assert message.startswith("broken.toml: " + expected), message


# --- wording ----------------------------------------------------------------------------------


def test_wording_bands_load_and_match() -> None:
    text = framework_text() + textwrap.dedent(
        """
        [[wording]]
        fewer_cases_than = 5
        words = "{numerator} of {denominator}"

        [[wording]]
        equals = 0
        words = "none"
        adverb = "never"

        [[wording]]
        from = 0.15
        below = 0.85
        tolerance = 0.01
        nearly = "nearly"
        more = "more than"
        nearest = [ { value = 0.5, words = "half" }, { value = 0.25, words = "one-quarter" } ]
        """
    )
    small, none, nearest = load_framework_text(text, "t.toml").wording or ()
    assert small.matches(0.75, 4) and not small.matches(0.75, 5)
    assert none.matches(0.0, 10) and not none.matches(0.01, 10)
    assert none.adverb == "never"
    assert nearest.matches(0.15, 10) and not nearest.matches(0.85, 10)
    assert [f.words for f in nearest.nearest] == ["one-quarter", "half"]  # sorted by value
    assert nearest.tolerance == 0.01


def test_shipped_wording_covers_every_share() -> None:
    bands = load_builtin("iaow-2013").wording or ()
    for denominator in range(1, 60):
        for numerator in range(denominator + 1):
            share = numerator / denominator
            assert any(b.matches(share, denominator) for b in bands), (numerator, denominator)


WORDING_ERRORS = {
    "neither words nor nearest": (
        "equals = 1\nadverb = 'always'\n",
        "wording band 1: give either 'words' or a non-empty 'nearest' list",
    ),
    "share above one": ("from = 0.5\nbelow = 1.5\nwords = 'x'\n", "wording band 1: 'below' must"),
    "equals with a range": (
        "equals = 0.5\nfrom = 0.4\nwords = 'half'\n",
        "wording band 1: 'equals' cannot be combined with 'from' or 'below'",
    ),
    "empty range": (
        "from = 0.5\nbelow = 0.5\nwords = 'x'\n",
        "wording band 1: 'from' must be less than 'below'",
    ),
    "typo": ("word = 'x'\n", "wording band 1: unknown key 'word' (did you mean 'words'?)"),
    "bad case count": (
        "fewer_cases_than = 0\nwords = 'x'\n",
        "wording band 1: 'fewer_cases_than' must be a whole number, not 0",
    ),
}


@pytest.mark.parametrize("band, expected", list(WORDING_ERRORS.values()), ids=list(WORDING_ERRORS))
def test_wording_errors(tmp_path: Path, band: str, expected: str) -> None:
    message = load_broken(tmp_path, framework_text() + "\n[[wording]]\n" + band)
    assert message.startswith("broken.toml: " + expected), message


def test_a_text_parsed_once_is_not_parsed_again_and_a_mistake_is_refused_every_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every opening of a file reads its framework's text: the parse is made once a process
    (most of what an opening costs), while a text with a mistake is refused each time, under
    the name it was given then."""
    from inspector_app.core.framework import loader

    parses: list[str] = []
    real = loader._Loader.load

    def counted(self: object, text: str) -> object:
        parses.append(text)
        return real(self, text)  # type: ignore[arg-type]

    text = load_builtin("iaow-2013").source + "\n# edited here\n"
    monkeypatch.setattr(loader._Loader, "load", counted)
    first = load_framework_text(text, "a.inspection")
    assert load_framework_text(text, "b.inspection") is first
    assert parses == [text]
    other = load_framework_text(text + "\n", "c.inspection")  # another text: parsed
    assert other is not first and other.questions() == first.questions()
    assert len(parses) == 2
    broken = text.replace('version = "', "version = 7 #", 1)
    for name in ("d.inspection", "e.inspection"):
        with pytest.raises(FrameworkError, match=name):
            load_framework_text(broken, name)
    assert len(parses) == 4


def test_a_shipped_framework_without_a_profile_is_named_not_looped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped profile is read through the loader, which falls back on the shipped
    profile for a framework without one: the shipped framework itself must have one."""
    from inspector_app.core.framework import loader, profile
    from inspector_app.core.framework.profile_toml import (
        DEFAULT_FRAMEWORK_FILE,
        load_default_profile,
    )

    text = (loader.frameworks_dir() / DEFAULT_FRAMEWORK_FILE).read_text(encoding="utf-8")
    kept, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("["):
            skipping = line.lstrip("[").startswith("profile")
        if not skipping:
            kept.append(line)
    stripped = "".join(kept)
    assert "profile" not in tomllib.loads(stripped)
    (tmp_path / DEFAULT_FRAMEWORK_FILE).write_text(stripped, encoding="utf-8")
    monkeypatch.setattr(loader, "frameworks_dir", lambda: tmp_path)
    profile.default_profile.cache_clear()
    try:
        with pytest.raises(FrameworkError, match="declares no \\[profile\\] table"):
            load_default_profile()
    finally:
        monkeypatch.undo()
        profile.default_profile.cache_clear()
    assert profile.default_profile().by_name["rosh"].values  # the real one, read again
