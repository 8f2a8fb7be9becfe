"""Open now on the map: the checkbox, the URL, and the browser's open/closed agreeing with Python."""

from datetime import UTC, datetime, timedelta

import requests

from tests.browser.test_map import loaded, marker_total, open_filters
from wish import hours

SCHEDULES = ["Mo 09:00-12:00", "Fr 22:00-02:00", "Su 20:00-08:00", "Mo 18:00-24:00; Tu 00:00-02:00",
             "Su 01:00-04:00", "Su 02:00-03:00", "Mo 08:00-09:00; We 10:00-11:30"]
ZONES = ["Europe/Berlin", "Europe/Lisbon", "Europe/Helsinki", "Atlantic/Canary", "Europe/Moscow"]


def instants():
    start = datetime(2026, 3, 28, 20, 0, tzinfo=UTC)  # around the spring change, every 30 minutes
    found = [start + timedelta(minutes=30 * k) for k in range(16)]
    start = datetime(2026, 10, 24, 20, 0, tzinfo=UTC)  # around the autumn change
    found += [start + timedelta(minutes=30 * k) for k in range(16)]
    found += [datetime(2026, 11, 27, 21, 0, tzinfo=UTC) + timedelta(hours=k) for k in range(60)]  # a weekend
    return found


def test_the_browser_decides_open_now_as_the_server_does(live_server, phone_page):
    phone_page, _ = phone_page
    phone_page.goto(live_server + "/")
    loaded(phone_page)
    cases = [(s, z, t) for s in SCHEDULES for z in ZONES for t in instants()]
    expected = [hours.is_open(hours.parse(s), z, t) for s, z, t in cases]
    got = phone_page.evaluate(
        "cases => cases.map(c => WISH.openAt(c[0], c[1], new Date(c[2])))",
        [[hours.parse(s), z, t.isoformat()] for s, z, t in cases],
    )
    assert got == expected


def test_open_now_checkbox_filters_the_map_and_stays_in_the_url(live_server, live_app, phone_page):
    # One fixed instant for the map and for the API it is compared with (what is open changes hourly).
    live_app.config["WISH_CLOCK"] = lambda: datetime(2026, 11, 25, 17, 30, tzinfo=UTC)
    try:
        _check_the_open_now_checkbox(live_server, phone_page)
    finally:
        live_app.config.pop("WISH_CLOCK")


def _check_the_open_now_checkbox(live_server, phone_page):
    page, _ = phone_page
    asked = []  # the map's own cluster requests: what is open depends on the hour and the visible area
    page.on("request", lambda r: "/api/clusters" in r.url and asked.append(r.url))
    page.goto(live_server + "/")
    seq = loaded(page)
    before = marker_total(page)
    open_filters(page)
    page.check("input[name=open_now]")
    loaded(page, seq)
    last = asked[-1]
    assert "open_now=1" in page.url and "open_now=1" in last
    shown = marker_total(page)
    assert shown == requests.get(last, timeout=10).json()["total"] and shown <= before
    every = requests.get(last.replace("open_now=1&", "").replace("&open_now=1", ""), timeout=10).json()["total"]
    assert 0 < shown < every  # at 18:30 on a Wednesday in Italy, some places are open and some closed
    page.reload()
    loaded(page)
    open_filters(page)
    assert page.is_checked("input[name=open_now]")


def test_list_checkboxes_work_without_javascript(live_server, nojs_page):
    page, _ = nojs_page
    page.goto(live_server + "/list")
    page.check("input[name=open_now]")
    before = requests.get(f"{live_server}/api/initiatives?limit=0&open_now=1&speaks=en", timeout=10).json()["total"]
    page.click("button[type=submit]")
    after = requests.get(f"{live_server}/api/initiatives?limit=0&open_now=1&speaks=en", timeout=10).json()["total"]
    assert "open_now=1" in page.url
    shown = int(page.locator("#results-heading").inner_text().split()[0])
    assert shown in (before, after)
    assert page.is_checked("input[name=open_now]")
    # The page is in English (the context's locale): "Speaks my language (English)".
    page.goto(live_server + "/list")
    label = page.locator("label", has=page.locator("input[name=speaks_only]")).inner_text()
    assert "(English)" in label
    page.check("input[name=speaks_only]")
    page.click("button[type=submit]")
    assert "speaks_only=1" in page.url
    expected = requests.get(f"{live_server}/api/initiatives?limit=0&speaks=en&speaks_only=1", timeout=10).json()["total"]
    assert page.locator("#results-heading").inner_text().startswith(f"{expected} result")
