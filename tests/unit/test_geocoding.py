"""The offline gazetteer: names in many spellings and scripts, ranking, reverse, locate."""

import pytest

from wish import geocoding


def first(text, country=None):
    found = geocoding.geocode(text, country)
    return found[0] if found else None


@pytest.mark.parametrize("text", ["Munchen", "München", "Muenchen", "Munich", "MÜNCHEN", "  munich "])
def test_spellings_of_munich_find_the_same_city(text):
    place = first(text)
    assert place.country == "DE" and abs(place.latitude - 48.14) < 0.1 and abs(place.longitude - 11.58) < 0.1


@pytest.mark.parametrize("text", ["Padova", "Padua", "بادوفا", "Падуя"])
def test_padua_is_the_italian_city(text):
    place = first(text)
    assert place.country == "IT" and abs(place.latitude - 45.41) < 0.05
    assert place.precision == "city" and place.provider == "gazetteer"


@pytest.mark.parametrize(("text", "country"), [("Αθήνα", "GR"), ("Київ", "UA"), ("وین", "AT"), ("Wien", "AT")])
def test_other_scripts_are_found(text, country):
    assert first(text).country == country


def test_country_restricts_and_population_ranks():
    assert first("Frankfurt", "DE").population > 500_000  # am Main, not (Oder)
    paris = geocoding.geocode("Paris")
    assert paris[0].country == "FR"
    assert geocoding.geocode("Paris", "IT") == [] or all(p.country == "IT" for p in geocoding.geocode("Paris", "IT"))


def test_prefix_matches_come_after_exact_ones():
    found = geocoding.geocode("Rom")
    assert found[0].name == "Rome"


def test_nothing_for_nonsense_or_one_letter():
    assert geocoding.geocode("Qwertyuiopville") == []
    assert geocoding.geocode("P") == []


def test_reverse_finds_the_nearest_town_within_50_km():
    assert geocoding.reverse(45.40, 11.87).name == "Padua"
    assert geocoding.reverse(45.0, -30.0) is None  # the middle of the Atlantic


def test_locate_places_a_town_or_nothing():
    assert geocoding.locate("Padova", "IT").country == "IT"
    assert geocoding.locate("Qwertyville", "IT") is None
    assert geocoding.locate("", "IT") is None
    assert geocoding.locate("Padova", "FR") is None  # not in that country
