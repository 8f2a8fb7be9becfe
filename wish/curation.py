"""What staff do: approve, reject, edit, archive, restore, verify, merge; the queue and stale listings.

Every action is one transaction with one audit entry (who, when, action, fields old -> new, note),
and bumps the catalog version when what the public sees changes. No Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Text, cast, func, or_, select
from sqlalchemy.orm import Session

from wish.errors import InvalidData
from wish.models import AuditEntry, Initiative, PendingEdit, utcnow
from wish.records import InitiativeRecord
from wish.review import (
    STAFF_ONLY,
    WRITABLE,
    apply_changes,
    bump_version,
    changes_between,
    existing_by_ref,
    json_value,
    set_contact,
    to_record,
)

# What an approved volunteer edit may change: not the status, verification or example mark.
EDITABLE_BY_VOLUNTEERS = tuple(f for f in WRITABLE if f not in STAFF_ONLY)


def _today(today: date | None) -> date:
    return today or utcnow().date()


def _commit(session: Session, initiative: Initiative, was_public: bool) -> None:
    if was_public or initiative.status == "published":
        bump_version(session)  # the map and API change within a second, in every worker
    session.commit()


def _log(initiative: Initiative, actor: str, action: str, changes: dict | None = None, note: str = "") -> None:
    initiative.history.append(AuditEntry(actor=actor, action=action, changes=changes or {}, note=note))


def reminded(session: Session, initiative: Initiative, actor: str, token_hash: str | None) -> None:
    """Record a "still active?" mail: with the new link's hash when it went out (one commit)."""
    if token_hash is not None:
        initiative.edit_token_hash, initiative.edit_token_created = token_hash, utcnow()
    _log(initiative, actor, "remind", note="sent" if token_hash else "mail failed")
    session.commit()


def _set_status(session: Session, initiative: Initiative, actor: str, action: str, status: str,
                allowed_from: tuple[str, ...], note: str = "", today: date | None = None) -> None:
    if initiative.status not in allowed_from:
        raise InvalidData(f"cannot {action} an initiative that is {initiative.status}", field="status")
    was_public = initiative.status == "published"
    changes = {"status": [initiative.status, status]}
    initiative.status = status
    if status == "published":
        verified = _today(today)
        changes["verified"] = [json_value(initiative.verified), json_value(verified)]
        initiative.verified = verified
    _log(initiative, actor, action, changes, note)
    _commit(session, initiative, was_public)


def approve(session: Session, initiative: Initiative, actor: str, today: date | None = None) -> None:
    if initiative.latitude is None:
        raise InvalidData("place the initiative on the map before approving it", field="latitude")
    _set_status(session, initiative, actor, "approve", "published", ("pending",), today=today)


def reject(session: Session, initiative: Initiative, actor: str, reason: str) -> None:
    if not reason.strip():
        raise InvalidData("give a reason (it is kept in the history)", field="reason")
    _set_status(session, initiative, actor, "reject", "rejected", ("pending",), note=reason.strip())


def archive(session: Session, initiative: Initiative, actor: str, reason: str = "") -> None:
    _set_status(session, initiative, actor, "archive", "archived", ("published", "pending"), note=reason.strip())


def was_published(initiative: Initiative) -> bool:
    """Whether the listing was ever public (created published, or published by an action)."""
    return any((entry.changes.get("status") or [None, None])[1] == "published" for entry in initiative.history)


def restore(session: Session, initiative: Initiative, actor: str, today: date | None = None) -> None:
    """A listing archived from the map goes back on it; anything never approved goes back to the queue."""
    if initiative.status == "rejected" or (initiative.status == "archived" and not was_published(initiative)):
        _set_status(session, initiative, actor, "restore", "pending", ("rejected", "archived"))
        return
    if initiative.latitude is None:
        raise InvalidData("place the initiative on the map before it goes back on it", field="latitude")
    _set_status(session, initiative, actor, "restore", "published", ("archived",), today=today)


