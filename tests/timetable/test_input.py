"""From the database to the optimiser's input: availability minus unavailable dates, the
rules' blackout dates and window, only the webinars whose host confirmed."""

from datetime import date

import pytest

from deepdive.optimize.timetable import parse
from deepdive.selection.models import Decision
from deepdive.timetable.optimiser_input import (
    available_ranges,
    build_input,
    default_period,
    rules_of,
    webinars_of,
)

from .conftest import make_webinar

pytestmark = pytest.mark.django_db


def test_available_ranges_minus_unavailable_dates_are_split(call, rules):
    webinar = make_webinar(
        call,
        available=[["2027-01-11", "2027-01-22"], ["2027-02-01", "2027-02-05"]],
        unavailable=["2027-01-14", "2027-01-11", "2027-02-05", "2027-03-01"],
    )
    assert available_ranges(webinar, rules) == [
        ["2027-01-12", "2027-01-13"],
        ["2027-01-15", "2027-01-22"],
        ["2027-02-01", "2027-02-04"],
    ]


def test_only_unavailable_dates_means_the_whole_period_minus_them(call, rules):
    webinar = make_webinar(call, unavailable=["2027-01-20"])
    assert available_ranges(webinar, rules) == [
        ["2027-01-11", "2027-01-19"],
        ["2027-01-21", "2027-02-26"],
    ]


def test_no_availability_given_means_no_restriction(call, rules):
    webinar = make_webinar(call)
    assert available_ranges(webinar, rules) is None
    data = build_input(call, rules, [webinar])
    assert "available" not in data["webinars"][0]


def test_a_single_available_day_made_unavailable_leaves_no_date(call, rules):
    webinar = make_webinar(
        call, available=[["2027-01-12", "2027-01-12"]], unavailable=["2027-01-12"]
    )
    assert available_ranges(webinar, rules) == []


def test_the_input_follows_the_contract(call, rules):
    rules.blackout = [
        {"date": "2027-01-18", "label": "Martin Luther King Day"},
        {"date": "2027-02-15", "label": "Other event"},
    ]
    rules.excluded = [["12:30", "14:00"]]
    rules.save()
    webinar = make_webinar(call, minutes=45, audience={"Asia/Kathmandu": 60, "Africa/Abidjan": 40})

    data = build_input(call, rules, [webinar])

    assert data == {
        "reference_timezone": "Europe/Paris",
        "dates": {
            "from": "2027-01-11",
            "to": "2027-02-26",
            "weekdays": [1, 2, 3, 4, 5],
            "blackout": ["2027-01-18", "2027-02-15"],
        },
        "window": {"start": "09:00", "end": "18:00", "exclude": [["12:30", "14:00"]]},
        "step_minutes": 30,
        "min_days_between": 1,
        "audience_hours": {"start": "08:00", "end": "20:00"},
        "webinars": [
            {
                "id": f"w{webinar.pk}",
                "minutes": 45,
                "audience": {"Asia/Kathmandu": 60, "Africa/Abidjan": 40},
            }
        ],
        "time_limit_seconds": 20,
    }
    problem = parse(data)
    assert date(2027, 1, 18) not in problem.dates.allowed()
    assert problem.webinars[0].id == f"w{webinar.pk}"


def test_only_selected_proposals_whose_host_confirmed_are_placed(call):
    placed = make_webinar(call)
    make_webinar(call, host_status=Decision.HostStatus.PENDING)
    make_webinar(call, host_status=Decision.HostStatus.DECLINED)
    make_webinar(call, outcome=Decision.Outcome.NOT_SELECTED)
    assert list(webinars_of(call)) == [placed]


def test_default_rules_start_on_the_first_monday_three_weeks_ahead(call):
    first, last = default_period(date(2026, 5, 6))  # a Wednesday
    assert first == date(2026, 6, 1)  # 6 May + 3 weeks: Wednesday 27 May → Monday 1 June
    assert first.isoweekday() == 1
    assert (last - first).days == 84
    assert default_period(date(2026, 5, 11)) == (date(2026, 6, 1), date(2026, 8, 24))
    unsaved = rules_of(call)
    assert unsaved.pk is None and unsaved.first_date.isoweekday() == 1
