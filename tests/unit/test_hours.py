import pytest

from wish import hours


def test_text_form_round_trips():
    text = "Mo 09:00-13:00,15:00-18:00; We 14:00-18:00; Su 10:00-12:00"
    schedule = hours.parse(text)
    assert schedule == {"mo": [["09:00", "13:00"], ["15:00", "18:00"]], "we": [["14:00", "18:00"]],
                        "su": [["10:00", "12:00"]]}
    assert hours.format(schedule) == text


def test_days_come_out_in_week_order_whatever_the_input_order():
    assert list(hours.parse("Fr 10:00-11:00; Mo 10:00-11:00")) == ["mo", "fr"]


def test_empty_text_is_an_empty_schedule():
    assert hours.parse("") == {} and hours.format({}) == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Xx 09:00-10:00", "unknown day"),
        ("Mo 9-10", "bad time range"),
        ("Mo 09:00-09:00", "same time"),
        ("Mo 09:00-24:30", "bad time range"),
        ("Mo 24:00-02:00", "bad time range"),
        ("Mo 22:00-02:00,09:00-12:00", "past midnight must be the day's last"),
        ("Mo 22:00-03:00; Tu 02:00-05:00", "overlaps Tu's first range"),
        ("Su 22:00-03:00; Mo 02:00-05:00", "overlaps Mo's first range"),
        ("Mo 09:00-12:00,11:00-13:00", "overlap"),
        ("Mo 09:00-10:00; Mo 11:00-12:00", "twice"),
        ("Mo", "no times"),
    ],
)
def test_malformed_hours_say_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        hours.parse(text)


# --- past midnight, time zones and daylight saving (a fixed `now`, never the clock) ---------

from datetime import UTC, datetime, timedelta  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

BERLIN = ZoneInfo("Europe/Berlin")


def at(text: str, when: datetime, zone: str = "Europe/Berlin") -> bool | None:
    return hours.is_open(hours.parse(text), zone, when)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def test_a_range_ending_before_it_starts_runs_into_the_next_day():
    assert hours.parse("Fr 22:00-02:00") == {"fr": [["22:00", "02:00"]]}
    assert hours.format(hours.parse("Fr 22:00-02:00; Sa 10:00-12:00")) == "Fr 22:00-02:00; Sa 10:00-12:00"
    # 2026-11-27 is a Friday.
    assert at("Fr 22:00-02:00", local(2026, 11, 27, 21, 59)) is False
    assert at("Fr 22:00-02:00", local(2026, 11, 27, 22, 0)) is True
    assert at("Fr 22:00-02:00", local(2026, 11, 27, 23, 59)) is True
    assert at("Fr 22:00-02:00", local(2026, 11, 28, 0, 0)) is True  # Saturday, after midnight
    assert at("Fr 22:00-02:00", local(2026, 11, 28, 1, 59)) is True
    assert at("Fr 22:00-02:00", local(2026, 11, 28, 2, 0)) is False
    assert at("Fr 22:00-02:00", local(2026, 11, 28, 23, 0)) is False  # Saturday night is not listed
    assert at("Fr 22:00-02:00", local(2026, 11, 27, 1, 0)) is False  # nor Thursday night


def test_sunday_night_runs_into_monday_across_the_end_of_the_week():
    assert at("Su 20:00-08:00", local(2026, 11, 29, 23, 0)) is True
    assert at("Su 20:00-08:00", local(2026, 11, 30, 7, 59)) is True  # Monday
    assert at("Su 20:00-08:00", local(2026, 11, 30, 8, 0)) is False
    assert hours.week_ranges(hours.parse("Su 20:00-08:00")) == [(0, 8 * 60), (6 * 1440 + 20 * 60, 7 * 1440)]


def test_a_night_written_in_two_parts_is_open_on_both_days():
    text = "Mo 18:00-24:00; Tu 00:00-02:00"
    assert at(text, local(2026, 11, 30, 23, 59)) is True
    assert at(text, local(2026, 12, 1, 0, 0)) is True
    assert at(text, local(2026, 12, 1, 1, 59)) is True
    assert at(text, local(2026, 12, 1, 2, 0)) is False
    assert at("Mo 22:00-00:00", local(2026, 11, 30, 23, 59)) is True
    assert at("Mo 22:00-00:00", local(2026, 12, 1, 0, 0)) is False


