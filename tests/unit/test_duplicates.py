"""The likely-duplicate rule, shared by the submission form and the staff review page."""

from __future__ import annotations

import pytest

from tests.conftest import make_record
from wish import duplicates
from wish.extensions import db


@pytest.mark.parametrize(("a", "b"), [
    ("https://www.Example.org/a/", "http://example.org/a"),
    ("example.org", "https://example.org/"),
])
def test_website_key_ignores_scheme_www_case_and_trailing_slash(a, b):
    assert duplicates.website_key(a) == duplicates.website_key(b) != ""


def test_website_key_keeps_the_path():
    assert duplicates.website_key("https://example.org/a") != duplicates.website_key("https://example.org/b")


def test_phone_key_reads_national_numbers_in_the_initiatives_country():
    assert duplicates.phone_key("049 123 4567", "IT") == duplicates.phone_key("+39 0491234567", "DE") == "+390491234567"


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Italian for Beginners", "italian for beginners!", True),
    ("Scuola di Italiano Penny Wirton", "Penny Wirton scuola italiano", True),
    ("Caffè Lingue", "Caffe lingue", True),
    ("Italian for Beginners", "Legal Advice Desk", False),
])
def test_similar_names(a, b, same):
    assert duplicates.similar_names(a, b) is same


def test_find_names_each_reason_and_ignores_rejected_and_far_listings(add):
    near = add(make_record(name="Italian for Beginners", website="https://a.example", phone=""))
    add(make_record(name="Italian for Beginners", latitude=41.9, longitude=12.5, website="", phone=""))  # Rome
    add(make_record(name="Italian for Beginners", status="rejected", website="", phone=""))
    by_phone = add(make_record(name="Other", phone="+39 049 765 4321", latitude=45.0, longitude=9.0))
    new = make_record(name="Italian for beginners", website="http://www.a.example/", phone="049 7654321")
    found = {d.initiative.ref: d.reasons for d in duplicates.find(db.session, new)}
    assert found == {near: ["name", "website"], by_phone: ["phone"]}


def test_find_excludes_the_initiative_itself(add):
    ref = add(name="Italian for Beginners")
    from wish.models import Initiative

    me = db.session.query(Initiative).filter_by(ref=ref).one()
    assert duplicates.find(db.session, make_record(name="Italian for Beginners"), exclude_id=me.id) == []
