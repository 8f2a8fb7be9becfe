"""Privacy in the browser: the quick exit, and no cookie or stored trace for a visitor."""

import pytest

from tests.browser.conftest import PHONE, watched_page
from tests.browser.test_map import loaded

NEUTRAL = "https://www.wikipedia.org/"
BEFORE = "https://before.invalid/"  # whatever the person had open before WISH


def stub(page, url: str, title: str) -> None:
    """Answer `url` from here: the test never reaches the internet."""
    page.route(url + "**", lambda route: route.fulfill(content_type="text/html", body=f"<title>{title}</title>"))


@pytest.mark.parametrize("path", ["/", "/list?place=Padova", "/initiatives/1"])
def test_quick_exit_leaves_in_one_click_and_takes_this_page_out_of_the_history(live_server, browser, path):
    with watched_page(browser, PHONE) as (page, watch):
        stub(page, BEFORE, "Before")
        stub(page, NEUTRAL, "Neutral")
        page.goto(BEFORE)
        page.goto(live_server + path)
        exit_link = page.locator("#quick-exit")
        box = exit_link.bounding_box()
        assert exit_link.is_visible() and box["y"] + box["height"] <= PHONE["height"]  # no scrolling to find it
        entries = page.evaluate("() => history.length")
        exit_link.click()
        page.wait_for_url(NEUTRAL)
        assert page.title() == "Neutral"
        assert page.evaluate("() => history.length") == entries  # replaced, not added
        page.go_back()
        assert page.url == BEFORE  # Back skips WISH
        watch.hosts -= {"before.invalid", "www.wikipedia.org"}  # both answered by the stubs above


def test_shift_escape_leaves_from_anywhere(live_server, browser):
    with watched_page(browser, PHONE) as (page, watch):
        stub(page, NEUTRAL, "Neutral")
        page.goto(live_server + "/list")
        page.focus("#f-place")
        page.keyboard.press("Shift+Escape")
        page.wait_for_url(NEUTRAL)
        watch.hosts -= {"www.wikipedia.org"}


def test_a_visit_leaves_no_cookie_and_nothing_stored(live_server, browser):
    with watched_page(browser, PHONE) as (page, _):
        page.goto(live_server + "/")
        seq = loaded(page)
        page.select_option("#f-support", "legal-advice")
        loaded(page, seq)
        page.locator("#results .card-title a").first.click()
        page.locator("#card").wait_for(state="visible")
        for path in ("/list?place=Padova&support=health", "/initiatives/1"):  # the API: tests/api/test_pages.py
            page.goto(live_server + path)
        page.goto(live_server + "/list")
        assert page.context.cookies() == []
        stored = page.evaluate("""async () => ({
            local: localStorage.length, session: sessionStorage.length, cookie: document.cookie,
            databases: (await indexedDB.databases()).length, caches: (await caches.keys()).length})""")
        assert stored == {"local": 0, "session": 0, "cookie": "", "databases": 0, "caches": 0}
