"""Staff review the queue with the keyboard alone, in Chromium."""

from __future__ import annotations

from sqlalchemy import select

from tests.browser.conftest import screenshot
from tests.conftest import make_record
from wish import review, staff
from wish.models import Initiative, User

PASSWORD = "correct horse battery staple"


def setup_staff_and_submission(live_app, name: str) -> None:
    from wish.extensions import db

    with live_app.app_context():
        if db.session.scalar(select(User).where(User.email == "keys@example.org")) is None:
            staff.create_user(db.session, "keys@example.org", PASSWORD, "curator")
        review.upsert(db.session, [make_record(name=name, status="pending", verified=None, latitude=45.41,
                                               longitude=11.87)], actor="volunteer:test")
        db.session.remove()


def status_of(live_app, name: str) -> str:
    from wish.extensions import db

    with live_app.app_context():
        value = db.session.scalar(select(Initiative.status).where(Initiative.name == name))
        db.session.remove()
        return value


def tab_to(page, text: str, limit: int = 80) -> None:
    """Press Tab until the focused element's label or text contains `text`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        label = page.evaluate("() => { const e = document.activeElement;"
                              " return (e.labels && e.labels[0] ? e.labels[0].textContent : '') + ' '"
                              " + (e.textContent || '') + ' ' + (e.value || ''); }")
        if text in label:
            return
    raise AssertionError(f"Tab never reached {text!r}")


def test_review_flow_with_the_keyboard_alone(live_server, live_app, page_and_watch, viewport):
    name = f"Keyboard Kitchen {viewport['width']}"
    setup_staff_and_submission(live_app, name)
    page, _ = page_and_watch
    page.goto(live_server + "/curate/")  # anonymous: sent to the login page
    assert "/curate/login" in page.url
    tab_to(page, "E-mail")
    page.keyboard.type("keys@example.org")
    tab_to(page, "Password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Review queue')")
    size = "phone" if viewport["width"] < 500 else "desktop"
    screenshot(page, f"curate-queue-{size}")
    tab_to(page, name)
    page.keyboard.press("Enter")
    page.wait_for_selector(f"h1:has-text('{name}')")
    screenshot(page, f"curate-initiative-{size}")
    # The history table fits the screen: nothing scrolls sideways on a phone.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    tab_to(page, "Approve and publish")
    page.keyboard.press("Enter")
    page.wait_for_selector(".status-badge.status-published")
    assert status_of(live_app, name) == "published"
    history = page.inner_text("#history-h + table")
    assert "staff:keys@example.org" in history and "approve" in history
    tab_to(page, "Log out")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server + "/")
    page.goto(live_server + "/curate/")
    assert "/curate/login" in page.url
