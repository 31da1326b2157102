"""Who may see what in a review. Checked on the server for every object: a reviewer sees only
the proposals assigned to them that they are not in conflict with; anything else is a 404."""

from django.db.models import Q, QuerySet

from deepdive.directory.models import Affiliation
from deepdive.proposals.models import CoSubmitter, Proposal

from .models import Assignment, DeclaredConflict, Reviewer


def organisation_ids_of(user) -> set[int]:
    """Every organisation the person is affiliated to (verified or not: a pending statement of
    affiliation is already a conflict of interest)."""
    if user is None:
        return set()
    return set(
        Affiliation.objects.filter(user=user)
        .exclude(status=Affiliation.Status.REJECTED)
        .values_list("organisation_id", flat=True)
    )


def proposal_organisation_ids(proposal: Proposal) -> set[int]:
    """The lead and every listed co-submitting organisation, whatever its answer."""
    ids = {proposal.lead_organisation_id}
    ids.update(
        CoSubmitter.objects.filter(proposal=proposal, organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    return ids


def affiliation_conflict(reviewer: Reviewer, proposal: Proposal) -> bool:
    return bool(organisation_ids_of(reviewer.user) & proposal_organisation_ids(proposal))


def declared_conflict(reviewer: Reviewer, proposal: Proposal) -> bool:
    return DeclaredConflict.objects.filter(
        reviewer=reviewer, proposal=proposal, lifted_at__isnull=True
    ).exists()


def in_conflict(reviewer: Reviewer, proposal: Proposal) -> bool:
    return affiliation_conflict(reviewer, proposal) or declared_conflict(reviewer, proposal)


def conflict_pairs(call) -> set[tuple[int, int]]:
    """Every (reviewer id, proposal id) of the call in conflict, in a few queries."""
    reviewers = list(Reviewer.objects.filter(call=call).exclude(user=None))
    orgs_by_user: dict[int, set[int]] = {}
    for user_id, organisation_id in (
        Affiliation.objects.filter(user__in=[r.user_id for r in reviewers])
        .exclude(status=Affiliation.Status.REJECTED)
        .values_list("user_id", "organisation_id")
    ):
        orgs_by_user.setdefault(user_id, set()).add(organisation_id)
    orgs_by_proposal: dict[int, set[int]] = {}
    for pk, lead in Proposal.objects.filter(call=call).values_list("pk", "lead_organisation_id"):
        orgs_by_proposal[pk] = {lead}
    for pk, organisation_id in CoSubmitter.objects.filter(
        proposal__call=call, organisation__isnull=False
    ).values_list("proposal_id", "organisation_id"):
        orgs_by_proposal.setdefault(pk, set()).add(organisation_id)
    pairs = {
        (reviewer.pk, proposal_id)
        for reviewer in reviewers
        for proposal_id, organisations in orgs_by_proposal.items()
        if orgs_by_user.get(reviewer.user_id, set()) & organisations
    }
    pairs.update(
        DeclaredConflict.objects.filter(reviewer__call=call, lifted_at__isnull=True).values_list(
            "reviewer_id", "proposal_id"
        )
    )
    return pairs


def reviewer_roles(user) -> QuerySet[Reviewer]:
    """The pools the person is an active reviewer in."""
    if not user.is_authenticated:
        return Reviewer.objects.none()
    return Reviewer.objects.filter(user=user, status=Reviewer.Status.ACTIVE)


def assigned_proposals(user) -> QuerySet[Proposal]:
    """Proposals actively assigned to the person as a reviewer (conflicts still to be excluded
    with ``reviewable``)."""
    return Proposal.objects.filter(
        assignments__reviewer__in=reviewer_roles(user),
        assignments__status=Assignment.Status.ACTIVE,
    ).distinct()


def reviewable(user, proposal: Proposal) -> Reviewer | None:
    """The person's reviewer role for ``proposal`` when they may see it, else None (→ 404)."""
    reviewer = (
        reviewer_roles(user)
        .filter(
            call=proposal.call_id,
            assignments__proposal=proposal,
            assignments__status=Assignment.Status.ACTIVE,
        )
        .first()
    )
    if reviewer is None or in_conflict(reviewer, proposal):
        return None
    return reviewer


def counted_reviews(call) -> Q:
    """The reviews that count in the ranking: submitted, on a proposal still submitted."""
    return Q(
        proposal__call=call,
        status="submitted",
        proposal__status=Proposal.Status.SUBMITTED,
    )
