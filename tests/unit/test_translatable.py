"""Every user-facing string reaches the Babel catalog template."""

from babel.messages.frontend import CommandLineInterface

from wish import taxonomy
from wish.config import ROOT


def test_extraction_finds_template_and_taxonomy_strings(tmp_path):
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "N_", "-k", "_",
                                "-o", str(pot), str(ROOT)])
    text = pot.read_text(encoding="utf-8")
    for term in taxonomy.SUPPORT_TYPES + taxonomy.TARGET_GROUPS:
        assert f'msgid "{term.label}"' in text
    for message in ("Quick exit", "Text-only list", "Nothing matches your search here.", "Near a place",
                    "Nearest matches further away:", "Verified on %(date)s"):
        assert f'msgid "{message}"' in text, message
    assert text.count("msgid ") > 120
