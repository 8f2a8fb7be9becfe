"""Light on slow phones: the list and detail pages without JavaScript, and first results on a
throttled connection."""

import json
import random
import struct
import time
import zlib

import pytest

from tests.browser import conftest
from tests.browser.conftest import ARTIFACTS, PHONE, screenshot, watched_page

# About 400 kbit/s each way with 400 ms latency: a weak mobile connection.
SLOW = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
FIRST_RESULTS_WITHIN_S = 5.0


def noise_png(side: int) -> bytes:
    """A valid PNG that does not compress: about the weight of a real map tile (15 KB)."""
    rng = random.Random(side)
    rows = b"".join(b"\0" + rng.randbytes(side * 3) for _ in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


@pytest.fixture
def real_weight_tiles(monkeypatch):
    """Tiles as heavy as real ones: on a slow line they compete with the results for bandwidth."""
    monkeypatch.setattr(conftest, "TILE", noise_png(70))


def test_search_page_and_open_a_listing_without_javascript(live_server, nojs_page):
    page, _ = nojs_page
    page.goto(live_server + "/list")
    page.fill("#f-place", "Padova")
    page.select_option("#f-radius_km", "500")
    page.click("button[type=submit]")
    assert "place=Padova" in page.url
    heading = page.locator("#results-heading").inner_text()
    assert "near Padua" in heading and page.locator(".results .card").count() == 20
    first_distance = page.locator(".results .card .where strong").first.inner_text()
    page.click("a[rel=next]")
    assert "page=2" in page.url and "place=Padova" in page.url
    assert page.locator("#results-heading").inner_text() == heading
    assert page.locator(".results .card .where strong").first.inner_text() != first_distance
    link = page.locator(".results .card-title a").first
    name = link.inner_text()
    link.click()
    assert "/initiatives/" in page.url
    assert page.locator("h1").inner_text() == name
    assert page.locator(".facts").is_visible() and page.locator("a.action-directions").count() == 1
    screenshot(page, "detail-nojs-phone")
    page.click("text=Back to the list")
    assert page.locator(".results .card").count() == 20


@pytest.mark.parametrize(("path", "ready"), [
    ("/", "() => document.querySelectorAll('#results .card').length > 0 && document.querySelector('.leaflet-marker-icon') !== null"),
    ("/list", "() => document.querySelectorAll('.results .card').length > 0"),
])
def test_first_results_show_within_5_seconds_on_a_slow_connection(live_server, browser, real_weight_tiles, path, ready):
    with watched_page(browser, PHONE) as (page, _):
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW)
        sizes: dict[str, int] = {}
        urls: dict[str, str] = {}
        cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
        started = time.monotonic()
        page.goto(live_server + path, wait_until="commit")
        page.wait_for_function(ready, polling=50, timeout=30_000)
        elapsed = time.monotonic() - started
        assert page.locator(".card").first.is_visible()
        page.wait_for_load_state("load")
        if path == "/":  # the tiles waited for the results, then came
            page.wait_for_function("() => document.querySelectorAll('.leaflet-tile-loaded').length >= 6", timeout=30_000)
            timing = page.evaluate("""() => {
                const all = performance.getEntriesByType('resource');
                const api = all.find(e => e.name.includes('/api/initiatives'));
                const tiles = all.filter(e => e.name.endsWith('.png'));
                return {results: api.responseEnd, firstTile: Math.min(...tiles.map(e => e.startTime))};
            }""")
            assert timing["firstTile"] >= timing["results"], timing
        page.wait_for_timeout(300)  # the last loadingFinished events
        # The figures for the record (docs and reports), kept beside the screenshots.
        ARTIFACTS.mkdir(exist_ok=True)
        transferred = {urls[r].replace(live_server, ""): n for r, n in sizes.items() if r in urls}
        name = "map" if path == "/" else "list"
        (ARTIFACTS / f"throttled-{name}.json").write_text(json.dumps(
            {"first_results_s": round(elapsed, 2), "bytes": sum(transferred.values()), "requests": transferred}, indent=1))
        assert elapsed < FIRST_RESULTS_WITHIN_S, f"first results after {elapsed:.1f} s"
