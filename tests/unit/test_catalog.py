"""The catalog on a real (SQLite) database, without Flask requests."""

from datetime import date, timedelta

import pytest
from geopy.distance import geodesic

from tests.conftest import PADOVA, make_record
from wish import review
from wish.catalog import Catalog
from wish.extensions import db
from wish.query import parse_query

ROMA = (41.8933, 12.4829)
VENEZIA = (45.4408, 12.3155)
BERLIN = (52.5200, 13.4050)
PARIS = (48.8566, 2.3522)


def q(**params):
    return parse_query(params)


@pytest.fixture
def catalog(app):
    return Catalog(db.engine, check_seconds=0)


@pytest.fixture
def sample(add):
    add(
        make_record(ref="padova-it", name="Italiano Insieme", latitude=PADOVA[0], longitude=PADOVA[1],
                    support_types=["language-classes"], languages=["it", "ar"], target_groups=["women"]),
        make_record(ref="venezia-legal", name="Legal Desk Venezia", latitude=VENEZIA[0], longitude=VENEZIA[1],
                    city="Venezia", support_types=["legal-advice"], languages=["it", "fa"]),
        make_record(ref="roma-roma", name="Diritti Rom", latitude=ROMA[0], longitude=ROMA[1], city="Roma",
                    support_types=["anti-discrimination", "children-youth"], target_groups=["roma-sinti"]),
        make_record(ref="berlin-health", name="Gesundheit für Alle", latitude=BERLIN[0], longitude=BERLIN[1],
                    country="DE", city="Berlin", support_types=["health"], languages=["de", "uk"]),
        make_record(ref="paris-sante", name="Santé des Exilés", latitude=PARIS[0], longitude=PARIS[1],
                    country="FR", city="Paris", support_types=["health", "mental-health"], languages=["fr"],
                    description="Consultations médicales gratuites."),
    )


def names(page):
    return [item["name"] for item in page.items]


def test_without_filters_everything_is_sorted_by_name(catalog, sample):
    page = catalog.snapshot().search(q())
    assert page.total == 5
    assert names(page) == ["Diritti Rom", "Gesundheit für Alle", "Italiano Insieme", "Legal Desk Venezia",
                           "Santé des Exilés"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "DE,FR"}, {"Gesundheit für Alle", "Santé des Exilés"}),
        ({"country": ["IT"]}, {"Italiano Insieme", "Legal Desk Venezia", "Diritti Rom"}),
        ({"support": "health"}, {"Gesundheit für Alle", "Santé des Exilés"}),
        ({"support": "legal-advice,anti-discrimination"}, {"Legal Desk Venezia", "Diritti Rom"}),
        ({"target": "roma-sinti"}, {"Diritti Rom"}),
        ({"language": "fa"}, {"Legal Desk Venezia"}),
        ({"language": "ar,uk"}, {"Italiano Insieme", "Gesundheit für Alle"}),
        ({"country": "IT", "support": "health"}, set()),
        ({"bbox": "10,44,13,46"}, {"Italiano Insieme", "Legal Desk Venezia"}),
    ],
)
def test_each_filter_narrows_the_results(catalog, sample, params, expected):
    assert set(names(catalog.snapshot().search(q(**params)))) == expected


@pytest.mark.parametrize("text", ["sante", "SANTÉ", "santé exiles", "medicales", "paris"])
def test_text_search_ignores_case_and_accents(catalog, sample, text):
    assert names(catalog.snapshot().search(q(q=text))) == ["Santé des Exilés"]


def test_text_search_needs_every_word(catalog, sample):
    assert catalog.snapshot().search(q(q="sante berlin")).total == 0


def test_near_search_orders_by_distance_within_the_radius(catalog, sample):
    page = catalog.snapshot().search(q(near=f"{PADOVA[0]},{PADOVA[1]}", radius_km=100))
    assert names(page) == ["Italiano Insieme", "Legal Desk Venezia"]
    assert page.items[0]["distance_m"] == 0


def test_distances_agree_with_geopy_geodesic_within_one_percent(catalog, sample):
    page = catalog.snapshot().search(q(near=f"{PADOVA[0]},{PADOVA[1]}", radius_km=500, limit=10))
    expected = {"Legal Desk Venezia": VENEZIA, "Diritti Rom": ROMA}
    for item in page.items:
        if item["name"] in expected:
            truth = geodesic(PADOVA, expected[item["name"]]).meters
            assert abs(item["distance_m"] - truth) / truth < 0.01


def test_radius_edge_is_exact_not_a_box(catalog, add):
    # 0.25 degrees of longitude at Padova's latitude is about 19.5 km; a box of 20 km would include the corner.
    add(make_record(ref="east", name="East", latitude=PADOVA[0], longitude=PADOVA[1] + 0.25),
        make_record(ref="corner", name="Corner", latitude=PADOVA[0] + 0.16, longitude=PADOVA[1] + 0.22))
    page = catalog.snapshot().search(q(near=f"{PADOVA[0]},{PADOVA[1]}", radius_km=20))
    assert names(page) == ["East"]


def test_paging_slices_the_sorted_results(catalog, sample):
    first = catalog.snapshot().search(q(limit=2))
    second = catalog.snapshot().search(q(limit=2, offset=2))
    assert first.total == second.total == 5
    assert names(first) == ["Diritti Rom", "Gesundheit für Alle"]
    assert names(second) == ["Italiano Insieme", "Legal Desk Venezia"]


def test_nearest_ignores_the_radius(catalog, sample):
    found = catalog.snapshot().nearest(q(near=f"{BERLIN[0]},{BERLIN[1]}", radius_km=5, support="language-classes"))
    assert [i["name"] for i in found] == ["Italiano Insieme"]
    assert found[0]["distance_m"] > 500_000


