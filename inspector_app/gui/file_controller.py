"""The file open in the main window: choosing, opening, attaching and closing it, and what is
done to the file as a whole (recent files, hand-over copy, exports, purge).

It exists so one object owns the open file and its edit session, and says when a file comes
and goes (`attached`, `closing`, `closed`): the navigator, the lead's tools and the menus
follow those signals rather than this class calling each of them. The case list's rows are
read here off the UI thread, with a token so an answer about a file since closed is dropped.
Nothing from the core is imported until a file opens (see gui/main_window.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QMainWindow, QMenu

from inspector_app.core.changes import Changes
from inspector_app.gui import settings
from inspector_app.gui.file_opener import FileOpener
from inspector_app.gui.operations import OperationBus
from inspector_app.gui.translation import QT_TRANSLATE_NOOP
from inspector_app.gui.welcome import WelcomePage

if TYPE_CHECKING:
    from inspector_app.app.case_rows import CaseRow, CaseRows
    from inspector_app.core.files.inspection_file import InspectionFile
    from inspector_app.gui.models import CaseListModel
    from inspector_app.gui.session import EditSession

log = logging.getLogger(__name__)

# What the status bar says of a file's situation when it opens (translated where shown).
SITUATION_NOTES = {
    "recovered": QT_TRANSLATE_NOOP(
        "file_controller",
        "{name} was not closed properly last time; everything saved before then is here.",
    ),
    "copied or moved": QT_TRANSLATE_NOOP(
        "file_controller",
        "{name} has been copied or moved since it was last open; this copy now keeps its own "
        "edits apart from any other copy.",
    ),
    "copied while open": QT_TRANSLATE_NOOP(
        "file_controller",
        "{name} is a copy taken while the file was open elsewhere. Check that this is the "
        "copy you mean to work on.",
    ),
}


class FileController(QObject):
    """Owns the open file, its edit session and the case list's model, for one window."""

    attached = Signal(object)  # InspectionFile: open here now, its session ready
    closing = Signal(bool)  # keep_tools: the file is about to be let go (edits are saved)
    closed = Signal()  # no file is open any more
    alreadyOpen = Signal()  # the file asked for is the one open
    opened = Signal(str)  # path: a file the user asked for has opened
    loadingCases = Signal()  # the case rows are being read again
    # The case list's model holds the rows just read: from a worker, or within open_file when
    # the first page held every case.
    casesLoaded = Signal()

    def __init__(self, window: QMainWindow, welcome: WelcomePage, operations: OperationBus) -> None:
        super().__init__(window)
        self.file: InspectionFile | None = None
        self.session: EditSession | None = None
        self.case_model: CaseListModel | None = None
        self._window = window
        self._welcome = welcome
        self._operations = operations
        self._passphrase: str | None = None  # in memory only, for the background readers
        self._savers: list[Callable[[], bool]] = []
        self._unsaved_sources: list[Callable[[], list[tuple[str, str]]]] = []
        self._load_token = 0
        self._loading = False
        self._demo_pending = False  # the demo inspection is being prepared
        self._dirty_while_loading: set[str] = set()
        self.opener = FileOpener(window, self._show_status, before_asking=self._not_busy)
        self.recent_menu = QMenu(self.tr("Open &recent"), window)
        welcome.newRequested.connect(self.new_inspection)
        welcome.openRequested.connect(self.choose_file)
        welcome.demoRequested.connect(self.open_demo)
        welcome.recentChosen.connect(lambda p: self.open_file(Path(p)))
        operations.executed.connect(self._on_operation)
        self.refresh_recent()

    def is_master(self) -> bool:
        return self.file is not None and self.file.is_master

    def add_saver(
        self,
        save: Callable[[], bool],
        unsaved: Callable[[], list[tuple[str, str]]] | None = None,
    ) -> None:
        """Another editor of the file (the report's text) whose edits in flight must be saved
        before the file closes; `save` returns False when they could not be. `unsaved` lists
        its text still waiting (where, what), offered to copy when the file cannot take it."""
        self._savers.append(save)
        if unsaved is not None:
            self._unsaved_sources.append(unsaved)

    def flush_edits(self) -> bool:
        """Save every edit in flight, each editor's whatever the others did (before showing
        another screen, or after the file changed under this window)."""
        results = [self.session.flush()] if self.session is not None else []
        results += [save() for save in self._savers]
        return all(results)

    def set_busy(self, text: str | None) -> None:
        """Say on the welcome page what is under way (None: nothing)."""
        self._welcome.set_busy(text)

    # -- choosing and opening --------------------------------------------------------------------

    def choose_file(self) -> None:
        from inspector_app.gui.dialogs import OpenFileDialog

        recent = settings.recent_files()
        path = OpenFileDialog.ask(self._window, recent[0].parent if recent else None)
        if path is not None:
            self.open_file(path)

    def open_demo(self) -> bool:
        """Prepare the demo inspection off the window's thread (the first time takes a second
        or two: a team's files written and merged), then open it, unless another file was
        opened meanwhile or the window closed. False if it is already being prepared."""
        if self._demo_pending:
            return False
        from inspector_app.core.demo import ensure_demo
        from inspector_app.gui.background import run_in_background

        self._demo_pending = True
        opened_before = self.file
        self._welcome.set_busy(self.tr("Preparing the demo inspection…"))

        def prepared(path: Path) -> None:
            self._demo_pending = False
            closed = not self._window.isVisible()  # the window closed meanwhile
            replaced = self.file is not None and self.file is not opened_before
            if closed or replaced:  # another file opened meanwhile stays
                self._welcome.set_busy(None)
                return
            self.open_file(path)

        def failed(exc: BaseException) -> None:
            self._demo_pending = False
            log.error("demo inspection could not be prepared: %s", exc)
            from inspector_app.gui.dialogs import ErrorDialog

            self._welcome.set_busy(None)
            ErrorDialog.ask(self._window, self.tr("Cannot prepare the demo inspection"), str(exc))

        run_in_background(ensure_demo, prepared, failed)
        return True

    def new_inspection(self) -> None:
        """The New Inspection wizard; the master it creates opens at once."""
        from inspector_app.gui.wizard import NewInspectionWizard

        path = NewInspectionWizard.ask(self._window)
        if path is not None:
            self.open_file(path)

    def open_file(self, path: Path | str, passphrase: str | None = None) -> bool:
        """Open an inspection file in place of the current one. On failure a dialog names the
        file and the reason, and the file that was open stays open. A file on removable media
        is opened from a local copy if the user agrees."""
        path = Path(path).expanduser()
        if self.opener.on_removable_drive(path):
            copied = self.opener.offer_local_copy(path)
            if copied is None:
                return False
            path, passphrase = copied
        if self.file is not None and path.resolve() == Path(self.file.path).resolve():
            self.alreadyOpen.emit()
            return True
        if self.session is not None and not self.session.flush():
            return False  # an edit in flight could not be saved: stay with this file
        opened = self._open_saying_so(path, passphrase)
        if opened is None:
            self.refresh_recent()  # a file that has gone is forgotten
            return False
        file, passphrase = opened
        if self.file is not None and not self.close_file():
            file.close()
            return False
        self.attach(file, passphrase)
        settings.remember_recent(path)
        self.refresh_recent()
        self.opened.emit(str(path))
        return True

    def _open_saying_so(
        self, path: Path, passphrase: str | None
    ) -> tuple[InspectionFile, str | None] | None:
        """Open `path` with "Opening…" on screen meanwhile (opening can take a moment)."""
        opening = self.tr("Opening {name}…").format(name=path.name)
        if self.file is None:
            self._welcome.set_busy(opening)
            self._welcome.repaint()
        else:
            self._window.statusBar().showMessage(opening)
            self._window.statusBar().repaint()
        opened = self.opener.open(path, passphrase)
        self._not_busy()
        return opened

    def reopen(self, path: Path, passphrase: str | None) -> bool:
        """Open the master again after it changed under this window (a merge undone through
        another connection); False, after a dialog saying why, if it cannot be."""
        from inspector_app.core.files.inspection_file import InspectionFile
        from inspector_app.gui.dialogs import ErrorDialog

        try:
            file = InspectionFile.open(path, passphrase=passphrase, check_beside=True)
        except Exception as exc:  # the app keeps running whatever happened
            log.exception("reopening %s failed", path)
            self._welcome.set_busy(None)
            ErrorDialog.ask(
                self._window,
                self.tr("Cannot open {name} again").format(name=path.name),
                str(exc),
                str(path),
            )
            return False
        self.attach(file, passphrase)
        return True

    def attach(self, file: InspectionFile, passphrase: str | None) -> None:
        """Make `file` the open one: its session, then everyone told, then its cases read."""
        from inspector_app.gui.models import CaseListModel
        from inspector_app.gui.session import EditSession

        if self.case_model is None:
            self.case_model = CaseListModel(self)
        self.file = file
        self._passphrase = passphrase
        session = self.session = EditSession(file, self)
        session.changed.connect(lambda changes: self._operations.announce(changes, session))
        session.failed.connect(self.tell_not_saved)
        self.case_model.set_rows([])
        every_row = self._show_first_rows(file)
        self.attached.emit(file)
        if every_row is not None:  # a page held every case: nothing left to read
            self._load_token += 1
            self._dirty_while_loading = set()  # any left were another file's
            self._cases_loaded(self._load_token, every_row)
        else:
            self._load_cases()
        self._tell_situation(file)
        self._watch_damage_check(file)

    def _watch_damage_check(self, file: InspectionFile) -> None:
        """A big file opened before its damage check ended: say so meanwhile (a first save
        waits for it), and close the file if it is found damaged."""
        from inspector_app.gui.damage_watch import DamageWatch

        check = file.db.damage_check
        if check is None:
            return
        self._window.statusBar().showMessage(
            self.tr("Checking {name} for damage…").format(name=Path(file.path).name)
        )
        DamageWatch(
            check, self, lambda watch, finding: self._on_damage_checked(file, watch, finding)
        )

    def _on_damage_checked(self, file: InspectionFile, watch: QObject, finding: object) -> None:
        watch.deleteLater()
        if file is not self.file:
            return  # closed, or another file opened, meanwhile
        if finding is None:
            self._window.statusBar().showMessage(
                self.tr("Checked {name}: no damage found").format(name=Path(file.path).name),
                5000,
            )
            return
        self._close_unusable(file, finding)

    def _close_unusable(self, file: InspectionFile, finding: object) -> None:
        """Close a file its damage check refused, saying why and offering the text typed
        meanwhile to copy; after any dialog open now (a save's failure, an export), so that
        whatever it is doing finishes with the file still there."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from inspector_app.core.errors import FileDamaged
        from inspector_app.gui.dialogs import ErrorDialog

        if file is not self.file:
            return
        if QApplication.activeModalWidget() is not None:
            QTimer.singleShot(250, self, lambda: self._close_unusable(file, finding))
            return
        name = Path(file.path).name
        self._window.statusBar().clearMessage()
        unsaved = self._unsaved_text()
        if isinstance(finding, FileDamaged):
            title = self.tr("{name} is damaged").format(name=name)
            message = self.tr(
                "{reason}. None of your work was written to it. Open the copy kept before the "
                "last merge or a hand-over copy instead, or ask for help."
            ).format(reason=str(finding).rstrip("."))
        else:
            title = self.tr("Cannot use {name}").format(name=name)
            message = self.tr("{reason}. Open it again in a moment.").format(
                reason=str(finding).rstrip(".")
            )
        if unsaved:
            message += " " + self.tr(
                "The text typed since it opened could not be saved: Show Details holds it, to copy."
            )
        ErrorDialog.ask(self._window, title, message, unsaved or str(file.path))
        # Not worth trying again: the typed text was offered to copy above.
        self.close_file(discard_unsaved=True)

    def _unsaved_text(self) -> str:
        """The typed text waiting to be saved, one place a paragraph: each question's, then
        the other editors' (the report's parts)."""
        paragraphs = []
        if self.session is not None:
            for (case_key, code), fields in self.session.text.items():
                summary = self.case_model.summary_of(case_key) if self.case_model else None
                case = str(summary.sample_no) if summary is not None else case_key[:8]
                for field, text in fields.items():
                    if text.strip():
                        where = self.tr("Case {case}, question {code}, {field}:").format(
                            case=case,
                            code=code,
                            field=self.tr("evidence note")
                            if field == "note"
                            else self.tr("answer"),
                        )
                        paragraphs.append(f"{where}\n{text}")
        for unsaved in self._unsaved_sources:
            paragraphs += [f"{where}:\n{text}" for where, text in unsaved()]
        return "\n\n".join(paragraphs)

    def _show_first_rows(self, file: InspectionFile) -> CaseRows | None:
        """A page of the case list at once, read from the open file before anything else
        starts reading it; more as the user scrolls; every row follows from `_load_cases`.
        A file whose cases all fit on that page (a fieldwork file, or the master of an
        ordinary sample) is read whole here: its rows are returned, and no worker reads them
        again."""
        from inspector_app.app.case_rows import CasePages, CaseRows

        assert self.case_model is not None
        pages = CasePages(file)
        try:
            first = pages.next_page()
            if pages.done:
                return CaseRows(first)
        except Exception:  # the worker reads every row again, and says what went wrong
            log.exception("reading the first cases of %s failed", file.path)
            return None
        self.case_model.set_first_rows(first, pages.next_page)
        return None

    def _tell_situation(self, file: InspectionFile) -> None:
        """Say so when the file was not closed properly or has been copied or moved."""
        situation = str(getattr(file, "situation", "normal"))
        name = Path(file.path).name
        if situation in SITUATION_NOTES:
            note = QCoreApplication.translate("file_controller", SITUATION_NOTES[situation]).format(
                name=name
            )
            self._window.statusBar().showMessage(note, 20000)
        if situation == "copied while open":
            from inspector_app.gui.dialogs import NoticeDialog

            NoticeDialog.ask(
                self._window,
                self.tr("{name} was copied while it was open").format(name=name),
                self.tr(
                    "This file was copied while Inspector had it open on another computer or in "
                    "another folder, so the most recent answers may be missing from it. If you "
                    "can, get a fresh copy made with File > Save a copy for hand-over on that "
                    "computer. Edits you make here are kept apart from the original's."
                ),
            )

    def close_file(self, *, keep_tools: bool = False, discard_unsaved: bool = False) -> bool:
        """Close the open file after saving any edit in flight. False if that edit could not
        be saved (the file then stays open, so nothing is lost), unless `discard_unsaved` (a
        damaged file: the edit was offered to copy). The Merge and Conflicts windows close
        with it, unless `keep_tools` (the master is only being reopened)."""
        if self.file is None:
            return True
        assert self.session is not None and self.case_model is not None
        if discard_unsaved:
            self.session.text.clear()
        elif not self.session.flush() or not all(save() for save in self._savers):
            return False
        self.closing.emit(keep_tools)
        self._load_token += 1  # rows still being read are about this file
        self.case_model.set_rows([])
        self.session.undo_stack.clear()
        self.session.deleteLater()
        self.session = None
        self.file.close()
        self.file = None
        self._passphrase = None
        self.closed.emit()
        return True

    # -- the case list's rows --------------------------------------------------------------------

    def _load_cases(self) -> None:
        """Read the case list off the UI thread, through a connection of its own."""
        from inspector_app.app.case_rows import load_case_rows
        from inspector_app.gui.background import run_in_background

        assert self.file is not None
        self._load_token += 1
        token = self._load_token
        path, passphrase = Path(self.file.path), self._passphrase
        self._loading = True
        self._dirty_while_loading = set()
        self.loadingCases.emit()
        run_in_background(
            lambda: load_case_rows(path, passphrase),
            lambda rows: self._cases_loaded(token, rows),
            lambda exc: self._cases_failed(token, exc),
        )

    def _cases_loaded(self, token: int, rows: list[CaseRow]) -> None:
        if token != self._load_token or self.file is None:
            return  # a file opened since; this answer is about the old one
        assert self.case_model is not None
        self._loading = False
        self.case_model.set_rows(rows)
        if self._dirty_while_loading:
            self._refresh_case_rows(self._dirty_while_loading)
            self._dirty_while_loading = set()
        self.casesLoaded.emit()

    def _cases_failed(self, token: int, exc: BaseException) -> None:
        if token != self._load_token:
            return
        self._loading = False
        check = self.file.db.damage_check if self.file is not None else None
        if check is not None and check.finding is not None:
            log.info("the cases were not listed: %s", exc)
            return  # the damage check's own message says so, once (_on_damage_checked)
        from inspector_app.gui.dialogs import ErrorDialog

        ErrorDialog.ask(self._window, self.tr("Cannot list the cases"), str(exc))

    def _refresh_case_rows(self, keys: set[str]) -> None:
        if self._loading:
            self._dirty_while_loading |= keys  # read again once the whole list is in
            return
        if self.file is None or self.case_model is None:
            return
        from inspector_app.app.case_rows import build_case_rows

        self.case_model.update_rows(build_case_rows(self.file, sorted(keys)))

    def _on_operation(self, changes: Changes, _initiator: object | None) -> None:
        """The rows an operation changed are read again (all of them when it says so)."""
        if self.file is None:
            return
        if changes.all_cases and self.case_model is not None:
            self._load_cases()
        elif changes.case_keys:
            self._refresh_case_rows(set(changes.case_keys))

    # -- recent files ----------------------------------------------------------------------------

    def refresh_recent(self) -> None:
        """The recent files, in the File menu and on the welcome page alike."""
        paths = settings.recent_files()
        self.recent_menu.clear()
        for path in paths:
            action = self.recent_menu.addAction(str(path))
            action.triggered.connect(lambda _c=False, p=path: self.open_file(p))
        if paths:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(self.tr("Clear list"), self._clear_recent)
        self.recent_menu.setEnabled(bool(paths))
        self._welcome.set_recent(paths)

    def _clear_recent(self) -> None:
        settings.clear_recent()
        self.refresh_recent()

    # -- the file as a whole ---------------------------------------------------------------------

    def save_handover_copy(self) -> None:
        """A complete single-file copy of the open file, for a USB stick (saved edits first)."""
        if self.file is None or (self.session is not None and not self.session.flush()):
            return
        self.opener.save_handover_copy(Path(self.file.path), self._passphrase)

    def export_answers(self) -> None:
        from inspector_app.gui.export_dialog import export_answers

        if self.file is None or (self.session is not None and not self.session.flush()):
            return
        export_answers(self._window, self.file, self._passphrase)

    def export_findings(self, include_in_progress: bool = False) -> None:
        """The master's figures as a spreadsheet (`include_in_progress`: as the report counts
        them, cases not yet complete included)."""
        from inspector_app.gui.export_dialog import export_findings

        if not self.is_master() or self.session is None or not self.session.flush():
            return
        assert self.file is not None
        export_findings(self._window, self.file, self._passphrase, include_in_progress)

    def purge_identifiers(self) -> bool:
        """After publication: every name and CRN removed, once the lead has confirmed."""
        from inspector_app.app.identifiers import purge_after_publication, report_is_final
        from inspector_app.core.errors import InspectorError
        from inspector_app.core.plural import counted
        from inspector_app.gui.dialogs import ConfirmPurgeDialog, ErrorDialog

        if not self.is_master() or self.session is None or not self.session.flush():
            return False
        assert self.file is not None
        final = report_is_final(self.file)
        if not ConfirmPurgeDialog.ask(self._window, Path(self.file.path).name, final):
            return False
        try:
            outcome = purge_after_publication(self.file, before_final=not final)
        except InspectorError as exc:
            ErrorDialog.ask(self._window, self.tr("Cannot remove the names and CRNs"), str(exc))
            return False
        self._show_status(
            counted(
                outcome.cases,
                "Removed the names and CRNs of {n} case; none is left in the file",
                "Removed the names and CRNs of {n} cases; none is left in the file",
            ),
            15000,
        )
        self._operations.announce(Changes(all_cases=True), self)
        return True

    def tell_not_saved(self, message: str) -> None:
        """An edit (an answer, a note, the report's text) could not be saved: say so, once."""
        from inspector_app.gui.dialogs import ErrorDialog

        title = (
            self.tr("Your last change to {name} was not saved").format(
                name=Path(self.file.path).name
            )
            if self.file
            else self.tr("Your last change to the file was not saved")
        )
        ErrorDialog.ask(
            self._window,
            title,
            self.tr(
                "{message}\n\nThe change is kept on screen; try again, or copy it elsewhere."
            ).format(message=message),
        )

    def _show_status(self, text: str, ms: int) -> None:
        self._window.statusBar().showMessage(text, ms)

    def _not_busy(self) -> None:
        """A dialog is about to ask or tell: no 'Opening…' behind it."""
        self._welcome.set_busy(None)
        self._window.statusBar().clearMessage()
