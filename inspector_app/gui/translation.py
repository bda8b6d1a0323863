"""Words the screens keep as constants, marked for Qt's catalogue where they are defined.

A string a module or a class keeps as a constant (a column header, a file filter, a state's
name) cannot be translated where it is defined: the module is imported before a translator is
installed. So it is marked there with `QT_TRANSLATE_NOOP(context, "...")`, which
`pyside6-lupdate` collects like a `tr()`, and translated where it is shown with
`QCoreApplication.translate(context, NAME)`. The context is the class's name for a class
attribute (as `self.tr` would use) and the module's file name without `.py` for a module
constant; in English the constant is the text as written, so the tests can compare it.
`tests/project/test_translation.py` checks that every such constant is marked and reaches a
translation.

This is PySide6's own QT_TRANSLATE_NOOP (lupdate knows it by name), typed: the stub that
PySide6 ships says it returns `object`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:

    def QT_TRANSLATE_NOOP(context: str, text: str, /) -> str:
        """`text`, marked for the catalogue in `context`."""
        return text

else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

__all__ = ["QT_TRANSLATE_NOOP"]
