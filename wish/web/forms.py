"""The volunteer's initiative form (Flask-WTF): plain words, errors next to each field."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

import phonenumbers
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import _FlaskFormCSRF
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms import (
    DateField,
    EmailField,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
    TimeField,
)
from wtforms.csrf.core import CSRF
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from wish import hours, taxonomy
from wish.errors import InvalidData
from wish.records import InitiativeRecord, validate
from wish.text import plain, plain_line
from wish.web.present import country_label, day_names, language_label, sort_key, support_label, target_label

ANONYMOUS_FORM_SECONDS = 6 * 3600


def _form_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="wish-anonymous-form")


def form_token() -> str:
    """A form token for people without an account: signed and dated, kept in no cookie."""
    return _form_signer().dumps("form")


def form_token_valid(token: str | None) -> bool:
    try:
        return _form_signer().loads(token or "", max_age=ANONYMOUS_FORM_SECONDS) == "form"
    except BadData:
        return False


class CookielessCSRF(CSRF):
    """CSRF for the volunteer's forms, without a session cookie (visitors without an account get none).

    With no session, a cross-site page has nothing of the visitor's to abuse; the edit link's own
    key is what grants access. The token shows the form came from this site in the last hours.
    """

    def generate_csrf_token(self, csrf_token_field) -> str:
        return form_token()

    def validate_csrf_token(self, form, field) -> None:
        if not form_token_valid(field.data):
            raise ValidationError(_l("The form was open too long. Please send it again."))


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _phone(form, field) -> None:
    """A possible number in the chosen country (or with its +code); stored in international form."""
    if not field.data:
        return
    try:
        number = phonenumbers.parse(field.data, form.country.data or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise ValidationError(_l("This does not look like a phone number. Write it with the country code, "
                                 "e.g. +39 049 123 4567."))
    field.data = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _at_least_one(form, field) -> None:
    # Not InputRequired: its "required" flag would mark every checkbox as required.
    if not field.data:
        raise ValidationError(_l("Choose at least one."))


def _future_date(form, field) -> None:
    if field.data and field.data == getattr(form, "stored_until", None):
        return  # an edit that leaves a passed end date alone is not refused for it
    if field.data and not date.today() <= field.data <= date.today() + timedelta(days=5 * 366):
        raise ValidationError(_l("Choose a date from today to five years from now."))


def _website(form, field) -> None:
    value = (field.data or "").strip()
    if value and "://" not in value:
        value = f"https://{value}"  # people type "example.org"
    if value and ("." not in value.split("://", 1)[1].split("/")[0] or " " in value):
        raise ValidationError(_l("This does not look like a web address, e.g. https://example.org"))
    field.data = value


class DayForm(Form):
    """Up to two opening times on one day, e.g. 09:00–13:00 and 15:00–18:00."""

    open1 = TimeField(_l("From"), validators=[Optional()])
    close1 = TimeField(_l("To"), validators=[Optional()])
    open2 = TimeField(_l("From"), validators=[Optional()])
    close2 = TimeField(_l("To"), validators=[Optional()])

    def ranges(self) -> list[list[str]]:
        pairs = [(self.open1.data, self.close1.data), (self.open2.data, self.close2.data)]
        out = []
        for start, end in pairs:
            if bool(start) != bool(end):
                raise ValidationError(_l("Give both the opening and the closing time."))
            if start:
                close = "24:00" if end.strftime("%H:%M") == "00:00" else end.strftime("%H:%M")
                out.append([start.strftime("%H:%M"), close])
        return out


class HoursForm(Form):
    mo, tu, we, th, fr, sa, su = (FormField(DayForm) for _ in range(7))


TEXT_FIELDS = ("name", "organisation", "description", "city", "address", "postcode", "opening_hours_note")


class InitiativeForm(FlaskForm):
    """Every public field of an initiative, plus the private contact e-mail and the spam trap."""

    class Meta:
        csrf_class = CookielessCSRF

    name = StringField(_l("Name of the initiative"), validators=[InputRequired(), Length(max=200)],
                       description=_l("As people know it, e.g. “Italian lessons at Casa Aperta”."))
    organisation = StringField(_l("Organisation (if any)"), validators=[Length(max=200)])
    support_types = CheckboxesField(_l("What you offer"), validators=[_at_least_one],
                                    description=_l("Choose all that apply."))
    target_groups = CheckboxesField(_l("Who it is for"), description=_l("Leave empty if it is open to everyone."))
    languages = CheckboxesField(_l("Languages spoken there"))
    other_languages = StringField(_l("Other languages"), validators=[Length(max=200)],
                                  description=_l("Names or codes, separated by commas, e.g. Tigrinya, Dari."))
    description = TextAreaField(_l("What happens there"), validators=[Length(max=5000)],
                                description=_l("A few sentences in simple words: what, when, how to join, "
                                               "what to bring. Plain text only."))
    country = SelectField(_l("Country"), validators=[InputRequired()])
    city = StringField(_l("Town or city"), validators=[InputRequired(), Length(max=120)])
    address = StringField(_l("Street and number"), validators=[Length(max=300)],
                          description=_l("Leave empty if people should not come to an address."))
    postcode = StringField(_l("Postcode"), validators=[Length(max=20)])
    latitude = HiddenField()
    longitude = HiddenField()
    # How the point was found, set by the map script: "exact" for a pin placed by hand, else the
    # geocoder's precision (street, city). An edit form starts with the stored value.
    precision = HiddenField()
    opening_hours = FormField(HoursForm, label=_l("Opening hours"))
    opening_hours_note = StringField(_l("Note about the opening hours"), validators=[Length(max=300)],
                                     description=_l("e.g. “Closed in August”, “Call before you come”."))
    website = StringField(_l("Website"), validators=[Length(max=500), _website])
    phone = TelField(_l("Phone"), validators=[Length(max=40), _phone])
    whatsapp = TelField(_l("WhatsApp number"), validators=[Length(max=40), _phone])
    email = EmailField(_l("Public e-mail"), validators=[Optional(), Email(check_deliverability=False),
                                                        Length(max=254)],
                       description=_l("Shown on the map. Leave empty to show none."))
    valid_until = DateField(_l("Last day (for seasonal initiatives)"), validators=[Optional(), _future_date],
                            description=_l("The listing leaves the map after this day. Leave empty if it goes on."))
    contact_email = EmailField(
        _l("Your e-mail (private)"),
        validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)],
        description=_l("Only the network's staff see it. We send your private edit link here."),
    )
    # The spam trap: hidden from people (CSS and aria-hidden), filled in by bots.
    homepage = StringField(_l("Leave this field empty"), validators=[Length(max=200)])
    submission_key = HiddenField()
    duplicate_choice = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.support_types.choices = [SelectChoice(t.slug, support_label(t.slug)) for t in taxonomy.SUPPORT_TYPES]
        self.target_groups.choices = [SelectChoice(t.slug, target_label(t.slug)) for t in taxonomy.TARGET_GROUPS]
        self.languages.choices = [SelectChoice(c, language_label(c)) for c in taxonomy.COMMON_LANGUAGES]
        countries = sorted((SelectChoice(c, country_label(c)) for c in taxonomy.EUROPE), key=lambda o: sort_key(o.label))
        self.country.choices = [SelectChoice("", _l("Choose a country")), *countries]
        if not self.submission_key.data:
            self.submission_key.data = secrets.token_urlsafe(16)

    def day_labels(self) -> dict[str, str]:
        return day_names()

    def validate_other_languages(self, field) -> None:
        unknown = [t for t in (field.data or "").split(",") if t.strip() and taxonomy.language_code(t) is None]
        if unknown:
            raise ValidationError(_l("We do not know this language: %(names)s. Write its English name.",
                                     names=", ".join(u.strip() for u in unknown)))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.hours_errors: list[str] = []
        try:
            self.schedule()
        except ValidationError as exc:
            self.hours_errors = [str(exc)]
        except ValueError:  # the schedule's own checks: order and overlaps
            self.hours_errors = [str(_l("Check the opening hours: a time cannot start and end at the same "
                                        "minute, and the two times of a day must not overlap."))]
        return valid and not self.hours_errors

    def schedule(self) -> dict[str, list[list[str]]]:
        schedule = {day: getattr(self.opening_hours.form, day).form.ranges() for day in hours.DAYS}
        schedule = {day: ranges for day, ranges in schedule.items() if ranges}
        return hours.parse(hours.format(schedule))  # the same checks as an import (order, overlaps)

    def fill_hours(self, schedule: dict) -> None:
        from datetime import time

        for day, ranges in (schedule or {}).items():
            sub = getattr(self.opening_hours.form, day).form
            for (start, end), (a, b) in zip(ranges, ((sub.open1, sub.close1), (sub.open2, sub.close2)), strict=False):
                a.data = time.fromisoformat(start)
                b.data = time(0, 0) if end == "24:00" else time.fromisoformat(end)

    def record(self, ref: str = "") -> InitiativeRecord | None:
        """The validated record, or None with the problem attached to its field."""
        languages = list(self.languages.data or [])
        for name in (self.other_languages.data or "").split(","):
            code = taxonomy.language_code(name)
            if code and code not in languages:
                languages.append(code)
        data = {f: (plain if f == "description" else plain_line)(getattr(self, f).data or "") for f in TEXT_FIELDS}
        lat, lon = (self.latitude.data or "").strip(), (self.longitude.data or "").strip()
        data.update(
            ref=ref, support_types=self.support_types.data, target_groups=self.target_groups.data or [],
            languages=languages, country=self.country.data, website=self.website.data or "",
            phone=self.phone.data or "", whatsapp=self.whatsapp.data or "", email=self.email.data or "",
            valid_until=self.valid_until.data, opening_hours=self.schedule(), status="pending",
            latitude=lat or None, longitude=lon or None, location_precision=self._precision(lat and lon),
        )
        try:
            record = validate(data)
        except InvalidData as exc:
            field = getattr(self, exc.field, None) if exc.field else None
            if field is None or exc.field in ("latitude", "longitude"):
                field = self.address
            field.errors = [*field.errors, exc.message]
            return None
        if record.latitude is not None and record.latitude == 0 and record.longitude == 0:
            self.address.errors = [*self.address.errors, _l("Place the pin on the map.")]
            return None
        return record

    def _precision(self, placed) -> str | None:
        if not placed:
            return None
        given = (self.precision.data or "").strip()
        return given if given in taxonomy.LOCATION_PRECISIONS else "exact"

    def load(self, initiative) -> None:
        """Fill the form from a stored initiative or a pending edit's data (a dict)."""
        get = initiative.get if isinstance(initiative, dict) else lambda k, d=None: getattr(initiative, k, d)
        for name in (*TEXT_FIELDS, "support_types", "target_groups", "country", "website", "phone", "whatsapp",
                     "email"):
            getattr(self, name).data = get(name)
        langs = list(get("languages") or [])
        self.languages.data = [c for c in langs if c in taxonomy.COMMON_LANGUAGES]
        self.other_languages.data = ", ".join(taxonomy.language_name(c) for c in langs
                                              if c not in taxonomy.COMMON_LANGUAGES)
        until = get("valid_until")
        self.valid_until.data = date.fromisoformat(until) if isinstance(until, str) else until
        lat, lon = get("latitude"), get("longitude")
        self.latitude.data = "" if lat is None else str(lat)
        self.longitude.data = "" if lon is None else str(lon)
        self.precision.data = get("location_precision") or ""
        self.fill_hours(get("opening_hours") or {})


class StaffInitiativeForm(InitiativeForm):
    """Staff edit any listing; seeded and imported ones may have no contact e-mail."""

    class Meta:
        csrf_class = _FlaskFormCSRF  # staff are logged in: the token is tied to their session

    contact_email = EmailField(_l("Contact e-mail (private)"),
                               validators=[Optional(), Email(check_deliverability=False), Length(max=254)])


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField(_l("Password (at least 12 characters)"), validators=[InputRequired(), Length(min=12, max=200)])
    role = SelectField(_l("Role"), choices=[SelectChoice("curator", _l("Curator: reviews and edits listings")),
                                            SelectChoice("admin", _l("Admin: also manages staff accounts"))])


class LinkActionForm(FlaskForm):
    """The edit link's buttons: still active, or please remove."""

    class Meta:
        csrf_class = CookielessCSRF

    reason = TextAreaField(_l("It has stopped or should leave the map: why? (optional)"),
                           validators=[Length(max=1000)])
