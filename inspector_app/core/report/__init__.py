"""The Chief Inspector's report: data assembled once, then rendered as PDF, Word and a press
release by pure functions (no database, no clock, no Qt in the renderers)."""

from inspector_app.core.report.data import ReportData, ReportSettings, build_report_data

__all__ = ["ReportData", "ReportSettings", "build_report_data"]
