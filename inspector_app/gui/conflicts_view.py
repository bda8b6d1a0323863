"""The lead's Conflicts view: every answer two people changed differently, their answers side
by side (who, when, the answer and the evidence note), and the two ways to settle one: take a
person's answer, or enter another; each with a reason, kept in the history.

`ConflictsView` is the controller: it owns the open master (for the resolutions it writes
through `core.conflicts`) and reads the list and the reader agreement off the UI thread, each
read through a connection of its own. The other classes here lay out and hold data only.

Keyboard: arrow keys move through the list; Alt+1, Alt+2... take the first, second... answer;
Alt+N enters another answer; in the reason dialog Ctrl+Enter confirms; F5 reloads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.changes import Changes
from inspector_app.core.errors import InspectorError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.agreement import PairAgreement, agreement
from inspector_app.core.framework import Framework
from inspector_app.core.framework.profile import FIELDS_BY_NAME, FieldKind
from inspector_app.core.merge.conflicts import (
    Conflict,
    ConflictHead,
    list_conflicts,
    resolve_conflict,
)
from inspector_app.core.revisions.log import Kind
from inspector_app.core.times import local_time
from inspector_app.gui import spell_check
from inspector_app.gui.agreement_view import AgreementView
from inspector_app.gui.background import run_in_background
from inspector_app.gui.close_keys import close_on_keys
from inspector_app.gui.dialogs import ErrorDialog
from inspector_app.gui.style import char_width, css_color, heading_font, muted_text, small_font
from inspector_app.gui.table_model import HeaderedTableModel
from inspector_app.gui.translation import QT_TRANSLATE_NOOP
from inspector_app.gui.window_geometry import keep_geometry

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()

MAX_HEAD_SHORTCUTS = 9


# -- reading (worker side, no Qt) ------------------------------------------------------------


@dataclass(frozen=True)
class ConflictsSnapshot:
    """The open conflicts and the reader agreement, read together; or why they could not be."""

    conflicts: tuple[Conflict, ...] = ()
    pairs: tuple[PairAgreement, ...] = ()
    error: str | None = None


def load_conflicts(path: Path, passphrase: str | None = None) -> ConflictsSnapshot:
    """What a background worker calls: its own read-only connection, core calls only."""
    try:
        with InspectionFile.open(path, readonly=True, passphrase=passphrase, checked=True) as file:
            return ConflictsSnapshot(tuple(list_conflicts(file)), tuple(agreement(file)))
    except Exception as exc:  # shown on the UI thread
        return ConflictsSnapshot(error=str(exc) or type(exc).__name__)


# -- words for values ------------------------------------------------------------------------


def value_text(framework: Framework, conflict: Conflict, value: object) -> str:
    """An answer as the scale names it ('Yes', not 'yes'); a profile value as written."""
    if value is None:
        return QCoreApplication.translate("conflicts_view", "No answer (cleared)")
    if conflict.kind == Kind.ANSWER and framework.has_question(conflict.field):
        scale = framework.scale_of(conflict.field)
        if scale.kind != "text" and isinstance(value, str):
            return scale.label_of(value)
        return str(value)
    if conflict.kind == Kind.STATUS:
        return (
            QCoreApplication.translate("conflicts_view", "Complete")
            if value
            else QCoreApplication.translate("conflicts_view", "Open (not complete)")
        )
    if isinstance(value, bool):
        return (
            QCoreApplication.translate("conflicts_view", "Yes")
            if value
            else QCoreApplication.translate("conflicts_view", "No")
        )
    return str(value)


def answer_choices(framework: Framework, conflict: Conflict) -> list[tuple[str, object]] | None:
    """(label, value) pairs to offer for another answer; None when the answer is free text."""
    if conflict.kind == Kind.ANSWER and framework.has_question(conflict.field):
        scale = framework.scale_of(conflict.field)
        if scale.kind == "text":
            return None
        return [(option.label, option.value) for option in scale.options]
    if conflict.kind == Kind.STATUS:
        return [
            (QCoreApplication.translate("conflicts_view", "Complete"), True),
            (QCoreApplication.translate("conflicts_view", "Open (not complete)"), False),
        ]
    spec = FIELDS_BY_NAME.get(conflict.field)
    if spec is not None and spec.kind is FieldKind.FLAG:
        return [
            (QCoreApplication.translate("conflicts_view", "Yes"), True),
            (QCoreApplication.translate("conflicts_view", "No"), False),
        ]
    if spec is not None and spec.values:
        return [(str(v), v) for v in spec.values]
    return None


def can_settle_here(conflict: Conflict) -> bool:
    """Answers, profile corrections and case status; anything else is outside this view."""
    return conflict.sample_no is not None and conflict.kind in (
        Kind.ANSWER,
        Kind.PROFILE,
        Kind.STATUS,
    )


def when_text(head: ConflictHead) -> str:
    return local_time(head.when)


def question_ref(conflict: Conflict) -> str:
    if conflict.kind == Kind.ANSWER:
        return QCoreApplication.translate("conflicts_view", "question {field}").format(
            field=conflict.field
        )
    return conflict.title


def authors_of(conflict: Conflict) -> str:
    return " / ".join(sorted(set(h.author for h in conflict.heads), key=str.casefold))


# -- the list --------------------------------------------------------------------------------


class ConflictListModel(HeaderedTableModel):
    """One row per open conflict, in case then framework order."""

    COL_CASE = 0
    COL_QUESTION = 1
    COL_TEXT = 2
    COL_BETWEEN = 3

    ConflictRole = Qt.ItemDataRole.UserRole + 1  # the Conflict
    RecordKeyRole = Qt.ItemDataRole.UserRole + 2

    HEADERS = (
        QT_TRANSLATE_NOOP("ConflictListModel", "Case"),
        QT_TRANSLATE_NOOP("ConflictListModel", "Question"),
        QT_TRANSLATE_NOOP("ConflictListModel", "Question text"),
        QT_TRANSLATE_NOOP("ConflictListModel", "Between"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._conflicts: list[Conflict] = []

    def set_conflicts(self, conflicts: Sequence[Conflict]) -> None:
        self.beginResetModel()
        self._conflicts = list(conflicts)
        self.endResetModel()

    def conflict(self, row: int) -> Conflict | None:
        return self._conflicts[row] if 0 <= row < len(self._conflicts) else None

    def row_of(self, record_key: str) -> int:
        for row, conflict in enumerate(self._conflicts):
            if conflict.record_key == record_key:
                return row
        return -1

    def remove(self, record_key: str) -> None:
        row = self.row_of(record_key)
        if row >= 0:
            self.beginRemoveRows(_NO_PARENT, row, row)
            del self._conflicts[row]
            self.endRemoveRows()

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._conflicts)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._conflicts):
            return None
        conflict = self._conflicts[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.COL_CASE:
                return conflict.label
            if column == self.COL_QUESTION:
                return conflict.field if conflict.kind == Kind.ANSWER else self.tr("Profile")
            if column == self.COL_TEXT:
                return conflict.title
            if conflict.after_resolution:
                return self.tr("Changed after resolution: {author}").format(
                    author=conflict.heads[0].author
                )
            return authors_of(conflict)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_TEXT:
            return conflict.title
        if role == self.ConflictRole:
            return conflict
        if role == self.RecordKeyRole:
            return conflict.record_key
        return None


# -- one answer, side by side with the others ------------------------------------------------


class HeadCard(QFrame):
    """One person's answer: who, when, the answer, the evidence note, and 'Take' (layout)."""

    def __init__(
        self,
        number: int,
        head: ConflictHead,
        value: str,
        *,
        shortcut: str | None,
        can_take: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        muted = f"color: {css_color(muted_text(self))};"
        base = self.font()
        when = when_text(head)
        self.setAccessibleName(
            self.tr("Answer {number}, by {author}").format(number=number, author=head.author)
        )
        self.setAccessibleDescription(
            self.tr("{value}. {when}. Evidence note: {value2}").format(
                value=value, when=when, value2=head.note or "none"
            )
        )

        self.author_label = QLabel(f"{number}. {head.author}")
        self.author_label.setFont(heading_font(base, 1.1))
        self.author_label.setAccessibleName(self.author_label.text())
        self.when_label = QLabel(self.tr("Answered {when}").format(when=when))
        self.when_label.setStyleSheet(muted)
        self.when_label.setAccessibleName(self.when_label.text())

        answer_caption = QLabel(self.tr("Answer"))
        answer_caption.setFont(small_font(base))
        answer_caption.setStyleSheet(muted)
        self.value_label = QLabel(value)
        self.value_label.setFont(heading_font(base, 1.25))
        self.value_label.setWordWrap(True)
        self.value_label.setAccessibleName(self.tr("Answer: {value}").format(value=value))

        note_caption = QLabel(self.tr("Evidence note"))
        note_caption.setFont(small_font(base))
        note_caption.setStyleSheet(muted)
        self.note_label = QLabel(head.note or self.tr("No evidence note."))
        self.note_label.setWordWrap(True)
        self.note_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.note_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_label.setAccessibleName(
            self.tr("Evidence note: {value}").format(value=head.note or "none")
        )
        if not head.note:
            self.note_label.setStyleSheet(f"{muted} font-style: italic;")

        # The card names its author: the button says what it does, short enough to show
        # whole in a card a third of a small screen wide; its accessible name names the author.
        label = self.tr("Take {author}'s answer").format(author=head.author)
        shown = self.tr("Take this answer")
        self.take_button = QPushButton(f"{shown}  ({shortcut})" if shortcut else shown)
        self.take_button.setAccessibleName(label)
        if shortcut:
            self.take_button.setAccessibleDescription(
                self.tr("Shortcut {shortcut}").format(shortcut=shortcut)
            )
            self.take_button.setToolTip(
                self.tr("{label} as the settled answer ({shortcut})").format(
                    label=label, shortcut=shortcut
                )
            )
        self.take_button.setEnabled(can_take)
        self.take_button.setAutoDefault(False)
        # Two cards side by side in half of a small window: each as narrow as its button
        # allows (the texts wrap), never narrower.
        margins = self.contentsMargins().left() + self.contentsMargins().right()
        self.setMinimumWidth(
            max(int(char_width(self) * 22), self.take_button.sizeHint().width() + margins + 16)
        )

        layout = QVBoxLayout(self)
        layout.addWidget(self.author_label)
        layout.addWidget(self.when_label)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(answer_caption)
        layout.addWidget(self.value_label)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(note_caption)
        layout.addWidget(self.note_label, 1)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(self.take_button)


class ConflictDetail(QWidget):
    """The selected conflict: which case and question, and the answers side by side."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("The selected conflict"))
        base = self.font()
        self.heading = QLabel()
        self.heading.setFont(heading_font(base, 1.2))
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet(f"color: {css_color(muted_text(self))};")

        # The cards share one row at the height of the tallest; the space below stays empty.
        # The row of actions stays below the scrolled cards, always in view.
        self.cards_holder = QWidget()
        holder_layout = QVBoxLayout(self.cards_holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_layout = QHBoxLayout()
        holder_layout.addLayout(self.cards_layout)
        holder_layout.addStretch(1)
        self.actions = QHBoxLayout()
        self.cards: list[HeadCard] = []
        self.answers_area = QScrollArea()
        self.answers_area.setWidgetResizable(True)
        self.answers_area.setFrameShape(QFrame.Shape.NoFrame)
        self.answers_area.setWidget(self.cards_holder)
        self.answers_area.setAccessibleName(self.tr("The answers, side by side"))

        self.another_button = QPushButton(self.tr("Enter a&nother answer…"))
        self.another_button.setAccessibleName(self.tr("Enter another answer"))
        self.another_button.setToolTip(
            self.tr("Settle the conflict with an answer of your own, with a reason (Alt+N)")
        )
        self.another_button.setAutoDefault(False)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {css_color(muted_text(self))};")
        self.actions.addWidget(self.another_button)
        self.actions.addWidget(self.hint, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.question)
        layout.addWidget(self.explanation)
        layout.addWidget(self.answers_area, 1)
        layout.addLayout(self.actions)

    def show_empty(self, text: str) -> None:
        self._set_cards([])
        self.heading.setText(text)
        self.heading.setAccessibleName(text)
        self.question.clear()
        self.explanation.clear()
        self.hint.clear()
        self.another_button.hide()

    def show_conflict(
        self, heading: str, question: str, explanation: str, cards: list[HeadCard], hint: str
    ) -> None:
        self.heading.setText(heading)
        self.heading.setAccessibleName(heading)
        self.question.setText(question)
        self.question.setAccessibleName(question)
        self.explanation.setText(explanation)
        self.explanation.setAccessibleName(explanation)
        self.hint.setText(hint)
        self.hint.setAccessibleName(hint)
        self._set_cards(cards)
        self.another_button.show()

    def _set_cards(self, cards: list[HeadCard]) -> None:
        for card in self.cards:
            self.cards_layout.removeWidget(card)
            card.deleteLater()
        self.cards = cards
        for card in cards:
            self.cards_layout.addWidget(card, 1)


# -- the reason dialog -----------------------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    reason: str
    value: object = None  # the new answer, when entering another one


class ResolveDialog(QDialog):
    """A reason (always), and the new answer when entering another one. Ctrl+Enter confirms."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        context: str,
        choices: Sequence[tuple[str, object]] | None = None,
        free_text: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._choices = list(choices or [])
        layout = QVBoxLayout(self)

        heading = QLabel(title)
        heading.setFont(heading_font(self.font(), 1.15))
        heading.setAccessibleName(title)
        layout.addWidget(heading)
        about = QLabel(context)
        about.setWordWrap(True)
        about.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        about.setAccessibleName(context)
        layout.addWidget(about)

        self.value_combo: QComboBox | None = None
        self.value_edit: QPlainTextEdit | None = None
        if self._choices:
            value_label = QLabel(self.tr("&Answer"))
            self.value_combo = QComboBox()
            self.value_combo.setAccessibleName(self.tr("The settled answer"))
            for text, _value in self._choices:
                self.value_combo.addItem(text)
            self.value_combo.setCurrentIndex(-1)
            self.value_combo.setPlaceholderText(self.tr("Choose an answer"))
            self.value_combo.currentIndexChanged.connect(self._update_ok)
            value_label.setBuddy(self.value_combo)
            layout.addWidget(value_label)
            layout.addWidget(self.value_combo)
        elif free_text:
            value_label = QLabel(self.tr("&Answer"))
            self.value_edit = QPlainTextEdit()
            self.value_edit.setTabChangesFocus(True)
            spell_check.attach_when_shown(self.value_edit)
            self.value_edit.setAccessibleName(self.tr("The settled answer"))
            self.value_edit.setMaximumHeight(self.fontMetrics().height() * 5)
            self.value_edit.textChanged.connect(self._update_ok)
            value_label.setBuddy(self.value_edit)
            layout.addWidget(value_label)
            layout.addWidget(self.value_edit)

        reason_label = QLabel(self.tr("&Reason (kept in the answer's history)"))
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setAccessibleName(self.tr("Reason"))
        self.reason_edit.setAccessibleDescription(
            self.tr("Why this answer stands; kept in the history")
        )
        self.reason_edit.setPlaceholderText(
            self.tr("For example: checked the case record with both readers")
        )
        self.reason_edit.setMaximumHeight(self.fontMetrics().height() * 5)
        self.reason_edit.textChanged.connect(self._update_ok)
        reason_label.setBuddy(self.reason_edit)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason_edit)

        hint = QLabel(self.tr("Ctrl+Enter to confirm, Esc to go back without changing anything."))
        hint.setStyleSheet(f"color: {css_color(muted_text(self))};")
        hint.setAccessibleName(hint.text())
        layout.addWidget(hint)

        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(
            self.tr("Settle the conflict"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setAccessibleName(self.tr("Settle the conflict"))
        self.ok_button.setAutoDefault(False)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel"))
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.confirm)

        self._update_ok()
        (self.value_combo or self.value_edit or self.reason_edit).setFocus()
        self.resize(int(char_width(self) * 70), self.sizeHint().height())
        keep_geometry(self, "resolve-conflict")

    def is_valid(self) -> bool:
        if not self.reason_edit.toPlainText().strip():
            return False
        if self.value_combo is not None:
            return self.value_combo.currentIndex() >= 0
        if self.value_edit is not None:
            return bool(self.value_edit.toPlainText().strip())
        return True

    def confirm(self) -> None:
        if self.is_valid():
            self.accept()

    def resolution(self) -> Resolution:
        value: object = None
        if self.value_combo is not None:
            value = self._choices[self.value_combo.currentIndex()][1]
        elif self.value_edit is not None:
            value = self.value_edit.toPlainText().strip()
        return Resolution(self.reason_edit.toPlainText().strip(), value)

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.is_valid())

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        title: str,
        context: str,
        choices: Sequence[tuple[str, object]] | None = None,
        free_text: bool = False,
    ) -> Resolution | None:
        dialog = cls(parent, title=title, context=context, choices=choices, free_text=free_text)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.resolution()
            return None
        finally:
            dialog.deleteLater()


