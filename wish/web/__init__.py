"""Thin Flask blueprints and the glue they share: catalog access, locale, headers, errors."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import format_date, format_datetime, get_locale

from wish import hours
from wish.catalog import Catalog
from wish.geocoding import Geocoder, OnlineGeocoder
from wish.mail import Mailer
from wish.web.present import join_list, language_label, template_helpers
from wish.web.privacy import forget_who_asked
from wish.web.static_files import serve_compressed

RTL_LOCALES = frozenset({"ar", "fa", "he", "ps", "ur", "ku"})


def catalog() -> Catalog:
    """This worker's catalog (one per app), created on first use."""
    cat = current_app.extensions.get("wish_catalog")
    if cat is None:
        from wish.extensions import db

        settings = current_app.config["WISH"]
        # setdefault: two threads racing here still end up sharing one catalog.
        cat = current_app.extensions.setdefault(
            "wish_catalog", Catalog(db.engine, settings.show_examples, settings.catalog_check_seconds)
        )
    return cat


def snapshot():
    """The catalog snapshot for this request: one version from the ETag to the last line."""
    if not has_request_context():
        return catalog().snapshot()
    # The WSGI environ lives exactly as long as the request (g can outlive it in tests and CLIs).
    snap = request.environ.get("wish.snapshot")
    if snap is None:
        snap = request.environ["wish.snapshot"] = catalog().snapshot()
    return snap


def now() -> datetime:
    """The instant this request is answered at (one per request); tests fix it with config["WISH_CLOCK"]."""
    if not has_request_context():
        return current_app.config.get("WISH_CLOCK", hours.utcnow)()
    instant = request.environ.get("wish.now")
    if instant is None:
        instant = request.environ["wish.now"] = current_app.config.get("WISH_CLOCK", hours.utcnow)()
    return instant


def geocoder() -> Geocoder:
    """This app's geocoding chain: the offline gazetteer, then the online geocoder if configured."""
    chain = current_app.extensions.get("wish_geocoder")
    if chain is None:
        from wish.extensions import db

        settings = current_app.config["WISH"]
        online = None
        if settings.geocoder:
            online = OnlineGeocoder(db.engine, settings.geocoder_domain, settings.geocoder_scheme,
                                    settings.geocoder_contact, settings.geocoder_timeout,
                                    service=settings.geocoder, api_key=settings.geocoder_api_key)
        chain = current_app.extensions.setdefault("wish_geocoder", Geocoder(online))
    return chain


def mailer() -> Mailer:
    """Outgoing mail: SMTP when WISH_SMTP_HOST is set, else files in instance/outbox/."""
    settings = current_app.config["WISH"]
    outbox = current_app.config.get("MAIL_OUTBOX") or Path(current_app.instance_path) / "outbox"
    return Mailer(settings.mail_from, Path(outbox), settings.smtp_host,
                  settings.smtp_port, settings.smtp_user, settings.smtp_password, settings.smtp_starttls)


UPLOAD_ENDPOINTS: dict[str, int] = {}  # endpoint -> bytes, for the few routes that take files
DEFAULT_UPLOAD_BYTES = 10 * 1024 * 1024


def _request_limit() -> None:
    limit = UPLOAD_ENDPOINTS.get(request.endpoint or "")
    if limit:
        request.max_content_length = limit


def init_request_limits(app: Flask) -> None:
    app.before_request(_request_limit)


def _load_user(user_id: str):
    """The staff member of a session; a changed password (another hash) ends old sessions."""
    from wish.extensions import db
    from wish.models import User

    number, _, tail = user_id.partition(":")
    user = db.session.get(User, int(number)) if number.isdigit() else None
    if user is None or not user.active or user.password_hash[-16:] != tail:
        return None
    return user


def available_locales() -> list[str]:
    """Locales with a catalog in wish/translations, plus English (the source language)."""
    locales = current_app.extensions.get("wish_locales")
    if locales is None:
        from wish.extensions import babel

        locales = sorted({str(loc) for loc in babel.list_translations()} | {"en"})
        current_app.extensions["wish_locales"] = locales
    return locales


