"""The wizard's last page: what was written, and what to do next."""

from __future__ import annotations

from PySide6.QtCore import (
    Qt,
)
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from inspector_app.gui.style import heading_font
from inspector_app.gui.table_model import TableModel
from inspector_app.gui.wizard.common import (
    _fit_columns,
    _intro,
    _plural,
    _table_view,
    is_new_inspection_wizard,
)


class DonePage(QWizardPage):
    """What was written."""

    COLUMNS = ("Person", "Cases", "File", "Passphrase")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("The inspection is ready")
        self.setSubTitle("Press Finish to open the master file.")
        self.master = QLabel()
        self.master.setWordWrap(True)
        self.master.setAccessibleName("Master file written")
        self.master.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.master.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.files_heading = QLabel("Fieldwork files written")
        self.files_heading.setWordWrap(True)
        self.files_heading.setFont(heading_font(self.font(), 1.0))
        self.model = TableModel(self.COLUMNS, self)
        self.view = _table_view("Fieldwork files written")
        self.view.setModel(self.model)
        self.advice = _intro("")
        layout = QVBoxLayout(self)
        layout.addWidget(self.master)
        layout.addSpacing(8)
        layout.addWidget(self.files_heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.advice)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert is_new_inspection_wizard(wizard)
        created = wizard.save_page.created
        if created is None:
            return
        cases = (
            f"{_plural(created.imported, 'case')} imported"
            + (f", {_plural(created.skipped, 'row')} left out" if created.skipped else "")
            if created.allocation
            else "no cases yet"
        )
        protection = (
            "Encrypted with your passphrase"
            if created.encrypted
            else "Not encrypted (your reason is recorded in it)"
        )
        self.master.setText(f"Master file: {created.master}\n{protection}; {cases}.")
        rows = [
            (
                e.inspector,
                str(e.cases),
                e.path.name,
                "Yes, its own" if e.inspector in created.encrypted_exports else "None",
            )
            for e in created.exports
        ]
        self.model.set_rows(rows)
        _fit_columns(self.view, 2)
        has_files = bool(rows)
        if has_files:
            folder = created.exports[0].path.parent
            self.files_heading.setText(f"Fieldwork files written to {folder}")
            self.files_heading.setAccessibleName(self.files_heading.text())
        self.files_heading.setVisible(has_files)
        self.view.setVisible(has_files)
        if has_files:
            self.advice.setText(
                "Give each person their own file. Where a file has a passphrase, tell it to "
                "them separately. Merge their files back into the master when they return them."
            )
        else:
            self.advice.setText(
                "Fieldwork files can be written from the master later, once the cases are "
                "imported and allocated."
            )
        self.advice.setAccessibleName(self.advice.text())
        if has_files:
            self.view.selectRow(0)
        # The keyboard lands on what was written (the creating page's fields are gone).
        self.master.setFocus(Qt.FocusReason.OtherFocusReason)
