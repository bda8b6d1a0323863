"""The Report view's Practice examples tab: draw an example from a case's evidence note, edit
it, place it in a chapter; the examples already placed, to change or remove."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.changes import Changes
from inspector_app.core.errors import InspectorError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.narrative.practice_examples import (
    MAX_EXAMPLE_CHARS,
    PracticeExample,
    add_example,
    edit_example,
    load_examples,
    remove_example,
    starting_text,
)
from inspector_app.gui import spell_check
from inspector_app.gui.style import attention, css_color, muted_text
from inspector_app.gui.translation import QT_TRANSLATE_NOOP

REMINDER = QT_TRANSLATE_NOOP(
    "practice_examples_panel",
    "The report names the case only by its number. Change every name in the text (the "
    "person's, staff, places that identify them) before you place the example.",
)


class PracticeExamplesPanel(QWidget):
    """Examples are saved when placed or changed (each a revision of the report's words)."""

    changed = Signal(object)  # Changes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file: InspectionFile | None = None
        self.setAccessibleName(self.tr("Practice examples"))
        muted = f"color: {css_color(muted_text(self))};"

        self.placed = QListWidget()
        self.placed.setAccessibleName(self.tr("Practice examples placed in the report"))
        self.placed.currentRowChanged.connect(self._chosen)

        self.case = QSpinBox()
        self.case.setRange(1, 999_999)
        self.case.setAccessibleName(self.tr("Case number"))
        self.question = QComboBox()
        self.question.setAccessibleName(self.tr("Question whose evidence note to start from"))
        self.use_note = QPushButton(self.tr("Use its evidence &note"))
        self.use_note.setAccessibleName(self.tr("Use the evidence note of this case and question"))
        self.use_note.clicked.connect(self.use_evidence_note)
        source = QHBoxLayout()  # the case and its question, each with room to read
        source.addWidget(self.case)
        source.addStretch(1)
        source.addWidget(self.use_note)

        self.chapter = QComboBox()
        self.chapter.setAccessibleName(self.tr("Chapter to print the example in"))
        self.title = QLineEdit()
        self.title.setAccessibleName(self.tr("Title of the example"))
        self.title.setPlaceholderText(self.tr("e.g. A risk management plan that worked"))
        self.text = QPlainTextEdit()
        spell_check.attach_when_shown(self.text)
        self.text.setAccessibleName(self.tr("Text of the example"))
        self.text.setPlaceholderText(
            self.tr("A few sentences (at most {MAX_EXAMPLE_CHARS:,} characters)").format(
                MAX_EXAMPLE_CHARS=MAX_EXAMPLE_CHARS
            )
        )
        self.text.setTabChangesFocus(True)
        reminder = QLabel(QCoreApplication.translate("practice_examples_panel", REMINDER))
        reminder.setWordWrap(True)
        reminder.setStyleSheet(muted)
        reminder.setAccessibleName(reminder.text())

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Message"))
        self.message.setStyleSheet(f"color: {css_color(attention(self))};")

        self.place = QPushButton(self.tr("&Place in the report"))
        self.place.clicked.connect(self.place_new)
        self.save = QPushButton(self.tr("Sa&ve changes"))
        self.save.clicked.connect(self.save_chosen)
        self.remove = QPushButton(self.tr("Re&move"))
        self.remove.clicked.connect(self.remove_chosen)
        buttons = QHBoxLayout()
        buttons.addWidget(self.place)
        buttons.addWidget(self.save)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)

        form = QFormLayout()
        form.addRow(self._label(self.tr("Dra&w from case"), self.case), source)
        form.addRow(self._label(self.tr("&Question"), self.question), self.question)
        form.addRow(self._label(self.tr("C&hapter"), self.chapter), self.chapter)
        form.addRow(self._label(self.tr("&Title"), self.title), self.title)
        form.addRow(self._label(self.tr("Te&xt"), self.text), self.text)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Placed in the report:")))
        layout.addWidget(self.placed, 1)
        layout.addLayout(form, 2)
        layout.addWidget(reminder)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self._examples: tuple[PracticeExample, ...] = ()
        self._enable()

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    # -- the file ---------------------------------------------------------------------------------

    def set_file(self, file: InspectionFile | None) -> None:
        self.file = file
        self.chapter.clear()
        self.question.clear()
        if file is not None:
            for criterion in file.framework.criteria():
                self.chapter.addItem(f"{criterion.code}  {criterion.title}", criterion.code)
            for question in file.framework.questions():
                if question.scored:
                    self.question.addItem(f"{question.code}  {question.text}", question.code)
        self.reload()

    def reload(self) -> None:
        self._examples = load_examples(self.file) if self.file is not None else ()
        self.placed.clear()
        for example in self._examples:
            item = QListWidgetItem(f"{example.chapter}  {example.title}  ({example.case_label})")
            item.setData(Qt.ItemDataRole.UserRole, example.id)
            self.placed.addItem(item)
        self._enable()

    # -- actions ----------------------------------------------------------------------------------

    def use_evidence_note(self) -> bool:
        """Fill the text from the chosen case's evidence note on the chosen question."""
        file = self.file
        if file is None:
            return False
        return self._run(
            lambda: self.text.setPlainText(
                starting_text(file, self.case.value(), self.question.currentData())
            )
        )

    def place_new(self) -> bool:
        file = self.file
        if file is None:
            return False
        ok = self._run(
            lambda: add_example(
                file,
                chapter=self.chapter.currentData(),
                sample_no=self.case.value(),
                question=self.question.currentData(),
                title=self.title.text(),
                text=self.text.toPlainText(),
            )
        )
        if ok:
            self.reload()
            self.placed.setCurrentRow(self.placed.count() - 1)
            self.changed.emit(Changes())
        return ok

    def save_chosen(self) -> bool:
        example = self._current()
        file = self.file
        if example is None or file is None:
            return False
        ok = self._run(
            lambda: edit_example(
                file,
                example.id,
                chapter=self.chapter.currentData(),
                title=self.title.text(),
                text=self.text.toPlainText(),
            )
        )
        if ok:
            row = self.placed.currentRow()
            self.reload()
            self.placed.setCurrentRow(row)
            self.changed.emit(Changes())
        return ok

    def remove_chosen(self) -> bool:
        example = self._current()
        file = self.file
        if example is None or file is None:
            return False
        ok = self._run(lambda: remove_example(file, example.id))
        if ok:
            self.reload()
            self.changed.emit(Changes())
        return ok

    # -- inside -----------------------------------------------------------------------------------

    def _run(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except InspectorError as exc:
            self.message.setText(str(exc).splitlines()[0])
            return False
        self.message.clear()
        return True

    def _current(self) -> PracticeExample | None:
        row = self.placed.currentRow()
        return self._examples[row] if 0 <= row < len(self._examples) else None

    def _chosen(self, row: int) -> None:
        example = self._current()
        if example is not None:
            self.case.setValue(example.case)
            self.question.setCurrentIndex(max(self.question.findData(example.question), 0))
            self.chapter.setCurrentIndex(max(self.chapter.findData(example.chapter), 0))
            self.title.setText(example.title)
            self.text.setPlainText(example.text)
        self._enable()

    def _enable(self) -> None:
        has_file = self.file is not None
        chosen = self._current() is not None
        for widget in (self.place, self.use_note):
            widget.setEnabled(has_file)
        self.save.setEnabled(has_file and chosen)
        self.remove.setEnabled(has_file and chosen)
