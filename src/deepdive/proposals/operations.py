"""Every change of state of a proposal: write, then audit, then e-mail, in one transaction.

Each function takes keyword arguments only, runs in one transaction, re-checks the actor's
permission and the call's deadline on the server, and records an audit entry with what changed.
E-mails go through the outbox, in the recipient's language, once the transaction commits.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from deepdive.accounts.models import User
from deepdive.accounts.operations import language_of
from deepdive.core import audit
from deepdive.core.text import one_line
from deepdive.directory.models import Affiliation, Organisation
from deepdive.outbox.operations import queue_templated_email
from deepdive.reference.models import Country, Outcome, Sector, Theme
from deepdive.reference.queries import pathfinder_codes
from deepdive.series.models import Call

from . import access, duplicates
from .models import CoSubmitter, NearDuplicate, Proposal, Speaker
from .wordcount import count_words

log = logging.getLogger(__name__)

# First key of the PostgreSQL advisory lock that one call's near-duplicate pairs are rewritten
# under (the second is the call's id).
NEAR_DUPLICATES_LOCK = 8701

REMINDER_AFTER = timedelta(days=3)
# A request is judged at its arrival (``at``, stamped by the server's first middleware) only if
# it arrived at most this long ago; an older or future time is not believed, and now is used.
ARRIVAL_TRUSTED_FOR = timedelta(minutes=15)


# --- What a form hands to the operations ---------------------------------------------------


@dataclass(frozen=True)
class SpeakerData:
    name: str
    organisation: str = ""
    role: str = ""
    email: str = ""
    gender: str = ""

    def __post_init__(self):
        # One-line fields stay on one line whoever calls (a form, an import, a test).
        for name in ("name", "organisation", "role", "email"):
            object.__setattr__(self, name, one_line(getattr(self, name)))


@dataclass(frozen=True)
class ProposalData:
    """Everything a member enters about a proposal, already parsed by the form."""

    lead_organisation: Organisation
    contact_name: str = ""
    contact_email: str = ""
    title: str = ""
    description: str = ""
    outcomes: list[Outcome] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    sectors: list[Sector] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # ISO codes
    language: str = ""
    interpretation: list[str] = field(default_factory=list)
    preferred_months: list[int] = field(default_factory=list)
    unavailable_dates: str = ""
    speakers: list[SpeakerData] = field(default_factory=list)
    co_organisations: list[Organisation] = field(default_factory=list)
    unlisted_organisations: list[str] = field(default_factory=list)

    def __post_init__(self):
        # One-line fields stay on one line whoever calls: a line break in a title or a name
        # would split a line of the e-mails that quote it.
        for name in ("contact_name", "contact_email", "title"):
            object.__setattr__(self, name, one_line(getattr(self, name)))


class Saved(NamedTuple):
    proposal: Proposal
    changed: bool  # False when the post repeated what was already saved (a double click)
    submitted_now: bool  # draft or withdrawn → submitted by this save


# --- Refusals -------------------------------------------------------------------------------


class ProposalError(Exception):
    """A write the rules refuse; ``message`` is for the person."""

    message: Any = ""

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(ProposalError):
    message = _("You may not change this proposal.")


class DeadlinePassed(ProposalError):
    def __init__(self, call: Call, moment: datetime | None = None):
        self.call = call
        from deepdive.core.templatetags.deepdive import when

        self.message = _(
            "The call closed on %(when)s. Proposals can no longer be changed; what was saved "
            "before is kept."
        ) % {"when": when(call.closes_at, call.timezone)}
        if (moment or timezone.now()) < call.opens_at:
            self.message = _("The call opens on %(when)s.") % {
                "when": when(call.opens_at, call.timezone)
            }


class StaleVersion(ProposalError):
    """The form was opened at an older version: someone saved the proposal meanwhile."""

    def __init__(self, proposal: Proposal):
        self.proposal = proposal
        last = audit.history(proposal).first()
        self.saved_at = last.at if last else proposal.updated_at
        self.saved_by = str(last.actor) if last and last.actor else ""
        self.message = _(
            "Someone else saved this proposal at %(time)s (%(name)s); your changes were not saved."
        ) % {
            "time": timezone.localtime(self.saved_at).strftime("%H:%M"),
            "name": self.saved_by or _("unknown"),
        }


class Incomplete(ProposalError):
    """Submitting needs more: ``problems`` is {field: [messages]}."""

    message = _("The proposal cannot be submitted yet: complete the fields marked below.")

    def __init__(self, problems: dict[str, list[str]]):
        self.problems = problems


class NotWaiting(ProposalError):
    message = _("This proposal is not waiting for your organisation's decision.")


# --- Rules ----------------------------------------------------------------------------------


def description_problem(description: str, word_limit: int) -> str | None:
    """The message for a description over the call's limit, counted with ``count_words``."""
    words = count_words(description)
    if words > word_limit:
        return ngettext(
            "The description has %(words)s word; the limit is %(limit)s.",
            "The description has %(words)s words; the limit is %(limit)s.",
            words,
        ) % {"words": words, "limit": word_limit}
    return None


