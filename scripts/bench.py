"""Benchmark the catalog and the search API on synthetic data: `scripts/bench.py [--sizes 1000,10000]`.

For each size N: a temporary SQLite file is migrated and filled with N synthetic initiatives
(scripts/synth.py), the catalog build is timed in this process, then a real gunicorn server
(one sync worker, pinned to one CPU) answers sequential requests from a client in this
process (pinned to another CPU). Prints Markdown tables and writes them into
docs/benchmarks.md between the `bench:catalog` markers, keeping the rest of that file.

Only 127.0.0.1 is contacted. The server is always stopped, also on Ctrl+C or an error.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import gzip
import json
import os
import platform
import random
import secrets
import shlex
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, Path(__file__).resolve().parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import bench_geocoding  # noqa: E402
import bench_map  # noqa: E402
import numpy as np  # noqa: E402
import psutil  # noqa: E402
from sqlalchemy import create_engine, insert  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from synth import synth_records  # noqa: E402

from wish.catalog import Snapshot, published_rows  # noqa: E402
from wish.models import Initiative  # noqa: E402
from wish.records import InitiativeRecord  # noqa: E402
from wish.review import bump_version, current_version  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
TARGET_FIRST_VIEW_KB = 250.0
PLAIN_FOLIUM_MAX = 10_000  # a plain Folium page with 100,000 markers is too big to load
BEGIN, END = "<!-- bench:catalog -->", "<!-- /bench:catalog -->"
HOST = "127.0.0.1"
MB = 1_000_000
# Targets from the issue, checked at 100,000 initiatives.
TARGET_N = 100_000
TARGET_NEAR_SHARE = 50.0  # near search throughput, % of /healthz
TARGET_NEAR_P99_MS = 50.0
TARGET_RSS_MB = 300.0
MAX_REQUESTS = 2_000_000  # per measurement, whatever --seconds says
SERVER_START_TIMEOUT = 120.0
REQUEST_TIMEOUT = 300.0  # the first request builds the catalog

COUNTRIES = ("DE", "FR", "IT", "ES", "GB", "PL", "NL", "TR")
# (label, west, south, east, north, lowest zoom, highest zoom): the map on a phone or a laptop.
VIEWS = (
    ("Europe", -25.0, 34.0, 45.0, 72.0, 5, 5),
    ("DE", 5.9, 47.3, 15.0, 55.1, 6, 8),
    ("FR", -5.1, 42.3, 8.2, 51.1, 6, 8),
    ("IT", 6.6, 36.6, 18.5, 47.1, 6, 8),
    ("ES", -9.3, 36.0, 3.3, 43.8, 6, 8),
    ("GB", -8.2, 49.9, 1.8, 58.7, 6, 8),
    ("PL", 14.1, 49.0, 24.2, 54.9, 6, 8),
)


# --- data --------------------------------------------------------------------


def migrate(url: str) -> None:
    """Create the schema with the project's Alembic migrations (as tests/conftest.py does)."""
    from wish import create_app
    from wish.cli import upgrade_schema
    from wish.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    upgrade_schema(app)
    with app.app_context():
        db.engine.dispose()


def fill(url: str, records: list[InitiativeRecord], chunk: int = 10_000) -> None:
    """Bulk-insert records with SQLAlchemy Core (no audit entries) and bump the catalog version."""
    engine = create_engine(url)
    now = datetime.now(UTC)
    table = Initiative.__table__
    try:
        with engine.begin() as conn:
            for start in range(0, len(records), chunk):
                rows = []
                for record in records[start : start + chunk]:
                    row = record.model_dump()
                    row["created"] = row["updated"] = now
                    rows.append(row)
                conn.execute(insert(table), rows)
        with Session(engine) as session:
            bump_version(session)
            session.commit()
    finally:
        engine.dispose()


