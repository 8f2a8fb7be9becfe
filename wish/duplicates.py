"""Likely duplicates of a new or edited initiative: the same rule at submission and in review. No Flask.

A listing is a likely duplicate when it is published or pending and
- has a similar name (fuzzy match) within 1 km (geodesic, as the catalog measures), or
- has the same website, or
- has the same phone or WhatsApp number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import phonenumbers
from rapidfuzz import fuzz
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from wish.catalog import GEOD
from wish.models import Initiative
from wish.records import InitiativeRecord
from wish.text import fold

NEAR_M = 1000
NAME_SCORE = 80  # rapidfuzz token_set_ratio on folded names; 100 = the same words
ACTIVE = ("published", "pending")


@dataclass
class Duplicate:
    initiative: Initiative
    reasons: list[str] = field(default_factory=list)  # "name", "website", "phone"


def website_key(url: str) -> str:
    """'https://www.Example.org/a/' and 'http://example.org/a' compare equal."""
    if not url:
        return ""
    parts = urlsplit(url.strip() if "://" in url else f"http://{url.strip()}")
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host + parts.path.rstrip("/").lower()


def phone_key(number: str, country: str) -> str:
    """E.164 form ('+390491234567'), reading a national number in the initiative's country."""
    if not number:
        return ""
    try:
        parsed = phonenumbers.parse(number, country or None)
    except phonenumbers.NumberParseException:
        return re.sub(r"\D", "", number)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _digits(column):
    for mark in (" ", "-", ".", "(", ")", "/", "+"):
        column = func.replace(column, mark, "")
    return column


def similar_names(a: str, b: str) -> bool:
    return fuzz.token_set_ratio(fold(a), fold(b)) >= NAME_SCORE


def find(session: Session, record: InitiativeRecord, exclude_id: int | None = None, limit: int = 5) -> list[Duplicate]:
    """Published or pending initiatives that are probably the same as `record`, strongest first."""
    conditions = []
    if record.latitude is not None:
        dlat = NEAR_M / 111_000
        dlon = dlat / max(math.cos(math.radians(record.latitude)), 0.01)
        conditions.append(and_(
            Initiative.latitude.between(record.latitude - dlat, record.latitude + dlat),
            Initiative.longitude.between(record.longitude - dlon, record.longitude + dlon),
        ))
    site = website_key(record.website)
    if site:
        host = site.split("/", 1)[0]
        conditions.append(Initiative.website.ilike(f"%{host}%"))
    phones = {phone_key(n, record.country) for n in (record.phone, record.whatsapp)} - {""}
    if phones:
        # The last 7 digits, compared in SQL on the digits of each stored number (any formatting),
        # narrow the candidates; the full E.164 comparison below decides.
        tails = {re.sub(r"\D", "", p)[-7:] for p in phones}
        conditions.append(or_(*(_digits(column).like(f"%{tail}")
                                for tail in tails for column in (Initiative.phone, Initiative.whatsapp))))
    if not conditions:
        return []
    stmt = select(Initiative).where(Initiative.status.in_(ACTIVE), or_(*conditions))
    if exclude_id is not None:
        stmt = stmt.where(Initiative.id != exclude_id)
    found = []
    for other in session.scalars(stmt):
        reasons = []
        if (record.latitude is not None and other.latitude is not None
                and GEOD.inv(record.longitude, record.latitude, other.longitude, other.latitude)[2] <= NEAR_M
                and similar_names(record.name, other.name)):
            reasons.append("name")
        if site and website_key(other.website) == site:
            reasons.append("website")
        if phones & ({phone_key(n, other.country) for n in (other.phone, other.whatsapp)} - {""}):
            reasons.append("phone")
        if reasons:
            found.append(Duplicate(other, reasons))
    found.sort(key=lambda d: (-len(d.reasons), d.initiative.id))
    return found[:limit]
