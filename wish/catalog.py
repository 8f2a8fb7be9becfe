"""The catalog: a GeoDataFrame of published initiatives and every query on it. No Flask.

Each worker holds one `Catalog`. It checks the version stamp in the database at most once
per `check_seconds` and rebuilds an immutable `Snapshot` when the stamp (or the day, for
end dates) changed. Queries run on a snapshot, so a rebuild never disturbs a running query.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Geod
from shapely import box
from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from wish import taxonomy
from wish.models import Initiative
from wish.query import SearchQuery
from wish.review import current_version
from wish.text import fold

GEOD = Geod(ellps="WGS84")
CLUSTER_CELL_PX = 80
# Fields served for each item, in this order.
PUBLIC_FIELDS: tuple[str, ...] = (
    "id", "ref", "name", "organisation", "description", "support_types", "target_groups", "languages",
    "country", "city", "address", "postcode", "latitude", "longitude", "location_precision",
    "website", "email", "phone", "whatsapp", "opening_hours", "opening_hours_note",
    "verified", "valid_until", "example", "updated",
)
_SUPPORT_BIT = {t.slug: 1 << i for i, t in enumerate(taxonomy.SUPPORT_TYPES)}
_TARGET_BIT = {t.slug: 1 << i for i, t in enumerate(taxonomy.TARGET_GROUPS)}


@dataclass
class Page:
    total: int
    items: list[dict[str, Any]]


@dataclass
class Cluster:
    count: int
    latitude: float
    longitude: float
    bounds: tuple[float, float, float, float]  # west, south, east, north
    id: int | None = None
    name: str | None = None


@dataclass
class Suggestions:
    """What to offer when nothing matches: nearest matches further away, and other filters' totals."""

    nearest: list[dict[str, Any]] = field(default_factory=list)
    without: dict[str, int] = field(default_factory=dict)


@dataclass
class Facets:
    country: dict[str, int] = field(default_factory=dict)
    support: dict[str, int] = field(default_factory=dict)


def _bits(values, table: dict[str, int]) -> int:
    return sum(table.get(v, 0) for v in values or ())