def big_cities(records: list[InitiativeRecord], count: int = 40) -> list[tuple[str, float, float]]:
    """The `count` cities with most synthetic initiatives: (name, mean latitude, mean longitude)."""
    places = Counter((r.country, r.city) for r in records)
    sums: dict[tuple[str, str], list[float]] = {}
    for r in records:
        s = sums.setdefault((r.country, r.city), [0.0, 0.0])
        s[0] += r.latitude
        s[1] += r.longitude
    return [(key[1], sums[key][0] / n, sums[key][1] / n) for key, n in places.most_common(count)]


@dataclass
class Build:
    load_ms: float
    snapshot_ms: float
    rows: int
    bare_ms: float = 0.0  # Snapshot() with time zones and opening ranges left out, same rows, same run
    open_ms: float = 0.0  # one uncached open-now evaluation over every row

    @property
    def total_ms(self) -> float:
        return self.load_ms + self.snapshot_ms


@contextlib.contextmanager
def without_hours_and_zones():
    """Snapshot() as it was before time zones and opening ranges: no point lookups, no ranges."""
    import wish.catalog as catalog_module

    lookup, ranges = catalog_module.zones.zones_for, catalog_module.hours.week_ranges
    catalog_module.zones.zones_for = lambda points: ["UTC"] * len(points)
    catalog_module.hours.week_ranges = lambda schedule: []
    try:
        yield
    finally:
        catalog_module.zones.zones_for, catalog_module.hours.week_ranges = lookup, ranges


def measure_build(url: str, repeats: int) -> Build:
    """Median time of reading the published rows (SQL) and of Snapshot() (arrays, index, JSON),
    of Snapshot() without time zones and opening ranges (taking turns), and of open-now."""
    engine = create_engine(url)
    loads, snaps, bares, opens, rows = [], [], [], [], 0
    try:
        for _ in range(repeats):
            gc.collect()
            with Session(engine) as session:
                day = date.today()
                t0 = time.perf_counter()
                frame = list(published_rows(session, True, day))
                t1 = time.perf_counter()
                version = current_version(session)
            t2 = time.perf_counter()
            snap = Snapshot(frame, version, day)
            t3 = time.perf_counter()
            loads.append((t1 - t0) * 1000)
            snaps.append((t3 - t2) * 1000)
            rows = len(snap)
            # Distinct minutes, so the per-minute cache never answers.
            start = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
            for minute in range(7):
                t4 = time.perf_counter()
                snap.open_at(start + timedelta(minutes=minute * 997))
                opens.append((time.perf_counter() - t4) * 1000)
            del snap
            gc.collect()
            with without_hours_and_zones():
                t4 = time.perf_counter()
                bare = Snapshot(frame, version, day)
                bares.append((time.perf_counter() - t4) * 1000)
            del bare, frame
    finally:
        engine.dispose()
    gc.collect()
    return Build(statistics.median(loads), statistics.median(snaps), rows, statistics.median(bares),
                 statistics.median(opens))


