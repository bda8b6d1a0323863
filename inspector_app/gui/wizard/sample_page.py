"""The wizard's sample page: the service's export read, mapped and confirmed."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)
from shiboken6 import isValid

from inspector_app.core.files.inspection_file import (
    DEFAULT_FRAMEWORK,
)
from inspector_app.core.plural import counted
from inspector_app.core.sample.importing import Problem, SampleReadResult, SampleRow
from inspector_app.core.sample.mapping import SampleMapping
from inspector_app.core.sample.table import hidden_rows_note
from inspector_app.gui.background import run_in_background
from inspector_app.gui.mapping_panel import (
    ExclusionBox,
    MappingPanel,
    MappingSession,
    Review,
    open_sample,
    review_mapping,
)
from inspector_app.gui.table_model import TableModel
from inspector_app.gui.translation import QT_TRANSLATE_NOOP
from inspector_app.gui.wizard.common import (
    EnterLineEdit,
    MessageLabel,
    SampleFileDialog,
    _busy_bar,
    _button,
    _error_text,
    _fit_columns,
    _sentence,
    _table_view,
    is_new_inspection_wizard,
)


class SamplePage(QWizardPage):
    """Choose the sample file, map its columns and values onto the case profile, and see every
    problem before anything is imported. The file is either the sample already drawn (each
    case with its sample number) or the trust's whole long list, from which the next page
    draws the sample; a file without a sample number column is read as a long list until the
    lead says otherwise. The mapping's logic lives here; `MappingPanel` and `ExclusionBox`
    show it and report the lead's choices."""

    kindChanged = Signal(bool)  # True: the file is read as a long list

    COLUMNS = (
        QT_TRANSLATE_NOOP("SamplePage", "Row"),
        QT_TRANSLATE_NOOP("SamplePage", "Column"),
        QT_TRANSLATE_NOOP("SamplePage", "Problem"),
    )
    COL_ROW, COL_COLUMN, COL_PROBLEM = range(3)
    HEADER_DELAY_MS = 400  # a header row typed or stepped is read once the keys stop
    WRAPPED_PROBLEMS = 500  # problems whose rows grow to show the whole message

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("The case sample"))
        self.setSubTitle(
            self.tr(
                "The list of cases the service sent, as CSV or Excel (.xlsx): the sample "
                "already drawn, or its whole long list to draw the sample from. Check which "
                "column is which and what each value means; nothing is imported until the "
                "inspection is created."
            )
        )
        self.session: MappingSession | None = None
        self.review: Review | None = None
        self.review_serial = 0  # changes with every review; the allocation preview follows it
        self._kind_said = False  # what kindChanged last said
        self._reading: Path | None = None
        self._reviewing = False
        self._read_token = 0
        self._review_token = 0
        self._advance_when_read = False
        self._context: tuple[str, str, str] | None = None  # framework, organisation, start
        self._carry: tuple[SampleMapping, set[tuple[str, str]]] | None = None
        self._sheet: str | None = None  # the lead's own choices of sheet and header row
        self._header_row: int | None = None
        self._header_timer = QTimer(self)
        self._header_timer.setSingleShot(True)
        self._header_timer.setInterval(self.HEADER_DELAY_MS)
        self._header_timer.timeout.connect(lambda: self.read(keep_panel=True))

        self.path = EnterLineEdit(self._path_needs_check)
        self.path.setAccessibleName(self.tr("Sample file"))
        self.path.setAccessibleDescription(
            self.tr("Type the file's path and press Enter to check it")
        )
        self.path.setPlaceholderText(self.tr("Path of the .csv or .xlsx file, then Enter"))
        self.path.entered.connect(self.read)
        self.path.textEdited.connect(self._path_edited)
        self.choose = _button(self.tr("C&hoose…"), self.tr("Choose the sample file"))
        self.choose.clicked.connect(self._choose)
        path_label = QLabel(self.tr("Sample &file"))
        path_label.setBuddy(self.path)
        row = QHBoxLayout()
        row.addWidget(path_label)
        row.addWidget(self.path, 1)
        row.addWidget(self.choose)

        self.kind = QComboBox()
        self.kind.addItems(
            [
                self.tr("The sample already drawn: each case has its sample number"),
                self.tr("The trust's whole long list: the sample is drawn from it next"),
            ]
        )
        self.kind.setAccessibleName(self.tr("Kind of list"))
        self.kind.setAccessibleDescription(
            self.tr("Whether the file is the sample drawn, or the long list to draw it from")
        )
        self.kind.currentIndexChanged.connect(lambda index: self._kind_toggled(index == 1))
        kind_label = QLabel(self.tr("&Kind of list"))
        kind_label.setBuddy(self.kind)
        self.kind_row = QWidget()
        kind_layout = QHBoxLayout(self.kind_row)
        kind_layout.setContentsMargins(0, 0, 0, 0)
        kind_layout.addWidget(kind_label)
        kind_layout.addWidget(self.kind)
        kind_layout.addStretch(1)
        self.kind_row.hide()

        self.busy = _busy_bar(self.tr("Checking the sample file"))
        # A long list of many thousands of rows takes a while: show how far it has got, and
        # let the lead stop it.
        self.stop_reading = _button(self.tr("Stop readin&g"), self.tr("Stop reading the file"))
        self.stop_reading.clicked.connect(self._stop_reading)
        self.stop_reading.hide()
        self._rows_read = [0]
        self._reading_name = ""
        self._cancel = threading.Event()
        self._progress_timer = QTimer(self)
        self._progress_timer.setInterval(250)
        self._progress_timer.timeout.connect(self._show_progress)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Sample summary"))
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)

        self.panel = MappingPanel()
        self.panel.sheetChosen.connect(self._sheet_chosen)
        self.panel.headerRowChosen.connect(self._header_row_chosen)
        self.panel.columnChosen.connect(self._column_chosen)
        self.panel.valueChosen.connect(self._value_chosen)
        self.panel.acceptSuggestions.connect(self._accept_suggestions)
        self.panel.everyValueToggled.connect(self._every_value)
        self.panel.hide()
        self.problems_model = TableModel(
            tuple(QCoreApplication.translate("SamplePage", c) for c in self.COLUMNS), self
        )
        self.problems_view = _table_view(self.tr("Problems in the sample file, by row and column"))
        self.problems_view.setModel(self.problems_model)
        self.tab_problems = self.panel.add_tab(
            self.problems_view, self.tr("&Problems"), self.problems_view
        )

        self.accept_valid = QCheckBox(self.tr("&Import only the valid rows"))
        self.accept_valid.setAccessibleName(self.tr("Import only the valid rows"))
        self.accept_valid.toggled.connect(lambda _on: self._refresh_state())
        self.accept_valid.hide()
        self.exclusion = ExclusionBox()
        self.exclusion.changed.connect(self._refresh_state)
        self.exclusion.hide()
        self.todo = MessageLabel()
        self.later = QCheckBox(self.tr("I will import the sample &later"))
        self.later.setAccessibleName(self.tr("Import the sample later"))
        self.later.setToolTip(
            self.tr(
                "Create the inspection now with its team; import the sample and allocate "
                "cases in the master later."
            )
        )
        self.later.toggled.connect(self._later_toggled)
        self.message = MessageLabel()

        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.kind_row)
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.busy, 1)
        busy_row.addWidget(self.stop_reading)
        layout.addLayout(busy_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.accept_valid)
        layout.addWidget(self.exclusion)
        layout.addWidget(self.todo)
        layout.addWidget(self.message)
        layout.addStretch(0)
        layout.addWidget(self.later)

    @property
    def result(self) -> SampleReadResult | None:
        """The file as the current mapping reads it (None until it has been read)."""
        return self.review.result if self.review is not None else None

    def import_rows(self) -> tuple[SampleRow, ...]:
        """The cases the import will put into the master (a long list's: every case of it,
        each without a sample number)."""
        return self.review.result.rows if self.review is not None else ()

    @property
    def long_list(self) -> bool:
        """Whether the file read is a long list the sample is to be drawn from."""
        return self.session is not None and self.session.long_list and not self.later.isChecked()

    def initializePage(self) -> None:
        if self._context is not None and self._context != self._wizard_context():
            # Another framework, organisation or start date: the file is read afresh.
            self.session = None
            self._carry = None
            self._say_kind()
            if self.chosen_path() is not None and not self.later.isChecked():
                self.read()
        self.path.setFocus()

    def isComplete(self) -> bool:
        if self.later.isChecked():
            return True
        if self._reading is not None:
            return False
        if self.session is None or self.review is None:
            return True  # Next reads the file
        if self.chosen_path() != self.session.path:
            return True
        if self._reviewing:
            return False
        return not self.blockers()

    def nextId(self) -> int:
        wizard = self.wizard()
        if self.later.isChecked() and is_new_inspection_wizard(wizard):
            return wizard.PAGE_SAVE
        if is_new_inspection_wizard(wizard):
            return wizard.PAGE_DRAW if self.long_list else wizard.PAGE_ALLOCATION
        return super().nextId()

    def _wizard_context(self) -> tuple[str, str, str]:
        wizard = self.wizard()
        if not is_new_inspection_wizard(wizard):
            return (DEFAULT_FRAMEWORK, "", "")
        values = wizard.inspection_page.values()
        return (
            str(values["framework_id"]),
            str(values["organisation"]),
            str(values["fieldwork_start"]),
        )

    def _path_needs_check(self) -> bool:
        """Enter in the file field checks the file unless it has just been found clean."""
        path = self.chosen_path()
        if path is None or self._reading is not None:
            return self._reading is not None  # swallow Enter while a check is running
        result = self.result
        return self.session is None or self.session.path != path or not result or not result.ok

    def _later_toggled(self, on: bool) -> None:
        for widget in (
            self.path,
            self.choose,
            self.kind_row,
            self.panel,
            self.accept_valid,
            self.exclusion,
        ):
            widget.setEnabled(not on)
        self.message.clear_message()
        self.completeChanged.emit()
        self._say_kind()

    def _say_kind(self) -> None:
        """Tell the wizard when the file becomes, or stops being, a long list to draw from
        (its steps and buttons follow)."""
        if self.long_list != self._kind_said:
            self._kind_said = self.long_list
            self.kindChanged.emit(self._kind_said)

    def _kind_toggled(self, long_list: bool) -> None:
        """The lead says what the file is: read it again as a long list, or as a sample."""
        session = self.session
        if session is None or session.long_list == long_list:
            return
        session.long_list = long_list
        self._say_kind()
        if self._reading is None:
            self._review()

    def _show_kind(self, long_list: bool) -> None:
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(1 if long_list else 0)
        self.kind.blockSignals(False)
        self.kind_row.show()

    def _choose(self) -> None:
        current = Path(self.path.text()).expanduser() if self.path.text().strip() else None
        start = current.parent if current and current.parent.is_dir() else None
        chosen = SampleFileDialog.ask(self, start)
        if chosen is not None:
            self.path.setText(str(chosen))
            self.read()

    def _path_edited(self, _text: str) -> None:
        if self.session is not None or self.review is not None:
            self._clear()
            self.completeChanged.emit()

    def chosen_path(self) -> Path | None:
        text = self.path.text().strip()
        return Path(text).expanduser() if text else None

    def _keep_choices(self) -> None:
        """Carry the lead's choices to the next read, on top of those carried already (a
        column chosen stays chosen through a header row where that column is not found)."""
        if self.session is None:
            return
        mapping, chosen = self.session.snapshot(), set(self.session.chosen)
        if self._carry is not None:
            mapping = self._carry[0].merged_with(mapping)
            chosen |= self._carry[1]
        self._carry = (mapping, chosen)

    def _clear(self) -> None:
        """Forget the file read (the lead's choices are kept for the next read)."""
        self._keep_choices()
        self.session = None
        self.review = None
        self._reviewing = False
        self._review_token += 1
        self.problems_model.set_rows([])
        self._say_kind()
        self.kind_row.hide()
        self.panel.hide()
        self.accept_valid.hide()
        self.accept_valid.setChecked(False)
        self.exclusion.hide()
        self.todo.clear_message()
        self.summary.setText("")

    # -- reading the file and reviewing the mapping (off the UI thread) ------------------------

    def read(self, keep_panel: bool = False) -> None:
        """Read the file and propose its mapping off the UI thread; the panel shows it when
        it comes back. `keep_panel`: the same file again (another sheet or header row)."""
        path = self.chosen_path()
        if path is None:
            self.message.show_problems(
                [self.tr("Choose the sample file, or tick 'import it later'.")]
            )
            return
        context = self._wizard_context()
        if self.session is not None:
            self._keep_choices()
            if self.session.path != path:
                self._sheet = self._header_row = None
        elif self._carry is None or not keep_panel:
            self._sheet = self._header_row = None
        carry, chosen = self._carry if self._carry is not None else (None, set())
        sheet, header_row = self._sheet, self._header_row
        # The same file again keeps what the lead said it is; a new one is judged afresh.
        long_list = (
            self.session.long_list
            if keep_panel and self.session is not None and self.session.path == path
            else None
        )
        self._read_token += 1
        self._review_token += 1
        token = self._read_token
        self._reading = path
        self._reviewing = False
        self._header_timer.stop()
        self.message.clear_message()
        if not keep_panel:
            self._clear()
        self.summary.setText(self.tr("Checking {name}…").format(name=path.name))
        self.busy.show()
        self._cancel = cancel = threading.Event()
        self._rows_read = rows_read = [0]
        self._reading_name = path.name
        self.stop_reading.show()
        self._progress_timer.start()
        self.completeChanged.emit()
        framework_id, organisation, start = context

        def progress(rows: int) -> bool:  # called on the worker thread
            rows_read[0] = rows
            return not cancel.is_set()

        run_in_background(
            lambda: open_sample(
                path,
                framework_id,
                organisation,
                start,
                carry=carry,
                chosen=chosen,
                sheet=sheet,
                header_row=header_row,
                progress=progress,
                long_list=long_list,
            ),
            lambda opened: self._read_done(token, context, keep_panel, opened),
            lambda exc: self._read_failed(token, exc),
        )

    def _show_progress(self) -> None:
        if self._reading is not None and self._rows_read[0]:
            self.summary.setText(
                self.tr("Checking {reading_name}… {rows_read:,} rows read so far").format(
                    reading_name=self._reading_name, rows_read=self._rows_read[0]
                )
            )

    def _stop_reading(self) -> None:
        self._cancel.set()
        self.summary.setText(
            self.tr("Stopping {reading_name}…").format(reading_name=self._reading_name)
        )

    def _reading_finished(self) -> None:
        self._progress_timer.stop()
        self.stop_reading.hide()

    def _read_done(
        self,
        token: int,
        context: tuple[str, str, str],
        kept: bool,
        opened: tuple[MappingSession, Review],
    ) -> None:
        if token != self._read_token or not isValid(self):
            return
        session, review = opened
        self._reading = None
        self._reading_finished()
        self.busy.hide()
        self.session = session
        self._context = context
        self._show_kind(session.long_list)
        self._say_kind()
        self.panel.show_session(session)
        self.panel.show()
        self._apply_review(review)
        if not kept:
            result = review.result
            if session.undecided():
                self.panel.show_tab(MappingPanel.TAB_VALUES)
            elif result.problems:
                self.panel.show_tab(self.tab_problems)
            else:
                self.panel.show_tab(MappingPanel.TAB_PREVIEW)
        if self._advance_when_read and self.wizard() is not None:
            self._advance_when_read = False
            clean = review.result.ok and not review.result.excluded
            if clean and self.isComplete():
                self.wizard().next()

    def _read_failed(self, token: int, exc: BaseException) -> None:
        if token != self._read_token or not isValid(self):
            return
        self._reading = None
        self._reading_finished()
        self.busy.hide()
        self._advance_when_read = False
        if self.session is not None:  # another sheet or header row could not be read
            self.panel.show_session(self.session)
            self._refresh_state()
            self.message.show_problems([_error_text(exc)])
            self.panel.header_row.setFocus()
            return
        self.summary.setText("")
        self.completeChanged.emit()
        self.message.show_problems([_error_text(exc)])
        self.path.setFocus()

    def _review(self) -> None:
        """Read the table through the mapping as it now is (off the UI thread)."""
        session = self.session
        if session is None:
            return
        self._review_token += 1
        token = self._review_token
        self._reviewing = True
        self.completeChanged.emit()
        table, definition, on = session.table, session.definition, session.reference_date
        mapping, long_list = session.snapshot(), session.long_list
        run_in_background(
            lambda: review_mapping(table, definition, mapping, on, long_list=long_list),
            lambda review: self._review_done(token, review),
            lambda exc: self._review_failed(token, exc),
        )

    def _review_done(self, token: int, review: Review) -> None:
        if token != self._review_token or not isValid(self):
            return
        self._apply_review(review)

    def _review_failed(self, token: int, exc: BaseException) -> None:
        if token != self._review_token or not isValid(self):
            return
        self._reviewing = False
        self.message.show_problems([_error_text(exc)])
        self.completeChanged.emit()

    def _apply_review(self, review: Review) -> None:
        self.review = review
        self.review_serial += 1
        self._reviewing = False
        result = review.result
        problems = result.problems
        self.problems_model.set_rows(
            [_problem_row(p) for p in problems], [p.message for p in problems]
        )
        _fit_columns(self.problems_view, self.COL_PROBLEM)
        if len(problems) <= self.WRAPPED_PROBLEMS:  # beyond, one line each (a tooltip has all)
            self.problems_view.resizeRowsToContents()
        self.panel.tabs.setTabText(
            self.tab_problems, self.tr("&Problems ({problems})").format(problems=len(problems))
        )
        if self.session is not None:
            self.panel.show_preview(self.session, review)
        valid = len(result.rows)
        self.accept_valid.setVisible(bool(problems) and valid > 0)
        self.accept_valid.setText(
            self.tr(
                "&Import only the valid rows ({counted}); leave out the rows with problems"
            ).format(counted=counted(valid, "{n} case", "{n} cases"))
        )
        self._refresh_state()

    # -- the lead's choices ------------------------------------------------------------------

    def _ready_for_choices(self) -> bool:
        return self.session is not None and self._reading is None

    def _sheet_chosen(self, name: str) -> None:
        if not self._ready_for_choices():
            return
        self._sheet = name
        self._header_row = None  # found again on the other sheet
        self.read(keep_panel=True)

    def _header_row_chosen(self, row: int) -> None:
        if self.session is None:
            return
        # The row of the sheet shown (a workbook's other sheets may be shorter).
        self._sheet = self.session.table.sheet
        self._header_row = row
        self._header_timer.start()

    def _column_chosen(self, target: str, heading: str) -> None:
        if not self._ready_for_choices():
            return
        assert self.session is not None
        self.session.set_column(target, heading)
        self.panel.columns.update_rows(self.session)
        self.panel.show_values(self.session)
        self._review()

    def _value_chosen(self, index: int, value: str) -> None:
        if not self._ready_for_choices():
            return
        assert self.session is not None
        self.session.choose(index, value)
        self.panel.update_value(self.session, index)
        self._review()

    def _accept_suggestions(self) -> None:
        if not self._ready_for_choices():
            return
        assert self.session is not None
        changed = self.session.accept_suggestions()
        for index in changed:
            self.panel.update_value(self.session, index)
        if changed:
            self._review()
        # The button is now disabled: the keyboard goes to what is left to decide.
        combo = self.panel.first_undecided_combo()
        (combo or self.panel.values).setFocus(Qt.FocusReason.OtherFocusReason)

    def _every_value(self, _on: bool) -> None:
        if self.session is not None:
            self.panel.show_values(self.session)

    def _accepting(self) -> bool:
        return self.accept_valid.isChecked() and not self.accept_valid.isHidden()

    # -- what the page says, and whether Next may go on -------------------------------------

    def _refresh_state(self) -> None:
        review, session = self.review, self.session
        if review is None or session is None:
            self.completeChanged.emit()
            return
        result = review.result
        accept = self._accepting()
        mapped, problems = review.left_out(accept)
        if mapped + problems and result.rows:
            self.exclusion.show_left_out(
                review.left_out_rows(accept),
                result.total_rows,
                len(result.rows),
                mapped,
                problems,
                review.differences(accept),
            )
            self.exclusion.show()
        else:
            self.exclusion.hide()
            self.exclusion.forget()
        text = self._summary_text(review, session)
        self.summary.setText(text)
        self.summary.setAccessibleDescription(text)
        found = self.blockers()
        if found:
            self.todo.show_note(self.tr("Before going on: ") + " ".join(found))
        else:
            self.todo.clear_message()
        self.completeChanged.emit()

    def _summary_text(self, review: Review, session: MappingSession) -> str:
        hidden = session.table.hidden_rows
        note = " " + hidden_rows_note(len(hidden)) if hidden else ""
        return self._read_text(review, session) + note

    def _read_text(self, review: Review, session: MappingSession) -> str:
        result = review.result
        name = result.path.name
        valid = len(result.rows)
        mapped_out = len(result.excluded)
        if session.long_list and result.ok and not mapped_out:
            return self.tr(
                "{name}: a long list of {counted}, all of which can be imported; the sample "
                "is drawn from them in the next step."
            ).format(name=name, counted=counted(valid, "{n} case", "{n} cases"))
        if result.ok and not mapped_out:
            return self.tr("{name}: all {counted} can be imported; no problems found.").format(
                name=name, counted=counted(valid, "{n} case", "{n} cases")
            )
        text = self.tr("{name}: {counted} read. {counted2} can be imported").format(
            name=name,
            counted=counted(result.total_rows, "{n} row", "{n} rows"),
            counted2=counted(valid, "{n} row", "{n} rows"),
        )
        if mapped_out:
            text += self.tr("; {counted} left out by the mapping").format(
                counted=counted(mapped_out, "{n} row", "{n} rows")
            )
        if result.ok:
            return text + "."
        bad = result.total_rows - valid - mapped_out
        text += counted(
            bad,
            "; {n} row has problems ({problems} in all, listed under Problems).",
            "; {n} rows have problems ({problems} in all, listed under Problems).",
            problems=counted(len(result.problems), "{n} problem", "{n} problems"),
        )
        undecided = session.undecided()
        if undecided:
            text += self.tr(
                " {counted} to decide under Values to decide. Map them, fix the file "
                "and press Enter in the file field to check it again, or import only "
                "the valid rows."
            ).format(counted=counted(len(undecided), "{n} value", "{n} values"))
        else:
            text += self.tr(
                " Fix the file and press Enter in the file field to check it again, "
                "or import only the valid rows."
            )
        return text

    def blockers(self) -> list[str]:
        """What stops the import as the file is now mapped (empty: Next may go on)."""
        review, session = self.review, self.session
        if review is None or session is None:
            return []
        result = review.result
        accept = self._accepting()
        found: list[str] = []
        file_level = [p for p in result.problems if p.row is None]
        if file_level:
            found.append(
                _sentence(file_level[0].message)
                + self.tr(
                    " Choose the right column under Columns, or fix the file and check it again."
                )
            )
        undecided = session.undecided()
        if undecided and not accept:
            suggested = sum(1 for row in undecided if row.suggestion)
            text = counted(
                len(undecided),
                "Choose what {n} value under Values to decide is imported as, or exclude its rows",
                "Choose what {n} values under Values to decide are imported as, or exclude "
                "their rows",
            )
            if suggested:
                text += counted(
                    suggested,
                    " ({n} suggested: press Accept suggestions to confirm it)",
                    " ({n} suggested: press Accept suggestions to confirm them)",
                )
            found.append(text + ".")
        others = [p for p in result.problems if p.row is not None and p.value is None]
        if others and not accept:
            found.append(
                self.tr(
                    "Put right the {counted} listed under Problems (fix the file and "
                    "check it again), or tick 'Import only the valid rows'."
                ).format(counted=counted(len(others), "{n} problem", "{n} problems"))
            )
        if not found and not result.rows:
            found.append(
                self.tr(
                    "No case in {name} can be imported as it is mapped; map the values "
                    "or fix the file first."
                ).format(name=result.path.name)
            )
        mapped, problems = review.left_out(accept)
        if result.rows and mapped + problems and not self.exclusion.confirmed:
            found.append(self.tr("Tick 'I confirm leaving these rows out' and give the reason."))
        return found

    def problems(self) -> list[str]:
        if self.session is None or self.review is None:
            return [self.tr("Choose the sample file and check it first.")]
        return self.blockers()

    def validatePage(self) -> bool:
        if self.later.isChecked():
            return True
        path = self.chosen_path()
        if path is not None and (self.session is None or self.session.path != path):
            self._advance_when_read = True  # go on by itself if the file is clean
            self.read()
            return False
        if self._reading is not None or self._reviewing:
            return False
        found = self.problems()
        if found:
            self.message.show_problems(found)
            if self.exclusion.isVisible() and not self.exclusion.confirmed:
                self.exclusion.confirm.setFocus()
            elif self.accept_valid.isVisible():
                self.accept_valid.setFocus()
            else:
                self.path.setFocus()
            return False
        self.message.clear_message()
        return True

    def values(self) -> dict[str, object]:
        if self.later.isChecked() or self.session is None or self.review is None:
            return {
                "sample": None,
                "accept_valid_rows": False,
                "mapping": None,
                "confirm_exclusion": False,
                "exclusion_reason": "",
            }
        accept = self._accepting()
        mapped, problems = self.review.left_out(accept)
        leaving = mapped + problems > 0
        return {
            "sample": self.session.path,
            "accept_valid_rows": accept,
            "mapping": self.session.snapshot(),
            "confirm_exclusion": leaving and self.exclusion.confirmed,
            "exclusion_reason": " ".join(self.exclusion.reason.text().split()) if leaving else "",
        }


def _problem_row(problem: Problem) -> tuple[str, ...]:
    row = (
        QCoreApplication.translate("sample_page", "Whole file")
        if problem.row is None
        else str(problem.row)
    )
    column = problem.column or "—"
    # The message names the file, row and column for use on its own; here the table does.
    text = re.sub(r"^.*?\brow \d+(, column '[^']*')?: ", "", problem.message, count=1)
    return (row, column, _sentence(text))
