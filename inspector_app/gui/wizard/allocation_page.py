"""The wizard's allocation page: the balanced allocation previewed, cases moved by hand."""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)
from shiboken6 import isValid

from inspector_app.app.new_inspection import (
    AllocationPreview,
    preview_allocation,
)
from inspector_app.core.errors import InspectorError
from inspector_app.core.plural import counted
from inspector_app.gui.background import run_in_background
from inspector_app.gui.table_model import TableModel
from inspector_app.gui.translation import QT_TRANSLATE_NOOP
from inspector_app.gui.wizard.common import (
    ROLE_NAMES,
    EnterSpinBox,
    MessageLabel,
    _busy_bar,
    _button,
    _error_text,
    _fit_columns,
    _muted,
    _table_view,
    is_new_inspection_wizard,
    role_name,
)


class AllocationPage(QWizardPage):
    """How the cases will be shared, and each person's mix of sentence types, before anything
    is written."""

    COL_PERSON, COL_ROLE, COL_CASES = range(3)  # then one column per sentence type
    COLUMNS = (
        QT_TRANSLATE_NOOP("AllocationPage", "Person"),
        QT_TRANSLATE_NOOP("AllocationPage", "Role"),
        QT_TRANSLATE_NOOP("AllocationPage", "Cases"),
    )

    def _columns(self) -> tuple[str, ...]:
        return tuple(QCoreApplication.translate("AllocationPage", c) for c in self.COLUMNS)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Allocation preview"))
        self.setSubTitle(
            self.tr(
                "How the cases will be shared: evenly between inspectors and local "
                "assessors, each with a like mix of sentence types (then RoSH levels). "
                "Go Back to change the team or the sample."
            )
        )
        self.allocation: dict[str, int] | None = None
        self.preview: AllocationPreview | None = None
        self._token = 0
        self._plan_key: object = None
        self.busy = _busy_bar(self.tr("Working out the allocation"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Allocation summary"))
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.model = TableModel(self._columns(), self)
        self.view = _table_view(self.tr("Cases for each person, and their mix of sentence types"))
        self.view.setModel(self.model)
        self.note = _muted(
            self.tr(
                "The lead reads no cases of their own here. Second readers for quality "
                "assurance are chosen in the master later."
            ),
            self,
        )
        # Changing the plan before it is written: a person's capacity, or one case moved.
        self.capacities: dict[str, int] = {}
        self.moves: dict[int, str] = {}
        self.capacity_person = QComboBox()
        self.capacity_person.setAccessibleName(self.tr("Person whose capacity to set"))
        self.capacity = EnterSpinBox()
        self.capacity.setRange(0, 10_000)
        self.capacity.setAccessibleName(self.tr("Most cases for this person"))
        self.capacity_apply = _button(
            self.tr("Set &capacity"), self.tr("Set the person's capacity")
        )
        self.capacity_apply.clicked.connect(self._set_capacity)
        self.capacity.entered.connect(self._set_capacity)
        self.move_case = EnterSpinBox()
        self.move_case.setRange(1, 1_000_000_000)
        self.move_case.setAccessibleName(self.tr("Sample number of the case to move"))
        self.move_to = QComboBox()
        self.move_to.setAccessibleName(self.tr("Person to move the case to"))
        self.move_apply = _button(self.tr("&Move case"), self.tr("Move the case"))
        self.move_apply.clicked.connect(self._move_case)
        self.move_case.entered.connect(self._move_case)
        for combo in (self.capacity_person, self.move_to):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.capacity_person.currentTextChanged.connect(self._show_capacity)
        capacity_label = QLabel(self.tr("Most cases &for"))
        capacity_label.setBuddy(self.capacity_person)
        move_label = QLabel(self.tr("Mo&ve case"))
        move_label.setBuddy(self.move_case)
        changes = QHBoxLayout()
        for widget in (
            capacity_label,
            self.capacity_person,
            self.capacity,
            self.capacity_apply,
        ):
            changes.addWidget(widget)
        changes.addSpacing(24)
        for widget in (
            move_label,
            self.move_case,
            QLabel(self.tr("to")),
            self.move_to,
            self.move_apply,
        ):
            changes.addWidget(widget)
        changes.addStretch(1)
        self.message = MessageLabel()
        # The chosen person's cases by number, to choose the one to move.
        self.cases_of = QLabel()
        self.cases_of.setWordWrap(True)
        self.cases_of.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.cases_of.setAccessibleName(self.tr("The chosen person's cases"))
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_cases_of())
        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.cases_of)
        layout.addLayout(changes)
        layout.addWidget(self.note)
        layout.addWidget(self.message)

    def assignments(self) -> tuple[tuple[int, str], ...]:
        """The previewed first reader of every case, as the master will get them."""
        if self.preview is None:
            return ()
        return tuple(sorted(self.preview.assignments.items()))

    def _show_capacity(self, name: str) -> None:
        """The spin box starts at the person's limit, or at the cases they have now."""
        if self.preview is not None and name:
            self.capacity.setValue(self.capacities.get(name, self.preview.counts.get(name, 0)))

    def _set_capacity(self) -> None:
        name = self.capacity_person.currentText()
        if name:
            self.capacities[name] = self.capacity.value()
            self._replan()

    def _move_case(self) -> None:
        number, name = self.move_case.value(), self.move_to.currentText()
        if self.preview is None or not name:
            return
        if number not in self.preview.assignments:
            self.message.show_problems(
                [self.tr("There is no case {number} in the sample.").format(number=number)]
            )
            return
        self.moves[number] = name
        self._replan()

    def _show_cases_of(self) -> None:
        """The chosen person's cases by sample number (the ones to move from)."""
        index = self.view.currentIndex()
        preview = self.preview
        if preview is None or not index.isValid() or index.row() >= len(preview.counts):
            self.cases_of.setText("")
            return
        name = list(preview.counts)[index.row()]
        numbers = sorted(n for n, who in preview.assignments.items() if who == name)
        text = (
            self.tr("{name}'s cases: {numbers}").format(
                name=name, numbers=", ".join(str(n) for n in numbers)
            )
            if numbers
            else self.tr("{name} has no cases.").format(name=name)
        )
        self.cases_of.setText(text)
        self.cases_of.setAccessibleDescription(text)

    def over_capacity(self) -> list[str]:
        """Who has more cases than the capacity set for them, in words (a case moved by hand
        can take someone past it; the plan itself never does)."""
        if self.preview is None:
            return []
        return [
            self.tr("{name} has {counted}, over the {most} set as their capacity.").format(
                name=name,
                counted=counted(count, "{n} case", "{n} cases"),
                most=self.capacities[name],
            )
            for name, count in self.preview.counts.items()
            if name in self.capacities and count > self.capacities[name]
        ]

    def _replan(self) -> None:
        self._plan_key = None
        self.initializePage()

    def isComplete(self) -> bool:
        return self.allocation is not None

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert is_new_inspection_wizard(wizard)
        plan = wizard.plan()
        sample = wizard.sample_page
        key = (plan.team, plan.sample, plan.accept_valid_rows, wizard.sample_serial())
        if key == self._plan_key and self.allocation is not None:
            self.view.setFocus()
            return
        self._plan_key = key
        self._token += 1
        token = self._token
        self.allocation = None
        self.preview = None
        self.model.set_rows([], headers=self._columns())
        self.message.clear_message()
        self.summary.setText(self.tr("Working out the allocation…"))
        self.busy.show()
        self.completeChanged.emit()
        roles = {m.name: m.role for m in plan.team}
        rows = wizard.sample_rows()
        session = sample.session
        if session is None:  # cannot happen: the sample page goes on only with a file read
            self._failed(token, InspectorError(self.tr("The sample has not been read.")))
            return
        definition = session.definition
        team = plan.team
        capacities, moves = dict(self.capacities), dict(self.moves)
        run_in_background(
            lambda: preview_allocation(team, rows, definition, capacities=capacities, moves=moves),
            lambda preview: self._done(token, preview, roles),
            lambda exc: self._failed(token, exc),
        )

    def _done(self, token: int, preview: AllocationPreview, roles: dict[str, str]) -> None:
        if token != self._token or not isValid(self):
            return
        self.busy.hide()
        self.preview = preview
        self.allocation = dict(preview.counts)
        values = preview.values
        headers = (*self._columns(), *(v or self.tr("Not recorded") for v in values))
        rows = [
            (
                name,
                role_name(roles[name]) if roles.get(name) in ROLE_NAMES else "",
                str(count),
                *(str(preview.mix.get(name, {}).get(v, 0)) for v in values),
            )
            for name, count in preview.counts.items()
        ]
        tips = [
            f"{name}: {counted(count, '{n} case', '{n} cases')}"
            + "".join(
                f"; {preview.mix.get(name, {}).get(v, 0)} {v or self.tr('not recorded')}"
                for v in values
            )
            for name, count in preview.counts.items()
        ]
        self.model.set_rows(rows, tips, headers=headers)
        _fit_columns(self.view, self.COL_PERSON)
        for combo in (self.capacity_person, self.move_to):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(list(preview.counts))
            if current:
                combo.setCurrentText(current)
            combo.blockSignals(False)
        self._show_capacity(self.capacity_person.currentText())
        if preview.assignments:
            self.move_case.setRange(min(preview.assignments), max(preview.assignments))
        moved = len(self.moves)
        limits = ", ".join(
            self.tr("{name} at most {n}").format(name=name, n=n)
            for name, n in self.capacities.items()
        )
        extra = (self.tr(" Capacities: {limits}.").format(limits=limits) if limits else "") + (
            self.tr(" {counted} moved by hand.").format(
                counted=counted(moved, "{n} case", "{n} cases")
            )
            if moved
            else ""
        )
        total = sum(preview.counts.values())
        people = sum(1 for c in preview.counts.values() if c)
        mix = ""
        if values:
            overall = ", ".join(
                f"{v or self.tr('not recorded')} {sum(m.get(v, 0) for m in preview.mix.values())}"
                for v in values
            )
            mix = self.tr(
                " The columns after Cases give each person's cases by {lower} (in all: {overall})."
            ).format(lower=preview.field_label.lower(), overall=overall)
        self.summary.setText(
            self.tr(
                "{counted} shared between {counted2}, each with a like mix of cases.{mix}{extra}"
            ).format(
                counted=counted(total, "{n} case", "{n} cases"),
                counted2=counted(people, "{n} person", "{n} people"),
                mix=mix,
                extra=extra,
            )
        )
        self.summary.setAccessibleName(self.summary.text())
        over = self.over_capacity()
        if over:
            self.message.show_note(
                " ".join(over)
                + self.tr(
                    " Move a case to someone else, or raise the capacity, if that is not meant."
                )
            )
        self.completeChanged.emit()
        self.view.selectRow(0)
        self._show_cases_of()
        self.view.setFocus()

    def _failed(self, token: int, exc: BaseException) -> None:
        if token != self._token or not isValid(self):
            return
        self.busy.hide()
        self._plan_key = None
        self.summary.setText("")
        self.message.show_problems([_error_text(exc) + self.tr(" Go Back to put it right.")])
        self.completeChanged.emit()