def test_no_hours_means_no_open_or_closed_status():
    assert hours.is_open({}, "Europe/Rome", datetime(2026, 1, 1, tzinfo=UTC)) is None


def test_now_must_be_aware():
    with pytest.raises(ValueError, match="aware"):
        hours.is_open(hours.parse("Mo 09:00-10:00"), "Europe/Rome", datetime(2026, 1, 5, 9, 30))


def minutes_open(text: str, zone: str, day_start_utc: datetime, span: timedelta = timedelta(hours=26)) -> int:
    """Real minutes (UTC) during which the schedule is open, minute by minute."""
    schedule = hours.parse(text)
    return sum(hours.is_open(schedule, zone, day_start_utc + timedelta(minutes=m)) for m in range(int(span / timedelta(minutes=1))))


def test_spring_forward_skips_the_hour_from_two_to_three_in_berlin():
    # Sunday 2026-03-29: at 01:00 UTC, Berlin's clocks go from 02:00 (CET) to 03:00 (CEST).
    assert at("Su 01:00-04:00", datetime(2026, 3, 29, 0, 59, tzinfo=UTC)) is True  # 01:59 CET
    assert at("Su 01:00-04:00", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)) is True  # 03:00 CEST
    assert at("Su 01:00-04:00", datetime(2026, 3, 29, 2, 0, tzinfo=UTC)) is False  # 04:00 CEST
    # 01:00-04:00 on the clock is two real hours that night; 02:00-03:00 never happens.
    start = datetime(2026, 3, 28, 22, 0, tzinfo=UTC)
    assert minutes_open("Su 01:00-04:00", "Europe/Berlin", start) == 120
    assert minutes_open("Su 02:00-03:00", "Europe/Berlin", start) == 0


def test_sunday_half_past_two_on_the_spring_forward_day_is_half_past_three():
    # 02:30 does not exist in Berlin that day; zoneinfo reads it with the offset before the
    # change (+01:00), which is 01:30 UTC: 03:30 on the clock.
    now = local(2026, 3, 29, 2, 30)
    assert now.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert at("Su 03:00-05:00", now) is True
    assert at("Su 02:00-03:00", now) is False


def test_fall_back_repeats_the_hour_from_two_to_three_in_berlin():
    # Sunday 2026-10-25: at 01:00 UTC, clocks go back from 03:00 (CEST) to 02:00 (CET).
    first = local(2026, 10, 25, 2, 30)  # fold=0: the first 02:30, CEST
    second = local(2026, 10, 25, 2, 30).replace(fold=1)  # the second, CET
    assert first.astimezone(UTC).hour == 0 and second.astimezone(UTC).hour == 1
    assert at("Su 02:00-03:00", first) is True and at("Su 02:00-03:00", second) is True
    assert at("Su 02:00-03:00", datetime(2026, 10, 25, 2, 0, tzinfo=UTC)) is False  # 03:00 CET
    assert at("Su 03:00-04:00", first) is False and at("Su 03:00-04:00", second) is False
    start = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    assert minutes_open("Su 02:00-03:00", "Europe/Berlin", start) == 120  # both passes of the hour
    assert minutes_open("Su 01:00-04:00", "Europe/Berlin", start) == 240


def test_lisbon_and_helsinki_differ_at_the_same_instant():
    winter = datetime(2026, 1, 12, 8, 30, tzinfo=UTC)  # Monday; Lisbon 08:30 (UTC+0), Helsinki 10:30 (UTC+2)
    assert at("Mo 08:00-09:00", winter, "Europe/Lisbon") is True
    assert at("Mo 08:00-09:00", winter, "Europe/Helsinki") is False
    assert at("Mo 10:00-11:00", winter, "Europe/Lisbon") is False
    assert at("Mo 10:00-11:00", winter, "Europe/Helsinki") is True
    summer = datetime(2026, 7, 13, 7, 30, tzinfo=UTC)  # Monday; Lisbon 08:30 (UTC+1), Helsinki 10:30 (UTC+3)
    assert at("Mo 08:00-09:00", summer, "Europe/Lisbon") is True
    assert at("Mo 10:00-11:00", summer, "Europe/Helsinki") is True
    assert at("Mo 08:00-09:00", summer, "Europe/Helsinki") is False
