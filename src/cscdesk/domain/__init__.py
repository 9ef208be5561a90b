"""Pure-Python rules of the complaints service: no Qt, no SQL.

Everything here can be checked with plain unit tests and is shared by the forms, the workbook
import and the report, so a rule is written exactly once.
"""
