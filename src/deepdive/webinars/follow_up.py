"""The follow-up e-mails after a held webinar, drafted for the secretariat's approval.

After an attendance import (``attendance.service.import_attendance`` calls
``draft_follow_up``), two kinds of e-mail are drafted into the outbox, *held*, one per person,
in their language and zone:

- "thanks" (``THANKS``) to each attendee with an e-mail address, registered or not (hosts,
  panelists and speakers are not attendees): the recording (or "it will follow"), the
  materials they may see and their own feedback link (``feedback.feedback_url``);
- "what you missed" (``MISSED``) to each registrant still registered who did not attend
  (either session), once their own session (the webinar's first one or its repeat) has
  ended and its attendance was imported: the recording and the materials.

Each kind is ONE outbox batch per webinar (``batch_label``), so the secretariat reads and
approves them together on the batch's page. Nobody is drafted twice: a message of the same
kind about the same webinar to the same address, whatever its status (held, sent, discarded
by the secretariat), means the person is skipped; a rerun or a second import drafts only the
people who are new. When a later import (a corrected file, the repeat session's report) shows
that a registrant told "what you missed" came after all, their message still waiting for
approval is withdrawn (``outbox.operations.withdraw_held``: whoever may draft the follow-up may
take back its own untrue draft) and they are thanked instead; one already sent cannot be unsent
and is left.

Consent: the follow-up is about the webinar the person registered for or attended, so it is
sent whatever they answered to "may be contacted about the series" (``consents_to_contact``,
which is about the series' other news); the project has no opt-out list. Cancelled
registrations get nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deepdive.accounts.models import User
from deepdive.accounts.operations import language_of
from deepdive.core import audit, changes
from deepdive.core.permissions import require
from deepdive.core.refusals import Refused
from deepdive.core.timezones import is_valid_zone
from deepdive.outbox.models import OutboxMessage
from deepdive.outbox.operations import queue_templated_email, withdraw_held

from . import invitations, queries, sessions
from .actions import WebinarAction
from .feedback import feedback_url
from .models import Attendance, Material, Recording, Registration, Webinar

THANKS = "follow_up.thanks"
MISSED = "follow_up.missed"
TEMPLATES = {THANKS: "webinars/email/follow_up_thanks", MISSED: "webinars/email/follow_up_missed"}


class FollowUpRefused(Refused):
    """The follow-up cannot be drafted now (the webinar was not held)."""


@dataclass(frozen=True)
class FollowUpDrafts:
    """What ``draft_follow_up`` drafted: how many of each kind, in which batch, and how many
    people it skipped because they were drafted before."""

    thanks: int
    missed: int
    thanks_batch: str
    missed_batch: str
    skipped: int = 0
    withdrawn: int = 0  # held "what you missed" discarded: the person came after all

    @property
    def drafted(self) -> int:
        return self.thanks + self.missed


def batch_label(webinar: Webinar, kind: str) -> str:
    """The outbox batch of ``kind`` for ``webinar``: English, as every batch label (it is
    stored); the webinar's number comes first so that a long title cut at 120 characters
    never makes two webinars share a batch."""
    what = "thanks to attendees" if kind == THANKS else "what you missed, to registrants"
    return f"Webinar {webinar.pk} follow-up, {what}: {webinar.title}"


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _account_of(address: str) -> User | None:
    """The account whose VERIFIED address is ``address`` (an attendee who did not register):
    anyone may type someone else's address, so an unverified one decides nothing."""
    if not address:
        return None
    return (
        User.objects.filter(
            emailaddress__email__iexact=address, emailaddress__verified=True, is_active=True
        )
        .order_by("pk")
        .first()
    )


@dataclass(frozen=True)
class _Person:
    address: str
    name: str
    language: str
    zone: str
    start: datetime | None
    user: User | None


