"""A volunteer adds an initiative through /submit, without an account and without JavaScript."""

from __future__ import annotations

import email
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.formtools import edit_key, hidden_fields, inputs, post_form, valid_form
from wish import tokens
from wish.config import load_settings
from wish.extensions import db
from wish.models import AuditEntry, Initiative, PendingEdit


def stored() -> list[Initiative]:
    db.session.expire_all()
    return list(db.session.scalars(select(Initiative).order_by(Initiative.id)))


def outbox(app) -> list[email.message.Message]:
    folder = Path(app.config["MAIL_OUTBOX"])
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))] if folder.exists() else []


def test_form_offers_every_public_field_and_the_private_contact(client):
    page = client.get("/submit")
    assert page.status_code == 200
    names = set(inputs(page.get_data(as_text=True)).values)
    html = page.get_data(as_text=True)
    for name in ("name", "organisation", "support_types", "target_groups", "languages", "city", "address",
                 "postcode", "website", "phone", "whatsapp", "email", "valid_until", "contact_email",
                 "opening_hours-mo-open1", "opening_hours-su-close2", "csrf_token", "latitude", "longitude"):
        assert name in names, name
    assert 'name="description"' in html and 'name="country"' in html and 'name="opening_hours_note"' in html
    assert page.headers["Cache-Control"] == "no-store"


def test_submission_without_javascript_is_stored_pending_geocoded_and_audited(app, client):
    page = post_form(client, "/submit", valid_form())
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html
    [row] = stored()
    assert row.status == "pending" and row.name == "Tea and Talk Padova"
    assert (round(row.latitude, 1), round(row.longitude, 1)) == (45.4, 11.9)  # Padova, found on the server
    assert row.location_precision == "city"
    assert row.languages == ["it", "ar", "ti"]
    assert row.phone == "+39 049 123 4567"
    assert row.opening_hours == {"mo": [["17:00", "19:00"]]}
    assert row.contact_email == "volunteer@example.org"
    [entry] = row.history
    assert entry.action == "submit" and entry.actor == "volunteer:volunteer@example.org"
    assert entry.changes["name"] == [None, "Tea and Talk Padova"]
    # The private link: shown once, mailed, and only its hash is stored.
    key = edit_key(html)
    assert row.edit_token_hash == tokens.token_hash(key) and key not in row.edit_token_hash
    [mail] = outbox(app)
    assert mail["To"] == "volunteer@example.org"
    assert key in mail.get_payload(decode=True).decode()


def test_submitted_initiative_is_not_public_before_approval(client):
    post_form(client, "/submit", valid_form(name="Secret Pending Place"))
    [row] = stored()
    assert client.get(f"/initiatives/{row.id}").status_code == 404
    assert client.get(f"/api/initiatives/{row.id}").status_code == 404
    assert client.get("/api/initiatives?q=Secret").get_json()["total"] == 0
    assert "Secret Pending Place" not in client.get("/list?q=Secret").get_data(as_text=True)


def test_form_without_csrf_token_is_refused_and_nothing_is_stored(client):
    page = client.post("/submit", data=valid_form())
    assert page.status_code == 400
    assert stored() == []


def test_pin_from_the_map_is_kept_exactly(client):
    post_form(client, "/submit", valid_form(latitude="45.40123", longitude="11.87654"))
    [row] = stored()
    assert (row.latitude, row.longitude, row.location_precision) == (45.40123, 11.87654, "exact")


BAD = [
    ("name", {"name": ""}, "This field is required"),
    ("name", {"name": "x" * 201}, "200"),
    ("support_types", {"support_types": []}, "Choose at least one"),
    ("support_types", {"support_types": ["flying-lessons"]}, "Not a valid choice"),
    ("country", {"country": ""}, "This field is required"),
    ("country", {"country": "US"}, "Not a valid choice"),
    ("city", {"city": ""}, "This field is required"),
    ("website", {"website": "not a web address"}, "web address"),
    ("phone", {"phone": "call me"}, "phone number"),
    ("whatsapp", {"whatsapp": "12"}, "phone number"),
    ("email", {"email": "nobody-at-nowhere"}, "email"),
    ("contact_email", {"contact_email": ""}, "This field is required"),
    ("contact_email", {"contact_email": "me@"}, "email"),
    ("valid_until", {"valid_until": "2001-01-01"}, "from today"),
    ("valid_until", {"valid_until": "31/31/2030"}, "Not a valid date"),
    ("description", {"description": "x" * 5001}, "5000"),
    ("other_languages", {"other_languages": "Klingonese"}, "Klingonese"),
    # 18:00-09:00 is a night (it runs into Wednesday, see wish/hours.py); the same minute twice is not.
    ("opening_hours", {"opening_hours-tu-open1": "09:00", "opening_hours-tu-close1": "09:00"}, "opening hours"),
    ("opening_hours", {"opening_hours-we-open1": "09:00"}, "both the opening and the closing"),
    ("address", {"city": "Qwxzvillebergstadt"}, "could not find this address"),
    ("address", {"latitude": "0", "longitude": "0"}, "pin"),
    ("address", {"latitude": "95", "longitude": "11"}, "90"),
]


