"""Weekly opening hours: {"mo": [["09:00", "13:00"]], ...} and its one-line text form.

Text form (CSV, import, export): "Mo 09:00-13:00,15:00-18:00; We 14:00-18:00".
"""

from __future__ import annotations

import re

DAYS: tuple[str, ...] = ("mo", "tu", "we", "th", "fr", "sa", "su")
_RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


def parse(text: str) -> dict[str, list[list[str]]]:
    """Parse the text form; raise ValueError with a readable message when it is malformed."""
    schedule: dict[str, list[list[str]]] = {}
    for entry in filter(None, (part.strip() for part in (text or "").split(";"))):
        day, _, ranges = entry.partition(" ")
        day = day.lower()
        if day not in DAYS:
            raise ValueError(f"unknown day {day!r}: use Mo Tu We Th Fr Sa Su")
        if day in schedule:
            raise ValueError(f"{day.capitalize()} appears twice")
        schedule[day] = [_parse_range(r.strip()) for r in ranges.split(",") if r.strip()]
        if not schedule[day]:
            raise ValueError(f"{day.capitalize()} has no times, e.g. 'Mo 09:00-13:00'")
        _check_order(day, schedule[day])
    return {d: schedule[d] for d in DAYS if d in schedule}


def _parse_range(text: str) -> list[str]:
    match = _RANGE.match(text)
    if not match:
        raise ValueError(f"bad time range {text!r}: use HH:MM-HH:MM")
    start, end = text.split("-")
    if end <= start:
        raise ValueError(f"time range {text!r} ends before it starts")
    return [start, end]


def _check_order(day: str, ranges: list[list[str]]) -> None:
    for (_, end), (start, _) in zip(ranges, ranges[1:], strict=False):
        if start < end:
            raise ValueError(f"{day.capitalize()}: time ranges overlap or are out of order")


def format(schedule: dict[str, list[list[str]]]) -> str:  # noqa: A001 - mirrors parse()
    """The text form of a schedule; parse(format(s)) == s."""
    return "; ".join(
        f"{day.capitalize()} " + ",".join(f"{a}-{b}" for a, b in schedule[day])
        for day in DAYS
        if schedule.get(day)
    )
