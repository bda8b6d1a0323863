"""Short question labels: every scored question of the shipped framework names itself in plain
words for charts and tables (reports never print question codes), a framework without labels
(as embedded in older inspection files) still gets readable names from the question text, and
the loader refuses a label that would not fit or would leak the code."""

from __future__ import annotations

import re
import textwrap
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_app.core.errors import FrameworkError
from inspector_app.core.framework import (
    Framework,
    Question,
    builtin_frameworks,
    load_builtin,
    load_framework,
    load_framework_text,
)
from inspector_app.core.framework.loader import _names_code
from inspector_app.core.framework.model import LABEL_MAX, fallback_label

ELLIPSIS = "\u2026"


@cache
def framework() -> Framework:
    return load_builtin("iaow-2013")


def scored() -> tuple[Question, ...]:
    return tuple(q for q in framework().questions() if q.scored)


def without_question_labels(text: str) -> str:
    """The framework text with every question's `label = ` line removed (scale and profile
    labels stay: they are not question labels)."""
    kept: list[str] = []
    in_question = False
    for line in text.splitlines(keepends=True):
        if line.startswith("["):
            in_question = line.strip() == "[[sections.questions]]"
        if in_question and line.startswith("label = "):
            continue
        kept.append(line)
    return "".join(kept)


@cache
def unlabelled() -> Framework:
    text = builtin_frameworks()["iaow-2013"].read_text(encoding="utf-8")
    stripped = without_question_labels(text)
    assert stripped != text
    return load_framework_text(stripped, "old.toml")


# --- the shipped labels -----------------------------------------------------------------------


@pytest.mark.parametrize("question", scored(), ids=lambda q: q.code)
def test_every_scored_question_has_a_label_within_the_limits(question: Question) -> None:
    label = question.label
    assert label, f"{question.code} has no label"
    assert len(label) <= LABEL_MAX, (question.code, len(label))
    assert label == label.strip() and "\n" not in label
    assert label[0].isupper(), f"{question.code}: sentence case starts with a capital"
    assert not label.endswith((".", "?", ":", ";", ",")), question.code
    assert question.short_label() == label


@pytest.mark.parametrize("question", scored(), ids=lambda q: q.code)
def test_labels_print_no_question_code(question: Question) -> None:
    assert question.label is not None
    for code in (q.code for q in framework().questions()):
        pattern = rf"(?<![\w.]){re.escape(code)}(?!\w|\.\w)"
        assert not re.search(pattern, question.label, re.IGNORECASE), (question.code, code)


def test_labels_are_unique() -> None:
    labels = [q.label for q in scored()]
    assert len(labels) == len(set(labels))
    assert len({label.casefold() for label in labels if label}) == len(labels)


def test_about_fifty_scored_questions_are_labelled() -> None:
    assert 45 <= len(scored()) <= 60
    assert all(q.label for q in scored())


def test_examples_read_as_a_report_would_put_them() -> None:
    f = framework()
    assert f.question("A2").label == "Report based on sufficient information"
    assert f.question("B2.5").label == "Full risk of harm analysis of sufficient quality"
    assert f.question("D13").label == "Non-compliance judged consistently and recorded"


def test_negative_questions_are_labelled_by_the_sufficient_answer() -> None:
    """A chart's bar is the share sufficient, so a negative question's label names the good
    outcome ("No further offending"), never the bad one the question asks about."""
    f = framework()
    assert f.question("E6").polarity == "negative"
    assert f.question("E6").label == "No further offending during the sentence"
    d7 = f.question("D7")
    assert d7.polarity == "negative"
    assert d7.label is not None and "without unnecessary delay" in d7.label
    for question in scored():
        if question.polarity == "negative":
            assert question.label is not None
            assert not question.label.lower().startswith(("evidence of", "unnecessary"))


def test_unscored_questions_still_have_a_short_label() -> None:
    f = framework()
    assert f.question("0.4").short_label() == "Interview note"
    assert f.question("0.2").short_label() == "Offender manager interviewed"
    for question in f.questions():
        assert 0 < len(question.short_label()) <= LABEL_MAX


