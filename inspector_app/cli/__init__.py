"""Command-line interface over the core services (no Qt)."""