@pytest.mark.parametrize(("field", "change", "message"), BAD, ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(BAD)])
def test_each_bad_field_gets_its_message_next_to_it_and_keeps_what_was_typed(client, field, change, message):
    data = valid_form(**change)
    page = post_form(client, "/submit", data)
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert stored() == []
    error = html.split(f'id="{field}-error"', 1)
    assert len(error) == 2, f"no error next to {field}"
    assert message.lower() in error[1].split("</p>", 1)[0].lower()
    assert 'value="Volunteers of the Arcella"' in html  # nothing typed is lost
    if field != "description":
        assert "Conversation in Italian over tea" in html
    if field != "support_types":
        assert re.search(r'<input checked[^>]*value="social-cultural"', html)


def test_markup_is_stored_as_plain_text(client):
    post_form(client, "/submit", valid_form(name="Tea <b>and</b> <script>x()</script>Talk",
                                             description="<p>Come\nalong</p> &amp; bring a friend"))
    [row] = stored()
    assert row.name == "Tea and x()Talk"
    assert row.description == "Come\nalong & bring a friend"


def test_the_spam_trap_answers_like_success_but_keeps_nothing(app, client):
    page = post_form(client, "/submit", valid_form(homepage="http://spam.example"))
    assert page.status_code == 200 and "Thank you" in page.get_data(as_text=True)
    assert stored() == [] and outbox(app) == []


def test_a_form_sent_twice_is_stored_once(client):
    form = hidden_fields(client.get("/submit").get_data(as_text=True))
    data = {**form, **valid_form()}
    first, second = client.post("/submit", data=data), client.post("/submit", data=data)
    assert first.status_code == second.status_code == 200
    assert "already received" in second.get_data(as_text=True)
    assert len(stored()) == 1


def test_a_request_beyond_the_size_limit_gets_413_and_nothing_is_stored(client):
    page = post_form(client, "/submit", valid_form(description="x" * 100_000))
    assert page.status_code == 413
    assert "Too much data" in page.get_data(as_text=True)
    assert stored() == []


def test_submissions_are_rate_limited_per_client(app, client):
    app.config["RATELIMIT_ENABLED"] = True
    app.config["WISH"] = load_settings({"WISH_SUBMIT_RATE_LIMIT": "2 per hour", "WISH_CATALOG_CHECK_SECONDS": "0"})
    from wish.extensions import limiter

    limiter.init_app(app)
    names = ["Alpha choir", "Bike repair workshop", "Chess club"]
    codes = [post_form(client, "/submit", valid_form(name=n, website="", phone="", whatsapp="")).status_code
             for n in names]
    assert codes == [200, 200, 429]
    assert client.get("/submit").status_code == 200  # reading the form is not limited
    assert len(stored()) == 2


# --- likely duplicates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("existing", "submitted", "reason"),
    [
        ({"name": "Tea & Talk Padova", "website": ""}, {"website": ""}, "similar name"),
        ({"name": "Completely other", "website": "http://www.tea-and-talk.example.org/"}, {}, "same website"),
        ({"name": "Another name", "phone": "+390491234567", "latitude": 45.0, "longitude": 9.0}, {}, "same phone"),
    ],
    ids=["name-nearby", "website", "phone"],
)
def test_likely_duplicate_is_shown_before_saving(add, client, existing, submitted, reason):
    add(**existing)
    page = post_form(client, "/submit", valid_form(**submitted))
    html = page.get_data(as_text=True)
    assert page.status_code == 409
    assert "already on WISH" in html and reason in html
    assert existing["name"].replace("&", "&amp;") in html
    assert len(stored()) == 1  # only the existing one


