"""Walking a window with the Tab key, as a user without a mouse does: where the focus goes,
which controls it never reaches and where it gets stuck.

One walker for every window (tests/gui_app/test_keyboard_walkthrough.py): from the focus the
window starts with, Tab is pressed on the focused widget until the focus comes back to a
widget it has been on. Each stop must show the focus (the widget has it, in the active
window); a Tab that leaves the focus where it was is a trap, unless Ctrl+Tab leaves (what Qt's
text editors offer when Tab is typed as text).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

# What a user operates: buttons, fields, drop-downs, lists and tables, text, tab bars.
INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QTextEdit,
    QPlainTextEdit,
    QTabBar,
)
# Parts of a control that are the control's own business (a drop-down's text field, a
# table's header and corner button, a tab bar's scroll arrows): the control is what counts.
COMPOSITES = (QComboBox, QAbstractSpinBox, QAbstractItemView, QTabBar)


INNER_STOPS = 40  # presses a widget may keep the focus for, moving between its own stops


def describe(widget: QWidget | None) -> str:
    """A widget as a failure message names it: its kind and what a screen reader says."""
    if widget is None:
        return "nothing"
    name = widget.accessibleName() or widget.objectName()
    text = getattr(widget, "text", None)
    if not name and callable(text):
        name = str(text())
    return f"{type(widget).__name__} {name!r}".rstrip()


def controls(window: QWidget) -> list[QWidget]:
    """Every enabled control of the window a user can see (each only once: the parts of a
    composite control are the control)."""
    found: list[QWidget] = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or isinstance(widget, QHeaderView):
            continue
        if widget.window() is not window or not widget.isVisible() or not widget.isEnabled():
            continue
        if widget.objectName().startswith(("qt_", "_q_")) or _inside_composite(widget):
            continue
        found.append(widget)
    return found


def _inside_composite(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, COMPOSITES):
            return True
        parent = parent.parentWidget()
    return False


def _tab_stops_besides(window: QWidget, widget: QWidget) -> bool:
    """Another widget of the window Tab could move to."""
    return any(
        other is not widget
        and other.window() is window
        and other.isVisible()
        and other.isEnabled()
        and other.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
        and not _inside_composite(other)
        for other in window.findChildren(QWidget)
    )


def _eats_tab(widget: QWidget) -> bool:
    return isinstance(widget, QTextEdit | QPlainTextEdit) and not widget.tabChangesFocus()


@dataclass
class Walk:
    """Where Tab took the focus in one window."""

    window: QWidget
    chain: list[QWidget] = field(default_factory=list)  # in the order reached
    traps: list[str] = field(default_factory=list)  # where Tab left the focus in place
    ctrl_tab_exits: list[QWidget] = field(default_factory=list)  # left only by Ctrl+Tab
    unshown: list[str] = field(default_factory=list)  # focus a user could not see

    def reached(self, widget: QWidget) -> bool:
        """Tab brought the focus to the widget, its focus proxy or a part of it."""
        return any(stop is widget or widget.isAncestorOf(stop) for stop in self.chain) or (
            widget.focusProxy() is not None and self.reached(widget.focusProxy())
        )

    def missing(self, ignore: Iterable[QWidget] = ()) -> list[str]:
        """The window's controls Tab never reached (less those with another way in)."""
        skip = set(map(id, ignore))
        return [
            describe(w) for w in controls(self.window) if id(w) not in skip and not self.reached(w)
        ]

    def names(self) -> list[str]:
        return [describe(w) for w in self.chain]

    def assert_whole(self, ignore: Iterable[QWidget] = ()) -> None:
        """Every control reached, nothing stuck and the focus always shown."""
        assert not self.traps, f"Tab is stuck on {self.traps}; the chain: {self.names()}"
        assert not self.unshown, f"the focus cannot be seen on {self.unshown}"
        missing = self.missing(ignore)
        assert not missing, f"Tab never reaches {missing}; the chain: {self.names()}"


def focus_widget() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def walk(window: QWidget, *, backwards: bool = False, limit: int = 600) -> Walk:
    """Press Tab (Shift+Tab going backwards) from the focus the window has until the focus
    returns to a widget it has been on, recording every stop."""
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    modifier = Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier
    result = Walk(window)
    seen: set[int] = set()
    current = focus_widget()
    for _ in range(limit):
        if id(current) in seen:
            return result
        seen.add(id(current))
        result.chain.append(current)
        if not (current.hasFocus() and current.window().isActiveWindow()):
            result.unshown.append(describe(current))
        if current.window() is not window:
            result.unshown.append(f"{describe(current)} (in another window)")
            return result
        after = _press(current, key, modifier)
        if after is current and not _tab_stops_besides(window, current):
            return result  # the window's only stop: Tab has nowhere else to go
        if after is current:
            if _eats_tab(current):
                QTest.keyClick(current, key, modifier | Qt.KeyboardModifier.ControlModifier)
                after = focus_widget()
                if after is not current:
                    result.ctrl_tab_exits.append(current)
                    current = after
                    continue
            result.traps.append(describe(current))
            return result
        current = after
    result.traps.append(f"no end after {limit} presses")
    return result


def _press(widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier) -> QWidget:
    """Where the focus is after Tab on `widget`. A widget with stops of its own (a label's
    links) keeps the focus for a few presses before passing it on."""
    for _ in range(INNER_STOPS):
        QTest.keyClick(widget, key, modifier)
        after = focus_widget()
        if after is not widget or _eats_tab(widget):
            return after
    return widget
