"""Editing one open file: autosave, debounced notes and the undo stack.

Every edit goes through here. Answers, profile corrections and completion are saved at once
(each service call is one committed revision); typed text (evidence notes, free-text answers)
is saved after a short pause, and at once whenever the user moves elsewhere (another section or
case, undo, closing). Each undo or redo is itself a new revision written through the same
services, so history is never rewritten. Screens listen to `changed` and refresh only what the
`Changes` concern.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from inspector_app.core.cases.answers import set_answer, set_case_complete, set_profile_value
from inspector_app.core.cases.case_data import CaseState, load_case
from inspector_app.core.changes import Changes
from inspector_app.core.errors import InspectorError
from inspector_app.core.files.disk import SAVE_ERRORS
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.gui.autosave import PendingText

log = logging.getLogger(__name__)


class SaveState(StrEnum):
    """What the status bar says of the user's edits."""

    SAVED = "saved"
    PENDING = "pending"  # typed text waiting for its pause
    FAILED = "failed"  # not saved: tried again until it is


SAVED, PENDING, FAILED = SaveState.SAVED, SaveState.PENDING, SaveState.FAILED


@dataclass(frozen=True)
class Answer:
    value: str | None
    note: str


class EditSession(QObject):
    changed = Signal(object)  # Changes
    saveStateChanged = Signal(str)  # SAVED / PENDING / FAILED
    failed = Signal(str)  # a message fit to show the user
    navigate = Signal(str, str)  # case key, question code ('' for none): where an undo acted

    def __init__(self, file: InspectionFile, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.file = file
        self.framework = file.framework
        self.undo_stack = QUndoStack(self)
        # Typed text per (case, question): its fields 'note' and 'value'.
        self.text: PendingText[tuple[str, str], dict[str, str]] = PendingText(self._save_text, self)
        self.state = SAVED
        self.last_error = ""
        self._last_ok = False

    # -- reading ---------------------------------------------------------------------------------

    def load_case(self, case_key: str) -> CaseState:
        return load_case(self.file, case_key)

    def stored_answer(self, case_key: str, code: str) -> Answer:
        current = self.load_case(case_key).answers.get(code)
        return Answer(current.value, current.note) if current else Answer(None, "")

    def pending_text(self, case_key: str, code: str, field: str) -> str | None:
        return (self.text.get((case_key, code)) or {}).get(field)

    def has_pending(self) -> bool:
        return bool(self.text)

    # -- editing ---------------------------------------------------------------------------------

    def answer(self, case_key: str, code: str, value: str | None) -> bool:
        """Save an answer now (pending text is saved first, as its own revision)."""
        if not self.flush():
            return False
        old = self.stored_answer(case_key, code)
        new = Answer(value, old.note)
        if new == old:
            return True
        label = self.framework.scale_of(code).label_of(value) if value else self.tr("no answer")
        return self._push(
            AnswerCommand(
                self,
                self.tr("answer {label} to {code}").format(label=label, code=code),
                case_key,
                code,
                old,
                new,
            )
        )

    def edit_text(self, case_key: str, code: str, field: str, text: str) -> None:
        """Typed text (field 'note' or 'value'): saved after a pause or when the user moves on."""
        key = (case_key, code)
        self.text.put(key, {**(self.text.get(key) or {}), field: text})
        self._set_state(PENDING)

    def flush(self) -> bool:
        """Save pending typed text now. False if it could not be saved (it stays pending)."""
        if not self.text.flush():
            return False
        if self.state == PENDING:
            self._set_state(SAVED)
        return True

    def _save_text(self, key: tuple[str, str], fields: dict[str, str]) -> bool:
        """One question's typed text as one revision (an undoable edit)."""
        case_key, code = key
        try:
            old = self.stored_answer(case_key, code)
        except SAVE_ERRORS as exc:
            log.exception("reading an answer before saving failed")
            return self._fail(str(exc))
        value = old.value
        if "value" in fields:
            value = fields["value"] if fields["value"].strip() else None
        new = Answer(value, fields.get("note", old.note))
        if new == old:
            return True
        what = "note" if "note" in fields else "text"
        return self._push(
            AnswerCommand(
                self,
                self.tr("{what} of {code}").format(what=what, code=code),
                case_key,
                code,
                old,
                new,
            )
        )

    def set_profile(self, case_key: str, field: str, value: object) -> bool:
        if not self.flush():
            return False
        old = self.load_case(case_key).profile.get(field)
        if old == value and isinstance(old, bool) == isinstance(value, bool):
            return True
        return self._push(ProfileCommand(self, case_key, field, old, value))

    def set_complete(self, case_key: str, complete: bool) -> bool:
        """Mark complete or reopen. The caller checks what is missing first."""
        if not self.flush():
            return False
        text = self.tr("mark complete") if complete else self.tr("reopen case")
        return self._push(CompleteCommand(self, text, case_key, complete))

    def undo(self) -> None:
        if self.flush():
            self.undo_stack.undo()

    def redo(self) -> None:
        if self.flush():
            self.undo_stack.redo()

    # -- inside ----------------------------------------------------------------------------------

    def _push(self, command: _EditCommand) -> bool:
        self._last_ok = False
        self.undo_stack.push(command)  # runs command.redo(), which saves
        return self._last_ok

    def run_edit(self, fn: Callable[[], Changes], case_key: str, code: str, navigate: bool) -> bool:
        try:
            changes = fn()
        except SAVE_ERRORS as exc:
            log.exception("saving an edit failed")
            self._last_ok = False
            return self._fail(str(exc) if isinstance(exc, InspectorError) else f"{exc}")
        self._last_ok = True
        self._set_state(PENDING if self.text else SAVED)
        self.changed.emit(changes or Changes(case_keys=frozenset({case_key})))
        if navigate:
            self.navigate.emit(case_key, code)
        return True

    def _fail(self, message: str) -> bool:
        self.last_error = message
        self._set_state(FAILED)
        if not self.text.retrying:
            self.failed.emit(message)
        self.text.retry_later()
        return False

    def _set_state(self, state: SaveState) -> None:
        if state != self.state:
            self.state = state
        self.saveStateChanged.emit(state)


class _EditCommand(QUndoCommand):
    """A saved edit. The first redo() is the edit itself; later undo()/redo() write the old or
    the new value again as new revisions and ask the window to show where they acted."""

    def __init__(self, session: EditSession, text: str, case_key: str, code: str) -> None:
        super().__init__(f"{session.file.case_label(case_key)}: {text}")
        self.session = session
        self.case_key = case_key
        self.code = code
        self.ok = False
        self._first = True

    def apply(self, forward: bool) -> Changes:
        raise NotImplementedError

    def redo(self) -> None:
        self._run(forward=True)

    def undo(self) -> None:
        self._run(forward=False)

    def _run(self, forward: bool) -> None:
        navigate = not self._first
        self._first = False
        self.ok = self.session.run_edit(
            lambda: self.apply(forward), self.case_key, self.code, navigate
        )
        if not self.ok:
            self.setObsolete(True)  # a failed edit leaves the stack


class AnswerCommand(_EditCommand):
    def __init__(
        self, session: EditSession, text: str, case_key: str, code: str, old: Answer, new: Answer
    ) -> None:
        super().__init__(session, text, case_key, code)
        self.old = old
        self.new = new

    def apply(self, forward: bool) -> Changes:
        target = self.new if forward else self.old
        return set_answer(self.session.file, self.case_key, self.code, target.value, target.note)


class ProfileCommand(_EditCommand):
    def __init__(
        self, session: EditSession, case_key: str, field: str, old: object, new: object
    ) -> None:
        super().__init__(
            session,
            QCoreApplication.translate("ProfileCommand", "profile {replace}").format(
                replace=field.replace("_", " ")
            ),
            case_key,
            "",
        )
        self.field = field
        self.old = old
        self.new = new

    def apply(self, forward: bool) -> Changes:
        value = self.new if forward else self.old
        return set_profile_value(self.session.file, self.case_key, self.field, value)


class CompleteCommand(_EditCommand):
    def __init__(self, session: EditSession, text: str, case_key: str, complete: bool) -> None:
        super().__init__(session, text, case_key, "")
        self.complete = complete

    def apply(self, forward: bool) -> Changes:
        state = self.complete if forward else not self.complete
        return set_case_complete(self.session.file, self.case_key, state)
