"""A record as plain JSON values and back, by each field's type in its kind's description.

The bin keeps deleted records this way and the audit trail records changes this way, so a
record read back from either has the same types as one typed into a form.
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from cscdesk.domain.kind_spec import FieldSpec, FieldType, spec
from cscdesk.domain.kinds import Kind, RecordData


def plain(value: object) -> Any:
    """A JSON-friendly form of a field value (dates ISO, enums by value, money as text)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def to_plain(record: RecordData) -> dict[str, Any]:
    """{field name: plain value} of every field of `record`, in the description's order."""
    return {f.name: plain(getattr(record, f.name)) for f in fields(record)}


def typed(field: FieldSpec, value: Any) -> Any:
    """A plain value read back as the field's type; None stays None."""
    if value is None:
        return None
    if field.type is FieldType.DATE:
        return date.fromisoformat(value)
    if field.type is FieldType.MONEY:
        return Decimal(value)
    if field.type is FieldType.CHOICE and field.choices is not None:
        return field.choices(value)
    return value


def from_plain(kind: Kind, data: dict[str, Any]) -> RecordData:
    """The record of `kind` that `data` holds; a field missing from `data` (or None where the
    field cannot be empty) takes the field's default."""
    kind_spec = spec(kind)
    defaults = {f.name: f.default for f in fields(kind_spec.data_class) if f.default is not MISSING}
    values: dict[str, Any] = {}
    for field in kind_spec.fields:
        value = typed(field, data.get(field.name))
        if value is None and defaults.get(field.name) is not None:
            value = defaults[field.name]
        values[field.name] = value
    record: RecordData = kind_spec.data_class(**values)
    return record
