"""Support types, target groups, countries and languages: pure data and lookups.

Labels are English msgids marked with N_() for Babel extraction; the web layer translates
them at display time, so this module needs no Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pycountry


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for translation without translating it here."""
    return message


@dataclass(frozen=True)
class Term:
    slug: str
    label: str
    description: str


SUPPORT_TYPES: tuple[Term, ...] = (
    Term("language-classes", N_("Language classes"), N_("Learn the local language, from first words to exams.")),
    Term("legal-advice", N_("Legal advice and asylum procedure"), N_("Help with asylum, residence papers, appeals and rights.")),
    Term("housing", N_("Housing and shelter"), N_("A bed tonight, emergency shelter, or help finding a home.")),
    Term("food", N_("Food"), N_("Meals, food parcels and community kitchens.")),
    Term("clothing", N_("Clothing"), N_("Clothes, shoes and blankets, free or at low cost.")),
    Term("health", N_("Health"), N_("Doctors, nurses, medicines and help to use health services.")),
    Term("mental-health", N_("Mental health and trauma support"), N_("Someone to talk to, counselling and trauma care.")),
    Term("womens-support", N_("Women's support"), N_("Safe spaces and help for women, including gender-based violence.")),
    Term("children-youth", N_("Children and youth"), N_("Activities, protection and support for children and young people.")),
    Term("education", N_("Education"), N_("School, homework help, courses and recognition of diplomas.")),
    Term("work-training", N_("Work and training"), N_("Job search, CVs, training and fair work.")),
    Term("interpreting", N_("Interpreting and translation"), N_("Interpreters for appointments and translation of documents.")),
    Term("social-cultural", N_("Social and cultural activities"), N_("Meet people, share meals, culture and celebrations.")),
    Term("anti-discrimination", N_("Anti-discrimination and rights"), N_("Against racism, hate speech and discrimination, e.g. of Roma and Sinti.")),
    Term("sport-leisure", N_("Sport and leisure"), N_("Sport, games, outings and free time together.")),
    Term("orientation", N_("Information and orientation"), N_("Where to go for what: first steps in a new country.")),
    Term("volunteering", N_("Volunteer here"), N_("Newcomers are welcome to volunteer: from being assisted to assisting others.")),
)

TARGET_GROUPS: tuple[Term, ...] = (
    Term("everyone", N_("Everyone"), N_("Open to all.")),
    Term("women", N_("Women"), N_("For women and girls.")),
    Term("children", N_("Children"), N_("For children.")),
    Term("families", N_("Families"), N_("For parents and their children.")),
    Term("unaccompanied-minors", N_("Unaccompanied minors"), N_("For young people under 18 travelling alone.")),
    Term("lgbtqi", N_("LGBTQI+"), N_("For lesbian, gay, bisexual, trans, queer and intersex people.")),
    Term("disabilities", N_("People with disabilities"), N_("Accessible support for people with disabilities.")),
    Term("roma-sinti", N_("Roma and Sinti"), N_("For Roma and Sinti people and communities.")),
)

LOCATION_PRECISIONS: tuple[str, ...] = ("exact", "street", "city", "country")
STATUSES: tuple[str, ...] = ("pending", "published", "rejected", "archived")
STATUS_LABELS = {"pending": N_("Waiting for review"), "published": N_("Published"), "rejected": N_("Rejected"),
                 "archived": N_("Archived")}

# Geographic Europe plus the Council of Europe's members, Kosovo and the Caucasus.
EUROPE: tuple[str, ...] = (
    "AD", "AL", "AM", "AT", "AZ", "BA", "BE", "BG", "BY", "CH", "CY", "CZ", "DE", "DK", "EE",
    "ES", "FI", "FO", "FR", "GB", "GE", "GI", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT",
    "LU", "LV", "MC", "MD", "ME", "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "RU", "SE",
    "SI", "SK", "SM", "TR", "UA", "VA", "XK",
)
_EXTRA_COUNTRY_NAMES = {"XK": "Kosovo"}  # user-assigned code, not in ISO 3166-1 / pycountry

SUPPORT_SLUGS = frozenset(t.slug for t in SUPPORT_TYPES)
TARGET_SLUGS = frozenset(t.slug for t in TARGET_GROUPS)


def known(values: list[str], is_known, what: str) -> list[str]:
    """The values without repeats, in order; ValueError naming the unknown ones."""
    unknown = [v for v in values if not is_known(v)]
    if unknown:
        raise ValueError(f"{what}: {', '.join(unknown)}")
    return list(dict.fromkeys(values))


def support_type(slug: str) -> Term | None:
    return _BY_SLUG_SUPPORT.get(slug)


def target_group(slug: str) -> Term | None:
    return _BY_SLUG_TARGET.get(slug)


_BY_SLUG_SUPPORT = {t.slug: t for t in SUPPORT_TYPES}
_BY_SLUG_TARGET = {t.slug: t for t in TARGET_GROUPS}


def is_country(code: str) -> bool:
    """True for a European ISO 3166-1 alpha-2 code that WISH covers (upper case)."""
    return code in EUROPE


def country_name(code: str) -> str:
    """English name of a European country code (translated names come from Babel in the web layer)."""
    if code in _EXTRA_COUNTRY_NAMES:
        return _EXTRA_COUNTRY_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name if country else code


@lru_cache(maxsize=1)
def language_codes() -> frozenset[str]:
    """Every ISO 639-1 code that pycountry knows."""
    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


def is_language(code: str) -> bool:
    return code in language_codes()


def language_name(code: str) -> str:
    lang = pycountry.languages.get(alpha_2=code)
    return lang.name if lang else code


# Offered as checkboxes on the submission form (others can be typed): the languages refugees and
# asylum-seekers in Europe most often speak, then the main languages of the host countries.
COMMON_LANGUAGES: tuple[str, ...] = (
    "ar", "fa", "ps", "uk", "ru", "tr", "ku", "ti", "so", "am", "ur", "bn", "fr", "en",
    "de", "it", "es", "pt", "el", "pl", "ro", "nl", "sq", "sr",
)


def language_code(text: str) -> str | None:
    """'Arabic', 'ara', 'ar' -> 'ar' (ISO 639-1), or None when unknown."""
    text = text.strip()
    if not text:
        return None
    try:
        found = pycountry.languages.lookup(text)
    except LookupError:
        return None
    return getattr(found, "alpha_2", None)
