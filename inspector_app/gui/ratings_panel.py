"""The Ratings tab of the lead's Findings screen, for a framework that declares ratings: each
standard's rating as a badge (its words always written in it; the colour, the report's, only
says it again at a glance), its key questions' scores and bands, which key question decided
it, the overall rating, and the lead's adjustments with their justifications.

`RatingsPanel` only shows what it is given (`RatingsOverview`, read off the UI thread by the
Findings view) and asks for an adjustment through its signals; `AdjustRatingDialog` asks for
the rating and the justification, and `ConfirmRemoveAdjustmentDialog` before one is removed.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from inspector_app.app.ratings import (
    MAX_JUSTIFICATION_CHARS,
    MIN_JUSTIFICATION_WORDS,
    NO_RELEVANT_CASES,
    RatingsOverview,
    justification_words,
)
from inspector_app.core.findings.ratings import KeyQuestionScore, StandardRating
from inspector_app.gui import spell_check
from inspector_app.gui.dialogs import confirm
from inspector_app.gui.style import attention, char_width, css_color, heading_font, muted_text
from inspector_app.gui.window_geometry import keep_geometry


def not_rated_text() -> str:
    return QCoreApplication.translate("ratings_panel", "Not rated")


def reason_text(reason: str | None) -> str:
    """Why a standard is not rated, in words."""
    if reason == NO_RELEVANT_CASES:
        return QCoreApplication.translate("ratings_panel", "no relevant cases")
    return reason or ""


def percent_words(percent: int | None) -> str:
    return "–" if percent is None else f"{percent}%"


class RatingBadge(QLabel):
    """A rating in a badge: its words always written in it, on the report's fill for it."""

    def __init__(
        self,
        rating: str | None,
        overview: RatingsOverview,
        *,
        small: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(rating or not_rated_text(), parent)
        fill, ink = overview.badge(rating)
        font = QFont(self.font())
        font.setBold(True)
        if small:
            font.setPointSizeF(max(1.0, font.pointSizeF() * 0.92))
        self.setFont(font)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet(
            f"QLabel {{ background-color: {fill}; color: {ink}; "
            f"border: 1px solid {overview.badge_outline}; border-radius: 4px; "
            f"padding: {1 if small else 3}px 8px; }}"
        )
        metrics = QFontMetrics(font)
        words = [*overview.scale, not_rated_text()]
        self.setMinimumWidth(max(metrics.horizontalAdvance(w) for w in words) + 24)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)


