"""Staff pages under /curate: the review queue, one listing with its history, stale listings,
bulk import and export, staff accounts. Every route but the login needs a staff account."""

from __future__ import annotations

import io
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from wish import curation, duplicates, interchange, staff, tokens
from wish.errors import InvalidData, NotFound
from wish.extensions import db, limiter
from wish.models import Initiative, PendingEdit, User
from wish.review import to_record, upsert
from wish.web import DEFAULT_UPLOAD_BYTES, UPLOAD_ENDPOINTS, geocoder, mailer
from wish.web.forms import LoginForm, StaffInitiativeForm, UserForm
from wish.web.submit import edit_link, located

bp = Blueprint("curate", __name__, url_prefix="/curate")

PUBLIC_ENDPOINTS = frozenset({"curate.login"})
ADMIN_ENDPOINTS = frozenset({"curate.users", "curate.user_create", "curate.user_update"})
UPLOAD_ENDPOINTS["curate.import_preview"] = DEFAULT_UPLOAD_BYTES


@bp.before_request
def _staff_only():
    """Every /curate route: anonymous -> login (401 for non-GET); wrong role -> 403."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        if request.method == "GET":
            return redirect(url_for("curate.login", next=request.full_path.rstrip("?")))
        abort(401)
    role = "admin" if request.endpoint in ADMIN_ENDPOINTS else "curator"
    if not staff.has_role(current_user, role):
        abort(403)
    return None


@bp.after_request
def _private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def actor() -> str:
    return f"staff:{current_user.email}"


def _safe_next(target: str | None) -> str:
    if not target or not target.isprintable():
        return url_for("curate.queue")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/curate"):
        return url_for("curate.queue")
    return target


def _login_limit() -> str:
    return current_app.config["WISH"].login_rate_limit


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = staff.authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            session.clear()  # a fresh session: nothing carried over from before the login
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors = [_("The e-mail or the password is wrong.")]
    return render_template("curate/login.html", form=form), 200 if request.method == "GET" else 401


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("public.map_page"))


def _filters() -> curation.Filters:
    args = request.args
    return curation.Filters(args.get("country", "")[:2], args.get("support", "")[:40], args.get("status", "")[:12],
                            args.get("q", "")[:200])


MAX_ID = 2**63 - 1  # beyond it the database driver overflows; no row has such a number


def _get(model, number: int | None):
    return db.session.get(model, number) if number is not None and 0 < number <= MAX_ID else None


def _initiative(initiative_id: int | None) -> Initiative:
    initiative = _get(Initiative, initiative_id)
    if initiative is None:
        raise NotFound(_("There is no initiative with this number."))
    return initiative


@bp.get("/")
def queue():
    kind = request.args.get("kind", "")
    items = curation.queue(db.session, _filters(), kind if kind in ("submission", "edit", "removal") else "")
    return render_template("curate/queue.html", items=items, counts=curation.counts(db.session), kind=kind,
                           filters=_filters())


@bp.get("/initiatives")
def listings():
    page = min(max(1, request.args.get("page", 1, type=int) or 1), 100_000)
    total, rows = curation.listings(db.session, _filters(), 50, (page - 1) * 50)
    return render_template("curate/listings.html", rows=rows, total=total, page=page, filters=_filters(),
                           pages=max(1, -(-total // 50)))


@bp.get("/initiatives/<int:initiative_id>")
def initiative(initiative_id: int):
    item = _initiative(initiative_id)
    edits = db.session.query(PendingEdit).filter_by(initiative_id=item.id, status="pending").order_by(PendingEdit.id.desc())
    pending = [(e, curation.diff(e)) for e in edits]
    found = duplicates.find(db.session, to_record(item), exclude_id=item.id)
    return render_template("curate/initiative.html", item=item, pending=pending, duplicates=found,
                           last_checked=curation.last_checked(item))


ACTIONS = {
    "approve": lambda item, form: curation.approve(db.session, item, actor()),
    "reject": lambda item, form: curation.reject(db.session, item, actor(), form.get("reason", "")),
    "archive": lambda item, form: curation.archive(db.session, item, actor(), form.get("reason", "")),
    "restore": lambda item, form: curation.restore(db.session, item, actor()),
    "verify": lambda item, form: curation.mark_verified(db.session, item, actor()),
    "remind": lambda item, form: _remind(item),
}


@bp.post("/initiatives/<int:initiative_id>/<any(approve, reject, archive, restore, verify, remind):action>")
def act(initiative_id: int, action: str):
    item = _initiative(initiative_id)
    ACTIONS[action](item, request.form)
    return redirect(_safe_next(request.form.get("next")) if request.form.get("next")
                    else url_for("curate.initiative", initiative_id=item.id))


def _remind(item: Initiative) -> None:
    """Mail the volunteer a fresh link; the old one stops working only if the mail went out."""
    if not item.contact_email:
        raise InvalidData(_("This initiative has no contact e-mail."), field="contact_email")
    token, digest = tokens.new_token()
    body = _(
        "Hello,\n\n“%(name)s” is on WISH, the map that helps refugees find support. Is it still active, with the "
        "same address and opening hours?\n\nOne click confirms it:\n%(confirm)s\n\nTo change or remove it, use "
        "this private link:\n%(link)s\n\nThank you for keeping the map right.",
        name=item.name, confirm=edit_link(token, "submit.confirm"), link=edit_link(token),
    )
    sent = mailer().send(item.contact_email, _("Is “%(name)s” still active?", name=item.name), body)
    curation.reminded(db.session, item, actor(), digest if sent else None)


@bp.route("/initiatives/<int:initiative_id>/edit", methods=["GET", "POST"])
def edit(initiative_id: int):
    item = _initiative(initiative_id)
    form = StaffInitiativeForm(contact_email=item.contact_email)
    form.stored_until = item.valid_until
    if request.method == "GET":
        form.load(item)
        return render_template("curate/edit.html", form=form, item=item)
    record = located(form, ref=item.ref, stored=item) if form.validate_on_submit() else None
    if record is None:
        return render_template("curate/edit.html", form=form, item=item), 400
    curation.edit(db.session, item, record, actor(), publish=request.form.get("publish") == "1",
                  contact_email=form.contact_email.data or "")
    return redirect(url_for("curate.initiative", initiative_id=item.id))


@bp.post("/initiatives/<int:initiative_id>/merge")
def merge(initiative_id: int):
    item = _initiative(initiative_id)
    target = _initiative(request.form.get("into", 0, type=int))
    edit_ = curation.merge(db.session, item, target, actor())
    return redirect(url_for("curate.initiative", initiative_id=target.id, _anchor=f"edit-{edit_.id}"))


@bp.post("/edits/<int:edit_id>/<any(approve, reject):action>")
def decide_edit(edit_id: int, action: str):
    edit_ = _get(PendingEdit, edit_id)
    if edit_ is None:
        raise NotFound(_("There is no pending edit with this number."))
    if action == "approve":
        curation.approve_edit(db.session, edit_, actor())
    else:
        curation.reject_edit(db.session, edit_, actor(), request.form.get("reason", ""))
    return redirect(url_for("curate.initiative", initiative_id=edit_.initiative_id))


@bp.get("/stale")
def stale():
    days = current_app.config["WISH"].stale_days
    rows = curation.stale(db.session, days, _filters())
    return render_template("curate/stale.html", rows=rows, days=days, last_checked=curation.last_checked,
                           filters=_filters())


@bp.get("/export.<any(csv, geojson):fmt>")
def export(fmt: str):
    """The current filtered view; with private=1 also the contact e-mail and the volunteer's replies."""
    rows = list(curation.every_listing(db.session, _filters()))
    private = {r.ref: interchange.private_fields(r) for r in rows} if request.args.get("private") == "1" else None
    stream = io.StringIO()
    writer = interchange.write_csv if fmt == "csv" else interchange.write_geojson
    writer((to_record(r) for r in rows), stream, private=private)
    name = f"wish-initiatives{'-private' if private else ''}.{fmt}"
    return Response(stream.getvalue(), mimetype="text/csv" if fmt == "csv" else "application/geo+json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


UPLOAD_HOURS = 24  # a preview not committed within a day is deleted


def _upload_folder() -> Path:
    """Previewed files wait here for their commit; private exports re-imported hold e-mails."""
    folder = Path(current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    cutoff = time.time() - UPLOAD_HOURS * 3600
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    return folder


@bp.route("/import", methods=["GET", "POST"])
def import_preview():
    if request.method == "GET":
        return render_template("curate/import.html")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("curate/import.html", problem=_("Choose a CSV or GeoJSON file.")), 400
    try:
        fmt = interchange.detect_format(upload.filename)
    except InvalidData:
        return render_template("curate/import.html", problem=_("Use a .csv or .geojson file.")), 400
    text = upload.read().decode("utf-8-sig", errors="replace")
    checked = interchange.check(io.StringIO(text, newline=""), fmt)
    plan = curation.plan_import(db.session, checked.records) if not checked.errors else None
    token = None
    if plan is not None:
        token = secrets.token_urlsafe(16)
        path = _upload_folder() / f"{token}.{fmt}"
        path.touch(mode=0o600)
        path.write_text(text, encoding="utf-8")
    return render_template("curate/import.html", checked=checked, plan=plan, token=token, fmt=fmt,
                           filename=upload.filename), 200 if not checked.errors else 400


@bp.post("/import/commit")
def import_commit():
    token, fmt = request.form.get("token", ""), request.form.get("fmt", "")
    if not token.replace("-", "").replace("_", "").isalnum() or fmt not in interchange.FORMATS:
        abort(400)
    path = _upload_folder() / f"{token}.{fmt}"
    if not path.exists():
        raise NotFound(_("This upload is no longer here. Upload the file again."))
    with path.open(encoding="utf-8", newline="") as stream:
        checked = interchange.check(stream, fmt)
    if checked.errors:
        return render_template("curate/import.html", checked=checked), 400
    result = upsert(db.session, checked.records, actor=actor(), action="import", locate=geocoder().locate)
    path.unlink()
    return render_template("curate/import.html", result=result)


def _users_page(form: UserForm):
    return render_template("curate/users.html", users=db.session.query(User).order_by(User.email).all(), form=form)


@bp.get("/users")
def users():
    return _users_page(UserForm())


@bp.post("/users")
def user_create():
    form = UserForm()
    if form.validate_on_submit():
        try:
            staff.create_user(db.session, form.email.data, form.password.data, form.role.data)
            return redirect(url_for("curate.users"))
        except InvalidData as exc:
            getattr(form, exc.field or "email").errors = [exc.message]
    return _users_page(form), 400


@bp.post("/users/<int:user_id>")
def user_update(user_id: int):
    user = _get(User, user_id)
    if user is None:
        raise NotFound(_("There is no account with this number."))
    role, active = request.form.get("role", user.role), request.form.get("active", "1") == "1"
    if user.id == current_user.id and (role != "admin" or not active):
        raise InvalidData(_("You cannot remove your own admin rights."), field="role")
    if role not in staff.ROLES:
        raise InvalidData(_("Unknown role."), field="role")
    user.role, user.active = role, active
    db.session.commit()
    return redirect(url_for("curate.users"))

