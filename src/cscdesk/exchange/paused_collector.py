"""Python's cycle collector paused for the workbook's read and import.

Reading and importing a 50,000-row workbook makes hundreds of thousands of objects (rows of
cells, records, row values, audit events) that reference counting frees and that form no
cycles. Left running, the cycle collector walked everything alive again and again while they
were being made: about a fifth of a 50,000-row import's time. Inside `collector_paused()` it
does not run; afterwards it is as it was. The desktop app runs the collector itself, from the
GUI thread only (`ui/collector.py`), with the automatic one switched off: this leaves it off.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic cycle collection inside; switched back on afterwards only if it was on."""
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
