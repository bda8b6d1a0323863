"""The About dialog: who the app is (icon, version, licence), where it keeps things (data, log
and settings), and what it runs on (Python, Qt, SQLite), with one button to copy all of that
for a support request."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui.style import char_width, heading_font, muted_text
from inspector_app.gui.translation import QT_TRANSLATE_NOOP

APP_NAME = "Inspector"  # the product's name, the same in every language
TAGLINE = QT_TRANSLATE_NOOP("about_dialog", "Case-assessment fieldwork for probation inspections")
LICENCE = "MIT"  # the licence's name
COPYRIGHT = QT_TRANSLATE_NOOP(
    "about_dialog", "Free software under the MIT licence: use, copy and change it freely."
)
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    """The app icon at every size shipped (an empty icon if the resources are missing)."""
    from inspector_app.core.resources import resources_dir

    icon = QIcon()
    folder = resources_dir() / "icons"
    for size in ICON_SIZES:
        path = folder / f"inspector-app-{size}.png"
        if path.exists():
            icon.addFile(str(path))
    return icon


def app_pixmap(size: int) -> QPixmap:
    return app_icon().pixmap(size, size)


def _package_version(name: str) -> str:
    from importlib import metadata  # slow to import, and only the dialog needs it

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return QCoreApplication.translate("about_dialog", "unknown")


def about_facts() -> list[tuple[str, str]]:
    """(label, value) for everything the dialog shows, in order."""
    import platform

    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    from inspector_app import __version__
    from inspector_app.core.files.disk import engine_version
    from inspector_app.core.files.paths import data_dir, log_dir
    from inspector_app.gui.settings import app_settings

    return [
        (QCoreApplication.translate("about_dialog", "Version"), __version__),
        (QCoreApplication.translate("about_dialog", "Licence"), LICENCE),
        (QCoreApplication.translate("about_dialog", "Data folder"), str(data_dir())),
        (QCoreApplication.translate("about_dialog", "Log folder"), str(log_dir())),
        (QCoreApplication.translate("about_dialog", "Settings"), app_settings().fileName()),
        (
            QCoreApplication.translate("about_dialog", "Python"),
            f"{platform.python_version()} ({platform.python_implementation()})",
        ),
        (
            QCoreApplication.translate("about_dialog", "Qt"),
            QCoreApplication.translate(
                "about_dialog", "{qVersion} (PySide6 {pyside_version})"
            ).format(qVersion=qVersion(), pyside_version=pyside_version),
        ),
        (
            QCoreApplication.translate("about_dialog", "SQLite"),
            QCoreApplication.translate(
                "about_dialog", "{engine_version} (SQLCipher driver {package_version})"
            ).format(
                engine_version=engine_version(), package_version=_package_version("sqlcipher3")
            ),
        ),
        (
            QCoreApplication.translate("about_dialog", "System"),
            f"{platform.system()} {platform.release()} ({platform.machine()})",
        ),
    ]


def tagline() -> str:
    """What the app is for, in a line under its name (here and on the welcome page)."""
    return QCoreApplication.translate("about_dialog", TAGLINE)


def details_text() -> str:
    """The facts as plain text, for the clipboard and for error reports."""
    lines = [f"{APP_NAME} — {tagline()}"]
    lines += [f"{label}: {value}" for label, value in about_facts()]
    if getattr(sys, "frozen", False):
        lines.append(QCoreApplication.translate("about_dialog", "Build: packaged app"))
    return "\n".join(lines)


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        # Imported here: the welcome page imports this module for the icon before the window
        # first shows, and only the dialog needs these.
        from PySide6.QtWidgets import QDialogButtonBox, QFormLayout

        super().__init__(parent)
        self.setWindowTitle(self.tr("About {APP_NAME}").format(APP_NAME=APP_NAME))
        self.setAccessibleName(self.windowTitle())
        facts = about_facts()
        self.facts = dict(facts)  # by label, as shown (translated)
        version_label = QCoreApplication.translate("about_dialog", "Version")
        log_label = QCoreApplication.translate("about_dialog", "Log folder")

        self.icon = QLabel()
        self.icon.setPixmap(app_pixmap(128))
        self.icon.setAccessibleName(self.tr("{APP_NAME} icon").format(APP_NAME=APP_NAME))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.heading = QLabel(APP_NAME)
        self.heading.setFont(heading_font(self.font(), 1.8))
        self.heading.setAccessibleName(APP_NAME)
        self.version = QLabel(self.tr("Version {facts}").format(facts=self.facts[version_label]))
        self.version.setFont(heading_font(self.font(), 1.1, bold=False))
        self.version.setAccessibleName(self.version.text())
        self.version.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        tagline_label = QLabel(tagline())
        tagline_label.setWordWrap(True)
        tagline_label.setAccessibleName(tagline_label.text())
        licence = QLabel(QCoreApplication.translate("about_dialog", COPYRIGHT))
        licence.setWordWrap(True)
        licence.setAccessibleName(licence.text())
        licence.setStyleSheet(f"color: {muted_text(self).name()};")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.values: dict[str, QLabel] = {}
        for label, value in facts:
            if label == version_label:
                continue
            field = QLabel(value)
            field.setWordWrap(True)
            field.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            field.setAccessibleName(f"{label}: {value}")
            self.values[label] = field
            form.addRow(f"{label}:", field)

        text = QVBoxLayout()
        text.setSpacing(4)
        text.addWidget(self.heading)
        text.addWidget(self.version)
        text.addWidget(tagline_label)
        text.addWidget(licence)
        text.addSpacing(10)
        text.addLayout(form)
        top = QHBoxLayout()
        top.setSpacing(20)
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(text, 1)

        self.feedback = QLabel()
        self.feedback.setAccessibleName(self.tr("Copied"))
        buttons = QDialogButtonBox()
        self.copy_button = buttons.addButton(
            self.tr("&Copy details"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.setAccessibleName(self.tr("Copy details to the clipboard"))
        self.copy_button.clicked.connect(self.copy_details)
        self.logs_button = buttons.addButton(
            self.tr("Open &log folder"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.logs_button.setAccessibleName(self.tr("Open the log folder"))
        self.logs_button.clicked.connect(lambda: _open_folder(Path(self.facts[log_label])))
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.feedback, 1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.addLayout(top)
        layout.addSpacing(12)
        layout.addLayout(bottom)
        self.setMinimumWidth(round(char_width(self) * 78))
        close.setFocus()

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(details_text())
        self.feedback.setText(self.tr("Details copied to the clipboard."))
        self.feedback.setAccessibleDescription(self.feedback.text())

    @classmethod
    def ask(cls, parent: QWidget | None) -> None:
        cls(parent).exec()


def _open_folder(folder: Path) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
