"""The first screen: what shows with no file open.

Three clear choices (a new inspection, open a file, the demo) and the files opened lately.
A layout-only view: it emits what the user asked for and the main window decides.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QObject,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui.about_dialog import APP_NAME, app_pixmap, tagline
from inspector_app.gui.style import char_width, css_color, heading_font, mix, muted_text
from inspector_app.gui.translation import QT_TRANSLATE_NOOP

NO_RECENT_TEXT = QT_TRANSLATE_NOOP("welcome", "Files you open will be listed here.")


def _underline_mnemonic(text: str) -> str:
    """'&New inspection' as rich text with the N underlined."""
    i = text.find("&")
    if i < 0 or i + 1 >= len(text):
        return html.escape(text)
    head, key, tail = text[:i], text[i + 1], text[i + 2 :]
    return f"{html.escape(head)}<u>{html.escape(key)}</u>{html.escape(tail)}"


class ChoiceButton(QPushButton):
    """A big button: a title and a line of description, framed like a card, with a focus
    ring in the palette's highlight colour (so it shows in any theme, high contrast too).

    Qt's own QCommandLinkButton draws its text at a fixed 9 points, ignoring the user's font
    size, and its arrow disappears on dark palettes; this one follows the system font and
    palette. The button's own text holds the mnemonic (Alt+letter) and is not drawn."""

    def __init__(self, title: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover, True)
        self.setAutoDefault(True)  # Enter presses the choice that has the focus
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        plain = title.replace("&", "")
        self.title_label = QLabel(_underline_mnemonic(title))
        self.title_label.setTextFormat(Qt.TextFormat.RichText)
        self.title_label.setFont(heading_font(self.font(), 1.15))
        self.description_label = QLabel(description)
        self.description_label.setWordWrap(True)
        self.arrow = QLabel("›")
        self.arrow.setFont(heading_font(self.font(), 2.0, bold=False))
        for label in (self.title_label, self.description_label, self.arrow):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            label.setAccessibleName(plain if label is self.title_label else label.text())
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title_label)
        text.addWidget(self.description_label)
        layout = QHBoxLayout(self)
        margin = round(self.fontMetrics().height() * 0.8)
        layout.setContentsMargins(margin, margin * 3 // 4, margin, margin * 3 // 4)
        layout.setSpacing(margin)
        layout.addLayout(text, 1)
        layout.addWidget(self.arrow, 0, Qt.AlignmentFlag.AlignVCenter)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return layout.totalHeightForWidth(width) if layout else super().heightForWidth(width)

    def sizeHint(self) -> QSize:
        width = round(char_width(self) * 60)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        width = round(char_width(self) * 30)
        return QSize(width, self.heightForWidth(width))

    def paintEvent(self, _event: QPaintEvent) -> None:
        palette = self.palette()
        window = palette.color(QPalette.ColorRole.Window)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        text = palette.color(QPalette.ColorRole.WindowText)
        fill = palette.color(QPalette.ColorRole.Base)
        if not self.isEnabled():
            fill = window
        elif self.isDown():
            fill = mix(fill, highlight, 0.25)
        elif self.underMouse():
            fill = mix(fill, highlight, 0.08)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        focused = self.hasFocus()
        width = 2.5 if focused else 1.0
        border = highlight if focused else mix(text, window, 0.65)
        pen = QPen(border, width)
        painter.setPen(pen)
        painter.setBrush(fill)
        inset = width / 2 + 0.5
        radius = self.fontMetrics().height() * 0.4
        painter.drawRoundedRect(
            QRectF(self.rect()).adjusted(inset, inset, -inset, -inset), radius, radius
        )
        painter.end()


class WelcomePage(QWidget):
    """Start a new inspection, open a file, try the demo, or reopen a recent file."""

    newRequested = Signal()
    openRequested = Signal()
    demoRequested = Signal()
    recentChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Welcome"))
        self.setAccessibleDescription(
            self.tr("Start a new inspection, open a file or try the demo")
        )
        muted = f"color: {css_color(muted_text(self))};"

        self.logo = QLabel()
        self.logo.setPixmap(app_pixmap(round(self.fontMetrics().height() * 3.2)))
        self.logo.setAccessibleName(self.tr("{APP_NAME} logo").format(APP_NAME=APP_NAME))
        self.heading = QLabel(APP_NAME)
        self.heading.setFont(heading_font(self.font(), 1.9))
        self.heading.setAccessibleName(APP_NAME)
        self.tagline = QLabel(tagline())
        self.tagline.setWordWrap(True)
        self.tagline.setAccessibleName(self.tagline.text())
        self.tagline.setStyleSheet(muted)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addStretch(1)
        titles.addWidget(self.heading)
        titles.addWidget(self.tagline)
        titles.addStretch(1)
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(self.logo, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addLayout(titles, 1)

        self.question = QLabel(self.tr("What would you like to do?"))
        self.question.setFont(heading_font(self.font(), 1.2))
        self.question.setAccessibleName(self.question.text())

        self.new_button = self._choice(
            self.tr("&New inspection"),
            self.tr(
                "Set up an inspection step by step: details, team, case sample, "
                "allocation and the fieldwork files for your team."
            ),
            self.tr("New inspection"),
        )
        self.new_button.clicked.connect(self.newRequested)
        self.open_button = self._choice(
            self.tr("&Open a file"),
            self.tr(
                "Open a master or fieldwork file (.inspection). You can also drop a file "
                "on this window."
            ),
            self.tr("Open a file"),
        )
        self.open_button.clicked.connect(self.openRequested)
        self.demo_button = self._choice(
            self.tr("Try the &demo inspection"),
            self.tr(
                "Opens the lead's master of a made-up inspection of 60 cases, mid-week: "
                "the team's files merged, two conflicts to settle, the report drafted. "
                "Nothing you do there touches your own files."
            ),
            self.tr("Try the demo inspection"),
        )
        self.demo_button.clicked.connect(self.demoRequested)

        self.busy_label = QLabel()
        self.busy_label.setWordWrap(True)
        self.busy_label.setFont(heading_font(self.font(), 1.05))
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # no end known: a moving bar says "working"
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setAccessibleName(self.tr("Working"))
        self.busy_bar.setMaximumHeight(self.fontMetrics().height())
        self.busy_label.hide()
        self.busy_bar.hide()

        self.recent_label = QLabel(self.tr("&Recent files"))
        self.recent_label.setFont(heading_font(self.font(), 1.05))
        self.recent_label.setAccessibleName(self.tr("Recent files"))
        self.recent = QListWidget()
        self.recent.setAccessibleName(self.tr("Recent files"))
        self.recent.setAccessibleDescription(self.tr("Press Enter to open the chosen file"))
        # A frame drawn from the palette's text colour: the style's own frame is drawn from the
        # window colour and vanishes on a black (high-contrast) palette.
        frame = css_color(
            mix(
                self.palette().color(QPalette.ColorRole.WindowText),
                self.palette().color(QPalette.ColorRole.Window),
                0.65,
            )
        )
        self.recent.setStyleSheet(f"QListWidget {{ border: 1px solid {frame}; }}")
        self.recent.setUniformItemSizes(True)
        self.recent.setSpacing(3)
        self.recent.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.recent.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.recent.itemActivated.connect(self._recent_activated)
        self.recent.installEventFilter(self)
        self.recent_label.setBuddy(self.recent)
        self.no_recent = QLabel(QCoreApplication.translate("welcome", NO_RECENT_TEXT))
        self.no_recent.setAccessibleName(self.no_recent.text())
        self.no_recent.setStyleSheet(muted)

        column = QVBoxLayout()
        column.setSpacing(10)
        column.addStretch(1)
        column.addLayout(top)
        column.addSpacing(12)
        column.addWidget(self.question)
        for button in (self.new_button, self.open_button, self.demo_button):
            column.addWidget(button)
        column.addWidget(self.busy_label)
        column.addWidget(self.busy_bar)
        column.addSpacing(12)
        column.addWidget(self.recent_label)
        column.addWidget(self.no_recent)
        column.addWidget(self.recent)
        column.addStretch(3)
        box = QWidget()
        box.setLayout(column)
        box.setMaximumWidth(round(char_width(self) * 80))
        box.setMinimumWidth(round(char_width(self) * 44))
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        content = QWidget()
        row = QHBoxLayout(content)
        row.setContentsMargins(32, 24, 32, 24)
        row.addStretch(1)
        row.addWidget(box, 100)  # as wide as it may be; what is left goes either side
        row.addStretch(1)
        # With a large system font the page may not fit a small screen: it scrolls then.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self.setTabOrder(self.new_button, self.open_button)
        self.setTabOrder(self.open_button, self.demo_button)
        self.setTabOrder(self.demo_button, self.recent)
        self.setFocusProxy(self.new_button)
        self.set_recent([])

    def _choice(self, title: str, description: str, name: str) -> ChoiceButton:
        button = ChoiceButton(title, description)
        button.setAccessibleName(name)
        button.setAccessibleDescription(description)
        return button

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Arriving in the list by keyboard shows the file Enter would open, clearly chosen.
        if watched is self.recent and event.type() == QEvent.Type.FocusIn:
            item = self.recent.currentItem()
            if item is not None and not item.isSelected():
                item.setSelected(True)
        return super().eventFilter(watched, event)

    def _recent_activated(self, item: QListWidgetItem) -> None:
        self.recentChosen.emit(item.data(Qt.ItemDataRole.UserRole))

    # -- what the main window tells it -----------------------------------------------------------

    def set_recent(self, paths: list[Path]) -> None:
        self.recent.clear()
        for path in paths:
            path = Path(path)
            item = QListWidgetItem(f"{path.name}  —  {path.parent}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{path.name}, in {path.parent}")
            item.setToolTip(str(path))
            self.recent.addItem(item)
        if paths:  # the keyboard starts at the first file; nothing looks chosen until then
            self.recent.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.recent.setVisible(bool(paths))
        self.no_recent.setVisible(not paths)
        rows = min(max(len(paths), 1), 8)
        spacing = self.recent.spacing()
        line = max(self.recent.sizeHintForRow(0), self.recent.fontMetrics().lineSpacing())
        row_height = line + 2 * spacing
        self.recent.setFixedHeight(row_height * rows + 2 * self.recent.frameWidth() + 4)

    def set_busy(self, text: str | None) -> None:
        """Say what is happening (opening a file, preparing the demo) and hold the choices
        until it is done; None: ready again."""
        busy = text is not None
        self.busy_label.setText(text or "")
        self.busy_label.setAccessibleName(text or "")
        self.busy_label.setVisible(busy)
        self.busy_bar.setVisible(busy)
        for widget in (self.new_button, self.open_button, self.demo_button, self.recent):
            widget.setEnabled(not busy)
