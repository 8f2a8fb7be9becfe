"""CSV and GeoJSON import and export of initiatives. No Flask; works on text streams."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from wish.errors import InvalidData
from wish.records import COLUMNS, TIMESTAMP_COLUMNS, InitiativeRecord, as_text_row, validate

FORMATS = ("csv", "geojson")
# In staff exports only. Accepted on import and ignored: they are replies and contacts kept by
# WISH itself, changed on the listing's staff page, never by a file.
PRIVATE_COLUMNS: tuple[str, ...] = ("contact_email", "confirmed_on", "removal_requested")


@dataclass
class Checked:
    """Every valid record of a file and every problem, named by row and column."""

    records: list[InitiativeRecord] = field(default_factory=list)
    errors: list[InvalidData] = field(default_factory=list)


def detect_format(filename: str) -> str:
    lower = filename.lower()
    if lower.endswith((".geojson", ".json")):
        return "geojson"
    if lower.endswith(".csv"):
        return "csv"
    raise InvalidData(f"cannot tell the format of {filename!r}: use a .csv or .geojson file")


def read(stream: IO[str], fmt: str) -> list[InitiativeRecord]:
    """Every record in the stream, or InvalidData for the first bad row (nothing is partial)."""
    checked = check(stream, fmt)
    if checked.errors:
        raise checked.errors[0]
    return checked.records


def check(stream: IO[str], fmt: str, max_errors: int = 200) -> Checked:
    """Validate every row, collecting the problems (a file-level problem stops at once)."""
    checked = Checked()
    seen: dict[str, int] = {}
    try:
        for number, data in _csv_rows(stream) if fmt == "csv" else _geojson_rows(stream):
            for column in PRIVATE_COLUMNS:
                data.pop(column, None)
            try:
                record = validate(data, row=number)
            except InvalidData as exc:
                checked.errors.append(exc)
                if len(checked.errors) >= max_errors:
                    break
                continue
            if record.ref in seen:
                checked.errors.append(InvalidData(f"ref {record.ref!r} repeats row {seen[record.ref]}", "ref", number))
            seen[record.ref] = number
            checked.records.append(record)
    except InvalidData as exc:
        checked.errors.append(exc)
    except csv.Error as exc:
        checked.errors.append(InvalidData(f"not a readable CSV file: {exc}"))
    return checked


def _csv_rows(stream: IO[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(stream)
    header = reader.fieldnames or []
    allowed = set(COLUMNS) | set(TIMESTAMP_COLUMNS) | set(PRIVATE_COLUMNS)
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
    except RecursionError:
        raise InvalidData("not valid JSON: nested too deeply") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise InvalidData("expected a GeoJSON FeatureCollection")
    features = doc.get("features") or []
    if not isinstance(features, list):
        raise InvalidData("features must be a list", field="features")
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            raise InvalidData("a feature needs a properties object", row=number)
        data = dict(feature["properties"])
        geometry = feature.get("geometry")
        if geometry:
            coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
            if not isinstance(geometry, dict) or geometry.get("type") != "Point" or not isinstance(coords, list) \
                    or len(coords) < 2:
                raise InvalidData("geometry must be a Point [longitude, latitude]", "geometry", number)
            data["longitude"], data["latitude"] = coords[0], coords[1]
        yield number, data


def private_fields(initiative) -> dict[str, str]:
    """The private columns of a stored initiative, as text (staff exports only)."""
    values = {c: getattr(initiative, c) for c in PRIVATE_COLUMNS}
    return {c: "" if v is None else v.isoformat() if hasattr(v, "isoformat") else str(v) for c, v in values.items()}


def write_csv(records: Iterable[InitiativeRecord], stream: IO[str],
              private: dict[str, dict[str, str]] | None = None) -> int:
    """Public columns; with `private` (ref -> private fields) also the private ones, for staff."""
    columns = COLUMNS + TIMESTAMP_COLUMNS + (PRIVATE_COLUMNS if private is not None else ())
    writer = csv.DictWriter(stream, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    count = 0
    for record in records:
        row = as_text_row(record)
        if private is not None:
            row.update(private.get(record.ref, {}))
        writer.writerow(row)
        count += 1
    return count


def to_feature(properties: dict[str, Any]) -> dict[str, Any]:
    """An RFC 7946 Feature: geometry [longitude, latitude], or null when not placed."""
    props = {k: v for k, v in properties.items() if k not in ("latitude", "longitude")}
    lat, lon = properties.get("latitude"), properties.get("longitude")
    geometry = None if lat is None or lon is None else {"type": "Point", "coordinates": [lon, lat]}
    return {"type": "Feature", "geometry": geometry, "properties": props}


def write_geojson(records: Iterable[InitiativeRecord], stream: IO[str],
                  private: dict[str, dict[str, str]] | None = None) -> int:
    features = [to_feature({**r.model_dump(mode="json"), **((private or {}).get(r.ref, {}))}) for r in records]
    json.dump({"type": "FeatureCollection", "features": features}, stream, ensure_ascii=False, indent=1)
    return len(features)


def write_public_csv(items: Iterable[dict[str, Any]], columns: Iterable[str], stream: IO[str]) -> int:
    """Catalog items (public fields only) as CSV: lists joined with ';', hours in text form."""
    from wish import hours

    columns = list(columns)
    writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    count = 0
    for item in items:
        row = {}
        for column in columns:
            value = item.get(column)
            if isinstance(value, list):
                value = ";".join(value)
            elif column == "opening_hours":
                value = hours.format(value or {})
            elif isinstance(value, bool):
                value = "true" if value else "false"
            row[column] = "" if value is None else value
        writer.writerow(row)
        count += 1
    return count
