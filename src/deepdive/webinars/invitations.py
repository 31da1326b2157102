"""Each registrant's own calendar e-mail (RFC 5545 files, RFC 5546 methods, ``icalendar``):
the invitation (METHOD:REQUEST, an ATTENDEE line for them, RSVP), its updates when a published
webinar's time, link, platform or dial-in changed (same UID, the raised SEQUENCE), and the
cancellation (METHOD:CANCEL, same UID, a SEQUENCE above the last one they got). The MIME part
is ``text/calendar; method=…`` with the file's own method, as calendar programs require.

Every e-mail is in the registrant's language (``registration.language``, else their account's)
with times in their zone (``registration.timezone``, else their account's, else the series'
reference zone). The file's times are in UTC; the event's zone is noted in X-WR-TIMEZONE.

Everything is about the registration's own session (``Registration.session``: the webinar's
first session or its repeat): its UID, start, end and SEQUENCE.

These functions queue e-mails (``outbox``): the message rows are written in the caller's
transaction and delivered once it commits, so a rolled-back change sends nothing. Each sets
``Registration.sequence_sent`` to the SEQUENCE it sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse

from deepdive.accounts.operations import language_of
from deepdive.core.timezones import is_valid_zone
from deepdive.outbox.models import OutboxMessage
from deepdive.outbox.operations import queue_templated_email

from . import queries, sessions
from .interfaces import calendar
from .models import Registration, RepeatSession, Webinar
from .sessions import Session

# Statuses of a registration that holds a seat and so gets the invitation and its updates.
INVITED = (Registration.Status.REGISTERED,)


def address_of(registration: Registration) -> str:
    """Where the registrant's e-mails go: the registration's address, else their account's."""
    user = registration.user
    return registration.email or (user.email if user is not None else "")


def name_of(registration: Registration) -> str:
    user = registration.user
    return registration.name or (user.get_full_name() if user is not None else "")


def language_for(registration: Registration) -> str:
    """The registrant's language: the registration's, else their account's, else the site's."""
    if registration.language:
        return registration.language
    if registration.user is not None:
        return language_of(registration.user)
    return settings.LANGUAGE_CODE


def zone_for(registration: Registration) -> str:
    """The registrant's zone: the registration's, else their account's, else the series'."""
    for zone in (registration.timezone, getattr(registration.user, "timezone", "")):
        if zone and is_valid_zone(zone):
            return zone
    return queries.reference_zone(registration.webinar.call)


def webinar_url(webinar: Webinar) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("webinars:detail", kwargs={"pk": webinar.pk})


def context_for(
    registration: Registration, *, session: Session | None = None, **extra: Any
) -> dict[str, Any]:
    """What the registrant's e-mails show: their name, the title, the time of their session
    (``session``, else the registration's) in their zone (``local``, a ``queries.ZoneTime``;
    ``start`` and ``zone`` for the ``when`` filter), the session's name when the webinar has a
    repeat, the webinar's page and its joining link (registrants only).

    The webinar's repeat is read through ``webinar.repeat``, cached on the webinar: a batch
    reads it with the registrations (``select_related("webinar__repeat")``) or shares one
    webinar among them, never one query per registrant."""
    webinar = registration.webinar
    session = session or registration.session
    zone = zone_for(registration)
    return {
        "user": registration.user,
        "name": name_of(registration),
        "webinar": webinar,
        "title": webinar.title,
        "local": (
            queries.zone_time(session.starts_at, webinar.minutes, zone)
            if session.starts_at
            else None
        ),
        "start": session.starts_at,
        "session_label": sessions.label(session)
        if isinstance(session, RepeatSession) or sessions.published_repeat(webinar)
        else "",
        "zone": zone,
        "webinar_url": webinar_url(webinar),
        "joining_url": webinar.joining_url,
        **extra,
    }


def email(
    registration: Registration,
    *,
    prefix: str,
    attachment: dict[str, str] | None = None,
    kind: str = "",
    session: Session | None = None,
    **extra: Any,
) -> OutboxMessage:
    """Queue the e-mail ``templates/webinars/email/<prefix>`` to the registrant, in their
    language, about ``session`` (else their registration's), with ``attachment`` (a calendar
    part) when given."""
    return queue_templated_email(
        to=address_of(registration),
        template_prefix=f"webinars/email/{prefix}",
        context=context_for(registration, session=session, **extra),
        language=language_for(registration),
        kind=kind or prefix,
        related=registration,
        attachments=[attachment] if attachment else [],
    )