def submission_problems(*, call: Call, data: ProposalData) -> dict[str, list[str]]:
    """What a proposal still needs before it can be submitted, by form field."""
    problems: dict[str, list[str]] = {}

    def add(name: str, message) -> None:
        problems.setdefault(name, []).append(str(message))

    if not data.contact_name.strip():
        add("contact_name", _("Give the name of the contact person."))
    if not data.contact_email.strip():
        add("contact_email", _("Give the contact person's e-mail address."))
    if not data.title.strip():
        add("title", _("Give a tentative title."))
    if not data.outcomes:
        add("outcomes", _("Choose at least one Outcome."))
    if not data.themes:
        add("themes", _("Choose at least one theme."))
    if not data.description.strip():
        add("description", _("Describe the session."))
    else:
        over = description_problem(data.description, call.word_limit)
        if over:
            add("description", over)
    if not any(s.name.strip() for s in data.speakers):
        add("speakers", _("Name at least one proposed speaker."))
    return problems


def judged_at(at: datetime | None) -> datetime:
    """The moment a change is judged by: ``at``, when the request arrived (a time the server
    stamped, never one the client sent), if it is in the last ARRIVAL_TRUSTED_FOR; else now.

    Under load a request may wait minutes between its arrival and its processing: one that
    arrived before the deadline is accepted."""
    now = timezone.now()
    if at is None or at > now or at < now - ARRIVAL_TRUSTED_FOR:
        return now
    return at


def _check_open(call: Call, moment: datetime) -> None:
    if not call.is_open_at(moment):
        raise DeadlinePassed(call, moment)


# --- Snapshots: what a proposal says, to compare and to audit --------------------------------


def _snapshot(proposal: Proposal) -> dict[str, Any]:
    return {
        "lead_organisation": proposal.lead_organisation_id,
        "contact_name": proposal.contact_name,
        "contact_email": proposal.contact_email,
        "title": proposal.title,
        "description": proposal.description,
        "outcomes": sorted(proposal.outcomes.values_list("pk", flat=True)),
        "themes": sorted(proposal.themes.values_list("pk", flat=True)),
        "sectors": sorted(proposal.sectors.values_list("pk", flat=True)),
        "countries": sorted(proposal.countries.values_list("pk", flat=True)),
        "language": proposal.language,
        "interpretation": sorted(proposal.interpretation or []),
        "preferred_months": sorted(proposal.preferred_months or []),
        "unavailable_dates": proposal.unavailable_dates,
        "speakers": [
            (s.name, s.organisation, s.role, s.email, s.gender) for s in proposal.speakers.all()
        ],
        "co_organisations": sorted(
            proposal.co_submitters.filter(organisation__isnull=False).values_list(
                "organisation_id", flat=True
            )
        ),
        "unlisted_organisations": sorted(
            proposal.co_submitters.filter(organisation__isnull=True).values_list(
                "unlisted_name", flat=True
            )
        ),
    }


def _snapshot_of(data: ProposalData, lead_id: int) -> dict[str, Any]:
    return {
        "lead_organisation": lead_id,
        "contact_name": data.contact_name.strip(),
        "contact_email": data.contact_email.strip(),
        "title": data.title.strip(),
        "description": data.description.strip(),
        "outcomes": sorted({o.pk for o in data.outcomes}),
        "themes": sorted({t.pk for t in data.themes}),
        "sectors": sorted({s.pk for s in data.sectors}),
        "countries": sorted({c.upper() for c in data.countries}),
        "language": data.language,
        "interpretation": sorted(set(data.interpretation)),
        "preferred_months": sorted({int(m) for m in data.preferred_months}),
        "unavailable_dates": data.unavailable_dates.strip(),
        "speakers": [
            (s.name.strip(), s.organisation.strip(), s.role.strip(), s.email.strip(), s.gender)
            for s in data.speakers
            if s.name.strip()
        ],
        "co_organisations": sorted({o.pk for o in data.co_organisations if o.pk != lead_id}),
        "unlisted_organisations": sorted(_unlisted_names(data.unlisted_organisations)),
    }


