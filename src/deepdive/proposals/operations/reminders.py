"""The organisations that have not answered: reminded three days after they were asked, and
asked late once they have a verified contact."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from deepdive.core import audit
from deepdive.directory.models import Affiliation

from .. import tasks
from ..actions import ProposalAction
from ..models import CoSubmitter, Proposal
from . import emails
from .co_submitters import invite_co_submitters, verified_contacts

log = logging.getLogger(__name__)

REMINDER_AFTER = timedelta(days=3)


def send_participation_reminders(*, now: datetime | None = None) -> int:
    """Remind the contacts of co-submitting organisations still pending three days after the
    invitation, once. Returns how many organisations were reminded.

    Side effects: one e-mail per verified contact of each such organisation; CoSubmitter
    ``reminded_at``; one audit entry "proposals.reminders" when any were sent. First, the
    organisations never asked because they had no verified contact, and that have one now,
    are asked (``ask_late_co_submitters``).
    """
    now = now or timezone.now()
    ask_late_co_submitters(now=now)
    with transaction.atomic():
        due = (
            CoSubmitter.objects.select_for_update(of=("self",))
            .filter(
                status=CoSubmitter.Status.PENDING,
                organisation__isnull=False,
                invited_at__lte=now - REMINDER_AFTER,
                reminded_at__isnull=True,
                proposal__status=Proposal.Status.SUBMITTED,
            )
            .select_related("proposal", "proposal__call", "organisation")
        )
        reminded = []
        for co in due:
            if not co.proposal.call.is_open_at(now):
                continue
            for contact in verified_contacts(co.organisation):
                emails.send(
                    to=contact,
                    prefix="proposals/email/reminder",
                    proposal=co.proposal,
                    kind="proposals.reminder",
                    extra={"co_submitter": co, "recipient": contact},
                )
            co.reminded_at = now
            co.save(update_fields=["reminded_at"])
            reminded.append(co)
        if reminded:
            audit.record(
                actor=None,
                action=ProposalAction.REMINDERS,
                summary=f"Participation reminders sent to {len(reminded)} organisation(s)",
                changes={"co_submitters": [str(co.pk) for co in reminded]},
            )
    return len(reminded)


def ask_late_co_submitters(*, now: datetime | None = None) -> int:
    """Ask the co-submitting organisations of submitted proposals, to calls still open, that
    were never asked because they had no verified contact and now have one (a contact the
    secretariat invited signed up and was verified). Returns how many were asked.

    Side effects: the invitation e-mail to each of their verified contacts; CoSubmitter
    ``invited_at``; one audit entry "proposals.late_invitations" when any were asked; the
    reminder three days later (``enqueue_reminders``) on commit.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ids = set(
            CoSubmitter.objects.filter(
                proposal__status=Proposal.Status.SUBMITTED,
                status=CoSubmitter.Status.PENDING,
                organisation__isnull=False,
                invited_at__isnull=True,
                organisation__affiliations__status=Affiliation.Status.VERIFIED,
                organisation__affiliations__user__is_active=True,
            ).values_list("proposal_id", flat=True)
        )
        waiting = (
            Proposal.objects.select_for_update(of=("self",), no_key=True)
            .filter(pk__in=ids)
            .select_related("call", "lead_organisation")
            .order_by("pk")
        )
        asked = []
        for proposal in waiting:
            if proposal.call.is_open_at(now):
                asked += invite_co_submitters(proposal=proposal, now=now)
        if asked:
            audit.record(
                actor=None,
                action=ProposalAction.LATE_INVITATIONS,
                summary=f"{len(asked)} co-submitting organisation(s) asked once they had a contact",
                changes={"co_submitters": [str(co.pk) for co in asked]},
            )
            transaction.on_commit(lambda: enqueue_reminders(at=now + REMINDER_AFTER))
    return len(asked)


def ask_once_a_contact_is_verified(affiliation: Affiliation) -> int:
    """Registered with accounts: an organisation that waited for a contact is asked as soon
    as one is verified, not at the next run of the reminders (``ask_late_co_submitters``)."""
    return ask_late_co_submitters()


def enqueue_reminders(*, at: datetime) -> bool:
    """Run ``send_participation_reminders`` at ``at`` through the task backend; False when the
    backend cannot defer (then the ``send_participation_reminders`` command does it)."""
    task = tasks.send_participation_reminders
    if not task.get_backend().supports_defer:
        log.info("Task backend cannot defer; run `deepdive send_participation_reminders`.")
        return False
    task.using(run_after=at).enqueue()
    return True
