"""The wizard's last page: what was written, and what to do next."""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
)
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from inspector_app.core.plural import counted
from inspector_app.gui.style import heading_font
from inspector_app.gui.table_model import TableModel
from inspector_app.gui.translation import QT_TRANSLATE_NOOP
from inspector_app.gui.wizard.common import (
    _fit_columns,
    _intro,
    _table_view,
    is_new_inspection_wizard,
)


class DonePage(QWizardPage):
    """What was written."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("DonePage", "Person"),
        QT_TRANSLATE_NOOP("DonePage", "Cases"),
        QT_TRANSLATE_NOOP("DonePage", "File"),
        QT_TRANSLATE_NOOP("DonePage", "Passphrase"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("The inspection is ready"))
        self.setSubTitle(self.tr("Press Finish to open the master file."))
        self.master = QLabel()
        self.master.setWordWrap(True)
        self.master.setAccessibleName(self.tr("Master file written"))
        self.master.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.master.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.files_heading = QLabel(self.tr("Fieldwork files written"))
        self.files_heading.setWordWrap(True)
        self.files_heading.setFont(heading_font(self.font(), 1.0))
        self.model = TableModel(
            tuple(QCoreApplication.translate("DonePage", c) for c in self.COLUMNS), self
        )
        self.view = _table_view(self.tr("Fieldwork files written"))
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
        imported = (
            self.tr("{counted} drawn from a long list of {listed}").format(
                counted=counted(created.imported, "{n} case", "{n} cases"),
                listed=created.long_list,
            )
            if created.long_list
            else self.tr("{counted} imported").format(
                counted=counted(created.imported, "{n} case", "{n} cases")
            )
        )
        cases = (
            imported
            + (
                self.tr(" ({counted} of the file left out of the long list)").format(
                    counted=counted(created.skipped, "{n} row", "{n} rows")
                )
                if created.skipped and created.long_list
                else self.tr(", {counted} left out").format(
                    counted=counted(created.skipped, "{n} row", "{n} rows")
                )
                if created.skipped
                else ""
            )
            if created.allocation
            else self.tr("no cases yet")
        )
        protection = (
            self.tr("Encrypted with your passphrase")
            if created.encrypted
            else self.tr("Not encrypted (your reason is recorded in it)")
        )
        self.master.setText(
            self.tr("Master file: {master}\n{protection}; {cases}.").format(
                master=created.master, protection=protection, cases=cases
            )
        )
        rows = [
            (
                e.inspector,
                str(e.cases),
                e.path.name,
                self.tr("Yes, its own")
                if e.inspector in created.encrypted_exports
                else self.tr("None"),
            )
            for e in created.exports
        ]
        self.model.set_rows(rows)
        _fit_columns(self.view, 2)
        has_files = bool(rows)
        if has_files:
            folder = created.exports[0].path.parent
            self.files_heading.setText(
                self.tr("Fieldwork files written to {folder}").format(folder=folder)
            )
            self.files_heading.setAccessibleName(self.files_heading.text())
        self.files_heading.setVisible(has_files)
        self.view.setVisible(has_files)
        if has_files:
            self.advice.setText(
                self.tr(
                    "Give each person their own file. Where a file has a passphrase, "
                    "tell it to them separately. Merge their files back into the master "
                    "when they return them."
                )
            )
        elif created.allocation:
            self.advice.setText(
                self.tr(
                    "Write each person's fieldwork file when you are ready: in the master, "
                    "Inspection > Team and allocation, Fieldwork files tab."
                )
            )
        else:
            self.advice.setText(
                self.tr(
                    "Fieldwork files can be written from the master later, once the "
                    "cases are imported and allocated."
                )
            )
        self.advice.setAccessibleName(self.advice.text())
        if has_files:
            self.view.selectRow(0)
        # The keyboard lands on what was written (the creating page's fields are gone).
        self.master.setFocus(Qt.FocusReason.OtherFocusReason)
