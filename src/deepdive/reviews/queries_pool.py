"""Reads of the reviewer pool: the round, the pool's table, conflicts, a person's invitations
and pools. No writes here (see ``operations.pool``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext

from deepdive.directory.models import Affiliation, Organisation
from deepdive.proposals.models import CoSubmitter, Proposal
from deepdive.reference.regions import IloRegion
from deepdive.series.models import Call

from . import access
from .models import Assignment, DeclaredConflict, Review, Reviewer, ReviewRound


def verified_addresses(user) -> set[str]:
    """The person's verified e-mail addresses, lower-cased."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {
        e.lower()
        for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }


def round_for(call: Call) -> ReviewRound:
    """The call's review round, or an unsaved one with the defaults when there is none yet."""
    return ReviewRound.objects.filter(call=call).first() or ReviewRound(call=call)


def effective_max_load(reviewer: Reviewer, review_round: ReviewRound) -> int:
    """The reviewer's own maximum, else the round's default."""
    return reviewer.max_load if reviewer.max_load is not None else review_round.default_max_load


def region_names(codes: list[str]) -> list[str]:
    labels = dict(IloRegion.choices)
    return [str(labels.get(code, code)) for code in codes or []]


def language_names(codes: list[str]) -> list[str]:
    labels = dict(settings.LANGUAGES)
    return [gettext(labels.get(code, code)) for code in codes or []]


@dataclass
class PoolRow:
    reviewer: Reviewer
    max_load: int  # effective
    default_max: bool  # max_load comes from the round
    themes: list
    sectors: list
    regions: list[str]
    languages: list[str]
    conflicts: int = 0
    assigned: int = 0
    to_reassign: int = 0
    submitted: int = 0


def pool_reviewers(call: Call) -> QuerySet[Reviewer]:
    return (
        Reviewer.objects.filter(call=call)
        .select_related("user", "invited_by")
        .prefetch_related("themes", "sectors")
        .annotate(
            assigned=Count(
                "assignments",
                filter=Q(assignments__status=Assignment.Status.ACTIVE),
                distinct=True,
            ),
            to_reassign=Count(
                "assignments",
                filter=Q(assignments__status=Assignment.Status.NEEDS_REASSIGNMENT),
                distinct=True,
            ),
            submitted=Count(
                "reviews", filter=Q(reviews__status=Review.Status.SUBMITTED), distinct=True
            ),
        )
        .order_by("status", "email")
    )


def pool_rows(call: Call, review_round: ReviewRound) -> list[PoolRow]:
    """Every pool member of the call (removed ones included), with the table's figures."""
    conflicts: dict[int, int] = defaultdict(int)
    for reviewer_id, _proposal_id in access.conflict_pairs(call):
        conflicts[reviewer_id] += 1
    return [
        PoolRow(
            reviewer=r,
            max_load=effective_max_load(r, review_round),
            default_max=r.max_load is None,
            themes=list(r.themes.all()),
            sectors=list(r.sectors.all()),
            regions=region_names(r.regions),
            languages=language_names(r.languages),
            conflicts=conflicts[r.pk],
            assigned=r.assigned,
            to_reassign=r.to_reassign,
            submitted=r.submitted,
        )
        for r in pool_reviewers(call)
    ]


def pool_counts(call: Call) -> dict[str, int]:
    """Number of pool members by status."""
    counts = dict.fromkeys(Reviewer.Status.values, 0)
    for row in Reviewer.objects.filter(call=call).values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def in_pool(call: Call) -> QuerySet[Reviewer]:
    """Pool members invited or active (those a conflict can be declared for)."""
    return (
        Reviewer.objects.filter(
            call=call, status__in=[Reviewer.Status.INVITED, Reviewer.Status.ACTIVE]
        )
        .select_related("user")
        .order_by("email")
    )


def call_proposals(call: Call) -> QuerySet[Proposal]:
    """The call's submitted proposals (those reviewed)."""
    return Proposal.objects.filter(call=call, status=Proposal.Status.SUBMITTED).order_by("title")


# --- Conflicts ------------------------------------------------------------------------------


@dataclass
class AutomaticConflict:
    proposal: Proposal
    organisations: list[Organisation] = field(default_factory=list)


@dataclass
class ReviewerConflicts:
    reviewer: Reviewer
    conflicts: list[AutomaticConflict]


