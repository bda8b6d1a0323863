"""Thin Qt models over the plain read models: named columns and roles, nothing else.

The case list model filters and sorts itself with precomputed keys instead of going through
QSortFilterProxyModel: a proxy asks Python for every row's data on every keystroke and every
sort comparison, which on a 10,000-case master costs far more than the 50 ms a keystroke may
take. Here a keystroke is one pass per word over precomputed strings and a model reset; a
column's order is worked out once per set of rows; the view then asks only for the rows it
shows. While a worker reads every row of a large file, the model holds the first few
(`set_first_rows`), so the list is on screen at once, and fetches more a page at a time as
the user scrolls down the list in sample-number order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

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
    SAMPLE,
    CaseRow,
    CaseRows,
    SectionProgress,
    filter_tokens,
    short_flags,
    sort_order,
)
from inspector_app.core.cases.case_data import COMPLETE, IN_PROGRESS, NOT_STARTED
from inspector_app.core.cases.history import HistoryEntry
from inspector_app.core.framework import Scale
from inspector_app.core.plural import counted
from inspector_app.core.times import local_time
from inspector_app.gui.table_model import HeaderedTableModel
from inspector_app.gui.translation import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from inspector_app.app.dashboard import CaseScope

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()


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
    # What each column sorts by (case_rows.SORT_VALUES, then the sample number).
    SORTED_BY = (SAMPLE, "sentence", "rosh", "tier", "flags", "assessor", "status", "progress")

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
    rowsReplaced = Signal()  # after the reset that brought new rows (not a new filter)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CaseRow] = []
        self._texts: list[str] = []  # each row's search text, by index in _rows
        self._loading = False  # only the first rows are in: the rest are being read
        self._more: Callable[[], Sequence[CaseRow]] | None = None  # the next page, meanwhile
        self._orders: dict[tuple[int, bool], list[int]] = {}  # (column, descending) -> rows
        self._unique_numbers: bool | None = None  # no two rows share a sample number
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

    def canFetchMore(self, parent: Index = _NO_PARENT) -> bool:
        """While every row is being read, more pages follow the first, in sample-number
        order: shown as fetched while the list is in that order, unfiltered."""
        return (
            not parent.isValid()
            and self._more is not None
            and self._sort_column == self.COL_SAMPLE
            and self._sort_order == Qt.SortOrder.AscendingOrder
            and not self._tokens
            and self._scope is None
        )

    def fetchMore(self, parent: Index = _NO_PARENT) -> None:
        if not self.canFetchMore(parent) or self._more is None:
            return
        try:
            rows = list(self._more())
        except Exception:  # the worker reading every row says what went wrong
            log.exception("reading the next page of cases failed")
            rows = []
        if not rows:
            self._more = None
            return
        start, shown = len(self._rows), len(self._visible)
        added = range(start, start + len(rows))
        self.beginInsertRows(QModelIndex(), shown, shown + len(rows) - 1)
        self._rows.extend(rows)
        self._texts.extend(row.search_text for row in rows)
        self._row_of_key.update((row.key, i) for i, row in zip(added, rows, strict=True))
        self._counts = None
        self._orders, self._unique_numbers = {}, None
        self._sorted.extend(added)
        self._visible.extend(added)
        self.endInsertRows()
        self.filterChanged.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < self.COLUMN_COUNT:
            return
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old_visible = self._visible
        self._sorted = self._sort_rows()
        if len(old_visible) == len(self._rows):
            self._visible = list(self._sorted)
        else:
            visible = set(old_visible)
            self._visible = [i for i in self._sorted if i in visible]
        self._remap_persistent(old_visible)
        self.layoutChanged.emit()

    # -- what the window calls -----------------------------------------------------------------

    def set_rows(self, rows: Sequence[CaseRow]) -> None:
        """Every row of the file (replacing the first ones shown while they were read)."""
        self._loading = False
        self._more = None
        self._replace(rows)

    def set_first_rows(
        self, rows: Sequence[CaseRow], more: Callable[[], Sequence[CaseRow]] | None = None
    ) -> None:
        """The first rows of a file just opened, shown while every row is read, and `more`,
        which gives the next page of rows (none when there are no more): until `set_rows`,
        `is_loading` holds. Ignored when the list already shows rows (a file read again keeps
        its rows on screen until the new ones are in)."""
        if self._rows:
            return
        self._loading = True
        self._more = more
        self._replace(rows)

    def is_loading(self) -> bool:
        return self._loading

    def _replace(self, rows: Sequence[CaseRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._texts = [row.search_text for row in self._rows]
        self._counts = None
        self._orders, self._unique_numbers = {}, None
        if isinstance(rows, CaseRows):  # each column's order, worked out by the reader
            names = enumerate(self.SORTED_BY)
            self._orders = {(column, False): rows.orders[name] for column, name in names}
            self._unique_numbers = rows.numbers_differ
        self._row_of_key = {row.key: i for i, row in enumerate(self._rows)}
        self._sorted = self._sort_rows()
        self._visible = self._apply_filter(self._sorted)
        self.endResetModel()
        self.rowsReplaced.emit()
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
            self._texts[i] = row.search_text
            self._counts = None
            self._orders, self._unique_numbers = {}, None
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
        return -1 if i is None else _find(self._visible, i)

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
        """The candidates whose text holds every word (as `case_rows.matches` tests), one word
        at a time, each pass over the rows the last one left."""
        scope, rows, texts = self._scope, self._rows, self._texts
        if scope is not None:
            candidates = [i for i in candidates if scope.matches(rows[i])]
        else:
            candidates = list(candidates)
        for token in self._tokens:
            if len(candidates) > len(texts) // 4:  # most rows: test every text in its order
                found = [token in text for text in texts]
                candidates = [i for i in candidates if found[i]]
            else:
                candidates = [i for i in candidates if token in texts[i]]
        return candidates

    def _sort_rows(self) -> list[int]:
        """Every row in the current sort order: by the column's value, then by sample
        number."""
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        return list(self._order(self._sort_column, descending))

    def _order(self, column: int, descending: bool) -> list[int]:
        """Worked out once per column and direction until the rows change; as no two rows
        of a file hold the same sample number, descending is ascending reversed."""
        order = self._orders.get((column, descending))
        if order is None:
            if descending and self._numbers_differ():
                order = self._order(column, False)[::-1]
            else:
                order = self._order_by(column, descending)
            self._orders[(column, descending)] = order
        return order

    def _order_by(self, column: int, descending: bool) -> list[int]:
        by_number = None if column == self.COL_SAMPLE else self._order(self.COL_SAMPLE, descending)
        name = self.SORTED_BY[column]
        return sort_order(self._rows, name, by_number, descending=descending)

    def _numbers_differ(self) -> bool:
        if self._unique_numbers is None:
            numbers = {row.summary.sample_no for row in self._rows}
            self._unique_numbers = len(numbers) == len(self._rows)
        return self._unique_numbers

    def _remap_persistent(self, old_visible: list[int]) -> None:
        """Persistent indexes (the current row, the selection) follow their rows to where
        the new order puts them."""
        old = self.persistentIndexList()
        new = []
        place: dict[int, int] = {}
        for index in old:
            row = index.row()
            i = old_visible[row] if row < len(old_visible) else -1
            if i >= 0 and i not in place:
                place[i] = _find(self._visible, i)
            r = place.get(i, -1)
            new.append(QModelIndex() if r < 0 else self.index(r, index.column()))
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


def _find(rows: list[int], i: int) -> int:
    """Where `i` is in `rows`, or -1."""
    try:
        return rows.index(i)
    except ValueError:
        return -1


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
    return local_time(when, seconds=True)
