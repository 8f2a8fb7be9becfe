"""Filling in WISH's HTML forms from tests, the way a browser without JavaScript would."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            self.values.setdefault(a["name"], a.get("value") or "")
            if a.get("type") == "hidden":
                self.hidden.setdefault(a["name"], a.get("value") or "")


def inputs(html: str) -> _Inputs:
    parser = _Inputs()
    parser.feed(html)
    return parser


def hidden_fields(html: str) -> dict[str, str]:
    return inputs(html).hidden


def valid_form(**overrides) -> dict:
    """A complete, valid submission in Padova (the town is found offline)."""
    data = {
        "name": "Tea and Talk Padova",
        "organisation": "Volunteers of the Arcella",
        "support_types": ["social-cultural", "language-classes"],
        "target_groups": ["everyone"],
        "languages": ["it", "ar"],
        "other_languages": "Tigrinya",
        "description": "Conversation in Italian over tea, every Monday.",
        "country": "IT",
        "city": "Padova",
        "address": "",
        "postcode": "",
        "opening_hours-mo-open1": "17:00",
        "opening_hours-mo-close1": "19:00",
        "opening_hours_note": "Closed in August",
        "website": "https://tea-and-talk.example.org",
        "phone": "049 123 4567",
        "whatsapp": "+39 333 123 4567",
        "email": "info@tea-and-talk.example.org",
        "valid_until": "",
        "contact_email": "volunteer@example.org",
    }
    data.update(overrides)
    return data


def post_form(client, url: str, data: dict, **kwargs):
    """GET the form at `url`, then POST `data` with the form's hidden fields (CSRF token, key)."""
    page = client.get(url)
    fields = hidden_fields(page.get_data(as_text=True))
    fields.pop("latitude", None), fields.pop("longitude", None)
    return client.post(url, data={**fields, **data}, **kwargs)


def edit_key(html: str) -> str:
    """The private token in the edit link a page shows."""
    link = re.search(r'id="edit-link"[^>]*>([^<]+)<', html) or re.search(r'href="([^"]*/edit\?key=[^"]+)"', html)
    assert link, "no edit link on the page"
    return parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)["key"][0]
