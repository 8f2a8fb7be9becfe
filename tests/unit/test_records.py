import pytest

from tests.conftest import make_record
from wish.errors import InvalidData
from wish.records import as_text_row, new_ref, validate

BASE = {"name": "Tea and Talk", "support_types": "social-cultural", "country": "be"}


def test_lists_are_split_and_codes_normalised():
    record = validate({**BASE, "support_types": "food; clothing", "languages": "AR;fa", "country": "be"})
    assert record.support_types == ["food", "clothing"]
    assert record.languages == ["ar", "fa"]
    assert record.country == "BE"


def test_a_new_record_gets_a_readable_unique_ref():
    a, b = validate(BASE), validate(BASE)
    assert a.ref.startswith("tea-and-talk-") and a.ref != b.ref
    assert new_ref("Santé à Paris").startswith("sante-a-paris-")


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"name": ""}, "name"),
        ({"support_types": ""}, "support_types"),
        ({"support_types": "cooking"}, "support_types"),
        ({"target_groups": "aliens"}, "target_groups"),
        ({"languages": "xx"}, "languages"),
        ({"country": "US"}, "country"),
        ({"latitude": "91", "longitude": "10"}, "latitude"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": "call me"}, "phone"),
        ({"opening_hours": "Mo 25:00-26:00"}, "opening_hours"),
        ({"opening_hours": {"mo": [1]}}, "opening_hours"),
        ({"opening_hours": {"xx": [["09:00", "10:00"]]}}, "opening_hours"),
        ({"verified": "yesterday"}, "verified"),
        ({"status": "maybe"}, "status"),
        ({"colour": "blue"}, "colour"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_invalid_field_is_named(override, field):
    with pytest.raises(InvalidData) as err:
        validate({**BASE, **override}, row=7)
    assert err.value.field == field
    assert err.value.row == 7
    assert f"row 7, column {field!r}" in str(err.value)


def test_latitude_without_longitude_is_refused():
    with pytest.raises(InvalidData, match="together"):
        validate({**BASE, "latitude": "45"})


def test_text_row_uses_the_csv_conventions():
    row = as_text_row(make_record(opening_hours="Tu 10:00-12:00", languages=["it", "ar"]))
    assert row["languages"] == "it;ar"
    assert row["opening_hours"] == "Tu 10:00-12:00"
    assert row["example"] == "false"
    assert row["verified"] == "2026-10-01"
