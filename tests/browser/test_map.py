"""The map page in Debian's chromium: markers, filters, cards, URL state, keyboard, safety."""

import re

import requests

from tests.browser.conftest import screenshot


def loaded(page, after=0):
    """Wait until the map script has drawn the reply to a request newer than `after`."""
    page.wait_for_function("after => Number(document.body.dataset.loaded || 0) > after", arg=after)
    return int(page.evaluate("document.body.dataset.loaded"))


def open_filters(page):
    """Phones show the filters folded once a search is made: unfold them as a person would."""
    if not page.evaluate("document.getElementById('filters-area').open"):
        page.click("#filters-area > summary")


def marker_total(page):
    return page.evaluate(
        "Array.from(document.querySelectorAll('.leaflet-marker-icon')).reduce((n, e) => n + Number(e.dataset.count), 0)"
    )


def api_total(live_server, query=""):
    return requests.get(f"{live_server}/api/initiatives?limit=0&{query}", timeout=10).json()["total"]


def test_map_shows_the_seeded_initiatives(live_server, page_and_watch):
    page, _ = page_and_watch
    page.goto(live_server + "/")
    loaded(page)
    visible = marker_total(page)
    assert visible >= 80  # Europe at zoom 4 shows nearly all seeded initiatives
    status = page.locator("#status").inner_text()
    assert re.search(r"\d+ results in this area", status)
    assert page.locator("#results .card").count() == 20


def test_choosing_a_support_type_changes_markers_list_and_url(live_server, page_and_watch):
    page, _ = page_and_watch
    page.goto(live_server + "/")
    seq = loaded(page)
    before = marker_total(page)
    page.select_option("#f-support", "legal-advice")
    loaded(page, seq)
    after = marker_total(page)
    assert 0 < after < before
    assert "support=legal-advice" in page.url
    titles = page.locator("#results .card .card-title").all_inner_texts()
    legal = requests.get(f"{live_server}/api/initiatives?support=legal-advice&limit=200", timeout=10).json()
    assert set(titles) <= {i["name"] for i in legal["items"]}
    # Reload keeps the filter.
    page.reload()
    loaded(page)
    open_filters(page)
    assert page.locator("#f-support").input_value() == "legal-advice"
    assert marker_total(page) == after


def test_back_button_restores_the_previous_filters(live_server, phone_page):
    page, _ = phone_page
    page.goto(live_server + "/?support=food")
    seq = loaded(page)
    food = marker_total(page)
    open_filters(page)
    page.select_option("#f-support", "health")
    seq = loaded(page, seq)
    assert "support=health" in page.url
    page.go_back()
    loaded(page, seq)
    assert "support=food" in page.url and page.locator("#f-support").input_value() == "food"
    assert marker_total(page) == food


def test_clicking_a_single_marker_opens_its_card(live_server, page_and_watch):
    page, _ = page_and_watch
    page.goto(live_server + "/?support=anti-discrimination")
    loaded(page)
    single = page.locator(".leaflet-marker-icon.pin").first
    name = single.get_attribute("title")
    single.click()
    card = page.locator("#card")
    card.wait_for(state="visible")
    assert card.locator(".card-title").inner_text() == name
    assert card.locator("a.action-directions").get_attribute("href").startswith("geo:")
    assert card.locator("a.action-osm").count() == 1


def test_cluster_click_zooms_in(live_server, phone_page):
    page, _ = phone_page
    page.goto(live_server + "/")
    seq = loaded(page)
    zoom = page.evaluate("WISH.app.map.getZoom()")
    page.locator(".leaflet-marker-icon.cluster").first.click()
    loaded(page, seq)
    assert page.evaluate("WISH.app.map.getZoom()") > zoom


def test_choosing_a_result_centres_the_map_and_opens_the_card(live_server, phone_page):
    page, _ = phone_page
    page.goto(live_server + "/")
    loaded(page)
    first = page.locator("#results .card-title a").first
    name = first.inner_text()
    first.click()
    page.locator("#card").wait_for(state="visible")
    assert page.locator("#card .card-title").inner_text() == name
    assert page.evaluate("WISH.app.map.getZoom()") >= 14


