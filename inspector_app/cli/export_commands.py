"""Exports for analysts on the command line."""

from __future__ import annotations

import argparse

COMMANDS: tuple[str, ...] = ()


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds the export commands."""