def _invitation_part(registration: Registration, sequence: int) -> dict[str, str]:
    webinar = registration.webinar
    return calendar.invitation_attachment(
        webinar,
        attendee_email=address_of(registration),
        attendee_name=name_of(registration),
        sequence=sequence,
        zone=queries.reference_zone(webinar.call),
        session=registration.session,
    )


def _sent(registration: Registration, sequence: int) -> None:
    Registration.objects.filter(pk=registration.pk).update(sequence_sent=sequence)
    registration.sequence_sent = sequence


def send_invitation(*, registration: Registration, prefix: str = "registered") -> None:
    """Queue the registrant's invitation (``prefix``: the e-mail's templates) with their
    calendar file for their session, METHOD:REQUEST, SEQUENCE the session's (or the last one
    they got, if a cancellation raised theirs above it).

    Side effects: one e-mail queued; ``registration.sequence_sent`` set."""
    sequence = max(registration.session.sequence, registration.sequence_sent)
    with transaction.atomic():
        email(registration, prefix=prefix, attachment=_invitation_part(registration, sequence))
        _sent(registration, sequence)


def update_recipients(
    webinar: Webinar, repeat: RepeatSession | None = None
) -> QuerySet[Registration]:
    """The registrations that get the updates of a session (the webinar's first session, or
    ``repeat``): registered for it, with an active account or none (a public registrant), in
    order of their address."""
    return (
        webinar.registrations.filter(status__in=INVITED)
        .filter(Q(repeat__isnull=True) if repeat is None else Q(repeat=repeat))
        .filter(Q(user__isnull=True) | Q(user__is_active=True))
        .select_related("user", "webinar__proposal__call", "webinar__repeat", "repeat")
        .order_by("email", "user__email", "pk")
    )


def send_updates(
    *, webinar: Webinar, repeat: RepeatSession | None = None, old_start: datetime | None = None
) -> int:
    """Queue the updated invitation (METHOD:REQUEST, the session's current, raised
    ``sequence``) to every person registered for a session after its time, or the webinar's
    joining link, platform or dial-in changed: without ``repeat`` the webinar's first session,
    with it that repeat session. ``old_start``: the time before, shown beside the new one
    when the time changed. Returns how many were queued.

    Side effects: one e-mail (kind "time_changed") per registered person;
    ``sequence_sent`` of each set."""
    session: Session = repeat if repeat is not None else webinar
    sessions.repeat_of(webinar)  # read once here: every registrant's e-mail shares ``webinar``
    count = 0
    with transaction.atomic():
        for registration in update_recipients(webinar, repeat):
            registration.webinar = webinar
            if repeat is not None:
                registration.repeat = repeat
            sequence = max(session.sequence, registration.sequence_sent)
            email(
                registration,
                prefix="updated",
                kind="time_changed",
                attachment=_invitation_part(registration, sequence),
                old_start=old_start if old_start != session.starts_at else None,
            )
            _sent(registration, sequence)
            count += 1
    return count


def had_invitation(registration: Registration) -> bool:
    """Whether an invitation (a METHOD:REQUEST part) was queued to this registration."""
    return OutboxMessage.objects.filter(
        content_type=ContentType.objects.get_for_model(Registration),
        object_id=registration.pk,
        attachments__icontains="method=REQUEST",
    ).exists()


def cancellation_part(registration: Registration, session: Session | None = None) -> dict[str, str]:
    """The METHOD:CANCEL part for the registrant's ``session`` (else their registration's):
    its UID, SEQUENCE above any they got (and at least the session's); ``sequence_sent`` set
    to it."""
    webinar = registration.webinar
    session = session or registration.session
    sequence = max(session.sequence, registration.sequence_sent + 1)
    part = calendar.cancellation_attachment(
        webinar,
        attendee_email=address_of(registration),
        attendee_name=name_of(registration),
        sequence=sequence,
        session=session,
    )
    _sent(registration, sequence)
    return part


def send_cancellation(
    *, registration: Registration, prefix: str = "cancelled", session: Session | None = None
) -> None:
    """Queue METHOD:CANCEL to one person (their registration was cancelled, or they changed
    to the other session): the UID of ``session`` (else their registration's), a raised
    SEQUENCE; their calendar removes the event. ``prefix``: the e-mail's templates.

    Side effects: one e-mail queued; ``registration.sequence_sent`` raised."""
    with transaction.atomic():
        email(
            registration,
            prefix=prefix,
            session=session,
            attachment=cancellation_part(registration, session),
        )