def _unlisted_names(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())[:200]
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


def _readable(proposal: Proposal) -> dict[str, Any]:
    """The proposal as the audit trail shows it."""
    return {
        "status": proposal.status,
        "lead_organisation": str(proposal.lead_organisation),
        "contact_name": proposal.contact_name,
        "contact_email": proposal.contact_email,
        "title": proposal.title,
        "description": proposal.description,
        "outcomes": ", ".join(str(o.number) for o in proposal.outcomes.all()),
        "themes": ", ".join(t.code for t in proposal.themes.all()),
        "sectors": ", ".join(s.code for s in proposal.sectors.all()),
        "countries": ", ".join(sorted(proposal.countries.values_list("pk", flat=True))),
        "includes_pathfinder": str(proposal.includes_pathfinder),
        "language": proposal.language,
        "interpretation": ", ".join(proposal.interpretation or []),
        "preferred_months": ", ".join(str(m) for m in proposal.preferred_months or []),
        "unavailable_dates": proposal.unavailable_dates,
        "speakers": "; ".join(s.name for s in proposal.speakers.all()),
        "co_submitters": "; ".join(
            f"{co} ({co.status})" for co in proposal.co_submitters.select_related("organisation")
        ),
    }


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[str]]:
    return {
        key: [str(before.get(key, "")), str(value)]
        for key, value in after.items()
        if str(before.get(key, "")) != str(value)
    }


# --- Writing the fields ---------------------------------------------------------------------


def _write(proposal: Proposal, data: ProposalData) -> list[CoSubmitter]:
    """Copy ``data`` onto ``proposal`` (saved) and its relations; return new co-submitters."""
    proposal.lead_organisation = data.lead_organisation
    proposal.contact_name = data.contact_name.strip()
    proposal.contact_email = data.contact_email.strip()
    proposal.title = data.title.strip()
    proposal.description = data.description.strip()
    proposal.language = data.language
    proposal.interpretation = sorted(set(data.interpretation))
    proposal.preferred_months = sorted({int(m) for m in data.preferred_months})
    proposal.unavailable_dates = data.unavailable_dates.strip()
    codes = {c.upper() for c in data.countries}
    proposal.includes_pathfinder = bool(codes & pathfinder_codes())
    proposal.save()
    proposal.outcomes.set(data.outcomes)
    proposal.themes.set(data.themes)
    proposal.sectors.set(data.sectors)
    proposal.countries.set(Country.objects.filter(pk__in=codes))
    _write_speakers(proposal, data.speakers)
    # Written proposals are drafts or submitted (the caller sets the status after): counted.
    refresh_near_duplicates(proposal=proposal, counted=True)
    return _write_co_submitters(proposal, data)


def _write_speakers(proposal: Proposal, speakers: list[SpeakerData]) -> None:
    """Speakers in the order given; existing rows are updated in place, extra ones removed."""
    wanted = [s for s in speakers if s.name.strip()]
    existing = list(proposal.speakers.order_by("order", "id"))
    for order, entry in enumerate(wanted):
        values = {
            "name": entry.name.strip(),
            "organisation": entry.organisation.strip(),
            "role": entry.role.strip(),
            "email": entry.email.strip(),
            "gender": entry.gender,
            "order": order,
        }
        if order < len(existing):
            speaker = existing[order]
            for key, value in values.items():
                setattr(speaker, key, value)
            speaker.save()
        else:
            Speaker.objects.create(proposal=proposal, **values)
    Speaker.objects.filter(pk__in=[s.pk for s in existing[len(wanted) :]]).delete()


