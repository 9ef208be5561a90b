"""Every record kind is described once, and everything built from the descriptions is complete:
a model, a search table kept by a migration, a workbook sheet and a form layout per kind.

A kind added to `domain.kind_spec` without one of these fails here, not as a KeyError at run
time (docs/architecture.md lists the files a new kind touches).
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal

import pytest

from cscdesk.domain.kind_spec import (
    FIELD_LABELS,
    SPECS,
    FieldType,
    KindSpec,
    placing_date,
    spec,
)
from cscdesk.domain.kinds import DATA_CLASS, ComplaintData, DisputeData, Kind, RecordData

KINDS = list(Kind)

# Fields stored under another column name: a list entry or a record by its id, money in pence.
_STORED_AS = {"team": "team_id", "root_cause": "root_cause_id",
              "escalated_from": "escalated_from_id", "adr_saving": "adr_saving_pence",
              "amount": "amount_pence"}


def test_every_kind_has_one_description_listing_its_data_class_fields_in_order() -> None:
    assert list(SPECS) == KINDS
    for kind in KINDS:
        kind_spec = spec(kind)
        assert kind_spec.kind is kind
        assert kind_spec.field_names == tuple(f.name for f in fields(DATA_CLASS[kind]))
        assert kind_spec.has_field(kind_spec.placed_by)
        assert kind_spec.field(kind_spec.placed_by).type is FieldType.DATE
        assert kind_spec.field(kind_spec.placed_by).required
        assert kind_spec.has_field(kind_spec.retained_from)
        if kind_spec.open_until is not None:
            assert kind_spec.field(kind_spec.open_until).type is FieldType.DATE


def test_names_are_unique_and_each_finds_its_kind() -> None:
    for attribute in ("singular", "plural", "pane", "command_name", "table", "sheet"):
        values = [getattr(kind_spec, attribute) for kind_spec in SPECS.values()]
        if attribute != "plural":  # "initial feedback" is its own plural
            assert len(set(values)) == len(values), attribute
    for kind_spec in SPECS.values():
        assert kind_spec.noun(1) == kind_spec.singular
        assert kind_spec.noun(2) == kind_spec.plural


def test_field_rules_hang_together() -> None:
    for kind_spec in SPECS.values():
        for field in kind_spec.fields:
            assert (field.choices is not None) == (field.type is FieldType.CHOICE), field
            assert FIELD_LABELS[field.name] == field.label
            if field.personal:
                assert field.subject_access, f"{field.name}: a person's data must be searched"
            if field.type in (FieldType.REFERENCE, FieldType.LIST, FieldType.LINE,
                              FieldType.TEXT):
                assert field.limit is not None
            else:
                assert field.limit is None
        assert kind_spec.field("reference").list_search
        assert kind_spec.field("reference").subject_access


def test_the_placing_date_is_the_one_the_description_names() -> None:
    assert placing_date(ComplaintData(received=date(2024, 4, 1))) == date(2024, 4, 1)
    assert placing_date(DisputeData(raised=date(2024, 5, 2))) == date(2024, 5, 2)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_every_kind_has_a_model_with_a_column_per_field(kind: Kind) -> None:
    from cscdesk.store.models import MODEL_OF

    model = MODEL_OF[kind]
    kind_spec: KindSpec = spec(kind)
    assert model.__tablename__ == kind_spec.table
    columns = set(model.__table__.columns.keys())
    for name in kind_spec.field_names:
        assert _STORED_AS.get(name, name) in columns, f"{kind_spec.table} has no {name}"


def plain_record(kind: Kind) -> RecordData:
    """The least record of `kind` that may be saved, its searched fields filled in, made from
    the description alone (so a new kind gets one too)."""
    values: dict[str, object] = {}
    for field in spec(kind).fields:
        if field.name == "reference":
            values[field.name] = "X-1"
        elif field.type is FieldType.DATE and field.required:
            values[field.name] = date(2024, 5, 1)
        elif field.type is FieldType.STAGE:
            values[field.name] = 1
        elif field.type is FieldType.CHOICE and field.required and field.choices is not None:
            values[field.name] = next(iter(field.choices))
        elif field.name == "team":
            values[field.name] = "Fostering"
        elif field.list_search:
            values[field.name] = f"{field.label} words"
    return DATA_CLASS[kind](**values)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_every_kind_has_a_search_table_its_triggers_keep_with_its_searched_fields(
    kind: Kind, database
) -> None:
    from sqlalchemy import select

    from cscdesk.store import records
    from cscdesk.store.models import MODEL_OF, SEARCH_TABLE_OF

    record = plain_record(kind)
    with database.transaction() as session:
        if kind is Kind.ACTION:  # an action's case must be a real complaint
            case = plain_record(Kind.COMPLAINT)
            case.reference = record.case_reference  # type: ignore[attr-defined]
            records.save(session, case)
        row, _created = records.save(session, record)
        searched = SEARCH_TABLE_OF[kind]
        assert searched.name == f"{spec(kind).table}_search"
        words = session.scalar(select(searched.c.words).where(searched.c.id == row.id))
        assert MODEL_OF[kind] is type(row)
    assert words == "\x1f".join(getattr(record, name) for name in spec(kind).list_search_fields)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_every_kind_has_a_workbook_sheet_of_its_fields(kind: Kind) -> None:
    from cscdesk.exchange.layout import RECORD_SHEETS

    kind_spec = spec(kind)
    sheet = RECORD_SHEETS[kind]
    assert sheet.name == kind_spec.sheet == kind.value
    assert tuple(column.field for column in sheet.columns) == kind_spec.field_names
    assert [column.label for column in sheet.columns] == [f.label for f in kind_spec.fields]
    assert [column.required for column in sheet.columns] == [
        f.required for f in kind_spec.fields]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_every_kind_has_a_form_layout_showing_each_field_once(kind: Kind) -> None:
    from cscdesk.ui.forms.layout import DUE_LINE, LAYOUTS

    shown = [name for section in LAYOUTS[kind] for name in section.fields
             if not (kind is Kind.COMPLAINT and name == DUE_LINE)]  # an action's due is a field
    assert sorted(shown) == sorted(spec(kind).field_names)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_every_kind_has_a_list_whose_columns_exist(kind: Kind) -> None:
    from cscdesk.store.listing import columns

    keys = [column.key for column in columns(kind)]
    assert keys[0] == "reference" and "placed" in keys
    assert ("status" in keys) == spec(kind).has_status


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_every_kind_reads_back_from_plain_values_with_its_types(kind: Kind) -> None:
    import json

    from cscdesk.domain.record_values import from_plain, to_plain

    record = plain_record(kind)
    for field in spec(kind).fields:  # every type of value, not only the least record's
        if field.type is FieldType.DATE:
            setattr(record, field.name, date(2024, 6, 3))
        elif field.type is FieldType.CHOICE and field.choices is not None:
            setattr(record, field.name, list(field.choices)[-1])
        elif field.type is FieldType.MONEY:
            setattr(record, field.name, Decimal("12.50"))
        elif field.type is FieldType.YES_NO:
            setattr(record, field.name, True)
    stored = json.loads(json.dumps(to_plain(record)))
    assert from_plain(kind, stored) == record
    assert from_plain(kind, {"reference": "X-2"}) == DATA_CLASS[kind](reference="X-2")
