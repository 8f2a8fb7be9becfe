"""Open now and speaks-my-language on a catalog snapshot, with a fixed `now`."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import orjson
import pytest

from wish import hours
from wish.catalog import PUBLIC_FIELDS, Snapshot
from wish.query import parse_query

LISBON = (38.7223, -9.1393)
HELSINKI = (60.1699, 24.9384)
BERLIN = (52.5200, 13.4050)
CANARY = (28.1235, -15.4363)  # Las Palmas: an hour behind Madrid
MADRID = (40.4168, -3.7038)
MONDAY_0830_UTC = datetime(2026, 1, 12, 8, 30, tzinfo=UTC)


def row(id_, name, country, point, opening="", languages=("en",)):
    data = dict.fromkeys(PUBLIC_FIELDS, "")
    data.update(id=id_, ref=f"r{id_}", name=name, country=country, latitude=point[0], longitude=point[1],
                support_types="[]", target_groups="[]", languages=orjson.dumps(list(languages)).decode(),
                opening_hours=orjson.dumps(hours.parse(opening)).decode(), verified=None, valid_until=None,
                example=False, updated=None, location_precision="city")
    return tuple(data[f] for f in PUBLIC_FIELDS)


def names(page):
    return [item["name"] for item in page.items]


def q(**params):
    return parse_query(params)


@pytest.fixture
def snap():
    return Snapshot([
        row(1, "Lisbon mornings", "PT", LISBON, "Mo 08:00-09:00"),
        row(2, "Helsinki mornings", "FI", HELSINKI, "Mo 08:00-09:00"),
        row(3, "Helsinki late mornings", "FI", HELSINKI, "Mo 10:00-11:00"),
        row(4, "Berlin night shelter", "DE", BERLIN, "Su 20:00-09:00"),
        row(5, "No hours", "DE", BERLIN, ""),
        row(6, "Canary mornings", "ES", CANARY, "Mo 08:00-09:00"),
        row(7, "Madrid mornings", "ES", MADRID, "Mo 09:00-10:00"),
    ])


def test_items_say_their_time_zone(snap):
    zones_by_name = {i["name"]: i["time_zone"] for i in snap.search(q(limit=20)).items}
    assert zones_by_name["Lisbon mornings"] == "Europe/Lisbon"
    assert zones_by_name["Canary mornings"] == "Atlantic/Canary"
    assert zones_by_name["Madrid mornings"] == "Europe/Madrid"


def test_open_now_is_decided_in_each_initiatives_own_zone(snap):
    # Monday 08:30 UTC: Lisbon and the Canaries 08:30, Madrid and Berlin 09:30, Helsinki 10:30.
    page = snap.search(q(open_now="1", limit=20), now=MONDAY_0830_UTC)
    assert sorted(names(page)) == ["Canary mornings", "Helsinki late mornings", "Lisbon mornings", "Madrid mornings"]
    an_hour_later = snap.search(q(open_now="1", limit=20), now=MONDAY_0830_UTC + timedelta(hours=1))
    assert names(an_hour_later) == []


def test_open_now_counts_a_night_on_the_day_it_ends(snap):
    # The Sunday-night shelter is open on Monday at 08:30 in Berlin (07:30 UTC), not at 09:00.
    assert "Berlin night shelter" in names(snap.search(q(open_now="1"), now=datetime(2026, 1, 12, 7, 30, tzinfo=UTC)))
    assert "Berlin night shelter" not in names(snap.search(q(open_now="1"), now=datetime(2026, 1, 12, 8, 0, tzinfo=UTC)))


def test_open_now_narrows_clusters_facets_and_near_search_alike(snap):
    now = MONDAY_0830_UTC
    query = q(open_now="1", bbox="-30,20,40,70", zoom="3")
    assert sum(c.count for c in snap.clusters(query, now)) == 4
    assert snap.facets(query, now).country == {"ES": 2, "FI": 1, "PT": 1}
    near = snap.search(q(open_now="1", near=f"{MADRID[0]},{MADRID[1]}", radius_km="500"), now=now)
    assert names(near) == ["Madrid mornings"]
    assert snap.suggest(q(open_now="1", near=f"{BERLIN[0]},{BERLIN[1]}", radius_km="5"), now).without["open_now"] == 2


def reference_open(schedule: dict, zone: str, now: datetime) -> bool:
    """Independent of wish.hours' week arithmetic: today's ranges, then yesterday's that run past midnight."""
    here = now.astimezone(UTC).astimezone(ZoneInfo(zone))
    clock = here.strftime("%H:%M")
    today, yesterday = hours.DAYS[here.weekday()], hours.DAYS[here.weekday() - 1]
    for start, end in schedule.get(today, []):
        if start <= clock < end or (end <= start and clock >= start):
            return True
    return any(end <= start and clock < end for start, end in schedule.get(yesterday, []))


