"""Staff curation through the client: protection of every route, actions and their audit trail,
pending edits, merges, stale listings, bulk import and export."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import make_record
from tests.formtools import hidden_fields, post_form, valid_form
from wish import create_app, staff, volunteers
from wish.config import load_settings
from wish.extensions import db
from wish.models import AuditEntry, Initiative, PendingEdit, User
from wish.web.curate import ADMIN_ENDPOINTS

PASSWORD = "correct horse battery staple"


def login(client, email: str) -> None:
    form = hidden_fields(client.get("/curate/login").get_data(as_text=True))
    page = client.post("/curate/login", data={**form, "email": email, "password": PASSWORD})
    assert page.status_code == 302, page.get_data(as_text=True)


@pytest.fixture
def curator(app, client):
    staff.create_user(db.session, "curator@example.org", PASSWORD, "curator")
    login(client, "curator@example.org")
    return client


@pytest.fixture
def admin(app, client):
    staff.create_user(db.session, "admin@example.org", PASSWORD, "admin")
    login(client, "admin@example.org")
    return client


def csrf(client, path: str = "/curate/login") -> str:
    return hidden_fields(client.get(path).get_data(as_text=True))["csrf_token"]


def row(ref: str) -> Initiative:
    db.session.expire_all()
    return db.session.scalar(select(Initiative).where(Initiative.ref == ref))


def pending(add, **overrides) -> str:
    return add(make_record(status="pending", verified=None, **overrides))


# --- protection ------------------------------------------------------------------------------------

def curate_routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every /curate route but the login, with placeholder arguments."""
    values = {"initiative_id": 1, "edit_id": 1, "user_id": 1, "action": "approve", "fmt": "csv"}
    adapter = app.url_map.bind("localhost")
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/curate") or rule.endpoint == "curate.login":
            continue
        url = adapter.build(rule.endpoint, {k: values[k] for k in rule.arguments})
        routes.extend((rule.endpoint, method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return routes


# Built from the URL map when the tests are collected: a new /curate route gets these tests itself.
ROUTES = curate_routes(create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}))
ROUTE_IDS = [f"{method} {url}" for _, method, url in ROUTES]


def test_the_route_list_covers_every_staff_page():
    endpoints = {endpoint for endpoint, _, _ in ROUTES}
    assert {"curate.queue", "curate.initiative", "curate.act", "curate.edit", "curate.merge", "curate.decide_edit",
            "curate.stale", "curate.export", "curate.import_preview", "curate.import_commit", "curate.users",
            "curate.user_create", "curate.user_update", "curate.logout", "curate.listings"} <= endpoints


@pytest.mark.parametrize(("endpoint", "method", "url"), ROUTES, ids=ROUTE_IDS)
def test_every_staff_route_refuses_anonymous_visitors(client, endpoint, method, url):
    page = client.open(url, method=method, data={"csrf_token": csrf(client)} if method == "POST" else None)
    if method == "GET":
        assert page.status_code == 302 and "/curate/login" in page.headers["Location"]
    else:
        assert page.status_code == 401


@pytest.mark.parametrize(("endpoint", "method", "url"), ROUTES, ids=ROUTE_IDS)
def test_every_staff_route_refuses_a_blocked_account(curator, endpoint, method, url):
    token = csrf(curator, "/curate/")
    user = db.session.scalar(select(User).where(User.email == "curator@example.org"))
    user.active = False
    db.session.commit()
    page = curator.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
    assert page.status_code in (302, 401)
    assert page.status_code == 401 or "/curate/login" in page.headers["Location"]


ADMIN_ROUTES = [r for r in ROUTES if r[0] in ADMIN_ENDPOINTS]


@pytest.mark.parametrize(("endpoint", "method", "url"), ADMIN_ROUTES, ids=[f"{m} {u}" for _, m, u in ADMIN_ROUTES])
def test_admin_routes_refuse_curators(curator, endpoint, method, url):
    token = csrf(curator, "/curate/")
    page = curator.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
    assert page.status_code == 403


def test_admin_routes_are_the_account_pages():
    assert {url for _, _, url in ADMIN_ROUTES} == {url for _, _, url in ROUTES if url.startswith("/curate/users")}


def test_posts_without_the_csrf_token_are_refused(app, admin, add):
    ref = pending(add)
    page = admin.post(f"/curate/initiatives/{row(ref).id}/approve")
    assert page.status_code == 400 and row(ref).status == "pending"


