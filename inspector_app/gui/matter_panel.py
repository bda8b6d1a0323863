"""The Report view's Matter tab: the report's own paragraphs (acknowledgements, the role of
the inspectorate) and the contextual information, facts about the area and the service.

They are report settings (core.report_settings), saved together: after a pause in typing, on
leaving the tab, before the report is written or the file closes (the narrative editor's
flush), or when the lead presses Save; what the framework ships stands until the lead
changes it. Typed text is never left unsaved without the window knowing (`unsaved`).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.changes import Changes
from inspector_app.core.errors import InspectorError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.report.data import context_facts
from inspector_app.core.report.settings import SPECS, save_report_settings, setting_values
from inspector_app.gui import spell_check
from inspector_app.gui.style import attention, char_width, css_color, muted_text

PARAGRAPHS = ("acknowledgements", "inspectorate_role")
FACTS = "context_facts"


def facts_text(rows: list[tuple[str, str]]) -> str:
    """The table's rows as the setting stores them ("Label: value; Label: value"); the
    separators are taken out of what the lead typed, so a row always reads back whole."""
    parts = []
    for label, value in rows:
        label = label.replace(";", ",").replace(":", " ").strip()
        value = value.replace(";", ",").strip()
        if label or value:
            parts.append(f"{label}: {value}" if label else value)
    return "; ".join(parts)


# How long after the last keystroke the matter saves itself, as the other parts do.
SAVE_AFTER_MS = 1500


class MatterPanel(QWidget):
    changed = Signal(object)  # Changes
    edited = Signal()  # typed, not yet saved
    saved = Signal()  # what was typed is in the file

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file: InspectionFile | None = None
        self.dirty = False  # typed since it was last saved
        self._loading = False
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SAVE_AFTER_MS)
        self._pause.timeout.connect(self.save_if_edited)
        self.setAccessibleName(self.tr("The report's matter"))
        muted = f"color: {css_color(muted_text(self))};"
        layout = QVBoxLayout(self)
        self.texts: dict[str, QPlainTextEdit] = {}
        for key in PARAGRAPHS:
            spec = SPECS[key]
            label = QLabel(f"{spec.label}:")
            edit = QPlainTextEdit()
            edit.setAccessibleName(spec.label)
            edit.setAccessibleDescription(spec.help)
            edit.setPlaceholderText(spec.help)
            edit.setTabChangesFocus(True)
            spell_check.attach_when_shown(edit)
            label.setBuddy(edit)
            layout.addWidget(label)
            layout.addWidget(edit, 1)
            edit.textChanged.connect(self._edited)
            self.texts[key] = edit

        facts_label = QLabel(
            self.tr("Contextual information (Appendix 7): facts about the area and service:")
        )
        self.facts = QTableWidget(0, 2)
        self.facts.setAccessibleName(self.tr("Facts about the area and the service"))
        self.facts.setHorizontalHeaderLabels([self.tr("Fact"), self.tr("Detail")])
        self.facts.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.facts.setColumnWidth(0, round(char_width(self) * 32))
        self.facts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.facts.setTabKeyNavigation(False)
        facts_label.setBuddy(self.facts)
        self.facts.itemChanged.connect(lambda _item: self._edited())
        hint = QLabel(
            self.tr(
                "For example: People under supervision, about 5,200. The long list "
                "beside the sample is added by itself when the sample was drawn from it."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(muted)
        self.add_row = QPushButton(self.tr("&Add a fact"))
        self.add_row.clicked.connect(self.add_fact)
        self.remove_row = QPushButton(self.tr("Remove the &fact"))
        self.remove_row.clicked.connect(self.remove_fact)
        self.save = QPushButton(self.tr("&Save the matter"))
        self.save.clicked.connect(self.save_matter)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Message"))
        self.message.setStyleSheet(f"color: {css_color(attention(self))};")
        row = QHBoxLayout()
        row.addWidget(self.add_row)
        row.addWidget(self.remove_row)
        row.addStretch(1)
        row.addWidget(self.save)
        layout.addWidget(facts_label)
        layout.addWidget(self.facts, 1)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self._enable()

    def set_file(self, file: InspectionFile | None) -> None:
        self._pause.stop()
        self.file = file
        values = setting_values(file) if file is not None else {}
        self._loading = True
        try:
            for key, edit in self.texts.items():
                edit.setPlainText(values.get(key, ""))
            self.facts.setRowCount(0)
            for label, value in context_facts(values.get(FACTS, "")):
                self.add_fact(label, value)
        finally:
            self._loading = False
        self.dirty = False
        self.message.clear()
        self._enable()

    def _edited(self) -> None:
        if self._loading or self.file is None:
            return
        self.dirty = True
        self._pause.start()
        self.edited.emit()

    def save_if_edited(self) -> bool:
        """Save what was typed, if anything; False if it could not be (it stays typed)."""
        self._pause.stop()
        return self.save_matter() if self.dirty else True

    def unsaved(self) -> list[tuple[str, str]]:
        """What was typed and is not yet in the file: each part's name and its text."""
        if not self.dirty:
            return []
        found = [(SPECS[key].label, edit.toPlainText()) for key, edit in self.texts.items()]
        found.append((self.tr("Contextual information"), facts_text(self.rows())))
        return [(name, text) for name, text in found if text.strip()]

    def rows(self) -> list[tuple[str, str]]:
        def text(row: int, column: int) -> str:
            item = self.facts.item(row, column)
            return item.text() if item is not None else ""

        return [(text(row, 0), text(row, 1)) for row in range(self.facts.rowCount())]

    def add_fact(self, label: str = "", value: str = "") -> None:
        row = self.facts.rowCount()
        self.facts.insertRow(row)
        first = QTableWidgetItem(label)
        self.facts.setItem(row, 0, first)
        self.facts.setItem(row, 1, QTableWidgetItem(value))
        if not label and not value:
            self.facts.setCurrentCell(row, 0)
            self.facts.editItem(first)
        self._edited()

    def remove_fact(self) -> None:
        row = self.facts.currentRow()
        if row >= 0:
            self.facts.removeRow(row)
            self._edited()

    def save_matter(self) -> bool:
        if self.file is None:
            return False
        values = {key: edit.toPlainText() for key, edit in self.texts.items()}
        values[FACTS] = facts_text(self.rows())
        try:
            save_report_settings(self.file, values)
        except InspectorError as exc:
            self.message.setText(str(exc).splitlines()[0])
            return False
        self.message.clear()
        self.dirty = False
        self._pause.stop()
        self.saved.emit()
        self.changed.emit(Changes())
        return True

    def _enable(self) -> None:
        for widget in (*self.texts.values(), self.facts, self.add_row, self.remove_row, self.save):
            widget.setEnabled(self.file is not None)
