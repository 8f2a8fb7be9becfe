"""The catalog: a GeoDataFrame of published initiatives and every query on it. No Flask.

Each worker holds one `Catalog`. It checks the version stamp in the database at most once
per `check_seconds` and rebuilds an immutable `Snapshot` when the stamp (or the day, for
end dates) changed. Queries run on a snapshot, so a rebuild never disturbs a running query.

A snapshot keeps what queries filter on as numpy arrays (one row per initiative), the points
in a GeoDataFrame with its spatial index, and each initiative's public fields serialised to
JSON once: a page of results is then a slice of ready-made JSON, and the catalog stays small
(about 1 kB per initiative) instead of one Python object per field.

Each item is served with its `time_zone` (wish/zones.py), and the snapshot keeps every opening
range as minutes of the week: "open now" is then, per request, one local minute per time zone
and a few vectorised comparisons over all ranges, cached for the minute.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import math
import threading
import time
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import geopandas as gpd
import numpy as np
import orjson
from pyproj import Geod
from shapely import box
from sqlalchemy import Engine, Text, cast, or_, select
from sqlalchemy.orm import Session

from wish import hours, taxonomy, zones
from wish.models import Initiative
from wish.packed import PackedBuilder
from wish.query import SearchQuery
from wish.review import current_version
from wish.text import fold

log = logging.getLogger(__name__)
EARTH_RADIUS_M = 6_371_008.8
ROUGH_ERROR = 0.006  # haversine vs the ellipsoid, with room to spare
GEOD = Geod(ellps="WGS84")
CLUSTER_CELL_PX = 80
# Catalogs bigger than this are rebuilt in a background thread while the old one answers.
INLINE_REBUILD_MAX = 20_000
# Fields served for each item, in this order.
PUBLIC_FIELDS: tuple[str, ...] = (
    "id", "ref", "name", "organisation", "description", "support_types", "target_groups", "languages",
    "country", "city", "address", "postcode", "latitude", "longitude", "location_precision",
    "website", "email", "phone", "whatsapp", "opening_hours", "opening_hours_note",
    "verified", "valid_until", "example", "updated",
)
_JSON_FIELDS = frozenset({"support_types", "target_groups", "languages", "opening_hours"})
_SUPPORT_BIT = {t.slug: 1 << i for i, t in enumerate(taxonomy.SUPPORT_TYPES)}
_TARGET_BIT = {t.slug: 1 << i for i, t in enumerate(taxonomy.TARGET_GROUPS)}


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


class Page:
    """One page of results: positions in a snapshot, with distances when searching near a point."""

    def __init__(self, snapshot: Snapshot, total: int, rows: np.ndarray, distances: np.ndarray | None = None):
        self.snapshot, self.total, self.rows, self.distances = snapshot, total, rows, distances

    def _distance(self, k: int) -> float | None:
        return None if self.distances is None else float(self.distances[k])

    @property
    def items(self) -> list[dict[str, Any]]:
        return [self.snapshot.item(int(row), self._distance(k)) for k, row in enumerate(self.rows)]

    def items_json(self) -> list[bytes]:
        return [self.snapshot.item_json(int(row), self._distance(k)) for k, row in enumerate(self.rows)]


def _bits(values: Iterable[str], table: dict[str, int]) -> int:
    return sum(table.get(v, 0) for v in values or ())


def published_rows(session: Session, show_examples: bool, today: date, chunk: int = 1000):
    """Published, placed, unexpired initiatives, streamed; JSON columns come back as raw text."""
    columns = [
        # CAST, not type_coerce: PostgreSQL's driver would otherwise hand back decoded JSON.
        cast(getattr(Initiative, f), Text) if f in _JSON_FIELDS else getattr(Initiative, f)
        for f in PUBLIC_FIELDS
    ]
    stmt = select(*columns).where(
        Initiative.status == "published",
        Initiative.latitude.is_not(None),
        Initiative.longitude.is_not(None),
        or_(Initiative.valid_until.is_(None), Initiative.valid_until >= today),
    ).order_by(Initiative.id)
    if not show_examples:
        stmt = stmt.where(Initiative.example.is_(False))
    for part in session.execute(stmt.execution_options(yield_per=chunk)).partitions():
        yield from part


def _unit_vector(lat, lon, radians: bool = False):
    """Point(s) on the unit sphere; rows of (x, y, z) when given arrays."""
    if not radians:
        lat, lon = math.radians(lat), math.radians(lon)
        return np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])
    return np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def _release_memory() -> None:
    """Give the heap left over from a build back to the operating system (glibc only)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class Snapshot:
    """One immutable version of the catalog."""

    def __init__(self, rows: Iterable[tuple], version: int = 0, day: date | None = None):
        self.version, self.day = version, day or date.today()
        # Typed buffers and two blobs, no per-row Python objects that outlive the row: the
        # heap the build leaves behind can then be given back to the system.
        ids, support, target = array("q"), array("q"), array("q")
        lat, lon, country_idx, spoken = array("d"), array("d"), array("h"), array("l")
        zone_idx, range_row, range_start, range_end = array("h"), array("l"), array("h"), array("h")
        self.zone_names: dict[str, int] = {}
        several = array("l")  # rows whose country has several zones (typed: no objects per row)
        self.country_codes: dict[str, int] = {}
        self.language_codes: dict[str, int] = {}
        items, text, names, labels = PackedBuilder(), PackedBuilder(), PackedBuilder(), PackedBuilder()
        name_at = PUBLIC_FIELDS.index("name")
        for row in rows:
            data = dict(zip(PUBLIC_FIELDS, row, strict=True))
            for key in _JSON_FIELDS:
                data[key] = orjson.loads(data[key] or ("{}" if key == "opening_hours" else "[]"))
            position = len(ids)
            ids.append(data["id"])
            lat.append(data["latitude"])
            lon.append(data["longitude"])
            country_idx.append(self.country_codes.setdefault(data["country"], len(self.country_codes)))
            zone = zones.COUNTRY_ZONE.get(data["country"], zones.FALLBACK)
            zone_idx.append(self.zone_names.setdefault(zone, len(self.zone_names)))
            if data["country"] in zones.SEVERAL:
                several.append(position)
            for start, end in hours.week_ranges(data["opening_hours"]):
                range_row.append(position)
                range_start.append(start)
                range_end.append(end)
            support.append(_bits(data["support_types"], _SUPPORT_BIT))
            target.append(_bits(data["target_groups"], _TARGET_BIT))
            for lang in data["languages"]:
                spoken.extend((position, self.language_codes.setdefault(lang, len(self.language_codes))))
            names.add(fold(row[name_at]).encode())
            labels.add(row[name_at].encode())
            text.add(fold(f"{row[name_at]} {data['organisation']} {data['description']} {data['city']}").encode())
            items.add(orjson.dumps({k: v for k, v in data.items() if v != "" and v is not None}))
        # The points decide where a country has several zones: one batch, after the loop.
        if several:
            codes = list(self.country_codes)
            points = [(codes[country_idx[i]], lat[i], lon[i]) for i in several]
            for position, zone in zip(several, zones.zones_for(points), strict=True):
                zone_idx[position] = self.zone_names.setdefault(zone, len(self.zone_names))
            del points, codes
        n = len(ids)
        self.ids = np.frombuffer(ids, np.int64).copy()  # ascending: rows come ordered by id
        self.lat = np.frombuffer(lat, float).copy()
        self.lon = np.frombuffer(lon, float).copy()
        self.country_idx = np.frombuffer(country_idx, np.int16).copy()
        self.country_names = np.array(list(self.country_codes), dtype=object)
        self.support_bits = np.frombuffer(support, np.int64).copy()
        self.target_bits = np.frombuffer(target, np.int64).copy()
        # Opening ranges, one entry per range, with the zone of its row: "open now" needs no loop.
        self.zone_idx = np.frombuffer(zone_idx, np.int16).copy()
        self.range_row = np.frombuffer(range_row, np.int_).astype(np.int32)
        self.range_start = np.frombuffer(range_start, np.int16).copy()
        self.range_end = np.frombuffer(range_end, np.int16).copy()
        self._zones = [zones.zone_info(z) for z in self.zone_names]
        # Spliced into each item's JSON when served (like distance_m), not stored 100,000 times.
        self._zone_json = [b'"time_zone":' + orjson.dumps(z) + b"," for z in self.zone_names]
        self._open_cache: tuple[int, np.ndarray] | None = None
        # One bit per row for each language spoken somewhere (n/8 bytes a language, not n):
        # "speaks any of" ORs a few bit rows, then unpacks one bool per row.
        pairs = np.frombuffer(spoken, np.int_).reshape(-1, 2)
        speaks = np.zeros((len(self.language_codes), n), bool)
        speaks[pairs[:, 1], pairs[:, 0]] = True
        self._speaks_bits = np.packbits(speaks, axis=1)
        del speaks
        names = names.build()
        self.name_order = np.array(sorted(range(n), key=names.__getitem__), np.int64)
        del names
        self.name_rank = np.empty(n, np.int64)
        self.name_rank[self.name_order] = np.arange(n)
        # Rows of each country, already in name order, so a country filter needs no scan.
        self.by_country = {
            code: self.name_order[self.country_idx[self.name_order] == i] for code, i in self.country_codes.items()
        }
        self.frame = gpd.GeoDataFrame({"id": self.ids}, geometry=gpd.points_from_xy(self.lon, self.lat), crs="EPSG:4326")
        self.sindex = self.frame.sindex  # built now, not on the first query
        self.unit = _unit_vector(np.radians(self.lat), np.radians(self.lon), radians=True).T.copy()
        # Web Mercator in [0, 1] for screen-space clustering at any zoom.
        self.merc_x = (self.lon + 180.0) / 360.0
        sin = np.sin(np.radians(np.clip(self.lat, -85.05112878, 85.05112878)))
        self.merc_y = 0.5 - np.log((1 + sin) / (1 - sin)) / (4 * math.pi)
        # Text and JSON live in two buffers, not 200,000 small objects: smaller, and no heap fragments.
        self._text, self._items, self._names = text.build(), items.build(), labels.build()
        self._all = np.arange(n)

    def __len__(self) -> int:
        return len(self.ids)

    # --- filters -------------------------------------------------------------

    def rows(self, query: SearchQuery, radius: bool = True, now: datetime | None = None) -> np.ndarray:
        """Positions of rows matching every filter; with `radius`, only inside the box around `near`.

        `now` (an aware datetime) is the instant for `open_now`; None means the current time.
        """
        rows = None
        if query.bbox is not None:
            rows = self.sindex.query(box(*query.bbox))
        if query.near is not None and radius:
            around = self.sindex.query(box(*self._radius_box(query.near, query.radius_km)))
            rows = around if rows is None else np.intersect1d(rows, around, assume_unique=True)
        if query.country:
            wanted = [self.country_codes[c] for c in query.country if c in self.country_codes]
            if rows is None:
                parts = [self.by_country[self.country_names[i]] for i in wanted]
                rows = np.concatenate(parts) if parts else np.zeros(0, np.int64)
            else:
                rows = rows[np.isin(self.country_idx[rows], wanted)]
        if rows is None:
            rows = self._all
        if query.support:
            rows = rows[(self.support_bits[rows] & _bits(query.support, _SUPPORT_BIT)) != 0]
        if query.target:
            rows = rows[(self.target_bits[rows] & _bits(query.target, _TARGET_BIT)) != 0]
        if query.language:
            rows = rows[self.speaks_any(query.language)[rows]]
        if query.speaks_only:
            rows = rows[self.speaks_language(query.speaks)[rows]]
        if query.open_now:
            rows = rows[self.open_at(now or hours.utcnow())[rows]]
        if query.q:
            words = [w.encode() for w in fold(query.q).split()]
            text = self._text
            rows = np.array([i for i in rows.tolist() if all(w in text[i] for w in words)], np.int64)
        return rows

    def speaks_any(self, codes: Iterable[str]) -> np.ndarray:
        """One bool per row: the row speaks one of `codes` (all False for languages nobody lists)."""
        columns = [self.language_codes[c] for c in codes if c in self.language_codes]
        if not columns:
            return np.zeros(len(self), bool)
        bits = np.bitwise_or.reduce(self._speaks_bits[columns], axis=0)
        return np.unpackbits(bits, count=len(self)).view(bool)

    def speaks_language(self, code: str | None) -> np.ndarray:
        """One bool per row: the row speaks `code`."""
        return self.speaks_any([code] if code else [])

    def open_at(self, now: datetime) -> np.ndarray:
        """One bool per row: open at the instant `now`, in each row's own time zone.

        One zoneinfo conversion per zone, then comparisons over every opening range at once;
        the answer is kept for the minute (hours are whole minutes), so a busy minute pays once.
        """
        key = math.floor(now.timestamp() / 60)
        cached = self._open_cache
        if cached is not None and cached[0] == key:
            return cached[1]
        local = np.array([hours.minute_of_week(now, zone) for zone in self._zones], np.int16)
        minute = local[self.zone_idx[self.range_row]] if len(local) else np.zeros(0, np.int16)
        hit = (self.range_start <= minute) & (minute < self.range_end)
        mask = np.zeros(len(self), bool)
        mask[self.range_row[hit]] = True
        self._open_cache = (key, mask)
        return mask

    @staticmethod
    def _radius_box(near: tuple[float, float], radius_km: float) -> tuple[float, float, float, float]:
        """A lon/lat box that surely holds the circle (exact distances are checked after)."""
        lat, lon = near
        dlat = radius_km * 1.01 / 110.5 + 1e-6
        coslat = math.cos(math.radians(min(89.0, abs(lat) + dlat)))
        dlon = min(180.0, radius_km * 1.01 / (111.0 * coslat) + 1e-6)
        return (max(-180.0, lon - dlon), max(-90.0, lat - dlat), min(180.0, lon + dlon), min(90.0, lat + dlat))

    def distances(self, rows: np.ndarray, near: tuple[float, float]) -> np.ndarray:
        """Geodesic distances in metres (WGS84 ellipsoid) from `near` to the given rows."""
        lat, lon = near
        _, _, dist = GEOD.inv(np.full(len(rows), lon), np.full(len(rows), lat), self.lon[rows], self.lat[rows])
        return np.asarray(dist, float)

    def farness(self, rows: np.ndarray, near: tuple[float, float]) -> np.ndarray:
        """Minus the cosine of the central angle to `near`: orders rows by distance on the sphere
        (within 0.5% of the ellipsoid) with one matrix-vector product and no trigonometry."""
        return -(self.unit[rows] @ _unit_vector(*near))

    def within(self, rows: np.ndarray, near: tuple[float, float], radius_km: float):
        """(rows, farness) inside the radius; rows close to the edge are decided exactly."""
        far = self.farness(rows, near)
        angle = radius_km * 1000 / EARTH_RADIUS_M
        surely_in = -math.cos(angle * (1 - ROUGH_ERROR))
        maybe_in = -math.cos(min(math.pi, angle * (1 + ROUGH_ERROR) + 1e-7))
        inside = far <= surely_in
        edge = np.flatnonzero((far > surely_in) & (far <= maybe_in))
        if len(edge):
            inside[edge] = self.distances(rows[edge], near) <= radius_km * 1000
        return rows[inside], far[inside]

    def _exact_page(
        self, rows: np.ndarray, near: tuple[float, float], first: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """A page ordered and measured exactly (the rough order can swap near-equal neighbours);
        rows where `first` (one bool per row) is True come before the others."""
        if not len(rows):
            return rows, np.zeros(0)
        exact = self.distances(rows, near)
        group = np.zeros(len(rows), bool) if first is None else ~first[rows]
        order = np.lexsort((self.ids[rows], exact, group))
        return rows[order], exact[order]

    def _matching(self, query: SearchQuery, now: datetime | None = None) -> np.ndarray:
        rows = self.rows(query, now=now)
        return self.within(rows, query.near, query.radius_km)[0] if query.near is not None else rows

    # --- queries -------------------------------------------------------------

    def search(self, query: SearchQuery, now: datetime | None = None) -> Page:
        """Matching items, nearest first when `near` is given, else by name; paged.

        With `speaks`, the rows speaking that language come first, each group in that order.
        """
        rows = self.rows(query, now=now)
        first = self.speaks_language(query.speaks) if query.speaks and not query.speaks_only else None
        if query.near is not None:
            rows, dist = self.within(rows, query.near, query.radius_km)
            if first is not None:  # farness is within [-1, 1]: +3 puts a whole group behind
                dist = dist + 3.0 * ~first[rows]
            total, end = len(rows), query.offset + query.limit
            if end < total:  # only the nearest `end` need sorting (ties at the cut sort by id below)
                keep = dist <= np.partition(dist, end)[end]
                rows, dist = rows[keep], dist[keep]
            order = np.lexsort((self.ids[rows], dist))[query.offset : end]
            return Page(self, total, *self._exact_page(rows[order], query.near, first))
        ordered = self._by_name(rows)
        if first is not None:
            speaking = first[ordered]
            ordered = np.concatenate((ordered[speaking], ordered[~speaking]))
        return Page(self, len(rows), ordered[query.offset : query.offset + query.limit])

    def _by_name(self, rows: np.ndarray) -> np.ndarray:
        if rows is self._all:
            return self.name_order
        if len(rows) * 8 > len(self):  # many rows: one pass over the name order beats a sort
            keep = np.zeros(len(self), bool)
            keep[rows] = True
            return self.name_order[keep[self.name_order]]
        return rows[np.argsort(self.name_rank[rows], kind="stable")]

    def nearest(self, query: SearchQuery, count: int = 5, now: datetime | None = None) -> list[dict[str, Any]]:
        """The `count` nearest matches to `near`, ignoring the radius (for "nothing within X km")."""
        if query.near is None:
            return []
        rows = self.rows(query, radius=False, now=now)
        if not len(rows):
            return []
        far = self.farness(rows, query.near)
        kth = np.partition(far, min(count, len(far)) - 1)[min(count, len(far)) - 1]
        cutoff = -math.cos(min(math.pi, math.acos(min(1.0, -kth)) * (1 + 2 * ROUGH_ERROR) + 1e-7))
        rows, dist = self._exact_page(rows[far <= cutoff], query.near)
        return [self.item(int(r), float(d)) for r, d in zip(rows[:count], dist[:count], strict=True)]

    def suggest(self, query: SearchQuery, now: datetime | None = None) -> Suggestions:
        """Nearest matches outside the radius, and how many each active filter hides."""
        without = {}
        for name in ("open_now", "speaks_only", "support", "target", "language", "country", "q", "bbox", "near"):
            if getattr(query, name) != type(query).model_fields[name].default:
                without[name] = len(self._matching(query.filters_without(name), now))
        return Suggestions(self.nearest(query, now=now), without)

    def facets(self, query: SearchQuery, now: datetime | None = None) -> Facets:
        """Counts by country and by support type; each facet ignores its own filter."""
        by_country = self._matching(query.filters_without("country"), now)
        counts = np.bincount(self.country_idx[by_country], minlength=len(self.country_codes))
        countries = {str(self.country_names[i]): int(c) for i, c in enumerate(counts) if c}
        bits = self.support_bits[self._matching(query.filters_without("support"), now)]
        support = {t.slug: int(np.count_nonzero(bits & _SUPPORT_BIT[t.slug])) for t in taxonomy.SUPPORT_TYPES}
        return Facets(dict(sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))), support)

    def clusters(self, query: SearchQuery, now: datetime | None = None) -> list[Cluster]:
        """Matching initiatives grouped on a grid of CLUSTER_CELL_PX screen pixels at `zoom`."""
        rows = self._matching(query, now)
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
        mean_lat = (np.add.reduceat(lat, starts) / counts).tolist()
        mean_lon = (np.add.reduceat(lon, starts) / counts).tolist()
        west, east = np.minimum.reduceat(lon, starts).tolist(), np.maximum.reduceat(lon, starts).tolist()
        south, north = np.minimum.reduceat(lat, starts).tolist(), np.maximum.reduceat(lat, starts).tolist()
        result = []
        for k, (start, count) in enumerate(zip(starts.tolist(), counts.tolist(), strict=True)):
            cluster = Cluster(count, mean_lat[k], mean_lon[k], (west[k], south[k], east[k], north[k]))
            if count == 1:  # names kept apart, so a map full of single markers parses no item JSON
                row = int(rows[start])
                cluster.id, cluster.name = int(self.ids[row]), self._names[row].decode()
            result.append(cluster)
        return result

    def position(self, initiative_id: int) -> int | None:
        pos = int(np.searchsorted(self.ids, initiative_id))
        return pos if pos < len(self.ids) and self.ids[pos] == initiative_id else None

    def get(self, initiative_id: int) -> dict[str, Any] | None:
        pos = self.position(initiative_id)
        return None if pos is None else self.item(pos)

    def item_json(self, pos: int, distance: float | None = None) -> bytes:
        """The public fields of one row with a value, and its time_zone, as JSON; `distance_m` first when given."""
        data = self._items[pos]
        zone = self._zone_json[self.zone_idx[pos]]
        if distance is None:
            return b"{" + zone + data[1:]
        return b'{"distance_m":' + orjson.dumps(round(distance, 1)) + b"," + zone + data[1:]

    def item(self, pos: int, distance: float | None = None) -> dict[str, Any]:
        return orjson.loads(self.item_json(pos, distance))


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
        self._building = False

    def snapshot(self) -> Snapshot:
        """The current snapshot; a stale one is rebuilt (in the background when it is big)."""
        snap = self._snapshot
        if snap is not None and time.monotonic() - self._checked_at < self.check_seconds:
            return snap
        with self._lock:
            snap = self._snapshot
            if snap is not None and time.monotonic() - self._checked_at < self.check_seconds:
                return snap
            self._checked_at = time.monotonic()
            with Session(self.engine) as session:
                version, day = current_version(session), self.today()
            if snap is not None and snap.version == version and snap.day == day:
                return snap
            if snap is None or len(snap) <= INLINE_REBUILD_MAX:
                self._snapshot = self._build(version, day)
                return self._snapshot
            if not self._building:
                self._building = True
                threading.Thread(target=self._build_in_background, args=(version, day), daemon=True).start()
            return snap  # the old snapshot answers until the new one is ready

    def _build(self, version: int, day: date) -> Snapshot:
        started = time.perf_counter()
        with Session(self.engine) as session:
            snap = Snapshot(published_rows(session, self.show_examples, day), version, day)
        _release_memory()
        log.info("catalog version %s: %s initiatives in %.2f s", version, len(snap), time.perf_counter() - started)
        return snap

    def _build_in_background(self, version: int, day: date) -> None:
        try:
            snap = self._build(version, day)
            with self._lock:
                self._snapshot = snap
        except Exception:  # noqa: BLE001 - keep serving the old snapshot; the next check retries
            log.exception("catalog rebuild failed")
        finally:
            self._building = False
            self._checked_at = -math.inf

    @property
    def version(self) -> int:
        return self.snapshot().version
