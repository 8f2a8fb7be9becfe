"""Light pages: small enough for slow data, assets compressed at their best and cached for a year."""

import gzip
import re

import brotli

from tests.conftest import make_record


def _assets(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/static/[^"]+\?v=[0-9a-f]+)"', html)


def test_detail_page_of_a_full_listing_and_its_css_is_under_30_kb_compressed(client, add):
    add(make_record(ref="full", name="A full listing " * 5, organisation="An association " * 5, description="d " * 1000,
                    address="Via Roma 12", postcode="35122", website="https://example.org/a/long/path",
                    email="hello@example.org", phone="+39 049 000 0000", whatsapp="+39 333 000 0000",
                    opening_hours="Mo 09:00-12:00,14:00-18:00; Tu 09:00-12:00; We 09:00-12:00; Th 09:00-12:00; Fr 09:00-12:00; Sa 09:00-12:00", opening_hours_note="n " * 100,
                    support_types=["language-classes", "legal-advice", "health", "food"],
                    target_groups=["women", "children", "everyone"], languages=["it", "en", "ar", "fa", "uk", "fr"]))
    item_id = client.get("/api/initiatives").json["items"][0]["id"]
    page = client.get(f"/initiatives/{item_id}")
    html = page.get_data()
    assert b"d d d" in html and b"hello@example.org" in html  # the whole listing is on it
    assets = [client.get(path).get_data() for path in _assets(page.get_data(as_text=True)) if ".css" in path]
    total = len(gzip.compress(html)) + sum(len(gzip.compress(body)) for body in assets)
    assert assets and total < 30 * 1024, total


def test_every_asset_of_every_public_page_is_cached_for_a_year_and_compressed(client, add):
    add(make_record(ref="x", name="X"))
    item_id = client.get("/api/initiatives").json["items"][0]["id"]
    seen = set()
    for page in ("/", "/list", f"/initiatives/{item_id}"):
        seen.update(_assets(client.get(page).get_data(as_text=True)))
    assert any("leaflet.js" in path for path in seen) and any("wish.css" in path for path in seen)
    for path in seen:
        response = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
        assert "max-age=31536000" in response.headers["Cache-Control"] and "immutable" in response.headers["Cache-Control"], path
        body = response.get_data()
        if path.split("?")[0].endswith((".js", ".css", ".svg")):
            assert response.headers.get("Content-Encoding") == "br", path
            assert "Accept-Encoding" in response.headers.get("Vary", ""), path
            plain = client.get(path, headers={"Accept-Encoding": "identity"}).get_data()
            assert brotli.decompress(body) == plain, path


def test_leaflet_leaves_at_brotli_best_and_as_gzip_for_older_browsers(client):
    html = client.get("/").get_data(as_text=True)
    leaflet = next(path for path in _assets(html) if "leaflet.js" in path)
    plain = client.get(leaflet, headers={"Accept-Encoding": "identity"}).get_data()
    best = client.get(leaflet, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert best.headers["Content-Encoding"] == "br" and brotli.decompress(best.get_data()) == plain
    assert int(best.headers["Content-Length"]) < 40_000  # 37 KB of 148 KB; the fast streamed level gave 59 KB
    older = client.get(leaflet, headers={"Accept-Encoding": "gzip"})
    assert older.headers["Content-Encoding"] == "gzip" and gzip.decompress(older.get_data()) == plain
