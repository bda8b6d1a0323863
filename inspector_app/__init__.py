"""Offline case-assessment fieldwork, merge and reporting for probation inspections."""

__version__ = "0.1.0"
