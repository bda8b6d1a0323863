"""One app-wide signal for "an operation changed the open file", so every view reads again
only what concerns it, whoever made the change (an edit, a resolution, a merge)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from inspector_app.core.changes import Changes


class OperationBus(QObject):
    """Carries each use case's `Changes` with the object that ran it (the initiator), so a
    view can skip what it did itself and filter the rest."""

    executed = Signal(object, object)  # Changes, initiator (or None)

    def announce(self, changes: Changes, initiator: object | None = None) -> None:
        self.executed.emit(changes, initiator)
