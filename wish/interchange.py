"""CSV and GeoJSON import and export of initiatives. No Flask; works on text streams."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from wish.errors import InvalidData
from wish.records import COLUMNS, TIMESTAMP_COLUMNS, InitiativeRecord, as_text_row, validate

FORMATS = ("csv", "geojson")


def detect_format(filename: str) -> str:
    lower = filename.lower()
    if lower.endswith((".geojson", ".json")):
        return "geojson"
    if lower.endswith(".csv"):
        return "csv"
    raise InvalidData(f"cannot tell the format of {filename!r}: use a .csv or .geojson file")


def read(stream: IO[str], fmt: str) -> list[InitiativeRecord]:
    """Every record in the stream, or InvalidData for the first bad row (nothing is partial)."""
    rows = _csv_rows(stream) if fmt == "csv" else _geojson_rows(stream)
    records = [validate(data, row=number) for number, data in rows]
    seen: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        if record.ref in seen:
            raise InvalidData(f"ref {record.ref!r} repeats row {seen[record.ref]}", "ref", number)
        seen[record.ref] = number
    return records


def _csv_rows(stream: IO[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(stream)
    header = reader.fieldnames or []
    allowed = set(COLUMNS) | set(TIMESTAMP_COLUMNS)
    for column in header:
        if column not in allowed:
            raise InvalidData("unknown column", field=column, row=0)
    for required in ("name", "support_types", "country"):
        if required not in header:
            raise InvalidData("required column is missing", field=required, row=0)
    for number, data in enumerate(reader, start=1):
        if None in data:
            raise InvalidData("more cells than columns in the header", row=number)
        yield number, {k: v for k, v in data.items() if v is not None}


def _geojson_rows(stream: IO[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        doc = json.load(stream)
    except json.JSONDecodeError as exc:
        raise InvalidData(f"not valid JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise InvalidData("expected a GeoJSON FeatureCollection")
    for number, feature in enumerate(doc.get("features") or [], start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            raise InvalidData("a feature needs a properties object", row=number)
        data = dict(feature["properties"])
        geometry = feature.get("geometry")
        if geometry:
            coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
            if geometry.get("type") != "Point" or not isinstance(coords, list) or len(coords) < 2:
                raise InvalidData("geometry must be a Point [longitude, latitude]", "geometry", number)
            data["longitude"], data["latitude"] = coords[0], coords[1]
        yield number, data


def write_csv(records: Iterable[InitiativeRecord], stream: IO[str]) -> int:
    writer = csv.DictWriter(stream, fieldnames=list(COLUMNS + TIMESTAMP_COLUMNS), lineterminator="\n")
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow(as_text_row(record))
        count += 1
    return count


def to_feature(properties: dict[str, Any]) -> dict[str, Any]:
    """An RFC 7946 Feature: geometry [longitude, latitude], or null when not placed."""
    props = {k: v for k, v in properties.items() if k not in ("latitude", "longitude")}
    lat, lon = properties.get("latitude"), properties.get("longitude")
    geometry = None if lat is None or lon is None else {"type": "Point", "coordinates": [lon, lat]}
    return {"type": "Feature", "geometry": geometry, "properties": props}


def write_geojson(records: Iterable[InitiativeRecord], stream: IO[str]) -> int:
    features = [to_feature(r.model_dump(mode="json")) for r in records]
    json.dump({"type": "FeatureCollection", "features": features}, stream, ensure_ascii=False, indent=1)
    return len(features)
