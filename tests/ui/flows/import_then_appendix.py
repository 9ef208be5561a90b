"""The officer's flow that crashed the app: a rejected import, Esc, a good import, then the
annual appendix with Enter, in the real application (`run_app`), as one process.

    python import_then_appendix.py FOLDER

Exit status: the app's own (0), or a signal if the process died. The PDF written is printed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/, for workbooks.py

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from cscdesk.ui.app import run_app
from cscdesk.ui.dialog_service import ScriptedDialogs
from workbooks import COMPLAINT_HEADER, write_workbook


def complaint(reference: str, received: object) -> list[object]:
    row: list[object] = [None] * len(COMPLAINT_HEADER)
    row[:4] = [reference, received, 1, "Adoption"]
    return row


def main() -> int:
    folder = Path(sys.argv[1])
    rows = [COMPLAINT_HEADER] + [complaint(f"C-{n}", date(2024, 5, 1 + n % 28))
                                 for n in range(200)]
    bad = write_workbook(folder / "bad.xlsx",
                         {"Complaints": [*rows, complaint("C-X", "31/02/2024")]})
    good = write_workbook(folder / "good.xlsx", {"Complaints": rows})
    app = QApplication(["cscdesk"])
    # None: the first start's question about the council's name is skipped.
    dialogs = ScriptedDialogs(None, bad, good)
    written: list[Path] = []
    steps: list[tuple[Callable[[QWidget | None], bool], Callable[[QWidget | None], None]]] = []

    def window() -> QWidget:
        return next(w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow")

    def keep_pdf(dialog: QWidget | None) -> None:
        dialog.open_file = lambda path: written.append(path) or True  # type: ignore[union-attr]
        QTest.keyClick(dialog, Qt.Key.Key_Return)

    steps += [
        # Once the first start's question has been asked (and skipped: None below).
        (lambda _d: any(shown[0] == "ask_council_names" for shown in dialogs.shown),
         lambda _d: window().import_workbook()),
        (lambda d: d is not None and d.close_button.isEnabled(),
         lambda d: QTest.keyClick(d, Qt.Key.Key_Escape)),
        (lambda d: d is None, lambda _d: window().import_workbook()),
        (lambda d: d is not None and d.import_button.isVisible(),
         lambda d: QTest.keyClick(d, Qt.Key.Key_Return)),
        (lambda d: d is not None and d.imported, lambda d: QTest.keyClick(d, Qt.Key.Key_Escape)),
        (lambda d: d is None, lambda _d: window().make_appendix()),
        (lambda d: d is not None and type(d).__name__ == "AppendixDialog", keep_pdf),
        (lambda d: bool(written), lambda d: QTest.keyClick(d, Qt.Key.Key_Escape)),
        (lambda d: d is None, lambda _d: window().close()),
    ]

    def next_step() -> None:
        ready, act = steps[0]
        dialog = app.activeModalWidget()
        if not ready(dialog):
            QTimer.singleShot(20, next_step)
            return
        steps.pop(0)
        if steps:
            QTimer.singleShot(50, next_step)
        act(dialog)  # a dialog's exec() runs its own loop; the next step runs inside it

    QTimer.singleShot(200, next_step)
    status = run_app(folder / "cases.db", dialogs=dialogs, argv=["cscdesk"])
    print("written:", *written)
    return status if not steps else 3


if __name__ == "__main__":
    sys.exit(main())
