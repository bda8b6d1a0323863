"""The case sample's mapping, for the lead to check and decide before anything is imported.

Which column of the trust's export feeds which profile field, what each spelling the profile
does not know means (with its count, and a suggestion where one is close), and the first cases
as they will be imported. A suggestion is only offered: it counts once the lead confirms it,
by choosing it or with "Accept suggestions". Rows left out (mapped to "(exclude)", or rows with
problems when only the valid rows are imported) are compared with the rows kept, and leaving
them out needs the lead's confirmation and reason.

The work at the top is Qt-free: `open_sample` reads the file and proposes a mapping (the
organisation's remembered one first), `MappingSession` holds the lead's decisions and says what
is still to decide, and `review_mapping` turns the table into cases through a copy of the
mapping; the reading and reviewing run off the UI thread. `MappingPanel` and `ExclusionBox`
are views: they lay the session out and report each choice as a signal; their owner (the
wizard's sample page) updates the session and shows the outcome.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.framework.profile import (
    EXCLUDE,
    SAMPLE_NO_FIELD,
    InputRule,
    ProfileDefinition,
    ProfileField,
    fold,
)
from inspector_app.core.plural import counted
from inspector_app.core.sample.exclusion_check import Difference, compare_left_out
from inspector_app.core.sample.importing import (
    SampleReadResult,
    SampleRow,
    convert_table,
    read_sample_table,
)
from inspector_app.core.sample.mapping import SampleMapping, column_values, propose_mapping
from inspector_app.core.sample.mapping_memory import remembered_mapping
from inspector_app.core.sample.table import Table, cell_text
from inspector_app.gui.style import attention, char_width, css_color, heading_font, muted_text
from inspector_app.gui.table_model import TableModel
from inspector_app.gui.translation import QT_TRANSLATE_NOOP

NOT_IN_FILE = QT_TRANSLATE_NOOP("mapping_panel", "(not in this file)")
PREVIEW_ROWS = 50
EXAMPLES = 3  # distinct values shown beside each column
MAX_HEADER_ROW = 999

# What the state column says, by the row's state (see ValueRow.shown_state); in English, as
# the tests compare it: `state_text` translates it.
STATE_TEXT = {
    "unmapped": QT_TRANSLATE_NOOP("mapping_panel", "Not mapped"),
    "suggested": QT_TRANSLATE_NOOP("mapping_panel", "Suggested"),
    "mapped": QT_TRANSLATE_NOOP("mapping_panel", "Mapped"),
    "remembered": QT_TRANSLATE_NOOP("mapping_panel", "Mapped last time"),
    "exclude": QT_TRANSLATE_NOOP("mapping_panel", "Rows left out"),
    "allowed": QT_TRANSLATE_NOOP("mapping_panel", "Known spelling"),
    "blank": QT_TRANSLATE_NOOP("mapping_panel", "Not recorded"),
    "ignored": QT_TRANSLATE_NOOP("mapping_panel", "Ignored"),
}
UNDECIDED = ("unmapped", "suggested")


def state_text(state: str) -> str:
    """What the state column says for a row in `state`, in the chosen language."""
    return (
        QCoreApplication.translate("mapping_panel", STATE_TEXT[state])
        if state in STATE_TEXT
        else state
    )


# -- the work (no Qt) ------------------------------------------------------------------------------


def reference_date(definition: ProfileDefinition, fieldwork_start: str) -> dt.date:
    """The date ages are worked out on, as the import will (the fieldwork start, else today)."""
    if definition.age_reference == "fieldwork_start" and fieldwork_start:
        try:
            return dt.date.fromisoformat(fieldwork_start)
        except ValueError:
            pass
    return dt.date.today()


@dataclass
class ValueRow:
    """One distinct spelling in a mapped column and what it is imported as."""

    target: str  # the field or input id whose mapping holds it
    label: str  # that field's label
    heading: str  # the column as written in the file
    spelling: str  # as written ("" for an empty cell)
    count: int
    allowed: tuple[str, ...]  # what it may be mapped to
    state: str  # the core's: allowed, mapped, blank, exclude, unmapped or ignored
    value: str | None  # what it is imported as now (None: nothing yet)
    suggestion: str | None = None
    chosen: bool = False  # the lead chose it in this session
    listed: bool = True  # shown among the values to decide (not only with "every value")

    @property
    def key(self) -> tuple[str, str]:
        return (self.target, fold(self.spelling))

    @property
    def undecided(self) -> bool:
        return self.state == "unmapped"

    @property
    def shown_state(self) -> str:
        if self.state == "unmapped":
            return "suggested" if self.suggestion else "unmapped"
        if self.state in ("mapped", "exclude") and not self.chosen:
            return "exclude" if self.state == "exclude" else "remembered"
        return self.state

    @property
    def shown_value(self) -> str | None:
        """What the drop-down shows: the value, else the suggestion (not yet applied)."""
        return self.value if self.value is not None else self.suggestion


@dataclass(frozen=True)
class ColumnRow:
    """One field or input and the column feeding it."""

    target: str
    label: str
    required: bool
    heading: str  # "" when no column feeds it


@dataclass(frozen=True)
class Review:
    """The table turned into cases through one version of the mapping."""

    result: SampleReadResult
    compared_all: tuple[Difference, ...]  # rows mapped out and rows with problems, vs kept
    compared_mapped: tuple[Difference, ...]  # rows mapped out only, vs kept

    def left_out(self, accept_valid: bool) -> tuple[int, int]:
        """(rows mapped to '(exclude)', rows with problems) that the import would leave out."""
        mapped = len(self.result.excluded)
        problems = len(self.result.invalid_profiles) if accept_valid else 0
        return mapped, problems

    def left_out_rows(self, accept_valid: bool) -> tuple[int, ...]:
        rows = [e.row_number for e in self.result.excluded]
        if accept_valid:
            rows += [row for row, _ in self.result.invalid_profiles]
        return tuple(sorted(rows))

    def differences(self, accept_valid: bool) -> tuple[Difference, ...]:
        return self.compared_all if accept_valid else self.compared_mapped


class MappingSession:
    """The file's table and the lead's mapping of it, on the UI thread. Decisions go into
    `mapping`; `values` lists every distinct spelling of the mapped columns."""

    def __init__(
        self,
        path: Path,
        definition: ProfileDefinition,
        table: Table,
        mapping: SampleMapping,
        on: dt.date,
        chosen: set[tuple[str, str]] | None = None,
    ) -> None:
        self.path = path
        self.definition = definition
        self.table = table
        self.mapping = mapping
        self.reference_date = on
        self.chosen: set[tuple[str, str]] = set(chosen or ())
        self.values: list[ValueRow] = []
        self.long_list = False  # the trust's whole long list, not a sample drawn
        self.list_values()

    @property
    def headings(self) -> list[str]:
        """The file's column headings, each once, in file order."""
        return list(dict.fromkeys(h for h in self.table.header if h))

    def column_rows(self) -> list[ColumnRow]:
        rows = [
            ColumnRow(f.name, f.label, f.required, self.mapping.columns.get(f.name, ""))
            for f in self.definition.fields
        ]
        rows += [
            ColumnRow(i.id, i.label, False, self.mapping.columns.get(i.id, ""))
            for i in self.definition.inputs
        ]
        return rows

    def examples(self, heading: str) -> str:
        """The first few distinct values of a column, as written."""
        if not heading or heading not in self.table.header:
            return ""
        index = self.table.header.index(heading)
        seen: dict[str, None] = {}
        for _, cells in self.table.rows:
            text = cell_text(cells[index]) if index < len(cells) else None
            if text is not None:
                seen.setdefault(text if len(text) <= 40 else text[:39] + "…")
                if len(seen) >= EXAMPLES:
                    break
        return ", ".join(seen)

    def set_column(self, target: str, heading: str) -> None:
        """Feed `target` from the column `heading` ("" for none). A column feeds one field, so
        any other field it fed is set to 'not in this file'."""
        if heading:
            for other, fed_by in list(self.mapping.columns.items()):
                if other != target and fed_by == heading:
                    self.mapping.choose_column(other, "")
        self.mapping.choose_column(target, heading)
        # As the import will read it (an input is dropped where its fields have own columns).
        self.mapping = propose_mapping(self.definition, self.table, self.mapping)
        self.list_values()

    def list_values(self) -> None:
        before = {row.key for row in self.values if row.listed}
        rows: list[ValueRow] = []
        for column in column_values(self.definition, self.table, self.mapping):
            for report in column.values:
                row = ValueRow(
                    column.target,
                    column.label,
                    column.heading,
                    report.spelling,
                    report.count,
                    column.allowed,
                    report.state,
                    report.maps_to,
                    report.suggestion,
                )
                row.chosen = row.key in self.chosen
                row.listed = row.state in ("unmapped", "mapped", "exclude") or row.key in before
                rows.append(row)
        self.values = rows

    def choose(self, index: int, value: str) -> ValueRow:
        """The lead's decision for one spelling."""
        row = self.values[index]
        self.mapping.set_value(row.target, row.spelling, value)
        self.chosen.add(row.key)
        row.state = "exclude" if value == EXCLUDE else "mapped"
        row.value = value
        row.chosen = True
        row.listed = True
        return row

    def accept_suggestions(self) -> list[int]:
        """Confirm every suggestion still waiting; the rows changed."""
        changed = [i for i, row in enumerate(self.values) if row.undecided and row.suggestion]
        for i in changed:
            suggestion = self.values[i].suggestion
            assert suggestion is not None
            self.choose(i, suggestion)
        return changed

    def undecided(self) -> list[ValueRow]:
        return [row for row in self.values if row.undecided]

    def snapshot(self) -> SampleMapping:
        """A copy of the mapping to hand to other threads or to the import."""
        return copy.deepcopy(self.mapping)

    def choice_text(self, value: str) -> str:
        """A mapping target as the lead reads it (a flag field by its label)."""
        spec = self.definition.by_name.get(value)
        return spec.label if spec is not None else value


