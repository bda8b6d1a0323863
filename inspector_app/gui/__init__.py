"""PySide6 desktop interface: a thin layer over the core services.

Importing this package first guards against a PySide6 6.12 bug on Python 3.11: every call of
a Qt method that returns nothing (`setText`, `update`, ...) drops a reference to None it never
took (and some calls do the same to True / False). Python 3.12+ makes these objects immortal,
so the bug is harmless there; on 3.11 None's count reaches zero after a few thousand calls and
the interpreter aborts ("deallocating None"). The guard gives the three singletons a reference
count no session can exhaust, which is what 3.12 does. Remove it once the app requires Python
3.12 or a fixed PySide6.
"""

from __future__ import annotations

import ctypes
import sys


def _immortalise_singletons() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    cushion = 1 << 40  # about 10^12 spurious releases before it could matter
    for obj in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is the first field
        if count.value < cushion:
            count.value += cushion


_immortalise_singletons()