def test_same_name_far_away_is_not_a_duplicate(add, client):
    add(name="Tea and Talk Padova", latitude=41.9, longitude=12.5, website="", phone="")
    assert post_form(client, "/submit", valid_form(website="", phone="", whatsapp="")).status_code == 200
    assert len(stored()) == 2


def test_a_different_initiative_is_added_after_the_warning(add, client):
    add(name="Tea & Talk Padova", website="")
    page = post_form(client, "/submit", valid_form(website="", duplicate_choice="different"))
    assert page.status_code == 200
    assert [r.status for r in stored()] == ["published", "pending"]


def test_claiming_a_listing_sends_an_edit_for_review_instead(add, client):
    ref = add(name="Tea & Talk Padova", website="")
    existing = stored()[0]
    page = post_form(client, "/submit", valid_form(website="", duplicate_choice=f"mine:{existing.id}"))
    assert page.status_code == 200 and "update" in page.get_data(as_text=True)
    [row] = stored()
    assert row.ref == ref and row.name == "Tea & Talk Padova"  # the public listing is unchanged
    edit = db.session.scalar(select(PendingEdit))
    assert edit.initiative_id == row.id and edit.source == "claim" and edit.data["name"] == "Tea and Talk Padova"


def test_a_claim_can_only_name_a_listing_that_was_offered(add, client):
    add(name="Tea & Talk Padova", website="")
    other = add(name="Unrelated", latitude=41.9, longitude=12.5, website="", phone="")
    other_id = db.session.scalar(select(Initiative.id).where(Initiative.ref == other))
    page = post_form(client, "/submit", valid_form(website="", duplicate_choice=f"mine:{other_id}"))
    assert page.status_code == 409  # warned again, nothing attached to the unrelated listing
    assert db.session.scalar(select(func.count(PendingEdit.id))) == 0


# --- the private edit link -----------------------------------------------------------------------


def submit_one(client, **overrides) -> tuple[Initiative, str]:
    page = post_form(client, "/submit", valid_form(**overrides))
    assert page.status_code == 200, page.get_data(as_text=True)
    key = edit_key(page.get_data(as_text=True))
    row = db.session.scalar(select(Initiative).where(Initiative.edit_token_hash == tokens.token_hash(key)))
    return row, key


def test_edit_link_opens_the_form_filled_in(client):
    _row, key = submit_one(client)
    page = client.get(f"/edit?key={key}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="Tea and Talk Padova"' in html and 'value="+39 049 123 4567"' in html
    assert 'value="17:00"' in html and "Tigrinya" in html
    assert page.headers["Cache-Control"] == "no-store"


def test_editing_a_pending_initiative_changes_it_in_place(client):
    row, key = submit_one(client)
    page = post_form(client, f"/edit?key={key}", valid_form(name="Tea and Talk Arcella"))
    assert page.status_code == 200
    db.session.expire_all()
    assert row.name == "Tea and Talk Arcella" and row.status == "pending"
    assert row.history[-1].action == "volunteer-edit"
    assert row.history[-1].changes["name"] == ["Tea and Talk Padova", "Tea and Talk Arcella"]


def test_editing_a_published_initiative_waits_for_staff(client):
    row, key = submit_one(client)
    row.status = "published"
    db.session.commit()
    page = post_form(client, f"/edit?key={key}", valid_form(name="Tea and Talk Arcella"))
    assert page.status_code == 200 and "waiting for the staff" in page.get_data(as_text=True)
    db.session.expire_all()
    assert row.name == "Tea and Talk Padova"  # still the published version
    assert client.get(f"/api/initiatives/{row.id}").get_json()["name"] == "Tea and Talk Padova"
    edit = db.session.scalar(select(PendingEdit))
    assert edit.data["name"] == "Tea and Talk Arcella" and edit.status == "pending"
    # A second change replaces the first proposal.
    post_form(client, f"/edit?key={key}", valid_form(name="Tea and Talk Arcella 2"))
    statuses = db.session.execute(select(PendingEdit.status).order_by(PendingEdit.id)).scalars().all()
    assert statuses == ["superseded", "pending"]
    # The form now shows the waiting change.
    assert 'value="Tea and Talk Arcella 2"' in client.get(f"/edit?key={key}").get_data(as_text=True)


@pytest.mark.parametrize("key", ["", "nope", "x" * 43, "A" * 300])
def test_a_wrong_edit_link_gets_a_clear_404(client, key):
    for page in (client.get(f"/edit?key={key}"), client.post(f"/edit/confirm?key={key}")):
        assert page.status_code in (404, 400)  # a POST without its CSRF token stops earlier
    page = client.get(f"/edit?key={key}")
    assert page.status_code == 404 and "edit link is not valid" in page.get_data(as_text=True)


def test_one_initiatives_link_cannot_touch_another(client):
    a, key_a = submit_one(client, name="First group", website="", phone="", whatsapp="")
    b, _key_b = submit_one(client, name="Second group", website="", phone="", whatsapp="", city="Roma")
    post_form(client, f"/edit?key={key_a}", valid_form(name="First group renamed", website="", phone="",
                                                        whatsapp=""))
    db.session.expire_all()
    assert a.name == "First group renamed" and b.name == "Second group"
    assert [e.action for e in b.history] == ["submit"]


def test_an_expired_edit_link_says_so(app, client):
    row, key = submit_one(client)
    row.edit_token_created = row.edit_token_created.replace(year=row.edit_token_created.year - 3)
    db.session.commit()
    page = client.get(f"/edit?key={key}")
    assert page.status_code == 410 and "expired" in page.get_data(as_text=True)


def test_the_link_confirms_the_initiative_is_still_active(client):
    row, key = submit_one(client)
    form = hidden_fields(client.get(f"/edit?key={key}").get_data(as_text=True))
    page = client.post(f"/edit/confirm?key={key}", data={"csrf_token": form["csrf_token"]})
    assert page.status_code == 200
    db.session.expire_all()
    assert row.confirmed_on is not None
    assert row.history[-1].action == "confirm-active"


def test_the_link_asks_for_removal_with_a_reason(client):
    row, key = submit_one(client)
    form = hidden_fields(client.get(f"/edit?key={key}").get_data(as_text=True))
    page = client.post(f"/edit/remove?key={key}", data={"csrf_token": form["csrf_token"], "reason": "We stopped"})
    assert page.status_code == 200
    db.session.expire_all()
    assert row.removal_requested is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "request-removal"))
    assert entry.note == "We stopped" and entry.initiative_id == row.id


