"""The report's narrative, as the lead writes it: the headline judgement, the foreword, the
strengths and areas for improvement (proposed from the figures, then kept, edited, reordered or
removed), the numbered recommendations, each chapter's commentary, and "final".

`NarrativeEditor` is the controller: every change goes through `core.narrative` as a revision,
with the case review's autosave promise: list changes and "final" are saved at once; typed
text is saved after a short pause, and at once when the user moves elsewhere (another field,
tab or chapter, generating the report, closing the file). `ListEditor` and
`NarrativeListModel` lay out and hold one list; they ask, the editor decides.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRegularExpression,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.app.lead import load_findings
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import Findings
from inspector_app.core.narrative.parts import (
    CONCERNS,
    FOREWORD,
    HEADLINE,
    JUDGEMENT,
    RECOMMENDATIONS,
    REPORT_DATE,
    STRENGTHS,
    Narrative,
    NarrativeItem,
    add_item,
    chapter_part,
    edit_item,
    keep_items,
    load_narrative,
    move_item,
    refresh_proposals,
    remove_item,
    restore_proposal,
    set_text,
)
from inspector_app.core.plural import counted
from inspector_app.core.report.data import CONCERNS_INTRO, STRENGTHS_INTRO, ReportSettings
from inspector_app.core.report.publication_gate import (
    mark_draft,
    mark_final,
    publication_blockers,
)
from inspector_app.core.report.settings import load_report_settings
from inspector_app.gui import spell_check
from inspector_app.gui.autosave import PendingText
from inspector_app.gui.background import run_in_background
from inspector_app.gui.matter_panel import MatterPanel
from inspector_app.gui.practice_examples_panel import PracticeExamplesPanel
from inspector_app.gui.report_settings_dialog import PublicationBlockedDialog
from inspector_app.gui.session import (
    FAILED,
    PENDING,
    SAVE_ERRORS,
    SAVED,
    SaveState,
)
from inspector_app.gui.style import char_width, css_color, heading_font, muted_text
from inspector_app.gui.table_model import HeaderedTableModel
from inspector_app.gui.translation import QT_TRANSLATE_NOOP
from inspector_app.gui.wrapping_tabs import WrappingTabBar

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()

# Marked for the catalogue here, translated where shown.
MONTH_HINT = QT_TRANSLATE_NOOP(
    "narrative_editor", "Year and month; leave empty for the month fieldwork ended"
)
EDITED = QT_TRANSLATE_NOOP("narrative_editor", "Edited")
PROPOSED = QT_TRANSLATE_NOOP("narrative_editor", "Proposed")
ADDED = QT_TRANSLATE_NOOP("narrative_editor", "Added")
KEPT = QT_TRANSLATE_NOOP("narrative_editor", "Kept as written")

PART_TITLES = {
    JUDGEMENT: QT_TRANSLATE_NOOP("narrative_editor", "Headline judgement"),
    HEADLINE: QT_TRANSLATE_NOOP("narrative_editor", "Press headline"),
    FOREWORD: QT_TRANSLATE_NOOP("narrative_editor", "Foreword"),
    REPORT_DATE: QT_TRANSLATE_NOOP("narrative_editor", "Month of publication"),
    STRENGTHS: QT_TRANSLATE_NOOP("narrative_editor", "Strengths"),
    CONCERNS: QT_TRANSLATE_NOOP("narrative_editor", "Areas for improvement"),
    RECOMMENDATIONS: QT_TRANSLATE_NOOP("narrative_editor", "Recommendations"),
}


def month_hint() -> str:
    return QCoreApplication.translate("narrative_editor", MONTH_HINT)


def source_name(code: str) -> str:
    """A proposal's source as the lead reads it: a question ("B2.1"), or a criterion's
    sub-group figure ("1.3, a sub-group": its code is "1.3@sub-group-name")."""
    criterion, at, _ = code.partition("@")
    return (
        QCoreApplication.translate("narrative_editor", "{criterion}, a sub-group").format(
            criterion=criterion
        )
        if at
        else code
    )


def source_text(item: NarrativeItem) -> str:
    """Where an item came from, in words (so "edited" never rests on colour or an icon)."""
    if item.source_code and item.edited:
        return QCoreApplication.translate(
            "narrative_editor", "{EDITED} (proposed from {source_name})"
        ).format(
            EDITED=QCoreApplication.translate("narrative_editor", EDITED),
            source_name=source_name(item.source_code),
        )
    if item.source_code and item.kept:
        return QCoreApplication.translate(
            "narrative_editor", "{KEPT} (proposed from {source_name})"
        ).format(
            KEPT=QCoreApplication.translate("narrative_editor", KEPT),
            source_name=source_name(item.source_code),
        )
    if item.source_code:
        return QCoreApplication.translate(
            "narrative_editor", "{PROPOSED} from {source_name}"
        ).format(
            PROPOSED=QCoreApplication.translate("narrative_editor", PROPOSED),
            source_name=source_name(item.source_code),
        )
    return QCoreApplication.translate("narrative_editor", ADDED)


def part_title(part: str) -> str:
    if part.startswith("chapter:"):
        return QCoreApplication.translate(
            "narrative_editor", "Chapter {removeprefix} commentary"
        ).format(removeprefix=part.removeprefix("chapter:"))
    if part in PART_TITLES:
        return QCoreApplication.translate("narrative_editor", PART_TITLES[part])
    return part


# -- one list ---------------------------------------------------------------------------------


class NarrativeListModel(HeaderedTableModel):
    """The items of one list part, in reading order. Editing an item's text asks for the
    change (`textEdited`); the editor saves it and gives the model the saved list back."""

    COL_TEXT = 0
    COL_SOURCE = 1

    ItemIdRole = Qt.ItemDataRole.UserRole + 1
    SourceCodeRole = Qt.ItemDataRole.UserRole + 2  # the question a proposal came from, or None
    EditedRole = Qt.ItemDataRole.UserRole + 3  # True once a person changed the text
    ItemRole = Qt.ItemDataRole.UserRole + 4  # the NarrativeItem

    HEADERS = (
        QT_TRANSLATE_NOOP("NarrativeListModel", "Text"),
        QT_TRANSLATE_NOOP("NarrativeListModel", "Source"),
    )

    textEdited = Signal(str, str)  # item id, new text

    def __init__(self, numbered: bool = False, parent: Any = None) -> None:
        super().__init__(parent)
        self.numbered = numbered
        self._items: list[NarrativeItem] = []

    def items(self) -> list[NarrativeItem]:
        return list(self._items)

    def item(self, row: int) -> NarrativeItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, item_id: str) -> int:
        for row, item in enumerate(self._items):
            if item.id == item_id:
                return row
        return -1

    def set_items(self, items: Sequence[NarrativeItem]) -> None:
        """Show `items`; when only texts changed, only those rows are redrawn."""
        items = list(items)
        if [i.id for i in items] != [i.id for i in self._items]:
            self.beginResetModel()
            self._items = items
            self.endResetModel()
            return
        for row, (old, new) in enumerate(zip(self._items, items, strict=True)):
            if old != new:
                self._items[row] = new
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.COLUMN_COUNT - 1))

    # -- Qt model interface ----------------------------------------------------------------

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._items)

    def row_header(self, section: int) -> Any:
        if 0 <= section < len(self._items):
            return f"{section + 1}." if self.numbered else "•"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        if index.column() == self.COL_TEXT:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return item.text if column == self.COL_TEXT else source_text(item)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == self.COL_TEXT:
                number = f"{index.row() + 1}. " if self.numbered else ""
                return f"{number}{item.text}"
            return source_text(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_SOURCE:
                if item.edited and item.source_code:
                    return self.tr(
                        "You changed this proposal: refreshing the proposals keeps it as is"
                    )
                if item.kept and item.source_code:
                    return self.tr(
                        "You kept this proposal as written; if a refresh words it "
                        "differently, it is to be read again"
                    )
                if item.source_code:
                    return self.tr(
                        "Drafted from the figures of {source_name}; refreshing the "
                        "proposals updates it until you edit it"
                    ).format(source_name=source_name(item.source_code))
                return self.tr("Written in the report; refreshing the proposals keeps it")
            return item.text
        if role == self.ItemIdRole:
            return item.id
        if role == self.SourceCodeRole:
            return item.source_code
        if role == self.EditedRole:
            return item.edited
        if role == self.ItemRole:
            return item
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or index.column() != self.COL_TEXT
            or not 0 <= index.row() < len(self._items)
        ):
            return False
        text = str(value or "").strip()
        item = self._items[index.row()]
        if not text or text == item.text:
            return False  # an emptied item is removed with Remove, never by clearing it
        self.textEdited.emit(item.id, text)
        return True


class ListEditor(QWidget):
    """One list (strengths, areas for improvement or recommendations): the items, and buttons
    to edit, reorder, remove and add. Layout only; it asks through its signals."""

    editRequested = Signal(str, str)  # item id, text
    moveRequested = Signal(str, int)  # item id, new position
    removeRequested = Signal(str)  # item id
    keepRequested = Signal(str)  # item id of a proposal kept as written
    addRequested = Signal(str)  # text
    refreshRequested = Signal()
    restoreRequested = Signal(str)  # question code of a removed proposal

    def __init__(
        self,
        part: str,
        intro: str,
        *,
        numbered: bool = False,
        proposals: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.part = part
        title = part_title(part)
        self.setAccessibleName(title)
        self.model = NarrativeListModel(numbered, self)
        self.model.textEdited.connect(self.editRequested)
        muted = f"color: {css_color(muted_text(self))};"

        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.intro.setFont(heading_font(self.font(), 1.05))
        self.intro.setAccessibleName(intro)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(title)
        self.table.setAccessibleDescription(
            self.tr("F2 edits the chosen item; Ctrl+Up and Ctrl+Down move it; Delete removes it")
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setAccessibleName(self.tr("Item numbers"))
        header = self.table.horizontalHeader()
        header.setAccessibleName(self.tr("{title} columns").format(title=title))
        header.setSectionResizeMode(NarrativeListModel.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        # Where an item came from is a short note beside it, wrapped to a few words a line:
        # the item's own text has the width (on a 1024-wide laptop it had a sixth of it).
        header.setSectionResizeMode(NarrativeListModel.COL_SOURCE, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(NarrativeListModel.COL_SOURCE, int(char_width(self) * 16))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)

        self.edit_button = self._button(
            self.tr("Edit te&xt"), self.tr("Edit the chosen item's text (F2)"), self.edit
        )
        self.up_button = self._button(
            self.tr("Move &up"), self.tr("Move the chosen item up (Ctrl+Up)"), self.up
        )
        self.down_button = self._button(
            self.tr("Move dow&n"), self.tr("Move the chosen item down (Ctrl+Down)"), self.down
        )
        self.remove_button = self._button(
            self.tr("&Remove"),
            self.tr("Remove the chosen item (Delete); a removed proposal is not proposed again"),
            self.remove,
        )
        self.keep_button: QPushButton | None = None
        buttons = QVBoxLayout()
        if proposals:
            self.keep_button = self._button(
                self.tr("&Keep as written"),
                self.tr(
                    "Keep the chosen proposal in the app's words, once you have read it (Ctrl+K)"
                ),
                self.keep,
            )
            buttons.addWidget(self.keep_button)
        for button in (self.edit_button, self.up_button, self.down_button, self.remove_button):
            buttons.addWidget(button)
        self.restore_button: QToolButton | None = None
        self.refresh_button: QPushButton | None = None
        if proposals:
            self.restore_button = QToolButton()
            self.restore_button.setText(self.tr("Restore remo&ved…"))
            self.restore_button.setAccessibleName(self.tr("Restore a removed proposal"))
            self.restore_button.setToolTip(self.tr("Let a proposal you removed be proposed again"))
            self.restore_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            self.restore_menu = QMenu(self.restore_button)
            self.restore_button.setMenu(self.restore_menu)
            buttons.addWidget(self.restore_button)
        buttons.addStretch(1)

        rows = QHBoxLayout()
        rows.addWidget(self.table, 1)
        rows.addLayout(buttons)

        self.add_edit = QLineEdit()
        self.add_edit.setAccessibleName(self.tr("New item for {lower}").format(lower=title.lower()))
        self.add_edit.setPlaceholderText(self.tr("Write a new item and press Enter"))
        self.add_edit.returnPressed.connect(self.add)
        self.add_button = self._button(
            self.tr("&Add"), self.tr("Add the new item at the end of the list"), self.add
        )
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_edit, 1)
        add_row.addWidget(self.add_button)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.intro, 1)
        if proposals:
            self.refresh_button = self._button(
                self.tr("Refresh proposals from &the figures"),
                self.tr(
                    "Draft the proposals again from the current figures; items you "
                    "edited or added are kept as they are"
                ),
                self.refreshRequested.emit,
            )
            top.addWidget(self.refresh_button)
        layout.addLayout(top)
        if proposals:
            hint = QLabel(
                self.tr(
                    "Proposed items are drafted from the highest-scoring (strengths) and "
                    "lowest-scoring (areas for improvement) questions. Read each, then keep it "
                    "as written, edit it or remove it: an edited item is never replaced by a "
                    "refresh, a kept one is to be read again if a refresh words it differently."
                )
            )
            hint.setWordWrap(True)
            hint.setStyleSheet(muted)
            hint.setAccessibleName(hint.text())
            layout.addWidget(hint)
        layout.addLayout(rows, 1)
        layout.addLayout(add_row)

        context = Qt.ShortcutContext.WidgetShortcut
        for keys, slot in (
            ("Ctrl+Up", self.up),
            ("Ctrl+Down", self.down),
            ("Ctrl+K", self.keep),
            (QKeySequence.StandardKey.Delete, self.remove),
        ):
            QShortcut(QKeySequence(keys), self.table, slot, context=context)
        self.setTabOrder(self.table, self.edit_button)
        self._update_buttons()

    def _button(self, text: str, tip: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- showing ---------------------------------------------------------------------------

    def set_items(self, items: Sequence[NarrativeItem], dismissed: Sequence[str] = ()) -> None:
        current = self.current_item()
        self.model.set_items(items)
        if current is not None and self.model.row_of(current.id) >= 0:
            self.select_id(current.id)
        elif self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, NarrativeListModel.COL_TEXT))
        self.table.resizeRowsToContents()
        if self.restore_button is not None:
            self.restore_menu.clear()
            for code in dismissed:
                action = self.restore_menu.addAction(
                    self.tr("Proposal from question {code}").format(code=code)
                )
                action.triggered.connect(lambda _c=False, c=code: self.restoreRequested.emit(c))
            self.restore_button.setEnabled(bool(dismissed))
        self._update_buttons()

    def current_item(self) -> NarrativeItem | None:
        index = self.table.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def select_id(self, item_id: str) -> None:
        row = self.model.row_of(item_id)
        if row >= 0:
            index = self.model.index(row, NarrativeListModel.COL_TEXT)
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def set_busy(self, busy: bool) -> None:
        if self.refresh_button is not None:
            self.refresh_button.setEnabled(not busy)

    def _update_buttons(self) -> None:
        index = self.table.currentIndex()
        row = index.row() if index.isValid() else -1
        count = self.model.rowCount()
        self.edit_button.setEnabled(row >= 0)
        self.remove_button.setEnabled(row >= 0)
        if self.keep_button is not None:
            item = self.model.item(row) if row >= 0 else None
            self.keep_button.setEnabled(item is not None and not item.reviewed)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)

    # -- asking ----------------------------------------------------------------------------

    def edit(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            index = self.model.index(index.row(), NarrativeListModel.COL_TEXT)
            self.table.setCurrentIndex(index)
            self.table.edit(index)

    def up(self) -> None:
        self._move(-1)

    def down(self) -> None:
        self._move(+1)

    def _move(self, delta: int) -> None:
        item = self.current_item()
        if item is None:
            return
        position = self.model.row_of(item.id) + delta
        if 0 <= position < self.model.rowCount():
            self.moveRequested.emit(item.id, position)

    def remove(self) -> None:
        item = self.current_item()
        if item is not None:
            self.removeRequested.emit(item.id)

    def keep(self) -> None:
        """Keep the chosen proposal as written, then go to the next one still to read."""
        item = self.current_item()
        if item is not None and not item.reviewed:
            self.keepRequested.emit(item.id)
            later = range(self.model.row_of(item.id) + 1, self.model.rowCount())
            following = next((r for r in later if not (self.model.item(r) or item).reviewed), None)
            if following is not None:
                self.table.setCurrentIndex(self.model.index(following, NarrativeListModel.COL_TEXT))

    def add(self) -> None:
        text = self.add_edit.text().strip()
        if text:
            self.addRequested.emit(text)


# -- the editor --------------------------------------------------------------------------------


# How many times the list of what blocks the final report is shown again while its points
# change under it (a merge elsewhere) before the report simply stays a draft.
_LISTS_AT_MOST = 5


class NarrativeEditor(QWidget):
    """The whole narrative of one master, saved through `core.narrative` as the lead edits."""

    saveStateChanged = Signal(str)  # SAVED / PENDING / FAILED, as the case review's session
    failed = Signal(str)  # a message fit to show the user
    changed = Signal()  # something was saved: a generated report is now out of date
    message = Signal(str)  # a short note for the status bar
    refreshed = Signal()  # proposals refreshed from the figures

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Report narrative"))
        self.file: InspectionFile | None = None
        self._draft_when_shown = False  # a file was set whose lists may need drafting
        self.path: Path | None = None
        self._passphrase: str | None = None
        self.narrative = Narrative()
        self.include_in_progress = False  # for the figures the proposals are drafted from
        self.text: PendingText[str, str] = PendingText(self._save_part, self)
        self._loading = False
        self._refresh_token = 0
        self._refreshing = False
        self.state = SAVED
        self.settings = ReportSettings()
        self._build()
        self._set_enabled(False)

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        base = self.font()
        muted = f"color: {css_color(muted_text(self))};"
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Parts of the report"))
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(lambda _i: self.flush())

        # Summary: judgement, press headline, month, foreword
        summary = QWidget()
        summary.setAccessibleName(self.tr("Summary"))
        form = QFormLayout(summary)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.judgement_before = QLabel()
        self.judgement_before.setWordWrap(True)
        self.judgement_edit = QLineEdit()
        self.judgement_edit.setAccessibleName(self.tr("Headline judgement"))
        self.judgement_edit.setPlaceholderText(self.tr("e.g. good, reasonable, poor"))
        self.judgement_edit.setToolTip(
            self.tr("The word in the headline judgement: the work was of a ___ standard")
        )
        judgement_after = QLabel(self.tr("standard."))
        # The sentence's start (with the organisation's name, however long) above the field,
        # so the field keeps its width on a small screen.
        judgement_line = QHBoxLayout()
        judgement_line.addWidget(self.judgement_edit, 1)
        judgement_line.addWidget(judgement_after)
        judgement_row = QVBoxLayout()
        judgement_row.setSpacing(2)
        judgement_row.addWidget(self.judgement_before)
        judgement_row.addLayout(judgement_line)
        judgement_label = QLabel(self.tr("&Judgement:"))
        judgement_label.setBuddy(self.judgement_edit)
        form.addRow(judgement_label, judgement_row)
        # A rated framework's verdict is its overall rating: the row is hidden for it.
        self._summary_form, self._judgement_label = form, judgement_label

        self.headline_edit = QLineEdit()
        self.headline_edit.setAccessibleName(self.tr("Press headline"))
        self.headline_edit.setPlaceholderText(self.tr("e.g. working well to protect the public"))
        self.headline_edit.setToolTip(
            self.tr("The press release headline, after the organisation's name")
        )
        self.headline_before = QLabel()
        self.headline_before.setWordWrap(True)
        headline_row = QVBoxLayout()
        headline_row.setSpacing(2)
        headline_row.addWidget(self.headline_before)
        headline_row.addWidget(self.headline_edit)
        headline_label = QLabel(self.tr("Press hea&dline:"))
        headline_label.setBuddy(self.headline_edit)
        form.addRow(headline_label, headline_row)

        self.month_edit = QLineEdit()
        self.month_edit.setAccessibleName(self.tr("Month of publication, as year and month"))
        self.month_edit.setPlaceholderText(self.tr("e.g. 2027-02"))
        self.month_edit.setMinimumWidth(round(char_width(self) * 14))
        self.month_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{0,4}(-\d{0,2})?"), self)
        )
        self.month_hint = QLabel(month_hint())
        self.month_hint.setWordWrap(True)
        self.month_hint.setStyleSheet(muted)
        self.month_hint.setAccessibleName(self.tr("About the month"))
        month_row = QHBoxLayout()
        month_row.addWidget(self.month_edit)
        month_row.addWidget(self.month_hint, 1)
        month_label = QLabel(self.tr("&Month:"))
        month_label.setBuddy(self.month_edit)
        form.addRow(month_label, month_row)

        self.foreword_edit = QPlainTextEdit()
        self.foreword_edit.setAccessibleName(self.tr("Foreword"))
        self.foreword_edit.setPlaceholderText(
            self.tr("The Chief Inspector's foreword. Leave a blank line between paragraphs.")
        )
        self.foreword_edit.setTabChangesFocus(True)
        spell_check.attach_when_shown(self.foreword_edit)
        foreword_label = QLabel(self.tr("Fo&reword:"))
        foreword_label.setBuddy(self.foreword_edit)
        form.addRow(foreword_label, self.foreword_edit)
        self.conflict_note = QLabel()
        self.conflict_note.setWordWrap(True)
        self.conflict_note.setAccessibleName(self.tr("Parts written differently by two people"))
        self.conflict_note.hide()
        form.addRow(self.conflict_note)
        self.tabs.addTab(summary, self.tr("Summary"))

        self.lists: dict[str, ListEditor] = {
            STRENGTHS: ListEditor(STRENGTHS, STRENGTHS_INTRO, proposals=True),
            CONCERNS: ListEditor(CONCERNS, CONCERNS_INTRO, proposals=True),
            RECOMMENDATIONS: ListEditor(
                RECOMMENDATIONS,
                self.tr("Recommendations, numbered in this order:"),
                numbered=True,
            ),
        }
        for part, editor in self.lists.items():
            editor.editRequested.connect(lambda i, t, p=part: self.edit_item(p, i, t))
            editor.moveRequested.connect(lambda i, n, p=part: self.move_item(p, i, n))
            editor.removeRequested.connect(lambda i, p=part: self.remove_item(p, i))
            editor.keepRequested.connect(lambda i, p=part: self.keep_item(p, i))
            editor.addRequested.connect(lambda t, p=part: self.add_item(p, t))
            editor.restoreRequested.connect(lambda c, p=part: self.restore(p, c))
            editor.refreshRequested.connect(self.refresh_proposals)
            self.tabs.addTab(editor, part_title(part))

        # Chapters: one commentary per framework section with figures
        chapters = QWidget()
        chapters.setAccessibleName(self.tr("Chapter commentary"))
        chapter_layout = QVBoxLayout(chapters)
        self.chapter_combo = QComboBox()
        self.chapter_combo.setAccessibleName(self.tr("Chapter"))
        self.chapter_combo.currentIndexChanged.connect(self._chapter_chosen)
        chapter_label = QLabel(self.tr("Chap&ter:"))
        chapter_label.setBuddy(self.chapter_combo)
        chapter_row = QHBoxLayout()
        chapter_row.addWidget(chapter_label)
        chapter_row.addWidget(self.chapter_combo, 1)
        chapter_hint = QLabel(
            self.tr(
                "Printed in the chapter after its figures and drafted findings. Leave a "
                "blank line between paragraphs."
            )
        )
        chapter_hint.setWordWrap(True)
        chapter_hint.setStyleSheet(muted)
        chapter_hint.setAccessibleName(chapter_hint.text())
        self.chapter_edit = QPlainTextEdit()
        self.chapter_edit.setAccessibleName(self.tr("Chapter commentary"))
        self.chapter_edit.setPlaceholderText(
            self.tr("The lead's commentary on this chapter (optional)")
        )
        self.chapter_edit.setTabChangesFocus(True)
        spell_check.attach_when_shown(self.chapter_edit)
        chapter_layout.addLayout(chapter_row)
        chapter_layout.addWidget(chapter_hint)
        chapter_layout.addWidget(self.chapter_edit, 1)
        self.tabs.addTab(chapters, self.tr("Chapters"))

        self.examples_panel = PracticeExamplesPanel()
        self.tabs.addTab(self.examples_panel, self.tr("Practice examples"))

        self.matter_panel = MatterPanel()
        self.matter_panel.edited.connect(lambda: self._set_state(PENDING))
        self.matter_panel.saved.connect(self._matter_saved)
        self.tabs.addTab(self.matter_panel, self.tr("Matter"))
        for index in range(self.tabs.count()):
            self.tabs.setTabToolTip(index, self.tabs.tabText(index))
        # The parts' names wrap onto a second row on a narrow screen instead of scrolling.
        self.parts = WrappingTabBar(self.tabs)

        self.final_box = QCheckBox(self.tr("Mar&k as final"))
        self.final_box.setAccessibleName(self.tr("Mark the report as final"))
        self.final_box.setToolTip(
            self.tr(
                "A final report prints without the DRAFT watermark, placeholders and "
                "notes on proposed text. Refused, listing what to settle, until the "
                "report may be published"
            )
        )
        self.final_box.toggled.connect(self._final_toggled)
        self.final_state = QLabel()
        self.final_state.setAccessibleName(self.tr("Report state"))
        self.final_state.setStyleSheet(muted)
        heading = QLabel(self.tr("Report narrative"))
        heading.setFont(heading_font(base, 1.25))
        heading.setAccessibleName(heading.text())
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.final_state)
        top.addWidget(self.final_box)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.parts)
        layout.addWidget(self.tabs, 1)

        self._texts: dict[str, QLineEdit | QPlainTextEdit] = {
            JUDGEMENT: self.judgement_edit,
            HEADLINE: self.headline_edit,
            REPORT_DATE: self.month_edit,
            FOREWORD: self.foreword_edit,
        }
        for part, widget in self._texts.items():
            widget.textChanged.connect(lambda *_a, p=part: self._typed(p))
            widget.installEventFilter(self)
            if isinstance(widget, QLineEdit):
                widget.editingFinished.connect(self.flush)
        self.chapter_edit.textChanged.connect(self._chapter_typed)
        self.chapter_edit.installEventFilter(self)
        self.setMinimumWidth(round(char_width(self) * 60))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and self.text:
            QTimer.singleShot(0, self.flush)  # the user moved on: save now
        return False

    def _set_enabled(self, enabled: bool) -> None:
        self.tabs.setEnabled(enabled)
        self.final_box.setEnabled(enabled)

    # -- the file --------------------------------------------------------------------------

    def set_file(self, file: InspectionFile | None, passphrase: str | None = None) -> None:
        """Edit this master's narrative (None: nothing; pending text must be flushed first)."""
        self.text.clear()
        self._refresh_token += 1
        self._refreshing = False
        self.file = file
        self.examples_panel.set_file(file)
        self.matter_panel.set_file(file)
        self.path = Path(file.path) if file is not None else None
        self._passphrase = passphrase
        for editor in self.lists.values():
            editor.set_busy(False)
        self._set_enabled(file is not None)
        if file is None:
            self.narrative = Narrative()
            self._fill()
            return
        organisation = file.inspection.organisation
        self.settings = load_report_settings(file)
        self.judgement_before.setText(
            self.tr("{capitalize} in {organisation} was of a").format(
                capitalize=self.settings.work_phrase.capitalize(), organisation=organisation
            )
        )
        self.headline_before.setText(organisation)
        self._summary_form.setRowVisible(self._judgement_label, file.framework.ratings is None)
        self._loading = True
        try:
            self.chapter_combo.clear()
            for criterion in file.framework.criteria():
                self.chapter_combo.addItem(f"{criterion.code}  {criterion.title}", criterion.code)
        finally:
            self._loading = False
        self.narrative = load_narrative(file)
        self._fill()
        self._set_state(SAVED)
        self._draft_when_shown = True
        if self.isVisible():
            self._draft_if_never_drafted()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._draft_if_never_drafted()

    def _draft_if_never_drafted(self) -> None:
        """The first time the lead looks at a narrative whose lists were never drafted, the
        proposals are drafted (as the report shows them), to accept, edit or remove. Only
        when shown: opening a master, or reopening it after a merge, writes nothing."""
        if not self._draft_when_shown or self.file is None:
            return
        self._draft_when_shown = False
        if not any(self.narrative.has(part) for part in (STRENGTHS, CONCERNS)):
            self.refresh_proposals()

    def reload(self) -> None:
        """Read the narrative again (after a merge brought parts written elsewhere)."""
        if self.file is not None and self.flush():
            self.narrative = load_narrative(self.file)
            self._fill()

    def _fill(self) -> None:
        narrative = self.narrative
        self._loading = True
        try:
            for part, widget in self._texts.items():
                text = narrative.text(part)
                if isinstance(widget, QPlainTextEdit):
                    if widget.toPlainText() != text:
                        widget.setPlainText(text)
                elif widget.text() != text:
                    widget.setText(text)
            self._fill_chapter()
            self.final_box.setChecked(narrative.final)
        finally:
            self._loading = False
        self._show_final(narrative.final)
        self._fill_lists()
        self._show_conflicts()
        self.month_hint.setText(month_hint())

    def _fill_lists(self) -> None:
        for part, editor in self.lists.items():
            editor.set_items(self.narrative.items(part), self.narrative.dismissed.get(part, ()))

    def _fill_chapter(self) -> None:
        code = self.chapter_combo.currentData()
        text = self.narrative.chapter(code) if code else ""
        was = self._loading
        self._loading = True
        try:
            if self.chapter_edit.toPlainText() != text:
                self.chapter_edit.setPlainText(text)
        finally:
            self._loading = was

    def _show_final(self, final: bool) -> None:
        self.final_state.setText(self.tr("Final") if final else self.tr("Draft"))
        self.final_state.setAccessibleDescription(
            self.tr("The report is final") if final else self.tr("The report is a draft")
        )

    def _show_conflicts(self) -> None:
        conflicted = sorted(self.narrative.conflicted)
        if not conflicted:
            self.conflict_note.hide()
            return
        names = ", ".join(part_title(p).lower() for p in conflicted if "." not in p)
        self.conflict_note.setText(
            self.tr(
                "Two people wrote different versions of: {names}. The newest is shown; "
                "saving an edit to it settles the difference."
            ).format(names=names)
        )
        self.conflict_note.show()

    # -- typed text (saved after a pause, or when the user moves on) -----------------------

    def _typed(self, part: str) -> None:
        if self._loading or self.file is None:
            return
        widget = self._texts[part]
        text = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
        if part == REPORT_DATE:
            if text and not QRegularExpression(r"^\d{4}-\d{2}$").match(text).hasMatch():
                self.text.discard(part)
                self.month_hint.setText(self.tr("Not saved until complete: write it as 2027-02"))
                return
            self.month_hint.setText(month_hint())
        self._queue(part, text)

    def _chapter_typed(self) -> None:
        code = self.chapter_combo.currentData()
        if self._loading or self.file is None or not code:
            return
        self._queue(chapter_part(code), self.chapter_edit.toPlainText())

    def _chapter_chosen(self, _index: int) -> None:
        if self._loading:
            return
        self.flush()
        self._fill_chapter()

    def _matter_saved(self) -> None:
        if not self.text and self.state != SAVED:
            self._set_state(SAVED)

    def _queue(self, part: str, text: str) -> None:
        self.text.put(part, text)
        self._set_state(PENDING)

    def has_pending(self) -> bool:
        return bool(self.text) or self.matter_panel.dirty

    def unsaved_text(self) -> list[tuple[str, str]]:
        """The typed text waiting to be saved: each part's title and its text."""
        typed = [(part_title(part), text) for part, text in self.text.items() if text.strip()]
        return typed + self.matter_panel.unsaved()

    def flush(self) -> bool:
        """Save typed text now, the matter's too. False if it could not be saved (it stays
        pending)."""
        if self.file is None:
            return True
        if not self.text.flush() or not self.matter_panel.save_if_edited():
            return False
        if self.state != SAVED:
            self._set_state(SAVED)
        return True

    def _save_part(self, part: str, text: str) -> bool:
        assert self.file is not None
        try:
            self.narrative = set_text(self.file, part, text)
        except SAVE_ERRORS as exc:
            log.exception("saving the narrative failed")
            return self._fail(str(exc))
        self.changed.emit()
        if not self.text and self.state != SAVED:  # the last of it (also on a quiet retry)
            self._set_state(SAVED)
        return True

    # -- list changes and "final" (saved at once) ------------------------------------------

    def _save(self, fn: Callable[[InspectionFile], Narrative], done: str = "") -> bool:
        if self.file is None or not self.flush():
            return False
        try:
            narrative = fn(self.file)
        except SAVE_ERRORS as exc:
            log.exception("saving the narrative failed")
            self._fill_lists()  # show what is stored, not what was asked
            return self._fail(str(exc))
        self.narrative = narrative
        self._fill_lists()
        self._show_final(narrative.final)
        self._show_conflicts()
        self._set_state(SAVED)
        self.changed.emit()
        if done:
            self.message.emit(done)
        return True

    def edit_item(self, part: str, item_id: str, text: str) -> bool:
        return self._save(lambda f: edit_item(f, part, item_id, text))

    def move_item(self, part: str, item_id: str, position: int) -> bool:
        ok = self._save(lambda f: move_item(f, part, item_id, position))
        if ok:
            self.lists[part].select_id(item_id)
        return ok

    def keep_item(self, part: str, item_id: str) -> bool:
        return self._save(lambda f: keep_items(f, part, [item_id]))

    def remove_item(self, part: str, item_id: str) -> bool:
        editor = self.lists[part]
        row = editor.model.row_of(item_id)
        ok = self._save(lambda f: remove_item(f, part, item_id))
        if ok and editor.model.rowCount():
            editor.table.setCurrentIndex(
                editor.model.index(min(row, editor.model.rowCount() - 1), 0)
            )
        return ok

    def add_item(self, part: str, text: str) -> bool:
        ok = self._save(lambda f: add_item(f, part, text))
        if ok:
            editor = self.lists[part]
            editor.add_edit.clear()
            items = self.narrative.items(part)
            if items:
                editor.select_id(items[-1].id)
        return ok

    def restore(self, part: str, code: str) -> bool:
        return self._save(
            lambda f: restore_proposal(f, part, code),
            self.tr(
                "The proposal from {code} may be proposed again: refresh the proposals."
            ).format(code=code),
        )

    def set_final(self, final: bool) -> bool:
        """Mark the report final through the publication gate (a list of what to settle, and
        nothing changed, while anything blocks it; with only cases not complete, the lead may
        give a reason and mark it final anyway), or a draft again (always allowed)."""
        if not final:
            return self._save(lambda f: mark_draft(f))
        if self.file is None or not self.flush():
            return False
        # Read again after each list is closed: a merge elsewhere may have brought a conflict
        # while it was open. Then the list shows again, in the app's words (the refusal's own
        # text is the command line's).
        reason: str | None = None
        for _shown in range(_LISTS_AT_MOST):
            try:
                blockers = publication_blockers(self.file)
            except SAVE_ERRORS as exc:
                log.exception("checking the report failed")
                return self._fail(str(exc))
            if not blockers:
                reason = None  # nothing (left) to override
                break
            if reason is not None and all(b.overridable for b in blockers):
                break
            reason = PublicationBlockedDialog.ask(self, blockers)
            if reason is None:
                self.message.emit(
                    self.tr("The report stays a draft: settle the points listed first.")
                )
                return False
        else:
            return False  # the points keep changing: the report stays a draft for now
        if reason is None:
            return self._save(lambda f: mark_final(f), self.tr("The report is marked final."))
        return self._save(
            lambda f: mark_final(f, override_reason=reason),
            self.tr(
                "The report is marked final with cases not complete; the reason is printed in it."
            ),
        )

    def _final_toggled(self, checked: bool) -> None:
        if self._loading or self.file is None:
            return
        if checked == self.narrative.final:
            return
        if not self.set_final(checked):
            self._loading = True
            self.final_box.setChecked(self.narrative.final)
            self._loading = False

    # -- proposals -------------------------------------------------------------------------

    def refresh_proposals(self) -> bool:
        """Draft the proposals again from the figures (read off the UI thread), keeping every
        edited or added item. False if it cannot start."""
        if self.file is None or self.path is None or self._refreshing or not self.flush():
            return False
        self._refresh_token += 1
        token = self._refresh_token
        path, passphrase = self.path, self._passphrase
        include = self.include_in_progress
        self._refreshing = True
        for editor in self.lists.values():
            editor.set_busy(True)
        self.message.emit(self.tr("Reading the figures to draft the proposals…"))
        run_in_background(
            lambda: load_findings(path, passphrase, include_in_progress=include),
            lambda findings: self._figures_read(token, findings),
            lambda exc: self._figures_failed(token, exc),
        )
        return True

    def is_refreshing(self) -> bool:
        return self._refreshing

    def _figures_read(self, token: int, findings: Findings) -> None:
        if token != self._refresh_token:
            return
        self._refreshing = False
        for editor in self.lists.values():
            editor.set_busy(False)
        cases = findings.cases_counted
        ok = self._save(
            lambda f: refresh_proposals(f, findings),
            counted(
                cases,
                "Proposals drafted from the figures of {n} case; edited and added items are "
                "kept as they were.",
                "Proposals drafted from the figures of {n} cases; edited and added items are "
                "kept as they were.",
            ),
        )
        if ok:
            self.refreshed.emit()

    def _figures_failed(self, token: int, exc: BaseException) -> None:
        if token != self._refresh_token:
            return
        self._refreshing = False
        for editor in self.lists.values():
            editor.set_busy(False)
        self._fail(self.tr("The figures could not be read: {exc}").format(exc=exc))

    # -- state -----------------------------------------------------------------------------

    def _fail(self, message: str) -> bool:
        self._set_state(FAILED)
        if not self.text.retrying:  # told once; a quiet retry that fails again is not news
            self.failed.emit(message)
        self.text.retry_later()
        return False

    def _set_state(self, state: SaveState) -> None:
        self.state = state
        self.saveStateChanged.emit(state)
