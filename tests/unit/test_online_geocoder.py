"""The online geocoder against a fake Nominatim on 127.0.0.1: cache, rate limit, failures."""

import time

import pytest

from tests.fakes import FakeNominatim
from wish.extensions import db
from wish.geocoding import Geocoder, OnlineGeocoder


@pytest.fixture
def nominatim():
    fake = FakeNominatim()
    yield fake
    fake.close()


@pytest.fixture
def online(app, nominatim):
    return OnlineGeocoder(db.engine, nominatim.domain, "http", "ops@example.org", timeout=0.3, min_delay_seconds=0)


def test_street_address_found_online_with_street_precision(online, nominatim):
    [place] = online.search("Via Roma 12, 35122 Padova", "IT")
    assert (place.latitude, place.longitude, place.country) == (45.4031, 11.8766, "IT")
    assert place.precision == "street" and place.provider == "nominatim"
    request = nominatim.requests[0]
    assert request["params"]["countrycodes"] == "it" and request["params"]["format"] == "json"


def test_user_agent_names_wish_and_the_operator(online, nominatim):
    online.search("Via Roma 12, 35122 Padova")
    assert "WISH" in nominatim.requests[0]["user_agent"]
    assert "ops@example.org" in nominatim.requests[0]["user_agent"]


def test_every_answer_found_or_not_is_cached(online, nominatim):
    online.search("Via Roma 12, 35122 Padova", "IT")
    online.search("VIA ROMA 12,  35122 padova", "IT")  # same question, other spelling of spaces and case
    assert online.search("Nowhere Street 1", "IT") == []
    assert online.search("Nowhere Street 1", "IT") == []
    assert len(nominatim.requests) == 2


def test_cache_survives_a_new_geocoder(app, online, nominatim):
    online.search("Via Roma 12, 35122 Padova", "IT")
    again = OnlineGeocoder(db.engine, nominatim.domain, "http", "ops@example.org", timeout=0.3, min_delay_seconds=0)
    assert again.search("Via Roma 12, 35122 Padova", "IT")[0].latitude == 45.4031
    assert len(nominatim.requests) == 1


def test_at_most_one_request_per_second(app, nominatim):
    polite = OnlineGeocoder(db.engine, nominatim.domain, "http", "ops@example.org", timeout=0.3)
    polite.search("first place")
    polite.search("second place")
    first, second = nominatim.requests
    assert second["at"] - first["at"] >= 0.95


@pytest.mark.parametrize("mode", ["slow", "error", "ratelimit"])
def test_failures_answer_none_and_are_not_cached(online, nominatim, mode):
    nominatim.mode = mode
    assert online.search("Via Roma 12, 35122 Padova", "IT") is None
    nominatim.mode = "ok"
    assert online.search("Via Roma 12, 35122 Padova", "IT")[0].precision == "street"


@pytest.mark.parametrize("mode", ["slow", "error", "ratelimit"])
def test_chain_degrades_to_the_offline_answer(online, nominatim, mode):
    nominatim.mode = mode
    chain = Geocoder(online)
    assert chain.search("Padova")[0].provider == "gazetteer"  # offline first: no request at all
    assert nominatim.requests == []
    assert chain.search("Via Roma 12, 35122 Padova") == []  # online failed: a clear "not found"
    town = chain.locate("Padova", "IT", "Via Roma 12", "35122")
    assert town.precision == "city" and town.provider == "gazetteer"


def test_chain_locates_a_street_address_online(online, nominatim):
    found = Geocoder(online).locate("Padova", "IT", "Via Roma 12", "35122")
    assert found.precision == "street" and found.provider == "nominatim"
    assert nominatim.requests[0]["params"]["q"] == "Via Roma 12, 35122 Padova"


def test_offline_only_chain_never_calls_out(app):
    chain = Geocoder(None)
    assert chain.search("Qwertyuiopville") == []
    assert chain.locate("Padova", "IT", "Via Roma 12", "35122").precision == "city"


def test_slow_service_is_cut_at_the_timeout(online, nominatim):
    nominatim.mode = "slow"
    started = time.monotonic()
    online.search("anything")
    assert time.monotonic() - started < 0.9


def test_any_geopy_service_can_be_the_online_geocoder(app, nominatim):
    photon = OnlineGeocoder(db.engine, nominatim.domain, "http", "ops@example.org", timeout=0.3,
                            min_delay_seconds=0, service="photon")
    [place] = photon.search("Via Roma 12, 35122 Padova", "IT")
    assert (place.latitude, place.longitude, place.country, place.provider) == (45.4031, 11.8766, "IT", "photon")
    assert nominatim.requests[0]["path"] == "/api" and "WISH" in nominatim.requests[0]["user_agent"]
    assert photon.search("Via Roma 12, 35122 Padova", "FR") == []  # a country filter holds for every service


def test_names_come_in_the_readers_language(online, nominatim):
    online.search("Via Roma 12, 35122 Padova", "IT", language="ar")
    assert nominatim.requests[0]["params"]["accept-language"] == "ar"
    online.search("Via Roma 12, 35122 Padova", "IT", language="fa")  # another language is another question
    assert len(nominatim.requests) == 2


def test_a_visitor_never_queues_behind_another_lookup(online, nominatim):
    online._turn.acquire()  # another lookup is under way
    try:
        assert online.search("Via Roma 12, 35122 Padova", "IT", wait=False) is None
    finally:
        online._turn.release()
    assert nominatim.requests == []
    assert online.search("Via Roma 12, 35122 Padova", "IT", wait=False)[0].precision == "street"
