"""The interface language: the switcher, ?lang= kept in the URL, Accept-Language, translated labels, RTL."""

from __future__ import annotations

import html as htmllib
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import make_record
from tests.unit.test_translations import REQUIRED
from wish.web.present import country_label, join_list, language_label, support_label, target_label

OWN_NAMES = {"en": "English", "fr": "Français", "de": "Deutsch", "it": "Italiano", "es": "Español",
             "ar": "العربية", "fa": "فارسی", "uk": "Українська", "ru": "Русский", "tr": "Türkçe"}


@pytest.fixture
def item_id(add, client):
    add(make_record(ref="pd", name="Italian for Beginners", address="Via Roma 12", phone="+39 049 000 0000"))
    return client.get("/api/initiatives").json["items"][0]["id"]


def page(client, path, accept="en"):
    response = client.get(path, headers={"Accept-Language": accept})
    assert response.status_code in (200, 404), (path, response.status_code)
    return response, response.get_data(as_text=True)


def switcher_links(text: str) -> dict[str, str]:
    """hreflang -> href of the language switcher's links."""
    block = re.search(r'<details class="langs".*?</details>', text, re.S).group(0)
    links = re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang="(\w+)"[^>]*>([^<]+)</a>', block)
    assert all(lang == hreflang for _, lang, hreflang, _ in links)
    return {hreflang: htmllib.unescape(href) for href, _, hreflang, _ in links}


def query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_switcher_names_every_language_in_itself(client):
    _, text = page(client, "/list")
    for code, name in OWN_NAMES.items():
        assert re.search(rf'lang="{code}" hreflang="{code}"[^>]*>{name}</a>', text), code
    assert set(switcher_links(text)) == set(OWN_NAMES)
    assert 'aria-current="true">English</a>' in text


@pytest.mark.parametrize("path", ["/list?support=food&place=Padova&radius_km=50&lang=de", "/?country=IT&support=food"])
def test_switcher_links_keep_the_path_and_the_other_parameters(client, path):
    _, text = page(client, path)
    links = switcher_links(text)
    for code, href in links.items():
        assert urlsplit(href).path == urlsplit(path).path
        wanted = {k: v for k, v in parse_qs(urlsplit(path).query).items() if k != "lang"}
        assert query(href) == {**wanted, "lang": [code]}


def test_switcher_on_a_detail_page_stays_on_that_initiative(client, item_id):
    _, text = page(client, f"/initiatives/{item_id}?lang=fa")
    assert switcher_links(text)["uk"] == f"/initiatives/{item_id}?lang=uk"


def test_chosen_language_overrides_accept_language(client):
    response, text = page(client, "/list?lang=fr", accept="de-DE,de;q=0.9")
    assert '<html lang="fr" dir="ltr">' in text
    assert "Trouver de l’aide près de chez vous" in text and "Hilfe in Ihrer Nähe finden" not in text
    assert "Set-Cookie" not in response.headers


def test_without_a_choice_the_browser_language_is_used_and_links_stay_plain(client):
    _, text = page(client, "/list", accept="de-DE,de;q=0.9,en;q=0.5")
    assert '<html lang="de" dir="ltr">' in text and "Hilfe in Ihrer Nähe finden" in text
    assert '<a href="/">Karte</a>' in text and '<a href="/list">Liste als Text</a>' in text
    assert 'name="lang"' not in text


def test_an_unknown_language_is_ignored_not_spread(client):
    _, text = page(client, "/list?lang=xx", accept="it")
    assert '<html lang="it"' in text
    assert '<a href="/">Mappa</a>' in text and 'name="lang"' not in text


def internal_links(text: str) -> list[str]:
    """Links to our own pages, except the switcher's (each names its own language)."""
    text = re.sub(r'<details class="langs".*?</details>', "", text, flags=re.S)
    hrefs = [htmllib.unescape(h) for h in re.findall(r'href="(/[^"]*)"', text)]
    return [h for h in hrefs if not h.startswith(("/static/", "/api/"))]