def review_mapping(
    table: Table,
    definition: ProfileDefinition,
    mapping: SampleMapping,
    on: dt.date,
    *,
    long_list: bool = False,
) -> Review:
    """Every row through the mapping, and how the rows left out differ from those kept. A
    long list's rows need no sample number (the sample is drawn from them)."""
    result = convert_table(table, definition, mapping, reference_date=on, long_list=long_list)
    return Review(
        result,
        tuple(compare_left_out(result, definition)),
        tuple(compare_left_out(result, definition, with_problems=False)),
    )


def open_sample(
    path: Path,
    framework_id: str,
    organisation: str,
    fieldwork_start: str,
    *,
    carry: SampleMapping | None = None,
    chosen: set[tuple[str, str]] | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    progress: Callable[[int], bool] | None = None,
    long_list: bool | None = None,
) -> tuple[MappingSession, Review]:
    """Read the file and propose its mapping: the organisation's remembered mapping, with the
    choices already made in this wizard (`carry`) on top. `long_list`: whether the file is a
    trust's long list rather than a sample drawn; None reads a file without a sample number
    column as a long list. Raises ValidationError when the file cannot be read as a table at
    all."""
    from inspector_app.core.framework import load_builtin

    definition = load_builtin(framework_id).profile
    table = read_sample_table(
        path, definition, sheet=sheet, header_row=header_row, progress=progress
    )
    remembered = remembered_mapping(organisation, definition)
    if remembered is not None and carry is not None:
        base: SampleMapping | None = remembered.merged_with(carry)
    else:
        base = carry or remembered
    mapping = propose_mapping(definition, table, base)
    on = reference_date(definition, fieldwork_start)
    session = MappingSession(Path(path), definition, table, mapping, on, chosen)
    session.long_list = not mapping.columns.get(SAMPLE_NO_FIELD) if long_list is None else long_list
    return session, review_mapping(
        table, definition, session.snapshot(), on, long_list=session.long_list
    )


