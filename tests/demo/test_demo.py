import pytest
from django.core.management import call_command

from deepdive.accounts.models import User
from deepdive.demo.operations import load_demo
from deepdive.directory.models import Affiliation, Organisation
from deepdive.reference.models import PartnerType
from deepdive.reference.regions import IloRegion
from deepdive.series.models import Call

pytestmark = pytest.mark.django_db

# The demo's calls other than the open one.
PAST_CALLS = ["first-round-reviewed", "2026-round-selected", "2026-pilot", "2026-round-three"]


def test_demo_covers_what_the_platform_shows():
    load_demo(password="demo-pass-123")
    organisations = Organisation.objects.all()
    assert organisations.count() >= 40
    assert set(organisations.values_list("partner_type__code", flat=True)) == set(
        PartnerType.objects.values_list("code", flat=True)
    )
    regions = set(organisations.values_list("countries__ilo_region", flat=True))
    assert regions >= set(IloRegion.values)
    in_pathfinder = organisations.filter(countries__pathfinder__isnull=False).distinct().count()
    assert in_pathfinder * 3 >= organisations.count()
    for email in ["secretariat", "member", "reviewer", "host"]:
        user = User.objects.get(email=f"{email}@example.org")
        assert user.check_password("demo-pass-123")
    assert User.objects.get(email="secretariat@example.org").is_secretariat
    assert Affiliation.objects.filter(
        user__email="member@example.org", status=Affiliation.Status.VERIFIED
    ).exists()
    call = Call.objects.exclude(slug__in=PAST_CALLS).get(
        series__action_group__name__icontains="supply"
    )
    assert call.status == Call.Status.OPEN


def test_loading_twice_creates_nothing_twice():
    load_demo()
    counts = (Organisation.objects.count(), User.objects.count(), Call.objects.count())
    again = load_demo()
    assert not any(again.values())
    assert (Organisation.objects.count(), User.objects.count(), Call.objects.count()) == counts


def test_demo_command_without_serving(capsys):
    call_command("demo", "--no-serve")
    assert "Demo data ready" in capsys.readouterr().out


def test_demo_call_has_proposals_for_the_secretariat_to_see():
    from deepdive.proposals.models import CoSubmitter, Proposal

    load_demo(password="demo-pass-123")
    proposals = Proposal.objects.exclude(call__slug__in=PAST_CALLS)
    assert proposals.filter(status=Proposal.Status.SUBMITTED).count() >= 6
    assert proposals.filter(status=Proposal.Status.DRAFT).exists()
    assert proposals.filter(status=Proposal.Status.WITHDRAWN).exists()
    statuses = set(CoSubmitter.objects.values_list("status", flat=True))
    assert {"confirmed", "declined", "pending", "unlisted"} <= statuses
    assert proposals.filter(includes_pathfinder=True).exists()
    member_proposal = proposals.get(lead_organisation__name="Lake Malawi Tea Workers' Union")
    assert member_proposal.is_joint


def test_demo_has_a_reviewed_call_with_a_conflict_and_calibrated_ranking():
    from deepdive.reviews.access import conflict_pairs
    from deepdive.reviews.models import Assignment, Review
    from deepdive.reviews.queries_reviewing import calibrated_scores, ranking

    load_demo(password="demo-pass-123")
    call = Call.objects.get(slug="first-round-reviewed")
    assert call.status == Call.Status.CLOSED
    assert call.reviewers.filter(status="active").count() == 5
    assert conflict_pairs(call)  # reviewer@example.org wrote the Kestrel proposal
    reviewer = User.objects.get(email="reviewer@example.org")
    assert Assignment.objects.filter(proposal__call=call, reviewer__user=reviewer).exists()
    assert not Assignment.objects.filter(
        proposal__call=call, reviewer__user=reviewer, proposal__lead_organisation__acronym="KILR"
    ).exists()
    assert Review.objects.filter(proposal__call=call, status="submitted").count() >= 15
    rows = ranking(call).rows
    assert any(row.disagreement for row in rows)
    assert calibrated_scores(call)


def test_demo_selection_beats_the_top_n_by_score():
    from deepdive.selection.operations import run_selection

    load_demo(password="demo-pass-123")
    call = Call.objects.get(slug="first-round-reviewed")
    secretariat = User.objects.get(email="secretariat@example.org")
    run = run_selection(actor=secretariat, call=call)
    assert run.shortfall == 0
    assert set(run.result["selected"]) != set(run.top_n["ids"])
    assert run.top_n["shortfall"] > 0  # the top four miss human trafficking
