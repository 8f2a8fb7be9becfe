"""Open now and speaks-my-language through the API and the pages, with the clock fixed."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import PADOVA, make_record

# Monday 2026-01-12, 08:30 UTC: 09:30 in Padova.
MONDAY_0930_ROME = datetime(2026, 1, 12, 8, 30, tzinfo=UTC)


@pytest.fixture
def clock(app):
    instant = {"now": MONDAY_0930_ROME}
    app.config["WISH_CLOCK"] = lambda: instant["now"]
    return instant


@pytest.fixture
def sample(add, clock):
    add(
        make_record(ref="open", name="Open Door", opening_hours="Mo 09:00-12:00", languages=["it", "ar"]),
        make_record(ref="night", name="Night Shelter", opening_hours="Su 20:00-09:00", languages=["it", "en"],
                    latitude=PADOVA[0] + 0.01),
        make_record(ref="later", name="Afternoon Desk", opening_hours="Mo 14:00-18:00", languages=["it"],
                    latitude=PADOVA[0] + 0.02),
        make_record(ref="nohours", name="Bench", languages=["fa"], latitude=PADOVA[0] + 0.03),
    )


def names(body):
    return [i["name"] for i in body["items"]]


def test_open_now_filters_the_api_at_the_clocks_instant(client, sample, clock):
    assert names(client.get("/api/initiatives?open_now=1").json) == ["Open Door"]
    clock["now"] = datetime(2026, 1, 12, 7, 30, tzinfo=UTC)  # 08:30 in Padova: the night is not over
    assert names(client.get("/api/initiatives?open_now=1").json) == ["Night Shelter"]
    clock["now"] = datetime(2026, 1, 12, 14, 0, tzinfo=UTC)
    assert names(client.get("/api/initiatives?open_now=true").json) == ["Afternoon Desk"]
    assert len(client.get("/api/initiatives?open_now=0").json["items"]) == 4


def test_open_now_filters_clusters_facets_and_geojson(client, sample):
    clusters = client.get("/api/clusters?open_now=1&zoom=3").json
    assert clusters["total"] == 1
    assert client.get("/api/facets?open_now=1").json["country"] == {"IT": 1}
    assert [f["properties"]["name"] for f in client.get("/api/initiatives.geojson?open_now=1").json["features"]] == ["Open Door"]


def test_nothing_open_suggests_dropping_the_open_now_filter(client, sample, clock):
    clock["now"] = datetime(2026, 1, 13, 3, 0, tzinfo=UTC)  # Tuesday night: nothing open
    body = client.get(f"/api/initiatives?open_now=1&near={PADOVA[0]},{PADOVA[1]}").json
    assert body["total"] == 0 and body["suggestions"]["without"]["open_now"] == 4


def test_items_carry_their_time_zone(client, sample):
    assert {i["time_zone"] for i in client.get("/api/initiatives").json["items"]} == {"Europe/Rome"}


def test_open_now_etag_holds_for_one_minute_only(client, sample, clock):
    first = client.get("/api/initiatives?open_now=1").headers["ETag"]
    clock["now"] += timedelta(seconds=20)
    assert client.get("/api/initiatives?open_now=1").headers["ETag"] == first
    clock["now"] += timedelta(minutes=1)
    assert client.get("/api/initiatives?open_now=1").headers["ETag"] != first
    plain = client.get("/api/initiatives").headers["ETag"]
    clock["now"] += timedelta(hours=5)
    assert client.get("/api/initiatives").headers["ETag"] == plain


@pytest.mark.parametrize("path", ["/api/initiatives", "/api/clusters", "/api/facets", "/list", "/"])
@pytest.mark.parametrize(
    ("query", "field"),
    [("open_now=maybe", "open_now"), ("speaks=xx", "speaks"), ("speaks=arabic", "speaks"),
     ("speaks_only=perhaps&speaks=ar", "speaks_only")],
)
def test_bad_open_now_or_speaks_gets_400_naming_the_field(client, path, query, field):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    if path.startswith("/api"):
        assert response.json["field"] == field


def test_speaks_only_needs_a_language_in_the_api(client, sample):
    response = client.get("/api/initiatives?speaks_only=1")
    assert response.status_code == 400 and response.json["field"] == "speaks_only"


def test_openapi_documents_the_new_parameters(client):
    doc = client.get("/api/openapi.json").json
    for path in ("/api/initiatives", "/api/clusters", "/api/facets"):
        params = {p["name"]: p for p in doc["paths"][path]["get"]["parameters"]}
        assert {"open_now", "speaks", "speaks_only"} <= set(params)
        assert params["open_now"]["schema"]["type"] == "boolean"
    assert "time_zone" in doc["components"]["schemas"]["Initiative"]["properties"]


def test_speaks_ranks_the_api_results(client, sample):
    near = f"near={PADOVA[0]},{PADOVA[1]}"
    assert names(client.get(f"/api/initiatives?{near}").json) == ["Open Door", "Night Shelter", "Afternoon Desk", "Bench"]
    assert names(client.get(f"/api/initiatives?{near}&speaks=fa").json) == ["Bench", "Open Door", "Night Shelter",
                                                                           "Afternoon Desk"]
    assert names(client.get(f"/api/initiatives?{near}&speaks=fa&speaks_only=1").json) == ["Bench"]


# --- pages, without JavaScript ---------------------------------------------------------------

def card_names(html):
    return re.findall(r'class="card-title"><a href="/initiatives/\d+[^"]*">([^<]+)</a>', html)


def test_list_has_an_open_now_checkbox_that_works_without_javascript(client, sample):
    html = client.get("/list").get_data(as_text=True)
    box = re.search(r'<input type="checkbox" name="open_now" value="1"[^>]*>', html).group(0)
    assert "checked" not in box
    assert re.search(r'<form class="filters" id="filters" method="get" action="/list"', html)
    # What the browser sends when the box is ticked and the form submitted:
    html = client.get("/list?place=&radius_km=25&support=&open_now=1").get_data(as_text=True)
    assert card_names(html) == ["Open Door"]
    assert re.search(r'name="open_now" value="1" checked', html)


def test_cards_and_detail_say_open_or_closed_now(client, sample):
    html = client.get("/list").get_data(as_text=True)
    cards = dict(zip(card_names(html), re.split(r'class="card-title"', html)[1:], strict=True))
    assert "Open now" in cards["Open Door"] and "Closed now" not in cards["Open Door"]
    assert "Closed now" in cards["Afternoon Desk"]
    assert "Open now" not in cards["Bench"] and "Closed now" not in cards["Bench"]
    item = next(i for i in client.get("/api/initiatives").json["items"] if i["name"] == "Open Door")
    detail = client.get(f"/initiatives/{item['id']}").get_data(as_text=True)
    assert "Open now" in detail and "Local time: Italy Time" in detail


def test_list_in_a_language_puts_its_speakers_first_and_offers_the_checkbox(client, sample):
    html = client.get("/list?lang=en").get_data(as_text=True)
    assert "Speaks my language (English)" in html
    # The page is in English: the one listing that speaks English first, then the rest by name.
    assert card_names(html) == ["Night Shelter", "Afternoon Desk", "Bench", "Open Door"]
    farsi = client.get("/list?speaks=fa").get_data(as_text=True)
    assert "Speaks my language (Persian)" in farsi
    assert card_names(farsi)[0] == "Bench"
    only = client.get("/list?speaks=fa&speaks_only=1").get_data(as_text=True)
    assert card_names(only) == ["Bench"]
    assert re.search(r'name="speaks_only" value="1" checked', only)
    assert '<input type="hidden" name="speaks" value="fa">' in only  # kept when the form is sent again


def test_explicit_empty_speaks_turns_the_ranking_off(client, sample):
    ranked = card_names(client.get("/list?speaks=fa").get_data(as_text=True))
    plain = card_names(client.get("/list?speaks=").get_data(as_text=True))
    assert ranked[0] == "Bench" and plain == sorted(plain)
