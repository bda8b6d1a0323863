"""Opening an inspection file as a person does: from a USB stick (offering a local copy), with
a passphrase (asking again when it is wrong), or by mistake (a case sample named as one); and
writing the hand-over copy. Every failure is a dialog naming the file and the reason; the
caller gets a file or None."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from inspector_app.gui import settings

if TYPE_CHECKING:
    from inspector_app.core.files.inspection_file import InspectionFile

log = logging.getLogger(__name__)

SAMPLE_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".txt")
# A wrong passphrase asks again (saying so) this many times before the error names the reason.
PASSPHRASE_ATTEMPTS = 3

ShowStatus = Callable[[str, int], None]  # a message for the status bar, and for how long (ms)


class FileOpener:
    """The dialogs around opening a file, for one window."""

    def __init__(
        self,
        parent: QWidget,
        show_status: ShowStatus,
        *,
        before_asking: Callable[[], None] = lambda: None,
    ) -> None:
        self.parent = parent
        self.show_status = show_status
        self.before_asking = before_asking  # clears a busy message before a dialog shows

    def on_removable_drive(self, path: Path) -> bool:
        from inspector_app.core.files.removable import is_removable

        return path.is_file() and is_removable(path)

    def offer_local_copy(self, path: Path) -> tuple[Path, str | None] | None:
        """Ask; copy the file to the local data folder if wanted. Returns the path to open
        (the copy, or the original) and the passphrase already given, or None to stop."""
        from inspector_app.core.errors import InspectorError
        from inspector_app.core.files.disk import looks_encrypted
        from inspector_app.core.files.handover import make_working_copy
        from inspector_app.gui.dialogs import ErrorDialog, PassphraseDialog, RemovableMediaDialog

        choice = RemovableMediaDialog.ask(self.parent, path.name)
        if choice is None:
            return None
        if choice == RemovableMediaDialog.HERE:
            return path, None
        passphrase = None
        if looks_encrypted(path):
            passphrase = PassphraseDialog.ask(self.parent, path.name)
            if passphrase is None:
                return None
        try:
            copy = make_working_copy(path, passphrase=passphrase)
        except InspectorError as exc:
            ErrorDialog.ask(
                self.parent,
                QCoreApplication.translate("FileOpener", "Cannot copy {name}").format(
                    name=path.name
                ),
                str(exc),
                str(path),
            )
            return None
        self.show_status(
            QCoreApplication.translate("FileOpener", "Working on a local copy: {copy}").format(
                copy=copy
            ),
            20000,
        )
        return copy, passphrase

    def open(self, path: Path, passphrase: str | None) -> tuple[InspectionFile, str | None] | None:
        """The file opened, and the passphrase that opened it; None when it could not be opened
        (a dialog said why) or the user chose not to."""
        from inspector_app.core.errors import FileRefused, InspectorError, PassphraseNeeded
        from inspector_app.gui.dialogs import ErrorDialog

        try:
            try:
                return _open(path, passphrase), passphrase
            except PassphraseNeeded:
                self.before_asking()
                if path.suffix.lower() in SAMPLE_SUFFIXES:
                    raise FileRefused(
                        QCoreApplication.translate(
                            "FileOpener",
                            "{name}: looks like a case sample or long list, not an "
                            "inspection file; import it in File > New inspection (or "
                            "with import-sample)",
                        ).format(name=path.name)
                    ) from None
                return self._open_with_passphrase(path)
        except InspectorError as exc:
            self.before_asking()
            ErrorDialog.ask(
                self.parent,
                QCoreApplication.translate("FileOpener", "Cannot open {name}").format(
                    name=path.name
                ),
                str(exc),
                str(path),
            )
            if not path.exists():
                settings.forget_recent(path)
            return None
        except Exception as exc:  # a damaged file must not take the app down
            log.exception("opening %s failed", path)
            self.before_asking()
            ErrorDialog.ask(
                self.parent,
                QCoreApplication.translate("FileOpener", "Cannot open {name}").format(
                    name=path.name
                ),
                QCoreApplication.translate(
                    "FileOpener", "{name}: could not be read as an inspection file ({exc})."
                ).format(name=path.name, exc=exc),
                str(path),
            )
            return None

    def _open_with_passphrase(self, path: Path) -> tuple[InspectionFile, str] | None:
        """Ask for the passphrase until it opens the file (a wrong one asks again, saying
        so), or None when the user cancels."""
        from inspector_app.core.errors import WrongPassphrase
        from inspector_app.gui.dialogs import PassphraseDialog

        problem = ""
        for attempt in range(1, PASSPHRASE_ATTEMPTS + 1):
            passphrase = PassphraseDialog.ask(self.parent, path.name, problem)
            if passphrase is None:
                return None
            try:
                return _open(path, passphrase), passphrase
            except WrongPassphrase:
                if attempt == PASSPHRASE_ATTEMPTS:
                    raise  # said in the error dialog: wrong, or not an inspection file at all
                problem = QCoreApplication.translate(
                    "FileOpener", "That passphrase does not open the file. Try again, or Cancel."
                )
        return None

    def save_handover_copy(self, source: Path, passphrase: str | None) -> None:
        """Write a complete single-file copy of a file (for a USB stick), off the UI thread:
        written beside its target, checked and renamed into place."""
        from inspector_app.core.files.handover import write_snapshot
        from inspector_app.gui.background import run_in_background
        from inspector_app.gui.dialogs import ErrorDialog, SaveCopyDialog

        target = SaveCopyDialog.ask(
            self.parent, source.with_name(f"{source.stem} (hand-over).inspection")
        )
        if target is None:
            return
        if target.exists():
            ErrorDialog.ask(
                self.parent,
                QCoreApplication.translate("FileOpener", "Cannot save the copy"),
                QCoreApplication.translate(
                    "FileOpener", "{name}: already exists; choose another name"
                ).format(name=target.name),
            )
            return
        self.show_status(
            QCoreApplication.translate("FileOpener", "Writing {name}…").format(name=target.name), 0
        )
        run_in_background(
            lambda: write_snapshot(source, target, passphrase=passphrase),
            lambda written: self.show_status(
                QCoreApplication.translate(
                    "FileOpener",
                    "Saved a complete copy to {written}; it is safe to remove the drive.",
                ).format(written=written),
                20000,
            ),
            lambda exc: ErrorDialog.ask(
                self.parent,
                QCoreApplication.translate("FileOpener", "Cannot save the copy"),
                str(exc),
            ),
        )


def _open(path: Path, passphrase: str | None) -> InspectionFile:
    """Open for the window: a big file opens at once, checked for damage beside it."""
    from inspector_app.core.files.inspection_file import InspectionFile

    return InspectionFile.open(path, passphrase=passphrase, check_beside=True)
