"""Display helpers for templates and the map script: translated labels, hours, actions."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from babel import Locale, UnknownLocaleError
from babel.dates import get_day_names, get_timezone_location
from babel.lists import format_list
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _

from wish import hours, taxonomy, zones

_DAY_INDEX = {day: i for i, day in enumerate(hours.DAYS)}


def _locale() -> Locale:
    return get_locale() or Locale("en")


def support_label(slug: str) -> str:
    term = taxonomy.support_type(slug)
    return _(term.label) if term else slug


def target_label(slug: str) -> str:
    term = taxonomy.target_group(slug)
    return _(term.label) if term else slug


def status_label(status: str) -> str:
    return _(taxonomy.STATUS_LABELS[status]) if status in taxonomy.STATUS_LABELS else status


def country_label(code: str) -> str:
    return _locale().territories.get(code) or taxonomy.country_name(code)


def language_label(code: str) -> str:
    try:
        return _locale().languages.get(code) or Locale(code).get_display_name("en") or code
    except (UnknownLocaleError, ValueError):
        return taxonomy.language_name(code)


def join_list(values) -> str:
    """Italian, English and Arabic: "A, B and C" as the reader's language writes it (و in Arabic, و with ، in Farsi)."""
    values = list(values)
    return format_list(values, locale=_locale()) if values else ""


def sort_key(text: str) -> str:
    """Alphabetical order for menus in any language: Österreich among the O, İtalya among the I."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def day_names() -> dict[str, str]:
    names = get_day_names("abbreviated", locale=_locale())
    return {day: names[i] for day, i in _DAY_INDEX.items()}


def hours_lines(schedule: dict) -> list[tuple[str, str]]:
    names = day_names()
    return [(names[day], ", ".join(f"{a}–{b}" for a, b in schedule[day])) for day in hours.DAYS if schedule.get(day)]


def reader_language() -> str | None:
    """The page's language as an ISO 639-1 code WISH knows (for "speaks my language"), else None."""
    locale = get_locale()
    code = locale.language if locale else None
    return code if code and taxonomy.is_language(code) else None


def open_status(item: dict) -> str | None:
    """"open" or "closed" now in the initiative's own time zone; None without opening hours."""
    from wish.web import now  # the request's instant (fixed by tests)

    if not item.get("opening_hours"):
        return None
    state = hours.is_open(item["opening_hours"], item.get("time_zone") or zones.FALLBACK, now())
    return None if state is None else ("open" if state else "closed")


def zone_label(item: dict) -> str:
    """The initiative's time zone as readers know it, e.g. "Spain (Canary) Time", in their language."""
    name = item.get("time_zone")
    if not name:
        return ""
    try:
        return get_timezone_location(zones.zone_info(name), locale=_locale())
    except (LookupError, ValueError):
        return name


def distance(metres: float | None) -> str:
    if metres is None:
        return ""
    if metres < 1000:
        return _("%(n)s m", n=format_decimal(round(metres / 10) * 10))
    return _("%(n)s km", n=format_decimal(round(metres / 1000, 1 if metres < 10_000 else 0)))


def _digits(phone: str) -> str:
    return re.sub(r"[^\d+]", "", phone)


def actions(item: dict) -> list[dict[str, str]]:
    """One-tap actions: call, WhatsApp, website, e-mail, directions (geo: and OpenStreetMap)."""
    found = []
    if item.get("phone"):
        found.append({"kind": "call", "label": _("Call"), "href": "tel:" + _digits(item["phone"])})
    if item.get("whatsapp"):
        number = _digits(item["whatsapp"]).lstrip("+")
        found.append({"kind": "whatsapp", "label": _("WhatsApp"), "href": f"https://wa.me/{number}"})
    if item.get("website", "").lower().startswith(("http://", "https://")):
        found.append({"kind": "website", "label": _("Website"), "href": item["website"]})
    if item.get("email"):
        found.append({"kind": "email", "label": _("E-mail"), "href": "mailto:" + quote(item["email"], safe="@")})
    lat, lon = item.get("latitude"), item.get("longitude")
    if lat is not None and lon is not None:
        found.append({"kind": "directions", "label": _("Directions"), "href": f"geo:{lat},{lon}"})
        found.append({
            "kind": "osm", "label": _("OpenStreetMap"),
            "href": f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}",
        })
    return found


def template_helpers() -> dict:
    return {
        "support_label": support_label, "target_label": target_label, "country_label": country_label,
        "language_label": language_label, "hours_lines": hours_lines, "distance": distance,
        "actions": actions, "status_label": status_label, "open_status": open_status, "zone_label": zone_label,
        "reader_language": reader_language,
        "taxonomy_countries": lambda: sorted(taxonomy.EUROPE, key=country_label),
        "taxonomy_support": lambda: [t.slug for t in taxonomy.SUPPORT_TYPES],
    }
