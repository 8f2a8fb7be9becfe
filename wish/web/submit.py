"""Volunteers without an account: /submit a new initiative, /edit it through the private link."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _

from wish import duplicates, volunteers
from wish.errors import Gone, InvalidData, NotFound
from wish.extensions import csrf, db, limiter
from wish.web import geocoder, mailer
from wish.web.forms import InitiativeForm, LinkActionForm

bp = Blueprint("submit", __name__)
csrf.exempt(bp)  # its forms carry a cookieless token instead (forms.CookielessCSRF)

# Tokens have 256 random bits, so guessing is hopeless anyway; this keeps scanners from trying.
LINK_LOOKUPS = "60 per minute"


def _rate_limit() -> str:
    return current_app.config["WISH"].submit_rate_limit


@bp.after_request
def _private(response):
    # These pages can hold a private edit link: never cache or keep them.
    response.headers["Cache-Control"] = "no-store"
    return response


ADDRESS_FIELDS = ("address", "postcode", "city", "country")


def located(form: InitiativeForm, ref: str = "", stored=None):
    """The form's record with a point: the pin, else the address geocoded here; None with an error.

    On an edit (`stored`), a pin left where it was while the address changed is stale (the form
    was sent without the map script): the new address is geocoded instead.
    """
    record = form.record(ref)
    if record is None:
        return None
    if stored is not None and (record.latitude, record.longitude) == (stored.latitude, stored.longitude):
        if all(getattr(record, f) == getattr(stored, f) for f in ADDRESS_FIELDS):
            return record.model_copy(update={"location_precision": stored.location_precision})
        record = record.model_copy(update={"latitude": None, "longitude": None, "location_precision": None})
    if record.latitude is not None:
        return record
    place = geocoder().locate(record.city, record.country, record.address, record.postcode)
    if place is None:
        form.address.errors = [*form.address.errors, _(
            "We could not find this address. Check the town and the street, or place the pin on the map.")]
        return None
    form.latitude.data, form.longitude.data = str(place.latitude), str(place.longitude)
    return record.model_copy(update={"latitude": place.latitude, "longitude": place.longitude,
                                     "location_precision": place.precision})


def edit_link(token: str, endpoint: str = "submit.edit") -> str:
    """An absolute link for e-mails: WISH_PUBLIC_URL when set (not the request's Host header)."""
    base = current_app.config["WISH"].public_url.rstrip("/")
    if base:
        return base + url_for(endpoint, key=token)
    return url_for(endpoint, key=token, _external=True)


def _send_link(initiative, token: str) -> bool:
    days = current_app.config["WISH"].edit_link_days
    body = _(
        "Thank you for adding “%(name)s” to WISH.\n\nStaff of the network will check it soon. It appears on the "
        "map once they approve it.\n\nYour private link to change it, to confirm it is still active, or to remove "
        "it:\n%(link)s\n\nKeep this link private: anyone who has it can propose changes. It works for %(days)s days.",
        name=initiative.name, link=edit_link(token), days=days,
    )
    return mailer().send(initiative.contact_email, _("Your initiative on WISH: private edit link"), body)


@bp.route("/submit", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
def submit():
    form = InitiativeForm()
    if not form.validate_on_submit():
        return render_template("submit.html", form=form), 400 if request.method == "POST" else 200
    if form.homepage.data:  # the spam trap: answer like a success, keep nothing
        return render_template("submit_done.html", token=None, mailed=False, trap=True)
    record = located(form)
    if record is None:
        return render_template("submit.html", form=form), 400
    choice = form.duplicate_choice.data or ""
    if volunteers.already_submitted(db.session, form.submission_key.data):
        choice = "different"  # the same form again (a double tap): stored once, no warning
    if choice != "different":
        found = duplicates.find(db.session, record)
        # Only a published listing can be claimed: its details are public already, and the claim
        # waits for staff. A pending one is mentioned without its details (see submit.html).
        claimed = next((d.initiative for d in found
                        if d.initiative.status == "published" and choice == f"mine:{d.initiative.id}"), None)
        if claimed is not None:
            volunteers.propose_edit(db.session, claimed, record, form.contact_email.data, source="claim")
            return render_template("submit_done.html", claimed=claimed)
        if found:
            return render_template("submit.html", form=form, duplicates=found), 409
    initiative, token = volunteers.submit(db.session, record, form.contact_email.data, form.submission_key.data)
    mailed = token is not None and _send_link(initiative, token)
    return render_template("submit_done.html", initiative=initiative, token=token, link=token and edit_link(token),
                           mailed=mailed)


def _initiative():
    settings = current_app.config["WISH"]
    try:
        return volunteers.by_token(db.session, request.args.get("key", ""), settings.edit_link_days)
    except NotFound:
        raise NotFound(_("This edit link is not valid. Check that you copied the whole link from the e-mail.")) from None
    except Gone:
        raise Gone(_("This edit link has expired. Add the initiative again, or write to the network.")) from None


@bp.route("/edit", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
@limiter.limit(LINK_LOOKUPS, methods=["GET"])
def edit():
    initiative = _initiative()
    pending = volunteers.latest_pending_edit(db.session, initiative)
    form = InitiativeForm(contact_email=initiative.contact_email)
    form.stored_until = initiative.valid_until
    if request.method == "GET":
        form.load(pending.data if pending else initiative)
        return render_template("submit.html", form=form, initiative=initiative, pending=pending)
    record = located(form, ref=initiative.ref, stored=initiative) if form.validate_on_submit() else None
    if record is None:
        return render_template("submit.html", form=form, initiative=initiative, pending=pending), 400
    proposed = volunteers.propose_edit(db.session, initiative, record, form.contact_email.data)
    return render_template("edit_done.html", initiative=initiative, proposed=proposed, action="edit")


@bp.route("/edit/confirm", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
@limiter.limit(LINK_LOOKUPS, methods=["GET"])
def confirm():
    """The reminder e-mail's link: one button (a GET never confirms: mail scanners open links)."""
    initiative = _initiative()
    form = LinkActionForm()
    if not form.validate_on_submit():
        return render_template("confirm.html", initiative=initiative, form=form), 400 if form.is_submitted() else 200
    volunteers.confirm_active(db.session, initiative)
    return render_template("edit_done.html", initiative=initiative, action="confirm")


@bp.post("/edit/remove")
@limiter.limit(_rate_limit)
def remove():
    initiative = _initiative()
    form = LinkActionForm()
    if not form.validate_on_submit():
        raise InvalidData(_("The form was open too long. Please send it again."), field="csrf_token")
    volunteers.request_removal(db.session, initiative, form.reason.data or "")
    return render_template("edit_done.html", initiative=initiative, action="remove")
