"""Screenshots of every public page at phone and desktop size (saved in test-artifacts/)."""

import pytest

from tests.browser.conftest import screenshot


@pytest.mark.parametrize(("name", "path"), [("map", "/"), ("map-near-padova", "/?place=Padova&near=45.4080,11.8859&radius_km=25"),
                                            ("list", "/list"), ("detail", "/initiatives/1")])
def test_screenshot_each_page(live_server, page_and_watch, viewport, name, path):
    page, _ = page_and_watch
    page.goto(live_server + path)
    if name.startswith("map"):
        page.wait_for_selector("body[data-loaded]")
        page.wait_for_selector(".leaflet-marker-icon")
    size = "phone" if viewport["width"] < 500 else "desktop"
    shot = screenshot(page, f"{name}-{size}")
    assert shot.stat().st_size > 5000
