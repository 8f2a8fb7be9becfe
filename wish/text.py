"""Text folding for search: case-, accent- and ligature-insensitive matching."""

from __future__ import annotations

import sys
import unicodedata
from functools import lru_cache

# Letters that NFKD does not split into a base letter plus an accent.
_EXTRA = {"ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "ħ": "h", "ı": "i", "þ": "th"}


@lru_cache(maxsize=1)
def _table() -> dict[int, str | None]:
    """Every combining mark maps to nothing; built once (str.translate beats a per-character loop)."""
    table: dict[int, str | None] = {
        cp: None for cp in range(sys.maxunicode + 1) if unicodedata.combining(chr(cp))
    }
    table.update({ord(k): v for k, v in _EXTRA.items()})
    return table


def fold(text: str) -> str:
    """'Santé Ørsted ŁÓDŹ' -> 'sante orsted lodz'; non-Latin scripts keep their letters."""
    if text.isascii():  # most listings: nothing to decompose
        return " ".join(text.lower().split())
    return " ".join(unicodedata.normalize("NFKD", text.casefold()).translate(_table()).split())
