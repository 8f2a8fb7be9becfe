"""WISH: a web map of volunteer initiatives that help refugees and asylum-seekers in Europe."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import click
from flask import Flask

from wish.config import ROOT, load_settings


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The app factory: settings from WISH_* variables, then `config` (tests) on top."""
    settings = load_settings()
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        WISH=settings,
        SECRET_KEY=settings.secret_key or _instance_secret(Path(app.instance_path)),
        SQLALCHEMY_DATABASE_URI=settings.database_url
        or f"sqlite:///{Path(app.instance_path) / 'wish.sqlite3'}",
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        # Forms and queries are small; staff file uploads get more (wish.web.UPLOAD_ENDPOINTS).
        MAX_CONTENT_LENGTH=64 * 1024,
        BABEL_DEFAULT_LOCALE=settings.default_locale,
        BABEL_TRANSLATION_DIRECTORIES=str(ROOT / "wish" / "translations"),
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_url,
        RATELIMIT_HEADERS_ENABLED=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        COMPRESS_MIMETYPES=[
            "text/html", "text/css", "text/csv", "text/javascript", "application/javascript",
            "application/json", "application/geo+json", "image/svg+xml",
        ],
        COMPRESS_ALGORITHM=["br", "gzip"],
        # Static files are streamed; Flask-Compress streams brotli or deflate, not gzip.
        COMPRESS_ALGORITHM_STREAMING=["br", "deflate"],
        COMPRESS_MIN_SIZE=256,
        # Fast levels: a page of results compresses 6:1 either way, at a third of the CPU.
        COMPRESS_LEVEL=1,
        COMPRESS_BR_LEVEL=1,
        COMPRESS_EVALUATE_CONDITIONAL_REQUEST=False,  # the API answers If-None-Match itself
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    if config:
        app.config.from_mapping(config)
    proxies = app.config["WISH"].trusted_proxies
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Behind nginx every request comes from 127.0.0.1: per-client limits need the real address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    from wish import cli, web
    from wish.extensions import babel, compress, csrf, db, limiter

    db.init_app(app)
    web.init_request_limits(app)  # before CSRFProtect, which reads the form first
    if click.get_current_context(silent=True) is not None:
        cli.init_migrations(app)  # `flask db ...`: web workers never load Alembic (12 MB each)
    csrf.init_app(app)
    compress.init_app(app)
    limiter.init_app(app)
    web.init_app(app, babel)
    cli.init_app(app)
    return app


def _instance_secret(instance: Path) -> str:
    """A random key kept in instance/, so sessions survive restarts without any set-up."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