def test_the_edit_link_goes_out_through_the_configured_smtp_server(app, client, smtp_server):
    controller, received = smtp_server
    app.config["WISH"] = load_settings({"WISH_SMTP_HOST": "127.0.0.1", "WISH_SMTP_PORT": str(controller.port),
                                        "WISH_SMTP_STARTTLS": "false", "WISH_PUBLIC_URL": "https://wish.example.org",
                                        "WISH_CATALOG_CHECK_SECONDS": "0"})
    page = post_form(client, "/submit", valid_form())
    key = edit_key(page.get_data(as_text=True))
    [mail] = received
    assert mail["To"] == "volunteer@example.org"
    assert f"https://wish.example.org/edit?key={key}" in mail.get_payload(decode=True).decode()
    assert outbox(app) == []


def test_volunteers_get_no_cookie_from_the_form_the_link_or_its_buttons(client):
    pages = [client.get("/submit")]
    pages.append(post_form(client, "/submit", valid_form()))
    key = edit_key(pages[-1].get_data(as_text=True))
    pages.append(client.get(f"/edit?key={key}"))
    pages.append(post_form(client, f"/edit?key={key}", valid_form(name="Tea and Talk, Monday")))
    token = hidden_fields(client.get(f"/edit/confirm?key={key}").get_data(as_text=True))["csrf_token"]
    pages.append(client.post(f"/edit/confirm?key={key}", data={"csrf_token": token}))
    pages.append(client.post(f"/edit/remove?key={key}", data={"csrf_token": token, "reason": "stopped"}))
    assert [p.status_code for p in pages] == [200] * 6
    assert all("Set-Cookie" not in p.headers for p in pages)
    assert client.get_cookie("session") is None


def test_a_form_token_older_than_six_hours_is_refused(client, monkeypatch):
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 7 * 3600)
    old = hidden_fields(client.get("/submit").get_data(as_text=True))
    monkeypatch.setattr(time, "time", real)
    page = client.post("/submit", data={**old, **valid_form()})
    assert page.status_code == 400 and "open too long" in page.get_data(as_text=True)
    assert stored() == []


