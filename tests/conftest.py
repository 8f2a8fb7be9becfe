"""Fixtures after Flask's tutorial: `app` (a fresh migrated SQLite file), `client`, `runner`, factories."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import requests
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from wish import create_app, review
from wish.cli import upgrade_schema
from wish.config import ROOT, load_settings
from wish.records import InitiativeRecord

PADOVA = (45.4064, 11.8768)
TRANSLATIONS = ROOT / "wish" / "translations"


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    """Compile each .po whose .mo is missing or older, as scripts/run does: a bare `pytest` after a clone sees translations."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as f:
            catalog = read_po(f, locale=po.parent.parent.name)
        partial = mo.with_suffix(".mo.tmp")
        with partial.open("wb") as f:
            write_mo(f, catalog)
        partial.replace(mo)  # whole or not at all, for a server started by another process meanwhile


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory):
    """A database file migrated once; each test gets a copy (migrations take a while)."""
    path = tmp_path_factory.mktemp("template") / "wish.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "TESTING": True})
    upgrade_schema(app)
    with app.app_context():
        from wish.extensions import db

        db.engine.dispose()
    return path


def _fresh_g() -> None:
    from flask import g

    for name in list(vars(g)):
        delattr(g, name)


@pytest.fixture
def fresh_db(migrated_db, tmp_path) -> Path:
    """A migrated SQLite file of this test's own."""
    path = tmp_path / "wish.sqlite3"
    shutil.copy(migrated_db, path)
    return path


@pytest.fixture
def app(fresh_db, tmp_path):
    path = fresh_db
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        "TESTING": True,
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": False,
        "MAIL_OUTBOX": tmp_path / "outbox",
        "UPLOAD_FOLDER": tmp_path / "uploads",
        # Tests see every write at once; production checks the stamp once a second.
        "WISH": load_settings({"WISH_CATALOG_CHECK_SECONDS": "0"}),
    })
    # Requests reuse this open app context, and with it `g`; each real request starts a fresh `g`.
    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_g)
    with app.app_context():
        yield app
        from wish.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def make_record(**overrides) -> InitiativeRecord:
    """A valid published initiative in Padova; override any field."""
    data = {
        "name": "Italian for Beginners",
        "organisation": "Volunteers of Padova",
        "description": "Free Italian lessons twice a week.",
        "support_types": ["language-classes"],
        "target_groups": ["everyone"],
        "languages": ["it", "en"],
        "country": "IT",
        "city": "Padova",
        "latitude": PADOVA[0],
        "longitude": PADOVA[1],
        "location_precision": "city",
        "status": "published",
        "verified": date(2026, 10, 1),
    }
    data.update(overrides)
    return InitiativeRecord.model_validate(data)


@pytest.fixture
def add(app):
    """Store initiatives: add(name=..., ...) -> the stored record's ref."""
    from wish.extensions import db

    def _add(*records: InitiativeRecord, **overrides):
        records = records or (make_record(**overrides),)
        review.upsert(db.session, records, actor="test")
        return [r.ref for r in records] if len(records) > 1 else records[0].ref

    return _add


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    controller = Controller(Keep(), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, received
    controller.stop()


@contextmanager
def gunicorn(db_path: Path, logs: Path, workers: int = 1, **env):
    """A real gunicorn started as scripts/run starts it (scripts/gunicorn.conf.py), on a free port.

    Yields (base URL, access log path, error log path); WISH_* variables of the test run are not passed on.
    """
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.upper().startswith("WISH_")}
    environ.update(PORT=str(port), WEB_CONCURRENCY=str(workers), WISH_DATABASE_URL=f"sqlite:///{db_path}",
                   WISH_SECRET_KEY="x" * 64, **env)
    access, errors = logs / "access.log", logs / "error.log"
    server = Path(sys.executable).parent / "gunicorn"
    with access.open("wb") as out, errors.open("wb") as err:
        proc = subprocess.Popen([str(server), "-c", str(ROOT / "scripts" / "gunicorn.conf.py")], cwd=ROOT,
                                env=environ, stdout=out, stderr=err)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, errors.read_text()
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # still booting
                assert time.monotonic() < deadline, errors.read_text()
                time.sleep(0.2)
        yield base, access, errors
    finally:
        proc.terminate()
        proc.wait(timeout=30)