@pytest.mark.parametrize("path", ["/", "/list?support=language-classes", "/initiatives/{id}", "/no-such-page"])
def test_chosen_language_is_kept_in_every_link_and_form(client, item_id, path):
    path = path.format(id=item_id)
    response, text = page(client, path + ("&" if "?" in path else "?") + "lang=ar")
    assert '<html lang="ar" dir="rtl">' in text
    links = internal_links(text)
    assert len(links) >= 3
    for href in links:
        assert query(href).get("lang") == ["ar"], href
    for form in re.findall(r'<form[^>]*method="get".*?</form>', text, re.S):
        assert '<input type="hidden" name="lang" value="ar">' in form
    assert "Set-Cookie" not in response.headers


def test_map_script_gets_the_language_and_a_detail_address_without_it(client):
    _, text = page(client, "/?lang=uk")
    options = json.loads(re.search(r"WISH\.attach\([^,]+, (\{.*\})\);", text).group(1))
    assert options["lang"] == "uk"
    assert options["api"]["detail"] == "/initiatives/"  # map.js adds ?lang= itself
    assert options["labels"]["support"]["food"] == "Їжа"
    assert options["labels"]["country"]["IT"] == "Італія"
    _, plain = page(client, "/")
    assert json.loads(re.search(r"WISH\.attach\([^,]+, (\{.*\})\);", plain).group(1))["lang"] == ""


def test_arabic_list_page_is_translated_and_right_to_left(client, item_id):
    _, text = page(client, "/list?lang=ar")
    assert '<html lang="ar" dir="rtl">' in text
    for arabic in ("ابحث عن مساعدة قربك",  # Find help near you
                   "خروج سريع",  # Quick exit
                   "دروس اللغة",  # Language classes (a support type)
                   "إيطاليا",  # Italy
                   "الإيطالية والإنجليزية"):  # Italian and English, joined the Arabic way
        assert arabic in text, arabic
    for english in ("Find help near you", "Quick exit", "Language classes", ", Italy"):
        assert english not in text, english


def test_farsi_detail_page_is_right_to_left_and_phone_numbers_stay_left_to_right(client, item_id):
    _, text = page(client, f"/initiatives/{item_id}?lang=fa")
    assert '<html lang="fa" dir="rtl">' in text and "کلاس زبان" in text and "ایتالیا" in text
    assert '<dd dir="ltr">+39 049 000 0000</dd>' in text


@pytest.mark.parametrize("code", REQUIRED)
def test_labels_country_and_language_names_are_in_the_readers_language(app, code):
    with app.test_request_context(f"/list?lang={code}"):
        assert support_label("language-classes") != "Language classes"
        assert support_label("legal-advice") != "Legal advice and asylum procedure"
        assert target_label("unaccompanied-minors") != "Unaccompanied minors"
        assert country_label("DE") not in ("Germany", "DE")
        assert language_label("ar") not in ("Arabic", "ar")
        assert join_list(["a", "b"]) != "a and b"


def test_kosovo_and_unknown_codes_still_get_a_name(app):
    with app.test_request_context("/list?lang=ar"):
        assert country_label("XK") not in ("", "XK")


@pytest.mark.parametrize(("code", "before", "after"), [("de", "Österreich", "Polen"), ("tr", "İtalya", "Karadağ"),
                                                       ("fr", "Espagne", "Finlande")])
def test_country_menu_is_in_alphabetical_order_for_the_reader(client, code, before, after):
    _, text = page(client, f"/list?lang={code}")
    menu = re.search(r'<select id="f-country".*?</select>', text, re.S).group(0)
    names = [htmllib.unescape(n) for n in re.findall(r'<option value="\w\w"[^>]*>([^<(]+?)(?: \(\d+\))?</option>', menu)]
    assert names.index(before) < names.index(after), names
