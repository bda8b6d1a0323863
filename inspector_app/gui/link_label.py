"""A label whose links the keyboard reaches, and leaves in both directions.

Qt's label moves Tab from link to link and on past the last, but Shift+Tab on its first link
stays there: a keyboard user going backwards is stuck. Here Shift+Tab moves to the link
before, and from the first link to the widget before the label.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


class LinkLabel(QLabel):
    """A QLabel that Shift+Tab leaves from its first link."""

    def focusNextPrevChild(self, next: bool) -> bool:
        if next or not self.hasFocus():
            return super().focusNextPrevChild(next)
        before = self.selectionStart()
        if before < 0:  # on the label, no link chosen: leave it
            return QWidget.focusNextPrevChild(self, next)
        super().focusNextPrevChild(next)
        if self.selectionStart() != before:
            return True  # on the link before
        return QWidget.focusNextPrevChild(self, next)
