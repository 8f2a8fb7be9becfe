"""Privacy on the server: no log line holds a search, a place, coordinates or a client address."""

import logging
import re
import runpy
import time

import pytest
import requests

from tests.conftest import gunicorn
from wish import create_app
from wish.config import ROOT, load_settings

GUNICORN_CONF = ROOT / "scripts" / "gunicorn.conf.py"
# Atoms of gunicorn's access-log format that carry neither the query string nor who asked:
# time, method, path, status, size, duration, worker pid.
SAFE_ATOMS = {"t", "m", "U", "s", "b", "B", "T", "D", "M", "L", "p"}
SECRET_QUERY = "place=Secretville&near=45.1234,11.2345&q=Secretword"
CLIENT = "203.0.113.77"


def test_access_log_format_has_no_query_string_and_no_client_address():
    conf = runpy.run_path(str(GUNICORN_CONF))
    atoms = re.findall(r"%\(([^)]*)\)s", conf["access_log_format"])
    # %(q)s and %(r)s hold the query, %(h)s and %({x-forwarded-for}i)s the address, %(f)s the
    # referrer (a URL with its query), %(a)s the user agent; any {header}i/o or {environ}e could.
    assert set(atoms) <= SAFE_ATOMS, set(atoms) - SAFE_ATOMS
    assert {"t", "m", "U", "s"} <= set(atoms)  # still useful: when, what, which page, how it went
    assert conf["accesslog"] == "-"


def test_run_script_starts_gunicorn_with_this_config():
    run = (ROOT / "scripts" / "run").read_text()
    assert "gunicorn -c scripts/gunicorn.conf.py" in run
    assert "access-logformat" not in run  # one place for the format, the one the test above checks


@pytest.fixture
def gunicorn_server(fresh_db, tmp_path):
    """A real gunicorn started the way scripts/run starts it; yields (base URL, access log path, error log path)."""
    with gunicorn(fresh_db, tmp_path) as started:
        yield started


def test_gunicorn_logs_pages_but_no_search_place_or_address(gunicorn_server):
    base, access, errors = gunicorn_server
    forwarded = {"X-Forwarded-For": CLIENT, "Referer": f"{base}/?{SECRET_QUERY}"}
    for path in ("/list", "/", "/api/initiatives", "/api/clusters", "/api/geocode"):
        response = requests.get(f"{base}{path}?{SECRET_QUERY}&bbox=5,40,20,50&zoom=5", headers=forwarded, timeout=30)
        assert response.status_code in (200, 400), (path, response.status_code)
    time.sleep(0.3)  # the access log line is written after the response
    log = access.read_text() + errors.read_text()
    assert "/list" in log and "/api/geocode" in log  # the log is written, so its silence below means something
    for secret in ("Secret", "45.1234", "11.2345", CLIENT, "127.0.0.1:", "near=", "?"):
        assert secret not in log.replace(f"127.0.0.1:{base.rsplit(':', 1)[1]}", ""), secret


@pytest.fixture
def limited_app(fresh_db):
    """The app with rate limits on, as in production."""
    # Explicitly on: the one Limiter keeps the last app's setting as its default.
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{fresh_db}", "TESTING": True, "RATELIMIT_ENABLED": True,
                      "WISH": load_settings({"WISH_CATALOG_CHECK_SECONDS": "0"})})
    with app.app_context():
        yield app
        from wish.extensions import db as database

        database.session.remove()
        database.engine.dispose()


@pytest.fixture
def every_logger(caplog):
    """caplog at DEBUG for every logger, including those Alembic's fileConfig disabled in this process."""
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            logger.disabled = False
    caplog.set_level(logging.DEBUG)
    return caplog


def test_application_logs_hold_no_search_place_or_address_even_at_debug_level(limited_app, every_logger):
    caplog = every_logger
    client = limited_app.test_client()
    env = {"REMOTE_ADDR": CLIENT}
    for _ in range(65):  # past the geocoder's rate limit: its refusal is logged too
        client.get(f"/api/geocode?{SECRET_QUERY}", environ_base=env)
    for path in ("/", "/list", "/api/initiatives", "/initiatives/999999", "/list?page=x"):
        client.get(f"{path}{'&' if '?' in path else '?'}{SECRET_QUERY}", environ_base=env)
    assert client.get(f"/api/geocode?{SECRET_QUERY}", environ_base=env).status_code == 429
    logged = "\n".join(f"{r.name}: {r.getMessage()}" for r in caplog.records)
    assert "catalog version" in logged  # the capture works: the catalog's own line is there
    for secret in ("Secret", "45.1234", CLIENT):
        assert secret not in logged, logged


def test_no_code_logs_request_arguments_or_addresses():
    """A reviewer's grep, kept: nothing in wish/ puts request data into a log call or print."""
    offenders = []
    for path in (ROOT / "wish").rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\b(log(ger)?\.\w+|print)\(", line) and re.search(
                    r"request\.|remote_addr|X-Forwarded|args|query|place|near", line, re.IGNORECASE):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
