"""Several gunicorn workers, each with its own catalog, show an approval or archive within 2 seconds."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from tests.conftest import free_port, make_record
from wish import curation, review
from wish.config import ROOT
from wish.extensions import db
from wish.models import Initiative

WORKERS = 3


@pytest.fixture
def gunicorn(app, tmp_path):
    port = free_port()
    env = {**os.environ, "WISH_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "WISH_SECRET_KEY": "test-secret"}  # production's check interval: WISH_CATALOG_CHECK_SECONDS=1
    env.pop("WISH_CATALOG_CHECK_SECONDS", None)
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
         "--no-control-socket", "wish:create_app()"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if requests.get(f"{base}/healthz", timeout=1).ok:
                break
        except requests.RequestException:  # still booting
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail((tmp_path / "gunicorn.log").read_text())
    yield base
    process.terminate()
    process.wait(timeout=20)
    log.close()


def totals(base: str, rounds: int) -> set[int]:
    """What the workers answer; fresh connections spread the requests over the workers."""
    return {requests.get(f"{base}/api/initiatives?q=Workerville", timeout=5,
                         headers={"Connection": "close"}).json()["total"] for _ in range(rounds)}


def two_seconds_after(moment: float) -> None:
    time.sleep(max(0.0, moment + 2.0 - time.monotonic()))


def test_every_worker_shows_an_approval_and_an_archive_within_two_seconds(app, gunicorn):
    review.upsert(db.session, [make_record(name="Workerville Kitchen", status="pending", verified=None)], actor="t")
    assert totals(gunicorn, 6 * WORKERS) == {0}  # every worker has built its catalog without it
    initiative = db.session.scalar(select(Initiative))
    curation.approve(db.session, initiative, "staff:test")
    two_seconds_after(time.monotonic())
    assert totals(gunicorn, 10 * WORKERS) == {1}
    curation.archive(db.session, initiative, "staff:test")
    two_seconds_after(time.monotonic())
    assert totals(gunicorn, 10 * WORKERS) == {0}
