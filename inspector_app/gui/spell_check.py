"""Spell check as you type in the prose editors: misspelt words get the platform's spell-check
underline, and the context menu offers suggestions, "Add to dictionary" and "Ignore".

One check serves the whole app (core/spelling.py), loaded on the first editor that needs it.
Without a dictionary the editors work as before; the reason is logged once.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeyEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QMenu, QPlainTextEdit, QTextEdit

from inspector_app.core.spelling import Misspelling, SpellCheck, Unavailable, load

log = logging.getLogger(__name__)

_checker: SpellCheck | Unavailable | None = None


def checker() -> SpellCheck | None:
    """The app's one spell check, loaded on first use; None when unavailable."""
    global _checker
    if _checker is None:
        _checker = load()
        if isinstance(_checker, Unavailable):
            log.info("%s", _checker.reason)
    return _checker if isinstance(_checker, SpellCheck) else None


def use_checker(check: SpellCheck | Unavailable | None) -> None:
    """Set the app's check (tests give one with their own word list; None loads afresh)."""
    global _checker
    _checker = check


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines every misspelt word of one document."""

    def __init__(self, document: QTextDocument, check: SpellCheck) -> None:
        super().__init__(document)
        self.check = check
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._format.setUnderlineColor(QColor("#d0312d"))

    def highlightBlock(self, text: str) -> None:
        for miss in self.check.misspellings(text):
            self.setFormat(miss.start, len(miss.word), self._format)


def attach(editor: QPlainTextEdit | QTextEdit) -> SpellHighlighter | None:
    """Spell-check `editor` as its text is typed; None (the editor unchanged) without a
    dictionary."""
    check = checker()
    if check is None:
        return None
    highlighter = SpellHighlighter(editor.document(), check)
    _SpellingMenu(editor)
    return highlighter


class _AttachOnShow(QObject):
    """Attaches the check when its editor is first shown, so building a screen full of
    editors (a case's notes) loads no dictionary until one is on screen. It holds its editor
    only as its Qt parent: no Python reference cycle for the collector to break, perhaps on
    a worker thread."""

    def __init__(self, editor: QPlainTextEdit | QTextEdit) -> None:
        super().__init__(editor)
        editor.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Show:
            assert isinstance(watched, QPlainTextEdit | QTextEdit)
            watched.removeEventFilter(self)  # once; the object stays, idle, till its editor goes
            attach(watched)
        return False


def attach_when_shown(editor: QPlainTextEdit | QTextEdit) -> None:
    """Spell-check `editor` from the first time it shows."""
    _AttachOnShow(editor)


class _SpellingMenu(QObject):
    """The editor's context menu with the spelling choices; the Menu key and Shift+F10 open
    it at the text cursor, so corrections need no mouse (the platform does not always turn
    those keys into a context menu). Its editor is its Qt parent, as above."""

    def __init__(self, editor: QPlainTextEdit | QTextEdit) -> None:
        super().__init__(editor)
        editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        editor.customContextMenuRequested.connect(self.show_at)
        editor.installEventFilter(self)

    def editor(self) -> QPlainTextEdit | QTextEdit:
        parent = self.parent()
        assert isinstance(parent, QPlainTextEdit | QTextEdit)
        return parent

    def show_at(self, pos: QPoint) -> None:
        _show_menu(self.editor(), self, pos)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.parent()
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and (
                event.key() == Qt.Key.Key_Menu
                or (
                    event.key() == Qt.Key.Key_F10
                    and event.modifiers() == Qt.KeyboardModifier.ShiftModifier
                )
            )
        ):
            editor = self.editor()
            self.show_at(editor.cursorRect().center())
            return True
        return False


def misspelling_at(
    editor: QPlainTextEdit | QTextEdit, pos: QPoint
) -> tuple[Misspelling, int] | None:
    """The misspelt word under `pos` (a point in the editor's viewport) and where its block
    starts in the document."""
    check = checker()
    if check is None:
        return None
    cursor = editor.cursorForPosition(pos)
    block = cursor.block()
    offset = cursor.position() - block.position()
    for miss in check.misspellings(block.text()):
        if miss.start <= offset <= miss.end:
            return miss, block.position()
    return None


def spelling_menu(editor: QPlainTextEdit | QTextEdit, pos: QPoint) -> QMenu:
    """The editor's own context menu, with the spelling choices first for a misspelt word."""
    menu = editor.createStandardContextMenu(editor.viewport().mapToGlobal(pos))
    found = misspelling_at(editor, pos)
    check = checker()
    if found is None or check is None:
        return menu
    miss, block_start = found
    first = menu.actions()[0] if menu.actions() else None
    suggestions = check.suggestions(miss.word)
    actions = []
    for suggestion in suggestions:
        action = QAction(suggestion, menu)
        font = action.font()
        font.setBold(True)
        action.setFont(font)
        action.triggered.connect(
            lambda _=False, s=suggestion: replace_word(editor, block_start, miss, s)
        )
        actions.append(action)
    if not suggestions:
        none = QAction(QCoreApplication.translate("spell_check", "No suggestions"), menu)
        none.setEnabled(False)
        actions.append(none)
    add = QAction(
        QCoreApplication.translate("spell_check", "Add “{word}” to my dictionary").format(
            word=miss.word
        ),
        menu,
    )
    add.triggered.connect(lambda: add_word(miss.word))
    ignore = QAction(
        QCoreApplication.translate("spell_check", "Ignore “{word}”").format(word=miss.word), menu
    )
    ignore.triggered.connect(lambda: ignore_word(miss.word))
    actions += [add, ignore]
    menu.insertActions(first, actions)  # type: ignore[arg-type]
    menu.insertSeparator(first)  # type: ignore[arg-type]
    return menu


def replace_word(
    editor: QPlainTextEdit | QTextEdit, block_start: int, miss: Misspelling, word: str
) -> None:
    """Replace the misspelt word by a suggestion, as one edit the user can undo."""
    cursor = QTextCursor(editor.document())
    cursor.setPosition(block_start + miss.start)
    cursor.setPosition(block_start + miss.end, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText(word)


def add_word(word: str) -> None:
    check = checker()
    if check is not None:
        check.add(word)
        _rehighlight_all()


def ignore_word(word: str) -> None:
    check = checker()
    if check is not None:
        check.ignore(word)
        _rehighlight_all()


def _rehighlight_all() -> None:
    """Every open editor's underlines again, after a word was added or ignored."""
    for widget in QApplication.allWidgets():
        if isinstance(widget, QPlainTextEdit | QTextEdit):
            for highlighter in widget.document().findChildren(SpellHighlighter):
                highlighter.rehighlight()


def _show_menu(editor: QPlainTextEdit | QTextEdit, _h: QObject, pos: QPoint) -> None:
    menu = spelling_menu(editor, pos)
    menu.exec(editor.viewport().mapToGlobal(pos))
    menu.deleteLater()
