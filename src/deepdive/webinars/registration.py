"""Registering for a webinar and cancelling: the services behind the webinar page's buttons.

Who may register: a signed-in, active person whose e-mail address is verified; for a
members-only webinar, also a verified contact of an Alliance 8.7 partner. Only published
webinars that have not ended take registrations. A registration e-mail in the person's language
carries the calendar invitation (METHOD:REQUEST); later changes of time reach registrants
through the timetable's publication (``timetable.operations.publish``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from deepdive.accounts.models import User
from deepdive.accounts.operations import language_of
from deepdive.core import audit
from deepdive.core.permissions import is_secretariat
from deepdive.core.refusals import Refused
from deepdive.core.timezones import is_valid_zone
from deepdive.outbox.operations import queue_templated_email

from . import queries
from .actions import WebinarAction
from .interfaces import calendar
from .models import Registration, Webinar
from .queries import refusal


class RegistrationRefused(Refused):
    """The person may not register; the message says why, in plain words."""


def zone_of(user: User, webinar: Webinar) -> str:
    """The zone to write times in for ``user``: theirs, else the series' reference zone."""
    zone = getattr(user, "timezone", "")
    return zone if is_valid_zone(zone) else queries.reference_zone(webinar.call)


def _webinar_url(webinar: Webinar) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("webinars:detail", kwargs={"pk": webinar.pk})


def _email(registration: Registration, *, prefix: str, invitation: bool) -> None:
    user, webinar = registration.user, registration.webinar
    if webinar.starts_at is None:  # ``refusal`` lets no one register before publication
        raise RegistrationRefused(_("This webinar is not on the programme yet."))
    zone = zone_of(user, webinar)
    attachments = (
        [
            calendar.invitation_attachment(
                webinar, attendee_email=user.email, attendee_name=user.name
            )
        ]
        if invitation
        else []
    )
    queue_templated_email(
        to=user.email,
        template_prefix=f"webinars/email/{prefix}",
        context={
            "user": user,
            "webinar": webinar,
            "title": webinar.title,
            "local": queries.zone_time(webinar.starts_at, webinar.minutes, zone),
            "zone": zone,
            "webinar_url": _webinar_url(webinar),
            "joining_url": webinar.joining_url,
        },
        language=language_of(user),
        kind=prefix,
        related=registration,
        attachments=attachments,
    )


def register(*, actor: User, webinar: Webinar) -> Registration:
    """Register ``actor`` for ``webinar`` (or re-activate their cancelled registration).

    Registering twice (a double submit) keeps the one registration and sends nothing more.
    Raises ``RegistrationRefused`` when they may not (see ``refusal``).

    Side effects: one Registration row created or set back to registered; one audit entry
    "webinars.registered"; one e-mail to ``actor`` in their language with the calendar
    invitation (text/calendar, METHOD:REQUEST) attached. Nothing when already registered.
    """
    reason = refusal(actor, webinar)
    if reason:
        raise RegistrationRefused(reason)
    try:
        with transaction.atomic():
            registration, created = Registration.objects.select_for_update().get_or_create(
                webinar=webinar, user=actor
            )
            if not created and registration.status == Registration.Status.REGISTERED:
                return registration
            if not created:
                registration.status = Registration.Status.REGISTERED
                registration.save(update_fields=["status", "updated_at"])
            audit.record(
                actor=actor,
                action=WebinarAction.REGISTERED,
                subject=registration,
                summary=f"{actor.email} registered for webinar {webinar.pk}: {webinar.title}"
                + ("" if created else " (again, after cancelling)"),
            )
            registration.webinar = webinar
            _email(registration, prefix="registered", invitation=True)
            return registration
    except IntegrityError:
        # A concurrent submit created it first: that one sent the e-mail.
        return Registration.objects.get(webinar=webinar, user=actor)


def cancel(*, actor: User, registration: Registration) -> Registration:
    """Cancel ``registration``: by the person registered (or the secretariat).

    Cancelling a cancelled registration changes nothing. Raises ``RegistrationRefused`` for
    anyone else.

    Side effects: the Registration's status becomes cancelled; one audit entry
    "webinars.registration_cancelled"; one e-mail to the person confirming it, in their
    language. Later changes of time are no longer sent to them.
    """
    if registration.user_id != actor.pk and not is_secretariat(actor):
        raise RegistrationRefused(_("This is not your registration."))
    with transaction.atomic():
        locked = (
            Registration.objects.select_for_update()
            .select_related("user", "webinar__proposal__call")
            .get(pk=registration.pk)
        )
        if locked.status == Registration.Status.CANCELLED:
            return locked
        locked.status = Registration.Status.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action=WebinarAction.REGISTRATION_CANCELLED,
            subject=locked,
            summary=f"{locked.user.email} cancelled their registration for webinar "
            f"{locked.webinar_id}: {locked.webinar.title}",
        )
        _email(locked, prefix="cancelled", invitation=False)
    return locked
