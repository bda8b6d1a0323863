"""The lead's Merge window: collect the team's fieldwork files, preview what merging them into
the master would do, merge with progress and cancel, and undo the last merge.

Every file operation runs off the UI thread through `run_in_background`; each worker opens the
master itself, so this window holds no connection between operations (and undo, which needs
the master closed, only needs other windows to let go of it: see `aboutToUndo`). Progress and
cancel cross threads through `ProgressBridge` (a lock and an event), read by a timer here.

The preview is a dry run of the whole list, in list order, so "conflicts it would raise"
counts conflicts with the files above it too: the same figures the merge will report.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
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
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.errors import InspectorError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.files.merge_copy import (
    describe_last_merge,
    edits_since_merge,
    snapshot_path,
    undo_last_merge,
)
from inspector_app.core.merge.run import (
    MergeCancelled,
    MergeReport,
    RefusalKind,
    SourceOutcome,
    merge_files,
)
from inspector_app.core.plural import counted
from inspector_app.gui.background import run_in_background
from inspector_app.gui.close_keys import close_on_keys
from inspector_app.gui.dialogs import ErrorDialog, PassphraseDialog, confirm, file_filter
from inspector_app.gui.style import char_width, css_color, heading_font, muted_text
from inspector_app.gui.table_model import HeaderedTableModel
from inspector_app.gui.translation import QT_TRANSLATE_NOOP
from inspector_app.gui.window_geometry import keep_geometry

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()

POLL_MS = 50
FILE_SUFFIX = ".inspection"


# Row states (what the Status column says in words)
class RowState(StrEnum):
    """Where one file of the merge stands."""

    PENDING = "pending"  # added, preview not computed yet
    CHECKING = "checking"
    READY = "ready"
    NOTHING_NEW = "nothing new"
    REFUSED = "refused"
    MERGED = "merged"


PENDING, CHECKING, READY = RowState.PENDING, RowState.CHECKING, RowState.READY
NOTHING_NEW, REFUSED, MERGED = RowState.NOTHING_NEW, RowState.REFUSED, RowState.MERGED


def refusal_in_words(outcome: SourceOutcome) -> str:
    """'Refused: <reason>' without the file name the table already shows."""
    reason = outcome.refusal or ""
    prefix = f"{Path(outcome.path).name}: "
    if reason.startswith(prefix):
        reason = reason[len(prefix) :]
    if needs_passphrase(outcome):
        return QCoreApplication.translate(
            "merge_window", "Refused: {reason}. Select it and press Passphrase… to give it"
        ).format(reason=reason)
    return QCoreApplication.translate("merge_window", "Refused: {reason}").format(reason=reason)


def needs_passphrase(outcome: SourceOutcome | None) -> bool:
    """True when a file was refused for want of its passphrase (or a wrong one): encrypted,
    or not an inspection file at all (the two cannot be told apart without it)."""
    return outcome is not None and outcome.refusal_kind == RefusalKind.PASSPHRASE


# -- crossing threads ------------------------------------------------------------------------


class MergeOthersDialog:
    """Asks before merging while some files still wait for their passphrase."""

    @classmethod
    def ask(cls, parent: QWidget | None, waiting: Sequence[str]) -> bool:
        return confirm(
            parent,
            QCoreApplication.translate("MergeOthersDialog", "Merge the others without them?"),
            QCoreApplication.translate(
                "MergeOthersDialog",
                "{join} still wait for their passphrase and would be left out. Give it "
                "first (Passphrase…) to merge them too, or merge them later.",
            ).format(join=", ".join(waiting)),
            QCoreApplication.translate("MergeOthersDialog", "Merge the others"),
            QCoreApplication.translate("MergeOthersDialog", "Give the passphrase first"),
            destructive=False,
        )


class ProgressBridge:
    """What a worker reports (done, total, message) and whether the user cancelled: plain
    callables for the core, read by a timer on the UI thread. No Qt object is shared."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: tuple[int, int, str] = (0, 0, "")
        self._cancelled = threading.Event()

    def report(self, done: int, total: int, message: str) -> None:
        with self._lock:
            self._state = (done, total, message)

    def snapshot(self) -> tuple[int, int, str]:
        with self._lock:
            return self._state

    def cancel(self) -> None:
        self._cancelled.set()

    def is_cancelled(self) -> bool:
        return self._cancelled.is_set()


@dataclass(frozen=True)
class WorkResult:
    """How a merge (or preview) worker ended: a report, a cancel, or an error to show.
    Expected endings come back as values, so the UI always leaves its busy state."""

    report: MergeReport | None = None
    cancelled: bool = False
    error: str | None = None
    statement: str | None = None  # what an undo undid


