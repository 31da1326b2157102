"""The plan page's repeat sessions: a webinar whose start leaves a third or more of its
audience outside their hours is named with who is left out, and offered the best repeat (in a
window the secretariat may widen); the repeat is added, shown, moved and removed from the
timetable pages."""

import html
import re
from datetime import datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from deepdive.core.models import AuditEntry
from deepdive.optimize.timetable import Window
from deepdive.series.times import local_to_utc
from deepdive.timetable import queries
from deepdive.webinars import operations as webinar_operations
from deepdive.webinars.models import RepeatSession
from deepdive.webinars.operations import WebinarRefused

from .conftest import make_webinar

pytestmark = pytest.mark.django_db

PACIFIC = {"Europe/Paris": 30, "America/Mexico_City": 30, "Pacific/Fiji": 20, "Pacific/Apia": 20}


def paris(*args) -> datetime:
    return local_to_utc(datetime(*args), "Europe/Paris")


@pytest.fixture
def pacific(call, rules):
    webinar = make_webinar(call, title="Fair recruitment in the Pacific", audience=PACIFIC)
    webinar.planned_start = paris(2027, 1, 13, 17, 0)
    webinar.save()
    return webinar


def text_of(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def row_of(report, webinar):
    return next(row for row in report.rows if row.webinar.pk == webinar.pk)


def test_the_report_says_who_is_left_out_and_finds_no_repeat_inside_the_window(call, pacific):
    row = row_of(queries.plan_report(call), pacific)

    assert [(item.zone, round(item.percent)) for item in row.left_out] == [
        ("Pacific/Apia", 20),
        ("Pacific/Fiji", 20),
    ]
    assert row.offer is None


def test_a_widened_window_offers_a_repeat_for_the_pacific(call, pacific):
    report = queries.plan_report(call, repeat_window=Window(time(6, 0), time(22, 0)))
    row = row_of(report, pacific)

    assert row.offer is not None
    assert row.offer.start == paris(2027, 1, 13, 6, 0)
    assert row.offer.reach_percent == pytest.approx(100)
    assert [(zt.zone, zt.within) for zt in row.offer.zone_times] == [
        ("Pacific/Apia", True),
        ("Pacific/Fiji", True),
    ]


def test_a_webinar_reaching_nearly_everyone_has_no_repeat_advice(call, rules):
    webinar = make_webinar(call, audience={"Europe/Paris": 80, "Pacific/Fiji": 20})
    webinar.planned_start = paris(2027, 1, 13, 10, 0)
    webinar.save()

    row = row_of(queries.plan_report(call), webinar)

    assert row.left_out == []
    assert row.offer is None


def test_the_plan_page_says_who_is_left_out(client, secretariat, call, pacific):
    client.force_login(secretariat)
    page = text_of(client.get(reverse("timetable:plan", args=[call.pk])))

    assert "leaves 40% of its audience outside their hours" in page
    assert "Pacific/Apia (20% of the audience), where it is Thu 14 Jan 2027, 05:00" in page
    assert "Pacific/Fiji (20% of the audience), where it is Thu 14 Jan 2027, 04:00" in page
    assert "No start in this window reaches them" in page


def test_widening_the_window_on_the_page_offers_the_repeat(client, secretariat, call, pacific):
    client.force_login(secretariat)
    url = reverse("timetable:plan", args=[call.pk])
    page = text_of(client.get(url, {"repeat_from": "06:00", "repeat_to": "22:00"}))

    assert "Best repeat:" in page
    assert "It reaches 100% of those left out" in page
    assert "Add this repeat session" in page


def test_a_window_ending_before_it_starts_is_refused_beside_the_field(
    client, secretariat, call, pacific
):
    client.force_login(secretariat)
    url = reverse("timetable:plan", args=[call.pk])
    response = client.get(url, {"repeat_from": "22:00", "repeat_to": "06:00"})

    form = response.context["window_form"]
    assert form.errors == {"repeat_to": ["The end must come after the start."]}
    assert 'value="22:00"' in response.content.decode()


def test_the_secretariat_adds_moves_and_removes_the_repeat(client, secretariat, call, pacific):
    client.force_login(secretariat)
    response = client.post(
        reverse("timetable:add_repeat", args=[pacific.pk]), {"date": "2027-01-13", "time": "06:00"}
    )
    assert response.status_code == 302
    repeat = RepeatSession.objects.get(webinar=pacific)
    assert repeat.planned_start == paris(2027, 1, 13, 6, 0)

    plan = text_of(client.get(reverse("timetable:plan", args=[call.pk])))
    assert "Repeat session:" in plan
    assert "It has a repeat session on" in plan

    page = text_of(client.get(reverse("timetable:webinar", args=[pacific.pk])))
    assert "Move the repeat session" in page
    assert "not published yet: nobody is told" in page

    overlapping = client.post(
        reverse("timetable:move_repeat", args=[pacific.pk]), {"date": "2027-01-13", "time": "17:30"}
    )
    assert overlapping.status_code == 200
    assert "time" in overlapping.context["repeat_form"].errors
    client.post(
        reverse("timetable:move_repeat", args=[pacific.pk]), {"date": "2027-01-14", "time": "21:00"}
    )
    repeat.refresh_from_db()
    assert repeat.planned_start == paris(2027, 1, 14, 21, 0)

    client.post(reverse("timetable:remove_repeat", args=[pacific.pk]))
    assert not RepeatSession.objects.filter(webinar=pacific).exists()


def test_members_cannot_add_a_repeat(client, call, pacific):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory())
    response = client.post(
        reverse("timetable:add_repeat", args=[pacific.pk]), {"date": "2027-01-13", "time": "06:00"}
    )
    assert response.status_code == 403
    assert not RepeatSession.objects.exists()


def test_moving_the_first_session_onto_its_repeat_is_refused_beside_the_time(
    client, secretariat, call, pacific
):
    RepeatSession.objects.create(webinar=pacific, planned_start=paris(2027, 1, 14, 6, 0))
    client.force_login(secretariat)
    url = reverse("timetable:move", args=[pacific.pk])

    response = client.post(url, {"date": "2027-01-14", "time": "06:30"})

    assert response.status_code == 200
    assert response.context["form"].errors["time"] == [
        "The first session would run at the same time as its repeat session: choose a time "
        "when the repeat has ended or not begun."
    ]
    assert 'value="2027-01-14"' in response.content.decode()  # what was typed is kept
    pacific.refresh_from_db()
    assert pacific.planned_start == paris(2027, 1, 13, 17, 0)
    assert not AuditEntry.objects.filter(action="timetable.moved").exists()

    # Just after the repeat has ended (60 minutes) is fine.
    client.post(url, {"date": "2027-01-14", "time": "07:00"})
    pacific.refresh_from_db()
    assert pacific.planned_start == paris(2027, 1, 14, 7, 0)


def test_the_service_refuses_the_overlap_and_ignores_a_cancelled_repeat(secretariat, pacific):
    repeat = RepeatSession.objects.create(webinar=pacific, planned_start=paris(2027, 1, 14, 6, 0))

    with pytest.raises(WebinarRefused) as refused:
        webinar_operations.move(actor=secretariat, webinar=pacific, start=paris(2027, 1, 14, 5, 30))
    assert list(refused.value.errors) == ["time"]

    repeat.cancelled_at = timezone.now()
    repeat.save()
    webinar_operations.move(actor=secretariat, webinar=pacific, start=paris(2027, 1, 14, 5, 30))
    pacific.refresh_from_db()
    assert pacific.planned_start == paris(2027, 1, 14, 5, 30)
