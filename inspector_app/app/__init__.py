"""The application layer: what the screens and the commands both run, free of Qt.

Use cases that span several core modules live here (write a report of any kind through one
renderer registry; load the lead's figures off the UI thread; the case list's rows), so the
GUI and the CLI are thin and never disagree. Nothing here imports Qt (`.importlinter`).
"""
