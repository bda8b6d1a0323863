"""The New Inspection wizard: one module per page, the wizard that walks them in
`window.py`, and the work done with what it collects in `inspector_app.app.new_inspection`."""

from inspector_app.gui.wizard.sample_page import SamplePage
from inspector_app.gui.wizard.window import NewInspectionWizard, run_wizard

__all__ = ["NewInspectionWizard", "SamplePage", "run_wizard"]
