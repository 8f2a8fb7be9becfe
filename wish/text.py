"""Text folding for search: case-, accent- and ligature-insensitive matching."""

from __future__ import annotations

import unicodedata

# Letters that NFKD does not split into a base letter plus an accent.
_EXTRA = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "ħ": "h", "ı": "i", "þ": "th"})


def fold(text: str) -> str:
    """'Santé Ørsted ŁÓDŹ' -> 'sante orsted lodz'; non-Latin scripts keep their letters."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_EXTRA).split())
