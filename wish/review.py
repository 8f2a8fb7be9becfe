"""Every write to initiatives goes through here: one transaction, an audit entry, a version bump."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wish import geocoding
from wish.models import AuditEntry, CatalogState, Initiative, utcnow
from wish.records import COLUMNS, InitiativeRecord

# Fields a write may set; `ref` identifies the row and is never changed by an update.
WRITABLE = tuple(c for c in COLUMNS if c != "ref")
# Fields only staff decide: a volunteer's form or edit never changes them.
STAFF_ONLY: tuple[str, ...] = ("status", "verified", "example")


@dataclass
class UpsertResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def to_record(initiative: Initiative) -> InitiativeRecord:
    """The record form of a stored initiative (for export and the API)."""
    data = {c: getattr(initiative, c) for c in COLUMNS}
    data["created"], data["updated"] = initiative.created, initiative.updated
    return InitiativeRecord.model_validate(data)


def json_value(value):
    """A value as an audit entry keeps it: dates as ISO text."""
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def existing_by_ref(session: Session, refs: list[str]) -> dict[str, Initiative]:
    """The stored initiatives with these refs, looked up in chunks (SQL parameter limits)."""
    existing: dict[str, Initiative] = {}
    for start in range(0, len(refs), 500):
        chunk = refs[start : start + 500]
        existing.update((i.ref, i) for i in session.scalars(select(Initiative).where(Initiative.ref.in_(chunk))))
    return existing


def set_contact(initiative: Initiative, contact_email: str | None, changes: dict) -> None:
    """Change the private contact e-mail, noting it in `changes` (None or the same: nothing)."""
    if contact_email is not None and contact_email != initiative.contact_email:
        changes["contact_email"] = [initiative.contact_email, contact_email]
        initiative.contact_email = contact_email


Locate = Callable[[str, str, str, str], "geocoding.Place | None"]


OFFLINE = geocoding.Geocoder()  # writes without an online geocoder: the town from the gazetteer


def place(record: InitiativeRecord, locate: Locate = OFFLINE.locate) -> InitiativeRecord:
    """A record without coordinates gets a point from its address or town, when one is found."""
    if record.latitude is not None:
        return record
    found = locate(record.city, record.country, record.address, record.postcode)
    if found is None:
        return record
    return record.model_copy(update={"latitude": found.latitude, "longitude": found.longitude,
                                     "location_precision": found.precision})


def changes_between(initiative: Initiative, record: InitiativeRecord, fields=WRITABLE) -> dict[str, list]:
    """{field: [old, new]} for every field where the record differs from the stored row."""
    changes = {}
    for field in fields:
        old, new = getattr(initiative, field), getattr(record, field)
        if old != new:
            changes[field] = [json_value(old), json_value(new)]
    return changes


def apply_changes(initiative: Initiative, record: InitiativeRecord, fields=WRITABLE) -> dict[str, list]:
    """Copy record fields onto the row; return {field: [old, new]} for what changed."""
    changes = changes_between(initiative, record, fields)
    for field in changes:
        setattr(initiative, field, getattr(record, field))
    return changes


def upsert(
    session: Session,
    records: Iterable[InitiativeRecord],
    actor: str,
    action: str = "import",
    progress: Callable[[int], None] | None = None,
    locate: Locate = OFFLINE.locate,
) -> UpsertResult:
    """Insert or update records keyed on `ref`, all in one transaction (all or nothing)."""
    result = UpsertResult()
    records = [place(r, locate) for r in records]  # writes geocode, reads never do
    existing = existing_by_ref(session, [r.ref for r in records])
    try:
        for record in records:
            initiative = existing.get(record.ref)
            if initiative is None:
                initiative = Initiative(ref=record.ref)
                changes = apply_changes(initiative, record)
                initiative.created = record.created or utcnow()
                initiative.updated = record.updated or initiative.created
                session.add(initiative)
                result.added += 1
                entry_action = "create"
            else:
                changes = apply_changes(initiative, record)
                if not changes:
                    result.unchanged += 1
                    if progress:
                        progress(1)
                    continue
                initiative.updated = record.updated or utcnow()
                result.updated += 1
                entry_action = action
            initiative.history.append(AuditEntry(actor=actor, action=entry_action, changes=changes))
            if progress:
                progress(1)
        if result.added or result.updated:
            bump_version(session)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return result


def bump_version(session: Session) -> None:
    """Tell every worker's catalog that the public data changed (same transaction as the write)."""
    bumped = session.execute(update(CatalogState).where(CatalogState.id == 1).values(version=CatalogState.version + 1))
    if bumped.rowcount == 0:
        session.add(CatalogState(id=1, version=1))


def current_version(session: Session) -> int:
    return session.scalar(select(CatalogState.version).where(CatalogState.id == 1)) or 0
