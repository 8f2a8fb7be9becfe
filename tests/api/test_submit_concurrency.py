"""Many volunteers at once: every submission is stored, and stored once, through a real server."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.formtools import hidden_fields, valid_form
from wish.extensions import db
from wish.models import Initiative

COUNT = 200


def test_200_concurrent_submissions_are_all_stored_exactly_once(app):
    # requests keeps Secure cookies for https only (browsers also send them to http://127.0.0.1).
    app.config["SESSION_COOKIE_SECURE"] = False
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"

    def volunteer(n: int) -> list[int]:
        with requests.Session() as http:
            form = hidden_fields(http.get(f"{base}/submit", timeout=60).text)
            data = {**form, **valid_form(name=f"Initiative number {n:03d}", city="Padova" if n % 2 else "Roma",
                                         website=f"https://group{n}.example.org", phone="", whatsapp="",
                                         duplicate_choice="different")}
            # Every fourth volunteer taps "send" twice: the same form arrives twice.
            return [http.post(f"{base}/submit", data=data, timeout=60).status_code for _ in range(1 + (n % 4 == 0))]

    try:
        with ThreadPoolExecutor(max_workers=32) as pool:
            codes = [code for result in pool.map(volunteer, range(COUNT)) for code in result]
    finally:
        server.shutdown()
    assert set(codes) == {200}
    db.session.expire_all()
    names = db.session.scalars(select(Initiative.name)).all()
    assert len(names) == COUNT
    assert sorted(names) == [f"Initiative number {n:03d}" for n in range(COUNT)]
    assert db.session.scalar(select(func.count()).where(Initiative.status != "pending")) == 0
