"""The hosting page: the host confirms with their availability (periods they can host, dates
they cannot do), sees it, and changes it until the timetable is published."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from deepdive.core.models import AuditEntry
from deepdive.directory.models import Affiliation
from deepdive.selection import decisions
from deepdive.selection.forms import parse_dates
from deepdive.selection.models import Decision, SelectionRun
from deepdive.webinars import operations as webinar_operations
from deepdive.webinars.models import Webinar
from tests.directory.factories import UserFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def later(days: int):
    return timezone.localdate() + timedelta(days=days)


def iso(days: int) -> str:
    return later(days).isoformat()


def long(days: int) -> str:
    return date_format(later(days), "DATE_FORMAT")


@pytest.fixture
def proposal():
    return ProposalFactory(
        title="Fishers' phones as labour inspectors",
        unavailable_dates=f"{iso(40)}\n{iso(41)}, {iso(40)}",
    )


@pytest.fixture
def decision(proposal):
    run = SelectionRun.objects.create(
        call=proposal.call, solver_status="optimal", status=SelectionRun.Status.CONFIRMED
    )
    return Decision.objects.create(
        proposal=proposal,
        run=run,
        outcome=Decision.Outcome.SELECTED,
        host_status=Decision.HostStatus.PENDING,
        host_deadline=timezone.now() + timedelta(days=10),
    )


@pytest.fixture
def host(proposal):
    user = UserFactory()
    Affiliation.objects.create(
        user=user, organisation=proposal.lead_organisation, status=Affiliation.Status.VERIFIED
    )
    return user


@pytest.fixture
def url(proposal):
    return reverse("selection:host", args=[proposal.pk])


@pytest.fixture
def as_host(client, host):
    client.force_login(host)
    return client


def errors_of(html: str, field: str) -> str:
    """The error list rendered beside ``field`` (empty when none)."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_errors">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def value_of(html: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    if not match:
        return None
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def test_parse_dates_reads_lines_and_commas():
    assert parse_dates("2027-03-15\n2027-03-01, 2027-03-15;2027-04-01\n\n") == (
        [
            timezone.datetime(2027, 3, 1).date(),
            timezone.datetime(2027, 3, 15).date(),
            timezone.datetime(2027, 4, 1).date(),
        ],
        [],
    )
    assert parse_dates("10–14 March, 2027-03-20, any Friday")[1] == ["10–14 March", "any Friday"]


def test_the_host_confirms_with_their_availability_and_sees_it(as_host, url, decision, host):
    html = as_host.get(url).content.decode()
    assert "When can you host it?" in html
    # Prefilled from the proposal's "dates the hosts cannot do", which are dates.
    assert f"{iso(40)}\n{iso(41)}</textarea>" in html
    response = as_host.post(
        url,
        {
            "action": "confirm",
            "from_1": iso(30),
            "to_1": iso(60),
            "from_2": iso(80),
            "to_2": iso(90),
            "unavailable": f"{iso(45)}, {iso(50)}",
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.host_status == "confirmed" and decision.host_answered_by == host
    webinar = Webinar.objects.get(proposal=decision.proposal)
    assert webinar.available == [[iso(30), iso(60)], [iso(80), iso(90)]]
    assert webinar.unavailable == [iso(45), iso(50)]
    assert AuditEntry.objects.filter(action="webinars.created", actor=host).exists()

    html = as_host.get(url).content.decode()
    assert "You have confirmed that you will host this webinar." in html
    assert f"between {long(30)} and {long(60)}; between {long(80)} and {long(90)}" in html
    assert f"{long(45)}; {long(50)}" in html
    # The form to change it, filled with what is saved.
    assert "Change your availability" in html
    assert value_of(html, "from_1") == iso(30) and value_of(html, "to_2") == iso(90)
    assert value_of(html, "from_3") == ""


def test_confirming_with_nothing_given_means_any_date(as_host, url, decision):
    as_host.post(url, {"action": "confirm"})
    webinar = Webinar.objects.get(proposal=decision.proposal)
    assert webinar.available == []
    html = as_host.get(url).content.decode()
    assert re.search(r"any date of the series(&#x27;|')s? period", html)


def test_a_range_ending_before_it_starts_is_shown_beside_the_field(as_host, url, decision):
    response = as_host.post(
        url,
        {"action": "confirm", "from_1": iso(60), "to_1": iso(30), "unavailable": iso(45)},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This period ends before it starts" in errors_of(html, "to_1")
    assert errors_of(html, "from_1") == ""
    # The values are kept.
    assert value_of(html, "from_1") == iso(60) and value_of(html, "to_1") == iso(30)
    assert f">\n{iso(45)}</textarea>" in html
    decision.refresh_from_db()
    assert decision.host_status == "pending"
    assert not Webinar.objects.exists()


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"from_1": "2027-02-30", "to_1": "2027-03-10"}, "from_1", "This date does not exist"),
        ({"unavailable": "2027-02-29\n2027-03-01"}, "unavailable", "“2027-02-29”"),
        ({"from_2": "2027-03-01"}, "to_2", "Give the last day of this period too."),
        ({"from_1": "2020-01-06", "to_1": "2020-01-10"}, "to_1", "This period is over"),
    ],
)
def test_impossible_dates_are_refused_beside_their_field(
    as_host, url, decision, data, field, message
):
    html = as_host.post(url, {"action": "confirm", **data}).content.decode()
    assert message in errors_of(html, field)
    assert Decision.objects.get(pk=decision.pk).host_status == "pending"


