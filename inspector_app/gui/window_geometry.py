"""Where each top-level window opens: within the screen, at the size and place the user left
it on the same screens.

A place is remembered per screen configuration (every screen's name and size), so a laptop
docked to a large monitor and the same laptop on a train each reopen a window where it was
last left in that set-up, instead of one borrowing the other's. A remembered place that no
longer fits (the screens were rearranged, a window was left half off the side) is moved, and
shrunk if need be, into the screen it opens on. Every window goes through `keep_geometry`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QMargins, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from inspector_app.gui import settings

GROUP = "geometry"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def configuration(screens: Iterable[QScreen] | None = None) -> str:
    """The screens as a settings key: "eDP-1_1920x1080+HDMI-1_2560x1440" (sorted, so the
    order Qt lists them in does not matter)."""
    listed = QGuiApplication.screens() if screens is None else list(screens)
    parts = []
    for screen in listed:
        name = _UNSAFE.sub("-", screen.name()).strip("-") or "screen"
        size = screen.size()
        parts.append(f"{name}_{size.width()}x{size.height()}")
    return "+".join(sorted(parts)) or "no-screen"


def clamped(rect: QRect, room: QRect) -> QRect:
    """`rect` moved, and shrunk where it is larger, to lie wholly within `room`."""
    width = min(rect.width(), room.width())
    height = min(rect.height(), room.height())
    x = min(max(rect.x(), room.left()), room.left() + room.width() - width)
    y = min(max(rect.y(), room.top()), room.top() + room.height() - height)
    return QRect(x, y, width, height)


def _frame(window: QWidget) -> QMargins:
    """The window's frame (title bar and borders) once shown; before that, about a title
    bar's height (two lines of text), so a window placed at the top of the screen keeps its
    title bar on it. Once shown, the window is fitted again with its real frame."""
    frame, inner = window.frameGeometry(), window.geometry()
    if window.isVisible() and frame != inner:
        return QMargins(
            inner.left() - frame.left(),
            inner.top() - frame.top(),
            frame.right() - inner.right(),
            frame.bottom() - inner.bottom(),
        )
    return QMargins(0, 2 * window.fontMetrics().height(), 0, 0)


def _room(window: QWidget, at: QRect | None = None) -> QRect | None:
    """The free area (less panels and docks) of the screen `at` lies on, else of the screen
    the window opens on."""
    screen = QGuiApplication.screenAt(at.center()) if at is not None else None
    screen = screen or window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def fit_to_screen(window: QWidget, rect: QRect | None = None) -> QRect:
    """Place the window at `rect` (its inner area; by default where it is now), moved and
    shrunk into its screen with its frame. Returns the inner area it was given."""
    rect = QRect(window.geometry() if rect is None else rect)
    room = _room(window, rect)
    if room is None:
        return rect
    frame = _frame(window)
    inner = clamped(rect, room.marginsRemoved(frame))
    window.setGeometry(inner)
    return inner


def _key(name: str, field: str) -> str:
    return f"{GROUP}/{name}/{configuration()}/{field}"


def save(window: QWidget, name: str) -> None:
    """Remember where the window is, for these screens (its normal place when maximised)."""
    maximised = window.isMaximized() or window.isFullScreen()
    rect = window.normalGeometry() if maximised else window.geometry()
    if rect.isEmpty():
        rect = window.geometry()
    store = settings.app_settings()
    store.setValue(_key(name, "rect"), [rect.x(), rect.y(), rect.width(), rect.height()])
    store.setValue(_key(name, "maximised"), bool(window.isMaximized()))
    store.sync()


def stored(name: str) -> tuple[QRect, bool] | None:
    """Where the window was left on these screens, and whether maximised (None: never)."""
    store = settings.app_settings()
    value = store.value(_key(name, "rect"))
    try:
        x, y, width, height = (int(v) for v in value)
    except (TypeError, ValueError):
        return None
    if width <= 0 or height <= 0:
        return None
    maximised = str(store.value(_key(name, "maximised"), "false")).lower() == "true"
    return QRect(x, y, width, height), maximised


def restore(
    window: QWidget, name: str, default: QSize | None = None, *, maximise_to_fit: bool = False
) -> bool:
    """Put the window where it was left on these screens (True). Else (False) give it
    `default` (or its present size) within its screen; with `maximise_to_fit`, a default
    that fills the screen opens maximised instead."""
    remembered = stored(name)
    if remembered is not None:
        rect, maximised = remembered
        fit_to_screen(window, rect)
        if maximised:
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        return True
    wanted = default if default is not None else window.size()
    room = _room(window)
    if room is not None:
        room = room.marginsRemoved(_frame(window))
        if maximise_to_fit and (wanted.width() >= room.width() or wanted.height() >= room.height()):
            window.resize(wanted.boundedTo(room.size()))
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
            return False
        wanted = wanted.boundedTo(room.size())
    window.resize(wanted)
    return False


def on_screen(window: QWidget) -> bool:
    """The whole window, frame and all, lies within its screen's free area."""
    room = _room(window, window.frameGeometry())
    return room is None or room.contains(window.frameGeometry())


def _onto_screen(window: QWidget) -> None:
    if (
        window.isVisible()
        and not (window.isMaximized() or window.isFullScreen())
        and not on_screen(window)
    ):
        fit_to_screen(window)


class _Keeper(QObject):
    """Brings the window wholly onto its screen once shown (its frame is known only then),
    and remembers its place each time it is closed or hidden (a dialog's Close, Esc, the
    title bar's close button). It keeps nothing on the Python side but its name (as its
    object name): Qt may call it while the window is being destroyed."""

    def __init__(self, window: QWidget, name: str) -> None:
        super().__init__(window)
        self.setObjectName(name)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QWidget) or not watched.isWindow() or event.spontaneous():
            return False
        if event.type() == QEvent.Type.Show:
            QTimer.singleShot(0, watched, lambda: _onto_screen(watched))
        elif event.type() == QEvent.Type.Hide:
            save(watched, self.objectName())
        return False


def keep_geometry(
    window: QWidget, name: str, default: QSize | None = None, *, maximise_to_fit: bool = False
) -> bool:
    """Open `window` (a top-level window, not yet shown) where it was left on these screens,
    or at `default` within the screen, and remember its place whenever it closes. `name`
    tells the app's windows apart in the settings. True if a remembered place was used."""
    restored = restore(window, name, default, maximise_to_fit=maximise_to_fit)
    _Keeper(window, name)
    return restored
