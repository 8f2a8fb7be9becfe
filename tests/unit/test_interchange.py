import io
import json

import pytest

from tests.conftest import make_record
from wish import interchange
from wish.errors import InvalidData

HEADER = "ref,name,support_types,country,latitude,longitude\n"


def read_csv(text):
    return interchange.read(io.StringIO(text), "csv")


def test_csv_rows_become_records():
    records = read_csv(HEADER + "a,Food Bank,food,IT,45.4,11.9\nb,Clothes,clothing;food,FR,,\n")
    assert [r.ref for r in records] == ["a", "b"]
    assert records[1].support_types == ["clothing", "food"] and records[1].latitude is None


def test_bad_row_is_named_by_row_and_column():
    with pytest.raises(InvalidData) as err:
        read_csv(HEADER + "a,Food Bank,food,IT,45.4,11.9\nb,Clothes,clothing,ZZ,,\n")
    assert (err.value.row, err.value.field) == (2, "country")


def test_unknown_column_is_refused_before_any_row():
    with pytest.raises(InvalidData) as err:
        read_csv("ref,name,support_types,country,colour\na,A,food,IT,red\n")
    assert err.value.field == "colour"


def test_missing_required_column_is_named():
    with pytest.raises(InvalidData, match="missing") as err:
        read_csv("ref,name\na,A\n")
    assert err.value.field == "support_types"


def test_repeated_ref_is_refused():
    with pytest.raises(InvalidData, match="repeats row 1") as err:
        read_csv(HEADER + "a,A,food,IT,,\na,B,food,IT,,\n")
    assert err.value.row == 2


def test_ragged_row_is_refused():
    with pytest.raises(InvalidData, match="more cells"):
        read_csv(HEADER + "a,A,food,IT,45,11,extra\n")


def test_geojson_takes_longitude_first():
    doc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [11.9, 45.4]},
        "properties": {"ref": "g", "name": "G", "support_types": ["food"], "country": "IT"}}]}
    record = interchange.read(io.StringIO(json.dumps(doc)), "geojson")[0]
    assert (record.latitude, record.longitude) == (45.4, 11.9)


@pytest.mark.parametrize(
    "doc",
    ["not json", '{"type": "Feature"}', '{"type": "FeatureCollection", "features": [{"geometry": null}]}',
     '{"type": "FeatureCollection", "features": [{"properties": {}, "geometry": {"type": "LineString"}}]}'],
)
def test_malformed_geojson_is_a_clear_error(doc):
    with pytest.raises(InvalidData):
        interchange.read(io.StringIO(doc), "geojson")


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_write_then_read_loses_nothing(fmt):
    records = [
        make_record(ref="one", name="Ünïcödé, \"quoted\"\nline", opening_hours="Mo 09:00-12:00",
                    website="https://example.org/a", email="a@example.org", phone="+44 20 7946 0123"),
        make_record(ref="two", name="Unplaced", latitude=None, longitude=None, languages=[]),
    ]
    out = io.StringIO()
    (interchange.write_csv if fmt == "csv" else interchange.write_geojson)(records, out)
    again = interchange.read(io.StringIO(out.getvalue()), fmt)
    assert [r.model_dump() for r in again] == [r.model_dump() for r in records]


def test_format_is_detected_from_the_file_name():
    assert interchange.detect_format("x.CSV") == "csv"
    assert interchange.detect_format("x.geojson") == "geojson"
    with pytest.raises(InvalidData):
        interchange.detect_format("x.xlsx")
