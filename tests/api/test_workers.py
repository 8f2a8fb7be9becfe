"""Several gunicorn workers, each with its own catalog, show an approval or archive within 2 seconds."""

from __future__ import annotations

import time

import pytest
import requests
from sqlalchemy import select

from tests.conftest import gunicorn, make_record
from wish import curation, review
from wish.extensions import db
from wish.models import Initiative

WORKERS = 3


@pytest.fixture
def workers(fresh_db, tmp_path):
    """Three gunicorn workers on the test's database, checking the version stamp as in production (1 s)."""
    with gunicorn(fresh_db, tmp_path, workers=WORKERS) as (base, _access, _errors):
        yield base


def totals(base: str, rounds: int) -> set[int]:
    """What the workers answer; fresh connections spread the requests over the workers."""
    return {requests.get(f"{base}/api/initiatives?q=Workerville", timeout=5,
                         headers={"Connection": "close"}).json()["total"] for _ in range(rounds)}


def two_seconds_after(moment: float) -> None:
    time.sleep(max(0.0, moment + 2.0 - time.monotonic()))


def test_every_worker_shows_an_approval_and_an_archive_within_two_seconds(app, workers):
    review.upsert(db.session, [make_record(name="Workerville Kitchen", status="pending", verified=None)], actor="t")
    assert totals(workers, 6 * WORKERS) == {0}  # every worker has built its catalog without it
    initiative = db.session.scalar(select(Initiative))
    curation.approve(db.session, initiative, "staff:test")
    two_seconds_after(time.monotonic())
    assert totals(workers, 10 * WORKERS) == {1}
    curation.archive(db.session, initiative, "staff:test")
    two_seconds_after(time.monotonic())
    assert totals(workers, 10 * WORKERS) == {0}