def run_merge(
    master_path: Path,
    sources: Sequence[Path],
    *,
    dry_run: bool,
    bridge: ProgressBridge,
    passphrase: str | None = None,
    passphrases: Mapping[Path, str] | None = None,
) -> WorkResult:
    """Worker side (no Qt): open the master, merge or preview, close it. `passphrase` opens
    an encrypted master; `passphrases` gives encrypted sources theirs, by path."""
    try:
        with InspectionFile.open(master_path, passphrase=passphrase, track_session=False) as master:
            report = merge_files(
                master,
                list(sources),
                dry_run=dry_run,
                passphrases=dict(passphrases or {}),
                progress=bridge.report,
                is_cancelled=bridge.is_cancelled,
            )
        return WorkResult(report=report)
    except MergeCancelled:
        return WorkResult(cancelled=True)
    except Exception as exc:  # shown to the user in one dialog, on the UI thread
        return WorkResult(error=str(exc) or type(exc).__name__)


def run_undo(master_path: Path, passphrase: str | None = None) -> WorkResult:
    """Worker side (no Qt): put the master back as it was before the last merge (the user has
    confirmed, knowing how many later edits that loses)."""
    try:
        return WorkResult(
            statement=undo_last_merge(master_path, passphrase=passphrase, discard_later_edits=True)
        )
    except Exception as exc:  # shown to the user in one dialog, on the UI thread
        return WorkResult(error=str(exc) or type(exc).__name__)


# -- the preview table -----------------------------------------------------------------------


@dataclass
class PreviewRow:
    path: Path
    state: str = PENDING
    outcome: SourceOutcome | None = None


