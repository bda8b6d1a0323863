"""PySide6 desktop interface: a thin layer over the core services."""
