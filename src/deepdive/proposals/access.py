"""Who may do what with calls and proposals. Checked on the server for every object."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from deepdive.accounts.models import User
from deepdive.core.permissions import is_secretariat
from deepdive.directory.models import Affiliation, Organisation
from deepdive.series.models import Call

from .models import CoSubmitter, Proposal


def eligible_lead_organisations(user: User | AnonymousUser, call: Call) -> QuerySet[Organisation]:
    """Organisations ``user`` may propose for in ``call``: their verified affiliations to member
    organisations of the series' Action Group."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return (
        Organisation.objects.active()
        .filter(
            is_member=True,
            action_groups=call.series.action_group_id,
            affiliations__user=user,
            affiliations__status=Affiliation.Status.VERIFIED,
        )
        .distinct()
        .order_by("name")
    )


def can_propose(user: User | AnonymousUser, call: Call) -> bool:
    return eligible_lead_organisations(user, call).exists()


def why_cannot_propose(user: User, call: Call) -> str:
    """Why ``user`` (signed in) may not propose to ``call``, in words for the refusal page:
    an affiliation to a member still awaiting verification is named."""
    pending = (
        Organisation.objects.filter(
            is_member=True,
            action_groups=call.series.action_group_id,
            affiliations__user=user,
            affiliations__status=Affiliation.Status.PENDING,
        )
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)
    )
    if pending:
        return _(
            "Your affiliation with %(organisations)s awaits verification by the secretariat: "
            "you can propose once it is verified."
        ) % {"organisations": ", ".join(pending)}
    return _(
        "Only verified contacts of the Action Group's members propose. State your "
        "organisation on your profile; the secretariat verifies it."
    )


def organisations_of(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations ``user`` is a verified contact of."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        affiliations__user=user, affiliations__status=Affiliation.Status.VERIFIED
    ).distinct()


def editable_proposals(user: User | AnonymousUser) -> QuerySet[Proposal]:
    """Proposals led by an organisation ``user`` is a verified contact of: they may edit them."""
    return Proposal.objects.filter(lead_organisation__in=organisations_of(user))


def visible_proposals(user: User | AnonymousUser) -> QuerySet[Proposal]:
    """Editable ones, plus those the user's organisations are asked to co-submit."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    if is_secretariat(user):
        return Proposal.objects.all()
    mine = organisations_of(user)
    return Proposal.objects.filter(
        pk__in=Proposal.objects.filter(lead_organisation__in=mine)
        .order_by()
        .values("pk")
        .union(CoSubmitter.objects.filter(organisation__in=mine).order_by().values("proposal_id"))
    )


def can_edit(user: User | AnonymousUser, proposal: Proposal) -> bool:
    return editable_proposals(user).filter(pk=proposal.pk).exists()


def co_submissions_to_decide(user: User | AnonymousUser) -> QuerySet[CoSubmitter]:
    """Participation requests the user may confirm or decline for their organisations."""
    return CoSubmitter.objects.filter(
        organisation__in=organisations_of(user), proposal__status=Proposal.Status.SUBMITTED
    ).select_related("proposal", "organisation", "proposal__lead_organisation")
