"""The co-submitting organisations: asking them, their decisions, and inviting a contact for
one that has none."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from deepdive.accounts.models import User
from deepdive.accounts.operations import language_of
from deepdive.core import audit
from deepdive.core.permissions import is_secretariat
from deepdive.directory.models import Affiliation, Organisation

from .. import access
from ..actions import ProposalAction
from ..models import CoSubmitter, Proposal
from . import emails
from .refusals import NotAllowed, NotWaiting
from .rules import check_open, judged_at


def verified_contacts(organisation: Organisation | None) -> QuerySet[User]:
    """The active people verified as contacts of ``organisation`` (nobody for ``None``, an
    organisation outside the directory)."""
    if organisation is None:
        return User.objects.none()
    return User.objects.filter(
        is_active=True,
        affiliations__organisation=organisation,
        affiliations__status=Affiliation.Status.VERIFIED,
    ).distinct()


def invite_co_submitters(*, proposal: Proposal, now: datetime) -> list[CoSubmitter]:
    """Ask every verified contact of each co-submitting organisation not yet asked; one with
    no verified contact stays not asked (``invited_at`` empty) until it has one."""
    invited = []
    rows = proposal.co_submitters.filter(
        organisation__isnull=False, status=CoSubmitter.Status.PENDING, invited_at__isnull=True
    ).select_related("organisation")
    for co in rows:
        contacts = list(verified_contacts(co.organisation))
        if not contacts:
            continue  # asked once it has one (``send_participation_reminders``)
        for contact in contacts:
            emails.send(
                to=contact,
                prefix="proposals/email/invitation",
                proposal=proposal,
                kind="proposals.invitation",
                extra={"co_submitter": co, "recipient": contact},
            )
        co.invited_at = now
        co.save(update_fields=["invited_at"])
        invited.append(co)
    return invited


def decide_participation(
    *, actor: User, co_submitter: CoSubmitter, confirm: bool, at: datetime | None = None
) -> CoSubmitter:
    """A verified contact of the co-submitting organisation confirms or declines taking part.

    A decision can be changed while the proposal is submitted and the call open (judged at
    ``at``, when the request arrived: ``judged_at``).
    Raises NotAllowed, NotWaiting, DeadlinePassed.
    Side effects: the CoSubmitter's status, decided_at, decided_by; audit entry
    "proposals.participation"; an e-mail to the proposal's contact.
    """
    moment = judged_at(at)
    with transaction.atomic():
        co = (
            CoSubmitter.objects.select_for_update(of=("self",))
            .select_related("proposal", "proposal__call", "organisation")
            .get(pk=co_submitter.pk)
        )
        if (
            not co.organisation_id
            or not access.organisations_of(actor).filter(pk=co.organisation_id).exists()
        ):
            raise NotAllowed
        if co.proposal.status != Proposal.Status.SUBMITTED or co.status not in (
            CoSubmitter.Status.PENDING,
            CoSubmitter.Status.CONFIRMED,
            CoSubmitter.Status.DECLINED,
        ):
            raise NotWaiting
        check_open(co.proposal.call, moment)
        new_status = CoSubmitter.Status.CONFIRMED if confirm else CoSubmitter.Status.DECLINED
        before = co.status
        co.status = new_status
        co.decided_at = moment
        co.decided_by = actor
        co.save(update_fields=["status", "decided_at", "decided_by"])
        audit.record(
            actor=actor,
            action=ProposalAction.PARTICIPATION,
            subject=co.proposal,
            summary=f"{co.organisation} {new_status}",
            changes={f"co_submitter:{co.organisation}": [before, new_status]},
        )
        if before != new_status:
            proposal = co.proposal
            emails.send(
                to=emails.contact_user(proposal) or proposal.contact_email,
                prefix="proposals/email/decision",
                proposal=proposal,
                kind="proposals.decision",
                extra={"co_submitter": co, "decided_by": actor},
                fallback_language=language_of(proposal.created_by),
            )
    co_submitter.status, co_submitter.decided_at = co.status, co.decided_at
    return co


def invite_contact(*, actor: User, co_submitter: CoSubmitter, email: str) -> CoSubmitter:
    """The secretariat invites ``email`` to sign up and become the contact of a co-submitting
    organisation that has no verified contact, so that someone can confirm its part.

    Once that person states their affiliation and it is verified, the organisation is asked
    like the others (``ask_late_co_submitters``, run with the reminders). Inviting the same
    address again (a double submit) changes nothing.

    Raises NotAllowed (not the secretariat), NotWaiting (not an organisation of the directory
    still to answer).
    Side effects: CoSubmitter ``contact_invited_email`` and ``contact_invited_at``; audit entry
    "proposals.contact_invited"; one e-mail to ``email`` with a link to sign up and to state
    the affiliation.
    """
    email = email.strip()
    if not is_secretariat(actor):
        raise NotAllowed
    with transaction.atomic():
        co = (
            CoSubmitter.objects.select_for_update(of=("self",))
            .select_related("proposal", "proposal__call", "proposal__lead_organisation")
            .select_related("organisation")
            .get(pk=co_submitter.pk)
        )
        if co.organisation is None or co.status != CoSubmitter.Status.PENDING:
            raise NotWaiting
        if co.contact_invited_email.casefold() == email.casefold():
            return co
        before = co.contact_invited_email
        co.contact_invited_email = email
        co.contact_invited_at = timezone.now()
        co.save(update_fields=["contact_invited_email", "contact_invited_at"])
        audit.record(
            actor=actor,
            action=ProposalAction.CONTACT_INVITED,
            subject=co.proposal,
            summary=f"{email} invited to be the contact of {co.organisation.name}",
            changes={f"contact_invited:{co.organisation}": [before, email]},
        )
        emails.send(
            to=email,
            prefix="proposals/email/contact_invitation",
            proposal=co.proposal,
            kind="proposals.contact_invitation",
            extra={
                "co_submitter": co,
                "signup_url": emails.absolute(reverse("account_signup")),
                "affiliations_url": emails.absolute(reverse("accounts:affiliations")),
            },
            fallback_language=language_of(co.proposal.created_by),
        )
    co_submitter.contact_invited_email = co.contact_invited_email
    co_submitter.contact_invited_at = co.contact_invited_at
    return co
