"""/api/geocode, /api/reverse, geocoding on write and `flask geocode`."""

import pytest
from sqlalchemy import insert, select

from tests.conftest import make_record
from wish.extensions import db
from wish.models import Initiative


def test_geocode_returns_up_to_five_candidates(client):
    body = client.get("/api/geocode?q=Padova").json
    assert body["places"][0]["name"] == "Padua" and body["places"][0]["country"] == "IT"
    assert len(client.get("/api/geocode?q=San").json["places"]) == 5
    assert client.get("/api/geocode?q=Frankfurt&country=de").json["places"][0]["country"] == "DE"


@pytest.mark.parametrize(("query", "field"), [("q=P", "q"), ("", "q"), ("q=Rome&country=XX", "country"),
                                              ("q=Rome&limit=9", "limit"), ("q=Rome&colour=red", "colour")])
def test_geocode_bad_input_is_400_naming_the_field(client, query, field):
    response = client.get(f"/api/geocode?{query}")
    assert response.status_code == 400 and response.json["field"] == field


def test_reverse_names_the_nearest_town(client):
    assert client.get("/api/reverse?lat=45.40&lon=11.87").json["place"]["name"] == "Padua"
    assert client.get("/api/reverse?lat=45&lon=-30").json == {"place": None}


@pytest.mark.parametrize(("query", "field"), [("lat=91&lon=0", "lat"), ("lat=0&lon=200", "lon"), ("lat=x&lon=0", "lat"),
                                              ("lon=0", "lat"), ("lat=nan&lon=0", "lat")])
def test_reverse_bad_input_is_400_naming_the_field(client, query, field):
    response = client.get(f"/api/reverse?{query}")
    assert response.status_code == 400 and response.json["field"] == field


def test_an_initiative_saved_without_a_point_is_placed_at_its_town(client, add):
    add(make_record(ref="p", name="No point", latitude=None, longitude=None, city="Padova", location_precision=None))
    item = client.get("/api/initiatives").json["items"][0]
    assert item["name"] == "No point" and item["location_precision"] == "city"
    assert abs(item["latitude"] - 45.41) < 0.05


def test_an_unknown_town_is_kept_without_a_point_never_at_zero(client, add):
    add(make_record(ref="u", name="Unknown town", latitude=None, longitude=None, city="Qwertyville"))
    row = db.session.scalar(select(Initiative).where(Initiative.ref == "u"))
    assert row is not None and row.latitude is None and row.longitude is None
    assert client.get("/api/initiatives").json["total"] == 0


def test_flask_geocode_places_what_it_can_and_reports_the_rest(runner, app):
    base = {"organisation": "", "description": "", "support_types": ["food"], "target_groups": [], "languages": [],
            "country": "IT", "address": "", "postcode": "", "website": "", "email": "", "phone": "", "whatsapp": "",
            "opening_hours": {}, "opening_hours_note": "", "status": "published", "example": False}
    db.session.execute(insert(Initiative), [
        {**base, "ref": "roma", "name": "In Rome", "city": "Roma"},
        {**base, "ref": "lost", "name": "Lost", "city": "Qwertyville"},
    ])
    db.session.commit()
    first = runner.invoke(args=["geocode"])
    assert first.exit_code == 0, first.output
    assert "placed 1, could not place 1" in first.output and "lost: Lost (Qwertyville, IT)" in first.output
    roma = db.session.scalar(select(Initiative).where(Initiative.ref == "roma"))
    assert roma.location_precision == "city" and abs(roma.latitude - 41.89) < 0.05
    assert roma.history[-1].action == "geocode"
    again = runner.invoke(args=["geocode"])
    assert "placed 0, could not place 1" in again.output


@pytest.fixture
def online_client(app, nominatim):
    from wish.config import load_settings
    from wish.geocoding import Geocoder, OnlineGeocoder

    app.config["WISH"] = load_settings({"WISH_GEOCODER": "nominatim", "WISH_GEOCODER_DOMAIN": nominatim.domain,
                                        "WISH_GEOCODER_SCHEME": "http", "WISH_GEOCODER_CONTACT": "ops@example.org",
                                        "WISH_CATALOG_CHECK_SECONDS": "0"})
    app.extensions["wish_geocoder"] = Geocoder(OnlineGeocoder(db.engine, nominatim.domain, "http", "ops@example.org",
                                                              timeout=0.3, min_delay_seconds=0))
    return app.test_client()


@pytest.fixture
def nominatim():
    from tests.fakes import FakeNominatim

    fake = FakeNominatim()
    yield fake
    fake.close()


def test_geocode_api_asks_online_only_when_the_gazetteer_has_nothing(online_client, nominatim):
    assert online_client.get("/api/geocode?q=Padova").json["places"][0]["provider"] == "gazetteer"
    body = online_client.get("/api/geocode?q=Via Roma 12, 35122 Padova&country=IT").json
    assert body["places"][0]["provider"] == "nominatim" and body["places"][0]["precision"] == "street"
    assert len(nominatim.requests) == 1


@pytest.mark.parametrize("mode", ["slow", "error", "ratelimit"])
def test_geocode_api_degrades_to_not_found_when_the_service_fails(online_client, nominatim, mode):
    nominatim.mode = mode
    response = online_client.get("/api/geocode?q=Via Roma 12, 35122 Padova")
    assert response.status_code == 200 and response.json == {"places": []}


def test_saving_with_a_street_address_places_it_at_the_street(online_client, app):
    from wish import review
    from wish.web import geocoder

    record = make_record(ref="street", name="At the street", latitude=None, longitude=None,
                         address="Via Roma 12", postcode="35122", city="Padova")
    review.upsert(db.session, [record], actor="test", locate=geocoder().locate)
    item = online_client.get("/api/initiatives").json["items"][0]
    assert (item["latitude"], item["location_precision"]) == (45.4031, "street")


def test_geocode_answers_vary_with_the_language(client):
    assert "Accept-Language" in client.get("/api/geocode?q=Padova").headers["Vary"]


def test_map_page_hands_a_resolved_place_to_the_script(client):
    html = client.get("/?place=Padova").get_data(as_text=True)
    assert 'data-near="45.40797,11.88586"' in html
