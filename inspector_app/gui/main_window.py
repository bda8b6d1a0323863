"""The main window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from inspector_app.core.errors import InspectorError
from inspector_app.core.inspection_file import InspectionFile


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.file: InspectionFile | None = None
        self.setWindowTitle("Inspector")
        self.resize(1100, 720)
        placeholder = QLabel("Open an inspection file to begin.")
        self.setCentralWidget(placeholder)

    def open_file(self, path: Path) -> bool:
        try:
            file = InspectionFile.open(path)
        except InspectorError as exc:
            QMessageBox.warning(self, "Cannot open file", str(exc))
            return False
        if self.file is not None:
            self.file.close()
        self.file = file
        self.setWindowTitle(f"{file.inspection.title} — {path.name} — Inspector")
        return True

    def closeEvent(self, event) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None
        super().closeEvent(event)