# --- the fallback for frameworks without labels -----------------------------------------------


def test_a_framework_without_labels_still_loads() -> None:
    old = unlabelled()
    assert all(q.label is None for q in old.questions())
    assert [q.code for q in old.questions()] == [q.code for q in framework().questions()]


@pytest.mark.parametrize(
    "code, expected",
    [
        ("0.1", "Case profile details checked against the case…"),
        ("A1", "Pre-sentence report prepared for the court…"),
        ("B1.3", "Alcohol misuse identified and assessed…"),
        ("B1.4", "Drug misuse identified and assessed sufficiently"),
        ("D14", "Enforcement action taken promptly…"),
        ("E4", "Risk of harm to others reduced or effectively…"),
        ("E6", "Evidence of further offending during…"),
        ("B2.2", "Risk of harm screening accurate"),
        ("B2.11", "Checks made with Children's Services"),
        ("C2", "Sentence plan individualised"),
        ("E2", "Reduction in alcohol misuse"),
        ("G1", "Evidence of effective management scrutiny"),
        ("0.4", "Interview note"),
    ],
)
def test_fallback_is_readable(code: str, expected: str) -> None:
    assert unlabelled().question(code).short_label() == expected


@pytest.mark.parametrize("question", unlabelled().questions(), ids=lambda q: q.code)
def test_fallback_fits_and_cuts_at_a_word(question: Question) -> None:
    label = question.short_label()
    assert 0 < len(label) <= LABEL_MAX
    assert label[0].isupper()
    assert "?" not in label
    assert question.code not in label.split()
    if label.endswith(ELLIPSIS):
        last = label[: -len(ELLIPSIS)].split()[-1].casefold()
        words = [w.strip(",;:?").casefold() for w in question.text.split()]
        assert last in words, f"cut inside a word: {label!r}"
        assert last not in ("the", "of", "and", "a", "to", "in"), f"dangling word: {label!r}"


def test_fallback_label_rules() -> None:
    assert fallback_label("Was the work delivered in line with the sentence plan?") == (
        "Work delivered in line with the sentence plan"
    )
    assert fallback_label("Has there been a reduction in drug misuse?") == (
        "Reduction in drug misuse"
    )
    assert fallback_label("Were there unnecessary delays in starting interventions?") == (
        "Unnecessary delays in starting interventions"
    )
    assert fallback_label("Did the plan include objectives to manage the risk of harm?") == (
        "Plan include objectives to manage the risk…"
    )
    assert fallback_label("Has the plan been reviewed?") == "Plan reviewed"
    assert fallback_label("Has there been a fall in drug use?") == "Fall in drug use"
    assert fallback_label("What is the grade of the offender manager interviewed?") == (
        "What is the grade of the offender manager…"
    )
    assert fallback_label("  Is   an  answer\nspread over lines?  ") == "Answer spread over lines"
    assert fallback_label("x" * 60) == "X" + "x" * (LABEL_MAX - 2) + ELLIPSIS
    assert fallback_label("?") == ""
    assert fallback_label("Was?") == "Was"
    assert fallback_label("Were") == "Were"


def test_short_label_prefers_the_label() -> None:
    question = framework().question("B2.5")
    assert question.short_label() == question.label
    assert unlabelled().question("B2.5").short_label() == (
        "Full analysis of the risk of harm of sufficient…"
    )


# --- the loader refuses a bad label -----------------------------------------------------------

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

[[sections]]
code = "S"
title = "Section"

[[sections.questions]]
code = "Q1"
text = "First question?"
label = "First thing checked"