def _from_registration(registration: Registration, webinar: Webinar) -> _Person:
    registration.webinar = webinar
    return _Person(
        address=invitations.address_of(registration),
        name=invitations.name_of(registration),
        language=invitations.language_for(registration),
        zone=invitations.zone_for(registration),
        start=registration.session.starts_at,
        user=registration.user,
    )


def _from_attendance(attendance: Attendance, webinar: Webinar) -> _Person:
    # The session they attended, which may not be the one they registered for.
    start = attendance.repeat.starts_at if attendance.repeat is not None else webinar.starts_at
    if attendance.registration is not None:
        person = _from_registration(attendance.registration, webinar)
        # The address the person attended with, when the report gave one.
        return _Person(
            address=attendance.email or person.address,
            name=person.name or attendance.name,
            language=person.language,
            zone=person.zone,
            start=start,
            user=person.user,
        )
    account = _account_of(attendance.email)
    zone = getattr(account, "timezone", "")
    return _Person(
        address=attendance.email,
        name=attendance.name or (account.get_full_name() if account is not None else ""),
        language=language_of(account) if account is not None else settings.LANGUAGE_CODE,
        zone=zone if is_valid_zone(zone) else queries.reference_zone(webinar.call),
        start=start,
        user=account,
    )


def _materials_for(person: _Person, materials: list[Material]) -> list[dict[str, Any]]:
    """The materials ``person`` may open, as links: the public ones, and the members' ones
    for a verified member. The hosts' own files are never in a follow-up."""
    member = queries.is_verified_member(person.user or AnonymousUser())
    shown = [
        m
        for m in materials
        if m.visibility == Material.Visibility.PUBLIC
        or (m.visibility == Material.Visibility.MEMBERS and member)
    ]
    return [
        {
            "title": m.title,
            "url": _site(reverse("webinars:material", kwargs={"pk": m.pk})),
            "members_only": m.visibility == Material.Visibility.MEMBERS,
        }
        for m in shown
    ]


def _messages(webinar: Webinar, kind: str) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(
        kind=kind,
        content_type=ContentType.objects.get_for_model(Webinar),
        object_id=str(webinar.pk),
    )


def _already_drafted(webinar: Webinar, kind: str) -> set[str]:
    """The addresses (lower case) that have a message of ``kind`` about ``webinar``, in any
    status: held, sent, failed or discarded by the secretariat alike."""
    addresses = _messages(webinar, kind).values_list("to_email", flat=True)
    return {address.lower() for address in addresses}


def _context(
    person: _Person, webinar: Webinar, recordings: list[Recording], materials: list[Material]
) -> dict[str, Any]:
    return {
        "name": person.name,
        "title": webinar.title,
        "start": person.start,
        "zone": person.zone,
        "webinar_url": invitations.webinar_url(webinar),
        # The player is on the webinar's page (nothing loads from the provider before a click).
        "has_recording": bool(recordings),
        "materials": _materials_for(person, materials),
    }


