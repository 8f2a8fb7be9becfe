"""A live WISH server on 127.0.0.1 (seeded), a local tile stub, and Debian's chromium via Playwright."""

from __future__ import annotations

import base64
import shutil
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_record
from wish import create_app, review
from wish.cli import SEED_FILE, load_file, upgrade_schema
from wish.config import ROOT, load_settings

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# A 1x1 light-grey PNG stands in for every map tile.
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC"
)
XSS = "<img src=x onerror=window.__xss=1>"


class _TileHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's naming
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(TILE)))
        self.end_headers()
        self.wfile.write(TILE)

    def log_message(self, *args):
        pass


def _serve(server) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


@pytest.fixture(scope="session")
def tile_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TileHandler)
    _serve(server)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def xss_records():
    """Published initiatives whose every text field carries a script payload."""
    return [
        make_record(
            ref="xss-padova", name=f"Evil {XSS}", organisation=XSS, description=f"{XSS}<script>window.__xss=2</script>",
            city=f"Padova{XSS}", website="https://example.org/?q=<script>window.__xss=3</script>",
            opening_hours_note=XSS, latitude=45.41, longitude=11.88,
        ),
    ]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, tile_server):
    """The app behind live_server: seeded with data/initiatives.csv plus hostile rows."""
    db_path = tmp_path_factory.mktemp("live") / "wish.sqlite3"
    settings = load_settings({
        "WISH_TILE_URL": f"{tile_server}/{{z}}/{{x}}/{{y}}.png",
        "WISH_CATALOG_CHECK_SECONDS": "0",
    })
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "WISH": settings,
                      "RATELIMIT_ENABLED": False, "MAIL_OUTBOX": db_path.parent / "outbox"})
    upgrade_schema(app)
    with app.app_context():
        load_file(SEED_FILE, actor="seed")
        from wish.extensions import db

        review.upsert(db.session, xss_records(), actor="test")
        db.session.remove()
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    """WISH served on 127.0.0.1 by a threaded werkzeug server."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    _serve(server)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


class Watch:
    """What a page did: console errors, page errors and every host it asked for."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.hosts: set[str] = set()
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.hosts.add(urlsplit(r.url).hostname or r.url.split(":")[0]))


@contextmanager
def watched_page(browser, viewport, java_script_enabled=True):
    """A page in a fresh context; afterwards, no console error and no request beyond 127.0.0.1."""
    context = browser.new_context(viewport=viewport, java_script_enabled=java_script_enabled,
                                  locale="en-GB", service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch = Watch(page)
    yield page, watch
    context.close()
    assert watch.errors == [], f"console errors: {watch.errors}"
    assert watch.hosts <= {"127.0.0.1"}, f"requests left 127.0.0.1: {watch.hosts}"


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def viewport(request):
    return request.param


@pytest.fixture
def page_and_watch(browser, viewport):
    with watched_page(browser, viewport) as page_watch:
        yield page_watch


@pytest.fixture
def phone_page(browser):
    with watched_page(browser, PHONE) as page_watch:
        yield page_watch


@pytest.fixture
def nojs_page(browser):
    with watched_page(browser, PHONE, java_script_enabled=False) as page_watch:
        yield page_watch


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
