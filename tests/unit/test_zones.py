"""Time zones come from the country, and from the point where a country has several."""

from zoneinfo import ZoneInfo

import pytest

from wish import taxonomy, zones


def test_every_country_has_a_zone_that_zoneinfo_knows():
    assert set(zones.COUNTRY_ZONE) == set(taxonomy.EUROPE)
    for name in zones.COUNTRY_ZONE.values():
        ZoneInfo(name)
    for country, names in zones.SEVERAL.items():
        assert zones.COUNTRY_ZONE[country] in names


@pytest.mark.parametrize(
    ("country", "lat", "lon", "zone"),
    [
        ("IT", 45.4064, 11.8768, "Europe/Rome"),
        ("ES", 40.4168, -3.7038, "Europe/Madrid"),
        ("ES", 28.1235, -15.4363, "Atlantic/Canary"),  # Las Palmas
        ("PT", 38.7223, -9.1393, "Europe/Lisbon"),
        ("PT", 37.7412, -25.6756, "Atlantic/Azores"),  # Ponta Delgada
        ("UA", 50.4501, 30.5234, "Europe/Kyiv"),
        ("UA", 44.9521, 34.1024, "Europe/Simferopol"),  # Crimea
        ("RU", 54.7104, 20.4522, "Europe/Kaliningrad"),
        ("RU", 53.1959, 50.1002, "Europe/Samara"),
        ("CY", 35.1856, 33.3823, "Asia/Nicosia"),
    ],
)
def test_the_point_decides_only_where_a_country_has_several_zones(country, lat, lon, zone):
    assert zones.zone_of(country, lat, lon) == zone


def test_a_point_just_over_a_border_keeps_its_countrys_zone():
    # Badajoz is in Spain (Madrid time); listed as Portuguese it keeps Lisbon's time, not Spain's.
    assert zones.zone_of("ES", 38.8794, -6.9707) == "Europe/Madrid"
    assert zones.zone_of("PT", 38.8794, -6.9707) == "Europe/Lisbon"
    # At sea, no zone is found: the country's main one.
    assert zones.zone_of("ES", 45.0, -20.0) == "Europe/Madrid"


def test_the_lookup_runs_outside_this_process():
    import sys

    assert zones.zone_of("ES", 28.1235, -15.4363) == "Atlantic/Canary"
    assert "timezonefinder" not in sys.modules  # its ~8 MB stay out of the web worker


def test_a_failed_lookup_falls_back_to_each_countrys_main_zone(monkeypatch, caplog):
    def broken(points):
        raise OSError("no python here")

    monkeypatch.setattr(zones, "_lookup_in_child", broken)
    monkeypatch.setattr(zones.log, "disabled", False)  # Alembic's fileConfig disables existing loggers
    assert zones.zones_for([("ES", 28.1235, -15.4363), ("IT", 45.4, 11.9)]) == ["Europe/Madrid", "Europe/Rome"]
    assert "time zone lookup failed" in caplog.text