def automatic_conflicts(call: Call) -> list[ReviewerConflicts]:
    """Per pool member with an account: the call's proposals (any status but draft) they are
    in conflict with by affiliation, and the organisations causing it (the lead or a listed
    co-submitting organisation the person is affiliated to, verified or pending)."""
    reviewers = list(
        Reviewer.objects.filter(call=call)
        .exclude(user=None)
        .exclude(status=Reviewer.Status.REMOVED)
        .select_related("user")
        .order_by("email")
    )
    if not reviewers:
        return []
    orgs_by_user: dict[int, set[int]] = defaultdict(set)
    for user_id, organisation_id in (
        Affiliation.objects.filter(user__in=[r.user_id for r in reviewers])
        .exclude(status=Affiliation.Status.REJECTED)
        .values_list("user_id", "organisation_id")
    ):
        orgs_by_user[user_id].add(organisation_id)
    proposals = {
        p.pk: p
        for p in Proposal.objects.filter(call=call)
        .exclude(status=Proposal.Status.DRAFT)
        .order_by("title")
    }
    orgs_by_proposal: dict[int, set[int]] = defaultdict(set)
    for p in proposals.values():
        orgs_by_proposal[p.pk].add(p.lead_organisation_id)
    for pk, organisation_id in CoSubmitter.objects.filter(
        proposal__in=list(proposals), organisation__isnull=False
    ).values_list("proposal_id", "organisation_id"):
        orgs_by_proposal[pk].add(organisation_id)
    names = Organisation.objects.in_bulk(set().union(*orgs_by_user.values()))
    result = []
    for reviewer in reviewers:
        mine = orgs_by_user.get(reviewer.user_id, set())
        found = [
            AutomaticConflict(
                proposal=proposals[pk],
                organisations=sorted(
                    (names[o] for o in orgs & mine if o in names), key=lambda o: o.name
                ),
            )
            for pk, orgs in orgs_by_proposal.items()
            if orgs & mine
        ]
        if found:
            result.append(ReviewerConflicts(reviewer=reviewer, conflicts=found))
    return result


def declared_conflicts(call: Call) -> QuerySet[DeclaredConflict]:
    """Every declared conflict of the call, active first, newest first."""
    return (
        DeclaredConflict.objects.filter(reviewer__call=call)
        .select_related("reviewer", "reviewer__user", "proposal", "declared_by", "lifted_by")
        .order_by(F("lifted_at").desc(nulls_first=True), "-declared_at")
    )


def find_conflict(call: Call, conflict_id: int) -> DeclaredConflict | None:
    return (
        DeclaredConflict.objects.filter(pk=conflict_id, reviewer__call=call)
        .select_related("reviewer", "proposal")
        .first()
    )


# --- A person's invitations and pools -------------------------------------------------------


def _address_filter(addresses: set[str]) -> Q:
    return reduce(or_, (Q(email__iexact=a) for a in addresses))


def invitations_for(user) -> QuerySet[Reviewer]:
    """The pools the person is invited to, matched by their verified e-mail addresses."""
    addresses = verified_addresses(user)
    if not addresses:
        return Reviewer.objects.none()
    return (
        Reviewer.objects.filter(_address_filter(addresses), status=Reviewer.Status.INVITED)
        .select_related("call", "call__series", "invited_by", "call__review_round")
        .order_by("-invited_at")
    )


def pools_of(user) -> QuerySet[Reviewer]:
    """The pools the person is an active reviewer in, with their call."""
    return (
        access.reviewer_roles(user)
        .select_related("call", "call__series")
        .prefetch_related("themes", "sectors")
        .order_by("-accepted_at")
    )


def find_invitation(user, reviewer_id: int) -> Reviewer | None:
    """An invitation addressed to one of the person's verified addresses (any status, so that
    a second click on a button finds it), else None (→ 404)."""
    addresses = verified_addresses(user)
    if not addresses:
        return None
    return (
        Reviewer.objects.filter(_address_filter(addresses), pk=reviewer_id)
        .select_related("call")
        .first()
    )


def own_reviewer(user, reviewer_id: int) -> Reviewer | None:
    """The person's own pool membership (active), else None (→ 404)."""
    return (
        access.reviewer_roles(user)
        .filter(pk=reviewer_id)
        .select_related("call", "call__series")
        .first()
    )


def declarable(user, proposal_id: int) -> tuple[Reviewer, Proposal] | None:
    """The person's reviewer role and the proposal when it is actively assigned to them
    (they may then declare a conflict with it), else None (→ 404)."""
    proposal = Proposal.objects.filter(pk=proposal_id).select_related("call").first()
    if proposal is None:
        return None
    reviewer = (
        access.reviewer_roles(user)
        .filter(
            call=proposal.call_id,
            assignments__proposal=proposal,
            assignments__status=Assignment.Status.ACTIVE,
        )
        .first()
    )
    return (reviewer, proposal) if reviewer is not None else None