def preview_rows(
    definition: ProfileDefinition, rows: Sequence[SampleRow]
) -> tuple[tuple[str, ...], list[tuple[str, ...]], list[str]]:
    """Headers, cells and tooltips of the first cases as they will be imported."""
    fields = definition.profile_fields
    # A long list's cases have no sample number yet: they are shown by their row.
    numbered = any(row.sample_no is not None for row in rows[:PREVIEW_ROWS])
    first = (
        QCoreApplication.translate("mapping_panel", "Sample")
        if numbered or not rows
        else QCoreApplication.translate("mapping_panel", "Row")
    )
    headers = (first, *(f.label for f in fields))
    cells: list[tuple[str, ...]] = []
    tips: list[str] = []
    for row in rows[:PREVIEW_ROWS]:
        number = row.sample_no if numbered else row.row_number
        cells.append((str(number or ""), *(_shown(row.profile.get(f.name)) for f in fields)))
        mapped = [
            QCoreApplication.translate(
                "mapping_panel", "{label}: '{written}' read as {shown}"
            ).format(
                label=_label(definition, name), written=written, shown=_shown(row.profile.get(name))
            )
            for name, written in row.raw.items()
        ]
        tips.append(
            QCoreApplication.translate("mapping_panel", "Row {row_number} of the file").format(
                row_number=row.row_number
            )
            + (
                "\n" + "\n".join(mapped)
                if mapped
                else QCoreApplication.translate("mapping_panel", "; every value as written")
            )
        )
    return headers, cells, tips


def _ages_from_dates(session: MappingSession) -> bool:
    """Whether a column of dates of birth feeds the age bands (worked out at a date)."""
    return any(
        i.rule == InputRule.AGE_FROM_DATE and session.mapping.columns.get(i.id)
        for i in session.definition.inputs
    )


def _label(definition: ProfileDefinition, name: str) -> str:
    spec: ProfileField | None = definition.by_name.get(name)
    return spec.label if spec is not None else name


