"""What volunteers do without an account: submit, edit through their private link, confirm, ask removal.

Nothing here is public until staff approve it (wish/curation.py). No Flask.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wish import tokens
from wish.errors import Gone, InvalidData, NotFound
from wish.models import AuditEntry, Initiative, PendingEdit, utcnow
from wish.records import InitiativeRecord
from wish.review import STAFF_ONLY, apply_changes, changes_between, json_value, set_contact

# What a volunteer may not set: the key, and what staff decide (status, verification, example mark).
STAFF_FIELDS = ("ref", *STAFF_ONLY)


_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")


def _key(submission_key: str | None) -> str | None:
    """The form's double-tap key if it looks like one we made; anything else is ignored."""
    return submission_key if submission_key and _KEY.fullmatch(submission_key) else None


def actor(contact_email: str) -> str:
    return f"volunteer:{contact_email}" if contact_email else "volunteer"


def submit(
    session: Session, record: InitiativeRecord, contact_email: str, submission_key: str | None = None
) -> tuple[Initiative, str | None]:
    """Store a new initiative as pending, with an audit entry. Returns it and its private edit token.

    A form sent twice (same submission_key) is stored once: the second call returns the first
    initiative and no token (the token was shown once and only its hash is kept).
    """
    submission_key = _key(submission_key)
    if submission_key:
        existing = session.scalar(select(Initiative).where(Initiative.submission_key == submission_key))
        if existing is not None:
            return existing, None
    record = record.model_copy(update={"status": "pending", "verified": None, "example": False})
    token, digest = tokens.new_token()
    initiative = Initiative(ref=record.ref, contact_email=contact_email, edit_token_hash=digest,
                            edit_token_created=utcnow(), submission_key=submission_key or None)
    changes = apply_changes(initiative, record)
    initiative.history.append(AuditEntry(actor=actor(contact_email), action="submit", changes=changes))
    session.add(initiative)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        existing = session.scalar(select(Initiative).where(Initiative.submission_key == submission_key))
        if submission_key and existing is not None:  # the same form, sent twice at the same moment
            return existing, None
        raise
    return initiative, token


def already_submitted(session: Session, submission_key: str | None) -> bool:
    submission_key = _key(submission_key)
    return bool(submission_key) and session.scalar(
        select(Initiative.id).where(Initiative.submission_key == submission_key)) is not None


def by_token(session: Session, token: str, max_age_days: int, now: datetime | None = None) -> Initiative:
    """The initiative an edit link belongs to; NotFound for a wrong token, Gone for an expired one."""
    if not token or len(token) > 200:
        raise NotFound("unknown edit link")
    initiative = session.scalar(select(Initiative).where(Initiative.edit_token_hash == tokens.token_hash(token)))
    if initiative is None:
        raise NotFound("unknown edit link")
    created = initiative.edit_token_created
    if created is not None:
        if created.tzinfo is None:  # SQLite hands back naive UTC
            created = created.replace(tzinfo=(now or utcnow()).tzinfo)
        if (now or utcnow()) - created > timedelta(days=max_age_days):
            raise Gone("expired edit link")
    return initiative


def latest_pending_edit(session: Session, initiative: Initiative) -> PendingEdit | None:
    """The change sent through this initiative's edit link that staff have not decided yet."""
    return session.scalar(
        select(PendingEdit).where(PendingEdit.initiative_id == initiative.id, PendingEdit.status == "pending",
                                  PendingEdit.source == "edit-link")  # only the link's holder sends these
        .order_by(PendingEdit.id.desc()).limit(1)
    )


def propose_edit(
    session: Session, initiative: Initiative, record: InitiativeRecord, contact_email: str, source: str = "edit-link"
) -> PendingEdit | None:
    """A volunteer's change. Through the edit link on a listing not yet public: changed in place.
    Otherwise (public, or a claim by someone else): a pending edit for staff.

    The published version stays visible until staff approve; a newer proposal from the same
    person and route replaces their older one, never someone else's.
    Returns the pending edit, or None when the change was applied in place (or changed nothing).
    """
    keep = {f: getattr(initiative, f) for f in STAFF_FIELDS}
    record = record.model_copy(update=keep)
    who = actor(contact_email)
    if source == "edit-link" and initiative.status == "pending":
        changes = apply_changes(initiative, record)
        set_contact(initiative, contact_email or None, changes)
        if changes:
            initiative.history.append(AuditEntry(actor=who, action="volunteer-edit", changes=changes))
        session.commit()
        return None
    if source != "edit-link" and initiative.status != "published":
        raise InvalidData("only a published listing can be claimed", field="duplicate_choice")
    changes = changes_between(initiative, record)
    if not changes and contact_email == initiative.contact_email:
        return None
    same_sender = PendingEdit.source == source
    if source != "edit-link":  # claims come from anyone: only the same person's earlier claim is replaced
        same_sender = same_sender & (PendingEdit.contact_email == contact_email)
    session.execute(
        update(PendingEdit).where(PendingEdit.initiative_id == initiative.id, PendingEdit.status == "pending",
                                  same_sender)
        .values(status="superseded", decided_at=utcnow(), decided_by=who)
    )
    edit = PendingEdit(initiative=initiative, data=record.model_dump(mode="json"), contact_email=contact_email,
                       source=source)
    session.add(edit)
    initiative.history.append(AuditEntry(actor=who, action=f"propose-edit:{source}", changes=changes))
    session.commit()
    return edit


def confirm_active(session: Session, initiative: Initiative, today: date | None = None) -> None:
    """The volunteer says the initiative still runs: recorded with the date for staff."""
    today = today or utcnow().date()
    old = initiative.confirmed_on
    initiative.confirmed_on = today
    initiative.history.append(AuditEntry(
        actor=actor(initiative.contact_email), action="confirm-active",
        changes={"confirmed_on": [json_value(old), json_value(today)]},
    ))
    session.commit()


def request_removal(session: Session, initiative: Initiative, reason: str) -> None:
    """The volunteer asks staff to take the listing down; staff archive it (nothing is deleted)."""
    initiative.removal_requested = utcnow()
    initiative.history.append(AuditEntry(actor=actor(initiative.contact_email), action="request-removal",
                                         note=reason))
    session.commit()
