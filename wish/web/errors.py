"""One place turns errors into responses: JSON under /api, a translated page elsewhere."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from wish.errors import WishError

_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large", 429: "rate_limited"}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _domain_error(exc: WishError):
    if _wants_json():
        return jsonify(exc.to_dict()), exc.status
    return _page(exc.status, exc.message)


def _http_error(exc: HTTPException):
    if _wants_json():
        body = {"error": _CODES.get(exc.code, "error"), "message": exc.description or exc.name}
        return jsonify(body), exc.code
    return _page(exc.code, exc.description)


def _page(status: int, message: str):
    titles = {404: _("Page not found"), 413: _("Too much data"), 429: _("Too many requests")}
    title = titles.get(status, _("Something is not right"))
    try:
        return render_template("error.html", title=title, message=message, status=status), status
    except Exception:  # noqa: BLE001 - never fail while reporting a failure
        return escape(f"{title}: {message}"), status


def init_app(app: Flask) -> None:
    app.register_error_handler(WishError, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