def test_free_text_dates_of_the_proposal_are_not_prefilled(as_host, url, proposal, decision):
    proposal.unavailable_dates = "10–14 March, any Friday"
    proposal.save()
    html = as_host.get(url).content.decode()
    assert re.search(r'name="unavailable"[^>]*>\s*</textarea>', html)


def test_the_host_changes_it_until_the_timetable_is_published(as_host, url, decision):
    as_host.post(url, {"action": "confirm", "from_1": iso(30), "to_1": iso(60)})
    response = as_host.post(
        url, {"action": "availability", "from_1": iso(35), "to_1": iso(70), "unavailable": iso(50)}
    )
    assert response.status_code == 302
    webinar = Webinar.objects.get()
    assert webinar.available == [[iso(35), iso(70)]] and webinar.unavailable == [iso(50)]
    assert "Your availability is saved." in as_host.get(url).content.decode()

    # A wrong change keeps the values and saves nothing.
    html = as_host.post(
        url, {"action": "availability", "from_1": iso(70), "to_1": iso(35)}
    ).content.decode()
    assert "ends before it starts" in errors_of(html, "to_1")
    assert Webinar.objects.get().available == [[iso(35), iso(70)]]

    start = timezone.now() + timedelta(days=40)
    Webinar.objects.update(planned_start=start, starts_at=start, published_at=timezone.now())
    html = as_host.get(url).content.decode()
    assert "The timetable is published" in html and "Change your availability" not in html
    as_host.post(url, {"action": "availability", "from_1": iso(30), "to_1": iso(90)})
    assert Webinar.objects.get().available == [[iso(35), iso(70)]]
    assert "the date of this webinar is fixed" in as_host.get(url).content.decode()


def test_declining_creates_no_webinar(as_host, url, decision):
    as_host.post(url, {"action": "decline", "from_1": iso(60), "to_1": iso(30)})
    assert Decision.objects.get(pk=decision.pk).host_status == "declined"
    assert not Webinar.objects.exists()
    html = as_host.get(url).content.decode()
    assert "You have declined" in html and "When can you host it?" not in html


def test_answer_hosting_refuses_availability_that_cannot_hold(decision, host):
    with pytest.raises(webinar_operations.AvailabilityInvalid):
        decisions.answer_hosting(
            actor=host,
            decision=decision,
            confirm=True,
            available=[(later(60), later(30))],
            unavailable=[],
        )
    assert Decision.objects.get(pk=decision.pk).host_status == "pending"
    decisions.answer_hosting(
        actor=host, decision=decision, confirm=True, available=[(later(30), later(60))]
    )
    assert Webinar.objects.get().available == [[iso(30), iso(60)]]


def test_others_cannot_see_or_change_the_availability(client, url, decision, host):
    decisions.answer_hosting(actor=host, decision=decision, confirm=True)
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "availability", "unavailable": iso(40)}).status_code == 404
    assert Webinar.objects.get().unavailable == []


def test_a_host_who_confirmed_before_availability_was_asked_can_give_it(as_host, url, decision):
    Decision.objects.filter(pk=decision.pk).update(host_status=Decision.HostStatus.CONFIRMED)
    html = as_host.get(url).content.decode()
    assert "any date of the series" in html and "Change your availability" in html
    as_host.post(url, {"action": "availability", "from_1": iso(30), "to_1": iso(40)})
    assert Webinar.objects.get(proposal=decision.proposal).available == [[iso(30), iso(40)]]
