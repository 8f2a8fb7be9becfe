import pycountry

from wish import taxonomy

REQUIRED_SUPPORT = {
    "language-classes", "legal-advice", "housing", "food", "clothing", "health", "mental-health",
    "womens-support", "children-youth", "education", "work-training", "interpreting",
    "social-cultural", "anti-discrimination",
}


def test_support_types_cover_the_needs_named_in_the_brief():
    slugs = [t.slug for t in taxonomy.SUPPORT_TYPES]
    assert len(slugs) >= 14
    assert len(set(slugs)) == len(slugs)
    assert set(slugs) >= REQUIRED_SUPPORT
    assert all(t.label and t.description for t in taxonomy.SUPPORT_TYPES)


def test_target_groups_include_every_group_from_the_brief():
    assert {"women", "children", "families", "unaccompanied-minors", "lgbtqi", "disabilities",
            "roma-sinti", "everyone"} <= {t.slug for t in taxonomy.TARGET_GROUPS}


def test_european_countries_are_iso_codes_with_names():
    for code in taxonomy.EUROPE:
        assert code == "XK" or pycountry.countries.get(alpha_2=code) is not None, code
        assert taxonomy.country_name(code) != code
    assert taxonomy.is_country("IT") and not taxonomy.is_country("US") and not taxonomy.is_country("it")


def test_languages_come_from_iso_639_1():
    assert {"ar", "fa", "uk", "ti", "ps", "it"} <= taxonomy.language_codes()
    assert not taxonomy.is_language("xx")
    assert taxonomy.language_name("fa") == "Persian"
