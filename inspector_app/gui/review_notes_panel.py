"""Review notes on the case being reviewed: the lead's notes and everyone's replies, shown
above the questions; a reply, "addressed" or "reopen" is one click, a new note one dialog.
The panel only shows and asks; the case review makes the change."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.cases.review import ReviewNote
from inspector_app.core.plural import counted
from inspector_app.core.times import local_time
from inspector_app.gui import spell_check
from inspector_app.gui.style import attention, css_color, heading_font, muted_text
from inspector_app.gui.window_geometry import keep_geometry


def when_text(at: datetime) -> str:
    return local_time(at)


class ReviewTextDialog(QDialog):
    """A few lines of text: a new note, or a reply."""

    def __init__(self, parent: QWidget | None, title: str, about: str, text: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        intro = QLabel(about)
        intro.setWordWrap(True)
        self.edit = QPlainTextEdit(text)
        self.edit.setAccessibleName(title)
        self.edit.setTabChangesFocus(True)
        spell_check.attach_when_shown(self.edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.edit, 1)
        layout.addWidget(buttons)
        self.resize(520, 260)
        keep_geometry(self, "review-text")

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, about: str, text: str = "") -> str | None:
        """The text written (stripped), or None when cancelled or left empty."""
        dialog = cls(parent, title, about, text)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.edit.toPlainText().strip() or None


class ReviewNotesPanel(QFrame):
    replyRequested = Signal(str)  # note id
    addressedRequested = Signal(str, bool)  # note id, addressed
    withdrawRequested = Signal(str)  # note id
    questionRequested = Signal(str)  # the question a note is about

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Review notes"))
        self.heading = QLabel()
        self.heading.setFont(heading_font(self.font(), 1.0))
        self.body = QVBoxLayout()
        self.body.setSpacing(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.addWidget(self.heading)
        layout.addLayout(self.body)
        self.notes: list[ReviewNote] = []
        self._first_button: dict[str, QPushButton] = {}
        self.hide()

    def set_notes(self, notes: Sequence[ReviewNote], me: str | None) -> None:
        """Shows the case's notes (withdrawn ones left out); `me` is who is working, whose
        own notes may be withdrawn."""
        while self.body.count():
            item = self.body.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.notes = [n for n in notes if not n.withdrawn]
        self._first_button = {}
        if not self.notes:
            self.hide()
            return
        open_count = sum(1 for n in self.notes if n.is_open)
        self.heading.setText(
            self.tr("Review notes: {counted}").format(
                counted=counted(open_count, "{n} open note", "{n} open notes")
            )
            if open_count
            else self.tr("Review notes: all {notes} addressed").format(notes=len(self.notes))
        )
        self.heading.setStyleSheet(f"color: {css_color(attention(self))};" if open_count else "")
        for note in self.notes:
            self.body.addWidget(self._note_widget(note, me))
        self.show()

    def focus_note(self, note_id: str) -> None:
        """After a reply or a flag, the keyboard stays on that note (its buttons were drawn
        again; they show on the next turn of the event loop)."""
        button = self._first_button.get(note_id)
        if button is not None:
            QTimer.singleShot(0, button.setFocus)

    def _note_widget(self, note: ReviewNote, me: str | None) -> QWidget:
        box = QWidget()
        box.setAccessibleName(self.tr("Review note by {author}").format(author=note.author))
        muted = css_color(muted_text(self))
        about = (
            self.tr("question {question}").format(question=note.question)
            if note.question
            else self.tr("the case")
        )
        state = "addressed" if note.addressed else "open"
        lines = [
            f"<b>{html.escape(note.author)}</b> on {about}, {when_text(note.written_at)} "
            f"<span style='color:{muted}'>({state})</span>",
            html.escape(note.text).replace("\n", "<br>"),
        ]
        for reply in note.replies:
            lines.append(
                f"<span style='color:{muted}'>{html.escape(reply.author)} replied, "
                f"{when_text(reply.written_at)}:</span> {html.escape(reply.text)}"
            )
        label = QLabel("<br>".join(lines))
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(f"{note.author}: {note.text}")
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        answer = QPushButton(self.tr("Reply…"))
        answer.setAccessibleName(self.tr("Reply to {author}'s note").format(author=note.author))
        answer.clicked.connect(lambda _c=False, i=note.id: self.replyRequested.emit(i))
        buttons.addWidget(answer)
        self._first_button[note.id] = answer
        flag = QPushButton(self.tr("Reopen") if note.addressed else self.tr("Mark addressed"))
        flag.setAccessibleName(
            self.tr("Reopen {author}'s note").format(author=note.author)
            if note.addressed
            else self.tr("Mark the note addressed")
        )
        flag.clicked.connect(
            lambda _c=False, i=note.id, a=not note.addressed: self.addressedRequested.emit(i, a)
        )
        buttons.addWidget(flag)
        if note.question:
            go = QPushButton(self.tr("Go to {question}").format(question=note.question))
            go.clicked.connect(lambda _c=False, q=note.question: self.questionRequested.emit(q))
            buttons.addWidget(go)
        if me is not None and note.author == me:
            withdraw = QPushButton(self.tr("Withdraw"))
            withdraw.setToolTip(self.tr("Take the note back (it stays in the file's history)"))
            withdraw.clicked.connect(lambda _c=False, i=note.id: self.withdrawRequested.emit(i))
            buttons.addWidget(withdraw)
        buttons.addStretch(1)
        for button in box.findChildren(QPushButton):
            button.setAutoDefault(False)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(label)
        layout.addLayout(buttons)
        return box
