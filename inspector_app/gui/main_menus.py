"""The main window's actions and menus, and which of them can be used now.

It exists so the commands are declared in one place, in the order the keyboard reference (F1)
lists them: each is registered once with `ActionRegistry` (gui/actions.py), connected to the
part of the window that carries it out, then placed in a menu. The actions are enabled from
the state of the parts, read again whenever a file comes or goes, a screen is shown, or an
operation changes the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from inspector_app.gui.actions import ActionRegistry, Shortcut
from inspector_app.gui.file_controller import FileController
from inspector_app.gui.lead_tools import LeadTools
from inspector_app.gui.navigator import CASES, FINDINGS, LEAD_SCREENS, REPORT, REVIEW, Navigator
from inspector_app.gui.operations import OperationBus

if TYPE_CHECKING:
    from inspector_app.core.files.inspection_file import InspectionFile
    from inspector_app.gui.case_review import CaseReview


class MainMenus(QObject):
    """Every action of one main window, its menu bar, and the actions' enabled state."""

    def __init__(
        self,
        window: QMainWindow,
        operations: OperationBus,
        files: FileController,
        navigator: Navigator,
        lead: LeadTools,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._files = files
        self._navigator = navigator
        self._lead = lead
        self.actions_registry = ActionRegistry(window)
        self._build_file_actions()
        self._build_case_actions()
        self._build_help_actions()
        self._build_lead_actions()
        self._build_menus()
        files.attached.connect(self._on_attached)
        files.closed.connect(self.update_actions)
        navigator.shown.connect(self.update_actions)
        lead.conflictCountChanged.connect(self._show_conflict_count)
        operations.executed.connect(self._after_operation)

    def _add(
        self,
        text: str,
        slot: Callable[[], object],
        shortcuts: Sequence[Shortcut] = (),
        tip: str = "",
        help: str = "",
    ) -> QAction:
        return self.actions_registry.add(text, slot, shortcuts, tip=tip, help=help)

    def _on_review(self, act: Callable[[CaseReview], object]) -> Callable[[], None]:
        """A command on the case review (nothing while there is none)."""

        def run() -> None:
            if self._navigator.review is not None:
                act(self._navigator.review)

        return run

    # -- the actions, in the keyboard reference's order ------------------------------------------

    def _build_file_actions(self) -> None:
        std, files = QKeySequence.StandardKey, self._files
        self.open_action = self._add(
            self.tr("&Open…"),
            files.choose_file,
            [std.Open],
            help=self.tr("Open an inspection file"),
        )
        self.demo_action = self._add(self.tr("Open the &demo inspection"), files.open_demo)
        self.new_action = self._add(
            self.tr("&New inspection…"),
            files.new_inspection,
            [std.New],
            help=self.tr("New inspection (the set-up wizard)"),
        )
        self.close_action = self._add(
            self.tr("&Close file"), lambda: files.close_file(), [std.Close]
        )
        self.handover_action = self._add(
            self.tr("Save a copy for &hand-over…"), files.save_handover_copy, ["Ctrl+Shift+S"]
        )
        self.export_answers_action = self._add(
            self.tr("Export &answers for analysis…"),
            files.export_answers,
            help=self.tr("The answers as a spreadsheet (XLSX or CSV), without names unless asked"),
        )
        self.export_findings_action = self._add(
            self.tr("Export &findings for analysis…"),
            self.export_findings,
            help=self.tr("The figures per question, criterion and sub-group as a spreadsheet"),
        )
        self.purge_action = self._add(
            self.tr("Remove names and CRNs…"),
            files.purge_identifiers,
            help=self.tr("After publication: delete every case's name and CRN from the master"),
        )
        self.quit_action = self._add(self.tr("&Quit"), self._window.close, [std.Quit, "Ctrl+Q"])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo_action = self._add(
            self.tr("&Undo"), self.undo, [std.Undo], help=self.tr("Undo (saved as a new revision)")
        )
        self.redo_action = self._add(
            self.tr("&Redo"), self.redo, ["Ctrl+Shift+Z", std.Redo], help=self.tr("Redo")
        )

    def _build_case_actions(self) -> None:
        std, nav, on_review = QKeySequence.StandardKey, self._navigator, self._on_review
        self.find_action = self._add(
            self.tr("&Filter cases"),
            nav.focus_filter,
            [std.Find],
            help=self.tr("Filter the case list"),
        )
        self.back_action = self._add(
            self.tr("Back to case &list"),
            nav.show_case_list,
            [std.Back],
            help=self.tr("Back to the case list"),
        )
        self.open_case_action = self._add(self.tr("&Open selected case"), nav.open_selected_case)
        self.next_unanswered_action = self._add(
            self.tr("Next question to &answer"),
            on_review(lambda review: review.next_needing_attention()),
            ["Ctrl+Return", "Ctrl+Enter"],
            help=self.tr("Next question still to answer or needing a note"),
        )
        self.next_section_action = self._add(
            self.tr("Next &section"),
            on_review(lambda review: review.step_section(+1)),
            ["Ctrl+PgDown"],
        )
        self.prev_section_action = self._add(
            self.tr("&Previous section"),
            on_review(lambda review: review.step_section(-1)),
            ["Ctrl+PgUp"],
        )
        self.next_case_action = self._add(
            self.tr("&Next case"), lambda: nav.step_case(+1), ["Ctrl+]"]
        )
        self.prev_case_action = self._add(
            self.tr("Pre&vious case"), lambda: nav.step_case(-1), ["Ctrl+["]
        )
        self.complete_action = self._add(
            self.tr("&Mark complete / reopen"),
            on_review(lambda review: review.toggle_complete()),
            ["Ctrl+Shift+C"],
            help=self.tr("Mark the case complete (or reopen it)"),
        )
        self.review_note_action = self._add(
            self.tr("Add a review &note…"),
            on_review(lambda review: review.add_review_note()),
            ["Ctrl+Shift+N"],
            help=self.tr(
                "Master: a review note on the question in focus (or the case) for its reader"
            ),
        )
        self.reviewed_action = self._add(
            self.tr("Mark case re&viewed / take back"),
            on_review(lambda review: review.toggle_reviewed()),
            ["Ctrl+Shift+V"],
            help=self.tr("Master: sign the case off as reviewed (or take the sign-off back)"),
        )
        self.profile_action = self._add(
            self.tr("Show or hide the case &profile"),
            nav.toggle_profile,
            ["Ctrl+Shift+P"],
            help=self.tr("Show or hide the case profile beside the questions"),
        )
        self.history_action = self._add(
            self.tr("Answer &history…"),
            on_review(lambda review: review.show_history()),
            ["Ctrl+H"],
            help=self.tr("History of the focused answer"),
        )

    def _build_help_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.shortcuts_action = self._add(
            self.tr("&Keyboard shortcuts"),
            self.show_shortcuts,
            [std.HelpContents, "F1"],
            help=self.tr("This list"),
        )
        self.about_action = self._add(self.tr("&About Inspector"), self.show_about)

    def _build_lead_actions(self) -> None:
        lead = self._lead
        self.overview_action = self._add(
            self.tr("&Overview"),
            lead.show_overview,
            ["Ctrl+Shift+O"],
            self.tr("Where fieldwork stands, per person"),
            self.tr("Master: overview of the week's progress"),
        )
        self.cases_action = self._add(
            self.tr("Case &list"),
            self._navigator.show_case_list,
            ["Ctrl+Shift+L"],
            help=self.tr("Master: case list"),
        )
        self.findings_action = self._add(
            self.tr("&Findings"),
            lead.show_findings,
            ["Ctrl+Shift+F"],
            self.tr("The figures, by question"),
            self.tr("Master: findings"),
        )
        self.report_action = self._add(
            self.tr("&Report"),
            lead.show_report,
            ["Ctrl+Shift+R"],
            self.tr("The narrative and the report"),
            self.tr("Master: report"),
        )
        self.setup_action = self._add(
            self.tr("&Team and allocation"),
            lead.show_setup,
            ["Ctrl+Shift+T"],
            self.tr("The team, who reads which case, and their fieldwork files"),
            self.tr("Master: team, allocation and fieldwork files"),
        )
        self.merge_action = self._add(
            self.tr("&Merge fieldwork files…"),
            lead.show_merge_window,
            ["Ctrl+Shift+M"],
            self.tr("Merge the team's fieldwork files into this master"),
            self.tr("Master: merge the team's fieldwork files"),
        )
        self.conflicts_action = self._add(
            self.tr("&Conflicts…"),
            lead.show_conflicts,
            ["Ctrl+Shift+K"],
            self.tr("Answers two people changed differently, to settle"),
            self.tr("Master: conflicts to settle"),
        )
        self.publish_action = self._add(
            self.tr("&Publish to the central store…"),
            lead.publish_to_store,
            tip=self.tr(
                "Send the figures and the answers made anonymous (never a name or a CRN) to "
                "the central store"
            ),
        )

    # -- the menus -------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self._window.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        _fill(file_menu, [self.new_action, self.open_action])
        file_menu.addMenu(self._files.recent_menu)
        _fill(file_menu, [self.demo_action, None, self.handover_action])
        export_menu = file_menu.addMenu(self.tr("&Export"))
        _fill(export_menu, [self.export_answers_action, self.export_findings_action])
        _fill(file_menu, [self.purge_action, self.close_action, None, self.quit_action])
        _fill(
            bar.addMenu(self.tr("&Edit")),
            [self.undo_action, self.redo_action, None, self.find_action],
        )
        _fill(bar.addMenu(self.tr("&Case")), self._case_menu_items())
        self.inspection_menu = bar.addMenu(self.tr("&Inspection"))
        _fill(self.inspection_menu, self._inspection_menu_items())
        _fill(bar.addMenu(self.tr("&Help")), [self.shortcuts_action, self.about_action])

    def _case_menu_items(self) -> list[QAction | None]:
        return [
            self.open_case_action,
            self.back_action,
            None,
            self.next_unanswered_action,
            self.next_section_action,
            self.prev_section_action,
            None,
            self.next_case_action,
            self.prev_case_action,
            None,
            self.complete_action,
            self.history_action,
            self.profile_action,
            None,
            self.review_note_action,
            self.reviewed_action,
        ]

    def _inspection_menu_items(self) -> list[QAction | None]:
        return [
            self.overview_action,
            self.cases_action,
            self.findings_action,
            self.report_action,
            None,
            self.setup_action,
            self.merge_action,
            self.conflicts_action,
            None,
            self.publish_action,
        ]

    # -- what can be used now --------------------------------------------------------------------

    def update_actions(self) -> None:
        file = self._files.file
        screen = self._navigator.current()
        has_file = file is not None
        reviewing = has_file and screen == REVIEW
        is_master = file is not None and file.is_master
        for action in (self.close_action, self.handover_action, self.export_answers_action):
            action.setEnabled(has_file)
        self.export_findings_action.setEnabled(is_master)
        self.purge_action.setEnabled(is_master)
        self.find_action.setEnabled(has_file)
        self.open_case_action.setEnabled(has_file and screen == CASES)
        self.back_action.setEnabled(reviewing or (has_file and screen in LEAD_SCREENS))
        self.inspection_menu.setEnabled(is_master)
        for item in self._inspection_menu_items():
            if item is not None:
                item.setEnabled(is_master)
        self._show_conflict_count(self._lead.conflict_count if is_master else None)
        for action in (
            self.next_unanswered_action,
            self.next_section_action,
            self.prev_section_action,
            self.complete_action,
            self.history_action,
            self.profile_action,
        ):
            action.setEnabled(reviewing)
        self.review_note_action.setEnabled(reviewing and is_master)
        self.reviewed_action.setEnabled(reviewing and is_master)
        self.next_case_action.setEnabled(has_file)
        self.prev_case_action.setEnabled(has_file)
        self.update_undo_actions()

    def update_undo_actions(self) -> None:
        """Undo and redo name what they would undo or redo, if anything."""
        session = self._files.session
        if self._navigator.current() in (FINDINGS, REPORT):
            session = None  # the undo stack holds answers: never undo one unseen from here
        stack = session.undo_stack if session is not None else None
        pending = session is not None and session.has_pending()
        self.undo_action.setEnabled(stack is not None and (stack.canUndo() or pending))
        self.redo_action.setEnabled(stack is not None and stack.canRedo())
        undo_text = stack.undoText() if stack is not None else ""
        redo_text = stack.redoText() if stack is not None else ""
        self.undo_action.setText(
            self.tr("&Undo {action}").format(action=undo_text) if undo_text else self.tr("&Undo")
        )
        self.redo_action.setText(
            self.tr("&Redo {action}").format(action=redo_text) if redo_text else self.tr("&Redo")
        )

    def _show_conflict_count(self, count: int | None) -> None:
        if count is None:
            text = self.tr("&Conflicts…")
        elif count == 0:
            text = self.tr("&Conflicts (none open)…")
        else:
            text = self.tr("&Conflicts ({count} open)…").format(count=count)
        self.conflicts_action.setText(text)

    def _on_attached(self, _file: InspectionFile) -> None:
        """Undo and redo follow the new file's undo stack."""
        assert self._files.session is not None
        stack = self._files.session.undo_stack
        stack.canUndoChanged.connect(self.update_undo_actions)
        stack.canRedoChanged.connect(self.update_undo_actions)
        stack.indexChanged.connect(self.update_undo_actions)
        self.update_actions()

    def _after_operation(self, _changes: object, _initiator: object | None) -> None:
        if self._files.file is not None:
            self.update_undo_actions()

    # -- the commands that are the window's own --------------------------------------------------

    def export_findings(self) -> None:
        """The findings export counts cases in progress as the report does."""
        self._files.export_findings(self._lead.includes_cases_in_progress())

    def undo(self) -> None:
        if self._files.session is not None:
            self._files.session.undo()

    def redo(self) -> None:
        if self._files.session is not None:
            self._files.session.redo()

    def show_shortcuts(self) -> None:
        from inspector_app.gui.dialogs import ShortcutsDialog

        ShortcutsDialog.ask(self._window, self.actions_registry.reference())

    def show_about(self) -> None:
        from inspector_app.gui.about_dialog import AboutDialog

        AboutDialog.ask(self._window)


def _fill(menu: QMenu, items: Sequence[QAction | None]) -> None:
    """Add `items` to `menu`, None for a separator."""
    for action in items:
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)