class MergePreviewModel(HeaderedTableModel):
    """One row per fieldwork file: what merging it would do (or did)."""

    COL_FILE = 0
    COL_OWNER = 1
    COL_NEW = 2
    COL_CASES = 3
    COL_CONFLICTS = 4
    COL_STATUS = 5

    PathRole = Qt.ItemDataRole.UserRole + 1  # the file's Path
    OutcomeRole = Qt.ItemDataRole.UserRole + 2  # its SourceOutcome, once known
    StateRole = Qt.ItemDataRole.UserRole + 3  # PENDING / CHECKING / READY / ... / MERGED

    HEADERS = (
        QT_TRANSLATE_NOOP("MergePreviewModel", "File"),
        QT_TRANSLATE_NOOP("MergePreviewModel", "Whose file"),
        QT_TRANSLATE_NOOP("MergePreviewModel", "New changes"),
        QT_TRANSLATE_NOOP("MergePreviewModel", "Cases touched"),
        QT_TRANSLATE_NOOP("MergePreviewModel", "Conflicts"),
        QT_TRANSLATE_NOOP("MergePreviewModel", "Status"),
    )
    TOOLTIPS = (
        QT_TRANSLATE_NOOP("MergePreviewModel", "The fieldwork file"),
        QT_TRANSLATE_NOOP("MergePreviewModel", "The inspector or assessor the file belongs to"),
        QT_TRANSLATE_NOOP(
            "MergePreviewModel", "Answers, notes and corrections the master does not have yet"
        ),
        QT_TRANSLATE_NOOP("MergePreviewModel", "Cases those revisions are on"),
        QT_TRANSLATE_NOOP(
            "MergePreviewModel",
            "New disagreements this file takes part in (with the master or another file);"
            " one between two files counts for both",
        ),
        QT_TRANSLATE_NOOP(
            "MergePreviewModel", "Whether the file will be (or was) merged, or why it is refused"
        ),
    )
    _NUMBER_COLUMNS = (COL_NEW, COL_CASES, COL_CONFLICTS)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PreviewRow] = []

    # -- changing the rows -----------------------------------------------------------------

    def paths(self) -> list[Path]:
        return [row.path for row in self._rows]

    def rows(self) -> list[PreviewRow]:
        return list(self._rows)

    def add_paths(self, paths: Iterable[Path]) -> list[Path]:
        """Append files not listed yet; returns those added."""
        known = {p.resolve() for p in self.paths()}
        new = []
        for path in paths:
            if path.resolve() not in known:
                known.add(path.resolve())
                new.append(path)
        if new:
            first = len(self._rows)
            self.beginInsertRows(_NO_PARENT, first, first + len(new) - 1)
            self._rows.extend(PreviewRow(p) for p in new)
            self.endInsertRows()
        return new

    def remove_rows(self, rows: Iterable[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._rows):
                self.beginRemoveRows(_NO_PARENT, row, row)
                del self._rows[row]
                self.endRemoveRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.endResetModel()

    def set_state(self, state: str) -> None:
        """Every row to one state, forgetting outcomes (a new preview is on its way)."""
        for row in self._rows:
            row.state, row.outcome = state, None
        self._all_changed()

    def set_outcomes(self, outcomes: Sequence[SourceOutcome], *, merged: bool) -> None:
        by_path = {Path(o.path).resolve(): o for o in outcomes}
        for row in self._rows:
            outcome = by_path.get(row.path.resolve())
            row.outcome = outcome
            if outcome is None:
                row.state = PENDING
            elif not outcome.merged:
                row.state = REFUSED
            elif merged and outcome.new_revisions:
                row.state = MERGED
            elif outcome.new_revisions:
                row.state = READY
            else:
                row.state = NOTHING_NEW
        self._all_changed()

    def _all_changed(self) -> None:
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1)
            )

    # -- Qt model interface ----------------------------------------------------------------

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_FILE:
                return str(row.path)
            if column == self.COL_STATUS and row.outcome and row.outcome.refusal:
                return row.outcome.refusal
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self._NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.PathRole:
            return row.path
        if role == self.OutcomeRole:
            return row.outcome
        if role == self.StateRole:
            return row.state
        return None

    def _display(self, row: PreviewRow, column: int) -> str:
        outcome = row.outcome
        if column == self.COL_FILE:
            return row.path.name
        if column == self.COL_STATUS:
            return self._status(row)
        if outcome is None or outcome.refusal:
            return "" if column != self.COL_OWNER or outcome is None else (outcome.owner or "")
        if column == self.COL_OWNER:
            return outcome.owner or ""
        if column == self.COL_NEW:
            return str(outcome.new_revisions)
        if column == self.COL_CASES:
            return str(outcome.cases_touched)
        return str(outcome.conflicts_raised)

    @staticmethod
    def _status(row: PreviewRow) -> str:
        outcome = row.outcome
        if row.state == PENDING:
            return QCoreApplication.translate("MergePreviewModel", "Waiting to be checked")
        if row.state == CHECKING:
            return QCoreApplication.translate("MergePreviewModel", "Checking…")
        if row.state == REFUSED and outcome is not None:
            return refusal_in_words(outcome)
        if row.state == NOTHING_NEW:
            return QCoreApplication.translate(
                "MergePreviewModel", "Nothing new: the master already has all of it"
            )
        conflicts = outcome.conflicts_raised if outcome else 0
        extra = (
            counted(conflicts, ", {n} conflict to settle", ", {n} conflicts to settle")
            if conflicts
            else ""
        )
        if row.state == MERGED:
            return QCoreApplication.translate("MergePreviewModel", "Merged{extra}").format(
                extra=extra
            )
        return QCoreApplication.translate("MergePreviewModel", "Ready to merge{extra}").format(
            extra=extra
        )


# -- dialogs ---------------------------------------------------------------------------------


class AddFilesDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, start: Path | None = None) -> list[Path] | None:
        names, _ = QFileDialog.getOpenFileNames(
            parent,
            QCoreApplication.translate("AddFilesDialog", "Add fieldwork files"),
            str(start or Path.home()),
            file_filter(),
        )
        return [Path(n) for n in names] or None


class ConfirmUndoDialog:
    """'Undo <what>?' with the consequences spelled out; True when the lead confirms."""

    @classmethod
    def ask(cls, parent: QWidget | None, master_name: str, description: str) -> bool | None:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(QCoreApplication.translate("ConfirmUndoDialog", "Undo last merge"))
        box.setText(
            QCoreApplication.translate("ConfirmUndoDialog", "Undo {description}?").format(
                description=description
            )
        )
        box.setInformativeText(
            QCoreApplication.translate(
                "ConfirmUndoDialog",
                "{master_name} goes back to exactly how it was before that merge. "
                "Anything done in the master since then (conflicts settled, answers "
                "entered) is undone too. The fieldwork files are not changed, so you can "
                "merge them again.",
            ).format(master_name=master_name)
        )
        box.setAccessibleName(QCoreApplication.translate("ConfirmUndoDialog", "Undo last merge"))
        undo = box.addButton(
            QCoreApplication.translate("ConfirmUndoDialog", "Undo the merge"),
            QMessageBox.ButtonRole.AcceptRole,
        )
        undo.setAccessibleName(QCoreApplication.translate("ConfirmUndoDialog", "Undo the merge"))
        keep = box.addButton(
            QCoreApplication.translate("ConfirmUndoDialog", "Keep it"),
            QMessageBox.ButtonRole.RejectRole,
        )
        keep.setAccessibleName(QCoreApplication.translate("ConfirmUndoDialog", "Keep the merge"))
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return True if box.clickedButton() is undo else None