def chosen_locale() -> str | None:
    """The language the visitor picked with ?lang= (a known one), or None."""
    chosen = request.args.get("lang", "") if has_request_context() else ""
    return chosen if chosen in available_locales() else None


def select_locale() -> str:
    """The visitor's explicit choice (?lang=, kept in links), else the browser's Accept-Language."""
    return (chosen_locale() or request.accept_languages.best_match(available_locales())
            or current_app.config["WISH"].default_locale)


def _keep_language(endpoint: str, values: dict) -> None:
    """url_for() carries the chosen ?lang= to every page link, so the choice lives in the URL, not a cookie."""
    if endpoint == "static" or endpoint.startswith("api.") or "lang" in values:
        return  # static files and the API do not depend on it; lang=None in url_for drops it on purpose
    chosen = chosen_locale()
    if chosen:
        values["lang"] = chosen


def language_choices() -> list[dict]:
    """The language switcher: each language in its own name, linking to this page in it."""
    names = current_app.extensions.get("wish_language_names")
    if names is None:
        names = {code: Locale.parse(code).get_display_name(code) for code in available_locales()}
        current_app.extensions["wish_language_names"] = names
    args = request.args.to_dict(flat=False)
    choices = []
    for code, name in sorted(names.items(), key=lambda pair: pair[0]):
        query = urlencode({**args, "lang": code}, doseq=True)
        choices.append({"code": code, "name": name[:1].upper() + name[1:],
                        "href": f"{request.script_root}{request.path}?{query}"})
    return choices


def tile_origin(tile_url: str) -> str:
    parts = urlsplit(tile_url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}"


def _nonce() -> None:
    g.csp_nonce = secrets.token_urlsafe(16)


def _security_headers(response):
    nonce = getattr(g, "csp_nonce", "")
    tiles = tile_origin(current_app.config["WISH"].tile_url)
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        f"style-src 'self' 'nonce-{nonce}'; "
        f"img-src 'self' data: {tiles}; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def page_url(**changes) -> str:
    """The current page's URL with some parameters changed (None removes one)."""
    params = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return url_for(request.endpoint, **(request.view_args or {}), **params)


def asset(path: str) -> str:
    """URL of a static file with a content hash, so it can be cached for a year."""
    digests = current_app.extensions.setdefault("wish_assets", {})
    if path not in digests:
        digests[path] = hashlib.sha256((Path(current_app.static_folder) / path).read_bytes()).hexdigest()[:12]
    return url_for("static", filename=path, v=digests[path])


def _cache_static(response):
    if request.endpoint == "static" and request.args.get("v"):
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def _template_context() -> dict:
    locale = str(get_locale() or "en")
    return {"locale": locale, "rtl": locale.split("_")[0] in RTL_LOCALES, "csp_nonce": getattr(g, "csp_nonce", "")}


def init_app(app: Flask, babel) -> None:
    from wish.extensions import login
    from wish.web import api, curate, errors, public, submit

    login.init_app(app)
    login.user_loader(_load_user)

    babel.init_app(app, locale_selector=select_locale)
    app.before_request(_nonce)
    app.after_request(_security_headers)
    app.after_request(_cache_static)
    app.after_request(serve_compressed)  # runs before Flask-Compress, which then leaves it alone
    forget_who_asked()
    app.context_processor(_template_context)
    app.url_defaults(_keep_language)
    from wish.web.forms import form_token

    app.jinja_env.globals.update(template_helpers(), asset=asset,  # globals reach imported macros too
                                 chosen_lang=chosen_locale, language_choices=language_choices,
                                 form_token=form_token, page_url=page_url)
    app.add_template_filter(date.fromisoformat, "todate")
    app.add_template_filter(format_date, "format_date")
    app.add_template_filter(format_datetime, "format_datetime")
    app.add_template_filter(language_label, "language_label")
    app.add_template_filter(join_list, "join_list")
    app.register_blueprint(api.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(submit.bp)
    app.register_blueprint(curate.bp)
    errors.init_app(app)