def _shown(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


# -- the views -----------------------------------------------------------------------------------


def _muted(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAccessibleName(text)
    label.setStyleSheet(f"color: {css_color(muted_text(widget))};")
    return label


def _row_height(view: QWidget) -> int:
    return view.fontMetrics().lineSpacing() + round(view.fontMetrics().height() * 0.6)


def _setup_table(table: QTableView, name: str) -> None:
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab leaves the table (and reaches its drop-downs)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.verticalHeader().hide()


def _item(text: str, tip: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
    item.setToolTip(tip or text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item


class _ComboGuard(QObject):
    """Drop-downs inside a table: the table scrolls to the one with the focus, and the mouse
    wheel scrolls the table rather than changing a value the user is not looking at."""

    def __init__(self, table: QTableWidget, column: int) -> None:
        super().__init__(table)
        self.table = table
        self.column = column

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, QComboBox):
            if event.type() == QEvent.Type.Wheel and not watched.hasFocus():
                QApplication.sendEvent(self.table.viewport(), event)
                return True
            if event.type() == QEvent.Type.FocusIn:
                row = watched.property("table_row")
                if isinstance(row, int) and 0 <= row < self.table.rowCount():
                    self.table.scrollTo(self.table.model().index(row, self.column))
                    self.table.selectRow(row)
        return False


def _combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


def _chain_after(table: QTableWidget, combos: Sequence[QComboBox]) -> None:
    """Tab goes from the table through its drop-downs, in row order, then on as before."""
    previous: QWidget = table
    for combo in combos:
        QWidget.setTabOrder(previous, combo)
        previous = combo


def _widen_popup(combo: QComboBox) -> None:
    """The list opens as wide as its longest choice, whatever the column's width."""
    metrics = combo.fontMetrics()
    widest = max(
        (metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())), default=0
    )
    combo.view().setMinimumWidth(widest + round(char_width(combo) * 6))


class ValuesTable(QTableWidget):
    """The spellings to decide: one row each, its drop-down in COL_CHOICE. Row `r` shows the
    session's value `indices[r]`."""

    COL_FIELD, COL_COLUMN, COL_VALUE, COL_COUNT, COL_CHOICE, COL_STATE = range(6)
    HEADERS = (
        QT_TRANSLATE_NOOP("ValuesTable", "Field"),
        QT_TRANSLATE_NOOP("ValuesTable", "Column"),
        QT_TRANSLATE_NOOP("ValuesTable", "Value as written"),
        QT_TRANSLATE_NOOP("ValuesTable", "Cases"),
        QT_TRANSLATE_NOOP("ValuesTable", "Import as"),
        QT_TRANSLATE_NOOP("ValuesTable", "State"),
    )

    chosen = Signal(int, str)  # session value index, the value chosen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setHorizontalHeaderLabels(
            [QCoreApplication.translate("ValuesTable", header) for header in self.HEADERS]
        )
        _setup_table(self, self.tr("Values to decide"))
        self.setAccessibleDescription(
            self.tr("Tab reaches each value's drop-down; choose what the value is imported as")
        )
        self.indices: list[int] = []
        self.combos: list[QComboBox] = []
        self._guard = _ComboGuard(self, self.COL_CHOICE)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.COL_VALUE, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        width = char_width(self)
        bold = QFont(self.font())
        bold.setBold(True)
        states = max(QFontMetrics(bold).horizontalAdvance(state_text(s)) for s in STATE_TEXT)
        for column, chars in (
            (self.COL_FIELD, 15),
            (self.COL_COLUMN, 17),
            (self.COL_COUNT, 7),
            (self.COL_CHOICE, 30),
        ):
            self.setColumnWidth(column, round(width * chars))
        self.setColumnWidth(self.COL_STATE, states + round(width * 3))

    def show_rows(self, session: MappingSession, every: bool) -> None:
        self.indices = [i for i, row in enumerate(session.values) if every or row.listed]
        self.combos = []
        self.clearContents()
        self.setRowCount(len(self.indices))
        height = max(_row_height(self), QComboBox().sizeHint().height() + 2)
        self.verticalHeader().setDefaultSectionSize(height)
        for r, index in enumerate(self.indices):
            row = session.values[index]
            self.setItem(r, self.COL_FIELD, _item(row.label))
            self.setItem(r, self.COL_COLUMN, _item(row.heading))
            written = row.spelling if row.spelling else "(blank)"
            value_item = _item(written)
            if not row.spelling:
                font = QFont(self.font())
                font.setItalic(True)
                value_item.setFont(font)
            self.setItem(r, self.COL_VALUE, value_item)
            count = _item(str(row.count))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(r, self.COL_COUNT, count)
            combo = _combo(
                self.tr("Import '{written}' ({label}) as").format(written=written, label=row.label)
            )
            combo.setPlaceholderText(self.tr("Choose…"))
            for target in row.allowed:
                combo.addItem(session.choice_text(target), target)
            _widen_popup(combo)
            combo.setProperty("table_row", r)
            combo.installEventFilter(self._guard)
            combo.activated.connect(lambda position, c=combo, i=index: self._activated(c, i))
            self.setCellWidget(r, self.COL_CHOICE, combo)
            self.combos.append(combo)
            self.setItem(r, self.COL_STATE, _item(""))
            self.update_row(r, row)
        _chain_after(self, self.combos)
        # The field's name whole ("Index offence group"), within reason: the written value
        # beside it has the rest of the width.
        width = char_width(self)
        labels = {session.values[i].label for i in self.indices}
        longest = max((self.fontMetrics().horizontalAdvance(t) for t in labels), default=0)
        fitted = min(max(longest + round(width * 2), round(width * 15)), round(width * 21))
        self.setColumnWidth(self.COL_FIELD, fitted)

    def _activated(self, combo: QComboBox, index: int) -> None:
        value = combo.currentData()
        if isinstance(value, str):
            self.chosen.emit(index, value)

    def table_row(self, index: int) -> int | None:
        try:
            return self.indices.index(index)
        except ValueError:
            return None

    def update_row(self, r: int, row: ValueRow) -> None:
        combo = self.combos[r]
        combo.blockSignals(True)
        shown = row.shown_value
        combo.setCurrentIndex(combo.findData(shown) if shown is not None else -1)
        combo.blockSignals(False)
        state = row.shown_state
        text = state_text(state)
        item = self.item(r, self.COL_STATE)
        item.setText(text)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
        item.setToolTip(
            {
                "suggested": self.tr(
                    "A suggestion only: choose it in the drop-down, or press Accept "
                    "suggestions, to use it"
                ),
                "unmapped": self.tr("Choose what this value is imported as, or exclude its rows"),
                "remembered": self.tr("Chosen when this organisation's last list was imported"),
                "exclude": self.tr("Rows with this value are left out of the import"),
            }.get(state, text)
        )
        font = QFont(self.font())
        font.setBold(state in UNDECIDED)
        item.setFont(font)
        item.setForeground(attention(self) if state in UNDECIDED else self.palette().text())
        combo.setAccessibleDescription(text)


class ColumnsTable(QTableWidget):
    """Each profile field and input, and the column of the file feeding it (COL_COLUMN)."""

    COL_FIELD, COL_COLUMN, COL_EXAMPLES = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("ColumnsTable", "Field"),
        QT_TRANSLATE_NOOP("ColumnsTable", "Column in the file"),
        QT_TRANSLATE_NOOP("ColumnsTable", "First values in that column"),
    )

    chosen = Signal(str, str)  # field or input id, heading ("" for not in this file)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setHorizontalHeaderLabels(
            [QCoreApplication.translate("ColumnsTable", header) for header in self.HEADERS]
        )
        _setup_table(self, self.tr("Field and the column feeding it"))
        self.targets: list[str] = []
        self.combos: list[QComboBox] = []
        self._guard = _ComboGuard(self, self.COL_COLUMN)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.COL_EXAMPLES, QHeaderView.ResizeMode.Stretch)
        width = char_width(self)
        self.setColumnWidth(self.COL_FIELD, round(width * 34))
        self.setColumnWidth(self.COL_COLUMN, round(width * 30))

    def show_rows(self, session: MappingSession) -> None:
        rows = session.column_rows()
        self.targets = [row.target for row in rows]
        self.combos = []
        self.clearContents()
        self.setRowCount(len(rows))
        height = max(_row_height(self), QComboBox().sizeHint().height() + 2)
        self.verticalHeader().setDefaultSectionSize(height)
        headings = session.headings
        for r, row in enumerate(rows):
            label = (
                self.tr("{label} (required)").format(label=row.label) if row.required else row.label
            )
            self.setItem(r, self.COL_FIELD, _item(label))
            combo = _combo(self.tr("Column for {label}").format(label=row.label))
            combo.addItem(QCoreApplication.translate("mapping_panel", NOT_IN_FILE), "")
            for heading in headings:
                combo.addItem(heading, heading)
            _widen_popup(combo)
            combo.setProperty("table_row", r)
            combo.installEventFilter(self._guard)
            combo.activated.connect(
                lambda position, c=combo, t=row.target: self.chosen.emit(t, c.currentData() or "")
            )
            self.setCellWidget(r, self.COL_COLUMN, combo)
            self.combos.append(combo)
            self.setItem(r, self.COL_EXAMPLES, _item(""))
        _chain_after(self, self.combos)
        self.update_rows(session)

    def update_rows(self, session: MappingSession) -> None:
        for r, row in enumerate(session.column_rows()):
            if r >= len(self.combos):
                break
            combo = self.combos[r]
            combo.blockSignals(True)
            found = combo.findData(row.heading) if row.heading else 0
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)
            examples = session.examples(row.heading)
            item = self.item(r, self.COL_EXAMPLES)
            item.setText(examples)
            item.setToolTip(examples or self.tr("No column feeds this field"))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, examples or "none")


