"""SQLAlchemy 2.x typed models: the six record kinds, their shared lists, settings and the
hand-entered figures of past years.

Schema changes go through an Alembic migration in `migrations/versions/`, never `create_all`.
"""

from __future__ import annotations

import getpass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from cscdesk.domain.kind_spec import SPECS
from cscdesk.domain.kinds import (
    ActionKind,
    ComplainantType,
    EnquirySource,
    Kind,
    LgoOutcome,
    Outcome,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _enum(enum_class: type[StrEnum], name: str) -> Enum:
    """Store an enum by its readable value ("Partially upheld"), as a plain checked string."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=40,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def pc_user() -> str:
    """The operating-system user: who is at the PC (a server writes its login instead)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)


class CaseRecord(Timestamped):
    """What every case record has beyond its own fields."""

    # A legal hold (e.g. an inquiry's instruction to keep child-care records) exempts the record
    # from retention review: it is never offered for anonymising or deletion.
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # One more at every change of the record's values: a save or delete that finds another
    # version than the form showed is refused (store.records.RecordChangedElsewhere).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))


class ChangedBy:
    """Who last wrote a shared value (a team, root cause, setting or wording): shown when a
    save would go over it (`store.shared_values`). On a server its trigger writes the login."""

    changed_by: Mapped[str] = mapped_column(String(200), default=pc_user, onupdate=pc_user,
                                            server_default="")


class Team(ChangedBy, Timestamped, Base):
    """A service area. Renaming renames it everywhere; a team in use is retired, not deleted."""

    __tablename__ = "team"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class RootCause(ChangedBy, Timestamped, Base):
    __tablename__ = "root_cause"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class NonWorkingDay(Timestamped, Base):
    """A day off beyond England's bank holidays (a closure day, a new one-off holiday)."""

    __tablename__ = "non_working_day"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    description: Mapped[str] = mapped_column(String(200), default="")


class Complaint(CaseRecord, Base):
    __tablename__ = "complaint"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(60), unique=True)
    received: Mapped[date] = mapped_column(Date, index=True)
    stage: Mapped[int] = mapped_column(Integer)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="RESTRICT"), index=True)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    due: Mapped[date] = mapped_column(Date, index=True)
    responded: Mapped[date | None] = mapped_column(Date)
    closed: Mapped[date | None] = mapped_column(Date, index=True)
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome, "outcome"))
    root_cause_id: Mapped[int | None] = mapped_column(
        ForeignKey("root_cause.id", ondelete="RESTRICT"), index=True
    )
    learning: Mapped[str] = mapped_column(Text, default="")
    adr: Mapped[bool] = mapped_column(Boolean, default=False)
    adr_saving_pence: Mapped[int | None] = mapped_column(Integer)
    escalated_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaint.id", ondelete="RESTRICT"), index=True
    )
    lgo_referred: Mapped[date | None] = mapped_column(Date, index=True)
    lgo_decision: Mapped[str] = mapped_column(Text, default="")
    complainant: Mapped[str] = mapped_column(String(200), default="")
    complainant_type: Mapped[ComplainantType | None] = mapped_column(
        _enum(ComplainantType, "complainant_type")
    )
    acknowledged: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    statement_agreed: Mapped[date | None] = mapped_column(Date)
    investigating_officer: Mapped[str] = mapped_column(String(200), default="",
                                                       server_default="")
    officer_appointed: Mapped[date | None] = mapped_column(Date)
    independent_person: Mapped[str] = mapped_column(String(200), default="", server_default="")
    person_appointed: Mapped[date | None] = mapped_column(Date)
    report_received: Mapped[date | None] = mapped_column(Date)
    panel_held: Mapped[date | None] = mapped_column(Date)
    panel_report: Mapped[date | None] = mapped_column(Date)
    lgo_outcome: Mapped[LgoOutcome | None] = mapped_column(_enum(LgoOutcome, "lgo_outcome"))
    lgo_decided: Mapped[date | None] = mapped_column(Date)
    lgo_remedy: Mapped[str] = mapped_column(Text, default="", server_default="")
    lgo_compliance_due: Mapped[date | None] = mapped_column(Date)
    lgo_complied: Mapped[date | None] = mapped_column(Date)

    team: Mapped[Team] = relationship(lazy="joined")
    root_cause: Mapped[RootCause | None] = relationship(lazy="joined")
    escalated_from: Mapped[Complaint | None] = relationship(remote_side=[id])