def _write_co_submitters(proposal: Proposal, data: ProposalData) -> list[CoSubmitter]:
    """Keep the rows of organisations still listed (with their decisions), add new ones."""
    wanted = {o.pk: o for o in data.co_organisations if o.pk != proposal.lead_organisation_id}
    rows = list(proposal.co_submitters.all())
    listed = {co.organisation_id: co for co in rows if co.organisation_id}
    CoSubmitter.objects.filter(
        pk__in=[co.pk for org_id, co in listed.items() if org_id not in wanted]
    ).delete()
    confirm_needed = proposal.call.co_submitters_must_confirm
    new = []
    for org_id, organisation in wanted.items():
        if org_id not in listed:
            new.append(
                CoSubmitter.objects.create(
                    proposal=proposal,
                    organisation=organisation,
                    status=(
                        CoSubmitter.Status.PENDING
                        if confirm_needed
                        else CoSubmitter.Status.CONFIRMED
                    ),
                )
            )
    names = _unlisted_names(data.unlisted_organisations)
    unlisted = {co.unlisted_name.casefold(): co for co in rows if not co.organisation_id}
    keep = {name.casefold() for name in names}
    CoSubmitter.objects.filter(
        pk__in=[co.pk for key, co in unlisted.items() if key not in keep]
    ).delete()
    for name in names:
        if name.casefold() not in unlisted:
            CoSubmitter.objects.create(
                proposal=proposal, unlisted_name=name, status=CoSubmitter.Status.UNLISTED
            )
    return new


# --- Create, save, withdraw -----------------------------------------------------------------


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
        _check_open(call, moment)
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
            existing = _by_token(creation_token)
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
        _write(proposal, data)
        audit.record(
            actor=actor,
            action="proposals.create",
            subject=proposal,
            summary=f"Draft proposal created for {call}",
            changes=_changes({}, _readable(proposal)),
        )
        if submit:
            _submit(
                actor=actor,
                proposal=proposal,
                before=_readable(proposal),
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
    identical = _snapshot(proposal) == _snapshot_of(data, data.lead_organisation.pk)
    if proposal.version != expected_version and not identical:
        raise StaleVersion(proposal)
    submitted = proposal.status == Proposal.Status.SUBMITTED
    target = Proposal.Status.SUBMITTED if (submit or submitted) else Proposal.Status.DRAFT
    if identical and proposal.status == target:
        return Saved(proposal, False, False)
    _check_open(proposal.call, moment)
    if target == Proposal.Status.SUBMITTED:
        problems = submission_problems(call=proposal.call, data=data)
        if problems:
            raise Incomplete(problems)
    before = _readable(proposal)
    proposal.version += 1
    _write(proposal, data)
    if target == Proposal.Status.SUBMITTED:
        _submit(actor=actor, proposal=proposal, before=before, first=not submitted, moment=moment)
        return Saved(proposal, True, not submitted)
    proposal.status = Proposal.Status.DRAFT
    proposal.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="proposals.save",
        subject=proposal,
        summary=f"Draft saved (version {proposal.version})",
        changes=_changes(before, _readable(proposal)),
    )
    return Saved(proposal, True, False)


def _submit(
    *, actor: User, proposal: Proposal, before: dict, first: bool, moment: datetime
) -> None:
    """Submitted at ``moment``, the time the deadline was judged by (the request's arrival)."""
    now = timezone.now()
    proposal.status = Proposal.Status.SUBMITTED
    proposal.submitted_at = moment
    proposal.withdrawn_at = None
    proposal.save(update_fields=["status", "submitted_at", "withdrawn_at"])
    invited = _invite_co_submitters(proposal=proposal, now=now)
    audit.record(
        actor=actor,
        action="proposals.submit" if first else "proposals.resubmit",
        subject=proposal,
        summary=(
            f"Proposal submitted (version {proposal.version})"
            if first
            else f"Proposal resubmitted (version {proposal.version})"
        ),
        changes=_changes(before, _readable(proposal)),
    )
    _send_confirmation(actor=actor, proposal=proposal, first=first)
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
        _check_open(locked.call, moment)
        before = locked.status
        locked.status = Proposal.Status.WITHDRAWN
        locked.withdrawn_at = moment
        locked.version += 1
        locked.save(update_fields=["status", "withdrawn_at", "version", "updated_at"])
        refresh_near_duplicates(proposal=locked)
        audit.record(
            actor=actor,
            action="proposals.withdraw",
            subject=locked,
            summary="Proposal withdrawn",
            changes={"status": [before, locked.status]},
        )
    _refresh(proposal, locked)
    return locked


# --- Co-submitting organisations ------------------------------------------------------------


def verified_contacts(organisation: Organisation):
    return User.objects.filter(
        is_active=True,
        affiliations__organisation=organisation,
        affiliations__status=Affiliation.Status.VERIFIED,
    ).distinct()