def test_login_with_a_wrong_password_fails_the_same_as_an_unknown_email(app, client):
    staff.create_user(db.session, "curator@example.org", PASSWORD)
    token = csrf(client)
    wrong = client.post("/curate/login", data={"csrf_token": token, "email": "curator@example.org", "password": "x"})
    unknown = client.post("/curate/login", data={"csrf_token": token, "email": "who@example.org", "password": "x"})
    assert wrong.status_code == unknown.status_code == 401
    assert "e-mail or the password is wrong" in wrong.get_data(as_text=True)
    assert client.get("/curate/").status_code == 302


def test_login_sets_a_secure_httponly_samesite_cookie_and_logout_ends_it(app, client):
    staff.create_user(db.session, "curator@example.org", PASSWORD)
    form = hidden_fields(client.get("/curate/login").get_data(as_text=True))
    page = client.post("/curate/login", data={**form, "email": "Curator@Example.org ", "password": PASSWORD})
    cookie = page.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/curate/").status_code == 200
    client.post("/curate/logout", data={"csrf_token": csrf(client, "/curate/")})
    assert client.get("/curate/").status_code == 302


def test_login_is_rate_limited(app, client):
    app.config["RATELIMIT_ENABLED"] = True
    app.config["WISH"] = load_settings({"WISH_LOGIN_RATE_LIMIT": "3 per minute", "WISH_CATALOG_CHECK_SECONDS": "0"})
    from wish.extensions import limiter

    limiter.init_app(app)
    token = csrf(client)
    codes = [client.post("/curate/login", data={"csrf_token": token, "email": "a@b.c", "password": "x"}).status_code
             for _ in range(4)]
    assert codes == [401, 401, 401, 429]


def test_login_only_returns_to_staff_pages(app, client):
    staff.create_user(db.session, "curator@example.org", PASSWORD)
    form = hidden_fields(client.get("/curate/login").get_data(as_text=True))
    page = client.post("/curate/login?next=https://evil.example/curate", data={**form, "email": "curator@example.org",
                                                                               "password": PASSWORD})
    assert page.headers["Location"] == "/curate/"


def test_a_password_change_ends_other_sessions(app, curator):
    user = db.session.scalar(select(User))
    staff.set_password(db.session, user, "another long password")
    assert curator.get("/curate/").status_code == 302