# --- server ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """`gunicorn --workers 1 --threads 1 'wish:create_app()'` on a free 127.0.0.1 port; stopped on exit."""

    def __init__(self, url: str, workdir: Path, cpu: int | None):
        self.url, self.workdir, self.cpu = url, workdir, cpu
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.worker: psutil.Process | None = None
        self.log_path = workdir / "gunicorn.log"
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.command = [
            str(gunicorn if gunicorn.exists() else ROOT / ".venv" / "bin" / "gunicorn"),
            "--workers", "1", "--threads", "1", "--bind", f"{HOST}:{self.port}",
            # gunicorn 27 otherwise opens ~/.gunicorn/gunicorn.ctl, shared with any other gunicorn here.
            "--no-control-socket",
            "wish:create_app()",
        ]

    def __enter__(self) -> Server:
        env = {k: v for k, v in os.environ.items() if not k.upper().startswith("WISH_")}
        env.update(WISH_DATABASE_URL=self.url, WISH_SECRET_KEY=secrets.token_hex(32), WISH_SHOW_EXAMPLES="true")
        cpu = self.cpu
        with self.log_path.open("wb") as log:
            # preexec_fn only pins the CPU (the worker, forked later, inherits it); nothing else runs there.
            self.proc = subprocess.Popen(
                self.command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=(lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None,
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _wait_ready(self) -> None:
        """Wait until the worker answers a request that does not touch the catalog."""
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}:\n{self.log()}")
            try:
                status, _, _ = self.get("/api/taxonomy", timeout=5)
                if status == 200:
                    children = psutil.Process(self.proc.pid).children()
                    if len(children) == 1:
                        self.worker = children[0]
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {SERVER_START_TIMEOUT:.0f} s:\n{self.log()}")

    @property
    def url_base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def get(self, path: str, timeout: float = REQUEST_TIMEOUT) -> tuple[int, dict[str, str], bytes]:
        conn = Connection(HOST, self.port, timeout=timeout)
        try:
            conn.request("GET", path, headers=HEADERS)
            resp = conn.getresponse()
            body = resp.read()
            return resp.status, dict(resp.getheaders()), body
        finally:
            conn.close()

    def worker_rss(self) -> int:
        return self.worker.memory_info().rss

    def stop(self) -> None:
        """SIGTERM the master (gunicorn stops its worker), SIGKILL whatever is left after 15 s."""
        if self.proc is None:
            return
        procs = []
        try:
            master = psutil.Process(self.proc.pid)
            procs = [master, *master.children(recursive=True)]
        except psutil.NoSuchProcess:
            pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        _, alive = psutil.wait_procs(procs, timeout=5)
        for proc in alive:
            proc.kill()
        self.proc = None


# --- client ------------------------------------------------------------------

HEADERS = {"Accept-Encoding": "gzip", "User-Agent": "wish-bench"}  # --accept-encoding changes it
_RESET_ON_CLOSE = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends RST, leaves no TIME_WAIT


class Connection(HTTPConnection):
    """An HTTPConnection that leaves no TIME_WAIT socket behind when it closes.

    gunicorn's sync worker closes the connection after every response, so the client opens a
    new one per request. With ~2,000 requests/s the ~14,000 ephemeral ports Linux hands to
    connect() sit in TIME_WAIT (60 s) within seconds, and connect() then slows down badly,
    which would measure the kernel's port search instead of the app.
    """

    def connect(self) -> None:
        super().connect()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RESET_ON_CLOSE)


@dataclass
class Result:
    endpoint: str
    latencies: list[float] = field(default_factory=list)  # seconds, every request of every round
    round_rps: list[float] = field(default_factory=list)
    body_bytes: int = 0
    errors: int = 0

    @property
    def rps(self) -> float:
        """Median over the rounds: one round slowed down by the machine does not move it."""
        return statistics.median(self.round_rps) if self.round_rps else 0.0

    def pct_ms(self, q: float) -> float:
        return float(np.percentile(self.latencies, q)) * 1000 if self.latencies else float("nan")


def run_requests(port: int, next_path: Callable[[], str], seconds: float, result: Result) -> None:
    """Sequential GETs for `seconds` on one HTTPConnection (reopened whenever the server closes it)."""
    conn = Connection(HOST, port, timeout=30)
    latencies = result.latencies
    started = time.perf_counter()
    deadline = started + seconds
    count = 0
    try:
        while count < MAX_REQUESTS:
            path = next_path()
            t0 = time.perf_counter()
            if t0 >= deadline:
                break
            conn.request("GET", path, headers=HEADERS)
            resp = conn.getresponse()
            body = resp.read()
            latencies.append(time.perf_counter() - t0)
            if resp.will_close:  # gunicorn's sync worker closes every connection
                conn.close()
            if resp.status != 200:
                result.errors += 1
            result.body_bytes += len(body)
            count += 1
    finally:
        conn.close()
    result.round_rps.append(count / (time.perf_counter() - started))


