"""The e-mails about a proposal: queued in the outbox, in the recipient's language, with the
proposal, its call, speakers, co-submitters and links in their context."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from deepdive.accounts.models import User
from deepdive.accounts.operations import language_of
from deepdive.outbox.operations import queue_templated_email

from ..models import Proposal


def contact_user(proposal: Proposal) -> User | None:
    """The account of the proposal's contact person, if they have one."""
    return User.objects.filter(email__iexact=proposal.contact_email).first()


def absolute(path: str) -> str:
    """``path`` as a link from an e-mail (on SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


def send(
    *,
    to: User | str,
    prefix: str,
    proposal: Proposal,
    kind: str,
    extra: dict[str, Any] | None = None,
    fallback_language: str | None = None,
) -> None:
    """Queue the e-mail ``prefix`` about ``proposal`` to ``to``: a person, in their language,
    or an address, in ``fallback_language`` (the site's language by default)."""
    if isinstance(to, User):
        address, language = to.email, language_of(to)
    else:
        address, language = to, fallback_language or settings.LANGUAGE_CODE
    queue_templated_email(
        to=address,
        template_prefix=prefix,
        context={
            "proposal": proposal,
            "call": proposal.call,
            "speakers": list(proposal.speakers.all()),
            "co_submitters": list(proposal.co_submitters.select_related("organisation")),
            "view_url": absolute(reverse("proposals:view", kwargs={"pk": proposal.pk})),
            "edit_url": absolute(reverse("proposals:edit", kwargs={"pk": proposal.pk})),
            "take_part_url": absolute(reverse("proposals:take_part", kwargs={"pk": proposal.pk})),
            **(extra or {}),
        },
        language=language,
        kind=kind,
        related=proposal,
    )


def send_confirmation(*, actor: User, proposal: Proposal, first: bool) -> None:
    """The copy of the proposal to its contact, in their language (the submitter's when the
    contact has no account)."""
    send(
        to=contact_user(proposal) or proposal.contact_email,
        prefix="proposals/email/confirmation",
        proposal=proposal,
        kind="proposals.confirmation",
        extra={"first": first},
        fallback_language=language_of(actor),
    )
