"""Accessibility: axe-core finds no serious or critical violation, the map has a text alternative,
and the keyboard alone is enough to search and open a result."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import DESKTOP, PHONE, screenshot, watched_page
from tests.browser.test_map import loaded, open_filters
from wish.config import ROOT

NOTHING_NEAR = "/list?place=Troms%C3%B8&near=69.6492,18.9553&radius_km=5&support=health"

# Every public page axe checks, as (path, locale): a new page is one more pair per locale.
PAGES = [
    ("/", "en"), ("/", "ar"),
    ("/list", "en"), ("/list", "ar"),
    (NOTHING_NEAR, "en"), (NOTHING_NEAR, "ar"),
    ("/initiatives/1", "en"), ("/initiatives/1", "ar"),
    ("/list?place=Xyzzyville", "en"),  # the place-not-found message
    ("/submit", "en"), ("/submit", "ar"),
    ("/curate/login", "en"), ("/curate/login", "ar"),
]
# Pages behind the staff login (an admin sees them all): one more path here checks it in each locale.
STAFF_PAGES = ["/curate/", "/curate/initiatives", "/curate/initiatives/1", "/curate/initiatives/1/edit",
               "/curate/stale", "/curate/import", "/curate/users"]
STAFF_EMAIL, STAFF_PASSWORD = "axe-admin@example.org", "correct horse battery staple"
RTL = {"ar", "fa"}
SERIOUS = {"serious", "critical"}

_axe = Axe()


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line each."""
    found = _axe.run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in found if v["impact"] in SERIOUS]


def with_locale(path: str, locale: str) -> str:
    if locale == "en":
        return path
    return f"{path}{'&' if '?' in path else '?'}lang={locale}"


def open_page(page, base: str, path: str, locale: str) -> None:
    """Open a page in a locale and wait until its script (if any) has drawn the results."""
    page.goto(base + with_locale(path, locale))
    if page.evaluate("() => document.body.classList.contains('map-page')"):
        loaded(page)
    if locale in RTL:
        if (ROOT / "wish" / "translations" / locale).is_dir():
            assert page.evaluate("() => document.documentElement.dir") == "rtl"
        else:
            # No catalog for this locale on this branch yet: lay the page out as it will be.
            page.evaluate("l => { document.documentElement.dir = 'rtl'; document.documentElement.lang = l; }", locale)


@pytest.mark.parametrize(("path", "locale"), PAGES)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_no_serious_violation(live_server, browser, viewport, path, locale):
    with watched_page(browser, viewport) as (page, _):
        open_page(page, live_server, path, locale)
        assert serious_violations(page) == []


@pytest.fixture(scope="module")
def staff_account(live_app):
    from wish import staff
    from wish.extensions import db

    with live_app.app_context():
        staff.create_user(db.session, STAFF_EMAIL, STAFF_PASSWORD, role="admin")
        db.session.remove()


