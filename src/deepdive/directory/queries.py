"""Reads of the partner directory used by the views."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from deepdive.core.audit import history
from deepdive.outbox.queries import mail_notes

from .models import Affiliation, Organisation


def directory_organisations() -> QuerySet[Organisation]:
    """Active (not merged) organisations, with what the list and the export show."""
    return (
        Organisation.objects.active()
        .select_related("partner_type")
        .prefetch_related("countries", "action_groups", "themes", "sectors", "domains")
        .annotate(
            verified_contacts=Count(
                "affiliations",
                filter=Q(affiliations__status=Affiliation.Status.VERIFIED),
                distinct=True,
            )
        )
        .order_by("name", "pk")
    )


def find_organisation(slug: str) -> Organisation | None:
    """The organisation with this slug, merged or not; None if there is none."""
    return (
        Organisation.objects.select_related("partner_type", "merged_into")
        .prefetch_related("countries", "action_groups", "themes", "sectors", "domains")
        .filter(slug=slug)
        .first()
    )


def merge_destination(organisation: Organisation) -> Organisation:
    """The active organisation that ``organisation`` was (perhaps indirectly) merged into."""
    seen = {organisation.pk}
    while organisation.merged_into_id and organisation.merged_into_id not in seen:
        seen.add(organisation.merged_into_id)
        organisation = Organisation.objects.get(pk=organisation.merged_into_id)
    return organisation


def can_see_contacts(user: Any) -> bool:
    """The secretariat and verified member contacts (of any organisation) see contacts."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_secretariat:
        return True
    return Affiliation.objects.filter(user=user, status=Affiliation.Status.VERIFIED).exists()


def verified_contacts(organisation: Organisation) -> QuerySet[Affiliation]:
    return (
        Affiliation.objects.filter(
            organisation=organisation, status=Affiliation.Status.VERIFIED, user__is_active=True
        )
        .select_related("user")
        .order_by("user__name", "user__email")
    )


def organisation_page(organisation: Organisation, user: Any) -> dict[str, Any]:
    """What the organisation page shows to ``user``: personal data only to those allowed."""
    is_secretariat = bool(getattr(user, "is_authenticated", False) and user.is_secretariat)
    show_contacts = can_see_contacts(user)
    contacts = list(verified_contacts(organisation)) if show_contacts else []
    if is_secretariat:  # who unsubscribed or bounced: for the secretariat only
        notes = mail_notes([c.user.email for c in contacts])
        for contact in contacts:
            email = contact.user.email.lower()
            contact.mail_notes = notes.get(email, [])  # type: ignore[attr-defined]
    return {
        "organisation": organisation,
        "show_contacts": show_contacts,
        "contacts": contacts,
        "can_edit": is_secretariat,
        "history": list(history(organisation)[:50]) if is_secretariat else [],
    }


def merge_preview(source: Organisation, target: Organisation) -> dict[str, Any]:
    """What a merge of ``source`` into ``target`` would move, for the confirmation page."""
    source_users = set(source.affiliations.values_list("user_id", flat=True))
    target_users = set(target.affiliations.values_list("user_id", flat=True))
    return {
        "source": source,
        "target": target,
        "affiliations": len(source_users),
        "shared_affiliations": len(source_users & target_users),
        "domains": list(source.domains.values_list("domain", flat=True)),
        "merged_from": source.merged_from.count(),
    }
