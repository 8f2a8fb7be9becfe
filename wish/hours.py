"""Weekly opening hours: {"mo": [["09:00", "13:00"]], ...} and its one-line text form. No Flask.

Text form (CSV, import, export): "Mo 09:00-13:00,15:00-18:00; We 14:00-18:00".

Times are wall-clock times in the initiative's own time zone (see wish/zones.py). A range that
ends at or before its start runs past midnight into the next day, as in OpenStreetMap's
opening_hours: "Fr 22:00-02:00" is open from Friday 22:00 to Saturday 02:00, and "Su 20:00-08:00"
runs into Monday morning. "18:00-24:00" plus "Tu 00:00-02:00" is the same night written in two
parts; both forms are accepted. An overnight range is the last one of its day and must not
overlap the next day's first range.

"Open now" compares the minute of the week (Monday 00:00 = 0) in the initiative's zone with
the schedule's ranges in minutes of the week (`week_ranges`). The local time comes from
zoneinfo, so daylight-saving changes need no special case: in the hour skipped in spring no
local time inside it ever happens, and the hour repeated in autumn is inside its ranges twice.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

DAYS: tuple[str, ...] = ("mo", "tu", "we", "th", "fr", "sa", "su")
DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES
_DAY_START = {day: i * DAY_MINUTES for i, day in enumerate(DAYS)}
_RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-(([01]\d|2[0-3]):([0-5]\d)|24:00)$")


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
    schedule = {d: schedule[d] for d in DAYS if d in schedule}
    _check_nights(schedule)
    return schedule


def _parse_range(text: str) -> list[str]:
    if not _RANGE.match(text):
        raise ValueError(f"bad time range {text!r}: use HH:MM-HH:MM (up to 24:00)")
    start, end = text.split("-")
    if end == start:
        raise ValueError(f"time range {text!r} starts and ends at the same time")
    return [start, end]


def _minutes(hhmm: str) -> int:
    hour, minute = hhmm.split(":")
    return int(hour) * 60 + int(minute)


def _span(start: str, end: str) -> tuple[int, int]:
    """Minutes since the day's midnight; an overnight range ends after 24:00 (e.g. 22:00-02:00 -> 1320, 1560)."""
    a, b = _minutes(start), _minutes(end)
    return a, b if b > a else b + DAY_MINUTES


def _check_order(day: str, ranges: list[list[str]]) -> None:
    spans = [_span(a, b) for a, b in ranges]
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        if start < end:
            raise ValueError(f"{day.capitalize()}: time ranges overlap or are out of order "
                             "(a range past midnight must be the day's last)")


def _check_nights(schedule: dict[str, list[list[str]]]) -> None:
    """A range past midnight must end before the next day's first range starts."""
    for i, day in enumerate(DAYS):
        if not schedule.get(day):
            continue
        spill = _span(*schedule[day][-1])[1] - DAY_MINUTES
        following = schedule.get(DAYS[(i + 1) % 7])
        if spill > 0 and following and _minutes(following[0][0]) < spill:
            raise ValueError(f"{day.capitalize()}: the range past midnight overlaps "
                             f"{DAYS[(i + 1) % 7].capitalize()}'s first range")


def format(schedule: dict[str, list[list[str]]]) -> str:  # noqa: A001 - mirrors parse()
    """The text form of a schedule; parse(format(s)) == s."""
    return "; ".join(
        f"{day.capitalize()} " + ",".join(f"{a}-{b}" for a, b in schedule[day])
        for day in DAYS
        if schedule.get(day)
    )


def week_ranges(schedule: dict[str, list[list[str]]]) -> list[tuple[int, int]]:
    """Half-open [start, end) minutes of the week (Monday 00:00 = 0); Sunday night wraps to Monday."""
    found = []
    for day, ranges in schedule.items():  # called for every row of every catalog build: kept lean
        base = _DAY_START.get(day)
        if base is None or not ranges:
            continue
        for start, end in ranges:
            a = base + int(start[:2]) * 60 + int(start[3:5])
            b = base + int(end[:2]) * 60 + int(end[3:5])
            if b <= a:
                b += DAY_MINUTES
            if b > WEEK_MINUTES:
                found.append((0, b - WEEK_MINUTES))
                b = WEEK_MINUTES
            found.append((a, b))
    return found


def minute_of_week(now: datetime, zone: ZoneInfo) -> int:
    """The wall-clock minute of the week at the instant `now` (an aware datetime) in `zone`."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    # Through UTC: astimezone() to the datetime's own zone returns it unchanged, and a wall-clock
    # time that does not exist (02:30 on the spring-forward day) must become the real one (03:30).
    local = now.astimezone(UTC).astimezone(zone)
    return local.weekday() * DAY_MINUTES + local.hour * 60 + local.minute


def is_open(schedule: dict[str, list[list[str]]], zone: str, now: datetime) -> bool | None:
    """Whether the schedule is open at `now` in `zone`; None when there are no hours to say."""
    ranges = week_ranges(schedule or {})
    if not ranges:
        return None
    minute = minute_of_week(now, ZoneInfo(zone))
    return any(a <= minute < b for a, b in ranges)


def utcnow() -> datetime:
    return datetime.now(UTC)