class MappingPanel(QWidget):
    """The sheet and header row, then tabs: the values to decide, the columns, the preview
    (and any tab the owner adds, such as the problems). A view: choices are signals."""

    TAB_VALUES, TAB_COLUMNS, TAB_PREVIEW = range(3)
    VALUES_NOTE = QT_TRANSLATE_NOOP(
        "MappingPanel",
        "Spellings the case profile does not know. Choose what each is imported as, or "
        "(exclude) to leave its rows out; a suggestion counts once you confirm it.",
    )

    sheetChosen = Signal(str)
    headerRowChosen = Signal(int)
    columnChosen = Signal(str, str)  # field or input id, heading ("" = not in the file)
    valueChosen = Signal(int, str)  # session value index, value
    acceptSuggestions = Signal()
    everyValueToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Columns and values of the sample file"))
        self.sheet = QComboBox()
        self.sheet.setAccessibleName(self.tr("Sheet of the workbook"))
        self.sheet.activated.connect(lambda _i: self.sheetChosen.emit(self.sheet.currentText()))
        self.sheet_label = QLabel(self.tr("Shee&t"))
        self.sheet_label.setBuddy(self.sheet)
        self.header_row = QSpinBox()
        self.header_row.setRange(1, MAX_HEADER_ROW)
        self.header_row.setAccessibleName(self.tr("Header row"))
        self.header_row.setAccessibleDescription(
            self.tr("The row of the file holding the column headings; found by itself, changeable")
        )
        self.header_row.valueChanged.connect(self.headerRowChosen.emit)
        header_label = QLabel(self.tr("Header &row"))
        header_label.setBuddy(self.header_row)
        self.layout_note = _muted("", self)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.sheet_label)
        top.addWidget(self.sheet)
        top.addSpacing(12)
        top.addWidget(header_label)
        top.addWidget(self.header_row)
        top.addSpacing(12)
        top.addWidget(self.layout_note, 1)

        # Values to decide.
        self.values = ValuesTable()
        self.values.chosen.connect(self.valueChosen.emit)
        self.accept = QPushButton(self.tr("&Accept suggestions"))
        self.accept.setAccessibleName(self.tr("Accept every suggestion"))
        self.accept.setAutoDefault(False)
        self.accept.clicked.connect(self.acceptSuggestions.emit)
        self.every = QCheckBox(self.tr("Show &every value"))
        self.every.setAccessibleName(self.tr("Show every value, also those the profile knows"))
        self.every.toggled.connect(self.everyValueToggled.emit)
        self.values_note = _muted(
            QCoreApplication.translate("MappingPanel", self.VALUES_NOTE), self
        )
        values_top = QHBoxLayout()
        values_top.addWidget(self.values_note, 1)
        values_top.addWidget(self.every)
        values_top.addWidget(self.accept)
        values_page = QWidget()
        values_layout = QVBoxLayout(values_page)
        values_layout.addLayout(values_top)
        values_layout.addWidget(self.values, 1)

        # Columns.
        self.columns = ColumnsTable()
        self.columns.chosen.connect(self.columnChosen.emit)
        columns_page = QWidget()
        columns_layout = QVBoxLayout(columns_page)
        columns_layout.addWidget(
            _muted(
                self.tr(
                    "Which column of the file holds each field; '(not in this file)' "
                    "where it has none. Found from the headings; change any that is "
                    "wrong."
                ),
                self,
            )
        )
        columns_layout.addWidget(self.columns, 1)

        # Preview.
        self.preview_model = TableModel((), self)
        self.preview = QTableView()
        _setup_table(self.preview, self.tr("Cases as they will be imported"))
        self.preview.setModel(self.preview_model)
        self.preview.verticalHeader().setDefaultSectionSize(_row_height(self.preview))
        self.preview_note = _muted("", self)
        self.preview_detail = QLabel()
        self.preview_detail.setAccessibleName(self.tr("The chosen case as read from the file"))
        self.preview_detail.setWordWrap(True)
        self.preview.selectionModel().currentRowChanged.connect(self._show_preview_row)
        preview_page = QWidget()
        preview_layout = QVBoxLayout(preview_page)
        preview_layout.addWidget(self.preview_note)
        preview_layout.addWidget(self.preview, 1)
        preview_layout.addWidget(self.preview_detail)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Mapping of the sample file"))
        self.tabs.tabBar().setAccessibleName(self.tr("Values, columns, preview and problems"))
        self.tabs.addTab(values_page, self.tr("Values to &decide"))
        self.tabs.addTab(columns_page, self.tr("&Columns"))
        self.tabs.addTab(preview_page, self.tr("Pre&view"))
        self.tabs.tabBar().installEventFilter(self)
        self._focus_for_tab: dict[int, QWidget] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    def add_tab(self, page: QWidget, title: str, focus: QWidget | None = None) -> int:
        index = self.tabs.addTab(page, title)
        if focus is not None:
            self._focus_for_tab[index] = focus
        return index

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A tab's mnemonic (Alt+D…) shows the tab and puts the keyboard in it.
        if watched is self.tabs.tabBar() and event.type() == QEvent.Type.Shortcut:
            QTimer.singleShot(0, self.focus_current_tab)
        return super().eventFilter(watched, event)

    def focus_current_tab(self) -> None:
        index = self.tabs.currentIndex()
        if index == self.TAB_VALUES:
            target: QWidget = self.first_undecided_combo() or (
                self.values.combos[0] if self.values.combos else self.values
            )
        elif index == self.TAB_COLUMNS:
            target = self.columns.combos[0] if self.columns.combos else self.columns
        elif index == self.TAB_PREVIEW:
            target = self.preview
        else:
            target = self._focus_for_tab.get(index) or self.tabs.currentWidget()
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def first_undecided_combo(self) -> QComboBox | None:
        for r, combo in enumerate(self.values.combos):
            state = self.values.item(r, ValuesTable.COL_STATE)
            if state is not None and state.text() in (state_text(s) for s in UNDECIDED):
                return combo
        return None

    # -- showing the session ----------------------------------------------------------------

    def show_session(self, session: MappingSession) -> None:
        table = session.table
        several = len(table.sheets) > 1
        self.sheet.blockSignals(True)
        self.sheet.clear()
        self.sheet.addItems(list(table.sheets))
        if table.sheet is not None:
            self.sheet.setCurrentText(table.sheet)
        self.sheet.blockSignals(False)
        self.sheet.setVisible(several)
        self.sheet_label.setVisible(several)
        self.header_row.blockSignals(True)
        self.header_row.setValue(max(table.header_row, 1))
        self.header_row.blockSignals(False)
        self.header_row.setEnabled(table.header_row > 0)
        if table.header_row:
            note = self.tr(
                "Headings found on row {header_row}; {counted} of cases under them"
            ).format(
                header_row=table.header_row, counted=counted(len(table.rows), "{n} row", "{n} rows")
            )
            if table.footer_rows:
                note += self.tr(" and {counted}, left out").format(
                    counted=counted(len(table.footer_rows), "{n} totals line", "{n} totals lines")
                )
            note += "."
        else:
            note = self.tr("No column headings found.")
        self.layout_note.setText(note)
        self.layout_note.setAccessibleName(note)
        self.layout_note.setToolTip(note)
        self.columns.show_rows(session)
        self.show_values(session)

    def show_values(self, session: MappingSession) -> None:
        self.values.show_rows(session, self.every.isChecked())
        if self.values.rowCount():
            note = QCoreApplication.translate("MappingPanel", self.VALUES_NOTE)
        elif session.values:
            note = self.tr(
                "Nothing to decide: the profile knows every value (Show every value lists them)."
            )
        else:
            note = self.tr("Nothing to decide: no mapped column holds values to check.")
        self.values_note.setText(note)
        self.values_note.setAccessibleName(note)
        self.update_counts(session)

    def update_value(self, session: MappingSession, index: int) -> None:
        r = self.values.table_row(index)
        if r is not None:
            self.values.update_row(r, session.values[index])
        self.update_counts(session)

    def update_counts(self, session: MappingSession) -> None:
        undecided = session.undecided()
        suggested = sum(1 for row in undecided if row.suggestion)
        self.tabs.setTabText(
            self.TAB_VALUES,
            self.tr("Values to &decide ({undecided})").format(undecided=len(undecided)),
        )
        self.accept.setEnabled(suggested > 0)
        self.accept.setText(
            self.tr("&Accept suggestions ({suggested})").format(suggested=suggested)
            if suggested
            else self.tr("&Accept suggestions")
        )

    def show_preview(self, session: MappingSession, review: Review) -> None:
        rows = review.result.rows
        headers, cells, tips = preview_rows(session.definition, rows)
        self.preview_model.set_rows(cells, tips, headers=headers)
        header = self.preview.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in range(len(headers)):
            self.preview.resizeColumnToContents(column)
        shown = min(len(rows), PREVIEW_ROWS)
        if not rows:
            note = self.tr("No case can be imported yet.")
        elif shown == len(rows):
            note = self.tr("All {counted} as they will be imported.").format(
                counted=counted(len(rows), "{n} case", "{n} cases")
            )
        else:
            note = self.tr("The first {shown} of {rows} cases as they will be imported.").format(
                shown=shown, rows=len(rows)
            )
        note += self.tr(" Choose a row to see what was read from the file's own spellings.")
        if _ages_from_dates(session):
            note += self.tr(" Ages are worked out from the dates of birth as at {date}.").format(
                date=f"{session.reference_date.day} {session.reference_date:%B %Y}"
            )
        self.preview_note.setText(note)
        self.preview_detail.setText("")
        self.preview_note.setAccessibleName(note)
        self.tabs.setTabText(self.TAB_PREVIEW, self.tr("Pre&view ({rows})").format(rows=len(rows)))

    def _show_preview_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        rows = self.preview_model.tips
        text = rows[current.row()].replace("\n", "; ") if 0 <= current.row() < len(rows) else ""
        self.preview_detail.setText(text)
        self.preview_detail.setAccessibleDescription(text)

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)