def test_a_pending_submission_is_never_shown_or_claimable_by_a_stranger(client):
    owner, _key = submit_one(client, name="Safe house for women", address="Via Segreta 7", phone="", whatsapp="")
    stranger = valid_form(name="Hijacked", address="Via Falsa 1", phone="", whatsapp="")
    warned = post_form(client, "/submit", stranger)
    html = warned.get_data(as_text=True)
    assert warned.status_code == 409  # the same website: a likely duplicate
    assert "Safe house for women" not in html and "Via Segreta" not in html
    assert f"mine:{owner.id}" not in html
    post_form(client, "/submit", {**stranger, "duplicate_choice": f"mine:{owner.id}"})
    db.session.expire_all()
    assert (owner.name, owner.address) == ("Safe house for women", "Via Segreta 7")
    assert db.session.scalar(select(func.count(PendingEdit.id))) == 0


def test_a_claim_never_replaces_the_owners_own_pending_change(client):
    row, key = submit_one(client, phone="", whatsapp="")
    row.status = "published"
    db.session.commit()
    post_form(client, f"/edit?key={key}", valid_form(name="Owner's new name", phone="", whatsapp=""))
    post_form(client, "/submit", valid_form(name="Stranger's name", phone="", whatsapp="",
                                             contact_email="stranger@example.org", duplicate_choice=f"mine:{row.id}"))
    edits = db.session.scalars(select(PendingEdit).order_by(PendingEdit.id)).all()
    assert [(e.data["name"], e.status, e.source) for e in edits] == [
        ("Owner's new name", "pending", "edit-link"), ("Stranger's name", "pending", "claim")]
    assert 'value="Owner&#39;s new name"' in client.get(f"/edit?key={key}").get_data(as_text=True)


def test_a_new_contact_email_through_the_link_is_kept_and_audited(client):
    row, key = submit_one(client)
    post_form(client, f"/edit?key={key}", valid_form(contact_email="new-volunteer@example.org"))
    db.session.expire_all()
    assert row.contact_email == "new-volunteer@example.org"
    assert row.history[-1].changes["contact_email"] == ["volunteer@example.org", "new-volunteer@example.org"]


def test_single_line_fields_lose_line_breaks(client):
    post_form(client, "/submit", valid_form(name="Tea\r\nBcc: x@example.org", city="Padova\n",
                                             description="Line one\nLine two"))
    [row] = stored()
    assert row.name == "Tea Bcc: x@example.org" and row.city == "Padova"
    assert row.description == "Line one\nLine two"


def test_an_odd_submission_key_is_ignored_not_stored(client):
    page = post_form(client, "/submit", {**valid_form(), "submission_key": "k" * 300})
    assert page.status_code == 200
    [row] = stored()
    assert row.submission_key is None


def edit_page_fields(client, key: str) -> dict:
    """Every input of the edit form as the page shows it, the stored point included."""
    return inputs(client.get(f"/edit?key={key}").get_data(as_text=True)).values


def test_an_edit_that_leaves_the_place_alone_keeps_its_precision(client):
    row, key = submit_one(client)  # placed at the town by the server: precision city
    fields = edit_page_fields(client, key)
    assert fields["precision"] == "city" and fields["latitude"]
    client.post(f"/edit?key={key}", data={**valid_form(description="New times"),
                                          **{k: fields[k] for k in ("csrf_token", "latitude", "longitude", "precision")}})
    db.session.expire_all()
    assert row.description == "New times" and row.location_precision == "city"


def test_a_new_town_without_the_map_script_is_found_again_not_left_at_the_old_pin(client):
    row, key = submit_one(client)
    fields = edit_page_fields(client, key)
    client.post(f"/edit?key={key}", data={**valid_form(city="Bologna"),
                                          **{k: fields[k] for k in ("csrf_token", "latitude", "longitude", "precision")}})
    db.session.expire_all()
    assert row.city == "Bologna" and abs(row.latitude - 44.49) < 0.05


def test_a_waiting_change_with_a_new_contact_email_still_shows_in_the_form(client):
    row, key = submit_one(client)
    row.status = "published"
    db.session.commit()
    post_form(client, f"/edit?key={key}", valid_form(name="Renamed", contact_email="new@example.org"))
    assert 'value="Renamed"' in client.get(f"/edit?key={key}").get_data(as_text=True)
    post_form(client, f"/edit?key={key}", valid_form(name="Renamed again", contact_email="new@example.org"))
    statuses = db.session.execute(select(PendingEdit.status).order_by(PendingEdit.id)).scalars().all()
    assert statuses == ["superseded", "pending"]