def load_frame(session: Session, show_examples: bool, today: date) -> gpd.GeoDataFrame:
    """Published, placed, unexpired initiatives as a GeoDataFrame in EPSG:4326."""
    columns = [getattr(Initiative, f) for f in PUBLIC_FIELDS]
    stmt = select(*columns).where(
        Initiative.status == "published",
        Initiative.latitude.is_not(None),
        Initiative.longitude.is_not(None),
        or_(Initiative.valid_until.is_(None), Initiative.valid_until >= today),
    )
    if not show_examples:
        stmt = stmt.where(Initiative.example.is_(False))
    rows = session.execute(stmt).all()
    frame = pd.DataFrame.from_records(rows, columns=list(PUBLIC_FIELDS))
    geometry = gpd.points_from_xy(frame["longitude"], frame["latitude"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


class Snapshot:
    """One immutable version of the catalog, with the arrays the queries use."""

    def __init__(self, frame: gpd.GeoDataFrame, version: int, day: date):
        self.version, self.day = version, day
        self.frame = frame.reset_index(drop=True)
        self.sindex = self.frame.sindex  # built now, not on the first query
        n = len(self.frame)
        self.lat = self.frame["latitude"].to_numpy(float)
        self.lon = self.frame["longitude"].to_numpy(float)
        self.ids = self.frame["id"].to_numpy(np.int64)
        self.country = self.frame["country"].to_numpy(object)
        self.country_codes = {c: i for i, c in enumerate(sorted(set(self.country)))}
        self.country_idx = np.fromiter((self.country_codes[c] for c in self.country), np.int16, n)
        self.support_bits = np.fromiter((_bits(v, _SUPPORT_BIT) for v in self.frame["support_types"]), np.int64, n)
        self.target_bits = np.fromiter((_bits(v, _TARGET_BIT) for v in self.frame["target_groups"]), np.int64, n)
        # One column per language spoken somewhere: "speaks any of" is a row-wise any().
        self.language_codes = {c: i for i, c in enumerate(sorted({lang for v in self.frame["languages"] for lang in v}))}
        self.speaks = np.zeros((n, len(self.language_codes)), bool)
        for row, langs in enumerate(self.frame["languages"]):
            self.speaks[row, [self.language_codes[lang] for lang in langs]] = True
        self.text = np.array(
            [fold(" ".join((r.name, r.organisation, r.description, r.city))) for r in self.frame.itertuples()],
            dtype=object,
        )
        folded_names = np.array([fold(v) for v in self.frame["name"]], dtype=object)
        self.name_order = np.argsort(folded_names, kind="stable") if n else np.zeros(0, np.int64)
        # Web Mercator in [0, 1] for screen-space clustering at any zoom.
        self.merc_x = (self.lon + 180.0) / 360.0
        sin = np.sin(np.radians(np.clip(self.lat, -85.05112878, 85.05112878)))
        self.merc_y = 0.5 - np.log((1 + sin) / (1 - sin)) / (4 * math.pi)
        self.position = {int(i): p for p, i in enumerate(self.ids)}
        self._records = self.frame[list(PUBLIC_FIELDS)].to_dict("list")

    def __len__(self) -> int:
        return len(self.ids)

    # --- filters -------------------------------------------------------------

    def mask(self, query: SearchQuery, radius: bool = True) -> np.ndarray:
        """Rows that match every filter of the query (and the radius around `near`)."""
        keep = np.ones(len(self), bool)
        if query.country:
            wanted = [self.country_codes[c] for c in query.country if c in self.country_codes]
            keep &= np.isin(self.country_idx, wanted)
        if query.support:
            keep &= (self.support_bits & _bits(query.support, _SUPPORT_BIT)) != 0
        if query.target:
            keep &= (self.target_bits & _bits(query.target, _TARGET_BIT)) != 0
        if query.language:
            columns = [self.language_codes[c] for c in query.language if c in self.language_codes]
            keep &= self.speaks[:, columns].any(axis=1)
        if query.bbox is not None:
            keep &= self._in_box(query.bbox)
        if query.near is not None and radius:
            keep &= self._in_box(self._radius_box(query.near, query.radius_km))
        if query.q:
            words = fold(query.q).split()
            rows = np.flatnonzero(keep)
            hits = [i for i in rows if all(w in self.text[i] for w in words)]
            keep = np.zeros(len(self), bool)
            keep[hits] = True
        return keep

    def _in_box(self, bbox: tuple[float, float, float, float]) -> np.ndarray:
        keep = np.zeros(len(self), bool)
        keep[self.sindex.query(box(*bbox))] = True
        return keep

    @staticmethod
    def _radius_box(near: tuple[float, float], radius_km: float) -> tuple[float, float, float, float]:
        """A lon/lat box that surely holds the circle (exact distances are checked after)."""
        lat, lon = near
        dlat = radius_km / 110.5 + 1e-6
        coslat = math.cos(math.radians(min(89.0, abs(lat) + dlat)))
        dlon = min(180.0, radius_km / (111.0 * coslat) + 1e-6)
        return (max(-180.0, lon - dlon), max(-90.0, lat - dlat), min(180.0, lon + dlon), min(90.0, lat + dlat))

    def distances(self, rows: np.ndarray, near: tuple[float, float]) -> np.ndarray:
        """Geodesic distances in metres (WGS84 ellipsoid) from `near` to the given rows."""
        lat, lon = near
        _, _, dist = GEOD.inv(np.full(len(rows), lon), np.full(len(rows), lat), self.lon[rows], self.lat[rows])
        return np.asarray(dist)

    # --- queries -------------------------------------------------------------

    def search(self, query: SearchQuery) -> Page:
        """Matching items, nearest first when `near` is given, else by name; paged."""
        keep = self.mask(query)
        if query.near is not None:
            rows = np.flatnonzero(keep)
            dist = self.distances(rows, query.near)
            inside = dist <= query.radius_km * 1000
            rows, dist = rows[inside], dist[inside]
            order = np.lexsort((self.ids[rows], dist))
            page = order[query.offset : query.offset + query.limit]
            return Page(len(rows), [self.item(rows[i], dist[i]) for i in page])
        ordered = self.name_order[keep[self.name_order]]
        page = ordered[query.offset : query.offset + query.limit]
        return Page(len(ordered), [self.item(i) for i in page])

    def nearest(self, query: SearchQuery, count: int = 5) -> list[dict[str, Any]]:
        """The `count` nearest matches to `near`, ignoring the radius (for "nothing within X km")."""
        if query.near is None:
            return []
        rows = np.flatnonzero(self.mask(query, radius=False))
        if not len(rows):
            return []
        dist = self.distances(rows, query.near)
        best = np.argsort(dist, kind="stable")[:count]
        return [self.item(rows[i], dist[i]) for i in best]

    def suggest(self, query: SearchQuery) -> Suggestions:
        """Nearest matches outside the radius, and how many each active filter hides."""
        without = {}
        for name in ("support", "target", "language", "country", "q", "bbox", "near"):
            if getattr(query, name) != type(query).model_fields[name].default:
                without[name] = len(self._matching_rows(query.filters_without(name)))
        return Suggestions(self.nearest(query), without)

    def facets(self, query: SearchQuery) -> Facets:
        """Counts by country and by support type; each facet ignores its own filter."""
        by_country = self._matching_rows(query.filters_without("country"))
        by_support = self._matching_rows(query.filters_without("support"))
        countries = pd.Series(self.country[by_country]).value_counts()
        support = {
            t.slug: int(np.count_nonzero(self.support_bits[by_support] & _SUPPORT_BIT[t.slug]))
            for t in taxonomy.SUPPORT_TYPES
        }
        return Facets({str(k): int(v) for k, v in countries.items()}, support)

    def _matching_rows(self, query: SearchQuery) -> np.ndarray:
        rows = np.flatnonzero(self.mask(query))
        if query.near is not None:
            rows = rows[self.distances(rows, query.near) <= query.radius_km * 1000]
        return rows

    def clusters(self, query: SearchQuery) -> list[Cluster]:
        """Matching initiatives grouped on a grid of CLUSTER_CELL_PX screen pixels at `zoom`."""
        rows = self._matching_rows(query)
        if not len(rows):
            return []
        scale = 256 * 2**query.zoom / CLUSTER_CELL_PX
        cx = np.floor(self.merc_x[rows] * scale).astype(np.int64)
        cy = np.floor(self.merc_y[rows] * scale).astype(np.int64)
        keys = cx * (int(scale) + 2) + cy
        order = np.argsort(keys, kind="stable")
        rows, keys = rows[order], keys[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        counts = np.diff(np.r_[starts, len(keys)])
        lat, lon = self.lat[rows], self.lon[rows]
        mean_lat = np.add.reduceat(lat, starts) / counts
        mean_lon = np.add.reduceat(lon, starts) / counts
        west, east = np.minimum.reduceat(lon, starts), np.maximum.reduceat(lon, starts)
        south, north = np.minimum.reduceat(lat, starts), np.maximum.reduceat(lat, starts)
        result = []
        for k, start in enumerate(starts):
            cluster = Cluster(
                int(counts[k]), float(mean_lat[k]), float(mean_lon[k]),
                (float(west[k]), float(south[k]), float(east[k]), float(north[k])),
            )
            if counts[k] == 1:
                cluster.id = int(self.ids[rows[start]])
                cluster.name = self._records["name"][rows[start]]
            result.append(cluster)
        return result

    def get(self, initiative_id: int) -> dict[str, Any] | None:
        pos = self.position.get(initiative_id)
        return None if pos is None else self.item(pos)

    def item(self, pos: int, distance: float | None = None) -> dict[str, Any]:
        data = {f: _plain(self._records[f][pos]) for f in PUBLIC_FIELDS}
        if distance is not None:
            data["distance_m"] = round(float(distance), 1)
        return data


def _plain(value: Any) -> Any:
    """numpy/pandas scalars and NaN to JSON-ready Python values."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


class Catalog:
    """A worker's view of the published initiatives, kept in step with the database."""

    def __init__(
        self,
        engine: Engine,
        show_examples: bool = True,
        check_seconds: float = 1.0,
        today: Callable[[], date] = date.today,
    ):
        self.engine, self.show_examples, self.check_seconds = engine, show_examples, check_seconds
        self.today = today
        self._snapshot: Snapshot | None = None
        self._checked_at = -math.inf
        self._lock = threading.Lock()

    def snapshot(self) -> Snapshot:
        """The current snapshot, rebuilt first when the database moved on."""
        now = time.monotonic()
        snap = self._snapshot
        if snap is not None and now - self._checked_at < self.check_seconds:
            return snap
        with self._lock:
            if self._snapshot is not None and now - self._checked_at < self.check_seconds:
                return self._snapshot
            with Session(self.engine) as session:
                version, day = current_version(session), self.today()
                snap = self._snapshot
                if snap is None or snap.version != version or snap.day != day:
                    frame = load_frame(session, self.show_examples, day)
                    self._snapshot = Snapshot(frame, version, day)
            self._checked_at = time.monotonic()
            return self._snapshot

    @property
    def version(self) -> int:
        return self.snapshot().version