def test_keyboard_alone_reaches_a_marker_and_opens_its_card(live_server, phone_page):
    page, _ = phone_page
    page.goto(live_server + "/?support=anti-discrimination")
    loaded(page)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('pin')"):
            break
    else:
        raise AssertionError("no marker reachable with Tab")
    focused_name = page.evaluate("document.activeElement.getAttribute('title')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.locator("#card").wait_for(state="visible")
    assert page.locator("#card .card-title").inner_text() == focused_name


def test_every_control_has_a_label(live_server, phone_page):
    page, _ = phone_page
    page.goto(live_server + "/")
    loaded(page)
    unlabeled = page.evaluate("""Array.from(document.querySelectorAll('input:not([type=hidden]), select'))
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name)""")
    assert unlabeled == []


def test_near_a_place_typed_and_picked(live_server, phone_page):
    page, _ = phone_page
    page.goto(live_server + "/")
    seq = loaded(page)
    open_filters(page)
    page.fill("#f-place", "Padua")
    page.locator("#place-options li").first.wait_for(state="visible")
    asked = []
    page.on("request", lambda r: "/api/clusters" in r.url and asked.append(r.url))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    loaded(page, seq)
    page.wait_for_timeout(600)  # past the moveend debounce
    assert len(asked) == 1, asked  # moving the map to the place and the new filter: one request
    assert "near=" in page.url and "place=Padua" in page.url
    assert "away" in page.locator("#results .card").first.inner_text()


def test_nothing_nearby_offers_the_nearest_further_away(live_server, phone_page):
    page, _ = phone_page
    # Tromsø: no seeded initiative within 5 km.
    page.goto(live_server + "/?place=Troms%C3%B8&near=69.6492,18.9553&radius_km=5")
    loaded(page)
    nothing = page.locator("#nothing")
    nothing.wait_for(state="visible")
    text = nothing.inner_text()
    assert "Nothing here matches your search." in text
    assert "Nearest matches further away" in text
    assert nothing.locator(".card").count() == 5
    screenshot(page, "map-nothing-phone")


def test_script_payloads_in_listings_run_nowhere(live_server, page_and_watch):
    page, _ = page_and_watch
    page.goto(live_server + "/?q=evil")
    loaded(page)
    page.locator(".leaflet-marker-icon.pin").first.click()
    page.locator("#card").wait_for(state="visible")
    assert "<img src=x" in page.locator("#card .card-title").inner_text()  # shown as text
    href = page.locator("#results .card-title a").first.get_attribute("href")
    page.goto(live_server + "/list?q=evil")
    page.goto(live_server + href)
    assert "<img src=x" in page.locator("h1").inner_text()
    assert page.evaluate("window.__xss") is None


def test_javascript_urls_are_never_links(live_server, phone_page):
    page, _ = phone_page
    for path in ("/", "/list", "/initiatives/1"):
        page.goto(live_server + path)
        if path == "/":
            loaded(page)
        assert page.locator("a[href^='javascript:' i]").count() == 0


def test_list_page_works_without_javascript(live_server, nojs_page):
    page, _ = nojs_page
    page.goto(live_server + "/list")
    assert page.locator(".results .card").count() == 20
    page.select_option("#f-support", "legal-advice")
    page.click("button[type=submit]")
    assert "support=legal-advice" in page.url
    expected = api_total(live_server, "support=legal-advice")
    assert page.locator("#results-heading").inner_text().startswith(f"{expected} result")
    page.goto(live_server + "/list")
    page.click("a[rel=next]")
    assert "page=2" in page.url and page.locator(".results .card").count() == 20
    page.goto(live_server + "/list?place=Padova&radius_km=10")
    assert "near Padua" in page.locator("#results-heading").inner_text()
    screenshot(page, "list-nojs-phone")
