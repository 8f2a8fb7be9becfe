"""Each initiative's time zone, from its country and, where a country has several, its point. No Flask.

Nobody is asked for a time zone: most countries WISH covers have one, so the country says it.
Spain (Canaries), Portugal (Madeira, Azores), Russia, Ukraine (Crimea) and Cyprus (the north)
have several; there the point decides, with timezonefinder (offline, ~2 µs a point), among
that country's own zones only. Derived when the catalog is built, so nothing is stored and a
tzdata update applies at the next build.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Sequence
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger(__name__)
CHILD_TIMEOUT = 120.0  # seconds; 100,000 points take about 1 s

# The zone of every country in taxonomy.EUROPE; for the countries in SEVERAL, the main one
# (used when the point lies outside every zone, e.g. a little out at sea).
COUNTRY_ZONE: dict[str, str] = {
    "AD": "Europe/Andorra", "AL": "Europe/Tirane", "AM": "Asia/Yerevan", "AT": "Europe/Vienna",
    "AZ": "Asia/Baku", "BA": "Europe/Sarajevo", "BE": "Europe/Brussels", "BG": "Europe/Sofia",
    "BY": "Europe/Minsk", "CH": "Europe/Zurich", "CY": "Asia/Nicosia", "CZ": "Europe/Prague",
    "DE": "Europe/Berlin", "DK": "Europe/Copenhagen", "EE": "Europe/Tallinn", "ES": "Europe/Madrid",
    "FI": "Europe/Helsinki", "FO": "Atlantic/Faroe", "FR": "Europe/Paris", "GB": "Europe/London",
    "GE": "Asia/Tbilisi", "GI": "Europe/Gibraltar", "GR": "Europe/Athens", "HR": "Europe/Zagreb",
    "HU": "Europe/Budapest", "IE": "Europe/Dublin", "IS": "Atlantic/Reykjavik", "IT": "Europe/Rome",
    "LI": "Europe/Vaduz", "LT": "Europe/Vilnius", "LU": "Europe/Luxembourg", "LV": "Europe/Riga",
    "MC": "Europe/Monaco", "MD": "Europe/Chisinau", "ME": "Europe/Podgorica", "MK": "Europe/Skopje",
    "MT": "Europe/Malta", "NL": "Europe/Amsterdam", "NO": "Europe/Oslo", "PL": "Europe/Warsaw",
    "PT": "Europe/Lisbon", "RO": "Europe/Bucharest", "RS": "Europe/Belgrade", "RU": "Europe/Moscow",
    "SE": "Europe/Stockholm", "SI": "Europe/Ljubljana", "SK": "Europe/Bratislava", "SM": "Europe/San_Marino",
    "TR": "Europe/Istanbul", "UA": "Europe/Kyiv", "VA": "Europe/Vatican", "XK": "Europe/Belgrade",
}
# Countries with several zones, and their zones (tzdata's zone.tab; Crimea's zone under both
# UA and RU). A point found in another country's zone (a geocoded point a little over a border)
# gets the country's main zone: an Irún initiative keeps Madrid's time, not Paris's.
SEVERAL: dict[str, frozenset[str]] = {
    "CY": frozenset({"Asia/Nicosia", "Asia/Famagusta"}),
    "ES": frozenset({"Europe/Madrid", "Africa/Ceuta", "Atlantic/Canary"}),
    "PT": frozenset({"Europe/Lisbon", "Atlantic/Madeira", "Atlantic/Azores"}),
    "UA": frozenset({"Europe/Kyiv", "Europe/Kiev", "Europe/Simferopol"}),
    "RU": frozenset({
        "Europe/Kaliningrad", "Europe/Moscow", "Europe/Simferopol", "Europe/Kirov", "Europe/Volgograd",
        "Europe/Astrakhan", "Europe/Saratov", "Europe/Ulyanovsk", "Europe/Samara", "Asia/Yekaterinburg",
        "Asia/Omsk", "Asia/Novosibirsk", "Asia/Barnaul", "Asia/Tomsk", "Asia/Novokuznetsk",
        "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Chita", "Asia/Yakutsk", "Asia/Khandyga",
        "Asia/Vladivostok", "Asia/Ust-Nera", "Asia/Magadan", "Asia/Sakhalin", "Asia/Srednekolymsk",
        "Asia/Kamchatka", "Asia/Anadyr",
    }),
}
FALLBACK = "UTC"


@cache
def zone_info(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@cache
def _valid(name: str) -> bool:
    try:
        zone_info(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zones_for(points: Sequence[tuple[str, float, float]]) -> list[str]:
    """The IANA zone of each (country, latitude, longitude).

    The few points that need timezonefinder are looked up in one short-lived child process:
    its modules and data (~8 MB that a worker would otherwise keep for good) never enter the
    web worker. If that fails, those points get their country's main zone and a warning.
    """
    found = [COUNTRY_ZONE.get(country, FALLBACK) for country, _, _ in points]
    several = [i for i, (country, _, _) in enumerate(points) if country in SEVERAL]
    if not several:
        return found
    try:
        names = _lookup_in_child([(points[i][1], points[i][2]) for i in several])
    except (OSError, ValueError, subprocess.SubprocessError) as exc:
        log.warning("time zone lookup failed, using each country's main zone: %s", exc)
        return found
    for i, name in zip(several, names, strict=True):
        # Over a border, at sea, or a zone name the installed tzdata lacks: the country's main zone.
        if name in SEVERAL[points[i][0]] and _valid(name):
            found[i] = name
    return found


def zone_of(country: str, lat: float, lon: float) -> str:
    """The IANA time zone of one point in a country."""
    return zones_for([(country, lat, lon)])[0]


# The child: [[lat, lon], ...] on stdin, zone names on stdout. Plain -c code, not `-m wish.zones`,
# which would first import the wish package (Flask and all): 0.14 s to start instead of 0.3 s.
_CHILD = """
import json, sys
from timezonefinder import TimezoneFinder
finder = TimezoneFinder()
json.dump([finder.timezone_at(lng=lon, lat=lat) for lat, lon in json.load(sys.stdin)], sys.stdout)
"""


def _lookup_in_child(points: list[tuple[float, float]]) -> list[str | None]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD], input=json.dumps(points).encode(), capture_output=True,
        timeout=CHILD_TIMEOUT, check=True,
    )
    names = json.loads(done.stdout)
    if not isinstance(names, list) or len(names) != len(points):
        raise ValueError("the time zone lookup answered the wrong number of points")
    return names
