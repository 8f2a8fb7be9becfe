"""SQLAlchemy 2.0 models. Plain SQLAlchemy (no Flask), so the domain modules can use them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Initiative(Base):
    __tablename__ = "initiative"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(120), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    support_types: Mapped[list] = mapped_column(JSON, default=list)
    target_groups: Mapped[list] = mapped_column(JSON, default=list)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    location_precision: Mapped[str | None] = mapped_column(String(10), nullable=True)
    website: Mapped[str] = mapped_column(String(500), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    whatsapp: Mapped[str] = mapped_column(String(40), default="")
    # {"mo": [["09:00", "13:00"], ...], ...}; see wish/hours.py
    opening_hours: Mapped[dict] = mapped_column(JSON, default=dict)
    opening_hours_note: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(12), index=True, default="pending")
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    verified: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    example: Mapped[bool] = mapped_column(Boolean, default=False)

    # Private: seen by staff only, never exported publicly or served by the API.
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    # The volunteer's private edit link: only a SHA-256 of the random token is kept.
    edit_token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True, index=True)
    edit_token_created: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    confirmed_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # "still active", said the volunteer
    removal_requested: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # A random key in each submission form: the same form sent twice (a double tap) is stored once.
    submission_key: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)

    history: Mapped[list[AuditEntry]] = relationship(
        back_populates="initiative", order_by="AuditEntry.id", cascade="all, delete-orphan"
    )


class AuditEntry(Base):
    """Who changed what, when: one row per write, with the changed fields old -> new."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    # {"field": [old, new], ...}
    changes: Mapped[dict] = mapped_column(JSON, default=dict)

    note: Mapped[str] = mapped_column(Text, default="")  # e.g. the reason given for a rejection

    initiative: Mapped[Initiative] = relationship(back_populates="history")


class PendingEdit(Base):
    """A change to a published initiative, proposed by its volunteer, waiting for staff."""

    __tablename__ = "pending_edit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id"), index=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The proposed record in its JSON form (records.InitiativeRecord.model_dump(mode="json")).
    data: Mapped[dict] = mapped_column(JSON)
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    source: Mapped[str] = mapped_column(String(20), default="edit-link")  # or "duplicate" (a claimed listing)
    status: Mapped[str] = mapped_column(String(12), index=True, default="pending")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")

    initiative: Mapped[Initiative] = relationship()


class User(Base):
    """A staff account (volunteers never need one)."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(12), default="curator")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    # What Flask-Login asks of a user object (written out so this module needs no Flask).
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        # The hash changes with the password, so a password change ends every other session.
        return f"{self.id}:{self.password_hash[-16:]}"


class GeocodeAnswer(Base):
    """Every online geocoder answer, found or not, so the same question never goes out twice."""

    __tablename__ = "geocode_answer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(450), unique=True, index=True)
    places: Mapped[list] = mapped_column(JSON, default=list)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CatalogState(Base):
    """One row: a version number bumped by every write that changes what the public sees."""

    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
