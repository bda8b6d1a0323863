"""Practice examples: short accounts of one case's work, written by the lead from an
inspector's evidence note and printed in a box in a chapter of the report.

A case appears only as its sample number ("Case 017"); the lead edits the note into an
example and must change any name (the text is checked for the case's own CRN and name). All
the examples are one narrative part, `practice_examples`, a list of
{id, chapter, case, question, title, text}, so they have history, merge and undo like the
rest of the report's words.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from inspector_app.core.cases.answers import check_note
from inspector_app.core.cases.case_data import load_case
from inspector_app.core.changes import Changes
from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.files import case_queries
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework.profile import sample_label
from inspector_app.core.narrative.parts import (
    PRACTICE_EXAMPLES,
    Narrative,
    control_character_problem,
    load_narrative,
    write_part,
)

PART = PRACTICE_EXAMPLES
MAX_EXAMPLE_CHARS = 2_000  # a box of a few sentences; the report is not a case file
MAX_TITLE_CHARS = 120
_FIELDS = {"id": str, "chapter": str, "case": int, "question": str, "title": str, "text": str}


@dataclass(frozen=True)
class PracticeExample:
    id: str
    chapter: str  # the criterion (or section) code of the chapter it is printed in
    case: int  # sample number: the only way the report names the case
    question: str  # the question whose evidence note it was drawn from
    title: str
    text: str

    @property
    def case_label(self) -> str:
        return sample_label(self.case)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "chapter": self.chapter,
            "case": self.case,
            "question": self.question,
            "title": self.title,
            "text": self.text,
        }


def example_value_problem(value: object) -> str | None:
    """What is wrong with the stored value of the part (for a merge's checks), or None."""
    if not isinstance(value, list):
        return "which is not a list of practice examples"
    for item in value:
        if not isinstance(item, dict) or item.keys() != _FIELDS.keys():
            return "which is not a list of practice examples"
        for key, kind in _FIELDS.items():
            if not isinstance(item[key], kind) or isinstance(item[key], bool):
                return "which is not a list of practice examples"
    return None


def load_examples(file: InspectionFile) -> tuple[PracticeExample, ...]:
    """The examples, in the order the lead placed them."""
    return examples_in(load_narrative(file))


def examples_in(narrative: Narrative) -> tuple[PracticeExample, ...]:
    """The examples a loaded narrative holds (none if the part holds anything else)."""
    value = narrative.values.get(PART)
    if example_value_problem(value) is not None:
        return ()
    assert isinstance(value, list)
    return tuple(PracticeExample(**item) for item in value)


def starting_text(file: InspectionFile, sample_no: int, question: str) -> str:
    """The evidence note an example is drawn from, for the lead to edit."""
    case = load_case(file, file.case_key_for(sample_no))
    answer = case.answers.get(question)
    if answer is None or not answer.note.strip():
        raise NotFound(f"{sample_label(sample_no)}: question {question} has no evidence note")
    return answer.note.strip()


def add_example(
    file: InspectionFile,
    *,
    chapter: str,
    sample_no: int,
    question: str,
    title: str,
    text: str,
    author: str | None = None,
) -> Changes:
    """Place a new example in a chapter (after the others)."""
    example = _checked(
        file,
        PracticeExample(str(uuid.uuid4()), chapter, sample_no, question, title, text),
    )
    return _save(file, [*load_examples(file), example], author)


def edit_example(
    file: InspectionFile,
    example_id: str,
    *,
    chapter: str | None = None,
    title: str | None = None,
    text: str | None = None,
    author: str | None = None,
) -> Changes:
    """Change an example's chapter, title or text."""
    examples = list(load_examples(file))
    index = _index_of(examples, example_id)
    old = examples[index]
    examples[index] = _checked(
        file,
        PracticeExample(
            old.id,
            chapter if chapter is not None else old.chapter,
            old.case,
            old.question,
            title if title is not None else old.title,
            text if text is not None else old.text,
        ),
    )
    return _save(file, examples, author)


def remove_example(file: InspectionFile, example_id: str, *, author: str | None = None) -> Changes:
    examples = list(load_examples(file))
    del examples[_index_of(examples, example_id)]
    return _save(file, examples, author)


def examples_by_chapter(
    examples: Sequence[PracticeExample],
) -> Mapping[str, tuple[PracticeExample, ...]]:
    found: dict[str, list[PracticeExample]] = {}
    for example in examples:
        found.setdefault(example.chapter, []).append(example)
    return {chapter: tuple(items) for chapter, items in found.items()}


def _index_of(examples: Sequence[PracticeExample], example_id: str) -> int:
    for index, example in enumerate(examples):
        if example.id == example_id:
            return index
    raise NotFound("that practice example is no longer in the report")


def _checked(file: InspectionFile, example: PracticeExample) -> PracticeExample:
    """The example as stored (stripped), or a one-line refusal."""
    title, text = example.title.strip(), example.text.strip()
    if not any(c.code == example.chapter for c in file.framework.criteria()):
        raise NotFound(f"the report has no chapter {example.chapter!r} for a practice example")
    if not file.framework.has_question(example.question):
        raise NotFound(f"the framework has no question {example.question!r}")
    file.case_key_for(example.case)  # NotFound for a case not in the sample
    if not text:
        raise ValidationError("a practice example needs some text")
    if not title:
        raise ValidationError("a practice example needs a title")
    if len(text) > MAX_EXAMPLE_CHARS:
        raise ValidationError(
            f"a practice example is at most {MAX_EXAMPLE_CHARS:,} characters (this one is "
            f"{len(text):,}); keep it to the few sentences the box holds"
        )
    if len(title) > MAX_TITLE_CHARS:
        raise ValidationError(f"a practice example's title is at most {MAX_TITLE_CHARS} characters")
    check_note(text, "a practice example")
    for words, what in ((title, "title"), (text, "text")):
        problem = control_character_problem(words, multiline=what == "text")
        if problem:
            raise ValidationError(f"the practice example's {what} {problem}")
    _refuse_identifiers(file, example.case, f"{title}\n{text}")
    return PracticeExample(example.id, example.chapter, example.case, example.question, title, text)


def _refuse_identifiers(file: InspectionFile, sample_no: int, words: str) -> None:
    """The report names a case only by its sample number: the case's own CRN or name in an
    example is refused (other names are the lead's to change; the screen says so)."""
    row = case_queries.identity_of(file.db, file.case_key_for(sample_no))
    folded = words.casefold()
    for identifier in row or ():
        if not identifier or len(identifier) < 3:
            continue
        parts = [identifier, *identifier.split()]
        if any(len(p) >= 3 and p.casefold() in folded for p in parts):
            raise ValidationError(
                f"the practice example names {sample_label(sample_no)}'s person or CRN; the "
                "report shows the case only by its number, so change the name"
            )


def _save(file: InspectionFile, examples: Sequence[PracticeExample], author: str | None) -> Changes:
    write_part(file, PART, [e.to_json() for e in examples], author=author)
    return Changes()