# -- the view --------------------------------------------------------------------------------


class ConflictsView(QWidget):
    """Conflicts of the file the main window has open (normally the master) and the
    agreement between its readers. Opens the file itself, skipping the damage check the main
    window made (it reads the whole file: seconds at 100,000 cases), and closes it when
    closed (or on `close_file`). Raises InspectorError if the file cannot be opened (or use
    `open_for`)."""

    changed = Signal(object)  # Changes, after a conflict was settled
    loaded = Signal()  # the list and the agreement show the file as it is
    countChanged = Signal(int)  # open conflicts

    def __init__(
        self,
        master_path: Path | str,
        parent: QWidget | None = None,
        *,
        passphrase: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)  # a window of its own, beside the main
        self.path = Path(master_path)
        self._passphrase = passphrase  # of an encrypted master, in memory only
        self.file: InspectionFile | None = InspectionFile.open(
            self.path, passphrase=passphrase, track_session=False, checked=True
        )
        self.framework = self.file.framework
        self._load_token = 0
        self._closed = False
        self.setWindowTitle(self.tr("Conflicts – {title}").format(title=self.file.inspection.title))
        self.setAccessibleName(self.tr("Conflicts"))
        self.model = ConflictListModel(self)
        self._build()
        self.refresh()

    @classmethod
    def open_for(
        cls,
        master_path: Path | str,
        parent: QWidget | None = None,
        *,
        passphrase: str | None = None,
    ) -> ConflictsView | None:
        try:
            return cls(master_path, parent, passphrase=passphrase)
        except InspectorError as exc:
            ErrorDialog.ask(
                parent,
                QCoreApplication.translate("ConflictsView", "Cannot show the conflicts"),
                str(exc),
            )
            return None

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        base = self.font()
        muted = f"color: {css_color(muted_text(self))};"
        heading = QLabel(self.tr("Conflicts to settle"))
        heading.setFont(heading_font(base, 1.35))
        heading.setAccessibleName(heading.text())
        self.count_label = QLabel(self.tr("Loading…"))
        self.count_label.setAccessibleName(self.tr("Open conflicts"))
        self.count_label.setFont(heading_font(base, 1.1, bold=False))
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setAccessibleName(self.tr("Refresh the conflicts"))
        self.refresh_button.setToolTip(self.tr("Read the conflicts again (F5)"))
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(int(char_width(self) * 2))
        top.addWidget(self.count_label)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        intro = QLabel(
            self.tr(
                "Two people changed the same answer differently, and nothing is "
                "overwritten until you decide. Take one person's answer or enter "
                "another; each needs a reason, which is kept in the answer's history."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(muted)
        intro.setAccessibleName(intro.text())

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Open conflicts"))
        self.table.setAccessibleDescription(
            self.tr(
                "Use the arrow keys to choose a conflict; Alt+1 or Alt+2 takes that person's answer"
            )
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ConflictListModel.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.detail = ConflictDetail()
        self.detail.another_button.clicked.connect(self.enter_another)

        self.agreement = AgreementView()

        lists = QSplitter(Qt.Orientation.Horizontal)
        lists.addWidget(self.table)
        lists.addWidget(self.detail)
        lists.setStretchFactor(0, 2)
        lists.setStretchFactor(1, 3)
        lists.setChildrenCollapsible(False)
        self.splitter = lists

        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setAccessibleName(self.tr("Close the Conflicts window"))
        self.close_button.setToolTip(self.tr("Close this window (Esc)"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)

        # The agreement below the conflicts, in a splitter of its own: on a small screen the
        # lead gives the conflicts the room and the agreement what is left, or the other way.
        parts = QSplitter(Qt.Orientation.Vertical)
        parts.addWidget(lists)
        parts.addWidget(self.agreement)
        parts.setStretchFactor(0, 1)
        parts.setStretchFactor(1, 0)
        parts.setChildrenCollapsible(False)
        self.parts = parts

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(parts, 1)
        layout.addLayout(bottom)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for number in range(1, MAX_HEAD_SHORTCUTS + 1):
            QShortcut(
                QKeySequence(f"Alt+{number}"),
                self,
                lambda n=number: self.take_head(n - 1),
                context=context,
            )
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh, context=context
        )
        # A window of its own: Esc and Ctrl+W (the platform's Close) close it, as its
        # button does.
        close_on_keys(self, self.close)
        self.setTabOrder(self.refresh_button, self.table)
        self.setTabOrder(self.table, self.detail.answers_area)
        self.setTabOrder(self.detail.answers_area, self.detail.another_button)
        self.setTabOrder(self.detail.another_button, self.agreement)
        self.setTabOrder(self.agreement, self.close_button)
        self.detail.show_empty(self.tr("Loading the conflicts…"))
        fm = self.fontMetrics()
        width, height = int(char_width(self) * 150), fm.height() * 56
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:  # never taller or wider than the screen it opens on
            width = min(width, int(screen.width() * 0.95))
            height = min(height, int(screen.height() * 0.9))
        self.resize(width, height)
        keep_geometry(self, "conflicts")
        self.table.setFocus()

    # -- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the conflicts and the agreement again, off the UI thread."""
        if self._closed or self.file is None:
            return
        self._load_token += 1
        token = self._load_token
        path, passphrase = self.path, self._passphrase
        run_in_background(
            lambda: load_conflicts(path, passphrase),
            lambda snapshot: self._loaded(token, snapshot),
            lambda exc: self._loaded(token, ConflictsSnapshot(error=str(exc))),
        )

    def _loaded(self, token: int, snapshot: ConflictsSnapshot) -> None:
        if self._closed or token != self._load_token:
            return  # closed, or a newer read is on its way
        if snapshot.error:
            self.count_label.setText(self.tr("Could not be read"))
            ErrorDialog.ask(self, self.tr("Cannot list the conflicts"), snapshot.error)
            return
        current = self.current_conflict()
        row = self.table.currentIndex().row()
        self.model.set_conflicts(snapshot.conflicts)
        self.agreement.set_pairs(snapshot.pairs)
        if current is not None and self.model.row_of(current.record_key) >= 0:
            row = self.model.row_of(current.record_key)
        self._select(row)
        self._show_count()
        self.loaded.emit()

    def current_conflict(self) -> Conflict | None:
        index = self.table.currentIndex()
        return self.model.conflict(index.row()) if index.isValid() else None

    def conflicts(self) -> list[Conflict]:
        return [c for r in range(self.model.rowCount()) if (c := self.model.conflict(r))]

    # -- settling --------------------------------------------------------------------------

    def take_head(self, number: int) -> bool:
        """Settle the selected conflict with the answer of head `number` (0-based), after
        asking for a reason. True if it was settled."""
        conflict = self.current_conflict()
        if conflict is None or not 0 <= number < len(conflict.heads):
            return False
        if not can_settle_here(conflict) or self.file is None:
            return False
        head = conflict.heads[number]
        value = value_text(self.framework, conflict, head.value)
        context = self.tr(
            "{label}, {question_ref}: {title}\n\n{author}'s answer: {value}\nEvidence "
            "note: {value2}"
        ).format(
            label=conflict.label,
            question_ref=question_ref(conflict),
            title=conflict.title,
            author=head.author,
            value=value,
            value2=head.note or "none",
        )
        result = ResolveDialog.ask(
            self,
            title=self.tr("Take {author}'s answer").format(author=head.author),
            context=context,
        )
        if result is None:
            return False
        return self._resolve(conflict, result.reason, take_revision=head.revision_id)

    def enter_another(self) -> bool:
        """Settle the selected conflict with an answer the lead chooses, with a reason."""
        conflict = self.current_conflict()
        if conflict is None or not can_settle_here(conflict) or self.file is None:
            return False
        so_far = "\n".join(
            f"{h.author}: {value_text(self.framework, conflict, h.value)}" for h in conflict.heads
        )
        choices = answer_choices(self.framework, conflict)
        result = ResolveDialog.ask(
            self,
            title=self.tr("Enter another answer"),
            context=self.tr(
                "{label}, {question_ref}: {title}\n\nThe answers so far:\n{so_far}"
            ).format(
                label=conflict.label,
                question_ref=question_ref(conflict),
                title=conflict.title,
                so_far=so_far,
            ),
            choices=choices,
            free_text=choices is None,
        )
        if result is None:
            return False
        return self._resolve(conflict, result.reason, value=result.value)

    def _resolve(
        self,
        conflict: Conflict,
        reason: str,
        *,
        take_revision: str | None = None,
        value: object = None,
    ) -> bool:
        assert self.file is not None and conflict.sample_no is not None
        try:
            changes: Changes = resolve_conflict(
                self.file,
                conflict.sample_no,
                conflict.field,
                value=None if take_revision else value,
                take_revision=take_revision,
                reason=reason,
            )
        except InspectorError as exc:
            ErrorDialog.ask(self, self.tr("Cannot settle the conflict"), str(exc))
            self.refresh()
            return False
        row = self.model.row_of(conflict.record_key)
        self.model.remove(conflict.record_key)
        self._select(row)
        self._show_count()
        self.table.setFocus()
        self.changed.emit(changes)
        self.refresh()
        return True

    # -- showing the selected conflict -----------------------------------------------------

    def _select(self, row: int) -> None:
        count = self.model.rowCount()
        if count == 0:
            self.table.clearSelection()
            self._show_detail(None)
            return
        row = max(0, min(row, count - 1))
        index = self.model.index(row, ConflictListModel.COL_CASE)
        self.table.setCurrentIndex(index)
        self.table.selectRow(row)
        self.table.scrollTo(index)
        self._show_detail(self.model.conflict(row))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self.model.conflict(current.row()) if current.isValid() else None)

    def _show_detail(self, conflict: Conflict | None) -> None:
        if conflict is None:
            self.detail.show_empty(
                self.tr("No open conflicts: every answer has one agreed value.")
                if self.model.rowCount() == 0
                else self.tr("Choose a conflict in the list.")
            )
            return
        settle = can_settle_here(conflict) and self.file is not None
        cards = [
            HeadCard(
                number,
                head,
                value_text(self.framework, conflict, head.value),
                shortcut=f"Alt+{number}" if number <= MAX_HEAD_SHORTCUTS else None,
                can_take=settle,
                parent=self.detail.cards_holder,
            )
            for number, head in enumerate(conflict.heads, start=1)
        ]
        for number, card in enumerate(cards):
            card.take_button.clicked.connect(lambda _=False, n=number: self.take_head(n))
        if conflict.after_resolution:
            change, resolution = conflict.heads[0], conflict.heads[-1]
            explanation = self.tr(
                "{author} changed this after {author2} settled it. The figures use "
                "the change; take one answer to confirm it."
            ).format(author=change.author, author2=resolution.author)
        else:
            explanation = self.tr(
                "{heads} different answers. Until settled, the figures use one of "
                "them and mark the result as disputed."
            ).format(heads=len(conflict.heads))
        if settle:
            hint = self.tr("Alt+1, Alt+2… takes that answer; each asks for a reason.")
        elif self.file is None:
            hint = self.tr("The file is closed; reload to settle conflicts.")
        else:
            hint = self.tr("This kind of conflict cannot be settled here.")
        self.detail.show_conflict(
            f"{conflict.label} · {question_ref(conflict)}",
            conflict.title,
            explanation,
            cards,
            hint,
        )
        self.detail.another_button.setEnabled(settle)
        # Tab goes from the list over the answers through each one's Take button, as they
        # read left to right, to Enter another answer.
        previous: QWidget = self.detail.answers_area
        for card in cards:
            QWidget.setTabOrder(previous, card.take_button)
            previous = card.take_button
        QWidget.setTabOrder(previous, self.detail.another_button)

    def _show_count(self) -> None:
        count = self.model.rowCount()
        text = self.tr("None open") if count == 0 else self.tr("{count} open").format(count=count)
        self.count_label.setText(text)
        self.count_label.setAccessibleName(self.tr("Open conflicts: {count}").format(count=count))
        self.countChanged.emit(count)

    # -- the file's lifetime ---------------------------------------------------------------

    def close_file(self) -> None:
        """Let go of the file (before an undo replaces it); `reload` opens it again."""
        if self.file is not None:
            self.file.close()
            self.file = None
        self._load_token += 1  # answers of reads in flight are no longer wanted
        self._show_detail(self.current_conflict())

    def reload(self) -> None:
        """Open the file again (after a merge or an undo elsewhere) and re-read it."""
        if self._closed:
            return
        if self.file is not None:
            self.file.close()
        self.file = None
        try:
            self.file = InspectionFile.open(
                self.path, passphrase=self._passphrase, track_session=False, checked=True
            )
        except InspectorError as exc:
            ErrorDialog.ask(self, self.tr("Cannot open the file again"), str(exc))
            self._show_detail(self.current_conflict())
            return
        self.framework = self.file.framework
        self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        self.close_file()
        super().closeEvent(event)
