"""Errors that carry a sentence for the user rather than a traceback.

Anything raised as a `UserFacingError` is an expected problem with the environment or the input
(a locked file, a bad workbook, a database made by a newer version). Everything else is a bug.
"""


class UserFacingError(Exception):
    """A problem the user can act on; `str(error)` is the whole message."""


class DatabaseError(UserFacingError):
    """The database file cannot be used (not cscdesk's, damaged, too new, locked, read-only)."""


class InputError(UserFacingError):
    """Input from the user (a workbook, a command-line value) is not acceptable."""
