"""Settings: declared once, read from WISH_* environment variables, checked at start-up."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from wish.errors import first_problem

PREFIX = "WISH_"
ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """A setting is unknown or malformed; start-up stops with this message."""


class Settings(BaseModel):
    """Every setting WISH reads. The README's settings table is generated from this class."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    database_url: str = Field(
        "",
        description="SQLAlchemy database URL. Empty: a SQLite file at instance/wish.sqlite3. "
        "PostgreSQL: postgresql+psycopg://user:pass@host/db",
    )
    secret_key: str = Field(
        "",
        description="Key that signs sessions and CSRF tokens. Empty: a random key kept in "
        "instance/secret_key (set it explicitly when running several workers on several hosts).",
    )
    show_examples: bool = Field(
        True, description="Show the demonstration listings (example=true) on public pages and in the API."
    )
    tile_url: str = Field(
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        description="Map tile URL template: the only outside request a public page makes.",
    )
    tile_attribution: str = Field(
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        description="Attribution shown on the map for the tile server (HTML, written by the operator).",
    )
    catalog_check_seconds: float = Field(
        1.0,
        ge=0,
        le=60,
        description="How often (at most) a worker checks the catalog version stamp in the database.",
    )
    default_radius_km: float = Field(25.0, gt=0, le=500, description="Search radius when none is given.")
    page_size: int = Field(20, ge=1, le=200, description="Results per page on the list page and in the API.")
    ratelimit_storage_url: str = Field(
        "memory://",
        description="Flask-Limiter storage for rate-limit counters (redis://host:6379 when scaled out).",
    )
    default_locale: str = Field("en", description="Interface language when the browser asks for none we have.")
    geocoder: str = Field(
        "", description="Online geocoder asked after the offline gazetteer: empty (offline only), nominatim, "
        "photon or any other geopy service name."
    )
    geocoder_domain: str = Field("", description="Host (and port) of the geocoder; empty: the service's own.")
    geocoder_api_key: str = Field("", description="API key, for geopy services that need one.")
    geocoder_scheme: Literal["https", "http"] = Field("https", description="Scheme for the online geocoder.")
    geocoder_contact: str = Field(
        "", description="Operator's e-mail, sent in the User-Agent as Nominatim's policy asks (needed with a geocoder)."
    )
    geocoder_timeout: float = Field(5.0, gt=0, le=60, description="Seconds before an online lookup gives up.")
    public_url: str = Field(
        "", description="Address of this site as people reach it (https://wish.example.org), used for links in "
        "e-mails. Empty: the address of the request."
    )
    smtp_host: str = Field(
        "", description="SMTP server for e-mails (edit links, reminders). Empty: e-mails are written as files "
        "to instance/outbox/ instead."
    )
    smtp_port: int = Field(587, ge=1, le=65535, description="SMTP port.")
    smtp_user: str = Field("", description="SMTP login; empty: no login.")
    smtp_password: str = Field("", description="SMTP password.")
    smtp_starttls: bool = Field(True, description="Upgrade the SMTP connection with STARTTLS.")
    mail_from: str = Field("WISH <no-reply@localhost>", description="Sender of WISH's e-mails.")
    submit_rate_limit: str = Field(
        "10 per hour;30 per day", description="Submissions and edits one client may send (Flask-Limiter syntax)."
    )
    edit_link_days: int = Field(730, ge=1, le=3650, description="Days a volunteer's private edit link stays valid.")
    stale_days: int = Field(
        180, ge=1, le=3650, description="A published initiative not verified for this many days is listed as stale."
    )
    login_rate_limit: str = Field("10 per 15 minutes", description="Staff login attempts one client may make.")
    trusted_proxies: int = Field(
        0, ge=0, le=5, description="Reverse proxies in front of WISH (nginx: 1). Their X-Forwarded-For and "
        "-Proto are then believed, so rate limits count each client, not the proxy. 0: the headers are ignored."
    )
    session_cookie_secure: bool = Field(
        True, description="Send the staff session cookie over HTTPS only (browsers accept it on http://127.0.0.1 too)."
    )

    @field_validator("geocoder")
    @classmethod
    def _geocoder(cls, value: str) -> str:
        if value:
            from geopy.exc import GeocoderNotFound
            from geopy.geocoders import get_geocoder_for_service

            try:
                get_geocoder_for_service(value)
            except GeocoderNotFound:
                raise ValueError(f"{value!r} is not a geopy geocoder (e.g. nominatim, photon)") from None
        return value

    @model_validator(mode="after")
    def _contact(self) -> Settings:
        if self.geocoder and "@" not in self.geocoder_contact:
            raise ValueError("WISH_GEOCODER_CONTACT must be the operator's e-mail when WISH_GEOCODER is set")
        return self

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if value and "://" not in value:
            raise ValueError("must be an SQLAlchemy URL such as sqlite:///path or postgresql+psycopg://...")
        return value

    @field_validator("submit_rate_limit", "login_rate_limit")
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        from limits import parse_many

        try:
            parse_many(value)
        except ValueError:
            raise ValueError("must be a rate limit such as '10 per hour;30 per day'") from None
        return value

    @field_validator("tile_url")
    @classmethod
    def _tile_url(cls, value: str) -> str:
        if not all(part in value for part in ("{z}", "{x}", "{y}")):
            raise ValueError("must contain {z}, {x} and {y}")
        return value


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings from `environ` (default os.environ); unknown WISH_* names are an error."""
    environ = os.environ if environ is None else environ
    known = {PREFIX + name.upper() for name in Settings.model_fields}
    unknown = sorted(k for k in environ if k.upper().startswith(PREFIX) and k.upper() not in known)
    if unknown:
        raise ConfigError(
            f"Unknown setting(s): {', '.join(unknown)}. Known settings: {', '.join(sorted(known))}."
        )
    values = {
        name: environ[PREFIX + name.upper()]
        for name in Settings.model_fields
        if PREFIX + name.upper() in environ
    }
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field, message = first_problem([err])
            problems.append(f"{PREFIX}{field.upper()}: {message}" if field else message)
        problems = "; ".join(problems)
        raise ConfigError(f"Malformed setting: {problems}") from None


def settings_table() -> list[tuple[str, str, str]]:
    """(variable, default, help) for every setting, for the README."""
    rows = []
    for name, field in Settings.model_fields.items():
        default = field.default
        shown = "(empty)" if default == "" else str(default).lower() if isinstance(default, bool) else str(default)
        rows.append((PREFIX + name.upper(), shown, field.description or ""))
    return rows