class RatingsPanel(QWidget):
    """Every standard's rating and the overall one (see the module's docstring)."""

    adjustRequested = Signal(str)  # a standard's code
    removeRequested = Signal(str)  # a standard's code

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Ratings"))
        self.overview: RatingsOverview | None = None
        self.adjust_buttons: dict[str, QPushButton] = {}
        self.remove_buttons: dict[str, QPushButton] = {}
        self.badges: dict[str, RatingBadge] = {}  # by standard code ("" the overall rating)
        self.cards: dict[str, QFrame] = {}
        self._muted = f"color: {css_color(muted_text(self))};"

        self.note = QLabel(self.tr("Not calculated yet"))
        self.note.setWordWrap(True)
        self.note.setStyleSheet(self._muted)
        self.note.setAccessibleName(self.tr("About the ratings"))

        self.body = QWidget()
        self.body.setAccessibleName(self.tr("Standards and their ratings"))
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 8, 0)
        self.body_layout.setSpacing(10)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.body)
        self.scroll_area.setAccessibleName(self.tr("Ratings of the standards"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.scroll_area, 1)

    # -- what is shown ---------------------------------------------------------------------

    def set_overview(self, overview: RatingsOverview | None, subgroup_label: str | None) -> None:
        """Show these ratings (None: nothing to show); the keyboard stays on the button it
        was on."""
        focused = self._focused_button()
        self.overview = overview
        self._clear()
        if overview is None:
            self.note.setText(self.tr("No ratings to show."))
            return
        if overview.include_in_progress:
            note = self.tr(
                "The ratings count every complete and in-progress case, as the figures do."
            )
        else:
            note = self.tr("The ratings count every complete case, as the report does.")
        if subgroup_label:
            note += " " + self.tr(
                "The sub-group chosen above ({subgroup}) does not change them: a standard is "
                "rated on all its cases."
            ).format(subgroup=subgroup_label)
        self.note.setText(note)
        self.note.setAccessibleDescription(note)
        self.body_layout.addWidget(self._overall_card(overview))
        for standard in overview.ratings.standards:
            self.body_layout.addWidget(self._standard_card(overview, standard))
        self.body_layout.addStretch(1)
        self._set_tab_order()
        if focused is not None:
            QTimer.singleShot(0, lambda: self._refocus(*focused))

    def _refocus(self, kind: str, code: str) -> None:
        """The keyboard back on the button it was on (or its standard's other one), once
        the cards drawn again are on screen."""
        button = self._button(kind, code)
        if button is not None:
            button.setFocus()
            self.scroll_area.ensureWidgetVisible(button)

    def first_button(self) -> QPushButton | None:
        return next(iter(self.adjust_buttons.values()), None)

    def _clear(self) -> None:
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.adjust_buttons = {}
        self.remove_buttons = {}
        self.badges = {}
        self.cards = {}

    def _focused_button(self) -> tuple[str, str] | None:
        for kind, buttons in (("adjust", self.adjust_buttons), ("remove", self.remove_buttons)):
            for code, button in buttons.items():
                if button.hasFocus():
                    return kind, code
        return None

    def _button(self, kind: str, code: str) -> QPushButton | None:
        button = (self.adjust_buttons if kind == "adjust" else self.remove_buttons).get(code)
        return button or self.adjust_buttons.get(code)

    def _set_tab_order(self) -> None:
        previous: QWidget | None = None
        for code, adjust in self.adjust_buttons.items():
            for button in (adjust, self.remove_buttons.get(code)):
                if button is None:
                    continue
                if previous is not None:
                    QWidget.setTabOrder(previous, button)
                previous = button

    # -- the cards -------------------------------------------------------------------------

    def _card(self, name: str) -> tuple[QFrame, QVBoxLayout]:
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setAccessibleName(name)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        return card, layout

    def _label(self, text: str, name: str, *, muted: bool = False, bold: bool = False) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setAccessibleName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        if muted:
            label.setStyleSheet(self._muted)
        if bold:
            font = QFont(label.font())
            font.setBold(True)
            label.setFont(font)
        return label

    def _overall_card(self, overview: RatingsOverview) -> QFrame:
        ratings = overview.ratings
        card, layout = self._card(self.tr("Overall rating"))
        top = QHBoxLayout()
        heading = self._label(self.tr("Overall rating"), self.tr("Overall rating"))
        heading.setFont(heading_font(self.font(), 1.15))
        heading.setWordWrap(False)
        badge = RatingBadge(ratings.overall_rating, overview)
        badge.setAccessibleName(self.tr("Overall rating: {rating}").format(rating=badge.text()))
        self.badges[""] = badge
        top.addWidget(heading)
        top.addSpacing(round(char_width(self) * 2))
        top.addWidget(badge)
        top.addStretch(1)
        layout.addLayout(top)
        if ratings.overall_rating is None:
            line = self.tr("Not rated overall, because {reason}.").format(
                reason=ratings.overall_not_rated_because or ""
            )
        else:
            line = self.tr(
                "The standards' scores add up to {score} of a possible {maximum}."
            ).format(score=ratings.overall_score, maximum=overview.maximum_score)
        layout.addWidget(self._label(line, self.tr("How the overall rating is decided")))
        self.cards[""] = card
        return card

    def _standard_card(self, overview: RatingsOverview, standard: StandardRating) -> QFrame:
        name = f"{standard.code} {standard.title}"
        card, layout = self._card(name)
        top = QHBoxLayout()
        heading = self._label(name, self.tr("Standard"))
        heading.setFont(heading_font(self.font(), 1.1))
        badge = RatingBadge(standard.rating, overview)
        if standard.justification is not None:
            badge.setAccessibleName(
                self.tr("Rating of {standard}: {rating}, adjusted by the lead inspector").format(
                    standard=name, rating=badge.text()
                )
            )
        else:
            badge.setAccessibleName(
                self.tr("Rating of {standard}: {rating}").format(standard=name, rating=badge.text())
            )
        self.badges[standard.code] = badge
        top.addWidget(heading, 1)
        top.addWidget(badge)
        layout.addLayout(top)

        adjusted = standard.justification is not None
        if adjusted:
            layout.addWidget(self._adjustment_box(standard))
        elif standard.rating is None:
            layout.addWidget(
                self._label(
                    self.tr("Not rated: {reason}").format(
                        reason=reason_text(standard.not_rated_because)
                    ),
                    self.tr("Why the standard is not rated"),
                    bold=True,
                )
            )
        else:
            layout.addWidget(
                self._label(self._deciding_line(standard), self.tr("Which key question decided it"))
            )
        layout.addLayout(self._key_question_grid(overview, standard))

        buttons = QHBoxLayout()
        adjust = QPushButton(
            self.tr("Change the adjustment…") if adjusted else self.tr("Adjust rating…")
        )
        adjust.setAccessibleName(self.tr("Adjust the rating of {standard}").format(standard=name))
        adjust.setToolTip(
            self.tr("Set this standard's rating by your judgement, with a written justification")
        )
        adjust.setAutoDefault(False)
        adjust.clicked.connect(lambda _checked=False, code=standard.code: self._adjust(code))
        self.adjust_buttons[standard.code] = adjust
        buttons.addWidget(adjust)
        if adjusted:
            remove = QPushButton(self.tr("Remove the adjustment…"))
            remove.setAccessibleName(
                self.tr("Remove the adjustment of {standard}").format(standard=name)
            )
            remove.setToolTip(self.tr("Return the standard to the rating its figures give"))
            remove.setAutoDefault(False)
            remove.clicked.connect(lambda _checked=False, code=standard.code: self._remove(code))
            self.remove_buttons[standard.code] = remove
            buttons.addWidget(remove)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.cards[standard.code] = card
        return card

    def _adjust(self, code: str) -> None:
        self.adjustRequested.emit(code)

    def _remove(self, code: str) -> None:
        self.removeRequested.emit(code)

    def _deciding_line(self, standard: StandardRating) -> str:
        key = next((k for k in standard.key_questions if k.code == standard.decided_by), None)
        if key is None:
            return ""
        return self.tr(
            "Decided by its lowest key question, {code} {label}: {percent}, {rating}."
        ).format(
            code=key.code,
            label=key.label,
            percent=percent_words(key.percent),
            rating=key.rating or not_rated_text(),
        )

    def _adjustment_box(self, standard: StandardRating) -> QFrame:
        box = QFrame()
        box.setObjectName("adjustment")
        box.setAccessibleName(self.tr("Adjusted by the lead inspector"))
        box.setStyleSheet(
            f"QFrame#adjustment {{ border: none; "
            f"border-left: 4px solid {css_color(attention(self))}; }}"
        )
        inner = QVBoxLayout(box)
        inner.setContentsMargins(10, 2, 0, 2)
        inner.setSpacing(2)
        heading = self._label(
            self.tr("Adjusted by the lead inspector"),
            self.tr("Adjusted by the lead inspector"),
            bold=True,
        )
        justification = self._label(
            standard.justification or "", self.tr("The lead inspector's justification")
        )
        justification.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if standard.adjusted_from is None:
            gave = self.tr("The figures give no rating: {reason}.").format(
                reason=reason_text(NO_RELEVANT_CASES)
            )
        else:
            key = next((k for k in standard.key_questions if k.code == standard.decided_by), None)
            gave = self.tr(
                "The figures give {rating} (lowest key question {code}, {percent})."
            ).format(
                rating=standard.adjusted_from,
                code=key.code if key else "",
                percent=percent_words(key.percent if key else None),
            )
        inner.addWidget(heading)
        inner.addWidget(justification)
        inner.addWidget(self._label(gave, self.tr("The rating the figures give"), muted=True))
        return box

    def _key_question_grid(
        self, overview: RatingsOverview, standard: StandardRating
    ) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(round(char_width(self) * 1.5))
        grid.setVerticalSpacing(3)
        grid.setContentsMargins(0, 4, 0, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnMinimumWidth(2, round(char_width(self) * 16))
        grid.setColumnMinimumWidth(3, round(char_width(self) * 5))
        for row, key in enumerate(standard.key_questions):
            deciding = key.code == standard.decided_by
            for column, label in enumerate(self._key_question_cells(key, deciding)):
                grid.addWidget(label, row, column)
            badge = RatingBadge(key.rating, overview, small=True)
            badge.setAccessibleName(
                self.tr("Band of {code}: {rating}").format(code=key.code, rating=badge.text())
            )
            grid.addWidget(badge, row, 4)
            marker = self._label(
                self.tr("◀ lowest: decides the rating") if deciding else "",
                self.tr("Decides the rating") if deciding else self.tr("Does not decide it"),
                bold=True,
            )
            marker.setWordWrap(False)
            grid.addWidget(marker, row, 5)
        return grid

    def _key_question_cells(self, key: KeyQuestionScore, deciding: bool) -> list[QLabel]:
        if key.relevant:
            relevant = self.tr("{sufficient} of {relevant} relevant cases").format(
                sufficient=key.sufficient, relevant=key.relevant
            )
        else:
            relevant = self.tr("no relevant cases")
        cells = [
            self._label(key.code, self.tr("Key question"), bold=deciding),
            self._label(
                key.label, self.tr("Key question {code}").format(code=key.code), bold=deciding
            ),
            self._label(relevant, self.tr("Relevant cases of {code}").format(code=key.code)),
            self._label(
                percent_words(key.percent),
                self.tr("Score of {code}").format(code=key.code),
                bold=deciding,
            ),
        ]
        cells[0].setWordWrap(False)
        cells[2].setWordWrap(False)
        cells[3].setWordWrap(False)
        cells[3].setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return cells


# -- the dialogs -----------------------------------------------------------------------------


class AdjustRatingDialog(QDialog):
    """A standard's rating by the lead's judgement: the rating and its justification (which
    the report prints beside it); OK stays unavailable until the justification is there."""

    def __init__(
        self, parent: QWidget | None, standard: StandardRating, overview: RatingsOverview
    ) -> None:
        super().__init__(parent)
        self.standard = standard
        name = f"{standard.code} {standard.title}"
        title = self.tr("Adjust the rating of {standard}").format(standard=name)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        gives = standard.adjusted_from if standard.justification is not None else standard.rating
        self.figures_rating = gives
        if gives is None:
            figures = self.tr("The figures give no rating: no relevant cases.")
        else:
            key = next((k for k in standard.key_questions if k.code == standard.decided_by), None)
            figures = self.tr(
                "The figures give {rating} (its lowest key question, {code}, scores {percent})."
            ).format(
                rating=gives,
                code=key.code if key else "",
                percent=percent_words(key.percent if key else None),
            )
        self.heading = QLabel(name)
        self.heading.setFont(heading_font(self.font(), 1.15))
        self.heading.setAccessibleName(self.tr("Standard"))
        self.heading.setWordWrap(True)
        self.figures_label = QLabel(figures)
        self.figures_label.setWordWrap(True)
        self.figures_label.setAccessibleName(self.tr("The rating the figures give"))

        self.rating_combo = QComboBox()
        self.rating_combo.setAccessibleName(self.tr("Adjusted rating"))
        for rating in overview.scale:
            self.rating_combo.addItem(rating, rating)
        # A first adjustment starts on the figures' rating: the lead chooses another on purpose.
        current = standard.rating if standard.justification is not None else gives
        index = self.rating_combo.findData(current)
        self.rating_combo.setCurrentIndex(max(index, 0))

        self.why = QLabel(
            self.tr(
                "A rating that differs from the figures needs a written justification of at "
                'least {words} words: the report prints it beside the rating, as "Rating '
                "adjusted by the lead inspector: …\", and it is kept in the file's history."
            ).format(words=MIN_JUSTIFICATION_WORDS)
        )
        self.why.setWordWrap(True)
        self.why.setAccessibleName(self.tr("Why a justification is needed"))
        self.justification = QPlainTextEdit(standard.justification or "")
        self.justification.setTabChangesFocus(True)
        spell_check.attach_when_shown(self.justification)
        self.justification.setAccessibleName(self.tr("Justification"))
        self.justification.setPlaceholderText(
            self.tr("Why the evidence calls for this rating rather than the figures' one")
        )
        self.justification.setMinimumHeight(self.fontMetrics().height() * 5)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(self.tr("What is missing"))
        self.problem.setStyleSheet(f"color: {css_color(attention(self))};")

        form = QFormLayout()
        rating_label = QLabel(self.tr("&Rating:"))
        rating_label.setBuddy(self.rating_combo)
        form.addRow(rating_label, self.rating_combo)
        justification_label = QLabel(self.tr("&Justification:"))
        justification_label.setBuddy(self.justification)
        form.addRow(justification_label, self.justification)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Adjust the rating"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.figures_label)
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addWidget(self.why)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(round(char_width(self) * 80), self.sizeHint().height())
        keep_geometry(self, "adjust-rating")

        self.rating_combo.currentIndexChanged.connect(lambda _i: self._check())
        self.justification.textChanged.connect(self._check)
        self._check()
        self.justification.setFocus()

    def chosen(self) -> tuple[str, str]:
        """The rating chosen and the justification written (whitespace tidied)."""
        return (
            str(self.rating_combo.currentData()),
            " ".join(self.justification.toPlainText().split()),
        )

    def problem_text(self) -> str:
        """What keeps OK unavailable ("" when nothing does)."""
        rating, text = self.chosen()
        if rating == self.figures_rating:
            if self.standard.justification is not None:
                return self.tr(
                    "That is the rating the figures give: to go back to it, remove the "
                    "adjustment instead."
                )
            return self.tr(
                "That is the rating the figures give: choose the rating the evidence calls for."
            )
        words = justification_words(text)
        if words == 0:
            return self.tr("Write the justification to adjust the rating.")
        if words < MIN_JUSTIFICATION_WORDS:
            return self.tr(
                "The justification needs at least {words} words: a sentence the report prints."
            ).format(words=MIN_JUSTIFICATION_WORDS)
        if len(text) > MAX_JUSTIFICATION_CHARS:
            return self.tr(
                "The justification is at most {limit} characters ({over} too many)."
            ).format(limit=MAX_JUSTIFICATION_CHARS, over=len(text) - MAX_JUSTIFICATION_CHARS)
        return ""

    def _check(self) -> None:
        problem = self.problem_text()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.ok_button.setEnabled(not problem)
        self.ok_button.setToolTip(problem)

    def accept(self) -> None:
        if self.problem_text():
            return  # Enter in the rating box while OK is unavailable
        super().accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, standard: StandardRating, overview: RatingsOverview
    ) -> tuple[str, str] | None:
        """The rating and justification the lead chose, or None when cancelled."""
        dialog = cls(parent, standard, overview)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()


class ConfirmRemoveAdjustmentDialog:
    """Asks before a standard goes back to the rating its figures give."""

    @classmethod
    def ask(cls, parent: QWidget | None, standard: StandardRating) -> bool:
        gives = standard.adjusted_from or not_rated_text()
        return confirm(
            parent,
            QCoreApplication.translate(
                "ConfirmRemoveAdjustmentDialog", "Remove the adjustment of {code}?"
            ).format(code=standard.code),
            QCoreApplication.translate(
                "ConfirmRemoveAdjustmentDialog",
                "{code} {title} goes back to the rating its figures give ({rating}), and "
                "the report no longer prints the justification. The adjustment stays in the "
                "file's history.",
            ).format(code=standard.code, title=standard.title, rating=gives),
            QCoreApplication.translate("ConfirmRemoveAdjustmentDialog", "Remove the adjustment"),
            QCoreApplication.translate("ConfirmRemoveAdjustmentDialog", "Keep it"),
            destructive=False,
        )