def mark_verified(session: Session, initiative: Initiative, actor: str, today: date | None = None) -> None:
    today = _today(today)
    old = initiative.verified
    initiative.verified = today
    changes = {"verified": [json_value(old), json_value(today)]}
    if initiative.removal_requested is not None:  # staff checked: it stays, so the request is answered
        changes["removal_requested"] = [initiative.removal_requested.isoformat(), None]
        initiative.removal_requested = None
    _log(initiative, actor, "verify", changes)
    _commit(session, initiative, initiative.status == "published")


def edit(session: Session, initiative: Initiative, record: InitiativeRecord, actor: str,
         publish: bool = False, today: date | None = None, contact_email: str | None = None) -> dict:
    """Staff change fields, the private contact too (and may publish in the same step); returns the changes."""
    was_public = initiative.status == "published"
    updates = {f: getattr(initiative, f) for f in ("ref", *STAFF_ONLY)}
    if publish:
        if record.latitude is None:
            raise InvalidData("place the initiative on the map before approving it", field="latitude")
        updates.update(status="published", verified=_today(today))
    changes = apply_changes(initiative, record.model_copy(update=updates))
    set_contact(initiative, contact_email, changes)
    _log(initiative, actor, "edit-approve" if publish else "edit", changes)
    _commit(session, initiative, was_public)
    return changes


def proposed_record(edit_: PendingEdit) -> InitiativeRecord:
    """The pending edit as a record on top of the stored initiative (staff fields kept)."""
    current = to_record(edit_.initiative)
    proposed = InitiativeRecord.model_validate({**edit_.data, "ref": current.ref})
    return current.model_copy(update={f: getattr(proposed, f) for f in EDITABLE_BY_VOLUNTEERS})


def diff(edit_: PendingEdit) -> dict[str, list]:
    """{field: [published, proposed]} for every field the pending edit changes."""
    return changes_between(edit_.initiative, proposed_record(edit_), EDITABLE_BY_VOLUNTEERS)


def _decide(edit_: PendingEdit, actor: str, status: str, reason: str = "") -> None:
    if edit_.status != "pending":
        raise InvalidData(f"this edit is already {edit_.status}", field="status")
    edit_.status, edit_.decided_by, edit_.decided_at, edit_.reason = status, actor, utcnow(), reason


def approve_edit(session: Session, edit_: PendingEdit, actor: str) -> dict:
    initiative = edit_.initiative
    was_public = initiative.status == "published"
    record = proposed_record(edit_)
    _decide(edit_, actor, "approved")
    changes = apply_changes(initiative, record, EDITABLE_BY_VOLUNTEERS)
    if edit_.source == "edit-link" and edit_.contact_email:
        # The listing's own volunteer gave a new private address (a claimant's stays on the edit).
        set_contact(initiative, edit_.contact_email, changes)
    _log(initiative, actor, "approve-edit", changes, note=f"edit #{edit_.id} from {edit_.contact_email or 'volunteer'}")
    _commit(session, initiative, was_public)
    return changes


def reject_edit(session: Session, edit_: PendingEdit, actor: str, reason: str) -> None:
    if not reason.strip():
        raise InvalidData("give a reason (it is kept in the history)", field="reason")
    _decide(edit_, actor, "rejected", reason.strip())
    _log(edit_.initiative, actor, "reject-edit", note=f"edit #{edit_.id}: {reason.strip()}")
    session.commit()


def merge(session: Session, submission: Initiative, target: Initiative, actor: str) -> PendingEdit:
    """A new submission that duplicates a listing becomes a pending edit of that listing."""
    if submission.status != "pending" or submission.id == target.id:
        raise InvalidData("only a pending submission can be merged into another listing", field="status")
    edit_ = PendingEdit(initiative=target, data=to_record(submission).model_dump(mode="json"),
                        contact_email=submission.contact_email, source="merge")
    session.add(edit_)
    submission.status = "rejected"
    _log(submission, actor, "merge", {"status": ["pending", "rejected"]}, note=f"merged into #{target.id}")
    _log(target, actor, "merge-in", note=f"submission #{submission.id} became a pending edit")
    session.commit()
    return edit_


# --- what staff look at ---------------------------------------------------------------------------


@dataclass
class QueueItem:
    kind: str  # "submission" | "edit" | "removal"
    initiative: Initiative
    since: datetime
    edit: PendingEdit | None = None