def random_schedule(rng: random.Random) -> str:
    parts = []
    for day in rng.sample(range(7), rng.randint(1, 4)):
        start = rng.randint(0, 23 * 4) * 15
        length = rng.randint(1, 14 * 4) * 15
        end = (start + length) % 1440
        if end <= 120 and start + length < 1440:
            continue
        parts.append(f"{hours.DAYS[day].capitalize()} {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}")
    return "; ".join(parts)


def test_vectorised_open_now_agrees_with_a_plain_reference_over_many_zones_and_instants():
    rng = random.Random(8)
    points = [("PT", LISBON), ("FI", HELSINKI), ("DE", BERLIN), ("ES", CANARY), ("ES", MADRID),
              ("GB", (51.5074, -0.1278)), ("TR", (41.0082, 28.9784)), ("RU", (54.7104, 20.4522)),
              ("RU", (53.1959, 50.1002)), ("AZ", (40.4093, 49.8671))]
    rows, schedules = [], {}
    for i in range(1, 400):
        country, point = rng.choice(points)
        while True:
            try:
                text = random_schedule(rng)
                schedule = hours.parse(text)
                break
            except ValueError:
                continue
        rows.append(row(i, f"n{i}", country, point, text))
        schedules[i] = schedule
    snap = Snapshot(rows)
    zone_of = {item["id"]: item["time_zone"] for item in snap.search(q(limit=200)).items}
    zone_of.update({item["id"]: item["time_zone"] for item in snap.search(q(limit=200, offset=200)).items})
    # Random instants, plus both daylight-saving changes of 2026 in the EU and around midnight.
    instants = [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 366 * 1440)) for _ in range(60)]
    instants += [datetime(2026, 3, 29, 0, 59, tzinfo=UTC) + timedelta(minutes=m) for m in (0, 1, 30, 61)]
    instants += [datetime(2026, 10, 25, 0, 30, tzinfo=UTC) + timedelta(minutes=m) for m in (0, 30, 60, 90)]
    for now in instants:
        mask = snap.open_at(now)
        expected = [reference_open(schedules[int(i)], zone_of[int(i)], now) for i in snap.ids]
        assert mask.tolist() == expected, now


def test_open_at_is_cached_for_the_minute_only(snap):
    first = snap.open_at(MONDAY_0830_UTC)
    assert snap.open_at(MONDAY_0830_UTC + timedelta(seconds=59)) is first
    assert snap.open_at(MONDAY_0830_UTC + timedelta(minutes=31)) is not first


# --- speaks my language --------------------------------------------------------------------

@pytest.fixture
def talkers():
    # Along a line from Padova: a, b, c, d, e at 0, 1, 2, 3, 4 km (roughly), names in reverse.
    base = (45.4064, 11.8768)
    spec = [("e", ["it"]), ("d", ["it", "ar"]), ("c", ["it"]), ("b", ["ar"]), ("a", ["it", "fa"])]
    return Snapshot([row(i + 1, name, "IT", (base[0] + i * 0.009, base[1]), "", langs)
                     for i, (name, langs) in enumerate(spec)])


def test_speaks_puts_speakers_first_each_group_in_name_order(talkers):
    assert names(talkers.search(q())) == ["a", "b", "c", "d", "e"]
    assert names(talkers.search(q(speaks="ar"))) == ["b", "d", "a", "c", "e"]


def test_speaks_puts_speakers_first_each_group_nearest_first(talkers):
    near = "45.4064,11.8768"
    assert names(talkers.search(q(near=near))) == ["e", "d", "c", "b", "a"]
    page = talkers.search(q(near=near, speaks="ar"))
    assert names(page) == ["d", "b", "e", "c", "a"]
    assert page.distances[0] < page.distances[1] and page.distances[2] < page.distances[3] < page.distances[4]
    # Paging cuts the same order, also across the boundary between the groups.
    pages = [names(talkers.search(q(near=near, speaks="ar", limit="2", offset=str(o)))) for o in (0, 2, 4)]
    assert sum(pages, []) == ["d", "b", "e", "c", "a"]


def test_speaks_only_keeps_the_speakers(talkers):
    assert names(talkers.search(q(speaks="ar", speaks_only="1"))) == ["b", "d"]
    assert names(talkers.search(q(speaks="uk", speaks_only="1"))) == []


def test_a_language_nobody_speaks_leaves_the_order_alone(talkers):
    assert names(talkers.search(q(speaks="uk"))) == ["a", "b", "c", "d", "e"]