def test_create_user_command_makes_the_first_admin(runner):
    result = runner.invoke(args=["create-user", "boss@example.org", "--role", "admin"],
                           env={"NEW_STAFF_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.role) == ("boss@example.org", "admin") and PASSWORD not in user.password_hash
    short = runner.invoke(args=["create-user", "b@example.org"], env={"NEW_STAFF_PASSWORD": "short"})
    assert short.exit_code != 0 and "12 characters" in short.output


def test_create_user_command_as_a_new_operator_runs_it(fresh_db):
    """The real command line, as the README says: the password variable must not trip the settings check."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from wish.config import ROOT

    env = {k: v for k, v in os.environ.items() if not k.startswith("WISH_")}
    env.update(WISH_DATABASE_URL=f"sqlite:///{fresh_db}", NEW_STAFF_PASSWORD=PASSWORD)
    flask = Path(sys.executable).with_name("flask")
    done = subprocess.run([str(flask), "--app", "wish", "create-user", "ops@example.org", "--role", "admin"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "created admin ops@example.org" in done.stdout


def test_admin_creates_and_blocks_staff_accounts(app, admin):
    token = csrf(admin, "/curate/users")
    page = admin.post("/curate/users", data={"csrf_token": token, "email": "new@example.org", "password": PASSWORD,
                                             "role": "curator"})
    assert page.status_code == 302
    new = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert new.role == "curator" and new.active
    admin.post(f"/curate/users/{new.id}", data={"csrf_token": token, "role": "curator", "active": "0"})
    db.session.expire_all()
    assert new.active is False
    me = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    assert admin.post(f"/curate/users/{me.id}", data={"csrf_token": token, "role": "curator"}).status_code == 400


# --- the queue and the actions ----------------------------------------------------------------------

def test_queue_lists_submissions_edits_and_removals_oldest_first_with_filters(app, curator, add):
    first = pending(add, name="Oldest submission")
    pending(add, name="Newer submission in Rome", city="Roma", country="IT")
    published = add(name="Published one")
    edit = volunteers.propose_edit(db.session, row(published), make_record(name="Published one, renamed"), "v@e.org")
    assert edit is not None
    page = curator.get("/curate/").get_data(as_text=True)
    assert page.index("Oldest submission") < page.index("Newer submission") < page.index("Published one")
    assert "Changes to check: 1" in page and "New submissions: 2" in page
    only_edits = curator.get("/curate/?kind=edit").get_data(as_text=True)
    assert "Published one" in only_edits and "Oldest submission" not in only_edits
    searched = curator.get("/curate/?q=Rome").get_data(as_text=True)
    assert "Newer submission in Rome" in searched and "Oldest submission" not in searched
    assert row(first).status == "pending"


def act(client, ref: str, action: str, **form):
    initiative_id = row(ref).id
    token = csrf(client, f"/curate/initiatives/{initiative_id}")
    return client.post(f"/curate/initiatives/{initiative_id}/{action}", data={"csrf_token": token, **form})


def last_entry(ref: str) -> AuditEntry:
    return row(ref).history[-1]


def test_approve_publishes_and_leaves_an_audit_entry(app, curator, add):
    ref = pending(add, name="To approve")
    assert act(curator, ref, "approve").status_code == 302
    entry = last_entry(ref)
    assert (entry.actor, entry.action) == ("staff:curator@example.org", "approve")
    assert entry.changes["status"] == ["pending", "published"]
    assert entry.changes["verified"][1] == date.today().isoformat()
    assert curator.get(f"/api/initiatives/{row(ref).id}").get_json()["name"] == "To approve"


def test_reject_needs_a_reason_and_keeps_it(app, curator, add):
    ref = pending(add)
    assert act(curator, ref, "reject", reason="").status_code == 400
    assert row(ref).status == "pending"
    assert act(curator, ref, "reject", reason="Not an initiative for refugees").status_code == 302
    entry = last_entry(ref)
    assert entry.action == "reject" and entry.note == "Not an initiative for refugees"
    assert entry.changes == {"status": ["pending", "rejected"]}


def test_archive_and_restore(app, curator, add):
    ref = add(name="Seasonal kitchen")
    act(curator, ref, "archive", reason="Closed for good")
    assert row(ref).status == "archived" and last_entry(ref).note == "Closed for good"
    assert curator.get(f"/api/initiatives/{row(ref).id}").status_code == 404
    act(curator, ref, "restore")
    assert row(ref).status == "published"
    assert last_entry(ref).changes["status"] == ["archived", "published"]
    assert curator.get(f"/api/initiatives/{row(ref).id}").status_code == 200


def test_an_action_that_does_not_fit_the_status_is_a_clear_400(app, curator, add):
    ref = add()
    page = act(curator, ref, "approve")
    assert page.status_code == 400 and "published" in page.get_data(as_text=True)


def test_edit_and_approve_in_one_step(app, curator, add):
    ref = pending(add, name="Typo in nmae")
    initiative_id = row(ref).id
    page = post_form(curator, f"/curate/initiatives/{initiative_id}/edit",
                     valid_form(name="Typo in name", contact_email="", latitude="45.4", longitude="11.87",
                                publish="1"))
    assert page.status_code == 302, page.get_data(as_text=True)
    entry = last_entry(ref)
    assert entry.action == "edit-approve" and entry.actor == "staff:curator@example.org"
    assert entry.changes["name"] == ["Typo in nmae", "Typo in name"]
    assert entry.changes["status"] == ["pending", "published"]
    assert row(ref).status == "published"


def test_a_staff_edit_without_publishing_keeps_the_status(app, curator, add):
    ref = add(name="Old name")
    post_form(curator, f"/curate/initiatives/{row(ref).id}/edit", valid_form(name="New name"))
    entry = last_entry(ref)
    assert entry.action == "edit" and entry.changes["name"] == ["Old name", "New name"]
    assert "status" not in entry.changes and row(ref).status == "published"


def test_a_pending_edit_shows_its_diff_and_is_approved(app, curator, add):
    ref = add(name="Italian class", phone="+39 049 111 1111")
    edit = volunteers.propose_edit(db.session, row(ref), make_record(name="Italian class Arcella",
                                                                     phone="+39 049 222 2222"), "vol@example.org")
    page = curator.get(f"/curate/initiatives/{row(ref).id}").get_data(as_text=True)
    section = page[page.index(f'id="edit-{edit.id}"'):]
    assert "<del>Italian class</del>" in section and "<ins>Italian class Arcella</ins>" in section
    assert "<del>+39 049 111 1111</del>" in section and "<ins>+39 049 222 2222</ins>" in section
    assert "<th scope=\"row\">city</th>" not in section.split("</table>")[0]  # unchanged fields are not listed
    token = csrf(curator, f"/curate/initiatives/{row(ref).id}")
    curator.post(f"/curate/edits/{edit.id}/approve", data={"csrf_token": token})
    assert row(ref).name == "Italian class Arcella" and row(ref).status == "published"
    entry = last_entry(ref)
    assert entry.action == "approve-edit" and entry.changes["phone"] == ["+39 049 111 1111", "+39 049 222 2222"]
    assert db.session.get(PendingEdit, edit.id).status == "approved"
    assert curator.get(f"/api/initiatives/{row(ref).id}").get_json()["name"] == "Italian class Arcella"


def test_a_rejected_edit_keeps_its_reason_and_changes_nothing(app, curator, add):
    ref = add(name="Italian class")
    edit = volunteers.propose_edit(db.session, row(ref), make_record(name="Spam"), "vol@example.org")
    token = csrf(curator, f"/curate/initiatives/{row(ref).id}")
    curator.post(f"/curate/edits/{edit.id}/reject", data={"csrf_token": token, "reason": "Looks like spam"})
    assert row(ref).name == "Italian class"
    assert db.session.get(PendingEdit, edit.id).reason == "Looks like spam"
    assert last_entry(ref).action == "reject-edit" and "Looks like spam" in last_entry(ref).note


def test_the_initiative_page_shows_every_field_and_its_history(app, curator, add):
    ref = pending(add, name="History lesson")
    act(curator, ref, "approve")
    page = curator.get(f"/curate/initiatives/{row(ref).id}").get_data(as_text=True)
    history = page[page.index('id="history-h"'):]
    assert "staff:curator@example.org" in history and "approve" in history and "create" in history
    for field in ("contact_email", "opening_hours", "removal_requested", "location_precision"):
        assert f"<dt>{field}</dt>" in page


def test_duplicates_are_listed_and_a_submission_merges_into_a_listing(app, curator, add):
    target = add(name="Tea and Talk Padova")
    dup = pending(add, name="Tea & Talk Padova", description="New times")
    page = curator.get(f"/curate/initiatives/{row(dup).id}").get_data(as_text=True)
    assert "Likely duplicates" in page and "Tea and Talk Padova" in page
    token = csrf(curator, f"/curate/initiatives/{row(dup).id}")
    curator.post(f"/curate/initiatives/{row(dup).id}/merge", data={"csrf_token": token, "into": row(target).id})
    assert row(dup).status == "rejected" and last_entry(dup).action == "merge"
    edit = db.session.scalar(select(PendingEdit).where(PendingEdit.initiative_id == row(target).id))
    assert edit.source == "merge" and edit.data["description"] == "New times"
    assert row(target).description == "Free Italian lessons twice a week."  # waits for approval


# --- freshness -------------------------------------------------------------------------------------

def test_stale_view_lists_old_listings_oldest_first(app, curator, add):
    today = date.today()
    add(name="Checked a year ago", verified=today - timedelta(days=365))
    add(name="Checked 200 days ago", verified=today - timedelta(days=200))
    add(name="Checked last month", verified=today - timedelta(days=30))
    old_but_confirmed = add(name="Confirmed by its volunteer", verified=today - timedelta(days=400))
    row(old_but_confirmed).confirmed_on = today - timedelta(days=3)
    db.session.commit()
    page = curator.get("/curate/stale").get_data(as_text=True)
    assert page.index("Checked a year ago") < page.index("Checked 200 days ago")
    assert "Checked last month" not in page and "Confirmed by its volunteer" not in page


def test_marking_verified_takes_a_listing_off_the_stale_view(app, curator, add):
    ref = add(name="Old listing", verified=date.today() - timedelta(days=365))
    act(curator, ref, "verify")
    assert row(ref).verified == date.today() and last_entry(ref).action == "verify"
    assert "Old listing" not in curator.get("/curate/stale").get_data(as_text=True)
    page = curator.get(f"/initiatives/{row(ref).id}").get_data(as_text=True)
    assert "Verified on" in page


def test_still_active_email_and_its_one_click_confirmation(app, curator, add):
    ref = add(name="Old listing", verified=date.today() - timedelta(days=365))
    row(ref).contact_email = "vol@example.org"
    db.session.commit()
    act(curator, ref, "remind")
    assert last_entry(ref).action == "remind" and last_entry(ref).note == "sent"
    from tests.api.test_submit import outbox

    [mail] = outbox(app)
    body = mail.get_payload(decode=True).decode()
    assert mail["To"] == "vol@example.org"
    confirm = next(line for line in body.splitlines() if "/edit/confirm?key=" in line).strip()
    path = confirm.split("localhost", 1)[1]
    visitor = app.test_client()
    page = visitor.get(path)
    assert page.status_code == 200 and row(ref).confirmed_on is None  # opening the link confirms nothing
    token = hidden_fields(page.get_data(as_text=True))["csrf_token"]
    visitor.post(path, data={"csrf_token": token})
    assert row(ref).confirmed_on == date.today()
    assert "Old listing" not in curator.get("/curate/stale").get_data(as_text=True)


def test_initiatives_past_their_end_date_leave_the_public_map(app, client, add):
    ref = add(name="Summer school", valid_until=date.today() - timedelta(days=1))
    assert client.get(f"/api/initiatives/{row(ref).id}").status_code == 404
    assert client.get("/api/initiatives?q=Summer").get_json()["total"] == 0


# --- bulk ------------------------------------------------------------------------------------------

def upload(client, name: str, content: str):
    token = csrf(client, "/curate/import")
    return client.post("/curate/import", data={"csrf_token": token, "file": (io.BytesIO(content.encode()), name)},
                       content_type="multipart/form-data")


def csv_text(rows: list[dict]) -> str:
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=["ref", "name", "support_types", "country", "city", "latitude",
                                                "longitude"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return stream.getvalue()


def test_import_previews_then_commits_everything(app, curator, add):
    add(make_record(ref="known-1", name="Known"))
    content = csv_text([
        {"ref": "known-1", "name": "Known, renamed", "support_types": "language-classes", "country": "IT",
         "city": "Padova", "latitude": "45.4064", "longitude": "11.8768"},
        {"ref": "new-1", "name": "Brand new", "support_types": "food", "country": "FR", "city": "Paris",
         "latitude": "48.85", "longitude": "2.35"},
    ])
    preview = upload(curator, "batch.csv", content)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Rows to add: 1" in html and "Rows to update: 1" in html and "Rows with errors: 0" in html
    assert row("new-1") is None and row("known-1").name == "Known"  # a preview writes nothing
    form = hidden_fields(html)
    done = curator.post("/curate/import/commit", data=form)
    assert done.status_code == 200 and "1 added, 1 updated" in done.get_data(as_text=True)
    assert row("known-1").name == "Known, renamed" and row("new-1").status == "published"
    assert last_entry("known-1").actor == "staff:curator@example.org" and last_entry("known-1").action == "import"


def test_import_with_bad_rows_names_each_and_changes_nothing(app, curator, add):
    content = csv_text([
        {"ref": "ok-1", "name": "Fine", "support_types": "food", "country": "IT", "city": "Padova"},
        {"ref": "bad-1", "name": "Bad country", "support_types": "food", "country": "XX", "city": "Nowhere"},
        {"ref": "bad-2", "name": "", "support_types": "flying", "country": "IT", "city": "Padova"},
    ])
    page = upload(curator, "batch.csv", content)
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "nothing was imported" in html
    assert "<td>2</td><td>country</td>" in html and "<td>3</td><td>name</td>" in html
    assert "Import all of it" not in html
    assert row("ok-1") is None


def test_import_refuses_an_unknown_format(app, curator):
    page = upload(curator, "batch.xlsx", "x")
    assert page.status_code == 400 and "csv" in page.get_data(as_text=True).lower()


def test_staff_export_respects_filters_and_may_include_private_fields(app, curator, add):
    italy = add(name="In Italy")
    add(make_record(name="In France", country="FR", city="Paris", latitude=48.85, longitude=2.35))
    row(italy).contact_email = "private@example.org"
    db.session.commit()
    public_view = curator.get("/curate/export.csv?country=IT").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(public_view)))
    assert [r["name"] for r in rows] == ["In Italy"] and "contact_email" not in rows[0]
    private = curator.get("/curate/export.csv?country=IT&private=1").get_data(as_text=True)
    assert list(csv.DictReader(io.StringIO(private)))[0]["contact_email"] == "private@example.org"
    geo = json.loads(curator.get("/curate/export.geojson?country=FR").get_data(as_text=True))
    assert [f["properties"]["name"] for f in geo["features"]] == ["In France"]


def test_public_exports_never_carry_private_fields(app, client, add):
    ref = add(name="Has a private contact")
    item = row(ref)
    item.contact_email, item.confirmed_on = "private@example.org", date.today()
    db.session.commit()
    assert row(ref).contact_email == "private@example.org"
    for path in ("/api/initiatives.csv", "/api/initiatives.geojson", "/api/initiatives",
                 f"/api/initiatives/{row(ref).id}", f"/initiatives/{row(ref).id}"):
        body = client.get(path).get_data(as_text=True)
        assert "Has a private contact" in body, path
        assert "private@example.org" not in body and "contact_email" not in body, path
        assert "confirmed_on" not in body and "edit_token" not in body, path
    csv_rows = list(csv.DictReader(io.StringIO(client.get("/api/initiatives.csv?country=IT").get_data(as_text=True))))
    assert [r["name"] for r in csv_rows] == ["Has a private contact"]
    assert csv_rows[0]["support_types"] == "language-classes"


def test_a_volunteers_new_contact_email_is_applied_with_the_approved_edit(app, curator, add):
    ref = add(name="Italian class")
    row(ref).contact_email = "old@example.org"
    db.session.commit()
    edit = volunteers.propose_edit(db.session, row(ref), make_record(name="Italian class"), "new@example.org")
    token = csrf(curator, f"/curate/initiatives/{row(ref).id}")
    curator.post(f"/curate/edits/{edit.id}/approve", data={"csrf_token": token})
    assert row(ref).contact_email == "new@example.org"
    assert last_entry(ref).changes["contact_email"] == ["old@example.org", "new@example.org"]


def test_a_staff_change_of_the_contact_email_is_audited(app, curator, add):
    ref = add(name="Italian class")
    post_form(curator, f"/curate/initiatives/{row(ref).id}/edit",
              valid_form(name="Italian class", contact_email="fixed@example.org"))
    assert row(ref).contact_email == "fixed@example.org"
    assert last_entry(ref).changes["contact_email"] == ["", "fixed@example.org"]


def test_a_submission_archived_before_approval_is_restored_to_the_queue_not_the_map(app, curator, add):
    ref = pending(add, name="Never approved")
    act(curator, ref, "archive")
    act(curator, ref, "restore")
    assert row(ref).status == "pending"
    assert curator.get(f"/api/initiatives/{row(ref).id}").status_code == 404


def test_a_reminder_works_for_a_name_with_a_line_break(app, curator, add):
    ref = add(make_record(name="Tea\nBcc: someone@example.org", verified=date.today() - timedelta(days=365)))
    item = row(ref)
    item.contact_email, old_hash = "vol@example.org", item.edit_token_hash
    db.session.commit()
    assert act(curator, ref, "remind").status_code == 302
    from tests.api.test_submit import outbox

    [mail] = outbox(app)
    from email.header import decode_header, make_header

    assert str(make_header(decode_header(mail["Subject"]))) == "Is “Tea Bcc: someone@example.org” still active?"
    assert mail["Bcc"] is None
    assert row(ref).edit_token_hash not in (None, old_hash) and last_entry(ref).note == "sent"


def test_a_reminder_that_cannot_be_sent_keeps_the_old_link(app, curator, add):
    ref = add(name="Old listing")
    item = row(ref)
    item.contact_email, item.edit_token_hash = "vol@example.org", "a" * 64
    db.session.commit()
    from tests.conftest import free_port

    app.config["WISH"] = load_settings({"WISH_SMTP_HOST": "127.0.0.1", "WISH_SMTP_PORT": str(free_port()),
                                        "WISH_CATALOG_CHECK_SECONDS": "0"})
    act(curator, ref, "remind")
    assert row(ref).edit_token_hash == "a" * 64 and last_entry(ref).note == "mail failed"


@pytest.mark.parametrize("path", ["/curate/initiatives/99999999999999999999", "/curate/initiatives?page=99999999999999999999"])
def test_huge_numbers_are_not_found_not_a_crash(curator, path):
    assert curator.get(path).status_code in (200, 404)


def test_odd_numbers_in_posted_forms_are_clear_errors(app, curator, add):
    ref = pending(add)
    token = csrf(curator, f"/curate/initiatives/{row(ref).id}")
    merge = curator.post(f"/curate/initiatives/{row(ref).id}/merge", data={"csrf_token": token, "into": "9" * 30})
    assert merge.status_code == 404
    for path in (f"/curate/edits/{'9' * 30}/approve", f"/curate/users/{'9' * 30}"):
        assert curator.post(path, data={"csrf_token": token}).status_code in (403, 404)
    odd_next = curator.post(f"/curate/initiatives/{row(ref).id}/approve",
                            data={"csrf_token": token, "next": "/curate/\r\nX: y"})
    assert odd_next.status_code == 302 and odd_next.headers["Location"] == "/curate/"


@pytest.mark.parametrize("document", [
    '{"type": "FeatureCollection", "features": 5}',
    '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": [1, 2], "properties": {}}]}',
    '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": "x", "properties": {}}]}',
    "[" * 100_000,
    '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null, "properties": '
    '{"name": "Nul\\u0000", "support_types": "food", "country": "IT"}}]}',
], ids=["features-not-a-list", "geometry-list", "geometry-string", "deep-nesting", "nul-character"])
def test_malformed_geojson_uploads_are_named_errors(app, curator, document):
    page = upload(curator, "batch.geojson", document)
    assert page.status_code == 400 and "nothing was imported" in page.get_data(as_text=True)
    assert db.session.scalar(select(Initiative.id)) is None


def test_behind_a_trusted_proxy_each_client_has_its_own_login_limit(fresh_db):

    def app_with(proxies: str):
        from wish.extensions import limiter

        made = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{fresh_db}", "RATELIMIT_ENABLED": True,
                           "WISH": load_settings({"WISH_TRUSTED_PROXIES": proxies,
                                                  "WISH_LOGIN_RATE_LIMIT": "2 per minute"})})
        limiter.init_app(made)
        return made

    def codes(made, forwarded_for: str) -> list[int]:
        client = made.test_client()
        token = hidden_fields(client.get("/curate/login").get_data(as_text=True))["csrf_token"]
        return [client.post("/curate/login", data={"csrf_token": token, "email": "a@b.c", "password": "x"},
                            headers={"X-Forwarded-For": forwarded_for}).status_code for _ in range(3)]

    behind_proxy = app_with("1")
    assert codes(behind_proxy, "203.0.113.1") == [401, 401, 429]
    assert codes(behind_proxy, "203.0.113.2") == [401, 401, 429]  # another client, its own count
    direct = app_with("0")
    assert codes(direct, "203.0.113.3") == [401, 401, 429]
    assert codes(direct, "203.0.113.4") == [429, 429, 429]  # not believed: the same client as before


def test_marking_verified_answers_a_removal_request(app, curator, add):
    ref = add(name="Still running")
    volunteers.request_removal(db.session, row(ref), "closed?")
    assert "Still running" in curator.get("/curate/?kind=removal").get_data(as_text=True)
    act(curator, ref, "verify")
    assert row(ref).removal_requested is None
    assert "Still running" not in curator.get("/curate/?kind=removal").get_data(as_text=True)


def test_a_listing_whose_end_date_passed_can_still_be_edited(app, curator, add):
    ref = add(name="Summer school", valid_until=date.today() - timedelta(days=3))
    page = post_form(curator, f"/curate/initiatives/{row(ref).id}/edit",
                     valid_form(name="Summer school 2027", valid_until=row(ref).valid_until.isoformat()))
    assert page.status_code == 302 and row(ref).name == "Summer school 2027"


def test_preview_uploads_are_private_files(app, curator):
    from pathlib import Path

    upload(curator, "batch.csv", csv_text([{"ref": "n-1", "name": "New", "support_types": "food", "country": "IT",
                                            "city": "Padova", "latitude": "45.4", "longitude": "11.9"}]))
    [stored_file] = Path(app.config["UPLOAD_FOLDER"]).iterdir()
    assert stored_file.stat().st_mode & 0o077 == 0


def test_the_listings_pager_keeps_the_filters(app, curator, add):
    add(*[make_record(ref=f"it-{n:02d}", name=f"Italian group {n:02d}") for n in range(55)])
    first = curator.get("/curate/initiatives?country=IT&q=Italian").get_data(as_text=True)
    assert "Page 1 of 2" in first
    link = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "country=IT" in link and "q=Italian" in link and "page=2" in link
    second = curator.get(link).get_data(as_text=True)
    assert "Page 2 of 2" in second and second.count('href="/curate/initiatives/') == 5