class InitialFeedback(CaseRecord, Base):
    __tablename__ = "initial_feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(60), unique=True)
    received: Mapped[date] = mapped_column(Date, index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="RESTRICT"), index=True)
    resolved: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")

    team: Mapped[Team] = relationship(lazy="joined")


class Enquiry(CaseRecord, Base):
    __tablename__ = "enquiry"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(60), unique=True)
    received: Mapped[date] = mapped_column(Date, index=True)
    source: Mapped[EnquirySource] = mapped_column(_enum(EnquirySource, "enquiry_source"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="RESTRICT"), index=True)
    enquirer: Mapped[str] = mapped_column(String(200), default="")
    responded: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")

    team: Mapped[Team] = relationship(lazy="joined")


class Compliment(CaseRecord, Base):
    __tablename__ = "compliment"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(60), unique=True)
    received: Mapped[date] = mapped_column(Date, index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="RESTRICT"), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")

    team: Mapped[Team] = relationship(lazy="joined")


class DisputeResolution(CaseRecord, Base):
    __tablename__ = "dispute_resolution"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(60), unique=True)
    raised: Mapped[date] = mapped_column(Date, index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="RESTRICT"), index=True)
    resolved: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")

    team: Mapped[Team] = relationship(lazy="joined")


class Action(CaseRecord, Base):
    """A promise made at the end of a case, tracked until it is done. `case_reference` is the
    reference of the complaint or dispute resolution case it comes from (kept as text, so a
    case deleted and restored from the bin finds its actions again)."""

    __tablename__ = "action"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(60), unique=True)
    agreed: Mapped[date] = mapped_column(Date, index=True)
    case_reference: Mapped[str] = mapped_column(String(60), index=True)
    action_kind: Mapped[ActionKind] = mapped_column(_enum(ActionKind, "action_kind"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="RESTRICT"), index=True)
    what: Mapped[str] = mapped_column(Text, default="")
    due: Mapped[date] = mapped_column(Date, index=True)
    done: Mapped[date | None] = mapped_column(Date, index=True)
    evidence: Mapped[str] = mapped_column(Text, default="")
    amount_pence: Mapped[int | None] = mapped_column(Integer)
    paid: Mapped[date | None] = mapped_column(Date)

    team: Mapped[Team] = relationship(lazy="joined")


class OmbudsmanLetter(Timestamped, Base):
    """The Ombudsman's annual letter's figures for one reporting year, entered by hand.

    A figure left empty (None) was not given; the appendix shows only what was entered.
    """

    __tablename__ = "ombudsman_letter"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    decided: Mapped[int | None] = mapped_column(Integer)
    upheld_percent: Mapped[int | None] = mapped_column(Integer)
    compliance_percent: Mapped[int | None] = mapped_column(Integer)
    satisfactory_remedy_percent: Mapped[int | None] = mapped_column(Integer)
    similar_upheld_percent: Mapped[int | None] = mapped_column(Integer)


class Document(ChangedBy, Timestamped, Base):
    """A file kept with a record (a letter, an email, a PDF, a photo), inside the database, so
    backups, encryption, retention, anonymising, the bin and subject access cover it.

    The record is named by its kind (the Kind's value) and reference, as an action names its
    case: a record deleted and restored from the bin finds its documents again. `data` is read
    only when the document is opened or exported (deferred), so listing a record's documents
    never reads their bytes. `binned_at`: deleted into the bin (the bytes stay until the bin
    is emptied). `changed_by`: who added it (on a server, the login, written by a trigger).
    """

    __tablename__ = "document"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_kind: Mapped[str] = mapped_column(String(40))
    record_reference: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    email_from: Mapped[str] = mapped_column(String(400), default="", server_default="")
    email_date: Mapped[datetime | None] = mapped_column(DateTime)
    email_subject: Mapped[str] = mapped_column(String(400), default="", server_default="")
    letter: Mapped[str] = mapped_column(String(100), default="", server_default="")
    binned_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)

    __table_args__ = (Index("ix_document_record", "record_kind", "record_reference"),)


