"""Runs of the optimiser: planned starts written, the result never worse than the naive plan,
the plan page with starts in several zones, reach, conflicts and the naive comparison."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from deepdive.core.models import AuditEntry
from deepdive.timetable import operations
from deepdive.timetable.models import TimetableRun

from .conftest import make_webinar

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def three(call, rules):
    """A Tokyo audience (mornings in Paris), a Lima one (late afternoons), a mixed one."""
    return [
        make_webinar(call, title="Fishing in South-East Asia", audience={"Asia/Tokyo": 100}),
        make_webinar(call, title="Coffee in Peru", audience={"America/Lima": 100}),
        make_webinar(
            call,
            title="Cocoa in West Africa",
            audience={"Africa/Abidjan": 70, "Asia/Kathmandu": 30},
            available=[["2027-02-01", "2027-02-12"]],
        ),
    ]


def test_a_run_writes_the_planned_starts_and_beats_the_naive_plan(secretariat, call, three):
    run = operations.run(actor=secretariat, call=call)

    assert run.solver_status == "optimal"
    assert run.input["time_limit_seconds"] == 20
    assert set(run.webinars) == {f"w{w.pk}" for w in three}
    assert run.total_reach == pytest.approx(3.0)
    assert run.total_reach >= run.naive["total_reach"]
    assert run.naive["total_reach"] < 3.0  # 14:00 in Paris is 22:00 in Tokyo
    assert run.seconds >= 0
    for webinar in three:
        webinar.refresh_from_db()
        assert webinar.planned_start is not None
        assert webinar.starts_at is None  # nothing published
        assert webinar.planned_start == datetime.fromisoformat(
            run.result["timetable"][f"w{webinar.pk}"]
        )
    tokyo = three[0].planned_start.astimezone(ZoneInfo("Asia/Tokyo"))
    assert 8 <= tokyo.hour and tokyo.hour + 1 <= 20
    cocoa = three[2].planned_start.astimezone(PARIS).date()
    assert datetime(2027, 2, 1).date() <= cocoa <= datetime(2027, 2, 12).date()
    assert AuditEntry.objects.filter(action="timetable.run").count() == 1


def test_an_infeasible_run_says_why_and_keeps_the_plan(secretariat, call, rules):
    webinar = make_webinar(
        call, available=[["2027-01-16", "2027-01-17"]]
    )  # a weekend: no allowed date

    run = operations.run(actor=secretariat, call=call)

    assert run.solver_status == "infeasible"
    assert "no candidate start" in run.result["reason"]
    assert run.obstacles == {f"w{webinar.pk}": "no_date"}
    assert run.total_reach is None
    webinar.refresh_from_db()
    assert webinar.planned_start is None


def test_the_plan_page_says_in_plain_words_why_there_is_no_timetable(
    client, secretariat, call, rules
):
    make_webinar(call, available=[["2027-01-16", "2027-01-17"]])  # a weekend
    client.force_login(secretariat)
    response = client.post(f"/manage/calls/{call.pk}/timetable/run/", follow=True)
    page = response.content.decode()
    assert "The optimiser found no timetable that keeps every rule" in page
    assert "has no possible date: the period, the weekdays, the blackout dates" in page
    assert "no candidate start" not in page  # the optimiser's English, for developers


def test_no_webinar_no_run(secretariat, call):
    with pytest.raises(operations.TimetableRefused):
        operations.run(actor=secretariat, call=call)
    assert not TimetableRun.objects.exists()


def test_the_plan_page_shows_starts_reach_conflicts_and_the_naive_plan(
    client, secretariat, call, three
):
    client.force_login(secretariat)
    response = client.post(reverse("timetable:run", args=[call.pk]), follow=True)
    page = response.content.decode()

    assert response.status_code == 200
    assert "The optimiser placed the webinars" in page
    assert "Best timetable, every rule kept" in page
    assert "The working plan: each webinar's start, reach and conflicts" in page
    assert "The naive plan, for comparison" in page
    assert "Naive plan (every webinar at the same hour, in order)" in page
    for webinar in three:
        webinar.refresh_from_db()
        start = webinar.planned_start
        paris = start.astimezone(PARIS)
        assert f"{paris:%H:%M} (Europe/Paris, UTC+01:00)" in page
        assert f"{start.astimezone(UTC):%H:%M} (UTC, UTC+00:00)" in page
    tokyo = three[0].planned_start.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"{tokyo:%H:%M} (Asia/Tokyo, UTC+09:00)" in page
    assert "100%" in page
    assert "3.00" in page  # total reach of the plan
    report = response.context["report"]
    assert report.total_reach == pytest.approx(3.0)
    assert report.naive_total < report.total_reach
    assert [row.reach_percent for row in report.rows] == [100, 100, 100]
    # the naive plan ignores availability: its conflicts are spelled out
    naive_words = [text for row in report.naive for text in row.conflicts]
    assert "Outside the host's availability." in naive_words


def test_the_rules_are_said_in_one_sentence_with_an_edit_link(client, secretariat, call, rules):
    rules.blackout = [{"date": "2027-02-15", "label": "Other event"}]
    rules.save()
    make_webinar(call)
    client.force_login(secretariat)
    page = client.get(reverse("timetable:plan", args=[call.pk])).content.decode()
    assert "From 11 January 2027 to 26 February 2027, Monday to Friday, between 09:00 and" in page
    assert "except 12:30–14:00" in page
    assert "not on 15 February 2027 (Other event)" in page
    assert reverse("timetable:rules", args=[call.pk]) in page
    assert "Run the optimiser" in page
    assert "The optimiser has not run yet." in page


def test_a_run_after_publishing_keeps_published_dates_and_places_the_rest_away(
    secretariat, call, rules
):
    rules.min_days_between = 7
    rules.save()
    published = make_webinar(call, title="Already published", audience={"Asia/Tokyo": 100})
    start = datetime(2027, 1, 20, 8, 0, tzinfo=UTC)  # 09:00 in Paris
    published.planned_start = published.starts_at = start
    published.published_at = start
    published.save()
    newcomer = make_webinar(
        call,
        title="Promoted from the waitlist",
        audience={"Asia/Tokyo": 100},
        available=[["2027-01-15", "2027-01-29"]],
    )

    run = operations.run(actor=secretariat, call=call)

    assert run.solver_status == "optimal"
    assert list(run.result["timetable"]) == [f"w{newcomer.pk}"]
    assert run.webinars[f"w{published.pk}"]["fixed"] is True
    published.refresh_from_db()
    newcomer.refresh_from_db()
    assert published.planned_start == start and not published.has_unpublished_change
    gap = abs((newcomer.planned_start.astimezone(PARIS).date() - start.date()).days)
    assert gap >= 7
    assert newcomer.planned_start.astimezone(PARIS).date().isoformat() in (
        "2027-01-27",
        "2027-01-28",
        "2027-01-29",
    )

    newcomer.starts_at = newcomer.planned_start
    newcomer.published_at = newcomer.planned_start
    newcomer.save()
    with pytest.raises(operations.TimetableRefused, match="Every webinar is published"):
        operations.run(actor=secretariat, call=call)


def test_the_plan_page_makes_as_many_queries_for_six_webinars_as_for_two(
    client, secretariat, call, rules
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(secretariat)
    url = reverse("timetable:plan", args=[call.pk])
    for _ in range(2):
        make_webinar(call)
    client.get(url)  # caches filled once (content types, zones) are not the page's own
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    for _ in range(4):
        make_webinar(call)
    with CaptureQueriesContext(connection) as six:
        assert client.get(url).status_code == 200
    assert len(six) == len(two)