@dataclass
class Filters:
    country: str = ""
    support: str = ""
    status: str = ""
    q: str = ""

    def apply(self, stmt):
        if self.country:
            stmt = stmt.where(Initiative.country == self.country.upper())
        if self.support:
            stmt = stmt.where(cast(Initiative.support_types, Text).like(f'%"{self.support}"%'))
        if self.status:
            stmt = stmt.where(Initiative.status == self.status)
        if self.q:
            words = f"%{self.q.strip()}%"
            stmt = stmt.where(or_(Initiative.name.ilike(words), Initiative.city.ilike(words),
                                  Initiative.organisation.ilike(words), Initiative.ref.ilike(words)))
        return stmt


def queue(session: Session, filters: Filters, kind: str = "") -> list[QueueItem]:
    """Pending submissions, pending edits and removal requests, oldest first."""
    items: list[QueueItem] = []
    plain = Filters(filters.country, filters.support, "", filters.q)
    if kind in ("", "submission"):
        stmt = plain.apply(select(Initiative).where(Initiative.status == "pending"))
        items += [QueueItem("submission", i, i.created) for i in session.scalars(stmt)]
    if kind in ("", "edit"):
        stmt = plain.apply(select(PendingEdit, Initiative).join(Initiative).where(PendingEdit.status == "pending"))
        items += [QueueItem("edit", i, e.created, e) for e, i in session.execute(stmt)]
    if kind in ("", "removal"):
        stmt = plain.apply(select(Initiative).where(Initiative.removal_requested.is_not(None),
                                                    Initiative.status == "published"))
        items += [QueueItem("removal", i, i.removal_requested) for i in session.scalars(stmt)]
    items.sort(key=lambda item: _aware(item.since))
    return items


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def listings(session: Session, filters: Filters, limit: int = 50, offset: int = 0) -> tuple[int, list[Initiative]]:
    stmt = filters.apply(select(Initiative))
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = session.scalars(stmt.order_by(Initiative.updated.desc(), Initiative.id.desc()).limit(limit).offset(offset))
    return total or 0, list(rows)


def every_listing(session: Session, filters: Filters):
    """Every initiative matching the filters, for exports (streamed)."""
    return session.scalars(filters.apply(select(Initiative)).order_by(Initiative.id).execution_options(yield_per=500))


def last_checked(initiative: Initiative) -> date:
    """The newest of: verified by staff, confirmed by the volunteer, created."""
    dates = [d for d in (initiative.verified, initiative.confirmed_on) if d]
    return max(dates) if dates else initiative.created.date()


def stale(session: Session, days: int, filters: Filters, today: date | None = None) -> list[Initiative]:
    """Published listings neither verified nor confirmed for `days`, oldest check first."""
    cutoff = _today(today) - timedelta(days=days)
    stmt = filters.apply(select(Initiative).where(
        Initiative.status == "published",
        or_(Initiative.verified.is_(None), Initiative.verified < cutoff),
        or_(Initiative.confirmed_on.is_(None), Initiative.confirmed_on < cutoff),
    ))
    rows = [i for i in session.scalars(stmt) if last_checked(i) < cutoff]
    rows.sort(key=lambda i: (last_checked(i), i.id))
    return rows


def counts(session: Session) -> dict[str, int]:
    by_status = dict(session.execute(select(Initiative.status, func.count()).group_by(Initiative.status)).all())
    by_status["edits"] = session.scalar(select(func.count()).where(PendingEdit.status == "pending")) or 0
    return by_status


@dataclass
class ImportPlan:
    add: list[InitiativeRecord]
    update: list[tuple[InitiativeRecord, dict]]
    unchanged: int


def plan_import(session: Session, records: list[InitiativeRecord]) -> ImportPlan:
    """What committing these records would do, without writing anything."""
    existing = existing_by_ref(session, [r.ref for r in records])
    plan = ImportPlan([], [], 0)
    for record in records:
        stored = existing.get(record.ref)
        if stored is None:
            plan.add.append(record)
        elif changes := changes_between(stored, record):
            plan.update.append((record, changes))
        else:
            plan.unchanged += 1
    return plan