class LetterTemplate(ChangedBy, Timestamped, Base):
    """The council's own Word file for one letter template (`key`), in place of the default
    shipped in resources/letters; no row means the default is used."""

    __tablename__ = "letter_template"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Setting(ChangedBy, Timestamped, Base):
    """One stored setting; the keys, types and defaults are declared in `cscdesk.settings`."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class NarrativeText(ChangedBy, Timestamped, Base):
    """The officer's edit of one explanatory paragraph (or root-cause text) for one year."""

    __tablename__ = "narrative_text"
    __table_args__ = (UniqueConstraint("year", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)


class BaselineYear(Timestamped, Base):
    """A past year's published summary figures, entered by hand before records start.

    A column left empty (None) is not known; records, where a year has them, take precedence.
    """

    __tablename__ = "baseline_year"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    initial_feedback: Mapped[int | None] = mapped_column(Integer)
    stage1: Mapped[int | None] = mapped_column(Integer)
    stage2: Mapped[int | None] = mapped_column(Integer)
    stage3: Mapped[int | None] = mapped_column(Integer)
    adr_cases: Mapped[int | None] = mapped_column(Integer)
    adr_saving_pence: Mapped[int | None] = mapped_column(Integer)
    closed: Mapped[int | None] = mapped_column(Integer)
    cancelled: Mapped[int | None] = mapped_column(Integer)
    upheld_percent: Mapped[int | None] = mapped_column(Integer)
    timeliness_percent: Mapped[int | None] = mapped_column(Integer)
    lgo: Mapped[int | None] = mapped_column(Integer)
    dispute_resolution: Mapped[int | None] = mapped_column(Integer)
    enquiries_mp: Mapped[int | None] = mapped_column(Integer)
    enquiries_mep: Mapped[int | None] = mapped_column(Integer)
    enquiries_member: Mapped[int | None] = mapped_column(Integer)
    compliments: Mapped[int | None] = mapped_column(Integer)


class BaselineTeamCount(Timestamped, Base):
    """A past year's per-team figure: `table` is one of BASELINE_TEAM_TABLES."""

    __tablename__ = "baseline_team_count"
    __table_args__ = (UniqueConstraint("year", "table", "team_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    table: Mapped[str] = mapped_column(String(40))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="RESTRICT"))
    count: Mapped[int] = mapped_column(Integer)

    team: Mapped[Team] = relationship(lazy="joined")


# Per-team tables a baseline year may hold: closed volume, upheld count, enquiries, compliments.
BASELINE_TEAM_TABLES = (
    "closed_volume",
    "upheld",
    "enquiries_mp",
    "enquiries_mep",
    "enquiries_member",
    "compliments",
)

class AuditEvent(Base):
    """One create, update, delete or other change, written in the same transaction.

    Append-only: the database refuses to delete an event or change who, when and what; only the
    recorded values can be redacted, by anonymisation (which is itself an event).
    """

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, index=True)
    user: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(60), index=True)
    changes: Mapped[str] = mapped_column(Text, default="{}")


class BinEntry(Base):
    """A deleted record, kept whole until the bin is emptied (deleting is undoable)."""

    __tablename__ = "bin_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(60))
    deleted_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    deleted_by: Mapped[str] = mapped_column(String(200))
    data: Mapped[str] = mapped_column(Text)


RECORD_MODELS = (Complaint, InitialFeedback, Enquiry, Compliment, DisputeResolution, Action)

# The model of each kind, found by the table its description names: a kind without a model
# fails here, at import, not as a KeyError in the middle of some work.
_MODEL_OF_TABLE = {model.__tablename__: model for model in RECORD_MODELS}
MODEL_OF: dict[Kind, Any] = {kind: _MODEL_OF_TABLE[spec.table] for kind, spec in SPECS.items()}


def _search_table(record_table: str) -> Table:
    """What the list search reads for one kind: the record's id, its team and its searched
    words (reference, complainant or enquirer, summary, joined by char(31)). Written only by
    the triggers of migration 0003, so it always equals the records."""
    return Table(
        f"{record_table}_search", Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("team_id", Integer, nullable=False),
        Column("words", Text, nullable=False),
    )


SEARCH_TABLES: dict[type, Table] = {
    model: _search_table(model.__tablename__) for model in RECORD_MODELS
}
SEARCH_TABLE_OF: dict[Kind, Table] = {
    kind: SEARCH_TABLES[model] for kind, model in MODEL_OF.items()
}
