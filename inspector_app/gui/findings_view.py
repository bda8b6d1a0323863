"""The lead's Findings view: every scored question's figures with its words, each criterion's
pooled figure, for all cases or a sub-group, with a chart of the chosen criterion and the drafted
finding sentence of the chosen question; for a framework with ratings, a Ratings tab (each
standard's rating, the lead's adjustments); and a Comparison tab (this inspection beside the
published ones in the central store).

`FindingsView` is the controller: it asks a background worker for the figures and ratings (the
worker opens the master itself, with the same passphrase) and shows the answer; an adjustment
of a rating is written through the window's file (`file_source`) and announced (`announce`).
`FindingsModel`, `SectionChart`, `RatingsPanel` and `ComparisonPanel` only hold and draw what
they are given (the comparison reads its own figures, off the UI thread, when shown).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QFont,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from inspector_app.app.ratings import (
    FindingsAndRatings,
    RatingsOverview,
    adjust_standard_rating,
    load_findings_and_ratings,
    remove_standard_adjustment,
)
from inspector_app.core.errors import InspectorError
from inspector_app.core.findings.figures import Findings, PooledFigures, QuestionFigures, subgroups
from inspector_app.core.plural import counted
from inspector_app.core.report.data import pooled_sentence
from inspector_app.gui.background import run_in_background
from inspector_app.gui.comparison_panel import ComparisonPanel
from inspector_app.gui.dialogs import ErrorDialog
from inspector_app.gui.ratings_panel import (
    AdjustRatingDialog,
    ConfirmRemoveAdjustmentDialog,
    RatingsPanel,
)
from inspector_app.gui.style import attention, char_width, css_color, heading_font, mix, muted_text
from inspector_app.gui.table_model import HeaderedTableModel
from inspector_app.gui.translation import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from inspector_app.core.changes import Changes
    from inspector_app.core.files.inspection_file import InspectionFile

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()

OVERALL = "overall"
SECTION = "section"
STAGE = "stage"
QUESTION = "question"

DISPUTED = QT_TRANSLATE_NOOP("findings_view", "disputed")
NO_CASES = QT_TRANSLATE_NOOP("findings_view", "no cases")
DASH = "–"


def _disputed() -> str:
    return QCoreApplication.translate("findings_view", DISPUTED)


def _no_cases() -> str:
    return QCoreApplication.translate("findings_view", NO_CASES)


def score_text(sufficient: int, denominator: int) -> str:
    return (
        _no_cases()
        if denominator == 0
        else QCoreApplication.translate("findings_view", "{sufficient} of {denominator}").format(
            sufficient=sufficient, denominator=denominator
        )
    )


def percent_text(percent: int | None) -> str:
    return DASH if percent is None else f"{percent}%"


@dataclass(frozen=True)
class FindingsRow:
    """One row of the table: the overall figure, a criterion (pooled; kind SECTION) or a
    question; `section_code` is the criterion the row belongs to."""

    kind: str
    code: str
    section_code: str
    title: str
    figures: QuestionFigures | PooledFigures


def rows_of(findings: Findings | None) -> list[FindingsRow]:
    """Overall first, then each criterion the report scores (grouped by stage) followed by
    its questions, as the report orders them."""
    if findings is None:
        return []
    rows = [
        FindingsRow(
            OVERALL,
            "",
            "",
            QCoreApplication.translate("findings_view", "All scored questions (pooled)"),
            findings.overall,
        )
    ]
    stages = {s.code: s for s in findings.stage_figures}
    stage = None
    for criterion in findings.criteria:
        if not criterion.question_codes:
            continue
        if criterion.stage in stages and criterion.stage != stage:
            stage = criterion.stage
            pooled = stages[stage]
            rows.append(
                FindingsRow(
                    STAGE,
                    stage,
                    stage,
                    QCoreApplication.translate("findings_view", "{title} (pooled)").format(
                        title=pooled.title
                    ),
                    pooled,
                )
            )
        title = QCoreApplication.translate("findings_view", "{title} (pooled)").format(
            title=criterion.title
        )
        rows.append(FindingsRow(SECTION, criterion.code, criterion.code, title, criterion))
        rows.extend(
            FindingsRow(
                QUESTION,
                code,
                criterion.code,
                findings.question(code).text,
                findings.question(code),
            )
            for code in criterion.question_codes
        )
    return rows


# -- the table -------------------------------------------------------------------------------


class FindingsModel(HeaderedTableModel):
    """The figures, one row per question with a pooled row before each criterion's questions."""

    COL_CODE = 0
    COL_QUESTION = 1
    COL_SCORE = 2
    COL_PERCENT = 3
    COL_WORDS = 4
    COL_NA = 5
    COL_UNANSWERED = 6
    COL_DISPUTED = 7

    KindRole = Qt.ItemDataRole.UserRole + 1  # OVERALL / STAGE / SECTION / QUESTION
    CodeRole = Qt.ItemDataRole.UserRole + 2  # question or section code ("" for overall)
    SectionRole = Qt.ItemDataRole.UserRole + 3  # the criterion the row belongs to
    FiguresRole = Qt.ItemDataRole.UserRole + 4  # QuestionFigures or PooledFigures

    HEADERS = (
        QT_TRANSLATE_NOOP("FindingsModel", "Code"),
        QT_TRANSLATE_NOOP("FindingsModel", "Question"),
        QT_TRANSLATE_NOOP("FindingsModel", "Sufficient"),
        "%",
        QT_TRANSLATE_NOOP("FindingsModel", "In words"),
        QT_TRANSLATE_NOOP("FindingsModel", "N/A"),
        QT_TRANSLATE_NOOP("FindingsModel", "Unanswered"),
        QT_TRANSLATE_NOOP("FindingsModel", "Disputed"),
    )
    TOOLTIPS = (
        QT_TRANSLATE_NOOP("FindingsModel", "Question or section code"),
        QT_TRANSLATE_NOOP("FindingsModel", "The question, or the criterion's questions pooled"),
        QT_TRANSLATE_NOOP(
            "FindingsModel",
            "Cases where the work was sufficient, of those judged (N/A and unanswered excluded)",
        ),
        QT_TRANSLATE_NOOP("FindingsModel", "Share of judged cases where the work was sufficient"),
        QT_TRANSLATE_NOOP("FindingsModel", "The share in the house style used in the report"),
        QT_TRANSLATE_NOOP(
            "FindingsModel", "Cases where the question did not apply in the assessor's judgement"
        ),
        QT_TRANSLATE_NOOP(
            "FindingsModel", "Cases where the question applied but has no answer yet"
        ),
        QT_TRANSLATE_NOOP("FindingsModel", "An open conflict touches an answer counted here"),
    )
    _NUMBER_COLUMNS = (COL_SCORE, COL_PERCENT, COL_NA, COL_UNANSWERED)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[FindingsRow] = []
        self.findings: Findings | None = None

    def set_findings(self, findings: Findings | None) -> None:
        self.beginResetModel()
        self.findings = findings
        self._rows = rows_of(findings)
        self.endResetModel()

    def row_at(self, row: int) -> FindingsRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, kind: str, code: str) -> int:
        for number, row in enumerate(self._rows):
            if row.kind == kind and row.code == code:
                return number
        return -1

    # -- Qt model interface ----------------------------------------------------------------

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.FontRole and row.kind != QUESTION:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self._NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.KindRole:
            return row.kind
        if role == self.CodeRole:
            return row.code
        if role == self.SectionRole:
            return row.section_code
        if role == self.FiguresRole:
            return row.figures
        return None

    def _display(self, row: FindingsRow, column: int) -> str:
        figures = row.figures
        if column == self.COL_CODE:
            return row.code
        if column == self.COL_QUESTION:
            return row.title
        if column == self.COL_SCORE:
            return score_text(figures.sufficient, figures.denominator)
        if column == self.COL_PERCENT:
            return percent_text(figures.percent)
        if column == self.COL_WORDS:
            return figures.words or DASH
        if column == self.COL_DISPUTED:
            return _disputed() if figures.disputed else ""
        if not isinstance(figures, QuestionFigures):
            return ""  # N/A and unanswered are per question
        return str(figures.na if column == self.COL_NA else figures.unanswered)

    def _accessible(self, row: FindingsRow, column: int) -> str:
        text = self._display(row, column)
        if column == self.COL_SCORE and row.figures.denominator:
            return counted(
                row.figures.sufficient,
                "{text} case sufficient",
                "{text} cases sufficient",
                text=text,
            )
        if column == self.COL_DISPUTED and not text:
            return self.tr("not disputed")
        if column == self.COL_NA and text:
            return self.tr("{text} not applicable").format(text=text)
        if column == self.COL_UNANSWERED and text:
            return self.tr("{text} unanswered").format(text=text)
        return text

    def _tooltip(self, row: FindingsRow, column: int) -> str | None:
        figures = row.figures
        if column == self.COL_QUESTION:
            return row.title
        if column == self.COL_DISPUTED and figures.disputed:
            if isinstance(figures, QuestionFigures):
                count = figures.disputed_answers
                return counted(
                    count,
                    "{n} answer counted here is in an open conflict",
                    "{n} answers counted here are in an open conflict",
                )
            return self.tr("An open conflict touches a question counted here")
        if isinstance(figures, QuestionFigures) and column in (self.COL_WORDS, self.COL_SCORE):
            return figures.sentence
        return None


