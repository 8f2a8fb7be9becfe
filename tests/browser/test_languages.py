"""Languages in Debian's chromium: the switcher, ?lang= across clicks, right-to-left map and pages."""

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_map import loaded, open_filters


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def centre_x(b):
    return b["x"] + b["width"] / 2


@pytest.mark.parametrize(("lang", "rtl"), [("ar", True), ("fa", True), ("en", False)])
def test_map_controls_sit_on_the_side_the_page_reads_from(live_server, page_and_watch, lang, rtl):
    page, _ = page_and_watch
    page.goto(f"{live_server}/?lang={lang}")
    loaded(page)
    assert page.evaluate("document.documentElement.dir") == ("rtl" if rtl else "ltr")
    area = box(page, ".map-area .folium-map")
    zoom, scale = box(page, ".leaflet-control-zoom"), box(page, ".leaflet-control-scale")
    middle = centre_x(area)
    # Zoom buttons where reading starts (top right in Arabic and Farsi), the scale likewise at the bottom.
    assert (centre_x(zoom) > middle) == rtl
    assert (centre_x(scale) > middle) == rtl
    assert zoom["y"] < area["y"] + area["height"] / 2 < scale["y"]
    # The scale's "500 km" is not turned into "km 500".
    assert page.evaluate("getComputedStyle(document.querySelector('.leaflet-control-scale')).direction") == "ltr"


def test_switcher_changes_the_language_and_the_choice_survives_link_clicks(live_server, phone_page):
    page, _ = phone_page  # the browser asks for English (en-GB)
    page.goto(f"{live_server}/list?support=language-classes")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click("#langs > summary")
    page.click("#langs a[hreflang=ar]")
    page.wait_for_url("**lang=ar**")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert "support=language-classes" in page.url
    assert page.locator("h1").inner_text() == "ابحث عن مساعدة قربك"
    # A link on the page keeps the choice: first a result's own page, then the map from the header.
    page.locator(".results .card-title a").first.click()
    page.wait_for_url("**/initiatives/*")
    assert "lang=ar" in page.url and page.evaluate("document.documentElement.lang") == "ar"
    page.locator(".nav a").first.click()
    page.wait_for_url(f"{live_server}/?lang=ar")
    loaded(page)
    # The map script keeps it too: in the URL it pushes and in the links it builds.
    open_filters(page)
    seq = loaded(page)
    page.select_option("#f-support", "food")
    loaded(page, seq)
    assert "lang=ar" in page.url and "support=food" in page.url
    assert "lang=ar" in page.locator("#results .card-title a").first.get_attribute("href")
    assert "support=food" in page.locator("#langs a[hreflang=fr]").get_attribute("href")


def test_switcher_works_without_javascript(live_server, nojs_page):
    page, _ = nojs_page
    page.goto(f"{live_server}/list")
    page.click("#langs > summary")
    page.click("#langs a[hreflang=uk]")
    page.wait_for_url("**lang=uk**")
    assert page.locator("h1").inner_text() == "Знайдіть допомогу поруч"
    page.fill("#f-place", "Padova")
    page.click("button[type=submit]")
    page.wait_for_url("**place=Padova**")
    assert "lang=uk" in page.url and page.evaluate("document.documentElement.lang") == "uk"


@pytest.mark.parametrize("lang", ["ar", "fa", "uk"])
@pytest.mark.parametrize(("name", "path"), [("map", "/"), ("list", "/list"), ("detail", "/initiatives/1")])
def test_screenshot_pages_in_other_languages(live_server, page_and_watch, viewport, lang, name, path):
    page, _ = page_and_watch
    page.goto(f"{live_server}{path}?lang={lang}")
    if name == "map":
        loaded(page)
        page.wait_for_selector(".leaflet-marker-icon")
    # Mirrored, not broken: nothing pushes the page sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    size = "phone" if viewport["width"] < 500 else "desktop"
    assert screenshot(page, f"{name}-{lang}-{size}").stat().st_size > 5000
