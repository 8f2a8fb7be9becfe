"""First view of the map page in headless chromium: bytes transferred and time to markers.

Used by scripts/bench.py. Compares WISH's map (Folium skeleton + clusters from the API) with
a plain Folium map that embeds every marker, the usual way. Both load Leaflet from the same
local copy, so the difference is the markers, not the CDNs.
"""

from __future__ import annotations

import contextlib
import gzip
import shutil
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import folium
from markupsafe import escape
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parent.parent
LEAFLET = ROOT / "static" / "vendor" / "leaflet-1.9.4"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                     args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def measure(browser, url: str, timeout_ms: int = 60_000) -> tuple[int, float]:
    """(bytes on the wire for everything but tiles, ms from navigation start to the first marker)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    # Tiles are excluded from the count; answer them locally with an empty image.
    origin = urlsplit(url).netloc
    page.route(lambda u: urlsplit(u).netloc != origin, lambda route: route.fulfill(status=204))
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(url, wait_until="commit", timeout=timeout_ms)
    page.wait_for_selector(".leaflet-marker-icon", timeout=timeout_ms)
    elapsed = page.evaluate("performance.now()")
    page.wait_for_load_state("load", timeout=timeout_ms)
    with contextlib.suppress(PlaywrightTimeout):  # the first API replies arrive after "load"
        page.wait_for_load_state("networkidle", timeout=10_000)
    total = 0
    for response in responses:
        if urlsplit(response.url).netloc != origin:
            continue
        sizes = response.request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    context.close()
    return total, elapsed


def plain_folium_html(records, leaflet_js: str, leaflet_css: str) -> str:
    """A Folium map that embeds one Marker per initiative (popup escaped, unlike Folium's default)."""
    fmap = folium.Map(location=(50.0, 12.0), zoom_start=4, tiles=None)
    fmap.default_js = [("leaflet", leaflet_js)]
    fmap.default_css = [("leaflet_css", leaflet_css)]  # names must differ from the JS one
    folium.TileLayer(tiles="http://tiles.invalid/{z}/{x}/{y}.png", attr="tiles").add_to(fmap)
    for record in records:
        folium.Marker((record.latitude, record.longitude), popup=str(escape(record.name))).add_to(fmap)
    return fmap.get_root().render()


class _GzipHandler(SimpleHTTPRequestHandler):
    """Serves a folder with gzip, as any production web server would, so byte counts compare fairly."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)

    def log_message(self, *args):
        pass


@contextmanager
def serve_folder(folder: Path):
    def handler(*args, **kwargs):
        return _GzipHandler(*args, directory=str(folder), **kwargs)

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def plain_folium_first_view(browser, records, workdir: Path) -> tuple[int, float]:
    """Write the plain Folium page beside a copy of Leaflet, serve it gzipped, and measure it."""
    folder = workdir / "plain"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(LEAFLET / "leaflet.js", folder / "leaflet.js")
    shutil.copy(LEAFLET / "leaflet.css", folder / "leaflet.css")
    shutil.copytree(LEAFLET / "images", folder / "images", dirs_exist_ok=True)  # the default marker icon
    (folder / "index.html").write_text(plain_folium_html(records, "leaflet.js", "leaflet.css"), encoding="utf-8")
    with serve_folder(folder) as url:
        return measure(browser, url + "/index.html")