def endpoints(rng: random.Random, cities: list[tuple[str, float, float]]) -> dict[str, Callable[[], str]]:
    """Path makers: every call a fresh URL (no If-None-Match is sent, so the 304 path is never taken)."""

    def near() -> str:
        _, lat, lon = rng.choice(cities)
        return f"/api/initiatives?near={lat + rng.uniform(-0.05, 0.05):.4f},{lon + rng.uniform(-0.05, 0.05):.4f}&radius_km=25"

    def near_open() -> str:
        return near() + "&open_now=1"

    def near_speaks() -> str:
        return near() + "&speaks=ar"

    def clusters_open() -> str:
        return clusters() + "&open_now=1"

    def country() -> str:
        return f"/api/initiatives?country={rng.choice(COUNTRIES)}&support=language-classes"

    def clusters() -> str:
        _, west, south, east, north, zmin, zmax = rng.choice(VIEWS)
        dx, dy = rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5)
        bbox = f"{west + dx:.3f},{south + dy:.3f},{east + dx:.3f},{north + dy:.3f}"
        return f"/api/clusters?bbox={bbox}&zoom={rng.randint(zmin, zmax)}"

    return {
        "/healthz": lambda: "/healthz",
        "near search": near,
        "near search, open now": near_open,
        "near search, speaks ar first": near_speaks,
        "country + support": country,
        "clusters": clusters,
        "clusters, open now": clusters_open,
    }


def json_body(headers: dict[str, str], body: bytes):
    encoding = headers.get("Content-Encoding", "")
    if encoding == "gzip":
        body = gzip.decompress(body)
    elif encoding == "deflate":
        body = zlib.decompress(body)
    elif encoding == "br":
        import brotli  # installed with Flask-Compress

        body = brotli.decompress(body)
    return json.loads(body)


def sample_totals(server: Server, make: Callable[[], str], count: int = 20) -> float:
    """Mean `total` of a few responses (to show how much each query finds)."""
    totals = []
    for _ in range(count):
        status, headers, body = server.get(make())
        if status != 200:
            raise RuntimeError(f"{make.__name__}: HTTP {status}: {body[:300]!r}")
        doc = json_body(headers, body)
        totals.append(doc.get("total", doc.get("initiatives", 0)))
    return statistics.mean(totals)


# --- one size ----------------------------------------------------------------


@dataclass
class SizeResult:
    n: int
    build: Build
    fill_s: float
    first_ms: float
    rss_built: int
    rss_after: int
    results: dict[str, Result]
    totals: dict[str, float]
    first_view: tuple[int, float] | None = None  # WISH map page: bytes, ms to first marker
    plain_view: tuple[int, float] | None = None  # plain Folium with every marker embedded


