"""The wizard's draw page: the sample drawn from the trust's long list, shown before anything
is written.

The draw is `core.sample.long_list.plan_draw` on the long list's rows as the sample page read
them: the same long list, strata and seed give the same cases when the master is made (and
the master refuses to be made if they do not)."""

from __future__ import annotations

import secrets
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from inspector_app.app.new_inspection import DrawChoice
from inspector_app.core.errors import InspectorError
from inspector_app.core.framework.profile import FieldKind
from inspector_app.core.plural import counted
from inspector_app.core.sample.importing import SampleRow
from inspector_app.core.sample.long_list import (
    DrawOutcome,
    plan_draw,
    strata_fields,
    value_text,
)
from inspector_app.gui.table_model import TableModel
from inspector_app.gui.translation import QT_TRANSLATE_NOOP
from inspector_app.gui.wizard.common import (
    MessageLabel,
    _button,
    _error_text,
    _fit_columns,
    _intro,
    _muted,
    _table_view,
)
from inspector_app.gui.wizard.sample_page import SamplePage

DEFAULT_STRATA = ("sentence_type",)  # as the command line's draw-sample
MOST_RESERVES = 20


class DrawPage(QWizardPage):
    """How many cases to draw, by which fields the long list is divided (strata), the seed,
    and the draw itself: each stratum's cases in the long list, drawn and held in reserve."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("DrawPage", "Stratum"),
        QT_TRANSLATE_NOOP("DrawPage", "Long list"),
        QT_TRANSLATE_NOOP("DrawPage", "Share"),
        QT_TRANSLATE_NOOP("DrawPage", "Drawn"),
        QT_TRANSLATE_NOOP("DrawPage", "Reserves"),
    )
    COL_STRATUM = 0
    REDRAW_DELAY_MS = 150  # the draw follows the keys once they stop

    def __init__(self, sample: SamplePage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sample = sample  # the page that read the long list
        self.setTitle(self.tr("Draw the sample"))
        self.setSubTitle(
            self.tr(
                "The sample is drawn at random from the long list, each stratum giving cases "
                "in proportion to its size. The same long list, strata and seed always give "
                "the same cases, so the draw can be shown to be fair and made again."
            )
        )
        self.outcome: DrawOutcome | None = None
        self.serial = 0  # changes with every draw; the allocation preview follows it
        self._rows: tuple[SampleRow, ...] = ()
        self._rows_serial = -1
        self._fields: tuple[str, ...] = ()
        self._drawn_for: tuple[object, ...] = ()
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(self.REDRAW_DELAY_MS)
        self._redraw.timeout.connect(self.draw)

        self.intro = _intro("")
        self.how_many = QSpinBox()
        self.how_many.setAccessibleName(self.tr("Cases to draw"))
        self.how_many.setSpecialValueText(self.tr("Type how many"))
        self.how_many.setToolTip(
            self.tr("Inspections usually read between 60 and 200 cases; the choice is yours.")
        )
        self.strata = QListWidget()
        self.strata.setAccessibleName(self.tr("Fields to stratify by"))
        self.strata.setToolTip(
            self.tr(
                "Tick a field to draw from each of its values in proportion (Space ticks). "
                "None ticked: the whole long list is one stratum."
            )
        )
        self.minimum = QSpinBox()
        self.minimum.setRange(0, 50)
        self.minimum.setValue(1)
        self.minimum.setAccessibleName(self.tr("Cases at least from each stratum"))
        self.reserves = QSpinBox()
        self.reserves.setRange(0, MOST_RESERVES)
        self.reserves.setValue(2)
        self.reserves.setAccessibleName(self.tr("Reserve cases for each stratum"))
        self.seed = QLineEdit(str(100000 + secrets.randbelow(900000)))
        self.seed.setAccessibleName(self.tr("Seed"))
        self.seed.setToolTip(
            self.tr("Any text. Keep it: with the long list it makes the same draw again.")
        )
        self.new_seed = _button(self.tr("New s&eed"), self.tr("Choose a new seed at random"))
        self.new_seed.clicked.connect(self._new_seed)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.new_seed)

        form = QFormLayout()
        form.addRow(self.tr("Cases to dra&w"), self.how_many)
        form.addRow(self.tr("S&tratify by"), self.strata)
        form.addRow(self.tr("Minimum per stratu&m"), self.minimum)
        form.addRow(self.tr("Reser&ves for each stratum"), self.reserves)
        seed_label = QLabel(self.tr("See&d"))
        seed_label.setBuddy(self.seed)  # a label beside a row of widgets needs its buddy
        form.addRow(seed_label, seed_row)

        self.model = TableModel(
            tuple(QCoreApplication.translate("DrawPage", c) for c in self.COLUMNS), self
        )
        self.view = _table_view(self.tr("Each stratum: cases in the long list, drawn, reserves"))
        self.view.setModel(self.model)
        self.summary = _intro("")
        self.summary.setAccessibleName(self.tr("The draw"))
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.note = _muted(
            self.tr(
                "Sample numbers are given in random order, so a number does not show its "
                "stratum. A drawn case found unsuitable on site is replaced by the next "
                "reserve of its stratum, on the Sample tab of Inspection > Team and "
                "allocation."
            ),
            self,
        )
        self.message = MessageLabel()

        top = QHBoxLayout()
        top.addLayout(form, 0)  # as wide as the fields' names: the strata take the rest
        side = QVBoxLayout()
        side.addWidget(self.summary)
        side.addWidget(self.view, 1)
        top.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(top, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.note)

        self.how_many.valueChanged.connect(self._changed)
        self.minimum.valueChanged.connect(self._changed)
        self.reserves.valueChanged.connect(self._changed)
        self.seed.textEdited.connect(self._changed)
        self.strata.itemChanged.connect(self._changed)
        # Enter straight after typing: the draw is made before Next is pressed.
        for box in (self.how_many, self.minimum, self.reserves):
            box.editingFinished.connect(self._draw_if_waiting)
        self.seed.returnPressed.connect(self._draw_if_waiting)

    # -- what the sample page read --------------------------------------------------------------

    def initializePage(self) -> None:
        sample = self.sample
        session = sample.session
        if session is not None and sample.review_serial != self._rows_serial:
            self._rows_serial = sample.review_serial
            self._rows = sample.import_rows()
            self._show_fields([(f.name, f.label) for f in strata_fields(session.definition)])
            total = len(self._rows)
            self.how_many.setRange(0, total)
            self.intro.setText(
                self.tr("The long list holds {counted} that can be drawn.").format(
                    counted=counted(total, "{n} case", "{n} cases")
                )
            )
            self.intro.setAccessibleName(self.intro.text())
            self.draw()
        self.how_many.setFocus(Qt.FocusReason.OtherFocusReason)
        self.how_many.selectAll()

    def _profile_order(
        self, plan_row: tuple[str, int, int], strata: tuple[str, ...]
    ) -> tuple[int, ...]:
        """A stratum's place as the profile lists its fields' values (High after Medium,
        not before Low); a value the profile does not list goes last."""
        session = self.sample.session
        if session is None:
            return ()
        parts = plan_row[0].split(" / ") if plan_row[0] else []
        place: list[int] = []
        for name, part in zip(strata, parts, strict=False):
            spec = session.definition.by_name.get(name)
            values = [value_text(v) for v in (spec.values if spec is not None else ())]
            if spec is not None and spec.kind == FieldKind.FLAG:
                values = ["yes", "no"]
            place.append(values.index(part) if part in values else len(values))
        return tuple(place)

    def _show_fields(self, fields: list[tuple[str, str]]) -> None:
        names = tuple(name for name, _ in fields)
        if names == self._fields:
            return
        was = set(self.ticked()) if self._fields else set(DEFAULT_STRATA)
        self._fields = names
        self.strata.blockSignals(True)
        self.strata.clear()
        for name, label in fields:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in was else Qt.CheckState.Unchecked)
            self.strata.addItem(item)
        self.strata.blockSignals(False)
        self.strata.setCurrentRow(0)
        # Every field's name whole, beside its box and the scroll bar.
        bar = self.strata.verticalScrollBar().sizeHint().width()
        frame = 2 * self.strata.frameWidth()
        self.strata.setMinimumWidth(self.strata.sizeHintForColumn(0) + bar + frame + 4)

    def ticked(self) -> tuple[str, ...]:
        """The strata fields ticked, in the profile's order."""
        return tuple(
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.strata.item(i) for i in range(self.strata.count()))
            if item.checkState() == Qt.CheckState.Checked
        )

    # -- the draw ------------------------------------------------------------------------------

    def _asked(self) -> tuple[object, ...]:
        """What the page asks for now; the draw shown was made for the same, or is redone."""
        return (
            self.how_many.value(),
            self.ticked(),
            self.seed.text().strip(),
            self.minimum.value(),
            self.reserves.value(),
        )

    def _changed(self, *_args: object) -> None:
        if self.outcome is not None and self._drawn_for == self._asked():
            return  # Enter in a number box says it again: the draw stands, Next goes on
        self.outcome = None
        self.completeChanged.emit()
        self._redraw.start()

    def _draw_if_waiting(self) -> None:
        if self._redraw.isActive():
            self.draw()

    def _new_seed(self) -> None:
        self.seed.setText(str(100000 + secrets.randbelow(900000)))
        self.draw()

    def draw(self) -> None:
        """Draw the sample as the page now says (quick: the long list is in memory)."""
        self._redraw.stop()
        self.outcome = None
        self._drawn_for = self._asked()
        self.serial += 1
        self.model.set_rows([])
        size, seed = self.how_many.value(), self.seed.text().strip()
        if not size or not seed:
            self.summary.setText(
                self.tr("Type how many cases to draw.")
                if not size
                else self.tr("Type a seed, or press New seed.")
            )
            self.message.clear_message()
            self.completeChanged.emit()
            return
        try:
            outcome = plan_draw(
                [(n, row.profile) for n, row in enumerate(self._rows, start=1)],
                size=size,
                strata=self.ticked(),
                seed=seed,
                minimum=self.minimum.value(),
                reserves=self.reserves.value(),
            )
        except InspectorError as exc:
            self.summary.setText("")
            self.message.show_problems([_error_text(exc)])
            self.completeChanged.emit()
            return
        self.message.clear_message()
        self.outcome = outcome
        self._show(outcome)
        self.completeChanged.emit()

    def _show(self, outcome: DrawOutcome) -> None:
        whole = self.tr("The whole long list")
        total = len(self._rows)
        rows: list[tuple[str, ...]] = []
        tips: list[str] = []
        rows_of_plan = zip(outcome.plan, outcome.in_reserve, strict=True)
        in_order = sorted(rows_of_plan, key=lambda row: self._profile_order(row[0], outcome.strata))
        for (stratum, population, drawn), reserved in in_order:
            held = len(reserved)
            name = stratum or whole
            share = outcome.size * population / total if total else 0.0
            rows.append((name, str(population), f"{share:.1f}", str(drawn), str(held)))
            tip = self.tr(
                "{name}: {drawn} of {population} drawn (its share of the sample: {share:.1f}), "
                "{held} in reserve"
            ).format(name=name, drawn=drawn, population=population, share=share, held=held)
            if drawn > share + 1:
                tip += self.tr("; more than its share, to draw the minimum from each stratum")
            tips.append(tip)
        reserves = sum(len(keys) for keys in outcome.in_reserve)
        rows.append(
            (
                self.tr("All"),
                str(total),
                f"{outcome.size:.1f}",
                str(len(outcome.drawn)),
                str(reserves),
            )
        )
        tips.append(self.tr("The whole long list and the whole sample"))
        self.model.set_rows(rows, tips)
        _fit_columns(self.view, self.COL_STRATUM)
        header = self.view.horizontalHeader()
        for column in range(1, len(self.COLUMNS)):  # the figures as wide as they need
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.view.resizeRowsToContents()  # a long stratum's name wraps, never cut
        text = self.tr(
            "{drawn} drawn from the {listed:,} in the long list, in {strata}; {reserves} held "
            "in reserve."
        ).format(
            drawn=counted(len(outcome.drawn), "{n} case", "{n} cases"),
            listed=len(self._rows),
            strata=counted(len(outcome.plan), "{n} stratum", "{n} strata"),
            reserves=counted(reserves, "{n} case", "{n} cases"),
        )
        self.summary.setText(text)
        self.summary.setAccessibleDescription(text)

    # -- what the wizard takes -----------------------------------------------------------------

    def isComplete(self) -> bool:
        return self.outcome is not None and not self._redraw.isActive()

    def drawn_rows(self) -> tuple[SampleRow, ...]:
        """The cases drawn, each with its sample number, in sample-number order."""
        if self.outcome is None:
            return ()
        return tuple(
            replace(self._rows[entry - 1], sample_no=number) for number, entry in self.outcome.drawn
        )

    def choice(self) -> DrawChoice | None:
        outcome = self.outcome
        if outcome is None:
            return None
        return DrawChoice(
            size=outcome.size,
            strata=outcome.strata,
            seed=outcome.seed,
            minimum=self.minimum.value(),
            reserves=self.reserves.value(),
            shown=tuple(
                (number, self._rows[entry - 1].row_number) for number, entry in outcome.drawn
            ),
        )
