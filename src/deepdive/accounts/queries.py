"""Reads about people and their affiliations, shared by the views and by other apps."""

from django.db.models import QuerySet

from deepdive.directory.models import Affiliation, Organisation

from .models import User


def affiliations_of(user) -> QuerySet[Affiliation]:
    """A person's affiliations, by organisation name."""
    return (
        Affiliation.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def pending_affiliations() -> QuerySet[Affiliation]:
    """Affiliations waiting for the secretariat, oldest first."""
    return (
        Affiliation.objects.filter(status=Affiliation.Status.PENDING)
        .select_related("user", "organisation")
        .order_by("stated_at", "pk")
    )


def recently_decided_affiliations(limit: int = 20) -> QuerySet[Affiliation]:
    """The last decisions on affiliations (by the secretariat or by e-mail domain)."""
    return (
        Affiliation.objects.exclude(status=Affiliation.Status.PENDING)
        .filter(decided_at__isnull=False)
        .select_related("user", "organisation", "decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


def secretariat_users() -> QuerySet[User]:
    return User.objects.filter(is_secretariat=True, is_active=True).order_by("email")


def verified_organisations(user) -> QuerySet[Organisation]:
    """The (not merged) organisations ``user`` is a verified contact of."""
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    return (
        Organisation.objects.active()
        .filter(affiliations__user=user, affiliations__status=Affiliation.Status.VERIFIED)
        .distinct()
        .order_by("name")
    )


def can_act_for(user, organisation: Organisation) -> bool:
    """Whether ``user`` may act for ``organisation``: an active person with a verified
    affiliation to it, and the organisation a current (not merged) Alliance 8.7 partner."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if organisation is None or organisation.merged_into_id is not None:
        return False
    if not organisation.is_member:
        return False
    return Affiliation.objects.filter(
        user=user, organisation=organisation, status=Affiliation.Status.VERIFIED
    ).exists()