class ExclusionBox(QFrame):
    """Rows the import would leave out, how they differ from the rows kept, and the lead's
    confirmation with a reason. A view: `changed` when the confirmation or reason changes."""

    changed = Signal()
    SHOWN_LINES = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Rows left out of the import"))
        self._key: object = None
        self.heading = QLabel()
        self.heading.setFont(heading_font(self.font(), 1.0))
        self.heading.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.sentences = QListWidget()
        self.sentences.setAccessibleName(
            self.tr("How the rows left out differ from the cases kept")
        )
        self.sentences.setWordWrap(True)
        self.sentences.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.sentences.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sentences.setUniformItemSizes(True)
        self.confirm = QCheckBox(self.tr("I c&onfirm leaving these rows out"))
        self.confirm.setAccessibleName(self.tr("I confirm leaving these rows out"))
        self.confirm.toggled.connect(lambda _on: self.changed.emit())
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason for leaving the rows out"))
        self.reason.setPlaceholderText(
            self.tr("for example: transferred to another area after the list was drawn")
        )
        self.reason.textChanged.connect(lambda _text: self.changed.emit())
        reason_label = QLabel(self.tr("Rea&son"))
        reason_label.setBuddy(self.reason)
        confirm_row = QHBoxLayout()
        confirm_row.addWidget(self.confirm)
        confirm_row.addSpacing(12)
        confirm_row.addWidget(reason_label)
        confirm_row.addWidget(self.reason, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.detail)
        layout.addWidget(self.sentences)
        layout.addLayout(confirm_row)

    def forget(self) -> None:
        """Nothing is left out any more: rows left out later need confirming again."""
        self._key = None
        self.confirm.blockSignals(True)
        self.confirm.setChecked(False)
        self.confirm.blockSignals(False)

    @property
    def confirmed(self) -> bool:
        return self.confirm.isChecked() and bool(self.reason.text().strip())

    def show_left_out(
        self,
        key: object,
        total: int,
        kept: int,
        mapped: int,
        problems: int,
        differences: Sequence[Difference],
    ) -> None:
        """Show the rows left out; a different set of rows needs confirming again."""
        if key != self._key:
            self._key = key
            self.confirm.blockSignals(True)
            self.confirm.setChecked(False)
            self.confirm.blockSignals(False)
        left = mapped + problems
        notable = [d for d in differences if d.notable]
        self.heading.setText(
            self.tr("{counted} of {total} will be left out of the import").format(
                counted=counted(left, "{n} row", "{n} rows"), total=total
            )
            + (self.tr(": they differ from the cases kept") if notable else "")
        )
        self.heading.setStyleSheet(f"color: {css_color(attention(self))};" if notable else "")
        why = []
        if mapped:
            why.append(
                self.tr("{counted} mapped to (exclude)").format(
                    counted=counted(mapped, "{n} row", "{n} rows")
                )
            )
        if problems:
            why.append(
                self.tr("{counted} with problems").format(
                    counted=counted(problems, "{n} row", "{n} rows")
                )
            )
        compared = (
            self.tr("Compared with the {counted} kept (notable differences first):").format(
                counted=counted(kept, "{n} case", "{n} cases")
            )
            if differences
            else self.tr("They do not differ from the cases kept in any profile field.")
        )
        self.detail.setText(f"{' and '.join(why)}. {compared}")
        self.sentences.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        for difference in differences:
            text = _capital(difference.sentence)
            if difference.notable:
                text = self.tr("Notable: {text}").format(text=text)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
            item.setToolTip(text)
            if difference.notable:
                item.setFont(bold)
                item.setForeground(attention(self))
            self.sentences.addItem(item)
        self.sentences.setVisible(bool(differences))
        if differences:  # up to four whole lines, then it scrolls
            lines = min(len(differences), self.SHOWN_LINES)
            frame = self.sentences.frameWidth() * 2
            self.sentences.setFixedHeight(self.sentences.sizeHintForRow(0) * lines + frame)
        self.setAccessibleDescription(f"{self.heading.text()}. {self.detail.text()}")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


__all__ = [
    "NOT_IN_FILE",
    "STATE_TEXT",
    "ColumnRow",
    "ColumnsTable",
    "ExclusionBox",
    "MappingPanel",
    "MappingSession",
    "Review",
    "ValueRow",
    "ValuesTable",
    "open_sample",
    "preview_rows",
    "reference_date",
    "review_mapping",
    "state_text",
]