# -- the chart -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartBar:
    code: str
    text: str
    sufficient: int
    denominator: int
    percent: int | None
    disputed: bool
    chosen: bool = False

    @property
    def value_text(self) -> str:
        if self.denominator == 0:
            return _no_cases()
        text = QCoreApplication.translate(
            "ChartBar", "{percent}% ({sufficient} of {denominator})"
        ).format(percent=self.percent, sufficient=self.sufficient, denominator=self.denominator)
        return f"{text}, {_disputed()}" if self.disputed else text

    def spoken(self) -> str:
        return f"{self.code}: {self.value_text}"


class SectionChart(QWidget):
    """A horizontal bar chart of one criterion's questions: share sufficient, 0-100%. Every bar
    carries its figures as text, a disputed bar is hatched and says so, and the chosen bar is
    marked with an arrow and bold text (never by colour alone). The accessible description is
    the whole chart as text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.bars: list[ChartBar] = []
        self.setAccessibleName(self.tr("Chart of the chosen criterion"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def set_bars(self, title: str, bars: list[ChartBar]) -> None:
        self.title = title
        self.bars = bars
        self.setAccessibleName(
            self.tr("Chart: {title}").format(title=title)
            if title
            else self.tr("Chart of the chosen criterion")
        )
        self.setAccessibleDescription(self.text_alternative())
        self.setToolTip(self.text_alternative().replace("; ", "\n"))
        self.updateGeometry()
        self.update()

    def text_alternative(self) -> str:
        if not self.bars:
            return self.tr("No criterion chosen.")
        values = "; ".join(bar.spoken() for bar in self.bars)
        return self.tr("{title}. Share of cases where the work was sufficient: {values}").format(
            title=self.title, values=values
        )

    def _row_height(self) -> int:
        return round(self.fontMetrics().height() * 1.7)

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        rows = max(len(self.bars), 3)
        return QSize(round(char_width(self) * 60), fm.height() * 4 + rows * self._row_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(round(char_width(self) * 40), self.fontMetrics().height() * 8)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_color = palette.color(QPalette.ColorRole.WindowText)
        muted = muted_text(self)
        fm = self.fontMetrics()
        pad = round(char_width(self))
        top = pad
        painter.setPen(text_color)
        title_font = heading_font(self.font(), 1.05)
        painter.setFont(title_font)
        title_rect = QRectF(pad, top, self.width() - 2 * pad, fm.height() * 1.4)
        painter.drawText(
            title_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            self.title or self.tr("Choose a question or criterion"),
        )
        painter.setFont(self.font())
        if not self.bars:
            return
        top += round(fm.height() * 1.8)
        bold = QFont(self.font())
        bold.setBold(True)
        bold_fm = QFontMetrics(bold)
        label_width = max(bold_fm.horizontalAdvance(f"▶ {b.code}") for b in self.bars) + pad
        value_width = max(bold_fm.horizontalAdvance(b.value_text) for b in self.bars) + pad
        left = pad + label_width
        right = self.width() - pad - value_width
        if right - left < char_width(self) * 10:
            right = left + char_width(self) * 10
        span = right - left
        row_h = self._row_height()
        bar_h = round(row_h * 0.62)
        axis_top = top
        axis_bottom = top + row_h * len(self.bars)

        # Grid at 0, 25, 50, 75, 100 per cent, labelled under the bars.
        grid = mix(palette.color(QPalette.ColorRole.Window), text_color, 0.2)
        for tick in (0, 25, 50, 75, 100):
            x = left + span * tick / 100
            painter.setPen(
                QPen(grid, 1, Qt.PenStyle.SolidLine if tick in (0, 100) else Qt.PenStyle.DotLine)
            )
            painter.drawLine(round(x), axis_top, round(x), axis_bottom)
            painter.setPen(muted)
            label = f"{tick}%"
            w = fm.horizontalAdvance(label)
            painter.drawText(
                QRectF(x - w / 2 - 2, axis_bottom + 2, w + 4, fm.height()),
                int(Qt.AlignmentFlag.AlignCenter),
                label,
            )

        fill = palette.color(QPalette.ColorRole.Highlight)
        plain = mix(fill, palette.color(QPalette.ColorRole.Window), 0.35)
        for number, bar in enumerate(self.bars):
            y = top + number * row_h
            mid_rect = QRectF(pad, y, label_width - pad / 2, row_h)
            painter.setFont(bold if bar.chosen else self.font())
            painter.setPen(text_color)
            painter.drawText(
                mid_rect,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                f"▶ {bar.code}" if bar.chosen else bar.code,
            )
            value_rect = QRectF(right + pad / 2, y, value_width, row_h)
            if bar.denominator and bar.percent is not None:
                width = max(1.0, span * bar.sufficient / bar.denominator)
                rect = QRectF(left, y + (row_h - bar_h) / 2, width, bar_h)
                color = fill if bar.chosen else plain
                painter.setPen(QPen(mix(color, text_color, 0.35), 1))
                painter.setBrush(QBrush(color))
                painter.drawRect(rect)
                if bar.disputed:
                    painter.setBrush(QBrush(text_color, Qt.BrushStyle.BDiagPattern))
                    painter.drawRect(rect)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                value_rect = QRectF(left + width + pad / 2, y, span + value_width, row_h)
            painter.setPen(attention(self) if bar.disputed else text_color)
            painter.drawText(
                value_rect,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                bar.value_text,
            )
        painter.end()


# -- the view --------------------------------------------------------------------------------


class FindingsView(QWidget):
    """The figures of one master, read off the UI thread whenever the file, the sub-group or
    the in-progress option change (and when it is shown after the file changed)."""

    loaded = Signal()  # the table (and the ratings) show the figures asked for last
    message = Signal(str)  # for the status bar: what an adjustment did

    ALL_CASES = QT_TRANSLATE_NOOP("FindingsView", "All cases")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Findings"))
        self.path: Path | None = None
        self._passphrase: str | None = None
        self._token = 0
        self._stale = False
        self._computing = False
        self.findings: Findings | None = None
        self.ratings: RatingsOverview | None = None
        # Set by the window: the master it holds open (an adjustment is written through it),
        # and how a change is announced to the other screens. Without them (the view on its
        # own) the view writes through a connection of its own and reads its figures again.
        self.file_source: Callable[[], InspectionFile | None] | None = None
        self.announce: Callable[[Changes], None] | None = None
        self.model = FindingsModel(self)
        self._build()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.recompute)

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        base = self.font()
        muted = f"color: {css_color(muted_text(self))};"
        self.heading = QLabel(self.tr("Findings"))
        self.heading.setFont(heading_font(base, 1.35))
        self.heading.setAccessibleName(self.tr("Findings"))

        self.subgroup_combo = QComboBox()
        self.subgroup_combo.setAccessibleName(self.tr("Sub-group of cases counted"))
        self.subgroup_combo.setToolTip(
            self.tr("Count all cases, or only the cases of one sub-group")
        )
        self.subgroup_combo.addItem(
            QCoreApplication.translate("FindingsView", self.ALL_CASES), None
        )
        try:
            groups = subgroups()
        except Exception:  # a broken shipped file: the view still works for all cases
            groups = {}
        for name, group in groups.items():
            self.subgroup_combo.addItem(group.title or name, name)
            self.subgroup_combo.setItemData(
                self.subgroup_combo.count() - 1,
                group.label,
                Qt.ItemDataRole.ToolTipRole,
            )
        self.subgroup_combo.currentIndexChanged.connect(lambda _i: self.recompute())
        subgroup_label = QLabel(self.tr("&Sub-group:"))
        subgroup_label.setBuddy(self.subgroup_combo)
        subgroup_label.setAccessibleName(self.tr("Sub-group"))

        self.in_progress_box = QCheckBox(self.tr("Count cases in pro&gress"))
        self.in_progress_box.setAccessibleName(self.tr("Count cases in progress"))
        self.in_progress_box.setToolTip(
            self.tr(
                "Count the cases still being assessed too (by default only complete cases count)"
            )
        )
        self.in_progress_box.toggled.connect(lambda _c: self.recompute())
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setAccessibleName(self.tr("Refresh the figures"))
        self.refresh_button.setToolTip(
            self.tr("Read the figures from the file again, and compare them again (F5)")
        )
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(self.refresh)

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(round(char_width(self) * 3))
        top.addWidget(subgroup_label)
        top.addWidget(self.subgroup_combo)
        top.addSpacing(round(char_width(self) * 2))
        top.addWidget(self.in_progress_box)
        top.addStretch(1)
        top.addWidget(self.refresh_button)

        self.counted_label = QLabel(self.tr("No figures yet"))
        self.counted_label.setAccessibleName(self.tr("Cases counted"))
        self.counted_label.setStyleSheet(muted)
        self.disputed_label = QLabel()
        self.disputed_label.setWordWrap(True)
        self.disputed_label.setAccessibleName(self.tr("Disputed figures"))
        self.disputed_label.setStyleSheet(f"color: {css_color(attention(self))};")
        self.disputed_label.hide()

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Figures by question"))
        self.table.setAccessibleDescription(
            self.tr(
                "One row per scored question; a bold row before each section's questions "
                "gives the section's questions pooled"
            )
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(round(self.fontMetrics().height() * 1.5))
        header = self.table.horizontalHeader()
        header.setAccessibleName(self.tr("Figure columns"))
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FindingsModel.COL_QUESTION, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(round(char_width(self) * 4))
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.chart = SectionChart()

        self.detail_title = QLabel()
        self.detail_title.setFont(heading_font(base, 1.05))
        self.detail_title.setWordWrap(True)
        self.detail_title.setAccessibleName(self.tr("Chosen question"))
        self.detail_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        sentence_heading = QLabel(self.tr("Drafted finding"))
        sentence_heading.setStyleSheet(muted)
        sentence_heading.setAccessibleName(self.tr("Drafted finding"))
        self.sentence = QLabel()
        self.sentence.setWordWrap(True)
        self.sentence.setAccessibleName(self.tr("Drafted finding sentence"))
        self.sentence.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.sentence.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.sentence_note = QLabel()
        self.sentence_note.setWordWrap(True)
        self.sentence_note.setStyleSheet(muted)
        self.sentence_note.setAccessibleName(self.tr("About the figures"))

        detail = QFrame()
        detail.setFrameShape(QFrame.Shape.StyledPanel)
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addSpacing(4)
        detail_layout.addWidget(sentence_heading)
        detail_layout.addWidget(self.sentence)
        detail_layout.addWidget(self.sentence_note)
        detail_layout.addStretch(1)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.chart)
        side_layout.addWidget(detail)
        side_layout.addStretch(1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(side)
        # The figures' table has three-quarters: on a 1024-wide laptop the questions then
        # read as more than their first few words, and the chart still shows every bar.
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        cw = char_width(self)
        self.splitter.setSizes([round(cw * 135), round(cw * 45)])

        self.ratings_panel = RatingsPanel()
        self.ratings_panel.adjustRequested.connect(self.adjust_rating)
        self.ratings_panel.removeRequested.connect(self.remove_adjustment)
        self.comparison = ComparisonPanel()

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Findings pages"))
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setAccessibleName(self.tr("Findings pages"))
        self.figures_tab = self.tabs.addTab(self.splitter, self.tr("Fig&ures"))
        self.ratings_tab = self.tabs.addTab(self.ratings_panel, self.tr("Ra&tings"))
        self.comparison_tab = self.tabs.addTab(self.comparison, self.tr("Com&parison"))
        self.tabs.setTabToolTip(self.figures_tab, self.tr("The figures by question and criterion"))
        self.tabs.setTabToolTip(
            self.ratings_tab, self.tr("Each standard's rating, and your adjustments")
        )
        self.tabs.setTabToolTip(
            self.comparison_tab,
            self.tr("This inspection beside the published inspections in the central store"),
        )
        self.tabs.setTabVisible(self.ratings_tab, False)
        self.tabs.currentChanged.connect(lambda _i: self._focus_current_tab())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.counted_label)
        layout.addWidget(self.disputed_label)
        layout.addWidget(self.tabs, 1)

        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Refresh),
            self,
            self.refresh,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.setTabOrder(self.subgroup_combo, self.in_progress_box)
        self.setTabOrder(self.in_progress_box, self.refresh_button)
        self.setTabOrder(self.refresh_button, self.tabs)
        self.setTabOrder(self.tabs, self.table)
        self.setTabOrder(self.table, self.sentence)
        self._show_detail(None)

    # -- the file --------------------------------------------------------------------------

    def set_file(self, path: Path | None, passphrase: str | None) -> None:
        """Show the figures of this master (None: no file; the view empties)."""
        self.path = Path(path) if path is not None else None
        self._passphrase = passphrase
        self._token += 1
        self._computing = False
        self.findings = None
        self.ratings = None
        self.model.set_findings(None)
        self.ratings_panel.set_overview(None, None)
        self.comparison.set_file(path, passphrase)
        self._show_detail(None)
        self.disputed_label.hide()
        self.counted_label.setText(
            self.tr("No figures yet") if path is None else self.tr("Not calculated yet")
        )
        self._stale = path is not None
        if self._stale and self.isVisible():
            self.recompute()

    def invalidate(self) -> None:
        """The file changed: recalculate now if on screen (after a short pause, so a burst of
        edits costs one read), else when next shown."""
        if self.path is None:
            return
        self._stale = True
        self.comparison.invalidate()
        if self.isVisible():
            self._debounce.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self.path is not None:
            self.recompute()
        # The window gives the figures' table the keyboard; on another tab, that tab has it.
        QTimer.singleShot(0, self._focus_current_tab)

    def _focus_current_tab(self) -> None:
        """The keyboard on the current tab's first control, unless it is already on something
        on screen in this view (the window gives it to the figures' table, which another tab
        may be hiding)."""
        if not self.isVisible():
            return
        focus = QApplication.focusWidget()
        if focus is not None and focus.isVisible() and self.isAncestorOf(focus):
            return
        target: QWidget | None = {
            self.figures_tab: self.table,
            self.ratings_tab: self.ratings_panel.first_button(),
            self.comparison_tab: self.comparison.table
            if self.comparison.table.isVisible()
            else self.comparison.summary,
        }.get(self.tabs.currentIndex())
        if target is None or not target.isVisible():
            target = self.tabs.tabBar()
        target.setFocus()

    def show_tab(self, index: int) -> None:
        """Show one of the tabs (`figures_tab`, `ratings_tab`, `comparison_tab`)."""
        if self.tabs.isTabVisible(index):
            self.tabs.setCurrentIndex(index)

    def subgroup_name(self) -> str | None:
        return self.subgroup_combo.currentData()

    def set_subgroup(self, name: str | None) -> None:
        index = self.subgroup_combo.findData(name)
        if index >= 0:
            self.subgroup_combo.setCurrentIndex(index)

    # -- computing -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the figures again, and compare again (the Recalculate button, F5)."""
        self.recompute()
        self.comparison.invalidate()

    def recompute(self) -> None:
        """Ask for the figures with the current options, off the UI thread."""
        self._debounce.stop()
        if self.path is None:
            return
        self._stale = False
        self._token += 1
        token = self._token
        path, passphrase = self.path, self._passphrase
        include = self.in_progress_box.isChecked()
        subgroup = self.subgroup_name()
        self._computing = True
        self.counted_label.setText(self.tr("Calculating…"))
        run_in_background(
            lambda: load_findings_and_ratings(
                path, passphrase, include_in_progress=include, subgroup=subgroup
            ),
            lambda loaded: self._loaded(token, loaded),
            lambda exc: self._failed(token, exc),
        )

    def is_computing(self) -> bool:
        return self._computing

    def _loaded(self, token: int, loaded: FindingsAndRatings) -> None:
        if token != self._token:
            return  # the options or the file changed since; a newer answer is coming
        self._computing = False
        findings = loaded.findings
        chosen = self._chosen_key()
        self.findings = findings
        self.model.set_findings(findings)
        self._show_counted(findings)
        row = self.model.row_of(*chosen) if chosen else -1
        if row < 0:
            row = self.model.row_of(SECTION, findings.criteria[0].code) if findings.criteria else 0
        self._select(row)
        self._show_ratings(loaded.ratings, findings.subgroup_label)
        self.loaded.emit()

    def _show_ratings(self, ratings: RatingsOverview | None, subgroup_label: str | None) -> None:
        """The Ratings tab shows for a framework with ratings only."""
        self.ratings = ratings
        self.ratings_panel.set_overview(ratings, subgroup_label)
        if ratings is None and self.tabs.currentIndex() == self.ratings_tab:
            self.tabs.setCurrentIndex(self.figures_tab)
        self.tabs.setTabVisible(self.ratings_tab, ratings is not None)

    # -- adjusting a rating ----------------------------------------------------------------

    def adjust_rating(self, code: str) -> bool:
        """Ask for a standard's rating and its justification, and save them (the use case of
        `inspector-app rating --adjust`); True if saved."""
        if self.ratings is None:
            return False
        standard = self.ratings.standard(code)
        chosen = AdjustRatingDialog.ask(self, standard, self.ratings)
        if chosen is None:
            return False
        rating, justification = chosen
        return self._write(
            lambda file: adjust_standard_rating(file, code, rating, justification),
            self.tr("Rating of {code} adjusted to {rating}").format(code=code, rating=rating),
        )

    def remove_adjustment(self, code: str) -> bool:
        """Return a standard to the rating its figures give, once the lead agrees."""
        if self.ratings is None:
            return False
        standard = self.ratings.standard(code)
        if not ConfirmRemoveAdjustmentDialog.ask(self, standard):
            return False
        return self._write(
            lambda file: remove_standard_adjustment(file, code),
            self.tr("Rating of {code} back to the figures' one").format(code=code),
        )

    def _write(self, change: Callable[[InspectionFile], Changes], done: str) -> bool:
        """Run `change` on the master: the window's open file, else one opened for it."""
        from inspector_app.core.files.inspection_file import InspectionFile

        file = self.file_source() if self.file_source is not None else None
        try:
            if file is not None:
                changes = change(file)
            else:
                if self.path is None:
                    return False
                with InspectionFile.open(self.path, passphrase=self._passphrase) as own:
                    changes = change(own)
        except InspectorError as exc:
            ErrorDialog.ask(self, self.tr("Cannot change the rating"), str(exc))
            return False
        if self.announce is not None:
            self.announce(changes)  # the window tells every screen, this one too
        else:
            self.invalidate()
        self.message.emit(done)
        return True

    def _failed(self, token: int, exc: BaseException) -> None:
        if token != self._token:
            return
        self._computing = False
        self.counted_label.setText(self.tr("The figures could not be calculated"))
        ErrorDialog.ask(self, self.tr("Cannot calculate the findings"), str(exc))

    def _show_counted(self, findings: Findings) -> None:
        count = findings.cases_counted
        if findings.include_in_progress:
            text = counted(
                count,
                "{n} complete and in-progress case counted",
                "{n} complete and in-progress cases counted",
            )
        else:
            text = counted(count, "{n} complete case counted", "{n} complete cases counted")
        if findings.subgroup_label:
            text += f": {findings.subgroup_label}"
        self.counted_label.setText(text)
        self.counted_label.setAccessibleDescription(text)
        disputed = [q.code for q in findings.questions if q.disputed]
        if disputed:
            codes = ", ".join(disputed)
            self.disputed_label.setText(
                self.tr(
                    "Disputed: open conflicts touch the figures of {codes}. Those "
                    "figures use one of the answers for now; settle them in Inspection > "
                    "Conflicts."
                ).format(codes=codes)
            )
            self.disputed_label.show()
        else:
            self.disputed_label.hide()

    # -- the chosen row --------------------------------------------------------------------

    def _chosen_key(self) -> tuple[str, str] | None:
        row = self.model.row_at(self.table.currentIndex().row())
        return (row.kind, row.code) if row else None

    def _select(self, row: int) -> None:
        if self.model.rowCount() == 0:
            self._show_detail(None)
            return
        row = max(0, min(row, self.model.rowCount() - 1))
        index = self.model.index(row, FindingsModel.COL_CODE)
        self.table.setCurrentIndex(index)
        self.table.selectRow(row)
        self.table.scrollTo(index)
        self._show_detail(self.model.row_at(row))

    def select_code(self, code: str, kind: str = QUESTION) -> bool:
        row = self.model.row_of(kind, code)
        if row >= 0:
            self._select(row)
        return row >= 0

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self.model.row_at(current.row()) if current.isValid() else None)

    def _show_detail(self, row: FindingsRow | None) -> None:
        findings = self.findings
        if row is None or findings is None:
            self.detail_title.setText("")
            self.sentence.setText(self.tr("Choose a question to see its drafted finding."))
            self.sentence_note.setText("")
            self.chart.set_bars("", [])
            return
        figures = row.figures
        if isinstance(figures, QuestionFigures):
            self.detail_title.setText(f"{row.code}  {row.title}")
            self.sentence.setText(
                figures.sentence or self.tr("No case was judged on this question.")
            )
            notes = [
                self.tr(
                    "{score_text} sufficient ({percent_text}); yes {yes}, no {no}, N/A "
                    "{na}, unanswered {unanswered}."
                ).format(
                    score_text=score_text(figures.sufficient, figures.denominator),
                    percent_text=percent_text(figures.percent),
                    yes=figures.yes,
                    no=figures.no,
                    na=figures.na,
                    unanswered=figures.unanswered,
                )
            ]
            if figures.polarity != "positive":
                notes.append(self.tr("For this question the sufficient answer is No."))
            if figures.disputed:
                notes.append(
                    self.tr(
                        "Disputed: {disputed_answers} of these answers are in an open conflict."
                    ).format(disputed_answers=figures.disputed_answers)
                )
            notes.append(
                self.tr(
                    "The report's chapter prints this sentence with its figures; write "
                    "your own commentary on the chapter in the Report view."
                )
            )
            self.sentence_note.setText(" ".join(notes))
        else:
            if row.kind == OVERALL:
                self.detail_title.setText(self.tr("All scored questions"))
            else:
                self.detail_title.setText(f"{row.code}  {row.title}")
            self.sentence.setText(pooled_sentence(figures, findings.bands))
            self.sentence_note.setText(
                self.tr(
                    "Pooled: every sufficient and insufficient judgement on the "
                    "questions counted together."
                )
                + (self.tr(" Some of them are disputed.") if figures.disputed else "")
            )
        self.sentence.setAccessibleDescription(self.sentence.text())
        self._show_chart(row)

    def _show_chart(self, row: FindingsRow) -> None:
        findings = self.findings
        assert findings is not None
        if row.kind in (OVERALL, STAGE):
            title = (
                self.tr("All criteria (pooled)")
                if row.kind == OVERALL
                else f"{row.code}. {row.title}"
            )
            bars = [
                ChartBar(s.code, s.title, s.sufficient, s.denominator, s.percent, s.disputed)
                for s in findings.criteria
                if s.question_codes and (row.kind == OVERALL or s.stage == row.code)
            ]
        else:
            section = findings.criterion(row.section_code)
            title = f"{section.code} {section.title}"
            bars = [
                ChartBar(
                    q.code,
                    q.text,
                    q.sufficient,
                    q.denominator,
                    q.percent,
                    q.disputed,
                    chosen=row.kind == QUESTION and q.code == row.code,
                )
                for q in (findings.question(code) for code in section.question_codes)
            ]
        self.chart.set_bars(title, bars)
