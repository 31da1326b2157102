"""A proposal's own life: created as a draft, saved, submitted (again), withdrawn."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone

from deepdive.accounts.models import User
from deepdive.core import audit
from deepdive.series.models import Call

from .. import access
from ..actions import ProposalAction
from ..models import Proposal
from . import emails, fields
from .co_submitters import invite_co_submitters
from .fields import ProposalData
from .near_duplicates import refresh_near_duplicates
from .refusals import Incomplete, NotAllowed, StaleVersion
from .reminders import REMINDER_AFTER, enqueue_reminders
from .rules import check_open, judged_at, submission_problems


class Saved(NamedTuple):
    proposal: Proposal
    changed: bool  # False when the post repeated what was already saved (a double click)
    submitted_now: bool  # draft or withdrawn → submitted by this save


def create_draft(
    *,
    actor: User,
    call: Call,
    data: ProposalData,
    creation_token: uuid.UUID | None = None,
    submit: bool = False,
    at: datetime | None = None,
) -> Saved:
    """Create a proposal to ``call`` led by ``data.lead_organisation`` (one of the actor's
    eligible organisations); submit it at once when ``submit``. The deadline is judged at
    ``at``, when the request arrived (``judged_at``).

    A second post of the same form (same ``creation_token``, a double click) does not create a
    second proposal: it saves onto the first as an edit from version 1 would.

    Raises NotAllowed, DeadlinePassed, Incomplete (when submitting), StaleVersion.
    Side effects: Proposal, its relations, Speaker, CoSubmitter and NearDuplicate rows; audit entry
    "proposals.create" (and "proposals.submit"); when submitted, the e-mails of ``save_proposal``.
    """
    moment = judged_at(at)
    with transaction.atomic():
        if creation_token is not None:
            existing = _by_token(creation_token)
            if existing is not None:
                return _save_locked(
                    actor=actor,
                    proposal=existing,
                    expected_version=1,
                    data=data,
                    submit=submit,
                    moment=moment,
                )
        if (
            not access.eligible_lead_organisations(actor, call)
            .filter(pk=data.lead_organisation.pk)
            .exists()
        ):
            raise NotAllowed
        check_open(call, moment)
        if submit:
            problems = submission_problems(call=call, data=data)
            if problems:
                raise Incomplete(problems)
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(
                    call=call,
                    created_by=actor,
                    lead_organisation=data.lead_organisation,
                    contact_name=data.contact_name.strip(),
                    contact_email=data.contact_email.strip(),
                    creation_token=creation_token,
                )
        except IntegrityError:
            # Another request with the same token committed first (PostgreSQL).
            existing = _by_token(creation_token) if creation_token is not None else None
            if existing is None:
                raise
            return _save_locked(
                actor=actor,
                proposal=existing,
                expected_version=1,
                data=data,
                submit=submit,
                moment=moment,
            )
        fields.write(proposal, data)
        audit.record(
            actor=actor,
            action=ProposalAction.CREATED,
            subject=proposal,
            summary=f"Draft proposal created for {call}",
            changes=fields.changes({}, fields.shown(proposal)),
        )
        if submit:
            _submit(
                actor=actor,
                proposal=proposal,
                before=fields.shown(proposal),
                first=True,
                moment=moment,
            )
            return Saved(proposal, True, True)
        return Saved(proposal, True, False)


def _by_token(token: uuid.UUID) -> Proposal | None:
    return (
        Proposal.objects.select_for_update(of=("self",), no_key=True)
        .select_related("call", "lead_organisation")
        .filter(creation_token=token)
        .first()
    )


def save_proposal(
    *,
    actor: User,
    proposal: Proposal,
    expected_version: int,
    data: ProposalData,
    submit: bool,
    at: datetime | None = None,
) -> Saved:
    """Save an edit of ``proposal`` made from ``expected_version``; submit it when ``submit``.
    The deadline is judged at ``at``, when the request arrived (``judged_at``).

    A submitted proposal stays submitted (a resubmission) and must stay complete. A post from
    an older version is refused (StaleVersion) unless it says exactly what is saved (a double
    click), in which case nothing changes. ``includes_pathfinder`` is recomputed.

    Raises NotAllowed, StaleVersion, DeadlinePassed, Incomplete.
    Side effects: the Proposal row (version + 1) and its relations, Speaker, CoSubmitter and
    NearDuplicate rows; audit entry "proposals.save", "proposals.submit" or
    "proposals.resubmit" with the changed fields; when submitted: a confirmation e-mail to
    the contact with a copy of the proposal, an invitation to each verified contact of every
    co-submitting organisation not yet invited, and a reminder task three days later.
    """
    moment = judged_at(at)
    with transaction.atomic():
        locked = (
            Proposal.objects.select_for_update(of=("self",), no_key=True)
            .select_related("call", "lead_organisation")
            .get(pk=proposal.pk)
        )
        result = _save_locked(
            actor=actor,
            proposal=locked,
            expected_version=expected_version,
            data=data,
            submit=submit,
            moment=moment,
        )
    _refresh(proposal, result.proposal)
    return result


def _refresh(target: Proposal, source: Proposal) -> None:
    for name in ("status", "version", "submitted_at", "withdrawn_at", "updated_at"):
        setattr(target, name, getattr(source, name))


def _save_locked(
    *,
    actor: User,
    proposal: Proposal,
    expected_version: int,
    data: ProposalData,
    submit: bool,
    moment: datetime,
) -> Saved:
    if not access.can_edit(actor, proposal):
        raise NotAllowed
    lead_changed = data.lead_organisation.pk != proposal.lead_organisation_id
    if (
        lead_changed
        and not access.eligible_lead_organisations(actor, proposal.call)
        .filter(pk=data.lead_organisation.pk)
        .exists()
    ):
        raise NotAllowed
    identical = fields.saved(proposal) == fields.entered(data)
    if proposal.version != expected_version and not identical:
        raise StaleVersion(proposal)
    submitted = proposal.status == Proposal.Status.SUBMITTED
    target = Proposal.Status.SUBMITTED if (submit or submitted) else Proposal.Status.DRAFT
    if identical and proposal.status == target:
        return Saved(proposal, False, False)
    check_open(proposal.call, moment)
    if target == Proposal.Status.SUBMITTED:
        problems = submission_problems(call=proposal.call, data=data)
        if problems:
            raise Incomplete(problems)
    before = fields.shown(proposal)
    proposal.version += 1
    fields.write(proposal, data)
    if target == Proposal.Status.SUBMITTED:
        _submit(actor=actor, proposal=proposal, before=before, first=not submitted, moment=moment)
        return Saved(proposal, True, not submitted)
    proposal.status = Proposal.Status.DRAFT
    proposal.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=ProposalAction.SAVED,
        subject=proposal,
        summary=f"Draft saved (version {proposal.version})",
        changes=fields.changes(before, fields.shown(proposal)),
    )
    return Saved(proposal, True, False)


def _submit(
    *, actor: User, proposal: Proposal, before: dict[str, Any], first: bool, moment: datetime
) -> None:
    """Submitted at ``moment``, the time the deadline was judged by (the request's arrival)."""
    now = timezone.now()
    proposal.status = Proposal.Status.SUBMITTED
    proposal.submitted_at = moment
    proposal.withdrawn_at = None
    proposal.save(update_fields=["status", "submitted_at", "withdrawn_at"])
    invited = invite_co_submitters(proposal=proposal, now=now)
    audit.record(
        actor=actor,
        action=ProposalAction.SUBMITTED if first else ProposalAction.RESUBMITTED,
        subject=proposal,
        summary=(
            f"Proposal submitted (version {proposal.version})"
            if first
            else f"Proposal resubmitted (version {proposal.version})"
        ),
        changes=fields.changes(before, fields.shown(proposal)),
    )
    emails.send_confirmation(actor=actor, proposal=proposal, first=first)
    if invited:
        transaction.on_commit(lambda: enqueue_reminders(at=now + REMINDER_AFTER))


def withdraw(
    *, actor: User, proposal: Proposal, expected_version: int, at: datetime | None = None
) -> Proposal:
    """Withdraw ``proposal`` from the call (it can be submitted again before the deadline).
    The deadline is judged at ``at``, when the request arrived (``judged_at``).

    Raises NotAllowed, StaleVersion, DeadlinePassed.
    Side effects: status withdrawn, withdrawn_at, version + 1; its NearDuplicate rows removed;
    audit entry "proposals.withdraw".
    A second withdrawal of a withdrawn proposal changes nothing.
    """
    moment = judged_at(at)
    with transaction.atomic():
        locked = (
            Proposal.objects.select_for_update(of=("self",), no_key=True)
            .select_related("call", "lead_organisation")
            .get(pk=proposal.pk)
        )
        if not access.can_edit(actor, locked):
            raise NotAllowed
        if locked.status == Proposal.Status.WITHDRAWN:
            _refresh(proposal, locked)
            return locked
        if locked.version != expected_version:
            raise StaleVersion(locked)
        check_open(locked.call, moment)
        before = locked.status
        locked.status = Proposal.Status.WITHDRAWN
        locked.withdrawn_at = moment
        locked.version += 1
        locked.save(update_fields=["status", "withdrawn_at", "version", "updated_at"])
        refresh_near_duplicates(proposal=locked)
        audit.record(
            actor=actor,
            action=ProposalAction.WITHDRAWN,
            subject=locked,
            summary="Proposal withdrawn",
            changes={"status": [before, locked.status]},
        )
    _refresh(proposal, locked)
    return locked
