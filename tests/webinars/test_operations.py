"""The webinar of a confirmed host, and the host's availability until publication."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from deepdive.core.models import AuditEntry
from deepdive.directory.models import Affiliation
from deepdive.selection.models import Decision, SelectionRun
from deepdive.webinars import operations
from deepdive.webinars.models import Webinar
from tests.directory.factories import UserFactory
from tests.proposals.factories import ProposalFactory
from tests.reviews.factories import SecretariatFactory

pytestmark = pytest.mark.django_db


def make_decision(*, host_status="confirmed", outcome="selected") -> Decision:
    proposal = ProposalFactory(title="Cocoa cooperatives against child labour")
    run = SelectionRun.objects.create(
        call=proposal.call, solver_status="optimal", status=SelectionRun.Status.CONFIRMED
    )
    return Decision.objects.create(
        proposal=proposal,
        run=run,
        outcome=outcome,
        host_status=host_status,
        host_deadline=timezone.now() + timedelta(days=10),
    )


def host_of(proposal):
    user = UserFactory()
    Affiliation.objects.create(
        user=user, organisation=proposal.lead_organisation, status=Affiliation.Status.VERIFIED
    )
    return user


@pytest.fixture
def decision():
    return make_decision()


@pytest.fixture
def host(decision):
    return host_of(decision.proposal)


def test_the_webinar_is_created_once_with_the_availability(decision, host):
    webinar = operations.create_for_decision(
        actor=host,
        decision=decision,
        available=[(date(2027, 2, 1), date(2027, 2, 26)), ("2027-01-11", "2027-01-22")],
        unavailable=[date(2027, 2, 12), "2027-02-03", date(2027, 2, 12)],
    )
    webinar.refresh_from_db()
    assert webinar.proposal == decision.proposal and webinar.call == decision.proposal.call
    assert webinar.minutes == 60
    assert webinar.available == [["2027-01-11", "2027-01-22"], ["2027-02-01", "2027-02-26"]]
    assert webinar.unavailable == ["2027-02-03", "2027-02-12"]
    assert webinar.planned_start is None and webinar.starts_at is None
    assert not webinar.is_published
    [entry] = AuditEntry.objects.filter(action="webinars.created")
    assert entry.actor == host and entry.object_id == str(webinar.pk)

    again = operations.create_for_decision(
        actor=host, decision=decision, available=[], unavailable=[]
    )
    assert again.pk == webinar.pk
    assert Webinar.objects.count() == 1
    assert Webinar.objects.get().available == webinar.available  # left as it was
    assert AuditEntry.objects.filter(action="webinars.created").count() == 1


def test_no_availability_means_any_date(decision, host):
    webinar = operations.create_for_decision(
        actor=host, decision=decision, available=None, unavailable=None
    )
    assert (webinar.available, webinar.unavailable) == ([], [])
    assert operations.availability_of(webinar) == ([], [])


@pytest.mark.parametrize(
    "available, unavailable, message",
    [
        ([("2027-03-10", "2027-03-01")], [], "ends before it starts"),
        ([("2027-02-30", "2027-03-01")], [], "“2027-02-30” is not a date"),
        ([], ["2027-13-01"], "“2027-13-01” is not a date"),
    ],
)
def test_availability_that_cannot_hold_is_refused(decision, host, available, unavailable, message):
    with pytest.raises(operations.AvailabilityInvalid) as refused:
        operations.create_for_decision(
            actor=host, decision=decision, available=available, unavailable=unavailable
        )
    assert message in str(refused.value)
    assert not Webinar.objects.exists()


@pytest.mark.parametrize(
    "host_status, outcome",
    [("pending", "selected"), ("declined", "selected"), ("", "waitlisted")],
)
def test_only_a_confirmed_selected_proposal_gets_a_webinar(host_status, outcome):
    decision = make_decision(host_status=host_status, outcome=outcome)
    with pytest.raises(operations.WebinarRefused):
        operations.create_for_decision(
            actor=host_of(decision.proposal), decision=decision, available=[], unavailable=[]
        )
    assert not Webinar.objects.exists()


def test_others_may_not_create_or_change_it(decision, host):
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        operations.create_for_decision(
            actor=stranger, decision=decision, available=[], unavailable=[]
        )
    webinar = operations.create_for_decision(
        actor=host, decision=decision, available=[], unavailable=[]
    )
    with pytest.raises(PermissionDenied):
        operations.update_availability(
            actor=stranger, webinar=webinar, available=[], unavailable=["2027-01-12"]
        )
    assert Webinar.objects.get().unavailable == []


def test_the_host_and_the_secretariat_change_it_until_published(decision, host):
    webinar = operations.create_for_decision(
        actor=host, decision=decision, available=[], unavailable=[]
    )
    operations.update_availability(
        actor=host,
        webinar=webinar,
        available=[("2027-01-18", "2027-03-05")],
        unavailable=["2027-02-15"],
    )
    webinar.refresh_from_db()
    assert webinar.available == [["2027-01-18", "2027-03-05"]]
    assert webinar.unavailable == ["2027-02-15"]
    [entry] = AuditEntry.objects.filter(action="webinars.availability_updated")
    assert entry.changes["available"] == [[], [["2027-01-18", "2027-03-05"]]]

    # Saving the same again writes nothing.
    operations.update_availability(
        actor=host, webinar=webinar, available=webinar.available, unavailable=webinar.unavailable
    )
    assert AuditEntry.objects.filter(action="webinars.availability_updated").count() == 1

    operations.update_availability(
        actor=SecretariatFactory(), webinar=webinar, available=[], unavailable=[]
    )
    assert Webinar.objects.get().available == []

    start = timezone.now() + timedelta(days=30)
    Webinar.objects.filter(pk=webinar.pk).update(
        planned_start=start, starts_at=start, published_at=timezone.now()
    )
    webinar.refresh_from_db()
    with pytest.raises(operations.WebinarRefused) as refused:
        operations.update_availability(
            actor=host, webinar=webinar, available=[], unavailable=["2027-01-12"]
        )
    assert "published" in str(refused.value)
    assert Webinar.objects.get().unavailable == []
