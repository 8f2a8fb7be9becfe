"""Server-rendered public pages: results, escaping, headers, size."""

import gzip
import re

import pytest

from tests.conftest import PADOVA, make_record

XSS = "<img src=x onerror=window.__xss=1>"


@pytest.fixture
def many(add):
    add(*[make_record(ref=f"n{i:02d}", name=f"Initiative {i:02d}", latitude=PADOVA[0] + i / 1000,
                      longitude=PADOVA[1], description="d" * 200, opening_hours="Mo 09:00-12:00; We 14:00-18:00",
                      website=f"https://example.org/{i}", phone="+39 049 000 0000")
          for i in range(45)])


def test_list_page_pages_by_twenty_with_next_and_previous(client, many):
    first = client.get("/list").get_data(as_text=True)
    assert first.count('class="card"') == 20
    assert "Initiative 00" in first and "Initiative 20" not in first
    assert 'rel="next" href="/list?page=2"' in first and 'rel="prev"' not in first
    third = client.get("/list?page=3").get_data(as_text=True)
    assert third.count('class="card"') == 5 and 'rel="prev" href="/list?page=2"' in third
    assert 'rel="next"' not in third


def test_list_page_shows_the_same_results_as_the_api(client, many, add):
    add(make_record(ref="food", name="Food Bank", support_types=["food"], latitude=45.5, longitude=12.0))
    query = f"support=food,language-classes&near={PADOVA[0]},{PADOVA[1]}&radius_km=30"
    api = [i["name"] for i in client.get(f"/api/initiatives?{query}").json["items"]]
    html = client.get(f"/list?{query}").get_data(as_text=True)
    shown = re.findall(r'class="card-title"><a href="/initiatives/\d+">([^<]+)</a>', html)
    assert shown == api and len(shown) == 20


def test_place_is_geocoded_on_the_server(client, add):
    add(make_record(ref="pd", name="In Padova"), make_record(ref="rm", name="In Roma", latitude=41.89, longitude=12.48))
    html = client.get("/list?place=Padua&radius_km=25").get_data(as_text=True)
    assert "In Padova" in html and "In Roma" not in html
    assert "1 result near Padua" in html
    arabic = client.get("/list?place=%D8%A8%D8%A7%D8%AF%D9%88%D9%81%D8%A7").get_data(as_text=True)
    assert "In Padova" in arabic and "In Roma" not in arabic


def test_unknown_place_says_so_and_still_lists(client, add):
    add(make_record(ref="pd", name="In Padova"))
    html = client.get("/list?place=Qwertyuiopville").get_data(as_text=True)
    assert "We could not find this place." in html and "In Padova" in html


def test_nothing_found_offers_nearest_and_wider_searches(client, add):
    add(make_record(ref="pd", name="In Padova", support_types=["food"]))
    html = client.get("/list?place=Berlin&radius_km=5&support=food").get_data(as_text=True)
    assert "Nothing matches your search here." in html
    assert "Nearest matches further away" in html and "In Padova" in html
    assert "anywhere, not only near this place" in html


@pytest.mark.parametrize("path", ["/list?page=0", "/list?page=x", "/list?radius_km=900", "/list?country=ZZ",
                                  "/?support=nope", "/list?bbox=1,2"])
def test_bad_page_parameters_get_a_400_page_not_a_500(client, path):
    response = client.get(path)
    assert response.status_code == 400 and response.mimetype == "text/html"


def test_detail_page_shows_everything_public(client, add):
    add(make_record(ref="d", name="Detail", description="All about it", whatsapp="+44 7700 900123",
                    email="hi@example.org", opening_hours_note="By appointment"))
    item = client.get("/api/initiatives").json["items"][0]
    html = client.get(f"/initiatives/{item['id']}").get_data(as_text=True)
    for text in ("Detail", "All about it", "By appointment", "Language classes", "Italian", "Verified on",
                 "https://wa.me/447700900123", "mailto:hi@example.org", f"geo:{PADOVA[0]},{PADOVA[1]}",
                 f"/?focus={item['id']}"):
        assert text in html, text
    assert client.get("/initiatives/424242").status_code == 404


def test_listing_text_is_escaped_on_list_and_detail(client, add):
    add(make_record(ref="x", name=f"Evil {XSS}", description=XSS, city=XSS, opening_hours_note=XSS,
                    organisation=XSS, website="https://example.org/<script>"))
    item_id = client.get("/api/initiatives").json["items"][0]["id"]
    for path in ("/list", f"/initiatives/{item_id}", "/?q=evil"):
        html = client.get(path).get_data(as_text=True)
        assert "<img src=x" not in html and "<script>\"" not in html
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in client.get("/list").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/list", "/initiatives/1", "/api/initiatives", "/nope"])
def test_security_headers_and_no_cookies_on_public_pages(client, add, path):
    add(make_record(ref="x", name="X"))
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Set-Cookie" not in response.headers


def test_nonce_differs_per_response_and_marks_the_inline_script(client):
    first, second = client.get("/"), client.get("/")
    nonce = re.search(r"'nonce-([^']+)'", first.headers["Content-Security-Policy"]).group(1)
    assert nonce not in second.headers["Content-Security-Policy"]
    html = first.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)


def test_map_page_embeds_no_listing_and_loads_nothing_from_a_cdn(client, many):
    html = client.get("/").get_data(as_text=True)
    assert "Initiative 00" not in html
    assert "L.marker" not in html
    assert not re.search(r'(src|href)="https?://(?!www\.wikipedia\.org)', html)
    assert "cdn" not in html.lower()
    assert "/static/vendor/leaflet-1.9.4/leaflet.js?v=" in html


def test_static_files_are_fingerprinted_and_cached_long(client):
    html = client.get("/list").get_data(as_text=True)
    css = re.search(r'href="(/static/css/wish.css\?v=[0-9a-f]+)"', html).group(1)
    response = client.get(css)
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"] and "max-age=31536000" in response.headers["Cache-Control"]


def test_list_page_with_twenty_results_and_its_css_is_under_30_kb_compressed(client, many):
    html = client.get("/list").get_data()
    assert html.count(b'class="card"') == 20
    css = client.get("/static/css/wish.css").get_data()
    total = len(gzip.compress(html)) + len(gzip.compress(css))
    assert total < 30 * 1024, total


def test_list_page_needs_no_javascript(client, many):
    html = client.get("/list").get_data(as_text=True)
    assert 'action="/list"' in html and 'method="get"' in html
    scripts = re.findall(r"<script[^>]*src=\"([^\"]+)\"", html)
    assert scripts == [s for s in scripts if "exit.js" in s]  # only the optional quick-exit helper


def test_static_assets_are_compressed_for_browsers(client):
    for path in ("/static/js/map.js", "/static/vendor/leaflet-1.9.4/leaflet.js", "/static/css/wish.css"):
        plain = client.get(path).get_data()
        response = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
        assert response.headers["Content-Encoding"] in ("br", "deflate")
        assert len(response.get_data()) < len(plain) / 2


def test_cards_show_the_address(client, add):
    add(make_record(ref="a", name="With address", address="Via Roma 12", postcode="35122"))
    text = re.sub(r"<[^>]+>", "", client.get("/list").get_data(as_text=True))  # the address parts sit in <bdi>
    assert "Via Roma 12, Padova, Italy" in text
