"""The Babel catalogs: every required language, complete, with the right placeholders, up to date with the sources.

When one of these fails after you added or changed a string: run scripts/translations, then translate
the new entries in wish/translations/*/LC_MESSAGES/messages.po (README.md, "Translations").
"""

from __future__ import annotations

import re

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from wish.config import ROOT

TRANSLATIONS = ROOT / "wish" / "translations"
# The languages of the people WISH is for (issue 8); English is the source language.
REQUIRED = ("fr", "de", "it", "es", "ar", "fa", "uk", "ru", "tr")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def read(path):
    with path.open("rb") as f:
        return read_po(f)


def catalog(code: str):
    path = TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"
    assert path.is_file(), f"no catalog for {code}: run scripts/translations {code}"
    return read(path)


def msgids(cat) -> set:
    return {m.id for m in cat if m.id}


def forms(value) -> list[str]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The strings the sources mark today, extracted as scripts/translations does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "N_", "-k", "_", "-k", "_l",
                                "-o", str(pot), str(ROOT)])
    return msgids(read(pot))


def test_every_required_language_has_a_catalog():
    found = {p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")}
    assert set(REQUIRED) <= found, f"missing: {set(REQUIRED) - found}"


def test_committed_template_matches_the_sources(extracted):
    committed = msgids(read(TRANSLATIONS / "messages.pot"))
    assert extracted == committed, (
        f"run scripts/translations: new {sorted(map(str, extracted - committed))}, gone {sorted(map(str, committed - extracted))}"
    )


@pytest.mark.parametrize("code", REQUIRED)
def test_catalog_has_every_source_string_and_nothing_else(code, extracted):
    ids = msgids(catalog(code))
    assert ids == extracted, f"{code}: run scripts/translations; missing {sorted(map(str, extracted - ids))}"


@pytest.mark.parametrize("code", REQUIRED)
def test_every_entry_is_translated_and_none_is_fuzzy(code):
    cat = catalog(code)
    assert not cat.fuzzy, f"{code}: the catalog header is marked fuzzy"
    fuzzy = [m.id for m in cat if m.id and m.fuzzy]
    empty = [m.id for m in cat if m.id and not all(s.strip() for s in forms(m.string))]
    assert fuzzy == [], f"{code}: check these and remove their fuzzy mark: {fuzzy}"
    assert empty == [], f"{code}: untranslated: {empty}"


@pytest.mark.parametrize("code", REQUIRED)
def test_placeholders_are_kept_exactly(code):
    cat = catalog(code)
    problems = [(m.id, [str(e) for e in errors]) for m, errors in cat.check()]  # Babel's own compile-time checks
    for m in cat:
        if not m.id:
            continue
        if isinstance(m.id, tuple):
            wanted = set(PLACEHOLDER.findall(m.id[1]))
            for text in forms(m.string):
                # A plural form may spell out its number ("نتيجة واحدة"), so only %(num)s may be left out.
                got = set(PLACEHOLDER.findall(text))
                if not got <= wanted or wanted - got - {"num"}:
                    problems.append((m.id, text))
        elif set(PLACEHOLDER.findall(m.id)) != set(PLACEHOLDER.findall(m.string)):
            problems.append((m.id, m.string))
    assert problems == [], f"{code}: {problems}"


@pytest.mark.parametrize("code", REQUIRED)
def test_plural_entries_have_one_form_per_plural_category(code):
    cat = catalog(code)
    for m in cat:
        if m.id and isinstance(m.id, tuple):
            assert len(forms(m.string)) == cat.num_plurals, (code, m.id)


def test_every_gettext_alias_in_the_code_is_one_the_extraction_knows():
    """A string marked with an alias pybabel is not told about never reaches the catalogs, silently."""
    known = {"_", "_l", "N_", "gettext", "ngettext", "lazy_gettext"}
    for path in (ROOT / "wish").rglob("*.py"):
        for alias in re.findall(r"import (?:lazy_)?n?gettext as (\w+)", path.read_text(encoding="utf-8")):
            assert alias in known, f"{path.name}: '{alias}' is not extracted; add -k {alias} to scripts/translations"