# -- the window ------------------------------------------------------------------------------


class MergeWindow(QDialog):
    """The Merge window for the master the main window has open (and so has checked for
    damage: the window's own reads skip the check, which reads the whole file). Raises
    InspectorError if `master_path` cannot be opened or is not a master (or use `open_for`,
    which shows the error instead)."""

    previewReady = Signal()  # the table shows a dry run of the current list
    merged = Signal(object)  # MergeReport, after a merge that wrote something
    mergeFinished = Signal()  # a merge ended (written, nothing new, cancelled or failed)
    aboutToUndo = Signal()  # close any connection to the master now
    undone = Signal(str)  # the statement of what was undone
    undoFailed = Signal(str)  # nothing was undone (why): the master is as it was

    def __init__(
        self,
        master_path: Path | str,
        parent: QWidget | None = None,
        *,
        passphrase: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.master_path = Path(master_path)
        self._passphrase = passphrase  # of an encrypted master, in memory only
        self.passphrases: dict[Path, str] = {}  # of encrypted fieldwork files, by path
        with InspectionFile.open(
            self.master_path, readonly=True, passphrase=passphrase, checked=True
        ) as master:
            if not master.is_master:
                raise InspectorError(
                    self.tr("{name}: is a fieldwork file; open the master to merge").format(
                        name=self.master_path.name
                    )
                )
            title = master.inspection.title
        self._busy: str | None = None  # "merge" or "undo" while one runs
        self._preview_bridge: ProgressBridge | None = None  # the preview running, if any
        self._preview_wanted = False  # the list changed while a preview ran
        self._preview_current = False  # the table shows a dry run of the current list
        self._merge_bridge: ProgressBridge | None = None
        self._closed = False
        self._close_when_idle = False
        self.last_report: MergeReport | None = None
        self.last_start = self.master_path.parent

        self.setWindowTitle(self.tr("Merge fieldwork files – {title}").format(title=title))
        self.setAccessibleName(self.tr("Merge fieldwork files"))
        self.setAcceptDrops(True)
        self.model = MergePreviewModel(self)
        self._build()
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._show_progress)
        self._update_controls()
        self._show_summary(
            self.tr(
                "Add the team's fieldwork files: press Add files or drop them here. "
                "Nothing is written to the master until you press Merge."
            )
        )

    @classmethod
    def open_for(
        cls,
        master_path: Path | str,
        parent: QWidget | None = None,
        *,
        passphrase: str | None = None,
    ) -> MergeWindow | None:
        """The window, or None after telling the user why the file cannot be merged into."""
        try:
            return cls(master_path, parent, passphrase=passphrase)
        except InspectorError as exc:
            ErrorDialog.ask(
                parent,
                QCoreApplication.translate("MergeWindow", "Cannot merge into this file"),
                str(exc),
            )
            return None

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        muted = f"color: {css_color(muted_text(self))};"
        heading = QLabel(
            self.tr("Merge fieldwork files into {name}").format(name=self.master_path.name)
        )
        heading.setFont(heading_font(self.font(), 1.3))
        heading.setAccessibleName(heading.text())
        heading.setWordWrap(True)
        where = QLabel(str(self.master_path.parent))
        where.setStyleSheet(muted)
        where.setAccessibleName(self.tr("Master folder: {text}").format(text=where.text()))

        self.add_button = QPushButton(self.tr("&Add files…"))
        self.add_button.setAccessibleName(self.tr("Add fieldwork files"))
        self.add_button.setToolTip(
            self.tr("Choose fieldwork files to merge (Ctrl+O); you can also drop them here")
        )
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton(self.tr("&Remove"))
        self.remove_button.setAccessibleName(self.tr("Remove the selected files from the list"))
        self.remove_button.setToolTip(self.tr("Take the selected files off the list (Delete)"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.clear_button = QPushButton(self.tr("C&lear list"))
        self.clear_button.setAccessibleName(self.tr("Clear the list of files"))
        self.clear_button.clicked.connect(self.clear_files)
        self.passphrase_button = QPushButton(self.tr("&Passphrase…"))
        self.passphrase_button.setAccessibleName(
            self.tr("Give the passphrase of the selected file")
        )
        self.passphrase_button.setToolTip(
            self.tr("An encrypted fieldwork file needs its passphrase to be checked and merged")
        )
        self.passphrase_button.clicked.connect(self.ask_passphrase)
        tools = QHBoxLayout()
        tools.addWidget(self.add_button)
        tools.addWidget(self.remove_button)
        tools.addWidget(self.clear_button)
        tools.addWidget(self.passphrase_button)
        tools.addStretch(1)

        self.table_caption = QLabel()
        self.table_caption.setStyleSheet(muted)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Files to merge"))
        self.table.setAccessibleDescription(
            self.tr("For each file: whose it is, what merging it adds, and whether it is refused")
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.activated.connect(lambda _index: self.ask_passphrase())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_controls())
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MergePreviewModel.COL_STATUS, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(int(char_width(self) * 8))
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.table,
            self.remove_selected,
            context=Qt.ShortcutContext.WidgetShortcut,
        )

        self.progress_label = QLabel()
        self.progress_label.setAccessibleName(self.tr("Merge progress"))
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Merge progress"))
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton(self.tr("Cancel merge"))
        self.cancel_button.setAccessibleName(self.tr("Cancel the merge"))
        self.cancel_button.setToolTip(self.tr("Stop the merge (Esc); the master stays as it was"))
        self.cancel_button.clicked.connect(self.cancel)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        self.progress_box = QWidget()
        box_layout = QVBoxLayout(self.progress_box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(self.progress_label)
        box_layout.addLayout(progress_row)
        self.progress_box.hide()

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setFrameShape(QLabel.Shape.StyledPanel)
        self.summary.setMargin(int(char_width(self)))
        self.summary.setMinimumHeight(self.fontMetrics().height() * 3)

        self.undo_button = QPushButton(self.tr("&Undo last merge…"))
        self.undo_button.setAccessibleName(self.tr("Undo the last merge"))
        self.undo_button.clicked.connect(self.undo_last_merge)
        self.merge_button = QPushButton(self.tr("&Merge"))
        self.merge_button.setAccessibleName(self.tr("Merge the files into the master"))
        self.merge_button.setToolTip(self.tr("Merge the files that are not refused (Ctrl+Enter)"))
        self.merge_button.clicked.connect(self.merge)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setAccessibleName(self.tr("Close the merge window"))
        self.close_button.clicked.connect(self.close)
        for button in (
            self.merge_button,
            self.close_button,
            self.undo_button,
            self.add_button,
            self.remove_button,
            self.clear_button,
            self.passphrase_button,
            self.cancel_button,
        ):
            button.setAutoDefault(False)  # Enter in the table must not press a button
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(where)
        layout.addLayout(tools)
        layout.addWidget(self.table_caption)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress_box)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)

        for keys, slot in (
            (QKeySequence.StandardKey.Open, self.choose_files),
            ("Ctrl+Return", self.merge),
            ("Ctrl+Enter", self.merge),
        ):
            QShortcut(QKeySequence(keys), self, slot)
        self.setTabOrder(self.add_button, self.remove_button)
        self.setTabOrder(self.remove_button, self.clear_button)
        self.setTabOrder(self.clear_button, self.passphrase_button)
        self.setTabOrder(self.passphrase_button, self.table)
        self.setTabOrder(self.table, self.cancel_button)
        self.setTabOrder(self.cancel_button, self.undo_button)
        self.setTabOrder(self.undo_button, self.merge_button)
        self.setTabOrder(self.merge_button, self.close_button)
        # Esc is the dialog's own (it cancels a merge running, else closes); Ctrl+W closes,
        # once a merge running has stopped.
        close_on_keys(self, self.close, escape=False)
        fm = self.fontMetrics()
        self.resize(int(char_width(self) * 130), fm.height() * 30)
        keep_geometry(self, "merge")
        self.add_button.setFocus()

    # -- adding and removing files ---------------------------------------------------------

    def choose_files(self) -> None:
        if self._busy:
            return
        paths = AddFilesDialog.ask(self, self.last_start)
        if paths:
            self.last_start = paths[0].parent
            self.add_files(paths)

    def add_files(self, paths: Iterable[Path | str]) -> list[Path]:
        """Add files (a folder adds the inspection files in it) and preview them all."""
        if self._busy:
            return []
        expanded: list[Path] = []
        for item in paths:
            path = Path(item)
            if path.is_dir():  # a USB stick or a folder: its inspection files, not the master
                master = self.master_path.resolve()
                expanded.extend(
                    p for p in sorted(path.glob(f"*{FILE_SUFFIX}")) if p.resolve() != master
                )
            else:
                expanded.append(path)
        added = self.model.add_paths(expanded)
        if added:
            self.table.selectRow(self.model.rowCount() - 1)
            self.request_preview()
        return added

    def remove_selected(self) -> None:
        if self._busy:
            return
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        current = self.table.currentIndex()
        if not rows and current.isValid():
            rows = {current.row()}
        if not rows:
            return
        for row in rows:
            if 0 <= row < self.model.rowCount():
                self.passphrases.pop(self.model.rows()[row].path, None)
        self.model.remove_rows(rows)
        if self.model.rowCount():
            self.table.selectRow(min(min(rows), self.model.rowCount() - 1))
        self.request_preview()

    def clear_files(self) -> None:
        if self._busy:
            return
        self.model.clear()
        self.passphrases.clear()
        self.request_preview()

    # -- encrypted files -------------------------------------------------------------------

    def selected_needing_passphrase(self) -> PreviewRow | None:
        index = self.table.currentIndex()
        rows = self.model.rows()
        if not index.isValid() or not 0 <= index.row() < len(rows):
            return None
        row = rows[index.row()]
        return row if needs_passphrase(row.outcome) else None

    def ask_passphrase(self) -> bool:
        """Ask for the passphrase of the selected encrypted file, then preview again. True
        if one was given."""
        row = self.selected_needing_passphrase()
        if self._busy or row is None:
            return False
        key = PassphraseDialog.ask(self, row.path.name)
        if not key:
            return False
        self.passphrases[row.path] = key
        self.request_preview()
        return True

    # -- drag and drop ---------------------------------------------------------------------

    @staticmethod
    def _local_paths(event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self._busy and self._local_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self.dragEnterEvent(event)  # type: ignore[arg-type]

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._local_paths(event)
        if self._busy or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_files(paths)

    # -- preview (a dry run of the whole list) ---------------------------------------------

    def request_preview(self) -> None:
        """Preview the current list; a preview already running is cancelled and redone."""
        self._preview_current = False
        if self._preview_bridge is not None:
            self._preview_bridge.cancel()
            self._preview_wanted = True
            self.model.set_state(CHECKING)
            self._update_controls()
            return
        paths = self.model.paths()
        if not paths:
            self._preview_current = True
            self._update_controls()
            self.previewReady.emit()
            return
        self.model.set_state(CHECKING)
        bridge = ProgressBridge()
        self._preview_bridge = bridge
        self._update_controls()
        master, key, keys = self.master_path, self._passphrase, dict(self.passphrases)
        run_in_background(
            lambda: run_merge(
                master, paths, dry_run=True, bridge=bridge, passphrase=key, passphrases=keys
            ),
            lambda result: self._preview_done(bridge, paths, result),
            lambda exc: self._preview_done(bridge, paths, WorkResult(error=str(exc))),
        )

    def _preview_done(self, bridge: ProgressBridge, paths: list[Path], result: WorkResult) -> None:
        if self._closed or bridge is not self._preview_bridge:
            return
        self._preview_bridge = None
        if self._preview_wanted or paths != self.model.paths():
            self._preview_wanted = False
            self.request_preview()
            return
        if result.report is not None:
            self.model.set_outcomes(result.report.sources, merged=False)
            self._preview_current = True
            self._show_summary(self._preview_text(result.report))
        elif result.error:
            self.model.set_state(PENDING)
            self._show_summary(
                self.tr("The files could not be checked: {error}").format(error=result.error)
            )
            ErrorDialog.ask(self, self.tr("Cannot preview the merge"), result.error)
        self._update_controls()
        self.previewReady.emit()

    # -- merging ---------------------------------------------------------------------------

    def can_merge(self) -> bool:
        return (
            self._busy is None
            and self._preview_current
            and self._preview_bridge is None
            and any(r.state == READY for r in self.model.rows())
        )

    def waiting_for_passphrase(self) -> list[str]:
        """The files still waiting for their passphrase: merging now leaves them out."""
        return [r.path.name for r in self.model.rows() if needs_passphrase(r.outcome)]

    def merge(self) -> bool:
        """Start merging the listed files (off the UI thread); False if it cannot start. With
        files still waiting for a passphrase, merging the others is the lead's explicit
        choice."""
        if not self.can_merge():
            return False
        waiting = self.waiting_for_passphrase()
        if waiting and not MergeOthersDialog.ask(self, waiting):
            return False
        paths = self.model.paths()
        bridge = ProgressBridge()
        self._merge_bridge = bridge
        self._busy = "merge"
        self.progress.setRange(0, 0)
        self.progress_label.setText(self.tr("Starting the merge…"))
        self.progress_box.show()
        self.cancel_button.setEnabled(True)
        self._show_summary(
            self.tr("Merging… You can cancel: the master stays as it was until the end.")
        )
        self._update_controls()
        self._poll.start()
        self.cancel_button.setFocus()
        master, key, keys = self.master_path, self._passphrase, dict(self.passphrases)
        run_in_background(
            lambda: run_merge(
                master, paths, dry_run=False, bridge=bridge, passphrase=key, passphrases=keys
            ),
            lambda result: self._merge_done(result),
            lambda exc: self._merge_done(WorkResult(error=str(exc))),
        )
        return True

    def cancel(self) -> None:
        if self._busy != "merge" or self._merge_bridge is None:
            return
        self._merge_bridge.cancel()
        self.cancel_button.setEnabled(False)
        self.progress_label.setText(self.tr("Cancelling… the master is being left as it was"))

    def is_busy(self) -> bool:
        return self._busy is not None

    def _show_progress(self) -> None:
        if self._merge_bridge is None:
            return
        done, total, message = self._merge_bridge.snapshot()
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        if message and not self._merge_bridge.is_cancelled():
            self.progress_label.setText(f"{message}…" if message != "Done" else message)

    def _merge_done(self, result: WorkResult) -> None:
        self._poll.stop()
        self._merge_bridge = None
        self._busy = None
        if self._closed:
            return
        self.progress_box.hide()
        if result.cancelled:
            self._show_summary(self.tr("Merge cancelled. The master is exactly as it was."))
            self.model.set_state(PENDING)
            self.request_preview()
        elif result.error:
            self._show_summary(
                self.tr("The merge failed and the master is as it was: {error}").format(
                    error=result.error
                )
            )
            ErrorDialog.ask(self, self.tr("The merge failed"), result.error)
            self.request_preview()
        elif result.report is not None:
            self.last_report = result.report
            self.model.set_outcomes(result.report.sources, merged=True)
            self._preview_current = True
            self._show_summary(self.summary_text(result.report))
            if result.report.snapshot:
                self.merged.emit(result.report)
        self._update_controls()
        self.table.setFocus()
        self.mergeFinished.emit()
        if self._close_when_idle:
            self.close()

    # -- undo ------------------------------------------------------------------------------

    def can_undo(self) -> bool:
        return (
            self._busy is None
            and self._preview_bridge is None
            and snapshot_path(self.master_path).exists()
        )

    def undo_last_merge(self) -> bool:
        """Ask, then put the master back as it was before the last merge (off the UI thread)."""
        if not self.can_undo():
            return False
        try:
            description = describe_last_merge(self.master_path)
            later = edits_since_merge(self.master_path, self._passphrase)
        except InspectorError as exc:
            ErrorDialog.ask(self, self.tr("Cannot undo"), str(exc))
            return False
        if later:
            description += self.tr(
                ". {later} edit(s) made in the master after that merge (settled "
                "conflicts, report text, answers) will be lost too"
            ).format(later=later)
        if not ConfirmUndoDialog.ask(self, self.master_path.name, description):
            return False
        self.aboutToUndo.emit()
        self._busy = "undo"
        self._update_controls()
        self._show_summary(self.tr("Undoing {description}…").format(description=description))
        master, passphrase = self.master_path, self._passphrase
        run_in_background(
            lambda: run_undo(master, passphrase),
            self._undo_done,
            lambda exc: self._undo_done(WorkResult(error=str(exc))),
        )
        return True

    def _undo_done(self, result: WorkResult) -> None:
        self._busy = None
        if self._closed:
            return
        if result.statement:
            self.last_report = None
            self._show_summary(result.statement)
            self.undone.emit(result.statement)
        else:
            message = result.error or self.tr("the undo did not complete")
            self._show_summary(self.tr("Nothing was undone: {message}").format(message=message))
            self.undoFailed.emit(message)
            ErrorDialog.ask(self, self.tr("Cannot undo the merge"), message)
        self.request_preview()
        self._update_controls()
        if self._close_when_idle:
            self.close()

    # -- words -----------------------------------------------------------------------------

    def _preview_text(self, report: MergeReport) -> str:
        ready = [s for s in report.sources if s.merged and s.new_revisions]
        refused = report.refused
        if not ready:
            text = self.tr("Nothing to merge: the master already has everything in these files.")
            if refused:
                text = self.tr("Nothing to merge. {refused_text}").format(
                    refused_text=self._refused_text(refused)
                )
            return text
        revisions = sum(s.new_revisions for s in ready)
        conflicts = report.new_conflicts
        text = self.tr("Merging will add {revisions} from {files}").format(
            revisions=counted(revisions, "{n} new change", "{n} new changes"),
            files=counted(len(ready), "{n} file", "{n} files"),
        )
        text += (
            counted(
                conflicts,
                " and raise {n} conflict to settle.",
                " and raise {n} conflicts to settle.",
            )
            if conflicts
            else "."
        )
        if refused:
            text += f" {self._refused_text(refused)}"
        return text + self.tr(" Press Merge to go ahead.")

    def summary_text(self, report: MergeReport) -> str:
        merged = [s for s in report.sources if s.merged and s.new_revisions]
        refused = report.refused
        if not merged:
            text = self.tr("Nothing was merged: the master already had everything in these files.")
            return f"{text} {self._refused_text(refused)}" if refused else text
        revisions = sum(s.new_revisions for s in merged)
        conflicts = report.new_conflicts
        names = ", ".join(s.owner or Path(s.path).name for s in merged)
        text = self.tr("Merged {files} ({names}): {revisions} on {cases}.").format(
            files=counted(len(merged), "{n} file", "{n} files"),
            names=names,
            revisions=counted(revisions, "{n} new change", "{n} new changes"),
            cases=counted(sum(s.cases_touched for s in merged), "{n} case", "{n} cases"),
        )
        if conflicts:
            text += counted(
                conflicts,
                " {n} conflict raised: settle it in the Conflicts window.",
                " {n} conflicts raised: settle them in the Conflicts window.",
            )
        else:
            text += self.tr(" No conflicts.")
        changed = report.changed_after_resolution
        if changed:
            text += counted(
                changed,
                " {n} answer changed after your resolution: review it in the Conflicts window.",
                " {n} answers changed after your resolution: review them in the Conflicts window.",
            )
        if refused:
            text += f" {self._refused_text(refused)}"
        return text + self.tr(" You can undo this merge.")

    @staticmethod
    def _refused_text(refused: Sequence[SourceOutcome]) -> str:
        lines = "; ".join(o.refusal or Path(o.path).name for o in refused)
        return counted(
            len(refused),
            "{n} file refused, nothing taken from it: {lines}.",
            "{n} files refused, nothing taken from them: {lines}.",
            lines=lines,
        )

    def _show_summary(self, text: str) -> None:
        self.summary.setText(text)
        self.summary.setAccessibleName(self.tr("Merge summary"))
        self.summary.setAccessibleDescription(text)

    # -- state -----------------------------------------------------------------------------

    def _update_controls(self) -> None:
        idle = self._busy is None
        has_rows = self.model.rowCount() > 0
        self.add_button.setEnabled(idle)
        self.remove_button.setEnabled(idle and has_rows)
        self.clear_button.setEnabled(idle and has_rows)
        self.passphrase_button.setEnabled(idle and self.selected_needing_passphrase() is not None)
        self.merge_button.setEnabled(self.can_merge())
        waiting = self.waiting_for_passphrase()
        self.merge_button.setText(self.tr("&Merge the others…") if waiting else self.tr("&Merge"))
        self.merge_button.setToolTip(
            self.tr(
                "{waiting} file(s) wait for their passphrase: give it first "
                "(Passphrase…), or merge the others without them"
            ).format(waiting=len(waiting))
            if waiting
            else self.tr("Merge the files that are not refused (Ctrl+Enter)")
        )
        self.undo_button.setEnabled(self.can_undo())
        self.setAcceptDrops(idle)
        if not has_rows:
            caption = self.tr("No files yet.")
        elif self._preview_bridge is not None or not self._preview_current:
            caption = self.tr("Checking the files (a dry run: nothing is written)…")
        elif (
            self.last_report is not None
            and self.model.rows()
            and any(r.state == MERGED for r in self.model.rows())
        ):
            caption = self.tr("Result of the merge:")
        else:
            caption = self.tr(
                "Preview: what merging each file would do (nothing has been written yet)"
            )
        self.table_caption.setText(caption)
        self.table_caption.setAccessibleName(caption)

    def reject(self) -> None:
        """Esc cancels a running merge; otherwise it closes the window."""
        if self._busy == "merge":
            self.cancel()
            return
        if self._busy is None:
            super().reject()

    def done(self, result: int) -> None:
        """Closing by any route (Close, Esc, the title bar) ends the window's work; a
        preview still running is cancelled and its answer ignored."""
        self._closed = True
        if self._preview_bridge is not None:
            self._preview_bridge.cancel()
        self._poll.stop()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy is not None:  # a merge or undo must finish: cancel, close afterwards
            self._close_when_idle = True
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)
