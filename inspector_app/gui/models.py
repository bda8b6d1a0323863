"""Thin Qt models over the plain read models: named columns and roles, nothing else.

The case list model filters and sorts itself with precomputed keys instead of going through
QSortFilterProxyModel: a proxy asks Python for every row's data on every keystroke and every
sort comparison, which on a 10,000-case master costs far more than the 50 ms a keystroke may
take. Here a keystroke is one pass over precomputed strings and a model reset; the view then
asks only for the rows it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from inspector_app.app.case_rows import (
    CaseRow,
    SectionProgress,
    filter_tokens,
    matches,
    short_flags,
)
from inspector_app.app.dashboard import CaseScope
from inspector_app.core.cases.case_data import COMPLETE, IN_PROGRESS, NOT_STARTED
from inspector_app.core.cases.history import HistoryEntry
from inspector_app.core.framework import Scale
from inspector_app.core.framework.profile import ROSH_LEVELS
from inspector_app.core.plural import counted
from inspector_app.gui.table_model import HeaderedTableModel
from inspector_app.gui.translation import QT_TRANSLATE_NOOP

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()
_STATUS_ORDER = {NOT_STARTED: 0, IN_PROGRESS: 1, COMPLETE: 2}


class CaseListModel(QAbstractTableModel):
    """The cases of the open file, narrowed to a scope (a figure followed from the overview)
    and by the filter box, and sorted by a column."""

    COL_SAMPLE = 0
    COL_SENTENCE = 1
    COL_ROSH = 2
    COL_TIER = 3
    COL_FLAGS = 4
    COL_ASSESSOR = 5
    COL_STATUS = 6
    COL_PROGRESS = 7
    COLUMN_COUNT = 8

    CaseKeyRole = Qt.ItemDataRole.UserRole + 1
    SummaryRole = Qt.ItemDataRole.UserRole + 2
    StatusRole = Qt.ItemDataRole.UserRole + 3  # NOT_STARTED / IN_PROGRESS / COMPLETE
    FractionRole = Qt.ItemDataRole.UserRole + 4  # progress as 0..1, for the progress column

    HEADERS = (
        QT_TRANSLATE_NOOP("CaseListModel", "Sample"),
        QT_TRANSLATE_NOOP("CaseListModel", "Sentence type"),
        QT_TRANSLATE_NOOP("CaseListModel", "RoSH"),
        QT_TRANSLATE_NOOP("CaseListModel", "Tier"),
        QT_TRANSLATE_NOOP("CaseListModel", "Flags"),
        QT_TRANSLATE_NOOP("CaseListModel", "Assessor"),
        QT_TRANSLATE_NOOP("CaseListModel", "Status"),
        QT_TRANSLATE_NOOP("CaseListModel", "Progress"),
    )

    filterChanged = Signal()  # the visible rows or the counts changed
    scopeChanged = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CaseRow] = []
        self._row_of_key: dict[str, int] = {}  # key -> index in _rows
        self._sorted: list[int] = []  # every row, in the current sort order
        self._visible: list[int] = []  # the rows that pass the filter, in sort order
        self._tokens: tuple[str, ...] = ()
        self._scope: CaseScope | None = None
        self._sort_column = self.COL_SAMPLE
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._counts: dict[str, int] | None = None

    # -- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < self.COLUMN_COUNT:
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate("CaseListModel", self.HEADERS[section])
            if role == Qt.ItemDataRole.TextAlignmentRole and section == self.COL_TIER:
                return int(Qt.AlignmentFlag.AlignCenter)
            if role == Qt.ItemDataRole.ToolTipRole and section == self.COL_PROGRESS:
                return self.tr("Questions answered of those that apply")
            if role == Qt.ItemDataRole.ToolTipRole and section == self.COL_ROSH:
                return self.tr("Risk of serious harm")
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._visible):
            return None
        summary = self._rows[self._visible[index.row()]].summary
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(summary, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(summary, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            self.COL_TIER,
            self.COL_PROGRESS,
        ):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == self.CaseKeyRole:
            return summary.key
        if role == self.SummaryRole:
            return summary
        if role == self.StatusRole:
            return summary.status
        if role == self.FractionRole:
            return summary.answered / summary.applicable if summary.applicable else 0.0
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < self.COLUMN_COUNT:
            return
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old_keys = [self._rows[i].key for i in self._visible]
        self._sorted = self._sort_rows()
        visible = set(self._visible)
        self._visible = [i for i in self._sorted if i in visible]
        self._remap_persistent(old_keys)
        self.layoutChanged.emit()

    # -- what the window calls -----------------------------------------------------------------

    def set_rows(self, rows: Sequence[CaseRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._counts = None
        self._row_of_key = {row.key: i for i, row in enumerate(self._rows)}
        self._sorted = self._sort_rows()
        self._visible = self._apply_filter(self._sorted)
        self.endResetModel()
        self.filterChanged.emit()

    def update_rows(self, rows: Sequence[CaseRow]) -> None:
        """Replace the rows of some cases (after an edit); other rows are left alone and
        rows keep their place until the next sort or filter, so nothing jumps under the
        user's eyes."""
        visible_at = {i: r for r, i in enumerate(self._visible)}
        changed = False
        for row in rows:
            i = self._row_of_key.get(row.key)
            if i is None:
                continue
            self._rows[i] = row
            self._counts = None
            changed = True
            r = visible_at.get(i)
            if r is not None:
                self.dataChanged.emit(self.index(r, 0), self.index(r, self.COLUMN_COUNT - 1))
        if changed:
            self.filterChanged.emit()  # the counts may have changed

    def set_filter_text(self, text: str) -> None:
        tokens = filter_tokens(text)
        if tokens == self._tokens:
            return
        narrowing = bool(self._tokens) and all(
            any(old in new for new in tokens) for old in self._tokens
        )
        self._tokens = tokens
        self.beginResetModel()
        # Typing on narrows the rows already shown, so only they need testing again.
        self._visible = self._apply_filter(self._visible if narrowing else self._sorted)
        self.endResetModel()
        self.filterChanged.emit()

    def filter_text_tokens(self) -> tuple[str, ...]:
        return self._tokens

    def set_scope(self, scope: CaseScope | None) -> None:
        """Show only the cases of `scope` (None: every case); the filter text narrows further.
        Like the filter, it is applied when set: an edit that takes a case out of the scope
        leaves it in place until the next filter or scope change."""
        if scope == self._scope:
            return
        self._scope = scope
        self.beginResetModel()
        self._visible = self._apply_filter(self._sorted)
        self.endResetModel()
        self.scopeChanged.emit()
        self.filterChanged.emit()

    def scope(self) -> CaseScope | None:
        return self._scope

    def key_at(self, row: int) -> str | None:
        if 0 <= row < len(self._visible):
            return self._rows[self._visible[row]].key
        return None

    def row_of(self, key: str) -> int:
        """The visible row of a case, or -1 when filtered out or unknown."""
        i = self._row_of_key.get(key)
        if i is None:
            return -1
        try:
            return self._visible.index(i)
        except ValueError:
            return -1

    def summary_of(self, key: str) -> Any:
        i = self._row_of_key.get(key)
        return None if i is None else self._rows[i].summary

    def visible_keys(self) -> list[str]:
        return [self._rows[i].key for i in self._visible]

    def total_count(self) -> int:
        return len(self._rows)

    def status_counts(self) -> dict[str, int]:
        if self._counts is None:
            counts = {NOT_STARTED: 0, IN_PROGRESS: 0, COMPLETE: 0}
            for row in self._rows:
                counts[row.summary.status] = counts.get(row.summary.status, 0) + 1
            self._counts = counts
        return dict(self._counts)

    # -- inside ----------------------------------------------------------------------------

    def _apply_filter(self, candidates: list[int]) -> list[int]:
        tokens, scope, rows = self._tokens, self._scope, self._rows
        if scope is not None:
            candidates = [i for i in candidates if scope.matches(rows[i])]
        if not tokens:
            return list(candidates)
        return [i for i in candidates if matches(tokens, rows[i].search_text)]

    def _sort_rows(self) -> list[int]:
        key = self._sort_key(self._sort_column)
        reverse = self._sort_order == Qt.SortOrder.DescendingOrder
        rows = self._rows
        return sorted(range(len(rows)), key=lambda i: key(rows[i]), reverse=reverse)

    def _sort_key(self, column: int) -> Callable[[CaseRow], tuple]:
        rosh = {level: n for n, level in enumerate(ROSH_LEVELS)}
        keys: dict[int, Callable[[CaseRow], tuple]] = {
            self.COL_SAMPLE: lambda r: (r.summary.sample_no,),
            self.COL_SENTENCE: lambda r: (r.summary.sentence_type or "", r.summary.sample_no),
            self.COL_ROSH: lambda r: (rosh.get(r.summary.rosh or "", -1), r.summary.sample_no),
            self.COL_TIER: lambda r: (r.summary.tier or 0, r.summary.sample_no),
            self.COL_FLAGS: lambda r: (len(r.summary.flags), r.summary.flags, r.summary.sample_no),
            self.COL_ASSESSOR: lambda r: (r.summary.assessor or "", r.summary.sample_no),
            self.COL_STATUS: lambda r: (
                _STATUS_ORDER.get(r.summary.status, 0),
                r.summary.sample_no,
            ),
            self.COL_PROGRESS: lambda r: (
                r.summary.answered / r.summary.applicable if r.summary.applicable else 0.0,
                r.summary.sample_no,
            ),
        }
        return keys[column]

    def _remap_persistent(self, old_keys: list[str]) -> None:
        new_row = {self._rows[i].key: r for r, i in enumerate(self._visible)}
        old = self.persistentIndexList()
        new = []
        for index in old:
            r = new_row.get(old_keys[index.row()]) if index.row() < len(old_keys) else None
            new.append(QModelIndex() if r is None else self.index(r, index.column()))
        self.changePersistentIndexList(old, new)

    def _display(self, s: Any, column: int) -> str | None:
        if column == self.COL_SAMPLE:
            return s.label
        if column == self.COL_SENTENCE:
            return s.sentence_type or "—"
        if column == self.COL_ROSH:
            return s.rosh or "—"
        if column == self.COL_TIER:
            return str(s.tier) if s.tier is not None else "—"
        if column == self.COL_FLAGS:
            return short_flags(s.flags)
        if column == self.COL_ASSESSOR:
            if s.second_reader:
                return self.tr("{value} (QA: {second_reader})").format(
                    value=s.assessor or "—", second_reader=s.second_reader
                )
            return s.assessor or "—"
        if column == self.COL_STATUS:
            return s.status.capitalize()
        if column == self.COL_PROGRESS:
            return f"{s.answered} / {s.applicable}"
        return None

    def _tooltip(self, s: Any, column: int) -> str | None:
        if column == self.COL_FLAGS and s.flags:
            return "\n".join(s.flags)
        if column == self.COL_PROGRESS:
            text = self.tr("{answered} of {applicable} applicable questions answered").format(
                answered=s.answered, applicable=s.applicable
            )
            if s.notes_missing:
                text += self.tr("\n{notes_missing} evidence note(s) still to write").format(
                    notes_missing=s.notes_missing
                )
            if s.conflicts:
                text += self.tr("\n{conflicts} conflicting answer(s)").format(conflicts=s.conflicts)
            return text
        return None