def test_facets_count_by_country_and_support_ignoring_their_own_filter(catalog, sample):
    facets = catalog.snapshot().facets(q(country="IT", support="health"))
    assert facets.country == {"DE": 1, "FR": 1}  # health is offered in DE and FR
    assert facets.support["language-classes"] == 1 and facets.support["health"] == 0
    assert sum(catalog.snapshot().facets(q()).country.values()) == 5


@pytest.mark.parametrize("zoom", [0, 3, 5, 8, 12, 18])
def test_cluster_counts_add_up_to_the_matching_total(catalog, sample, zoom):
    snap = catalog.snapshot()
    clusters = snap.clusters(q(zoom=zoom))
    assert sum(c.count for c in clusters) == snap.search(q()).total == 5
    for cluster in clusters:
        if cluster.count == 1:
            assert cluster.id is not None and cluster.name
        else:
            assert cluster.id is None
            west, south, east, north = cluster.bounds
            assert west <= cluster.longitude <= east and south <= cluster.latitude <= north


def test_clusters_split_as_the_zoom_grows(catalog, sample):
    snap = catalog.snapshot()
    assert len(snap.clusters(q(zoom=0))) < len(snap.clusters(q(zoom=10))) == 5


def test_clusters_follow_filters_and_bbox(catalog, sample):
    clusters = catalog.snapshot().clusters(q(zoom=10, bbox="10,44,13,46", support="legal-advice"))
    assert [(c.count, c.name) for c in clusters] == [(1, "Legal Desk Venezia")]


def test_only_published_unexpired_placed_initiatives_are_in_the_catalog(catalog, add):
    add(
        make_record(ref="pub", name="Published"),
        make_record(ref="pend", name="Pending", status="pending"),
        make_record(ref="arch", name="Archived", status="archived"),
        make_record(ref="old", name="Expired", valid_until=date.today() - timedelta(days=1)),
        make_record(ref="season", name="Seasonal", valid_until=date.today()),
        make_record(ref="nowhere", name="Not placed", latitude=None, longitude=None, city="Qwertyville"),
    )
    assert set(names(catalog.snapshot().search(q()))) == {"Published", "Seasonal"}


def test_examples_can_be_hidden(app, add):
    add(make_record(ref="real", name="Real"), make_record(ref="demo", name="Demo", example=True))
    assert Catalog(db.engine, show_examples=True).snapshot().search(q()).total == 2
    assert names(Catalog(db.engine, show_examples=False).snapshot().search(q())) == ["Real"]


def test_catalog_catches_up_after_a_publish_without_restart(catalog, add):
    add(make_record(ref="first", name="First"))
    before = catalog.snapshot()
    assert before.search(q()).total == 1
    record = make_record(ref="second", name="Second")
    review.upsert(db.session, [record], actor="test")
    after = catalog.snapshot()
    assert after.version > before.version
    assert after.search(q()).total == 2
    archived = make_record(ref="second", name="Second", status="archived")
    review.upsert(db.session, [archived], actor="test")
    assert catalog.snapshot().search(q()).total == 1


def test_catalog_checks_the_stamp_at_most_once_per_interval(app, add):
    add(make_record(ref="a", name="A"))
    slow = Catalog(db.engine, check_seconds=3600)
    assert slow.snapshot().search(q()).total == 1
    add(make_record(ref="b", name="B"))
    assert slow.snapshot().search(q()).total == 1  # still the cached snapshot
    slow._checked_at = float("-inf")
    assert slow.snapshot().search(q()).total == 2


def test_expired_rows_leave_when_the_day_changes(app, add):
    add(make_record(ref="x", name="Until today", valid_until=date(2026, 11, 25)))
    day = [date(2026, 11, 25)]
    cat = Catalog(db.engine, check_seconds=0, today=lambda: day[0])
    assert cat.snapshot().search(q()).total == 1
    day[0] = date(2026, 11, 26)
    assert cat.snapshot().search(q()).total == 0


def test_get_returns_one_item_by_id(catalog, sample):
    snap = catalog.snapshot()
    item = snap.search(q(q="venezia")).items[0]
    assert snap.get(item["id"])["name"] == "Legal Desk Venezia"
    assert snap.get(999_999) is None


def test_empty_catalog_answers_every_query(catalog):
    snap = catalog.snapshot()
    assert snap.search(q(near="45,11")).total == 0
    assert snap.clusters(q()) == []
    assert snap.facets(q()).country == {}
    assert snap.nearest(q(near="45,11")) == []


def test_suggestions_when_nothing_is_near(catalog, sample):
    query = q(near=f"{BERLIN[0]},{BERLIN[1]}", radius_km=10, support="language-classes", language="ar")
    snap = catalog.snapshot()
    assert snap.search(query).total == 0
    found = snap.suggest(query)
    assert [i["name"] for i in found.nearest] == ["Italiano Insieme"]
    assert found.without == {"support": 0, "language": 0, "near": 1}  # only dropping "near" finds Padova


def test_big_catalogs_rebuild_in_the_background_while_the_old_one_answers(app, add, monkeypatch):
    import time

    import wish.catalog

    add(make_record(ref="a", name="A"))
    cat = Catalog(db.engine, check_seconds=0)
    old = cat.snapshot()
    monkeypatch.setattr(wish.catalog, "INLINE_REBUILD_MAX", 0)  # treat this catalog as big
    add(make_record(ref="b", name="B"))
    assert cat.snapshot() is old  # answers at once with the previous version
    deadline = time.monotonic() + 10
    while cat.snapshot() is old and time.monotonic() < deadline:
        time.sleep(0.02)
    assert cat.snapshot().search(q()).total == 2
