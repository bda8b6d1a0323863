"""Deterministic keys: two files that touch the same case or answer agree on its key."""

from __future__ import annotations

import uuid

# Namespace of this application's keys (a fixed random UUID; never change it).
NAMESPACE = uuid.UUID("6f1d2a4e-93b7-4c5e-a0d2-7b1e9c3f5a81")


def _key(*parts: object) -> str:
    return uuid.uuid5(NAMESPACE, "\x1f".join(str(p) for p in parts)).hex


def new_id() -> str:
    """A fresh random id (revisions, inspections, replicas)."""
    return uuid.uuid4().hex


def case_key(inspection_id: str, sample_no: int) -> str:
    return _key("case", inspection_id, int(sample_no))


def member_id(inspection_id: str, name: str) -> str:
    return _key("member", inspection_id, " ".join(name.split()).casefold())


def record_key(owner_key: str, kind: str, field: str) -> str:
    """Key of an edited value: a case's answer, profile field or status, or a report text."""
    return _key("record", owner_key, kind, field)
