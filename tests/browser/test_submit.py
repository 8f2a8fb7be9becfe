"""A volunteer on a phone adds an initiative: the address finds a pin, the pin can be moved."""

from __future__ import annotations

from sqlalchemy import select

from tests.browser.conftest import screenshot
from wish.models import Initiative


def stored(live_app, name: str) -> Initiative | None:
    from wish.extensions import db

    with live_app.app_context():
        row = db.session.scalar(select(Initiative).where(Initiative.name == name))
        db.session.remove()
        return row


def fill_required(page, name: str) -> None:
    page.fill("#name", name)
    page.get_by_label("Language classes").check()
    page.select_option("#country", "IT")
    page.fill("#contact_email", "volunteer@example.org")


def test_full_submission_on_a_phone_with_the_pin(live_server, live_app, phone_page):
    page, _ = phone_page
    page.goto(live_server + "/submit")
    fill_required(page, "Italian at the Library Padova")
    page.get_by_label("Arabic").check()
    page.fill("#city", "Padova")
    page.wait_for_function("() => document.getElementById('latitude').value !== ''")
    assert "address we found" in page.inner_text("#pin-status")
    assert page.input_value("#precision") == "city"  # the gazetteer knows the town, not the street
    found = float(page.input_value("#latitude")), float(page.input_value("#longitude"))
    assert abs(found[0] - 45.41) < 0.05 and abs(found[1] - 11.88) < 0.05
    # The volunteer knows better: a tap on the map moves the pin there.
    page.locator("#pin-map").scroll_into_view_if_needed()
    box = page.locator("#pin-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.3)
    page.wait_for_function("before => parseFloat(document.getElementById('latitude').value) !== before", arg=found[0])
    pin = float(page.input_value("#latitude")), float(page.input_value("#longitude"))
    assert pin != found and page.inner_text("#pin-status") == "Pin placed."
    # Typing more of the address no longer moves a pin the volunteer placed.
    page.fill("#postcode", "35121")
    page.wait_for_timeout(900)
    assert float(page.input_value("#latitude")) == pin[0]
    page.fill("#opening_hours-mo-open1", "09:00")
    page.fill("#opening_hours-mo-close1", "12:00")
    screenshot(page, "submit-filled-phone")
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_selector("#edit-link")
    assert "Thank you" in page.inner_text("h1")
    row = stored(live_app, "Italian at the Library Padova")
    assert row is not None and row.status == "pending"
    assert (round(row.latitude, 5), round(row.longitude, 5)) == (round(pin[0], 5), round(pin[1], 5))
    assert row.location_precision == "exact" and row.languages == ["ar"]
    assert row.opening_hours == {"mo": [["09:00", "12:00"]]}
    # The edit link opens the same form, filled in, with the pin where it was put.
    page.click("#edit-link")
    page.wait_for_selector("#pin-map .leaflet-marker-icon")
    assert page.input_value("#name") == "Italian at the Library Padova"
    assert round(float(page.input_value("#latitude")), 5) == round(pin[0], 5)
    assert page.context.cookies() == []  # volunteers without an account get no cookie either


def test_form_errors_are_announced_and_the_pin_is_kept(live_server, live_app, phone_page):
    page, watch = phone_page
    page.goto(live_server + "/submit")
    page.fill("#name", "Half-filled initiative")
    page.fill("#city", "Padova")
    page.wait_for_function("() => document.getElementById('latitude').value !== ''")
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_selector("#error-summary")
    focused = page.evaluate("() => document.activeElement.id")
    assert focused == "error-summary"  # the reader hears what to fix first
    assert page.input_value("#name") == "Half-filled initiative"
    assert page.input_value("#latitude") != ""
    assert page.get_attribute("#contact_email", "aria-invalid") == "true"
    screenshot(page, "submit-errors-phone")
    assert stored(live_app, "Half-filled initiative") is None
    # The form came back with 400 on purpose; Chromium logs that as a failed load.
    assert watch.errors == ["Failed to load resource: the server responded with a status of 400 (BAD REQUEST)"]
    watch.errors.clear()


def test_submission_works_without_javascript(live_server, live_app, nojs_page):
    page, _ = nojs_page
    page.goto(live_server + "/submit")
    assert page.locator("#pin-area").is_hidden()  # the map needs JavaScript; the server finds the town
    fill_required(page, "No-script Conversation Group")
    page.fill("#city", "Bologna")
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_selector("#edit-link")
    row = stored(live_app, "No-script Conversation Group")
    assert row is not None and row.location_precision == "city"
    assert abs(row.latitude - 44.49) < 0.05


def test_submit_page_at_desktop_size(live_server, page_and_watch, viewport):
    page, _ = page_and_watch
    page.goto(live_server + "/submit")
    page.wait_for_selector("#pin-map .leaflet-tile-loaded")
    size = "phone" if viewport["width"] < 500 else "desktop"
    assert screenshot(page, f"submit-{size}").stat().st_size > 5000
