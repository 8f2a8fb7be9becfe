"""The JSON API through the Flask test client."""

import gzip
import json

import pytest

from tests.conftest import PADOVA, make_record

ROMA = (41.8933, 12.4829)


@pytest.fixture
def sample(add):
    add(
        make_record(ref="padova", name="Italiano Insieme", support_types=["language-classes"], languages=["it", "ar"]),
        make_record(ref="roma", name="Diritti Rom", latitude=ROMA[0], longitude=ROMA[1], city="Roma",
                    support_types=["anti-discrimination"], target_groups=["roma-sinti"]),
        make_record(ref="paris", name="Santé des Exilés", latitude=48.8566, longitude=2.3522, country="FR",
                    city="Paris", support_types=["health"], languages=["fr"]),
    )


def test_healthz_answers_ok(client, sample):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "initiatives": 3}


def test_initiatives_lists_items_and_total(client, sample):
    body = client.get("/api/initiatives").json
    assert body["total"] == 3 and [i["name"] for i in body["items"]] == ["Diritti Rom", "Italiano Insieme",
                                                                         "Santé des Exilés"]
    assert "distance_m" not in body["items"][0]
    assert body["items"][0]["verified"] == "2026-10-01"


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("country=FR", ["Santé des Exilés"]),
        ("country=it&country=fr", ["Diritti Rom", "Italiano Insieme", "Santé des Exilés"]),
        ("support=health", ["Santé des Exilés"]),
        ("target=roma-sinti", ["Diritti Rom"]),
        ("language=ar", ["Italiano Insieme"]),
        ("q=SANTE", ["Santé des Exilés"]),
        ("bbox=10,40,13,43", ["Diritti Rom"]),
        (f"near={ROMA[0]},{ROMA[1]}&radius_km=500", ["Diritti Rom", "Italiano Insieme"]),
        ("limit=1&offset=1", ["Italiano Insieme"]),
        ("limit=0", []),
    ],
)
def test_every_parameter_filters(client, sample, query, names):
    assert [i["name"] for i in client.get(f"/api/initiatives?{query}").json["items"]] == names


def test_near_adds_distance_in_metres(client, sample):
    items = client.get(f"/api/initiatives?near={PADOVA[0]},{PADOVA[1]}&radius_km=500").json["items"]
    assert items[0]["distance_m"] == 0 and 390_000 < items[1]["distance_m"] < 410_000


BAD = [
    ("near=91,10", "near"),
    ("near=45,181", "near"),
    ("near=45", "near"),
    ("near=north,south", "near"),
    ("radius_km=-1", "radius_km"),
    ("radius_km=501", "radius_km"),
    ("radius_km=far", "radius_km"),
    ("radius_km=nan", "radius_km"),
    ("country=XX", "country"),
    ("country=US", "country"),
    ("support=cooking", "support"),
    ("target=aliens", "target"),
    ("language=xx", "language"),
    ("bbox=10,40,5,45", "bbox"),
    ("bbox=5,45,10,40", "bbox"),
    ("bbox=1,2,3", "bbox"),
    ("bbox=a,b,c,d", "bbox"),
    ("bbox=-200,0,0,1", "bbox"),
    ("limit=abc", "limit"),
    ("limit=-1", "limit"),
    ("limit=201", "limit"),
    ("offset=-5", "offset"),
    ("offset=x", "offset"),
    ("zoom=99", "zoom"),
    ("q=" + "x" * 201, "q"),
    ("colour=red", "colour"),
]


@pytest.mark.parametrize("path", ["/api/initiatives", "/api/initiatives.geojson", "/api/clusters", "/api/facets"])
@pytest.mark.parametrize(("query", "field"), BAD)
def test_bad_input_gets_400_naming_the_field(client, path, query, field):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.json["error"] == "invalid_query"
    assert response.json["field"] == field
    assert response.json["message"]


@pytest.mark.parametrize(
    "query",
    ["near=%00", "bbox=,,,", "country=", "limit=1e400", "radius_km=1e400", "near=1e400,0", "q=%ff%fe",
     "zoom=", "offset=99999999999999999999", "support=%3Cscript%3E", "near=45,11&near=abc"],
)
def test_odd_input_never_causes_a_500(client, sample, query):
    assert client.get(f"/api/initiatives?{query}").status_code in (200, 400)
    assert client.get(f"/api/clusters?{query}").status_code in (200, 400)


def test_unknown_id_is_404_json(client, sample):
    response = client.get("/api/initiatives/999999")
    assert response.status_code == 404 and response.json["error"] == "not_found"
    assert client.get("/api/initiatives/abc").status_code == 404
    assert client.get("/api/nothing-here").json["error"] == "not_found"


def test_one_initiative_by_id(client, sample):
    first = client.get("/api/initiatives?q=roma").json["items"][0]
    assert client.get(f"/api/initiatives/{first['id']}").json["name"] == "Diritti Rom"


def test_geojson_is_rfc7946_longitude_first(client, sample):
    response = client.get("/api/initiatives.geojson?country=FR")
    assert response.mimetype == "application/geo+json"
    body = json.loads(response.data)
    assert body["type"] == "FeatureCollection"
    feature = body["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [2.3522, 48.8566]}
    assert feature["properties"]["name"] == "Santé des Exilés" and "latitude" not in feature["properties"]


def test_clusters_count_every_match(client, sample):
    body = client.get("/api/clusters?zoom=2&bbox=-20,30,40,70").json
    assert body["total"] == 3 == sum(c["count"] for c in body["clusters"])
    singles = [c for c in body["clusters"] if c["count"] == 1]
    assert all(c["id"] and c["name"] for c in singles)


def test_facets_for_the_current_filters(client, sample):
    body = client.get("/api/facets?country=IT").json
    assert body["support"]["language-classes"] == 1 and body["support"]["health"] == 0
    assert body["country"] == {"IT": 2, "FR": 1}


def test_taxonomy_lists_terms(client):
    body = client.get("/api/taxonomy").json
    assert len(body["support_types"]) >= 14 and body["support_types"][0]["label"]
    assert {"code": "IT", "name": "Italy"} in body["countries"]


def test_etag_changes_with_the_catalog_and_304_when_unchanged(client, add, sample):
    first = client.get("/api/initiatives")
    etag = first.headers["ETag"].strip('"')
    assert client.get("/api/initiatives", headers={"If-None-Match": f'"{etag}"'}).status_code == 304
    assert client.get("/api/initiatives?country=IT").headers["ETag"] != first.headers["ETag"]
    add(make_record(ref="new", name="New"))
    again = client.get("/api/initiatives", headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 200 and again.json["total"] == 4


def test_responses_are_gzipped_when_accepted(client, sample):
    response = client.get("/api/initiatives", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.data))["total"] == 3
    assert client.get("/api/initiatives").headers.get("Content-Encoding") is None


def test_openapi_is_generated_from_the_query_model(client):
    doc = client.get("/api/openapi.json").json
    assert doc["openapi"].startswith("3.")
    params = {p["name"]: p for p in doc["paths"]["/api/initiatives"]["get"]["parameters"]}
    assert {"country", "support", "target", "language", "q", "near", "radius_km", "bbox", "limit", "offset"} <= set(params)
    assert params["radius_km"]["schema"]["maximum"] == 500
    assert params["limit"]["schema"]["maximum"] == 200
    assert "zoom" in {p["name"] for p in doc["paths"]["/api/clusters"]["get"]["parameters"]}
