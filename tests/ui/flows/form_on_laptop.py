"""A new complaint form with three messages showing, on the screen Qt was started with; prints
"scroll=<the vertical scroll range> notes=<visible height>/<height>".

    QT_QPA_PLATFORM=offscreen:configfile=SCREEN.json python form_on_laptop.py DATABASE
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QScrollArea

from cscdesk.domain.kinds import Kind
from cscdesk.store.engine import open_database
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.forms.dialog import RecordFormDialog

MESSAGES = {
    "received": "Received: “31/02/2025” is not a real date; type it as dd/mm/yyyy.",
    "responded": "Responded: “01/01/2020” is before Received; check the dates.",
    "outcome": "Outcome and Closed go together: give both or neither.",
}


def main() -> None:
    app = QApplication(["cscdesk"])
    database = open_database(Path(sys.argv[1]))
    dialog = RecordFormDialog(None, database, Kind.COMPLAINT, None, ScriptedDialogs())
    dialog.show()
    for name, text in MESSAGES.items():
        dialog.view.show_message(name, text, is_error=True)
    for _ in range(10):
        app.processEvents()
    scroll = dialog.findChild(QScrollArea)
    notes = dialog.view.editors["notes"].widget
    shown = notes.visibleRegion().boundingRect().height()
    print(f"scroll={scroll.verticalScrollBar().maximum()} notes={shown}/{notes.height()}")
    dialog.done(0)
    database.close()


if __name__ == "__main__":
    main()
