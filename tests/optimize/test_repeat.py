"""A repeat session: who a start leaves outside their hours, and the start that reaches the
most of them (``optimize.repeat``). Pure Python: no database."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from deepdive.optimize.repeat import (
    REPEAT_WHEN_OUTSIDE,
    best_repeat,
    left_out,
    needs_repeat,
    share_left_out,
)
from deepdive.optimize.timetable import Window, parse

PARIS = ZoneInfo("Europe/Paris")
AUDIENCE = {
    "Europe/Paris": 30,
    "America/Mexico_City": 30,
    "Pacific/Fiji": 20,
    "Pacific/Apia": 20,
}
WIDE = Window(time(6, 0), time(22, 0))
# Only the evening widened: the Pacific's next morning
EVENING = Window(time(9, 0), time(22, 0))


def problem(first="2027-01-11", last="2027-01-15", *, audience=None, available=None, step=30):
    webinar = {"id": "w1", "minutes": 60, "audience": audience or AUDIENCE}
    if available:
        webinar["available"] = available
    return parse(
        {
            "reference_timezone": "Europe/Paris",
            "dates": {"from": first, "to": last, "weekdays": [1, 2, 3, 4, 5, 6, 7]},
            "window": {"start": "09:00", "end": "18:00", "exclude": [["12:30", "14:00"]]},
            "step_minutes": step,
            "audience_hours": {"start": "08:00", "end": "20:00"},
            "webinars": [webinar],
        }
    )


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def test_the_pacific_is_left_out_by_an_afternoon_in_paris():
    start = paris(2027, 1, 13, 17, 0)  # 10:00 in Mexico City, 05:00 in Fiji, 06:00 in Samoa

    assert left_out(problem(), "w1", start) == {"Pacific/Apia": 20, "Pacific/Fiji": 20}
    assert share_left_out(problem(), "w1", start) == pytest.approx(0.4)
    assert needs_repeat(problem(), "w1", start)


def test_a_start_reaching_all_but_a_fifth_needs_no_repeat():
    audience = {"Europe/Paris": 80, "Pacific/Fiji": 20}
    start = paris(2027, 1, 13, 10, 0)

    assert share_left_out(problem(audience=audience), "w1", start) < REPEAT_WHEN_OUTSIDE
    assert not needs_repeat(problem(audience=audience), "w1", start)


def test_no_start_inside_nine_to_six_in_paris_reaches_fiji_or_samoa():
    assert best_repeat(problem(), "w1", paris(2027, 1, 13, 17, 0)) is None


def test_a_wider_window_gives_a_repeat_that_reaches_the_pacific():
    offer = best_repeat(problem(), "w1", paris(2027, 1, 13, 17, 0), window=WIDE)

    assert offer is not None
    # 06:00 Paris is 17:00 in Fiji and 18:00 in Samoa: the earliest start that day reaching
    # both (the first session's date is the nearest)
    assert offer.start == paris(2027, 1, 13, 6, 0)
    assert offer.end == paris(2027, 1, 13, 7, 0)
    assert offer.start.astimezone(ZoneInfo("Pacific/Fiji")).hour == 17
    assert offer.zones_reached == ("Pacific/Apia", "Pacific/Fiji")
    assert offer.reach_of_left_out == pytest.approx(1.0)
    # Paris and Mexico City at the first session, the Pacific at the repeat
    assert offer.combined_reach == pytest.approx(1.0)


def test_a_window_widened_in_the_evening_gives_the_pacific_morning():
    offer = best_repeat(problem(), "w1", paris(2027, 1, 13, 17, 0), window=EVENING)

    assert offer is not None
    # 21:00 Paris is 08:00 the next morning in Fiji and 09:00 in Samoa
    assert offer.start == paris(2027, 1, 13, 21, 0)
    assert offer.start.astimezone(ZoneInfo("Pacific/Fiji")).hour == 8
    assert offer.zones_reached == ("Pacific/Apia", "Pacific/Fiji")


def test_ties_go_to_the_date_nearest_the_first_session_then_the_earliest():
    # Every date reaches the Pacific at 21:00 only: the first session's own date wins
    offer = best_repeat(problem(), "w1", paris(2027, 1, 14, 10, 0), window=EVENING)
    assert offer is not None
    assert offer.start == paris(2027, 1, 14, 21, 0)

    # With the host available only on the 11th and the 15th, 3 days before and 1 day after
    # the first session: the 15th is nearer
    available = [["2027-01-11", "2027-01-11"], ["2027-01-15", "2027-01-15"]]
    offer = best_repeat(
        problem(available=available), "w1", paris(2027, 1, 14, 17, 0), window=EVENING
    )
    assert offer is not None
    assert offer.start == paris(2027, 1, 15, 21, 0)

    # the 12th and the 14th are as near as each other: the earlier one
    available = [["2027-01-12", "2027-01-12"], ["2027-01-14", "2027-01-14"]]
    offer = best_repeat(
        problem(available=available), "w1", paris(2027, 1, 13, 17, 0), window=EVENING
    )
    assert offer is not None
    assert offer.start == paris(2027, 1, 12, 21, 0)


def test_a_half_hour_earlier_start_reaching_only_samoa_loses_to_one_reaching_both():
    audience = {"Europe/Paris": 50, "Pacific/Fiji": 30, "Pacific/Apia": 20}
    offer = best_repeat(
        problem(audience=audience, step=30), "w1", paris(2027, 1, 13, 10, 0), window=EVENING
    )
    assert offer is not None
    # 20:00 Paris reaches Samoa (08:00) but not Fiji (07:00): 21:00 reaches both
    assert offer.start == paris(2027, 1, 13, 21, 0)
    assert offer.reach_of_left_out == pytest.approx(1.0)


def test_the_repeat_never_overlaps_the_first_session():
    audience = {"Pacific/Apia": 50, "Pacific/Fiji": 50}
    first = paris(2027, 1, 13, 20, 30)  # 08:30 in Samoa, 07:30 in Fiji
    pb = problem(audience=audience)

    assert left_out(pb, "w1", first) == {"Pacific/Fiji": 50}
    offer = best_repeat(pb, "w1", first, window=EVENING)

    # 21:00 that day would reach Fiji but overlaps the first session: the 12th and the 14th
    # are as near, the earlier wins
    assert offer is not None
    assert offer.start == paris(2027, 1, 12, 21, 0)
    assert offer.combined_reach == pytest.approx(1.0)


def test_a_taken_evening_moves_the_repeat_to_the_next_nearest_date():
    first = paris(2027, 1, 13, 17, 0)
    taken = [(paris(2027, 1, 13, 20, 30), paris(2027, 1, 13, 22, 0))]
    offer = best_repeat(problem(), "w1", first, window=EVENING, taken=taken)

    assert offer is not None
    assert offer.start == paris(2027, 1, 12, 21, 0)  # the 12th and 14th tie: the earlier


def test_on_the_day_the_clocks_go_forward_the_pacific_repeat_moves_to_the_day_before():
    # 28 March 2027: Paris goes to UTC+2. 21:00-22:00 Paris is then 19:00-20:00 UTC, 07:00 in
    # Fiji, too early; the day before (UTC+1) it is 08:00 in Fiji.
    first = paris(2027, 3, 28, 17, 0)
    pb = problem("2027-03-27", "2027-03-28")

    assert left_out(pb, "w1", first) == {"Pacific/Apia": 20, "Pacific/Fiji": 20}
    offer = best_repeat(pb, "w1", first, window=EVENING)

    assert offer is not None
    assert offer.start == paris(2027, 3, 27, 21, 0)
    assert offer.start.utcoffset().total_seconds() == 3600
    assert offer.zones_reached == ("Pacific/Apia", "Pacific/Fiji")

    # With only the change day allowed, Fiji and Samoa are never reached together: 21:00
    # Paris reaches Samoa (08:00), and now 09:00 Paris (07:00 UTC) is 19:00 in Fiji, inside
    # their hours as it is not in winter; equal shares, the earlier wins
    offer = best_repeat(problem("2027-03-28", "2027-03-28"), "w1", first, window=EVENING)
    assert offer is not None
    assert offer.start == paris(2027, 3, 28, 9, 0)
    assert offer.start.utcoffset().total_seconds() == 7200
    assert offer.zones_reached == ("Pacific/Fiji",)
    assert offer.reach_of_left_out == pytest.approx(0.5)
    assert offer.combined_reach == pytest.approx(0.8)


def test_nobody_left_out_means_no_repeat():
    audience = {"Europe/Paris": 100}
    assert left_out(problem(audience=audience), "w1", paris(2027, 1, 13, 10, 0)) == {}
    assert best_repeat(problem(audience=audience), "w1", paris(2027, 1, 13, 10, 0)) is None
