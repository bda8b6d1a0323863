"""Reviewing one case: profile, section navigator and the current section's questions.

`CaseReview` is the controller of this screen: the views (`QuestionRow`, `ProfilePanel`, the
section list) report what the user did; it decides, asks the `EditSession` to save, and
refreshes itself when the session says its case changed. Only the current section's questions
are built as widgets.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.app.case_rows import question_needs_attention, section_progress
from inspector_app.core.cases.answers import missing_for_completion
from inspector_app.core.cases.case_data import CaseState, member_names, progress_of, status_of
from inspector_app.core.cases.history import answer_history
from inspector_app.core.cases.review import (
    add_note,
    notes_of_case,
    reply,
    reviewed_cases,
    set_addressed,
    set_reviewed,
    withdraw_note,
)
from inspector_app.core.changes import Changes
from inspector_app.core.errors import InspectorError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import Section, applicability, explain
from inspector_app.core.plural import counted
from inspector_app.core.times import local_date
from inspector_app.gui import settings
from inspector_app.gui.delegates import SectionDelegate
from inspector_app.gui.dialogs import ErrorDialog, HistoryDialog, MissingItemsDialog
from inspector_app.gui.models import SectionListModel
from inspector_app.gui.profile_panel import ProfilePanel
from inspector_app.gui.question_row import NOTE, VALUE, QuestionRow
from inspector_app.gui.review_notes_panel import ReviewNotesPanel, ReviewTextDialog
from inspector_app.gui.session import EditSession
from inspector_app.gui.style import attention, char_width, css_color, heading_font, muted_text

PROFILE_SHOWN_KEY = "review/profile_shown"
# Narrower than this many average characters, the profile starts hidden (1024-wide laptops).
NARROW_CHARS = 190


class CaseReview(QWidget):
    backRequested = Signal()
    message = Signal(str)  # for the status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Case review"))
        self.session: EditSession | None = None
        self.case: CaseState | None = None
        self.case_key: str | None = None
        self.section_code: str | None = None
        self.flags: dict[str, bool] = {}
        self.rows: dict[str, QuestionRow] = {}
        self.current_code: str | None = None
        self._section_of: dict[str, str] = {}
        self._note_asked_for: str | None = None  # the question whose note the status bar asks for
        self._build()

    # -- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        base = self.font()
        muted = css_color(muted_text(self))

        # Left: which case, where it stands, its sections.
        self.back_button = QToolButton()
        self.back_button.setText(self.tr("All cases"))
        self.back_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.back_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.back_button.setAutoRaise(True)
        self.back_button.setAccessibleName(self.tr("Back to the case list"))
        self.back_button.setToolTip(self.tr("Back to the case list (Alt+Left)"))
        self.back_button.clicked.connect(self.backRequested)

        self.title_label = QLabel()
        self.title_label.setFont(heading_font(base, 1.6))
        self.title_label.setAccessibleName(self.tr("Case"))
        self.subtitle_label = QLabel()
        self.subtitle_label.setWordWrap(True)
        self.subtitle_label.setStyleSheet(f"color: {muted};")
        self.subtitle_label.setAccessibleName(self.tr("Case summary"))
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(self.tr("Case status"))

        self.complete_button = QPushButton(self.tr("Mark complete"))
        self.complete_button.setAccessibleName(self.tr("Mark the case complete"))
        self.complete_button.setToolTip(
            self.tr("Mark complete, or reopen a complete case (Ctrl+Shift+C)")
        )
        self.complete_button.setAutoDefault(False)
        self.complete_button.clicked.connect(self.toggle_complete)

        self.profile_button = QToolButton()
        self.profile_button.setCheckable(True)
        self.profile_button.setChecked(True)
        self.profile_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.profile_button.setAutoRaise(True)
        self.profile_button.setAccessibleName(self.tr("Show the case profile"))
        self.profile_button.setToolTip(self.tr("Show or hide the case profile (Ctrl+Shift+P)"))
        self.profile_button.toggled.connect(self.set_profile_shown)

        sections_heading = QLabel(self.tr("Sections"))
        sections_heading.setFont(heading_font(base, 1.0))
        sections_heading.setAccessibleName(self.tr("Sections"))
        self.section_model = SectionListModel(self)
        self.section_list = QListView()
        self.section_list.setModel(self.section_model)
        self.section_list.setItemDelegate(SectionDelegate(self.section_list))
        self.section_list.setAccessibleName(self.tr("Sections of the case assessment"))
        self.section_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.section_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.section_list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.section_list.selectionModel().currentChanged.connect(self._section_chosen)
        self.section_list.activated.connect(lambda _i: self.focus_first_in_section())

        left = _Pane(36)
        left.setAccessibleName(self.tr("Case and sections"))
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(12, 8, 8, 12)
        left_layout.setSpacing(6)
        left_layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        left_layout.addSpacing(4)
        left_layout.addWidget(self.title_label)
        left_layout.addWidget(self.subtitle_label)
        left_layout.addSpacing(4)
        left_layout.addWidget(self.status_label)
        left_layout.addWidget(self.complete_button)
        left_layout.addWidget(self.profile_button, 0, Qt.AlignmentFlag.AlignLeft)
        left_layout.addSpacing(6)
        left_layout.addWidget(sections_heading)
        left_layout.addWidget(self.section_list, 1)

        # Centre: the current section's questions.
        self.banner = QFrame()
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setAccessibleName(self.tr("This case is complete"))
        banner_layout = QHBoxLayout(self.banner)
        self.banner_label = QLabel(
            self.tr("This case is marked complete. Reopen it to change answers.")
        )
        self.banner_label.setWordWrap(True)
        self.banner_label.setAccessibleName(self.banner_label.text())
        self.reopen_button = QPushButton(self.tr("Reopen case"))
        self.reopen_button.setAccessibleName(self.tr("Reopen the case"))
        self.reopen_button.setAutoDefault(False)
        self.reopen_button.clicked.connect(self.toggle_complete)
        banner_layout.addWidget(self.banner_label, 1)
        banner_layout.addWidget(self.reopen_button)
        self.banner.hide()

        self.section_title = QLabel()
        self.section_title.setFont(heading_font(base, 1.35))
        self.section_title.setWordWrap(True)
        self.section_title.setAccessibleName(self.tr("Section"))
        self.section_criterion = QLabel()
        self.section_criterion.setWordWrap(True)
        self.section_criterion.setStyleSheet(f"color: {muted};")
        self.section_criterion.setAccessibleName(self.tr("What the section looks at"))

        self.rows_widget = QWidget()
        self.rows_widget.setAccessibleName(self.tr("Questions"))
        self.rows_layout = QVBoxLayout(self.rows_widget)
        self.rows_layout.setContentsMargins(4, 4, 12, 24)
        self.rows_layout.setSpacing(4)
        self.rows_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.rows_widget)
        self.scroll.setAccessibleName(self.tr("Questions of the section"))
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        centre = QWidget()
        centre.setAccessibleName(self.tr("Questions"))
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(12, 12, 4, 0)
        centre_layout.setSpacing(4)
        centre_layout.addWidget(self.banner)
        self.review_panel = ReviewNotesPanel()
        self.review_panel.replyRequested.connect(self.reply_to_note)
        self.review_panel.addressedRequested.connect(self.set_note_addressed)
        self.review_panel.withdrawRequested.connect(self.withdraw_note)
        self.review_panel.questionRequested.connect(lambda code: self.focus_question(code))
        centre_layout.addWidget(self.review_panel)
        centre_layout.addWidget(self.section_title)
        centre_layout.addWidget(self.section_criterion)
        centre_layout.addSpacing(6)
        centre_layout.addWidget(self.scroll, 1)

        # Right: the profile, editable.
        profile_heading = QLabel(self.tr("Case profile"))
        profile_heading.setFont(heading_font(base, 1.0))
        profile_heading.setAccessibleName(self.tr("Case profile"))
        self.profile_panel = ProfilePanel()
        self.profile_panel.edited.connect(self._profile_edited)
        profile_scroll = QScrollArea()
        profile_scroll.setWidgetResizable(True)
        profile_scroll.setFrameShape(QFrame.Shape.NoFrame)
        profile_scroll.setWidget(self.profile_panel)
        profile_scroll.setAccessibleName(self.tr("Case profile"))
        profile_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        profile_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right = _Pane(46)
        right.setAccessibleName(self.tr("Case profile"))
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 12, 12, 12)
        right_layout.addWidget(profile_heading)
        right_layout.addWidget(profile_scroll, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setAccessibleName(self.tr("Case review panes"))
        self.splitter.addWidget(left)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setChildrenCollapsible(False)
        self.left_pane, self.right_pane = left, right
        right.content = self.profile_panel
        self.splitter_sized = False
        chars = self.fontMetrics().averageCharWidth()
        left.setMinimumWidth(chars * 26)
        right.setMinimumWidth(chars * 30)
        left.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._profile_decided = False
        self.set_profile_shown(True, remember=False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._first_layout()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._first_layout()

    def _first_layout(self) -> None:
        if not self.isVisible() or self.width() <= 0:
            return
        chars = self.fontMetrics().averageCharWidth()
        if not self._profile_decided:
            # The lead's last choice; else, on a narrow screen the profile starts hidden (the
            # left pane summarises it) so the questions get the room.
            self._profile_decided = True
            shown = settings.app_settings().value(PROFILE_SHOWN_KEY)
            if shown is None:
                self.set_profile_shown(self.width() >= chars * NARROW_CHARS, remember=False)
            else:
                self.set_profile_shown(str(shown).lower() == "true", remember=False)
        if not self.splitter_sized:
            # The first real size: side panes get room for their text, questions the rest.
            self.splitter_sized = True
            left, right = (pane.sizeHint().width() for pane in (self.left_pane, self.right_pane))
            if not self.right_pane.isVisible():
                right = 0
            centre = max(self.width() - left - right, chars * 50)
            self.splitter.setSizes([left, centre, right])

    def set_profile_shown(self, shown: bool, *, remember: bool = True) -> None:
        """The case profile beside the questions, or hidden to give them the room."""
        appearing = shown and not self.right_pane.isVisible()
        self.right_pane.setVisible(shown)
        if appearing and self.splitter_sized:
            self._make_room_for_profile()
        self.profile_button.blockSignals(True)
        self.profile_button.setChecked(shown)
        self.profile_button.blockSignals(False)
        self.profile_button.setText(
            self.tr("Hide the case profile") if shown else self.tr("Show the case profile")
        )
        self.profile_button.setArrowType(
            Qt.ArrowType.RightArrow if shown else Qt.ArrowType.LeftArrow
        )
        self.profile_button.setAccessibleName(self.profile_button.text())
        if remember:
            settings.app_settings().setValue(PROFILE_SHOWN_KEY, shown)
        if shown and self.profile_panel.isVisible():
            self.profile_panel.setFocus()

    def _make_room_for_profile(self) -> None:
        """A profile shown after the panes were sized takes its width from the questions (at
        most two-fifths of the window, the questions keeping at least 50 characters), not the
        sliver the splitter would give it."""
        left, centre, right = self.splitter.sizes()
        total = left + centre + right
        chars = self.fontMetrics().averageCharWidth()
        wanted = min(self.right_pane.sizeHint().width(), total * 2 // 5)
        wanted = max(wanted, self.right_pane.minimumWidth())
        spare = max(0, centre + right - chars * 50)
        right = max(right, min(wanted, spare))
        self.splitter.setSizes([left, total - left - right, right])

    def toggle_profile(self) -> None:
        self.set_profile_shown(not self.right_pane.isVisible())

    # -- what the window calls -------------------------------------------------------------------

    def set_session(self, session: EditSession | None) -> None:
        self.clear()
        self.session = session
        if session is None:
            return
        session.changed.connect(self._on_changed)
        self._section_of = {q.code: s.code for s in session.framework.sections for q in s.questions}

    def clear(self) -> None:
        self._drop_rows()
        self.case = None
        self.case_key = None
        self.section_code = None
        self.current_code = None

    def show_case(self, case_key: str, code: str | None = None) -> None:
        """Open a case at `code`, or where work remains (the first question needing
        attention), or at its first question."""
        assert self.session is not None
        self.session.flush()
        changed_case = case_key != self.case_key
        self.case_key = case_key
        self._reload()
        if changed_case:
            self.section_code = None  # rebuild rows for the new case
        target = code or self._first_needing_attention() or self._first_applicable()
        if target:
            self.focus_question(target)

    def refresh(self) -> None:
        if self.case_key is None or self.session is None:
            return
        self._reload()

    # -- navigation ------------------------------------------------------------------------------

    def focus_question(self, code: str, note: bool = False) -> None:
        section = self._section_of.get(code)
        if section is None:
            return
        if section != self.section_code:
            self.show_section(section)
        row = self.rows.get(code)
        if row is None:
            return
        if note:
            row.focus_note()
        else:
            row.setFocus(Qt.FocusReason.OtherFocusReason)
        self._set_current(code)

    def show_section(self, code: str) -> None:
        assert self.session is not None
        if code == self.section_code and self.rows:
            return
        self.session.flush()
        section = self.session.framework.section(code)
        self.section_code = code
        self._build_rows(section)
        self.section_title.setText(f"{section.code}   {section.title}")
        self.section_criterion.setText(section.criterion)
        self.section_criterion.setVisible(bool(section.criterion))
        self._select_section_in_list(code)
        self._update_rows()
        self._chain_tab_order()

    def focus_first_in_section(self) -> None:
        if self.section_code is None or self.session is None:
            return
        section = self.session.framework.section(self.section_code)
        target = next((q.code for q in section.questions if self.flags.get(q.code)), None)
        target = target or (section.questions[0].code if section.questions else None)
        if target:
            self.focus_question(target)

    def step_section(self, delta: int) -> None:
        if self.session is None or self.case_key is None:
            return
        codes = [s.code for s in self.session.framework.sections]
        index = codes.index(self.section_code) if self.section_code in codes else 0
        new = index + delta
        if not 0 <= new < len(codes):
            self.message.emit(
                self.tr("No more sections") if delta > 0 else self.tr("This is the first section")
            )
            return
        self.show_section(codes[new])
        self.focus_first_in_section()

    def move(self, code: str, delta: int) -> None:
        target = self._applicable_neighbour(code, delta)
        if target is None:
            where = "last" if delta > 0 else "first"
            self.message.emit(
                self.tr("This is the {where} question that applies to this case").format(
                    where=where
                )
            )
            return
        self.focus_question(target)

    def next_needing_attention(self) -> None:
        if self.session is None or self.case is None:
            return
        self.session.flush()
        codes = [q.code for q in self.session.framework.questions()]
        start = codes.index(self.current_code) + 1 if self.current_code in codes else 0
        for code in codes[start:] + codes[:start]:
            problem = self._problem(code)
            if problem:
                self.focus_question(code, note=problem == "needs an evidence note")
                return
        self.message.emit(
            self.tr(
                "Every question that applies to {label} is answered: mark it complete "
                "with Ctrl+Shift+C"
            ).format(label=self.case.label)
        )
        self.complete_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- actions ---------------------------------------------------------------------------------

    # -- review notes and sign-off ------------------------------------------------------------

    def _me(self) -> str | None:
        """Who is working: the fieldwork file's owner, or the master's lead."""
        if self.session is None:
            return None
        file = self.session.file
        return member_names(file).get(file.author_id())

    def _review(
        self, what: str, change: Callable[[InspectionFile], Changes], note_id: str | None = None
    ) -> bool:
        """One review use case on the open file; the window hears what changed, and the
        keyboard stays on the note acted on."""
        if self.session is None or self.case_key is None or not self.session.flush():
            return False
        try:
            changes = change(self.session.file)
        except InspectorError as exc:
            ErrorDialog.ask(self, self.tr("Cannot {what}").format(what=what), str(exc))
            return False
        self.session.changed.emit(changes)  # this screen reads the case again from there
        if note_id is not None:
            self.review_panel.focus_note(note_id)
        return True

    def add_review_note(self) -> bool:
        """A note on the question in focus (or the case), for its reader to answer."""
        if self.session is None or self.case_key is None or self.case is None:
            return False
        code = self.current_code
        about = (
            self.tr("Question {code}: {text}").format(
                code=code, text=self.session.framework.question(code).text
            )
            if code
            else self.tr("{label} as a whole").format(label=self.case.label)
        )
        text = ReviewTextDialog.ask(
            self,
            self.tr("Add a review note"),
            self.tr(
                "{about}\n\nThe note travels to the reader in their next fieldwork file; "
                "it is never printed in the report."
            ).format(about=about),
        )
        if text is None:
            return False
        key = self.case_key
        ok = self._review(self.tr("add the review note"), lambda f: add_note(f, key, text, code)[1])
        if ok:
            self.message.emit(self.tr("Review note added to {label}").format(label=self.case.label))
        return ok

    def reply_to_note(self, note_id: str) -> bool:
        note = next((n for n in self.review_panel.notes if n.id == note_id), None)
        if note is None or self.case_key is None:
            return False
        text = ReviewTextDialog.ask(
            self, self.tr("Reply to the review note"), f"{note.author}: {note.text}"
        )
        if text is None:
            return False
        key = self.case_key
        return self._review(self.tr("reply"), lambda f: reply(f, key, note_id, text), note_id)

    def set_note_addressed(self, note_id: str, addressed: bool) -> bool:
        if self.case_key is None:
            return False
        key = self.case_key
        return self._review(
            self.tr("change the note"), lambda f: set_addressed(f, key, note_id, addressed), note_id
        )

    def withdraw_note(self, note_id: str) -> bool:
        if self.case_key is None:
            return False
        key = self.case_key
        return self._review(self.tr("withdraw the note"), lambda f: withdraw_note(f, key, note_id))

    def toggle_reviewed(self) -> bool:
        """The lead signs the case off as reviewed (or takes the sign-off back)."""
        if self.session is None or self.case_key is None or self.case is None:
            return False
        key, label = self.case_key, self.case.label
        reviewed = key in reviewed_cases(self.session.file)
        ok = self._review(
            self.tr("mark the case reviewed"), lambda f: set_reviewed(f, key, not reviewed)
        )
        if ok:
            self.message.emit(
                self.tr("{label}: sign-off taken back").format(label=label)
                if reviewed
                else self.tr("{label} marked reviewed").format(label=label)
            )
        return ok

    def toggle_complete(self) -> None:
        if self.session is None or self.case_key is None:
            return
        if not self.session.flush():
            return
        case = self.session.load_case(self.case_key)
        if case.marked_complete:
            if self.session.set_complete(self.case_key, False):
                self.message.emit(self.tr("{label} reopened").format(label=case.label))
                self.focus_first_in_section()
            return
        missing = missing_for_completion(self.session.framework, case)
        if missing:
            framework = self.session.framework
            items = [
                (
                    f"{m.code}   {m.problem.capitalize()}:  "
                    f"{_shorten(framework.question(m.code).text, 90)}",
                    m.code,
                )
                for m in missing
            ]
            code = MissingItemsDialog.ask(self, case.label, items)
            if code:
                problem = next(m.problem for m in missing if m.code == code)
                self.focus_question(code, note=problem == "needs an evidence note")
            return
        if self.session.set_complete(self.case_key, True):
            self.message.emit(
                self.tr("{label} marked complete. Ctrl+] opens the next case.").format(
                    label=case.label
                )
            )
            self.complete_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_history(self) -> None:
        if self.session is None or self.case_key is None or self.case is None:
            return
        code = self.current_code
        if code is None:
            self.message.emit(self.tr("Move to a question first to see the history of its answer"))
            return
        self.session.flush()
        question = self.session.framework.question(code)
        entries = answer_history(self.session.file, self.case_key, code)
        HistoryDialog.ask(
            self,
            self.tr("{label}, question {code}: {text}").format(
                label=self.case.label, code=code, text=question.text
            ),
            entries,
            self.session.framework.scale_of(question),
        )
        row = self.rows.get(code)
        if row is not None:
            row.setFocus()

    # -- reacting to the views -------------------------------------------------------------------

    def _answer(self, code: str, value: object) -> None:
        if self.session is None or self.case_key is None or self.case is None:
            return
        if self.case.marked_complete:
            self.message.emit(
                self.tr("{label} is complete: reopen it (Ctrl+Shift+C) to change answers").format(
                    label=self.case.label
                )
            )
            return
        if not self.flags.get(code, False):
            self.message.emit(
                self.tr("Question {code} does not apply to this case").format(code=code)
            )
            return
        if not self.session.answer(self.case_key, code, value):  # type: ignore[arg-type]
            return
        if value is None:
            return
        row = self.rows.get(code)
        question = self.session.framework.question(code)
        answer = self.case.answers.get(code) if self.case is not None else None
        if row is not None and question.needs_note(str(value)) and not (answer and answer.note):
            # This answer needs its evidence: the note takes the keyboard (Esc leaves it for
            # later, and Ctrl+Enter finds it again).
            row.focus_note()
            self._note_asked_for = code
            self.message.emit(
                self.tr(
                    "Question {code}: this answer needs an evidence note. Write it now, "
                    "or press Esc to come back to it later"
                ).format(code=code)
            )
            return
        self.move(code, +1)

    def _text_edited(self, code: str, field: str, text: str) -> None:
        if self.session is None or self.case_key is None:
            return
        if self.case is not None and self.case.marked_complete:
            return
        self.session.edit_text(self.case_key, code, field, text)
        if code == self._note_asked_for and text.strip():
            self._note_asked_for = None
            self.message.emit("")  # the note it asked for is being written
        row = self.rows.get(code)
        if row is not None:
            row.refresh_flag()

    def _profile_edited(self, field: str, value: object) -> None:
        if self.session is None or self.case_key is None:
            return
        if not self.session.set_profile(self.case_key, field, value):
            self.refresh()  # show the stored value again

    def _on_changed(self, changes: object) -> None:
        keys = getattr(changes, "case_keys", frozenset())
        if self.case_key is not None and self.case_key in keys:
            self.refresh()

    def _section_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        code = self.section_model.code_at(current.row())
        if code and code != self.section_code:
            self.show_section(code)

    def _row_focused(self, code: str) -> None:
        self._set_current(code)

    # -- inside ----------------------------------------------------------------------------------

    def _reload(self) -> None:
        assert self.session is not None and self.case_key is not None
        framework = self.session.framework
        self.case = case = self.session.load_case(self.case_key)
        self.flags = applicability(framework, case.profile, case.answer_values())
        profile = case.profile
        self.title_label.setText(case.label)
        details = [
            str(profile.get("sentence_type") or self.tr("Sentence type not recorded")),
            f"RoSH {profile.get('rosh') or self.tr('not recorded')}",
            self.tr("Tier {value}").format(value=profile.get("tier") or "—"),
        ]
        readers = f"Assessor: {case.first_reader or self.tr('not allocated')}"
        if case.second_reader:
            readers += self.tr("\nQA second reader: {second_reader}").format(
                second_reader=case.second_reader
            )
        self.subtitle_label.setText("\n".join([details[0], " · ".join(details[1:]), readers]))
        progress = progress_of(framework, case)
        status = status_of(case)
        text = self.tr("{status}\n{answered} of {applicable} answered").format(
            status=status.capitalize(),
            answered=progress.answered,
            applicable=progress.applicable,
        )
        if progress.notes_missing:
            text += counted(progress.notes_missing, " · {n} note to write", " · {n} notes to write")
        # Who signed it off, read only for a case the read model says is signed off.
        reviewed = reviewed_cases(self.session.file).get(case.key) if case.reviewed else None
        if reviewed is not None:
            when = local_date(reviewed.at)
            text += self.tr("\nReviewed by {author}, {when}").format(
                author=reviewed.author, when=when
            )
        self.status_label.setText(text)
        self.review_panel.set_notes(notes_of_case(self.session.file, case.key), self._me())
        colour = attention(self) if progress.notes_missing else muted_text(self)
        self.status_label.setStyleSheet(f"color: {css_color(colour)};")
        complete = case.marked_complete
        self.complete_button.setText(
            self.tr("Reopen case") if complete else self.tr("Mark complete")
        )
        self.complete_button.setAccessibleName(
            self.tr("Reopen the case") if complete else self.tr("Mark the case complete")
        )
        self.banner.setVisible(complete)
        self.section_model.set_items(
            [section_progress(framework, s, case, self.flags) for s in framework.sections]
        )
        self.profile_panel.set_profile(profile, locked=complete)
        if self.section_code is not None:
            self._select_section_in_list(self.section_code)
        self._update_rows()

    def _build_rows(self, section: Section) -> None:
        assert self.session is not None
        self._drop_rows()
        framework = self.session.framework
        for question in section.questions:
            row = QuestionRow(question, framework.scale_of(question))
            row.answerChosen.connect(self._answer)
            row.textEdited.connect(self._text_edited)
            row.moveRequested.connect(self.move)
            row.wordsNeeded.connect(
                lambda code: self.message.emit(
                    self.tr(
                        "Question {code} is answered in words, not Yes or No: type the answer here"
                    ).format(code=code)
                )
            )
            row.focusEntered.connect(self._row_focused)
            self.rows[question.code] = row
            self.rows_layout.insertWidget(self.rows_layout.count() - 1, row)
            row.show()  # now, not on the next event-loop turn, so it can take focus at once
        self.current_code = None

    def _drop_rows(self) -> None:
        for row in self.rows.values():
            row.hide()
            self.rows_layout.removeWidget(row)
            row.deleteLater()
        self.rows = {}

    def _update_rows(self) -> None:
        if self.session is None or self.case is None:
            return
        framework = self.session.framework
        locked = self.case.marked_complete
        for code, row in self.rows.items():
            question = framework.question(code)
            applies = self.flags.get(code, True)
            reason = "" if applies else explain(question.applies_if, framework)
            row.set_state(
                self.case.answers.get(code),
                applies=applies,
                reason=reason,
                locked=locked,
                pending_note=self.session.pending_text(self.case.key, code, NOTE),
                pending_value=self.session.pending_text(self.case.key, code, VALUE),
            )

    def _chain_tab_order(self) -> None:
        chain: list[QWidget] = [self.back_button, self.complete_button, self.section_list]
        if self.banner.isVisible():
            chain.insert(2, self.reopen_button)
        for row in self.rows.values():
            chain.append(row)
            chain.extend(row.focusables())
        chain.extend(self.profile_panel.editors.values())
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _select_section_in_list(self, code: str) -> None:
        row = self.section_model.row_of(code)
        if row < 0:
            return
        index = self.section_model.index(row)
        selection = self.section_list.selectionModel()
        if selection.currentIndex() == index:
            return
        selection.blockSignals(True)
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        selection.blockSignals(False)
        self.section_list.viewport().update()

    def _set_current(self, code: str) -> None:
        if self.current_code != code:
            previous = self.rows.get(self.current_code or "")
            if previous is not None:
                previous.set_current(False)
        self.current_code = code
        row = self.rows.get(code)
        if row is None:
            return
        row.set_current(True)
        self._ensure_visible(row)

    def _ensure_visible(self, row: QuestionRow) -> None:
        self.rows_layout.activate()
        margin = self.fontMetrics().height() * 2
        self.scroll.ensureWidgetVisible(row, 0, margin)
        # Once the layout has settled (a freshly built section), make sure again.
        QTimer.singleShot(0, lambda r=row: self._ensure_visible_later(r))

    def _ensure_visible_later(self, row: QuestionRow) -> None:
        if row in self.rows.values():
            self.scroll.ensureWidgetVisible(row, 0, self.fontMetrics().height() * 2)

    def _applicable_neighbour(self, code: str, delta: int) -> str | None:
        assert self.session is not None
        codes = [q.code for q in self.session.framework.questions()]
        if code not in codes:
            return None
        i = codes.index(code) + delta
        while 0 <= i < len(codes):
            if self.flags.get(codes[i]):
                return codes[i]
            i += delta
        return None

    def _problem(self, code: str) -> str | None:
        assert self.session is not None and self.case is not None
        framework = self.session.framework
        question = framework.question(code)
        return question_needs_attention(framework, question, self.case, self.flags.get(code, False))

    def _first_needing_attention(self) -> str | None:
        if self.session is None or self.case is None or self.case.marked_complete:
            return None
        return next(
            (q.code for q in self.session.framework.questions() if self._problem(q.code)), None
        )

    def _first_applicable(self) -> str | None:
        assert self.session is not None
        questions = self.session.framework.questions()
        return next((q.code for q in questions if self.flags.get(q.code)), None) or (
            questions[0].code if questions else None
        )


class _Pane(QWidget):
    """A side pane whose preferred width is a number of characters of the current font, so
    the splitter gives it room for its text whatever the system font size."""

    def __init__(self, chars: int) -> None:
        super().__init__()
        self._chars = chars
        self.content: QWidget | None = None  # its preferred width counts too

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        width = round(char_width(self) * self._chars)
        if self.content is not None:
            scrollbar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
            width = max(width, self.content.sizeHint().width() + scrollbar + 24)
        return QSize(width, hint.height())


def _shorten(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