def _invite_co_submitters(*, proposal: Proposal, now: datetime) -> list[CoSubmitter]:
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
            _email(
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
        _check_open(co.proposal.call, moment)
        new_status = CoSubmitter.Status.CONFIRMED if confirm else CoSubmitter.Status.DECLINED
        before = co.status
        co.status = new_status
        co.decided_at = moment
        co.decided_by = actor
        co.save(update_fields=["status", "decided_at", "decided_by"])
        audit.record(
            actor=actor,
            action="proposals.participation",
            subject=co.proposal,
            summary=f"{co.organisation} {new_status}",
            changes={f"co_submitter:{co.organisation}": [before, new_status]},
        )
        if before != new_status:
            proposal = co.proposal
            _email(
                to=_contact_user(proposal) or proposal.contact_email,
                prefix="proposals/email/decision",
                proposal=proposal,
                kind="proposals.decision",
                extra={"co_submitter": co, "decided_by": actor},
                fallback_language=language_of(proposal.created_by),
            )
    co_submitter.status, co_submitter.decided_at = co.status, co.decided_at
    return co


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
                _email(
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
                action="proposals.reminders",
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
                asked += _invite_co_submitters(proposal=proposal, now=now)
        if asked:
            audit.record(
                actor=None,
                action="proposals.late_invitations",
                summary=f"{len(asked)} co-submitting organisation(s) asked once they had a contact",
                changes={"co_submitters": [str(co.pk) for co in asked]},
            )
            transaction.on_commit(lambda: enqueue_reminders(at=now + REMINDER_AFTER))
    return len(asked)


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
    if not getattr(actor, "is_secretariat", False):
        raise NotAllowed
    with transaction.atomic():
        co = (
            CoSubmitter.objects.select_for_update(of=("self",))
            .select_related("proposal", "proposal__call", "proposal__lead_organisation")
            .select_related("organisation")
            .get(pk=co_submitter.pk)
        )
        if not co.organisation_id or co.status != CoSubmitter.Status.PENDING:
            raise NotWaiting
        if co.contact_invited_email.casefold() == email.casefold():
            return co
        before = co.contact_invited_email
        co.contact_invited_email = email
        co.contact_invited_at = timezone.now()
        co.save(update_fields=["contact_invited_email", "contact_invited_at"])
        audit.record(
            actor=actor,
            action="proposals.contact_invited",
            subject=co.proposal,
            summary=f"{email} invited to be the contact of {co.organisation.name}",
            changes={f"contact_invited:{co.organisation}": [before, email]},
        )
        _email(
            to=email,
            prefix="proposals/email/contact_invitation",
            proposal=co.proposal,
            kind="proposals.contact_invitation",
            extra={
                "co_submitter": co,
                "signup_url": _absolute(reverse("account_signup")),
                "affiliations_url": _absolute(reverse("accounts:affiliations")),
            },
            fallback_language=language_of(co.proposal.created_by),
        )
    co_submitter.contact_invited_email = co.contact_invited_email
    co_submitter.contact_invited_at = co.contact_invited_at
    return co


def ask_once_a_contact_is_verified(affiliation: Affiliation) -> int:
    """Registered with accounts: an organisation that waited for a contact is asked as soon
    as one is verified, not at the next run of the reminders (``ask_late_co_submitters``)."""
    return ask_late_co_submitters()


def enqueue_reminders(*, at: datetime) -> bool:
    """Run ``send_participation_reminders`` at ``at`` through the task backend; False when the
    backend cannot defer (then the ``send_participation_reminders`` command does it)."""
    from .tasks import send_participation_reminders as task

    if not task.get_backend().supports_defer:
        log.info("Task backend cannot defer; run `deepdive send_participation_reminders`.")
        return False
    task.using(run_after=at).enqueue()
    return True


# --- E-mails --------------------------------------------------------------------------------


def _contact_user(proposal: Proposal) -> User | None:
    return User.objects.filter(email__iexact=proposal.contact_email).first()


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _email(
    *,
    to: User | str,
    prefix: str,
    proposal: Proposal,
    kind: str,
    extra: dict | None = None,
    fallback_language: str | None = None,
) -> None:
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
            "view_url": _absolute(reverse("proposals:view", kwargs={"pk": proposal.pk})),
            "edit_url": _absolute(reverse("proposals:edit", kwargs={"pk": proposal.pk})),
            "take_part_url": _absolute(reverse("proposals:take_part", kwargs={"pk": proposal.pk})),
            **(extra or {}),
        },
        language=language,
        kind=kind,
        related=proposal,
    )