def bench_size(n: int, args, server_cpu: int | None, log: Callable[[str], None]) -> SizeResult:
    with tempfile.TemporaryDirectory(prefix="wish-bench-") as tmp:
        workdir = Path(tmp)
        url = f"sqlite:///{workdir / 'wish.sqlite3'}"
        log(f"N={n:,}: migrating and filling {workdir}")
        t0 = time.perf_counter()
        migrate(url)
        records = synth_records(n, args.seed)
        fill(url, records)
        fill_s = time.perf_counter() - t0
        cities = big_cities(records)
        plain_records = records if args.map and n <= PLAIN_FOLIUM_MAX else None
        del records
        gc.collect()
        log(f"N={n:,}: filled in {fill_s:.1f} s; timing the catalog build x{args.builds}")
        build = measure_build(url, args.builds)
        if build.rows != n:
            raise RuntimeError(f"catalog holds {build.rows} rows, expected {n}")
        rng = random.Random(args.seed)
        paths = endpoints(rng, cities)
        with Server(url, workdir, server_cpu) as server:
            log(f"N={n:,}: server pid {server.proc.pid}, worker pid {server.worker.pid}, port {server.port}")
            t0 = time.perf_counter()
            status, headers, body = server.get("/healthz")
            first_ms = (time.perf_counter() - t0) * 1000
            if status != 200 or json_body(headers, body)["initiatives"] != n:
                raise RuntimeError(f"/healthz: HTTP {status} {body[:200]!r}")
            rss_built = server.worker_rss()
            totals = {name: sample_totals(server, make) for name, make in paths.items()}
            # Warm every code path, and let the machine settle after the build: on a shared VM the
            # first seconds after allocating the catalog were often slow for no reason in the app.
            for _ in range(5):
                for make in paths.values():
                    run_requests(server.port, make, args.settle / 5 / len(paths), Result("warm-up"))
            results = {name: Result(name) for name in paths}
            # Rounds of every endpoint in turn, so a slow drift of the machine hits all alike.
            for _ in range(args.rounds):
                for name, make in paths.items():
                    run_requests(server.port, make, args.seconds / args.rounds, results[name])
            rss_after = server.worker_rss()
            first_view = plain_view = None
            if args.map:
                with bench_map.chromium() as browser:
                    bench_map.measure(browser, server.url_base + "/")  # warm: catalog, map skeleton
                    first_view = bench_map.measure(browser, server.url_base + "/")
                    log(f"N={n:,}: map first view {first_view[0] / 1000:.1f} kB, markers after {first_view[1]:.0f} ms")
                    if plain_records is not None:
                        plain_view = bench_map.plain_folium_first_view(browser, plain_records, workdir)
                        log(f"N={n:,}: plain Folium {plain_view[0] / 1000:.1f} kB, markers after {plain_view[1]:.0f} ms")
        for name, res in results.items():
            log(f"N={n:,}: {name:18} {res.rps:8.1f} req/s  p50 {res.pct_ms(50):7.2f} ms  "
                f"p99 {res.pct_ms(99):7.2f} ms  errors {res.errors}")
            if res.errors:
                raise RuntimeError(f"{name}: {res.errors} requests did not answer 200 (see server log)")
        return SizeResult(n, build, fill_s, first_ms, rss_built, rss_after, results, totals, first_view, plain_view)


