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
        ("Mo 12:00-09:00", "ends before it starts"),
        ("Mo 09:00-12:00,11:00-13:00", "overlap"),
        ("Mo 09:00-10:00; Mo 11:00-12:00", "twice"),
        ("Mo", "no times"),
    ],
)
def test_malformed_hours_say_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        hours.parse(text)
