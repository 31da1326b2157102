"""Moving a webinar by hand: a preview with the reach recomputed and the conflicts in plain
words, then the save; a local time in the daylight-saving gap refused beside the field."""

import html
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from deepdive.core.models import AuditEntry
from deepdive.series.times import local_to_utc

from .conftest import make_webinar

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return local_to_utc(datetime(*args), "Europe/Paris")


@pytest.fixture
def planned(call, rules):
    rules.min_days_between = 7
    rules.blackout = [{"date": "2027-01-25", "label": "Board meeting"}]
    rules.save()
    tokyo = make_webinar(
        call,
        title="Fishing in South-East Asia",
        audience={"Asia/Tokyo": 100},
        available=[["2027-01-11", "2027-01-29"]],
    )
    lima = make_webinar(call, title="Coffee in Peru", audience={"America/Lima": 100})
    tokyo.planned_start = paris(2027, 1, 12, 9, 0)  # 17:00 in Tokyo
    lima.planned_start = paris(2027, 1, 20, 16, 0)  # 10:00 in Lima
    tokyo.save()
    lima.save()
    return tokyo, lima


def preview(client, webinar, day, at):
    return client.get(reverse("timetable:move", args=[webinar.pk]), {"date": day, "time": at})


def test_the_preview_recomputes_the_reach_and_shows_the_conflicts(client, secretariat, planned):
    tokyo, lima = planned
    client.force_login(secretariat)

    # 16:00 in Paris on the Lima webinar's day: midnight in Tokyo, the same hour as Lima
    response = preview(client, tokyo, "2027-01-20", "16:00")
    page = response.content.decode()

    assert response.status_code == 200
    context = response.context["preview"]
    assert context["reach_percent"] == 0
    assert "0%" in page and "(now 100%)" in page
    assert "Overlaps “Coffee in Peru”: they run at the same time." in page
    assert "Too close" not in " ".join(context["conflicts"])  # overlap says it already
    # the other webinar is affected too, and says so
    assert context["others"] == [
        {
            "title": "Coffee in Peru",
            "conflicts": ["Overlaps “Fishing in South-East Asia”: they run at the same time."],
        }
    ]
    assert "00:00 (Asia/Tokyo, UTC+09:00)" in page
    assert "outside their hours" in page
    assert "Save this time" in page
    tokyo.refresh_from_db()
    assert tokyo.planned_start == paris(2027, 1, 12, 9, 0)  # a preview writes nothing


@pytest.mark.parametrize(
    ("day", "at", "expected"),
    [
        ("2027-01-18", "09:00", "Too close to “Coffee in Peru”: fewer than 7 days apart."),
        ("2027-01-13", "12:30", "Outside the window: it must run between 09:00 and 18:00"),
        ("2027-01-13", "17:30", "Outside the window"),
        ("2027-02-03", "09:00", "Outside the host's availability."),
        ("2027-01-25", "09:00", "Not an allowed date: 25 January 2027 is a blackout date"),
        ("2027-01-16", "09:00", "Not an allowed date: Saturday is not one of the chosen weekdays"),
        ("2027-03-10", "09:00", "Not an allowed date: outside the period from 11 January 2027"),
    ],
)
def test_each_kind_of_conflict_in_plain_words(client, secretariat, planned, day, at, expected):
    tokyo, _lima = planned
    client.force_login(secretariat)
    page = html.unescape(preview(client, tokyo, day, at).content.decode())
    assert expected in page


def test_saving_a_move_with_or_without_conflicts(client, secretariat, planned):
    tokyo, _lima = planned
    client.force_login(secretariat)
    url = reverse("timetable:move", args=[tokyo.pk])

    response = client.post(url, {"date": "2027-01-13", "time": "10:30"}, follow=True)

    tokyo.refresh_from_db()
    assert tokyo.planned_start == paris(2027, 1, 13, 10, 30)
    assert tokyo.starts_at is None
    assert "is moved; its reach is 100%" in response.content.decode()
    entry = AuditEntry.objects.get(action="timetable.moved")
    assert entry.changes["planned_start"][1].startswith("2027-01-13T09:30")

    response = client.post(url, {"date": "2027-01-20", "time": "16:00"}, follow=True)
    tokyo.refresh_from_db()
    assert tokyo.planned_start == paris(2027, 1, 20, 16, 0)
    page = response.content.decode()
    assert "It has conflicts: see the plan." in page
    assert "Overlaps “Coffee in Peru”" in page


def test_a_time_in_the_spring_gap_is_refused_beside_the_field(client, secretariat, planned):
    tokyo, _lima = planned
    client.force_login(secretariat)

    response = preview(client, tokyo, "2027-03-28", "02:30")
    page = response.content.decode()
    form = response.context["form"]
    assert form.errors["time"] == [
        "02:30 does not exist on 28 March 2027 in Europe/Paris: the clocks go forward then. "
        "Choose another time."
    ]
    assert 'id="id_time_errors"' in page
    assert 'value="2027-03-28"' in page and 'value="02:30"' in page  # values kept
    assert response.context["preview"] is None

    response = client.post(
        reverse("timetable:move", args=[tokyo.pk]), {"date": "2027-03-28", "time": "02:30"}
    )
    assert response.status_code == 200
    tokyo.refresh_from_db()
    assert tokyo.planned_start == paris(2027, 1, 12, 9, 0)


def test_the_plan_shows_a_move_form_in_the_reference_zone(client, secretariat, planned):
    tokyo, _lima = planned
    client.force_login(secretariat)
    page = client.get(reverse("timetable:plan", args=[tokyo.call_id])).content.decode()
    assert reverse("timetable:move", args=[tokyo.pk]) in page
    assert f'id="move-{tokyo.pk}-date"' in page and 'value="2027-01-12"' in page
    assert 'value="09:00"' in page
    assert date(2027, 1, 12).isoformat() in page