class SectionListModel(QAbstractListModel):
    """The sections of the framework for the case under review, with their progress."""

    CodeRole = Qt.ItemDataRole.UserRole + 1
    ProgressRole = Qt.ItemDataRole.UserRole + 2  # SectionProgress
    DoneRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[SectionProgress] = []

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{item.code}   {item.title}"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.tr("Section {code}, {title}: {progress_text}").format(
                code=item.code, title=item.title, progress_text=self.progress_text(item, long=True)
            )
        if role == self.CodeRole:
            return item.code
        if role == self.ProgressRole:
            return item
        if role == self.DoneRole:
            return item.done
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def set_items(self, items: Sequence[SectionProgress]) -> None:
        items = list(items)
        if [i.code for i in items] == [i.code for i in self._items]:
            changed = [r for r, (a, b) in enumerate(zip(items, self._items, strict=True)) if a != b]
            self._items = items
            for r in changed:
                self.dataChanged.emit(self.index(r), self.index(r))
            return
        self.beginResetModel()
        self._items = items
        self.endResetModel()

    def row_of(self, code: str) -> int:
        return next((r for r, item in enumerate(self._items) if item.code == code), -1)

    def code_at(self, row: int) -> str | None:
        return self._items[row].code if 0 <= row < len(self._items) else None

    @staticmethod
    def progress_text(item: SectionProgress, long: bool = False) -> str:
        if item.applicable == 0:
            return (
                QCoreApplication.translate("SectionListModel", "nothing applies") if long else "—"
            )
        text = (
            QCoreApplication.translate(
                "SectionListModel", "{answered} of {applicable} answered"
            ).format(answered=item.answered, applicable=item.applicable)
            if long
            else f"{item.answered}/{item.applicable}"
        )
        if item.notes_missing:
            text += counted(item.notes_missing, ", {n} note to write", ", {n} notes to write")
        elif item.done and long:
            text += QCoreApplication.translate("SectionListModel", ", complete")
        return text