def _send_confirmation(*, actor: User, proposal: Proposal, first: bool) -> None:
    """The copy of the proposal to its contact, in their language (the submitter's when the
    contact has no account)."""
    _email(
        to=_contact_user(proposal) or proposal.contact_email,
        prefix="proposals/email/confirmation",
        proposal=proposal,
        kind="proposals.confirmation",
        extra={"first": first},
        fallback_language=language_of(actor),
    )


# --- Directory merges -----------------------------------------------------------------------


def move_to_merged_organisation(source: Organisation, target: Organisation) -> None:
    """A merge step of the directory: proposals of ``source`` now belong to ``target``.

    Side effects: Proposal.lead_organisation and CoSubmitter.organisation rows updated; a
    co-submission of ``target`` to its own proposal, or a second one to the same proposal, is
    dropped.
    """
    Proposal.objects.filter(lead_organisation=source).update(lead_organisation=target)
    for co in CoSubmitter.objects.filter(organisation=source).select_related("proposal"):
        duplicate = (
            co.proposal.lead_organisation_id == target.pk
            or CoSubmitter.objects.filter(proposal=co.proposal, organisation=target).exists()
        )
        if duplicate:
            co.delete()
        else:
            co.organisation = target
            co.save(update_fields=["organisation"])


# --- Near duplicates ------------------------------------------------------------------------


def _one_rewrite_of_pairs_at_a_time(*, call_id: int) -> None:
    """Two submissions at once would delete and insert each other's pairs in opposite orders,
    a deadlock on PostgreSQL (SQLite already writes one transaction at a time). The lock lasts
    until the transaction ends. Proposals are locked ``no_key``, so the pairs' foreign keys to
    another proposal being saved at that moment never wait for it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [NEAR_DUPLICATES_LOCK, call_id])


def refresh_near_duplicates(*, proposal: Proposal, counted: bool | None = None) -> int:
    """Work out again the near duplicates of ``proposal`` (as saved) against the other
    proposals of its call that are not withdrawn: one pass over the call, linear in its size.
    ``counted`` says whether the proposal itself takes part (by default: unless withdrawn).
    Runs inside the caller's transaction; returns the number of pairs kept.

    Side effects: the proposal's NearDuplicate rows replaced (none when it is withdrawn). No
    audit entry: the pairs are worked out from what is audited.
    """
    if counted is None:
        counted = proposal.status != Proposal.Status.WITHDRAWN
    _one_rewrite_of_pairs_at_a_time(call_id=proposal.call_id)
    NearDuplicate.objects.filter(a=proposal).delete()
    NearDuplicate.objects.filter(b=proposal).delete()
    if not counted:
        return 0
    others = (
        Proposal.objects.filter(call_id=proposal.call_id)
        .exclude(pk=proposal.pk)
        .exclude(status=Proposal.Status.WITHDRAWN)
        .values_list("pk", "title", "description")
    )
    found = duplicates.matches((proposal.pk, proposal.title, proposal.description), others)
    NearDuplicate.objects.bulk_create(
        [
            NearDuplicate(
                call_id=proposal.call_id,
                a_id=min(proposal.pk, other),
                b_id=max(proposal.pk, other),
                similarity=score,
            )
            for other, score in found
        ],
        ignore_conflicts=True,  # the same pair stored meanwhile by the other's change
    )
    return len(found)


def fill_near_duplicates(*, call: Call) -> int:
    """Work out again every near-duplicate pair of ``call`` (for data written before the
    pairs were kept, or after a change of the rules in ``duplicates``); returns their number.

    Side effects: the call's NearDuplicate rows replaced, in one transaction.
    """
    rows = (
        Proposal.objects.filter(call=call)
        .exclude(status=Proposal.Status.WITHDRAWN)
        .order_by("pk")
        .values_list("pk", "title", "description")
    )
    found = duplicates.near_duplicates(rows)
    pairs = {
        (pk, other): score for pk, others in found.items() for other, score in others if pk < other
    }
    with transaction.atomic():
        _one_rewrite_of_pairs_at_a_time(call_id=call.pk)
        NearDuplicate.objects.filter(call=call).delete()
        NearDuplicate.objects.bulk_create(
            NearDuplicate(call=call, a_id=a, b_id=b, similarity=score)
            for (a, b), score in pairs.items()
        )
    return len(pairs)
