"""Text folding for search: case-, accent- and ligature-insensitive matching."""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache
from html.parser import HTMLParser

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


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    """What people type, as plain text: markup and control characters (bidi overrides too) removed.

    Pages escape everything anyway; this keeps HTML out of the database, exports and e-mails.
    """
    text = _CONTROL.sub("", text.replace("\r\n", "\n"))
    if "<" not in text and "&" not in text:
        return text
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def plain_line(text: str) -> str:
    """plain(), on one line: names, towns and addresses never carry a line break (mail headers!)."""
    return " ".join(plain(text).split())