def draft_follow_up(*, actor: User | None, webinar: Webinar) -> FollowUpDrafts:
    """Draft the thanks and "what you missed" e-mails of a held webinar, held for approval,
    one per person not drafted before (see the module).

    Refused: neither a host nor the secretariat (PermissionDenied); a webinar not held
    (``FollowUpRefused``). Side effects: one held outbox message per new person, in the
    batch of its kind (``batch_label``); the held "what you missed" to people who came
    after all withdrawn (``outbox.operations.withdraw_held``, its own audit
    entry each); one audit entry ("webinars.follow_up_drafted", counts only) when anything
    was drafted or discarded. Nothing is sent until the secretariat approves.
    """
    # None: the platform (the attendance command line drafts after its import).
    require(queries.hosts_or_secretariat(actor, webinar, platform=True))
    now = timezone.now()
    with transaction.atomic():
        # Two imports at once: the second waits here, then finds the first one's drafts.
        webinar = changes.locked(Webinar, pk=webinar.pk)
        if not sessions.is_held(webinar, now):
            raise FollowUpRefused(_("The follow-up is drafted once the webinar has been held."))
        recordings = list(webinar.recordings.filter(published_at__isnull=False))
        materials = list(webinar.materials.order_by("uploaded_at", "pk"))
        batches = {kind: batch_label(webinar, kind) for kind in TEMPLATES}
        counts = {THANKS: 0, MISSED: 0}
        skipped = 0

        attended = list(
            Attendance.objects.filter(webinar=webinar).select_related(
                "registration__user", "repeat"
            )
        )
        # The sessions whose report was imported (None: the first): a registrant of another
        # one is not told they missed it on the strength of the other session's report.
        reported = {a.repeat_id for a in attended}
        came = {a.registration_id for a in attended if a.registration_id}
        came_addresses = {a.email.lower() for a in attended if a.email} | {
            invitations.address_of(a.registration).lower()
            for a in attended
            if a.registration is not None
        }
        withdrawn = _withdraw_missed(actor, webinar, came_addresses)
        thanks_to: list[tuple[_Person, Attendance]] = []
        for each in attended:
            if each.counted_as_host:
                continue
            if each.registration is not None and each.registration.status == (
                Registration.Status.CANCELLED
            ):
                # They attended all the same: thank them at the report's address only.
                each.registration = None
            thanks_to.append((_from_attendance(each, webinar), each))

        missed_to: list[_Person] = []
        registered = (
            Registration.objects.filter(webinar=webinar, status=Registration.Status.REGISTERED)
            .exclude(pk__in=came)
            .select_related("user", "repeat")
        )
        for registration in registered:
            person = _from_registration(registration, webinar)
            ends = registration.session.ends_at
            if ends is None or ends > now or registration.repeat_id not in reported:
                continue  # their session is still to come, or its report is not imported yet
            if person.address.lower() in came_addresses:
                continue  # they came after all (with another registration, or the other session)
            missed_to.append(person)

        drafted = {kind: _already_drafted(webinar, kind) for kind in TEMPLATES}
        for kind, person, attendance in [(THANKS, p, a) for p, a in thanks_to] + [
            (MISSED, p, None) for p in missed_to
        ]:
            address = person.address.lower()
            if not address:
                continue  # a name without an address: nowhere to write
            if address in drafted[kind]:
                skipped += 1
                continue
            context = _context(person, webinar, recordings, materials)
            if attendance is not None:
                context["feedback_url"] = feedback_url(attendance)
            queue_templated_email(
                to=person.address,
                template_prefix=TEMPLATES[kind],
                context=context,
                language=person.language,
                kind=kind,
                related=webinar,
                hold=True,
                batch=batches[kind],
            )
            drafted[kind].add(address)
            counts[kind] += 1

        if counts[THANKS] or counts[MISSED] or withdrawn:
            summary = (
                f"Follow-up drafted for approval: {counts[THANKS]} thanks, "
                f"{counts[MISSED]} what you missed"
            )
            if withdrawn:
                summary += f"; {withdrawn} what you missed withdrawn (they came)"
            audit.record(
                actor=actor,
                action=WebinarAction.FOLLOW_UP_DRAFTED,
                subject=webinar,
                summary=summary,
            )
    return FollowUpDrafts(
        thanks=counts[THANKS],
        missed=counts[MISSED],
        thanks_batch=batches[THANKS],
        missed_batch=batches[MISSED],
        skipped=skipped,
        withdrawn=withdrawn,
    )


def _withdraw_missed(actor: User | None, webinar: Webinar, came: set[str]) -> int:
    """Withdraw the held "what you missed" messages to addresses (lower case) in ``came``:
    the report shows those people attended. Sent ones are left (they cannot be unsent).
    Returns how many were withdrawn."""
    stale = [
        message
        for message in _messages(webinar, MISSED).filter(status=OutboxMessage.Status.HELD)
        if message.to_email.lower() in came
    ]
    reason = "they attended after all"
    return sum(withdraw_held(actor=actor, message=m, reason=reason) for m in stale)
