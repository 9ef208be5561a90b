"""Start the app (`run_app`) on DATABASE and ask its window to close DELAY ms after it is shown.

    python close_at.py DATABASE DELAY [--real-dialogs]

With --real-dialogs the first start's question is the real window, not a scripted answer.

Prints "closed" when the app has ended by itself; exits with the app's status, 3 if it had to
be stopped.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from cscdesk.ui.app import run_app
from cscdesk.ui.dialog_service import ScriptedDialogs, UserDialogs


def main() -> int:
    database, delay = Path(sys.argv[1]), int(sys.argv[2])
    app = QApplication(["cscdesk"])
    stuck: list[bool] = []

    def close_when_shown() -> None:
        windows = [w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow"]
        if not windows or not windows[0].isVisible():
            QTimer.singleShot(1, close_when_shown)
            return
        QTimer.singleShot(delay, windows[0].close)

    def give_up() -> None:
        stuck.append(True)
        app.exit(3)

    QTimer.singleShot(0, close_when_shown)
    QTimer.singleShot(20_000, give_up)
    dialogs = UserDialogs() if "--real-dialogs" in sys.argv else ScriptedDialogs()
    status = run_app(database, dialogs=dialogs, argv=["cscdesk"])
    if not stuck:
        print("closed")
    return status


if __name__ == "__main__":
    sys.exit(main())
