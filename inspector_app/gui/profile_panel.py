"""The case profile as an editable form (a view: it reports edits, CaseReview saves them)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.framework.profile import PROFILE_FIELDS, FieldKind, ProfileField
from inspector_app.gui.style import css_color, muted_text
from inspector_app.gui.translation import QT_TRANSLATE_NOOP

UNKNOWN = QT_TRANSLATE_NOOP("profile_panel", "Not recorded")


class ProfilePanel(QWidget):
    """One editor per profile field. Every change is reported at once as (field, value);
    free text when the editor is left or Enter is pressed."""

    edited = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Case profile"))
        self.editors: dict[str, QWidget] = {}
        self._values: dict[str, object] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.hint = QLabel(
            self.tr(
                "Correct the profile where the case record differs. Each change is kept "
                "as a revision and may change which questions apply."
            )
        )
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName(self.hint.text())
        self.hint.setStyleSheet(f"color: {css_color(muted_text(self))};")
        outer.addWidget(self.hint)
        form = QFormLayout()
        # Beside its label where there is room; below it in a narrow pane (a 1024-wide
        # laptop), never cut off.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setVerticalSpacing(6)
        for spec in PROFILE_FIELDS:
            editor = self._editor_for(spec)
            editor.setAccessibleName(spec.label)
            editor.setObjectName(f"profile-{spec.name}")
            self.editors[spec.name] = editor
            label = QLabel(spec.label)
            label.setBuddy(editor)
            label.setAccessibleName(spec.label)
            form.addRow(label, editor)
        outer.addLayout(form)
        outer.addStretch(1)

    def set_profile(self, profile: Mapping[str, object], locked: bool) -> None:
        self._values = dict(profile)
        for spec in PROFILE_FIELDS:
            editor = self.editors[spec.name]
            value = profile.get(spec.name)
            editor.blockSignals(True)
            if isinstance(editor, QComboBox):
                row = editor.findData(value)
                editor.setCurrentIndex(row if row >= 0 else editor.findData(None))
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QLineEdit) and not editor.hasFocus():
                editor.setText("" if value is None else str(value))
            editor.blockSignals(False)
            editor.setEnabled(not locked)

    def _editor_for(self, spec: ProfileField) -> QWidget:
        if spec.kind is FieldKind.FLAG:
            box = QCheckBox(self.tr("Yes"))
            box.toggled.connect(lambda checked, n=spec.name: self._report(n, bool(checked)))
            return box
        if spec.kind in (FieldKind.CHOICE, FieldKind.INTEGER) and spec.values:
            combo = QComboBox()
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
            if not spec.required:
                combo.addItem(QCoreApplication.translate("profile_panel", UNKNOWN), None)
            for value in spec.values:
                combo.addItem(str(value), value)
            combo.activated.connect(
                lambda _row, n=spec.name, c=combo: self._report(n, c.currentData())
            )
            return combo
        line = QLineEdit()
        line.setMinimumWidth(self.fontMetrics().averageCharWidth() * 10)
        line.setPlaceholderText(QCoreApplication.translate("profile_panel", UNKNOWN))
        line.editingFinished.connect(
            lambda n=spec.name, e=line: self._report(n, e.text().strip() or None)
        )
        return line

    def _report(self, name: str, value: object) -> None:
        if self._values.get(name) == value and isinstance(
            self._values.get(name), bool
        ) == isinstance(value, bool):
            return
        self._values[name] = value
        self.edited.emit(name, value)