def log_in(page, base: str) -> None:
    page.goto(base + "/curate/login")
    page.fill("#email", STAFF_EMAIL)
    page.fill("#password", STAFF_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/curate/")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_axe_finds_no_serious_violation_on_the_staff_pages(live_server, browser, staff_account, locale):
    with watched_page(browser, DESKTOP) as (page, _):
        log_in(page, live_server)
        found = {}
        for path in STAFF_PAGES:
            open_page(page, live_server, path, locale)
            assert "/login" not in page.url and page.locator("main h1").count() == 1, path  # the page itself
            if violations := serious_violations(page):
                found[path] = violations
        assert found == {}


def test_axe_finds_no_serious_violation_on_the_error_page(live_server, browser):
    with watched_page(browser, PHONE) as (page, watch):
        open_page(page, live_server, "/initiatives/999999", "ar")
        assert page.locator("h1").is_visible()
        assert serious_violations(page) == []
        watch.errors.remove("Failed to load resource: the server responded with a status of 404 (NOT FOUND)")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_on_the_map_with_a_card_open_no_results_and_place_suggestions(live_server, browser, viewport):
    """The states only the script draws: the details card, the nothing-here note, the place list."""
    with watched_page(browser, viewport) as (page, _):
        page.goto(live_server + "/?support=anti-discrimination")
        loaded(page)
        page.locator(".leaflet-marker-icon.pin").first.click()
        page.locator("#card").wait_for(state="visible")
        assert serious_violations(page) == []
        page.goto(live_server + "/?place=Troms%C3%B8&near=69.6492,18.9553&radius_km=5")
        loaded(page)
        page.locator("#nothing").wait_for(state="visible")
        assert serious_violations(page) == []
        page.goto(live_server + "/")
        loaded(page)
        open_filters(page)
        page.fill("#f-place", "Padua")
        page.locator("#place-options li").first.wait_for(state="visible")
        assert page.get_attribute("#f-place", "aria-expanded") == "true"
        assert serious_violations(page) == []


def test_map_has_a_label_and_a_visible_text_alternative_next_to_it(live_server, browser):
    with watched_page(browser, PHONE) as (page, _):
        page.goto(live_server + "/?support=legal-advice")
        loaded(page)
        container = page.locator(".leaflet-container")
        assert container.get_attribute("role") == "region"
        assert container.get_attribute("aria-label") == "Map of initiatives"
        assert "Arrow keys move the map" in page.locator("#" + container.get_attribute("aria-describedby")).inner_text()
        alt = page.locator(".map-alt a")
        assert alt.is_visible() and alt.inner_text() == "Text-only list"
        assert alt.get_attribute("href") == "/list?support=legal-advice"  # the same search, as text
        box, link = container.bounding_box(), alt.bounding_box()
        assert box["y"] <= link["y"] <= box["y"] + box["height"]  # on the map, not somewhere below it
        assert page.locator(".leaflet-control-zoom-in").get_attribute("aria-label") == "Zoom in"
        # The zoom buttons never cover the link, in either direction.
        for direction in ("ltr", "rtl"):
            page.evaluate("d => { document.documentElement.dir = d; }", direction)
            zoom, link = page.locator(".leaflet-control-zoom").bounding_box(), alt.bounding_box()
            apart = zoom["x"] + zoom["width"] <= link["x"] or link["x"] + link["width"] <= zoom["x"]
            assert apart or zoom["y"] + zoom["height"] <= link["y"] or link["y"] + link["height"] <= zoom["y"], direction
        # Tabbing onto the map shows a ring above its tiles (an outline would sit under them).
        tab_until(page, "() => document.activeElement.classList.contains('leaflet-container')", 40)
        assert page.evaluate("() => getComputedStyle(document.activeElement, '::after').borderTopStyle") == "solid"


def tab_until(page, check: str, limit: int) -> int:
    """Press Tab until `check` (a JS function of the focused element) holds; the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(check):
            return presses
    raise AssertionError(f"not reached with {limit} presses of Tab: {check}")


def focus_ring(page) -> str:
    return page.evaluate("() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth; }")


def test_keyboard_alone_searches_the_map_and_opens_a_result(live_server, browser):
    with watched_page(browser, DESKTOP) as (page, _):
        page.goto(live_server + "/")
        seq = loaded(page)
        tab_until(page, "() => document.activeElement.id === 'f-support'", 20)
        assert focus_ring(page) == "solid 3px"
        for _ in range(30):
            if page.locator("#f-support").input_value() == "legal-advice":
                break
            page.keyboard.press("ArrowDown")
        assert page.locator("#f-support").input_value() == "legal-advice"
        tab_until(page, "() => document.activeElement.type === 'submit'", 10)
        page.keyboard.press("Enter")
        seq = loaded(page, seq)
        assert "support=legal-advice" in page.url
        # Past the map in two steps: its skip link, then the first result.
        tab_until(page, "() => document.activeElement.classList.contains('skip-map')", 5)
        assert page.locator(".skip-map").is_visible()
        page.keyboard.press("Enter")
        tab_until(page, "() => !!document.activeElement.closest('#results .card-title')", 3)
        assert focus_ring(page) == "solid 3px"
        name = page.evaluate("() => document.activeElement.textContent")
        page.keyboard.press("Enter")
        page.locator("#card").wait_for(state="visible")
        assert page.locator("#card .card-title").inner_text() == name
        assert page.evaluate("() => document.getElementById('card').contains(document.activeElement)")
        # The desktop map page fits the window: the skip link scrolled the list, not the header away.
        assert page.evaluate("() => document.scrollingElement.scrollTop") == 0
        screenshot(page, "keyboard-map-desktop")


def test_keyboard_alone_pages_searches_the_list_and_opens_a_result(live_server, browser):
    with watched_page(browser, PHONE) as (page, _):
        page.goto(live_server + "/list")
        tab_until(page, "() => document.activeElement.rel === 'next'", 300)
        assert focus_ring(page) == "solid 3px"
        page.keyboard.press("Enter")
        page.wait_for_url("**page=2*")
        tab_until(page, "() => document.activeElement.id === 'f-place'", 10)
        page.keyboard.type("Padova")
        page.keyboard.press("Enter")  # a search box submits its form
        page.wait_for_url("**/list?*place=Padova*")
        assert "near Padua" in page.locator("#results-heading").inner_text()
        tab_until(page, "() => !!document.activeElement.closest('.results .card-title')", 40)
        name = page.evaluate("() => document.activeElement.textContent")
        page.keyboard.press("Enter")
        page.wait_for_url("**/initiatives/*")
        assert page.locator("h1").inner_text() == name
