"""Near duplicates are worked out when a proposal changes and kept (``NearDuplicate``), so
the secretariat's table reads them in one query instead of comparing every pair per request."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deepdive.demo.operations import load_demo
from deepdive.proposals import duplicates, operations
from deepdive.proposals.models import NearDuplicate, Proposal
from deepdive.series.models import Call

from .conftest import complete_data
from .factories import ProposalFactory, UserFactory
from .test_manage_detail import COCOA, COCOA_EDITED, FISHING

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat_client(client):
    client.force_login(UserFactory(is_secretariat=True))
    return client


def table(client, call, **params):
    url = reverse("proposals:manage_list", kwargs={"call_id": call.pk})
    return client.get(url, params)


def flagged(response) -> dict[str, list[str]]:
    """{title: [titles of the near duplicates it shows]} for the rows of the table."""
    return {
        row.title: [other["title"] for other in row.near_duplicates]
        for row in response.context["rows"]
    }


def from_scratch(call) -> dict[int, list[int]]:
    """Every pair of the call compared afresh, as the table did at each request before."""
    rows = (
        Proposal.objects.filter(call=call)
        .exclude(status=Proposal.Status.WITHDRAWN)
        .values_list("pk", "title", "description")
    )
    return {
        pk: sorted(other for other, _ in others)
        for pk, others in duplicates.near_duplicates(rows).items()
    }


def kept(call) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for a, b in NearDuplicate.objects.filter(call=call).values_list("a_id", "b_id"):
        found.setdefault(a, []).append(b)
        found.setdefault(b, []).append(a)
    return {pk: sorted(others) for pk, others in found.items()}


def test_editing_submitting_and_withdrawing_keep_the_pairs_up_to_date(
    member, call, organisation, secretariat_client
):
    first = operations.create_draft(
        actor=member,
        call=call,
        data=complete_data(organisation, title="Remediation in cocoa", description=COCOA),
        submit=True,
    ).proposal
    second = operations.create_draft(
        actor=member,
        call=call,
        data=complete_data(organisation, title="Fishing vessels", description=FISHING),
    ).proposal
    assert flagged(table(secretariat_client, call)) == {
        "Remediation in cocoa": [],
        "Fishing vessels": [],
    }
    # The draft becomes an edited copy of the first and is submitted: both rows warn.
    operations.save_proposal(
        actor=member,
        proposal=second,
        expected_version=second.version,
        data=complete_data(organisation, title="Community monitoring", description=COCOA_EDITED),
        submit=True,
    )
    assert flagged(table(secretariat_client, call)) == {
        "Remediation in cocoa": ["Community monitoring"],
        "Community monitoring": ["Remediation in cocoa"],
    }
    # Withdrawn: no longer flagged, on either row; submitted again: flagged again.
    second.refresh_from_db()
    operations.withdraw(actor=member, proposal=second, expected_version=second.version)
    assert flagged(table(secretariat_client, call))["Remediation in cocoa"] == []
    assert NearDuplicate.objects.count() == 0
    second.refresh_from_db()
    operations.save_proposal(
        actor=member,
        proposal=second,
        expected_version=second.version,
        data=complete_data(organisation, title="Community monitoring", description=COCOA_EDITED),
        submit=True,
    )
    assert flagged(table(secretariat_client, call))["Remediation in cocoa"] == [
        "Community monitoring"
    ]
    # Edited into something else: the pair goes.
    first.refresh_from_db()
    operations.save_proposal(
        actor=member,
        proposal=first,
        expected_version=first.version,
        data=complete_data(organisation, title="Tea estates", description="Living wages."),
        submit=True,
    )
    assert flagged(table(secretariat_client, call)) == {
        "Tea estates": [],
        "Community monitoring": [],
    }


def test_the_command_fills_the_pairs_of_proposals_written_otherwise(secretariat_client):
    call = ProposalFactory(title="Remediation in cocoa", description=COCOA).call
    user, lead = Proposal.objects.get().created_by, Proposal.objects.get().lead_organisation
    Proposal.objects.bulk_create(  # an import: no operation ran
        Proposal(call=call, created_by=user, lead_organisation=lead, title=t, description=d)
        for t, d in [("Community monitoring", COCOA_EDITED), ("Fishing vessels", FISHING)]
    )
    assert flagged(table(secretariat_client, call))["Community monitoring"] == []
    call_command("near_duplicates", verbosity=0)
    assert flagged(table(secretariat_client, call)) == {
        "Remediation in cocoa": ["Community monitoring"],
        "Community monitoring": ["Remediation in cocoa"],
        "Fishing vessels": [],
    }
    assert kept(call) == from_scratch(call)


def test_the_table_flags_the_demos_near_duplicates_in_as_many_queries_at_10_and_40_proposals(
    secretariat_client, django_assert_num_queries
):
    load_demo(password="demo-pass-123")
    call = Call.objects.get(slug="2026-round-selected")
    expected = from_scratch(call)
    assert expected and kept(call) == expected  # the demo's pairs, kept as they were written
    pilot = Call.objects.get(slug="2026-pilot")
    assert kept(pilot) == from_scratch(pilot)
    proposals = Proposal.objects.filter(call=call)
    assert proposals.count() <= 10

    def shown() -> dict[int, list[int]]:
        response = table(secretariat_client, call, sort="title")
        return {
            row.pk: sorted(other["id"] for other in row.near_duplicates)
            for row in response.context["rows"]
            if row.near_duplicates
        }

    table(secretariat_client, call, sort="title")  # caches warmed
    with CaptureQueriesContext(connection) as at_ten:
        assert shown() == expected
    for i in range(40 - proposals.count()):
        ProposalFactory(
            call=call,
            title=f"Another topic {i} entirely",
            description=f"Words of proposal {i}: " + " ".join(f"w{i}x{j}" for j in range(40)),
        )
    assert proposals.count() == 40
    with django_assert_num_queries(len(at_ten.captured_queries)):
        assert shown() == expected
