"""Each initiative's time zone, from its country and, where a country has several, its point. No Flask.

Nobody is asked for a time zone: most countries WISH covers have one, so the country says it.
Spain (Canaries), Portugal (Madeira, Azores), Russia, Ukraine (Crimea) and Cyprus (the north)
have several; there the point decides (within the country's own zones), with timezonefinder (offline, ~2 µs a point). Its data
costs ~20 MB while loaded, so a `Zones` lives for one catalog build and is then dropped.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


class Zones:
    """zone(country, lat, lon) for many rows; loads timezonefinder only when a row needs it."""

    def __init__(self):
        self._finder = None

    def zone(self, country: str, lat: float, lon: float) -> str:
        main = COUNTRY_ZONE.get(country, FALLBACK)
        if country not in SEVERAL:
            return main
        if self._finder is None:
            from timezonefinder import TimezoneFinder

            self._finder = TimezoneFinder()
        found = self._finder.timezone_at(lng=lon, lat=lat)
        # Over a border, at sea, or a zone name the installed tzdata lacks: the country's main zone.
        return found if found in SEVERAL[country] and _valid(found) else main


def zone_of(country: str, lat: float, lon: float) -> str:
    """The IANA time zone of one point in a country (a one-off; builds use one Zones)."""
    return Zones().zone(country, lat, lon)
