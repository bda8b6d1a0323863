"""One question of the case under review: code, text, guidance, answer control, evidence note.

A view: it lays out and reports what the user did (signals); `CaseReview` decides what happens.
Only the current section's questions exist as rows, so a case review stays light.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.cases.case_data import AnswerValue
from inspector_app.core.framework import Question, Scale
from inspector_app.gui import spell_check
from inspector_app.gui.style import attention, css_color, heading_font, muted_text, small_font

NOTE = "note"
VALUE = "value"


class NoteEdit(QPlainTextEdit):
    """A plain-text editor that grows with its text (2 to 8 lines), moves focus on Tab, hands
    Escape back to its question and leaves Ctrl+Z / Ctrl+Shift+Z to the window's undo stack
    (so undo means the same thing everywhere and is saved as a revision)."""

    escaped = Signal()
    MIN_LINES = 2
    MAX_LINES = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)
        spell_check.attach_when_shown(self)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def _fit(self, *_args: object) -> None:
        lines = max(self.MIN_LINES, min(self.MAX_LINES, int(self.document().size().height())))
        margins = self.contentsMargins()
        frame = 2 * self.frameWidth()
        doc_margin = 2 * self.document().documentMargin()
        height = self.fontMetrics().lineSpacing() * lines + margins.top() + margins.bottom()
        self.setFixedHeight(int(height + frame + doc_margin))

    def resizeEvent(self, event: QEvent) -> None:  # type: ignore[override]
        super().resizeEvent(event)
        self._fit()

    def set_text_quietly(self, text: str) -> None:
        """Show stored text without it counting as an edit."""
        if self.toPlainText() == text:
            return
        self.blockSignals(True)
        self.setPlainText(text)
        self.blockSignals(False)
        self._fit()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
            )
        ):
            event.ignore()  # let the window's Undo / Redo actions have it
            return False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class QuestionRow(QFrame):
    """One question. Keys on the row (or its buttons): the scale's key letters answer it,
    Delete clears it, Up/Down move, Enter goes to the note, G shows the guidance."""

    answerChosen = Signal(str, object)  # code, value (None clears)
    textEdited = Signal(str, str, str)  # code, NOTE or VALUE, text
    moveRequested = Signal(str, int)  # code, -1 / +1
    focusEntered = Signal(str)  # code
    # An answer letter pressed on a question answered in words (it has no answer buttons):
    # the row moves into its text, and the screen says why.
    wordsNeeded = Signal(str)  # code

    def __init__(self, question: Question, scale: Scale, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.scale = scale
        self.code = question.code
        self.applies = True
        self.locked = False
        self._current = False
        self._value: str | None = None
        self._keys = {o.key.casefold(): o.value for o in scale.options if o.key}
        self.setObjectName(f"question-{question.code}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(
            self.tr("Question {code}: {text}").format(code=question.code, text=question.text)
        )
        self.setFrameShape(QFrame.Shape.NoFrame)

        base = self.font()
        self.code_label = QLabel(question.code)
        self.code_label.setFont(heading_font(base, 1.0))
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.code_label.setAccessibleName(
            self.tr("Question code {code}").format(code=question.code)
        )
        self.code_label.setMinimumWidth(self.fontMetrics().horizontalAdvance(self.tr("B2.10")) + 12)

        self.text_label = QLabel(question.text)
        self.text_label.setWordWrap(True)
        self.text_label.setAccessibleName(question.text)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

        # The answer control: a segmented row of buttons showing each option's key letter.
        self.buttons: dict[str, QPushButton] = {}
        answer_box = QWidget()
        answer_box.setAccessibleName(
            self.tr("Answer to question {code}").format(code=question.code)
        )
        answer_layout = QHBoxLayout(answer_box)
        answer_layout.setContentsMargins(0, 0, 0, 0)
        answer_layout.setSpacing(0)
        self.value_edit: NoteEdit | None = None
        if scale.kind == "text":
            self.value_edit = NoteEdit()
            self.value_edit.setPlaceholderText(self.tr("Write here"))
            self.value_edit.setAccessibleName(
                self.tr("Answer to question {code}: {text}").format(
                    code=question.code, text=question.text
                )
            )
            self.value_edit.textChanged.connect(
                lambda: self.textEdited.emit(self.code, VALUE, self.value_edit.toPlainText())  # type: ignore[union-attr]
            )
            self.value_edit.escaped.connect(self.setFocus)
        else:
            count = len(scale.options)
            for n, option in enumerate(scale.options):
                button = QPushButton(
                    f"{option.key}   {option.label}" if option.key else option.label
                )
                button.setCheckable(True)
                button.setAutoDefault(False)
                button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
                button.setAccessibleName(
                    self.tr("{label} for question {code}").format(
                        label=option.label, code=question.code
                    )
                )
                button.setAccessibleDescription(
                    self.tr("Shortcut: {key}").format(key=option.key) if option.key else ""
                )
                button.setToolTip(
                    self.tr("{label} (press {key})").format(label=option.label, key=option.key)
                    if option.key
                    else ""
                )
                button.setProperty("segment", _segment(n, count))
                button.clicked.connect(lambda _c=False, v=option.value: self._clicked(v))
                self.buttons[option.value] = button
                answer_layout.addWidget(button)
        answer_layout.addStretch(1)
        answer_box.setStyleSheet(SEGMENTED_STYLE)

        self.guidance_button = QToolButton()
        self.guidance_button.setText(self.tr("Guidance"))
        self.guidance_button.setCheckable(True)
        self.guidance_button.setArrowType(Qt.ArrowType.RightArrow)
        self.guidance_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.guidance_button.setAutoRaise(True)
        self.guidance_button.setAccessibleName(
            self.tr("Show guidance for question {code}").format(code=question.code)
        )
        self.guidance_button.setToolTip(self.tr("Show or hide the guidance (G)"))
        self.guidance_button.toggled.connect(self.set_guidance_visible)
        if not question.guidance:
            self.guidance_button.hide()  # (never show() a widget before it has a parent)

        self.flag_label = QLabel(self.tr("⚠ An evidence note is required for this answer"))
        self.flag_label.setAccessibleName(self.tr("An evidence note is required for this answer"))
        self.flag_label.setFont(heading_font(small_font(base), 1.0))
        self.flag_label.hide()

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self.value_edit if self.value_edit else answer_box, 1)
        controls.addSpacing(8)
        controls.addWidget(self.guidance_button, 0, Qt.AlignmentFlag.AlignTop)
        self.controls = QWidget()
        self.controls.setLayout(controls)
        self.controls.setAccessibleName(
            self.tr("Controls for question {code}").format(code=question.code)
        )

        self.guidance_label = QLabel(question.guidance)
        self.guidance_label.setWordWrap(True)
        self.guidance_label.setAccessibleName(
            self.tr("Guidance: {guidance}").format(guidance=question.guidance)
        )
        self.guidance_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.guidance_label.hide()

        self.note_edit: NoteEdit | None = None
        if scale.kind != "text":
            self.note_edit = NoteEdit()
            self.note_edit.setAccessibleName(
                self.tr("Evidence note for question {code}").format(code=question.code)
            )
            self.note_edit.setPlaceholderText(self.tr("Evidence note"))
            self.note_edit.textChanged.connect(
                lambda: self.textEdited.emit(self.code, NOTE, self.note_edit.toPlainText())  # type: ignore[union-attr]
            )
            self.note_edit.escaped.connect(self.setFocus)

        self.disputed_label = QLabel(
            self.tr(
                "Disputed: the readers gave different answers. This shows the latest; "
                "settle it in Inspection > Conflicts (Ctrl+Shift+K)."
            )
        )
        self.disputed_label.setWordWrap(True)
        self.disputed_label.setFont(heading_font(small_font(base), 1.0))
        self.disputed_label.setAccessibleName(
            self.tr("Disputed answer: the readers gave different answers")
        )
        self.disputed_label.hide()

        self.reason_label = QLabel()
        self.reason_label.setWordWrap(True)
        self.reason_label.setAccessibleName(self.tr("Why this question does not apply"))
        self.reason_label.hide()

        body = QVBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(6)
        body.addWidget(self.text_label)
        body.addWidget(self.guidance_label)
        body.addWidget(self.reason_label)
        body.addWidget(self.controls)
        body.addWidget(self.disputed_label)
        body.addWidget(self.flag_label)
        if self.note_edit is not None:
            body.addWidget(self.note_edit)

        grid = QGridLayout(self)
        grid.setContentsMargins(14, 10, 12, 12)
        grid.setHorizontalSpacing(10)
        grid.addWidget(self.code_label, 0, 0)
        grid.addLayout(body, 0, 1)
        grid.setColumnStretch(1, 1)

        for child in self.focusables():
            child.installEventFilter(self)
        self._apply_colours()

    # -- what CaseReview calls -------------------------------------------------------------------

    def set_state(
        self,
        answer: AnswerValue | None,
        *,
        applies: bool,
        reason: str,
        locked: bool,
        pending_note: str | None = None,
        pending_value: str | None = None,
    ) -> None:
        """Show the stored answer (or a pending edit not yet saved), whether it applies and
        whether the case is locked (complete)."""
        self.applies = applies
        self.locked = locked
        value = answer.value if answer else None
        note = answer.note if answer else ""
        if self.value_edit is not None:
            text = pending_value if pending_value is not None else (value or "")
            self.value_edit.set_text_quietly(text)
            self.value_edit.setReadOnly(locked)
            self.value_edit.setEnabled(applies)
        self._value = value
        for option_value, button in self.buttons.items():
            button.setChecked(option_value == value)
            button.setEnabled(applies and not locked)
        if self.note_edit is not None:
            self.note_edit.set_text_quietly(pending_note if pending_note is not None else note)
            self.note_edit.setReadOnly(locked)
            self.note_edit.setVisible(applies)
            needs = self.question.needs_note(value)
            self.note_edit.setPlaceholderText(
                self.tr("Evidence note (required for this answer)")
                if needs
                else self.tr("Evidence note")
            )
        self.controls.setVisible(applies)
        self.disputed_label.setVisible(applies and answer is not None and answer.conflicted)
        self.reason_label.setVisible(not applies)
        if not applies:
            kept = ""
            if value:
                kept = self.tr(" The earlier answer ({label_of}) is not counted.").format(
                    label_of=self.scale.label_of(str(value))
                )
            self.reason_label.setText(
                self.tr("Does not apply to this case. {reason}.{kept}").format(
                    reason=reason, kept=kept
                )
            )
        self._update_flag()
        self._update_description()
        self._apply_colours()

    def note_text(self) -> str:
        return self.note_edit.toPlainText() if self.note_edit is not None else ""

    def set_current(self, current: bool) -> None:
        if current != self._current:
            self._current = current
            self.update()

    def focus_note(self) -> None:
        editor = self.note_edit or self.value_edit
        if editor is not None and editor.isVisible() and editor.isEnabled():
            editor.setFocus(Qt.FocusReason.OtherFocusReason)
            editor.moveCursor(editor.textCursor().MoveOperation.End)
        else:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_guidance_visible(self, visible: bool) -> None:
        self.guidance_label.setVisible(visible)
        self.guidance_button.setArrowType(
            Qt.ArrowType.DownArrow if visible else Qt.ArrowType.RightArrow
        )
        if self.guidance_button.isChecked() != visible:
            self.guidance_button.setChecked(visible)

    def is_answered(self) -> bool:
        return bool(self._value)

    # -- keys ------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._handle_key(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            self.focusEntered.emit(self.code)
        elif (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and isinstance(watched, QPushButton | QToolButton)
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
            and self._handle_key(event)
        ):
            return True
        return super().eventFilter(watched, event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focusEntered.emit(self.code)

    def _handle_key(self, event: QKeyEvent) -> bool:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            return False
        key = event.key()
        if key == Qt.Key.Key_Up:
            self.moveRequested.emit(self.code, -1)
            return True
        if key == Qt.Key.Key_Down:
            self.moveRequested.emit(self.code, +1)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.focus_note()
            return True
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.buttons:
            self.answerChosen.emit(self.code, None)
            return True
        text = event.text().casefold()
        if text and text in self._keys:
            self.answerChosen.emit(self.code, self._keys[text])
            return True
        if text == "g" and self.question.guidance:
            self.set_guidance_visible(not self.guidance_label.isVisible())
            return True
        if text in ("y", "n", "a") and not self.buttons and self.value_edit is not None:
            self.focus_note()
            self.wordsNeeded.emit(self.code)
            return True
        return False

    # -- inside ----------------------------------------------------------------------------------

    def _clicked(self, value: str) -> None:
        # Buttons show the stored answer; a click asks for it, the refresh sets the checks.
        for option_value, button in self.buttons.items():
            button.setChecked(option_value == self._value)
        self.answerChosen.emit(self.code, value)

    def focusables(self) -> list[QWidget]:
        widgets: list[QWidget] = [*self.buttons.values(), self.guidance_button]
        widgets += [w for w in (self.note_edit, self.value_edit) if w is not None]
        return widgets

    def _update_flag(self) -> None:
        note = self.note_text().strip()
        needs = self.applies and self.question.needs_note(self._value) and not note
        self.flag_label.setVisible(needs)

    def refresh_flag(self) -> None:
        self._update_flag()
        self._update_description()

    def _update_description(self) -> None:
        if not self.applies:
            description = self.reason_label.text()
        elif self.scale.kind == "text":
            description = self.tr("Free text")
        else:
            answer = self.scale.label_of(self._value) if self._value else self.tr("Not answered")
            description = self.tr("Answer: {answer}").format(answer=answer)
            if self.flag_label.isVisible():
                description += self.tr(". Evidence note required")
            if not self.disputed_label.isHidden():
                description += self.tr(". Disputed: the readers gave different answers")
        self.setAccessibleDescription(description)

    def _apply_colours(self) -> None:
        muted = css_color(muted_text(self))
        if self.applies:
            self.text_label.setStyleSheet("")
            self.code_label.setStyleSheet("")
        else:
            self.text_label.setStyleSheet(f"color: {muted};")
            self.code_label.setStyleSheet(f"color: {muted};")
        self.reason_label.setStyleSheet(f"color: {muted}; font-style: italic;")
        self.guidance_label.setStyleSheet(f"color: {muted};")
        self.flag_label.setStyleSheet(f"color: {css_color(attention(self))};")

    def paintEvent(self, event: QEvent) -> None:  # type: ignore[override]
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        if self._current:
            fill = QColor(palette.color(QPalette.ColorRole.Highlight))
            fill.setAlpha(28)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 6, 6)
            bar = QColor(palette.color(QPalette.ColorRole.Highlight))
            painter.setBrush(bar)
            painter.drawRoundedRect(QRectF(rect.left(), rect.top() + 4, 4, rect.height() - 8), 2, 2)
        else:
            line = QColor(palette.color(QPalette.ColorRole.Mid))
            line.setAlpha(90)
            painter.setPen(line)
            painter.drawLine(
                int(rect.left()) + 10,
                int(rect.bottom()),
                int(rect.right()) - 10,
                int(rect.bottom()),
            )
        painter.end()


# The answer buttons as one segmented control; the chosen answer in the highlight colour.
# Only spacing is in pixels: text size comes from the system font.
SEGMENTED_STYLE = """
QPushButton[segment] {
    padding: 4px 14px; border: 1px solid palette(mid); background: palette(button);
    color: palette(button-text);
}
QPushButton[segment="first"] { border-top-left-radius: 5px; border-bottom-left-radius: 5px; }
QPushButton[segment="last"] { border-top-right-radius: 5px; border-bottom-right-radius: 5px; }
QPushButton[segment="only"] { border-radius: 5px; }
QPushButton[segment="middle"], QPushButton[segment="last"] { border-left: none; }
QPushButton[segment]:hover { background: palette(midlight); }
QPushButton[segment]:focus {
    background: palette(alternate-base); border-color: palette(highlight);
}
QPushButton[segment]:checked {
    background: palette(highlight); color: palette(highlighted-text);
    border-color: palette(highlight);
}
QPushButton[segment]:disabled { color: palette(mid); }
"""


def _segment(n: int, count: int) -> str:
    if count == 1:
        return "only"
    return "first" if n == 0 else "last" if n == count - 1 else "middle"