def empty_baseline(server_cpu: int | None, log: Callable[[str], None]) -> tuple[int, float]:
    """Worker RSS (and first /healthz time) with a migrated but empty database."""
    with tempfile.TemporaryDirectory(prefix="wish-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'wish.sqlite3'}"
        migrate(url)
        with Server(url, Path(tmp), server_cpu) as server:
            t0 = time.perf_counter()
            status, _, body = server.get("/healthz")
            first_ms = (time.perf_counter() - t0) * 1000
            if status != 200:
                raise RuntimeError(f"/healthz on the empty database: HTTP {status} {body[:200]!r}")
            rss = server.worker_rss()
    log(f"empty database: worker RSS {rss / MB:.0f} MB")
    return rss, first_ms


# --- report ------------------------------------------------------------------


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({model}), {psutil.virtual_memory().total / 2**30:.1f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def mark(ok: bool) -> str:
    return "✅ pass" if ok else "❌ fail"


def render(command: str, machine_line: str, pinning: str, baseline: tuple[int, float],
           sizes: list[SizeResult], args: argparse.Namespace) -> str:
    base_rss, base_first = baseline
    out = [
        f"Command: `{command}`  ",
        f"Machine: {machine_line}; {pinning}.  ",
        f"Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Per size and endpoint {args.seconds:g} s of sequential "
        f"requests in {args.rounds} rounds, the endpoints taking turns, after {args.settle:g} s of unmeasured "
        "warm-up; req/s is the median of the rounds, p50/p99 are over all requests.",
        "",
        "### Catalog build and worker memory",
        "",
        "| initiatives | fill DB (s) | read rows (ms) | Snapshot() (ms) | "
        "Snapshot() without time zones and opening ranges (ms) | open now over all rows, uncached (ms) | "
        "build total (ms) | "
        "first request: worker builds catalog (ms) | worker RSS, empty DB (MB) | worker RSS, catalog built (MB) | "
        "worker RSS after requests (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sizes:
        out.append(
            f"| {s.n:,} | {s.fill_s:.1f} | {s.build.load_ms:,.0f} | {s.build.snapshot_ms:,.0f} | "
            f"{s.build.bare_ms:,.0f} | {s.build.open_ms:,.1f} | "
            f"{s.build.total_ms:,.0f} | {s.first_ms:,.0f} | {base_rss / MB:.0f} | {s.rss_built / MB:.0f} | "
            f"{s.rss_after / MB:.0f} |"
        )
    out += [
        "",
        f"Empty database: first /healthz {base_first:,.0f} ms.",
        "",
        "### Endpoints",
        "",
        "| initiatives | endpoint | req/s | % of /healthz | p50 (ms) | p99 (ms) | requests | "
        f"mean body (bytes, {args.accept_encoding or 'identity'}) | mean total found |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sizes:
        health = s.results["/healthz"].rps
        for name, r in s.results.items():
            count = len(r.latencies)
            out.append(
                f"| {s.n:,} | {name} | {r.rps:,.0f} | {100 * r.rps / health:.0f} % | {r.pct_ms(50):.2f} | "
                f"{r.pct_ms(99):.2f} | {count:,} | {r.body_bytes / max(1, count):,.0f} | {s.totals[name]:,.0f} |"
            )
    if any(s.first_view for s in sizes):
        out += ["", "### Map page: first view in headless chromium", "",
                "Bytes on the wire for HTML, CSS, JS, favicon and the first API replies (clusters and the",
                "results list), compressed as the browser asked (brotli); tiles excluded (answered locally).",
                "Time from navigation start until the first marker is in the page. Plain Folium: a",
                "`folium.Map` with one `folium.Marker` per initiative, the usual way, served gzipped with the",
                "same local Leaflet.", "",
                "| initiatives | WISH first view (kB) | WISH markers visible (ms) | plain Folium (kB) | plain Folium markers visible (ms) |",
                "|---:|---:|---:|---:|---:|"]
        for size in sizes:
            if size.first_view:
                plain = (f"{size.plain_view[0] / 1000:,.1f} | {size.plain_view[1]:,.0f}" if size.plain_view
                         else "not built (too big) | –")
                out.append(f"| {size.n:,} | {size.first_view[0] / 1000:,.1f} | {size.first_view[1]:,.0f} | {plain} |")
    out += ["", f"### Targets (at {TARGET_N:,} initiatives)", "", "| target | measured | result |", "|---|---:|---|"]
    at = next((s for s in sizes if s.n == TARGET_N), None)
    if at is None:
        out.append(f"| all | not measured: run with `--sizes {TARGET_N}` | – |")
    else:
        near, health = at.results["near search"], at.results["/healthz"]
        share = 100 * near.rps / health.rps
        p99 = near.pct_ms(99)
        rss = max(at.rss_built, at.rss_after) / MB
        out += [
            f"| near search throughput ≥ {TARGET_NEAR_SHARE:.0f} % of /healthz | {share:.0f} % | "
            f"{mark(share >= TARGET_NEAR_SHARE)} |",
            f"| near search p99 < {TARGET_NEAR_P99_MS:.0f} ms | {p99:.1f} ms | {mark(p99 < TARGET_NEAR_P99_MS)} |",
            f"| worker memory < {TARGET_RSS_MB:.0f} MB | {rss:.0f} MB | {mark(rss < TARGET_RSS_MB)} |",
        ]
        small = next((s for s in sizes if s.n == min(x.n for x in sizes)), None)
        if at.first_view and small and small.first_view and small is not at:
            growth = (at.first_view[0] / small.first_view[0] - 1) * 100
            out += [
                f"| map first view < {TARGET_FIRST_VIEW_KB:.0f} kB | {at.first_view[0] / 1000:.1f} kB | "
                f"{mark(at.first_view[0] / 1000 < TARGET_FIRST_VIEW_KB)} |",
                f"| first view grows < 10 % from {small.n:,} to {at.n:,} | {growth:+.1f} % | {mark(growth < 10)} |",
                f"| markers visible < 1 s | {at.first_view[1]:.0f} ms | {mark(at.first_view[1] < 1000)} |",
            ]
    return "\n".join(out)


def write_doc(block: str, path: Path = DOC, begin: str = BEGIN, end: str = END) -> None:
    """Put `block` between the markers `begin` and `end` in docs/benchmarks.md (created if missing)."""
    wrapped = f"{begin}\n{block}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    first, last = text.find(begin), text.find(end)
    if first != -1 and last > first:
        text = text[:first] + wrapped + text[last + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + wrapped + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("sizes are comma-separated whole numbers, e.g. 1000,10000") from None
    if not sizes or any(n < 1 or n > 1_000_000 for n in sizes):
        raise argparse.ArgumentTypeError("each size must be between 1 and 1,000,000")
    return sizes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=[1_000, 10_000, 100_000],
                        help="comma-separated numbers of initiatives (default 1000,10000,100000)")
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds of requests per endpoint (default 3)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="split each measurement into rounds, endpoints in turn; req/s is the median (default 5)")
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds of unmeasured requests after the catalog is built (default 5)")
    parser.add_argument("--builds", type=int, default=3, help="catalog builds to take the median of (default 3)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the synthetic data and the requests")
    parser.add_argument("--accept-encoding", default="gzip",
                        help='Accept-Encoding of every request (default gzip; e.g. "gzip, deflate, br")')
    parser.add_argument("--no-map", dest="map", action="store_false",
                        help="skip the map page's first view in headless chromium")
    parser.add_argument("--no-write", action="store_true", help=f"print only; leave {DOC.relative_to(ROOT)} alone")
    args = parser.parse_args(argv)
    if not 0 < args.seconds <= 600 or not 0 <= args.settle <= 600:
        parser.error("--seconds must be in (0, 600] and --settle in [0, 600]")
    if not 1 <= args.rounds <= 100 or not 1 <= args.builds <= 20:
        parser.error("--rounds must be in 1..100 and --builds in 1..20")

    # Stop the server on Ctrl+C, `kill` or a closed terminal: turn the signal into an exception that
    # unwinds through Server.__exit__ (SIGINT too when a shell started us in the background, ignoring it).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: sys.exit(128 + signum))
    HEADERS["Accept-Encoding"] = args.accept_encoding
    # create_app() would otherwise keep a generated key in instance/secret_key.
    os.environ.setdefault("WISH_SECRET_KEY", secrets.token_hex(32))
    command = shlex.join([".venv/bin/python", "scripts/bench.py", *(sys.argv[1:] if argv is None else argv)])
    machine_line = machine()
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) >= 2:
        server_cpu, client_cpu = cpus[0], cpus[1]
        os.sched_setaffinity(0, {client_cpu})
        pinning = f"server (gunicorn master and worker) pinned to CPU {server_cpu}, client to CPU {client_cpu}"
    else:
        server_cpu = None
        pinning = "one CPU: server and client share it"

    def log(message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)

    print(f"# {command}\n# {machine_line}; {pinning}", flush=True)
    baseline = empty_baseline(server_cpu, log)
    sizes = [bench_size(n, args, server_cpu, log) for n in args.sizes]
    block = render(command, machine_line, pinning, baseline, sizes, args)
    print(block)
    if not args.no_write:
        write_doc(block)
    geocoding_block = bench_geocoding.render()
    print(geocoding_block)
    if not args.no_write:
        write_doc(geocoding_block, begin="<!-- bench:geocoding -->", end="<!-- /bench:geocoding -->")
        log(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("[bench] interrupted; the server was stopped", file=sys.stderr)
        sys.exit(130)
