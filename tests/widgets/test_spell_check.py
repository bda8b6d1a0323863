"""Spell check as you type: a misspelt word in an evidence note is underlined, probation's
own words and codes are not, and the context menu corrects, adds to the user's dictionary or
ignores. Run with the en_GB dictionary the project's set-up installs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QPlainTextEdit

from inspector_app.core import spelling
from inspector_app.gui import spell_check
from inspector_app.gui.question_row import NoteEdit

SHIFT = Qt.KeyboardModifier.ShiftModifier
CHECK = spelling.load(Path("/nonexistent/words.txt"))
pytestmark = pytest.mark.skipif(
    isinstance(CHECK, spelling.Unavailable),
    reason=getattr(CHECK, "reason", ""),
)


@pytest.fixture
def check(tmp_path: Path) -> spelling.SpellCheck:
    loaded = spelling.load(tmp_path / "my-words.txt")
    assert isinstance(loaded, spelling.SpellCheck)
    spell_check.use_checker(loaded)
    yield loaded
    spell_check.use_checker(None)


def underlined(editor: QPlainTextEdit) -> list[str]:
    """The words the editor shows with the spell-check underline."""
    words = []
    block = editor.document().firstBlock()
    while block.isValid():
        for span in block.layout().formats():
            if span.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline:
                words.append(block.text()[span.start : span.start + span.length])
        block = block.next()
    return words


def shown_note(qtbot: object, text: str) -> NoteEdit:
    note = NoteEdit()
    qtbot.addWidget(note)  # type: ignore[attr-defined]
    note.resize(600, 120)
    note.show()
    qtbot.waitExposed(note)  # type: ignore[attr-defined]
    note.setPlainText(text)
    return note


def point_at(editor: QPlainTextEdit, word: str) -> QPoint:
    cursor = editor.textCursor()
    cursor.setPosition(editor.toPlainText().index(word) + 1)
    return editor.cursorRect(cursor).center()


def test_british_english_with_probation_words(check: spelling.SpellCheck) -> None:
    text = "The officer did not recieve the OASys assessment; the color of MAPPA CAS3 B2.10"
    assert [m.word for m in check.misspellings(text)] == ["recieve", "color"]
    assert check.misspellings("Desistance and reoffending; the colour of the organisation") == []
    assert check.misspellings("the officer’s plan; didn’t; multi-agency work") == []


def test_a_misspelt_word_in_a_note_is_underlined_and_a_custom_word_is_not(
    qtbot: object, check: spelling.SpellCheck
) -> None:
    note = shown_note(qtbot, "Risk to others was not recieved by the nDelius record or OASys.")
    assert underlined(note) == ["recieved"]


def test_a_suggestion_from_the_context_menu_corrects_the_word(
    qtbot: object, check: spelling.SpellCheck
) -> None:
    note = shown_note(qtbot, "The plan was not recieved in time.")
    menu = spell_check.spelling_menu(note, point_at(note, "recieved"))
    texts = [a.text() for a in menu.actions()]
    assert texts[0] == "received"
    assert "Add “recieved” to my dictionary" in texts
    menu.actions()[0].trigger()
    assert note.toPlainText() == "The plan was not received in time."
    assert underlined(note) == []


def test_a_word_added_to_the_dictionary_is_kept_for_later_sessions(
    qtbot: object, check: spelling.SpellCheck, tmp_path: Path
) -> None:
    note = shown_note(qtbot, "Seen at the Hatherley hub.")
    assert underlined(note) == ["Hatherley"]
    menu = spell_check.spelling_menu(note, point_at(note, "Hatherley"))
    add = next(a for a in menu.actions() if a.text().startswith("Add"))
    add.trigger()
    assert underlined(note) == []
    assert (tmp_path / "my-words.txt").read_text(encoding="utf-8") == "Hatherley\n"
    later = spelling.load(tmp_path / "my-words.txt")
    assert isinstance(later, spelling.SpellCheck)
    assert later.misspellings("Seen at the Hatherley hub.") == []


def test_ignore_accepts_a_word_for_this_session_only(
    qtbot: object, check: spelling.SpellCheck, tmp_path: Path
) -> None:
    note = shown_note(qtbot, "Met at Brackwell.")
    menu = spell_check.spelling_menu(note, point_at(note, "Brackwell"))
    next(a for a in menu.actions() if a.text().startswith("Ignore")).trigger()
    assert underlined(note) == []
    assert not (tmp_path / "my-words.txt").exists()


def test_a_correct_word_gets_the_plain_menu(qtbot: object, check: spelling.SpellCheck) -> None:
    note = shown_note(qtbot, "The plan was received in time.")
    menu = spell_check.spelling_menu(note, point_at(note, "received"))
    assert not any(a.text().startswith("Add") for a in menu.actions())


def test_without_a_dictionary_the_note_works_unchecked(qtbot: object) -> None:
    spell_check.use_checker(spelling.Unavailable("spell check unavailable: test"))
    try:
        note = shown_note(qtbot, "The plan was not recieved.")
        assert underlined(note) == []
        assert note.toPlainText() == "The plan was not recieved."
    finally:
        spell_check.use_checker(None)


@pytest.mark.parametrize(
    ("key", "modifier"),
    [(Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier), (Qt.Key.Key_F10, SHIFT)],
)
def test_the_menu_key_offers_the_corrections_at_the_text_cursor(
    qtbot: object,
    check: spelling.SpellCheck,
    monkeypatch: pytest.MonkeyPatch,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier,
) -> None:
    shown: list[list[str]] = []

    def capture(editor: QPlainTextEdit, _highlighter: object, pos: QPoint) -> None:
        shown.append([a.text() for a in spell_check.spelling_menu(editor, pos).actions()])

    monkeypatch.setattr(spell_check, "_show_menu", capture)
    note = shown_note(qtbot, "The plan was not recieved in time.")
    note.setFocus()
    cursor = note.textCursor()
    cursor.setPosition(note.toPlainText().index("recieved") + 3)
    note.setTextCursor(cursor)
    qtbot.keyClick(note, key, modifier)  # type: ignore[attr-defined]
    assert shown and shown[0][0] == "received"
