"""The demo's selected call (hosts confirmed with their availability, timetable rules ready,
nothing planned) and its pilot (three webinars published and held in the last weeks)."""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from deepdive.accounts.models import User
from deepdive.core.models import AuditEntry
from deepdive.demo.operations import load_demo
from deepdive.demo.selected import blackout_in, timetable_period
from deepdive.outbox.models import OutboxMessage
from deepdive.proposals.models import Proposal
from deepdive.reviews.models import Review
from deepdive.selection.models import Decision, SelectionRun
from deepdive.series.models import Call
from deepdive.timetable.models import TimetableRules
from deepdive.webinars.models import Webinar

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-123"


@pytest.fixture
def demo():
    return load_demo(password=PASSWORD)


def test_the_selected_call_has_six_confirmed_hosts_with_their_availability(client, demo):
    call = Call.objects.get(slug="2026-round-selected")
    assert call.status == Call.Status.CLOSED
    assert call.closes_at < timezone.now() - timedelta(days=30)
    assert call.review_round.closes_at < timezone.now()
    assert Review.objects.filter(proposal__call=call, status="submitted").count() >= 16
    [run] = SelectionRun.objects.filter(call=call)
    assert run.status == SelectionRun.Status.CONFIRMED and run.shortfall == 0

    selected = Decision.objects.filter(proposal__call=call, outcome="selected")
    assert selected.count() == 6
    assert set(selected.values_list("host_status", flat=True)) == {"confirmed"}
    assert Decision.objects.filter(proposal__call=call, outcome="waitlisted").exists()
    # The decision e-mails went out (approved), none is left waiting.
    assert not OutboxMessage.objects.filter(kind="decision", status="held").exists()

    webinars = Webinar.objects.filter(proposal__call=call).select_related("proposal")
    assert {w.proposal_id for w in webinars} == set(selected.values_list("proposal_id", flat=True))
    assert all(w.minutes == 60 and w.planned_start is None for w in webinars)
    assert not any(w.is_published for w in webinars)
    assert sum(bool(w.available) for w in webinars) >= 3
    assert sum(bool(w.unavailable) for w in webinars) >= 3
    assert any(not w.available for w in webinars)  # "any date" too

    # Atlas's webinar is hosted by the demo host.
    atlas = webinars.get(proposal__lead_organisation__name="Atlas Garment Makers' Association")
    host = User.objects.get(email="host@example.org")
    assert atlas.proposal.created_by == host
    assert Decision.objects.get(proposal=atlas.proposal).host_answered_by == host
    assert AuditEntry.objects.filter(action="webinars.created", actor=host).exists()

    # Varied regions and balanced themes.
    proposals = Proposal.objects.filter(pk__in=selected.values("proposal_id"))
    regions = set(proposals.values_list("countries__ilo_region", flat=True))
    assert len(regions) >= 3
    countries = set(proposals.values_list("countries__code", flat=True))
    assert countries == {"MA", "CI", "NP", "MX", "FJ", "PE"}  # as the README says
    for theme in ("child_labour", "forced_labour", "human_trafficking"):
        assert proposals.filter(themes__code=theme).count() >= 2

    # The timetable rules: the defaults over twelve weeks of weekdays, nothing planned.
    rules = TimetableRules.objects.get(call=call)
    assert rules.reference_timezone == "Europe/Paris"
    assert rules.weekdays == [1, 2, 3, 4, 5]
    assert (rules.window_start, rules.window_end) == (time(9), time(18))
    assert rules.excluded == [["12:30", "14:00"]]
    assert (rules.step_minutes, rules.min_days_between) == (30, 7)
    today = timezone.now().astimezone(ZoneInfo("Europe/Paris")).date()
    assert rules.first_date.weekday() == 0
    assert today + timedelta(weeks=3) <= rules.first_date < today + timedelta(weeks=4)
    assert rules.last_date - rules.first_date == timedelta(weeks=12, days=-3)
    assert rules.blackout
    for item in rules.blackout:
        assert rules.first_date <= date.fromisoformat(item["date"]) <= rules.last_date
        assert item["label"]
    for webinar in webinars:
        for start, end in webinar.available:
            assert rules.first_date.isoformat() <= start <= end <= rules.last_date.isoformat()
    assert not call.timetable_runs.exists()

    # The demo host opens their hosting page.
    assert client.login(email="host@example.org", password=PASSWORD)
    atlas = Proposal.objects.get(
        call__slug="2026-round-selected",
        lead_organisation__name="Atlas Garment Makers' Association",
    )
    response = client.get(reverse("selection:host", args=[atlas.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have confirmed that you will host this webinar." in html
    assert "between " in html and "Change your availability" in html
    # Someone else's selected proposal stays hidden from them.
    other = Proposal.objects.filter(
        call__slug="2026-round-selected", decision__outcome="selected"
    ).exclude(pk=atlas.pk)[0]
    assert client.get(reverse("selection:host", args=[other.pk])).status_code == 404


def test_the_pilot_has_three_webinars_held_and_loading_twice_adds_nothing(demo):
    call = Call.objects.get(slug="2026-pilot")
    webinars = list(Webinar.objects.filter(proposal__call=call).order_by("starts_at"))
    assert len(webinars) == 3
    now = timezone.now()
    paris = ZoneInfo("Europe/Paris")
    for webinar in webinars:
        assert webinar.is_published and not webinar.has_unpublished_change
        assert now - timedelta(weeks=8) <= webinar.starts_at <= now - timedelta(weeks=2)
        assert webinar.starts_at.astimezone(paris).time() == time(14, 0)
        assert webinar.starts_at.astimezone(paris).weekday() in (1, 2, 3)
        assert webinar.published_at < webinar.starts_at
        assert webinar.sequence == 0
        decision = Decision.objects.get(proposal=webinar.proposal)
        assert (decision.outcome, decision.host_status) == ("selected", "confirmed")
        assert decision.host_deadline < now
    # Distinct dates, a week or more apart.
    days = [w.starts_at.date() for w in webinars]
    assert all(b - a >= timedelta(days=7) for a, b in zip(days, days[1:], strict=False))

    # Loading again creates nothing twice.
    def counts():
        return {
            model.__name__: model.objects.count()
            for model in (
                Call,
                Proposal,
                Review,
                SelectionRun,
                Decision,
                Webinar,
                TimetableRules,
                OutboxMessage,
            )
        }

    before = counts()
    # The selected call's 6, the pilot's 3 and the published call's 5.
    assert before["Webinar"] == 14 and before["TimetableRules"] == 3
    again = load_demo(password=PASSWORD)
    assert not any(again.values())
    assert counts() == before


def test_the_period_and_its_blackout():
    from datetime import datetime

    now = datetime(2027, 5, 19, 10, 0, tzinfo=ZoneInfo("UTC"))  # a Wednesday
    first, last = timetable_period(now)
    assert (first, last) == (date(2027, 6, 14), date(2027, 9, 3))
    assert blackout_in(first, last) == [
        {"date": "2027-07-30", "label": "World Day against Trafficking in Persons"},
        {
            "date": "2027-08-23",
            "label": "International Day for the Remembrance of the Slave Trade and its Abolition",
        },
    ]  # 12 June 2027 is a Saturday
    # A period with no observance on a weekday gets one demo meeting.
    assert [b["date"] for b in blackout_in(date(2027, 9, 6), date(2027, 10, 29))] == ["2027-10-13"]
