"""The master's Overview page: where fieldwork stands, per person and overall.

Every figure is a link: Enter, a click or a double-click on it asks the window (through
`scopeRequested`) to show the case list narrowed to the cases it counts. The figures are read
off the UI thread, like the findings, and a stale answer (the file changed since) is dropped.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPalette,
    QResizeEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector_app.app.dashboard import CaseScope, Dashboard, Figure, Progress, load_dashboard
from inspector_app.core.plural import counted
from inspector_app.gui.background import run_in_background
from inspector_app.gui.link_label import LinkLabel
from inspector_app.gui.style import attention, char_width, css_color, heading_font, muted_text
from inspector_app.gui.table_model import HeaderedTableModel
from inspector_app.gui.translation import QT_TRANSLATE_NOOP

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()

TOTAL_NAME = QT_TRANSLATE_NOOP("dashboard_view", "All cases")


def _total_name() -> str:
    """The totals row's name, in place of a person's."""
    return QCoreApplication.translate("dashboard_view", TOTAL_NAME)


def _answers(count: int) -> str:
    return counted(count, "{n} answer", "{n} answers")


class DashboardModel(HeaderedTableModel):
    """One row per team member with cases, then the totals; figure cells carry a Figure."""

    COL_PERSON = 0
    COL_ROLE = 1
    COL_CASES = 2
    COL_NOT_STARTED = 3
    COL_IN_PROGRESS = 4
    COL_COMPLETE = 5
    COL_NOTES = 6
    COL_CONFLICTS = 7
    COL_REVIEW = 8
    COL_SECOND = 9
    COL_LATEST = 10

    HEADERS = (
        QT_TRANSLATE_NOOP("DashboardModel", "Person"),
        QT_TRANSLATE_NOOP("DashboardModel", "Role"),
        QT_TRANSLATE_NOOP("DashboardModel", "Cases"),
        QT_TRANSLATE_NOOP("DashboardModel", "Not started"),
        QT_TRANSLATE_NOOP("DashboardModel", "In progress"),
        QT_TRANSLATE_NOOP("DashboardModel", "Complete"),
        QT_TRANSLATE_NOOP("DashboardModel", "Notes missing"),
        QT_TRANSLATE_NOOP("DashboardModel", "Conflicts"),
        QT_TRANSLATE_NOOP("DashboardModel", "Review notes"),
        QT_TRANSLATE_NOOP("DashboardModel", "Second reads"),
        QT_TRANSLATE_NOOP("DashboardModel", "Latest work received"),
    )
    TOOLTIPS = (
        "",
        "",
        QT_TRANSLATE_NOOP("DashboardModel", "Cases allocated to them as first reader"),
        QT_TRANSLATE_NOOP("DashboardModel", "Their cases with no answer yet"),
        QT_TRANSLATE_NOOP("DashboardModel", "Their cases with answers, not yet marked complete"),
        QT_TRANSLATE_NOOP("DashboardModel", "Their cases marked complete"),
        QT_TRANSLATE_NOOP(
            "DashboardModel",
            "Their cases with answers that lack the evidence note the framework asks for "
            "(the number of such answers in brackets)",
        ),
        QT_TRANSLATE_NOOP("DashboardModel", "Their cases with conflicting answers to settle"),
        QT_TRANSLATE_NOOP("DashboardModel", "Their cases with a review note still open"),
        QT_TRANSLATE_NOOP(
            "DashboardModel",
            "Cases they read a second time for quality assurance (how many of those are complete)",
        ),
        QT_TRANSLATE_NOOP(
            "DashboardModel",
            "When the newest work of theirs now in the master was written (local time)",
        ),
    )

    FigureRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Progress] = []
        self._link = QColor()
        self._attention = QColor()
        self._muted = QColor()
        self._font_base = QFont()

    def set_style(self, font: QFont, link: QColor, warn: QColor, muted: QColor) -> None:
        """The view's font and colours (from its palette), so the model never fixes one."""
        self._font_base = QFont(font)
        self._link, self._attention, self._muted = link, warn, muted

    def set_dashboard(self, dashboard: Dashboard | None) -> None:
        self.beginResetModel()
        self._rows = [] if dashboard is None else [*dashboard.people, dashboard.total]
        self.endResetModel()

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(section) if section >= self.COL_CASES else None
        return super().headerData(section, orientation, role)

    def _alignment(self, column: int) -> int:
        """Figures to the right; the time centred, clear of the figures before it."""
        across = (
            Qt.AlignmentFlag.AlignHCenter
            if column == self.COL_LATEST
            else Qt.AlignmentFlag.AlignRight
        )
        return int(across | Qt.AlignmentFlag.AlignVCenter)

    def first_link(self) -> QModelIndex:
        """The first cell that is a link, row by row (where the keyboard starts)."""
        for row in range(len(self._rows)):
            for column in range(self.COL_CASES, self.COL_LATEST):
                index = self.index(row, column)
                if self.is_link(index):
                    return index
        return self.index(0, self.COL_CASES) if self._rows else QModelIndex()

    def progress_at(self, row: int) -> Progress | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def figure_at(self, index: Index) -> Figure | None:
        """The figure a cell shows (None for the name, role and time cells)."""
        progress = self.progress_at(index.row()) if index.isValid() else None
        return None if progress is None else self._figure(progress, index.column())

    def _figure(self, progress: Progress, column: int) -> Figure | None:
        return {
            self.COL_CASES: progress.cases,
            self.COL_NOT_STARTED: progress.not_started,
            self.COL_IN_PROGRESS: progress.in_progress,
            self.COL_COMPLETE: progress.complete,
            self.COL_NOTES: progress.notes_missing,
            self.COL_CONFLICTS: progress.conflicts,
            self.COL_REVIEW: progress.review_notes,
            self.COL_SECOND: progress.second_reads,
        }.get(column)

    def is_link(self, index: Index) -> bool:
        figure = self.figure_at(index)
        return figure is not None and figure.count > 0

    def index_of(self, name: str | None, column: int) -> QModelIndex:
        for row, progress in enumerate(self._rows):
            if progress.name == name:
                return self.index(row, column)
        return QModelIndex()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        progress = self.progress_at(index.row()) if index.isValid() else None
        if progress is None:
            return None
        column = index.column()
        figure = self.figure_at(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(progress, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible(progress, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(progress, figure)
        if role == Qt.ItemDataRole.TextAlignmentRole and (
            figure is not None or column == self.COL_LATEST
        ):
            return self._alignment(column)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(progress, index)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(progress, column, figure)
        if role == self.FigureRole:
            return figure
        return None

    def _display(self, p: Progress, column: int) -> str:
        if column == self.COL_PERSON:
            return p.name or _total_name()
        if column == self.COL_ROLE:
            return p.role
        if column == self.COL_NOTES and p.notes_missing.count:
            return f"{p.notes_missing.count} ({_answers(p.notes_missing_answers)})"
        if column == self.COL_SECOND and p.second_reads.count:
            # The cases' status (a second read has none of its own): the tooltip says so.
            return self.tr("{count} ({count2} complete)").format(
                count=p.second_reads.count, count2=p.second_reads_complete.count
            )
        if column == self.COL_LATEST:
            return p.latest_text
        figure = self._figure(p, column)
        return str(figure.count) if figure is not None else ""

    def _accessible(self, p: Progress, column: int) -> str:
        text = self._display(p, column)
        if column in (self.COL_PERSON, self.COL_ROLE):
            return text
        return f"{p.name or _total_name()}, {self.header_text(column).lower()}: {text}"

    def _tooltip(self, p: Progress, figure: Figure | None) -> str | None:
        if figure is None:
            return None
        text = f"{figure.scope.describe()}: {figure.count}"
        if figure is p.notes_missing and figure.count:
            text += self.tr(", with {answers} missing a required note").format(
                answers=_answers(p.notes_missing_answers)
            )
        if figure is p.second_reads and figure.count:
            text += self.tr(", {count} on cases marked complete").format(
                count=p.second_reads_complete.count
            )
        if figure.count:
            text += self.tr("\nEnter or click to list them")
        return text

    def _font(self, p: Progress, index: Index) -> QFont | None:
        total = p.name is None
        link = self.is_link(index)
        if not total and not link:
            return None
        font = QFont(self._font_base)
        font.setBold(total)
        font.setUnderline(link)
        return font

    def _foreground(self, p: Progress, column: int, figure: Figure | None) -> QColor | None:
        if column == self.COL_LATEST and p.latest_work is None:
            return self._muted if self._muted.isValid() else None
        if figure is None:
            return None
        if not figure.count:
            return self._muted if self._muted.isValid() else None
        warn = column in (self.COL_NOTES, self.COL_CONFLICTS, self.COL_REVIEW)
        colour = self._attention if warn else self._link
        return colour if colour.isValid() else None


class FigureTable(QTableView):
    """The table of figures: Enter (or Return, or Space) follows the current cell's link, a
    click follows the link under the pointer, which shows as a pointing hand."""

    figureActivated = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.clicked.connect(self.figureActivated)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
        if event.key() in keys and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            if self.currentIndex().isValid():
                self.figureActivated.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        model = self.model()
        index = self.indexAt(event.position().toPoint())
        link = isinstance(model, DashboardModel) and model.is_link(index)
        cursor = Qt.CursorShape.PointingHandCursor if link else Qt.CursorShape.ArrowCursor
        self.viewport().setCursor(cursor)


class DashboardView(QWidget):
    """The figures of one master, read off the UI thread when the file is set (and shown) and
    whenever `reload` is called (after a merge)."""

    scopeRequested = Signal(object)  # a CaseScope: show the case list narrowed to it
    conflictsRequested = Signal()  # the open conflicts link: show the conflicts to settle
    loaded = Signal()  # the page shows the figures asked for last

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Overview"))
        self.path: Path | None = None
        self._passphrase: str | None = None
        self._token = 0
        self._stale = False
        self._computing = False
        self.dashboard: Dashboard | None = None
        self.model = DashboardModel(self)
        self._build()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.reload)

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        base = self.font()
        muted = f"color: {css_color(muted_text(self))};"
        self.heading = QLabel(self.tr("Overview"))
        self.heading.setFont(heading_font(base, 1.35))
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName(self.tr("Inspection"))
        self.dates = QLabel()
        self.dates.setTextFormat(Qt.TextFormat.PlainText)
        self.dates.setStyleSheet(muted)
        self.dates.setAccessibleName(self.tr("Fieldwork dates"))
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setAccessibleName(self.tr("Refresh the figures"))
        self.refresh_button.setToolTip(self.tr("Read the figures from the master again (F5)"))
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(self.reload)

        self.overall = LinkLabel()  # its links reached by Tab, left by Shift+Tab too
        self.overall.setTextFormat(Qt.TextFormat.RichText)
        self.overall.setWordWrap(True)
        self.overall.setAccessibleName(self.tr("Overall figures"))
        self.overall.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.overall.linkActivated.connect(self._overall_link)
        self.state = QLabel(self.tr("No file"))
        self.state.setStyleSheet(muted)
        self.state.setAccessibleName(self.tr("State of the figures"))

        self.table = FigureTable()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Progress by person"))
        self.table.setAccessibleDescription(
            self.tr(
                "One row per person with cases, then all cases; press Enter on a figure "
                "to list its cases"
            )
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        # As big as its rows and columns (a team is a handful of people, so the figures stay
        # beside the names on a wide screen), scrolling only when the window is too small.
        self.table.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.table.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(round(self.fontMetrics().height() * 1.8))
        header = self.table.horizontalHeader()
        header.setAccessibleName(self.tr("Progress columns"))
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.table.figureActivated.connect(self._figure_activated)
        palette = self.palette()
        self.model.set_style(
            self.table.font(),
            palette.color(QPalette.ColorRole.Link),
            attention(self),
            muted_text(self),
        )

        hint = QLabel(
            self.tr(
                "Underlined figures are links: choose one (Enter or click) to see its "
                "cases in the case list."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(muted)
        hint.setAccessibleName(self.tr("How to use the figures"))

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.heading)
        titles.addWidget(self.dates)
        top.addLayout(titles, 1)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)

        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.overall)
        layout.addWidget(self.state)
        layout.addWidget(self.table, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(hint)
        layout.addStretch(1)

        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Refresh),
            self,
            self.reload,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        # No focus proxy on the page (the window puts the keyboard on the table itself):
        # with the table as the page's proxy, Tab from the figures went back to the table
        # and never reached Refresh.
        self.setTabOrder(self.table, self.overall)
        self.setTabOrder(self.overall, self.refresh_button)

    # -- the file --------------------------------------------------------------------------

    def set_file(self, path: Path | None, passphrase: str | None) -> None:
        """Show the figures of this master (None: no file; the page empties). Read now when
        on screen, else when next shown."""
        self.path = Path(path) if path is not None else None
        self._passphrase = passphrase
        self._token += 1
        self._computing = False
        self._show(None)
        self.state.setText(self.tr("No file") if path is None else self.tr("Not read yet"))
        self.state.setStyleSheet(f"color: {css_color(muted_text(self))};")
        self._stale = path is not None
        if self._stale and self.isVisible():
            self.reload()

    def invalidate(self) -> None:
        """The file changed (an edit): read again now if on screen (after a short pause, so a
        burst of edits costs one read), else when next shown."""
        if self.path is None:
            return
        self._stale = True
        if self.isVisible():
            self._debounce.start()

    def reload(self) -> None:
        """Read the figures again now, off the UI thread (after a merge); an answer still on
        its way from an earlier call is dropped."""
        self._debounce.stop()
        if self.path is None:
            return
        self._stale = False
        self._token += 1
        token = self._token
        path, passphrase = self.path, self._passphrase
        self._computing = True
        self.state.setText(self.tr("Reading the master…"))
        run_in_background(
            lambda: load_dashboard(path, passphrase),
            lambda dashboard: self._loaded(token, dashboard),
            lambda exc: self._failed(token, exc),
        )

    def is_computing(self) -> bool:
        return self._computing

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self.path is not None:
            self.reload()

    def _loaded(self, token: int, dashboard: Dashboard) -> None:
        if token != self._token:
            return  # the file changed since; a newer answer is coming
        self._computing = False
        current = self.table.currentIndex()
        progress = self.model.progress_at(current.row()) if current.isValid() else None
        self._show(dashboard)
        self.state.setText(self._state_text(dashboard))
        self.state.setStyleSheet(f"color: {css_color(muted_text(self))};")
        column = current.column() if current.isValid() else DashboardModel.COL_CASES
        index = self.model.index_of(progress.name, column) if progress else QModelIndex()
        if not index.isValid():
            index = self.model.first_link()
        self.table.setCurrentIndex(index)
        self.loaded.emit()

    def _failed(self, token: int, exc: BaseException) -> None:
        if token != self._token:
            return
        self._computing = False
        self.state.setText(self.tr("The figures could not be read: {exc}").format(exc=exc))
        self.state.setStyleSheet(f"color: {css_color(attention(self))};")

    # -- showing ---------------------------------------------------------------------------

    def _size_columns(self) -> None:
        """Each column as wide as its widest text and a gap (the rows are few, so reading them
        all is cheap), without the gaps when the page is too narrow for them: the table fits
        1024 pixels at the default font without scrolling sideways."""
        header = self.table.horizontalHeader()
        columns = range(self.model.columnCount())
        content = [self.table.sizeHintForColumn(c) for c in columns]
        titles = [header.sectionSizeHint(c) for c in columns]
        gap = round(char_width(self) * 2)
        widths = [max(c + gap, t) for c, t in zip(content, titles, strict=True)]
        margins = self._layout.contentsMargins()
        room = self.width() - margins.left() - margins.right() - 2 * self.table.frameWidth()
        if sum(widths) > room:
            widths = [max(c, t) for c, t in zip(content, titles, strict=True)]
        for column, width in zip(columns, widths, strict=True):
            self.table.setColumnWidth(column, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.dashboard is not None:
            self._size_columns()

    def _show(self, dashboard: Dashboard | None) -> None:
        self.dashboard = dashboard
        self.model.set_dashboard(dashboard)
        if dashboard is None:
            self.heading.setText(self.tr("Overview"))
            self.dates.clear()
            self.overall.clear()
            return
        self.heading.setText(dashboard.title)
        self.heading.setAccessibleDescription(dashboard.title)
        dates = (
            self.tr("Fieldwork {fieldwork_dates}").format(fieldwork_dates=dashboard.fieldwork_dates)
            if dashboard.fieldwork_dates
            else ""
        )
        self.dates.setText(dates)
        self.dates.setVisible(bool(dates))
        self.overall.setText(self._overall_html(dashboard))
        self.overall.setAccessibleDescription(self._overall_plain(dashboard))
        self._size_columns()

    def _state_text(self, dashboard: Dashboard) -> str:
        latest = dashboard.total.latest_text
        people = counted(len(dashboard.people), "{n} person", "{n} people")
        return self.tr("{people} with cases · latest work received: {latest}").format(
            people=people, latest=latest
        )

    def _overall_parts(self, d: Dashboard) -> list[tuple[str, str | None]]:
        """(text, link) pieces of the overall line; a link is a total's number or 'conflicts'."""
        t = d.total
        figures = list(t.figures())

        def link(figure: Figure, text: str) -> tuple[str, str | None]:
            return text, f"figure:{figures.index(figure)}" if figure.count else None

        parts = [
            link(t.cases, counted(t.cases.count, "{n} case", "{n} cases")),
            (": ", None),
            link(t.not_started, self.tr("{count} not started").format(count=t.not_started.count)),
            (", ", None),
            link(t.in_progress, self.tr("{count} in progress").format(count=t.in_progress.count)),
            (", ", None),
            link(t.complete, self.tr("{count} complete").format(count=t.complete.count)),
            (" · ", None),
            link(
                t.notes_missing,
                self.tr("{counted} with notes missing").format(
                    counted=counted(t.notes_missing.count, "{n} case", "{n} cases")
                ),
            ),
        ]
        if t.notes_missing.count:
            parts.append((f" ({_answers(t.notes_missing_answers)})", None))
        parts += [
            (" · ", None),
            link(
                t.conflicts,
                self.tr("{counted} with conflicting answers").format(
                    counted=counted(t.conflicts.count, "{n} case", "{n} cases")
                ),
            ),
            (" · ", None),
            link(
                t.second_reads, counted(t.second_reads.count, "{n} second read", "{n} second reads")
            ),
        ]
        if t.second_reads.count:
            parts += [
                (", ", None),
                link(
                    t.second_reads_complete,
                    self.tr("{count} on complete cases").format(
                        count=t.second_reads_complete.count
                    ),
                ),
            ]
        conflicts = counted(d.open_conflicts, "{n} open conflict", "{n} open conflicts")
        parts += [
            (" · ", None),
            (
                self.tr("{conflicts} to settle").format(conflicts=conflicts),
                "conflicts" if d.open_conflicts else None,
            ),
        ]
        return parts

    def _overall_html(self, d: Dashboard) -> str:
        """The line wraps between its figures, never inside one ("2 open conflicts / to
        settle" on a 1024-wide laptop)."""

        def piece(text: str, href: str | None) -> str:
            if text.strip() in ("·", ",", ":"):  # between figures: the line may break here
                return html.escape(text)
            whole = html.escape(text).replace(" ", "&nbsp;")
            return f'<a href="{href}">{whole}</a>' if href else whole

        return "".join(piece(text, href) for text, href in self._overall_parts(d))

    def _overall_plain(self, d: Dashboard) -> str:
        return "".join(text for text, _href in self._overall_parts(d))

    # -- links -----------------------------------------------------------------------------

    def _figure_activated(self, index: QModelIndex) -> None:
        figure = self.model.figure_at(index)
        if figure is not None and figure.count:
            self.scopeRequested.emit(figure.scope)

    def _overall_link(self, href: str) -> None:
        if href == "conflicts":
            self.conflictsRequested.emit()
            return
        if self.dashboard is None or not href.startswith("figure:"):
            return
        figures = self.dashboard.total.figures()
        position = int(href.removeprefix("figure:"))
        if 0 <= position < len(figures):
            self.scopeRequested.emit(figures[position].scope)

    def scope_at(self, row: int, column: int) -> CaseScope | None:
        """The scope behind a cell (tests, and anyone who wants to follow it without a click)."""
        figure = self.model.figure_at(self.model.index(row, column))
        return figure.scope if figure is not None else None