class HistoryModel(HeaderedTableModel):
    """The revisions of one answer, oldest first."""

    COL_WHEN = 0
    COL_AUTHOR = 1
    COL_VALUE = 2
    COL_NOTE = 3
    COL_CURRENT = 4
    HEADERS = (
        QT_TRANSLATE_NOOP("HistoryModel", "When"),
        QT_TRANSLATE_NOOP("HistoryModel", "Who"),
        QT_TRANSLATE_NOOP("HistoryModel", "Answer"),
        QT_TRANSLATE_NOOP("HistoryModel", "Evidence note"),
        "",
    )

    EntryRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, entries: Sequence[HistoryEntry], scale: Scale | None, parent: Any = None):
        super().__init__(parent)
        self._entries = list(entries)
        self._scale = scale

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def row_header(self, section: int) -> Any:
        return section + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.COL_WHEN:
                return format_when(entry.when)
            if column == self.COL_AUTHOR:
                return entry.author
            if column == self.COL_VALUE:
                return self.value_text(entry.value)
            if column == self.COL_NOTE:
                note = entry.note or ""
                if entry.reason:
                    note = f"{note}\n({entry.reason})" if note else f"({entry.reason})"
                return note if role == Qt.ItemDataRole.ToolTipRole else " ".join(note.split())
            if column == self.COL_CURRENT:
                return self.tr("Current") if entry.is_head else ""
        if role == self.EntryRole:
            return entry
        return None

    def value_text(self, value: object) -> str:
        if value is None or value == "":
            return self.tr("(no answer)")
        if self._scale is not None and self._scale.kind == "choice":
            return self._scale.label_of(str(value))
        return " ".join(str(value).split())


def format_when(when: datetime) -> str:
    """A revision's time in the user's local time zone, to the second."""
    return when.astimezone().strftime("%d %b %Y %H:%M:%S")
