"""Errors a user can cause, each carrying a message that names the file, row or field."""

from __future__ import annotations


class InspectorError(Exception):
    """Base for every error whose message is fit to show a user as it is."""


class FileRefused(InspectorError):
    """A file cannot be opened or used: not ours, newer version, corrupt, wrong inspection."""


class FrameworkError(InspectorError):
    """A framework file is broken; the message names the file, question and problem, and
    `line` the line of the file it is about, when that can be told."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class ValidationError(InspectorError):
    """A value a user entered or imported is not allowed."""


class NotFound(InspectorError):
    """A named case, question or team member does not exist in the file."""


class FileDamaged(FileRefused):
    """SQLite's damage check found faults in the file's pages."""


class PassphraseNeeded(FileRefused):
    """The file is not a plain SQLite file: it may be encrypted, so ask for its passphrase."""


class WrongPassphrase(FileRefused):
    """The passphrase does not open the file (or the file is not an inspection file)."""
