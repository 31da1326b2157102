"""The deadline is judged when a request arrived, not when a busy server processed it."""

import time
from datetime import datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from deepdive.proposals import operations
from deepdive.proposals.models import Proposal

from .conftest import complete_data, form_data

pytestmark = pytest.mark.django_db


class BusyServer:
    """Stands for a server under load: the request, once stamped, waits until ``until``."""

    until: datetime | None = None

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if BusyServer.until is not None and request.method == "POST":
            time.sleep(max((BusyServer.until - timezone.now()).total_seconds(), 0))
        return self.get_response(request)


@pytest.fixture
def busy(settings):
    """Requests wait after the platform's first middleware (the arrival stamp), before the rest."""
    settings.MIDDLEWARE = [
        settings.MIDDLEWARE[0],
        "tests.proposals.test_arrival.BusyServer",
        *settings.MIDDLEWARE[1:],
    ]
    yield
    BusyServer.until = None


@pytest.fixture
def proposal(member, call, organisation):
    return operations.create_draft(
        actor=member, call=call, data=complete_data(organisation)
    ).proposal


def close_soon(call) -> None:
    """The call closes in a second; busy requests are processed just after."""
    call.closes_at = timezone.now() + timedelta(seconds=1)
    call.save(update_fields=["closes_at"])
    BusyServer.until = call.closes_at + timedelta(milliseconds=100)


def test_the_arrival_is_stamped_before_any_other_middleware():
    assert django_settings.MIDDLEWARE[0] == "deepdive.core.middleware.ArrivalTimeMiddleware"


def test_a_submit_that_arrived_before_the_deadline_is_accepted_though_processed_after(
    busy, member_client, proposal, organisation, call
):
    url, data = (
        reverse("proposals:edit", kwargs={"pk": proposal.pk}),
        form_data(proposal, organisation),
    )
    close_soon(call)

    response = member_client.post(url, data)

    assert timezone.now() > call.closes_at  # processed after the deadline
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == reverse("proposals:view", kwargs={"pk": proposal.pk})
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    assert proposal.submitted_at < call.closes_at  # recorded at its arrival


def test_a_new_proposal_that_arrived_before_the_deadline_is_created_and_submitted(
    busy, member_client, call, organisation
):
    url = reverse("proposals:new", kwargs={"call_id": call.pk})
    data = form_data(None, organisation, creation_token="8a4c2a3e-0d1f-4a57-9a4f-2b1f0c1d2e3f")
    close_soon(call)

    response = member_client.post(url, data)

    assert response.status_code == 302
    [proposal] = Proposal.objects.all()
    assert proposal.status == "submitted"
    assert proposal.submitted_at < call.closes_at < timezone.now()


def test_a_withdrawal_that_arrived_before_the_deadline_is_done(busy, member_client, proposal, call):
    url = reverse("proposals:withdraw", kwargs={"pk": proposal.pk})
    close_soon(call)

    response = member_client.post(url, {"version": "1"})

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    assert proposal.withdrawn_at < call.closes_at < timezone.now()


def test_a_submit_that_arrived_after_the_deadline_is_refused(
    busy, member_client, proposal, organisation, call
):
    call.closes_at = timezone.now() - timedelta(milliseconds=1)
    call.save(update_fields=["closes_at"])

    response = member_client.post(
        reverse("proposals:edit", kwargs={"pk": proposal.pk}), form_data(proposal, organisation)
    )

    assert response.status_code == 409
    assert "The call closed on" in response.content.decode()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == ("draft", 1)


def submit_at(member, proposal, organisation, at):
    return operations.save_proposal(
        actor=member,
        proposal=proposal,
        expected_version=1,
        data=complete_data(organisation),
        submit=True,
        at=at,
    )


def test_the_operation_judges_the_deadline_at_the_arrival(member, proposal, organisation, call):
    arrived = timezone.now()
    call.closes_at = arrived + timedelta(microseconds=1)
    call.save(update_fields=["closes_at"])

    submit_at(member, proposal, organisation, arrived)

    proposal.refresh_from_db()
    assert (proposal.status, proposal.submitted_at) == ("submitted", arrived)


@pytest.mark.parametrize(
    "arrived",
    [
        timedelta(minutes=1),  # a time in the future is not believed
        -operations.ARRIVAL_TRUSTED_FOR - timedelta(seconds=1),  # nor one from long ago
    ],
)
def test_an_arrival_time_that_cannot_be_true_is_not_believed(
    member, proposal, organisation, call, arrived
):
    call.closes_at = timezone.now() - timedelta(seconds=1)
    call.save(update_fields=["closes_at"])

    with pytest.raises(operations.DeadlinePassed):
        submit_at(member, proposal, organisation, call.closes_at + arrived)

    proposal.refresh_from_db()
    assert proposal.status == "draft"