[[sections.questions]]
code = "B2.1"
text = "Was a risk of harm screening completed on time?"
"""


def with_label(line: str) -> str:
    return HEAD + textwrap.dedent(line)


def load_broken(tmp_path: Path, text: str) -> str:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    return str(info.value)


def test_a_good_label_is_kept() -> None:
    f = load_framework_text(with_label('label = "Risk of harm screened on time"\n'), "t.toml")
    assert f.question("Q1").label == "First thing checked"
    assert f.question("B2.1").label == "Risk of harm screened on time"
    assert f.question("B2.1").short_label() == "Risk of harm screened on time"


def test_a_label_of_exactly_the_limit_is_accepted() -> None:
    label = ("Risk " * 20)[: LABEL_MAX - 1].strip() + "s"
    label = label + "x" * (LABEL_MAX - len(label))
    assert len(label) == LABEL_MAX
    f = load_framework_text(with_label(f'label = "{label}"\n'), "t.toml")
    assert f.question("B2.1").label == label


def test_a_code_inside_a_longer_token_is_not_the_code() -> None:
    """B2.1 is not in "B2.10" nor in "AB2.1": the check looks for the code standing alone."""
    text = with_label('label = "Screened before B2.10 and AB2.1 work"\n')
    assert load_framework_text(text, "t.toml").question("B2.1").label is not None


LABEL_ERRORS = {
    "empty": (
        'label = ""\n',
        "question B2.1: 'label' must not be empty",
    ),
    "blank": (
        'label = "   "\n',
        "question B2.1: 'label' must not be empty",
    ),
    "not a string": (
        "label = 3\n",
        "question B2.1: 'label' must be a string in quotes, not 3",
    ),
    "too long": (
        'label = "Risk of harm screening completed on time at the start of the sentence"\n',
        "question B2.1: 'label' has 69 characters, more than the 48 a chart can show: "
        "'Risk of harm screening completed on time at the start of the sentence'",
    ),
    "full stop": (
        'label = "Risk of harm screened on time."\n',
        "question B2.1: 'label' must not end with a full stop: 'Risk of harm screened on time.'",
    ),
    "own code": (
        'label = "B2.1 risk of harm screening on time"\n',
        "question B2.1: 'label' must not contain the question code 'B2.1' "
        "(reports name questions in words): 'B2.1 risk of harm screening on time'",
    ),
    "own code at the end, lower case": (
        'label = "Risk of harm screening (b2.1)"\n',
        "question B2.1: 'label' must not contain the question code 'B2.1'",
    ),
    "two lines": (
        'label = "Risk of harm\\nscreened on time"\n',
        "question B2.1: 'label' must be one line without surrounding spaces",
    ),
    "surrounding spaces": (
        'label = " Risk of harm screened on time"\n',
        "question B2.1: 'label' must be one line without surrounding spaces",
    ),
    "typo in the key": (
        'lable = "Risk of harm screened on time"\n',
        "question B2.1: unknown key 'lable' (did you mean 'label'?)",
    ),
}


@pytest.mark.parametrize("line, expected", list(LABEL_ERRORS.values()), ids=list(LABEL_ERRORS))
def test_bad_labels_are_refused(tmp_path: Path, line: str, expected: str) -> None:
    message = load_broken(tmp_path, with_label(line))
    assert message.startswith("broken.toml: " + expected), message
    assert "\n" not in message


def test_shipped_framework_refuses_an_edited_label_naming_its_code() -> None:
    text = builtin_frameworks()["iaow-2013"].read_text(encoding="utf-8")
    edited = text.replace(
        'label = "Full risk of harm analysis of sufficient quality"',
        'label = "B2.5 full analysis of sufficient quality"',
    )
    assert edited != text
    with pytest.raises(FrameworkError, match=r"^edited\.toml: question B2\.5: 'label' must not"):
        load_framework_text(edited, "edited.toml")


_CODE_LIKE = st.text(alphabet="Bb12.", min_size=1, max_size=5)
_LABEL_LIKE = st.text(alphabet=st.sampled_from([*"Bb12. (-_xK", "\u212a", "\u017f"]), max_size=20)


@given(label=_LABEL_LIKE, code=_CODE_LIKE)
def test_a_label_names_its_code_exactly_when_the_pattern_finds_it(label: str, code: str) -> None:
    """The loader skips the pattern for a plain label without the code's letters in a row:
    the answer is the pattern's, for any label, Kelvin sign and long s included."""
    pattern = rf"(?<![\w.]){re.escape(code)}(?!\w|\.\w)"
    assert _names_code(label, code) == bool(re.search(pattern, label, re.IGNORECASE))
