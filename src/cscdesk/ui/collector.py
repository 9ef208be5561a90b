"""Python's cycle collector, run only in the GUI thread.

Left to itself, the collector runs in whichever thread happens to allocate when a threshold is
crossed, and frees every unreachable cycle then. A cycle may hold a Qt widget (a closed dialog
and the slots connected to it) that must be destroyed in the GUI thread: freed from a worker
thread busy making the appendix, it took the process down with a segmentation fault. So the
automatic collector is switched off and a timer in the GUI thread collects instead, by the same
thresholds Python uses. The same is done by pyqtgraph, calibre and Camelot.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class MainThreadCollector(QObject):
    """Install once, in the GUI thread, with `MainThreadCollector.install(app)`."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect_due)
        self.timer.start(INTERVAL_MS)

    @classmethod
    def install(cls, app: QObject) -> MainThreadCollector:
        existing = app.findChild(cls)
        return existing if existing is not None else cls(app)

    def collect_due(self) -> None:
        """Collect the generations whose allocation counts passed Python's thresholds."""
        counts = gc.get_count()
        generation = -1
        for number, (count, threshold) in enumerate(zip(counts, self.thresholds, strict=True)):
            if threshold and count > threshold:
                generation = number
            else:
                break
        if generation >= 0:
            gc.collect(generation)
