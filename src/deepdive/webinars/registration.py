"""Registering for a webinar, the waiting list and cancelling: the services behind the webinar
page's buttons, the public registration form and each registrant's signed link.

Who may register: for a members-only webinar, a signed-in, active, verified member (one
click); for a public webinar, also anyone with a name and an e-mail address, confirmed by a
signed link (``pending`` until then; no account needed). Only published webinars that have not
started and are not cancelled take registrations, one per e-mail address.

Sessions: a webinar with a published repeat (``sessions``) has two occurrences; a registration
is for one of them (``Registration.repeat``, empty for the first), chosen when registering and
changed from the signed link (``change_session``). Capacity, the waiting list, the seat offers
and the closing at the start apply to each session on its own.

Capacity: ``registered`` and ``offered`` registrations hold a seat. When the session is full a
registration joins the waiting list; a freed seat is offered to the first in line, who has
``WEBINAR_OFFER_HOURS`` (a setting, default 48) to confirm, never past the start; an expired
offer passes on (``expire_offers``, a periodic job). Every seat is counted inside the
transaction that holds the webinar's row lock (for both sessions), so no session is ever over
capacity.

Each registrant has a signed link (``manage_token``, the page ``webinars:my_registration``) to
see the registration, change the answers or cancel without logging in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deepdive.accounts.models import User
from deepdive.core import audit, changes
from deepdive.core.permissions import Actor, is_secretariat, require_secretariat
from deepdive.core.refusals import Refused
from deepdive.core.timezones import is_valid_zone
from deepdive.series.models import Series

from . import invitations, queries, sessions
from .actions import WebinarAction
from .models import Registration, RegistrationQuestions, RepeatSession, Webinar
from .queries import refusal
from .sessions import Session

Status = Registration.Status
SEATED = (Status.REGISTERED, Status.OFFERED)
ACTIVE = (Status.PENDING, Status.REGISTERED, Status.WAITING, Status.OFFERED)
ANSWER_FIELDS = (
    "organisation",
    "organisation_name",
    "country",
    "partner_type",
    "sex",
    "interpretation_needs",
    "consents_to_contact",
)
MANAGE_SALT = "deepdive.webinars.registration.manage"
CONFIRM_SALT = "deepdive.webinars.registration.confirm"
CONFIRM_DAYS = 7


class RegistrationRefused(Refused):
    """The person may not register; the message says why, in plain words."""


def offer_hours() -> int:
    return int(getattr(settings, "WEBINAR_OFFER_HOURS", 48))


def zone_of(person: User | Registration | None, webinar: Webinar) -> str:
    """The zone to write times in for ``person``: theirs, else the series' reference zone."""
    zone = getattr(person, "timezone", "")
    return zone if is_valid_zone(zone) else queries.reference_zone(webinar.call)


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _webinar_url(webinar: Webinar) -> str:
    return _site(reverse("webinars:detail", kwargs={"pk": webinar.pk}))


# ------------------------------------------------------------------------ signed links


def manage_token(registration: Registration) -> str:
    """The signed token of ``registration``'s own page (no expiry: valid while it exists)."""
    return signing.dumps({"r": registration.pk}, salt=MANAGE_SALT, compress=True)


def manage_url(registration: Registration) -> str:
    return _site(reverse("webinars:my_registration", kwargs={"token": manage_token(registration)}))


def confirm_token(registration: Registration) -> str:
    """The signed token confirming a public registrant's address (valid ``CONFIRM_DAYS``)."""
    return signing.dumps({"c": registration.pk}, salt=CONFIRM_SALT, compress=True)


def confirm_url(registration: Registration) -> str:
    return _site(
        reverse("webinars:confirm_registration", kwargs={"token": confirm_token(registration)})
    )


def registration_for(token: str) -> Registration:
    """The registration a signed management token names; ``RegistrationRefused`` when the
    token was changed or the registration no longer exists."""
    try:
        data = signing.loads(token, salt=MANAGE_SALT)
        return Registration.objects.select_related("webinar__proposal__call__series", "user").get(
            pk=data["r"]
        )
    except (signing.BadSignature, Registration.DoesNotExist, KeyError, TypeError) as exc:
        raise RegistrationRefused(_("This link is not valid.")) from exc


# ------------------------------------------------------------------------ e-mails


def _email(registration: Registration, *, prefix: str, invitation: bool) -> None:
    """The registrant's e-mail ``webinars/email/<prefix>``, in their language and zone
    (``invitations``): with ``invitation`` their calendar invitation (METHOD:REQUEST); a
    "cancelled" e-mail carries METHOD:CANCEL when they had the invitation."""
    webinar = registration.webinar
    if webinar.starts_at is None:  # ``refusal`` lets no one register before publication
        raise RegistrationRefused(_("This webinar is not on the programme yet."))
    if invitation:
        invitations.send_invitation(registration=registration, prefix=prefix)
    elif prefix == "cancelled" and invitations.had_invitation(registration):
        invitations.send_cancellation(registration=registration, prefix=prefix)
    else:
        invitations.email(registration, prefix=prefix)


def _invite(registration: Registration) -> None:
    invitations.send_invitation(registration=registration)


def _uninvite(registration: Registration) -> None:
    _email(registration, prefix="cancelled", invitation=False)


def _own_email(registration: Registration, prefix: str, **context: Any) -> None:
    """One of this module's own e-mails (confirm the address, a seat offered, on the list),
    with the registrant's signed link."""
    invitations.email(registration, prefix=prefix, manage_url=manage_url(registration), **context)


def _after_commit(registration: Registration, was: str) -> None:
    """The e-mails a change of status from ``was`` sends, once the transaction commits."""
    now = registration.status
    if now == was:
        return
    if now == Status.REGISTERED:
        transaction.on_commit(lambda: _invite(registration))
    elif now == Status.CANCELLED and was == Status.REGISTERED:
        transaction.on_commit(lambda: _uninvite(registration))
    elif now == Status.OFFERED:
        transaction.on_commit(
            lambda: _own_email(registration, "seat_offered", expires=registration.offer_expires_at)
        )
    elif now == Status.WAITING:
        transaction.on_commit(lambda: _own_email(registration, "waiting_list"))
    elif now == Status.PENDING:
        transaction.on_commit(
            lambda: _own_email(
                registration, "confirm_address", confirm_url=confirm_url(registration)
            )
        )


# ------------------------------------------------------------------------ rules


def closed(webinar: Webinar, *, now: datetime | None = None, session: Session | None = None) -> str:
    """Why ``webinar`` takes no registration now (anyone), or "": for ``session`` (the
    webinar's first session or its repeat) when given, else for any of its sessions (open
    while one has not started)."""
    now = now or timezone.now()
    if webinar.state == Webinar.State.CANCELLED or webinar.cancelled_at:
        return _("This webinar is cancelled: it takes no registrations.")
    if not webinar.is_published or webinar.starts_at is None:
        return _("This webinar is not on the programme yet.")
    repeat = sessions.published_repeat(webinar)
    if session is None:
        if repeat is not None and repeat.starts_at and repeat.starts_at > now:
            return ""
        session = webinar
    if isinstance(session, RepeatSession) and not session.is_published:
        return _("This session is no longer offered.")
    if session.starts_at is None or session.starts_at <= now:
        if repeat is None and not isinstance(session, RepeatSession):
            return _("This webinar has started: registration is closed.")
        return _("This session has started: registration is closed.")
    return ""


def _of_session(repeat: RepeatSession | None) -> Q:
    return Q(repeat__isnull=True) if repeat is None else Q(repeat=repeat)


def seats_taken(webinar: Webinar, repeat: RepeatSession | None = None) -> int:
    """The seats taken in the webinar's first session, or in ``repeat``."""
    return Registration.objects.filter(
        _of_session(repeat), webinar=webinar, status__in=SEATED
    ).count()


def is_full(webinar: Webinar, repeat: RepeatSession | None = None) -> bool:
    """Whether a new registration for the session would join its waiting list."""
    return _status_for_new(webinar, repeat) == Status.WAITING


def _status_for_new(webinar: Webinar, repeat: RepeatSession | None = None) -> str:
    """Registered when a seat of the session is free and no one waits for it; else its
    waiting list. Call it with the webinar's row locked."""
    if webinar.capacity is None:
        return Status.REGISTERED
    waiting = Registration.objects.filter(
        _of_session(repeat), webinar=webinar, status=Status.WAITING
    ).exists()
    if waiting or seats_taken(webinar, repeat) >= webinar.capacity:
        return Status.WAITING
    return Status.REGISTERED


def _session_under_lock(webinar: Webinar, repeat: RepeatSession | None) -> Session:
    """The chosen session read again once the webinar's row is locked (a repeat may have been
    cancelled or moved meanwhile); ``RegistrationRefused`` for another webinar's repeat."""
    if repeat is None:
        return webinar
    fresh = RepeatSession.objects.filter(pk=repeat.pk, webinar=webinar).first()
    if fresh is None:
        raise RegistrationRefused(errors={"session": [_("This session is no longer offered.")]})
    return fresh


def _check_open(webinar: Webinar, session: Session, *, now: datetime | None = None) -> None:
    reason = closed(webinar, session=session, now=now)
    if reason:
        if sessions.published_repeat(webinar) is not None and not closed(webinar, now=now):
            raise RegistrationRefused(errors={"session": [reason]})
        raise RegistrationRefused(reason)


@dataclass(frozen=True)
class SessionOption:
    """A session a person may choose (``key`` "first" or "repeat"), and whether it is full
    (registering joins its waiting list)."""

    session: Session
    key: str
    label: str
    is_full: bool


def session_options(webinar: Webinar, *, now: datetime | None = None) -> list[SessionOption]:
    """The sessions open for registration when the webinar has a published repeat (empty
    without one: there is nothing to choose), first session first."""
    if sessions.published_repeat(webinar) is None:
        return []
    return [
        SessionOption(
            session=session,
            key=sessions.key(session),
            label=sessions.label(session),
            is_full=is_full(webinar, session if isinstance(session, RepeatSession) else None),
        )
        for session in sessions.published_sessions(webinar)
        if not closed(webinar, session=session, now=now)
    ]


def _lock(webinar: Webinar) -> Webinar:
    """The webinar's row, locked: every count of seats happens while it is held."""
    return changes.locked(Webinar, pk=webinar.pk)


def _record(actor: Actor | None, registration: Registration, status: str, summary: str) -> None:
    action = {
        Status.REGISTERED: WebinarAction.REGISTERED,
        Status.WAITING: WebinarAction.JOINED_WAITING_LIST,
        Status.PENDING: WebinarAction.REGISTRATION_PENDING,
        Status.OFFERED: WebinarAction.SEAT_OFFERED,
        Status.CANCELLED: WebinarAction.REGISTRATION_CANCELLED,
    }[Status(status)]
    audit.record(actor=actor, action=action, subject=registration, summary=summary)


def _clean_answers(answers: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (answers or {}).items() if k in ANSWER_FIELDS}


# ------------------------------------------------------------------------ services


def register(
    *,
    actor: User,
    webinar: Webinar,
    answers: dict[str, Any] | None = None,
    repeat: RepeatSession | None = None,
) -> Registration:
    """Register ``actor`` for ``webinar`` in one click (or re-activate their cancelled
    registration): for its first session, or for its published ``repeat`` when they chose it;
    when that session is full, they join its waiting list.

    Registering twice (a double submit) keeps the one registration and sends nothing more.
    A registration made without an account with the actor's address and still waiting for
    that address to be confirmed becomes theirs (their account's address is verified, so is
    the registration's; its answers kept), then goes to the chosen session's seat or waiting
    list like a new one.
    Raises ``RegistrationRefused`` when they may not (see ``queries.refusal`` and ``closed``;
    beside the field "session" when the chosen session has started or is no longer offered).

    Side effects: one Registration row created, set back to registered/waiting, or taken over
    (pending, without an account), with the actor's e-mail, name, language and time zone; one
    audit entry ("webinars.registered" or "webinars.joined_waiting_list"); after the commit,
    the invitation e-mail when registered (``invitations.send_invitation``), a waiting-list
    e-mail otherwise.
    """
    reason = refusal(actor, webinar) or closed(webinar)
    if reason:
        raise RegistrationRefused(reason)
    try:
        with transaction.atomic():
            locked = _lock(webinar)
            session = _session_under_lock(locked, repeat)
            _check_open(locked, session)
            chosen = session if isinstance(session, RepeatSession) else None
            registration = (
                Registration.objects.select_for_update()
                .filter(Q(user=actor) | Q(email__iexact=actor.email), webinar=locked)
                .first()
            )
            # Their own unconfirmed registration without an account (same address, which
            # their account has verified): it becomes theirs below, answers kept.
            taken_over = (
                registration is not None
                and registration.status == Status.PENDING
                and registration.user_id is None
            )
            if registration is not None and registration.status in ACTIVE and not taken_over:
                return registration
            created = registration is None
            was = registration.status if registration else ""
            if registration is None:
                registration = Registration(webinar=locked, user=actor)
            registration.user = actor
            registration.email = actor.email
            registration.name = actor.name
            registration.language = actor.language
            registration.timezone = actor.timezone
            # The account's address is verified (``refusal``): so is the registration's.
            registration.email_verified_at = registration.email_verified_at or timezone.now()
            registration.offer_expires_at = None
            registration.repeat = chosen
            for name, value in _clean_answers(answers).items():
                setattr(registration, name, value)
            registration.status = _status_for_new(locked, chosen)
            registration.save()
            _record(
                actor,
                registration,
                registration.status,
                f"{actor.email} registered for webinar {locked.pk}: {locked.title}"
                + (" (repeat session)" if chosen else "")
                + (
                    ""
                    if created
                    else " (their registration without an account, unconfirmed)"
                    if taken_over
                    else " (again, after cancelling)"
                )
                + (" (waiting list)" if registration.status == Status.WAITING else ""),
            )
            registration.webinar = locked
            _after_commit(registration, was)
            return registration
    except IntegrityError:
        # A concurrent submit created it first: that one sent the e-mail.
        return Registration.objects.get(webinar=webinar, user=actor)


def register_public(
    *,
    webinar: Webinar,
    name: str,
    email: str,
    language: str = "",
    zone: str = "",
    answers: dict[str, Any] | None = None,
    repeat: RepeatSession | None = None,
) -> Registration:
    """Register a person without an account for a public ``webinar`` (its first session, or
    its published ``repeat`` when chosen): pending until they confirm their address by the
    signed link e-mailed to them (``confirm``).

    Raises ``RegistrationRefused`` for a members-only, cancelled, unpublished or started
    webinar or session ("session"), and (beside the field "email") for an address already
    registered.

    Side effects: one Registration row (pending) created, or a cancelled one of that address
    re-opened; one audit entry "webinars.registration_pending"; after the commit, one e-mail
    to the address with the confirmation link (``CONFIRM_DAYS`` valid).
    """
    email = email.strip()
    if webinar.members_only:
        raise RegistrationRefused(
            _(
                "This webinar is for Alliance 8.7 members only: registering needs a verified "
                "affiliation to a member organisation."
            )
        )
    with transaction.atomic():
        locked = _lock(webinar)
        session = _session_under_lock(locked, repeat)
        _check_open(locked, session)
        registration = (
            Registration.objects.select_for_update()
            .filter(webinar=locked, email__iexact=email)
            .first()
        )
        if registration is not None and registration.status != Status.CANCELLED:
            raise RegistrationRefused(
                errors={"email": [_("This address is already registered for this webinar.")]}
            )
        if registration is None:
            registration = Registration(webinar=locked, email=email)
        registration.name = name.strip()
        registration.language = language if language in dict(settings.LANGUAGES) else ""
        registration.timezone = zone if is_valid_zone(zone) else ""
        registration.status = Status.PENDING
        registration.offer_expires_at = None
        registration.repeat = session if isinstance(session, RepeatSession) else None
        for field, value in _clean_answers(answers).items():
            setattr(registration, field, value)
        registration.save()
        _record(
            None,
            registration,
            Status.PENDING,
            f"Public registration for webinar {locked.pk} waits for its address to be confirmed",
        )
        registration.webinar = locked
        _after_commit(registration, "")
    return registration


def confirm(*, token: str, now: datetime | None = None) -> Registration:
    """Confirm a public registrant's address by the signed link: registered, or on the
    waiting list when the webinar is full. Confirming twice changes nothing.

    Raises ``RegistrationRefused`` for a changed or expired link, or a webinar that has
    started or is cancelled.

    Side effects: the registration's ``email_verified_at`` and status; one audit entry;
    after the commit, the invitation (registered) or the waiting-list e-mail.
    """
    now = now or timezone.now()
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=timedelta(days=CONFIRM_DAYS))
        pk = data["c"]
    except signing.SignatureExpired as exc:
        raise RegistrationRefused(
            _("This confirmation link has expired. Please register again.")
        ) from exc
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise RegistrationRefused(_("This link is not valid.")) from exc
    with transaction.atomic():
        webinar_pk = Registration.objects.filter(pk=pk).values_list("webinar", flat=True).first()
        if webinar_pk is None:
            raise RegistrationRefused(_("This link is not valid."))
        locked = changes.locked(Webinar, pk=webinar_pk)
        registration = changes.locked(Registration, pk=pk)
        if registration.status != Status.PENDING:
            if registration.status == Status.CANCELLED:
                raise RegistrationRefused(_("This registration was cancelled."))
            return registration
        reason = closed(locked, now=now, session=_session_under_lock(locked, registration.repeat))
        if reason:
            raise RegistrationRefused(reason)
        registration.email_verified_at = now
        registration.status = _status_for_new(locked, registration.repeat)
        registration.save(update_fields=["email_verified_at", "status", "updated_at"])
        _record(
            None,
            registration,
            registration.status,
            f"Public registrant confirmed their address for webinar {locked.pk}: {locked.title}",
        )
        registration.webinar = locked
        _after_commit(registration, Status.PENDING)
    return registration


def _offer_seats(
    webinar: Webinar, *, now: datetime, repeat: RepeatSession | None = None
) -> list[Registration]:
    """Offer the free seats of a session (the first, or ``repeat``) to the first in its line
    (the webinar's row locked). Offers end after ``offer_hours()``, never past the session's
    start; none once it has started."""
    session: Session = webinar if repeat is None else repeat
    if session.starts_at is None or session.starts_at <= now:
        return []
    if webinar.state == Webinar.State.CANCELLED or getattr(session, "cancelled_at", None):
        return []
    waiting = Registration.objects.filter(
        _of_session(repeat), webinar=webinar, status=Status.WAITING
    )
    # Without a limit (the secretariat removed it) everyone waiting is offered a seat.
    if webinar.capacity is None:
        free = waiting.count()
    else:
        free = webinar.capacity - seats_taken(webinar, repeat)
    if free <= 0:
        return []
    expires = min(now + timedelta(hours=offer_hours()), session.starts_at)
    offered = list(waiting.select_for_update().order_by("created_at", "pk")[:free])
    for registration in offered:
        registration.status = Status.OFFERED
        registration.offer_expires_at = expires
        registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
        _record(
            None,
            registration,
            Status.OFFERED,
            f"Seat of webinar {webinar.pk} offered until {expires.isoformat()}",
        )
        registration.webinar = webinar
        registration.repeat = repeat
        _after_commit(registration, Status.WAITING)
    return offered


def _offer_all_seats(webinar: Webinar, *, now: datetime) -> None:
    """Offer the free seats of each session (the webinar's row locked)."""
    _offer_seats(webinar, now=now)
    repeat = sessions.repeat_of(webinar)
    if repeat is not None:
        _offer_seats(webinar, now=now, repeat=repeat)


def _cancel(actor: Actor | None, registration: Registration, *, now: datetime) -> Registration:
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=registration.webinar_id)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status == Status.CANCELLED:
            return locked
        was = locked.status
        locked.status = Status.CANCELLED
        locked.offer_expires_at = None
        locked.save(update_fields=["status", "offer_expires_at", "updated_at"])
        _record(
            actor,
            locked,
            Status.CANCELLED,
            f"{locked.email} cancelled their registration for webinar "
            f"{webinar.pk}: {webinar.title}",
        )
        locked.webinar = webinar
        _after_commit(locked, was)
        if was in SEATED:
            _offer_seats(webinar, now=now, repeat=locked.repeat)
    return locked


def cancel(*, actor: User, registration: Registration) -> Registration:
    """Cancel ``registration``: by the person registered (or the secretariat).

    Cancelling a cancelled registration changes nothing. Raises ``RegistrationRefused`` for
    anyone else.

    Side effects: the Registration's status becomes cancelled; one audit entry
    "webinars.registration_cancelled"; after the commit, the cancellation e-mail when they
    were registered (``invitations.send_cancellation``); the freed seat offered to the first
    in line (see ``_offer_seats``).
    """
    if registration.user_id != actor.pk and not is_secretariat(actor):
        raise RegistrationRefused(_("This is not your registration."))
    return _cancel(actor, registration, now=timezone.now())


def cancel_by_link(*, token: str) -> Registration:
    """Cancel the registration a signed management link names (no login). As ``cancel``."""
    return _cancel(None, registration_for(token), now=timezone.now())


def change_session(
    *, token: str, repeat: RepeatSession | None, now: datetime | None = None
) -> Registration:
    """Move the registration of the signed management link to the other session of its
    webinar (``repeat``, or ``None`` for the first session), no login needed. Changing to the
    session it already has changes nothing.

    Raises ``RegistrationRefused`` for a cancelled registration, a session of theirs that has
    started, and (beside the field "session") a session that has started or is no longer
    offered.

    Side effects: ``repeat`` and the status (registered when the new session has a seat, else
    its waiting list; a pending registrant stays pending); one audit entry
    "webinars.session_changed"; after the commit, to a registered person the CANCEL of the
    former session's event (its UID; e-mail "session_changed") then the invitation of the new
    one, or the waiting-list e-mail; the seat freed in the former session offered to the
    first in its line (``_offer_seats``).
    """
    now = now or timezone.now()
    registration = registration_for(token)
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=registration.webinar_id)
        locked = changes.locked(Registration, pk=registration.pk)
        locked.webinar = webinar
        if locked.status == Status.CANCELLED:
            raise RegistrationRefused(_("This registration was cancelled."))
        target = _session_under_lock(webinar, repeat)
        target_repeat = target if isinstance(target, RepeatSession) else None
        if locked.repeat_id == (target_repeat.pk if target_repeat else None):
            return locked
        former = locked.session
        former_repeat = locked.repeat
        if former.starts_at is not None and former.starts_at <= now:
            raise RegistrationRefused(_("Your session has started: it can no longer be changed."))
        reason = closed(webinar, now=now, session=target)
        if reason:
            raise RegistrationRefused(errors={"session": [reason]})
        was = locked.status
        locked.repeat = target_repeat
        if was != Status.PENDING:
            locked.status = _status_for_new(webinar, target_repeat)
        locked.offer_expires_at = None
        locked.save(update_fields=["repeat", "status", "offer_expires_at", "updated_at"])
        audit.record(
            actor=None,
            action=WebinarAction.SESSION_CHANGED,
            subject=locked,
            summary=f"Registration for webinar {webinar.pk} moved to its "
            + ("repeat session" if target_repeat else "first session")
            + (" (waiting list)" if locked.status == Status.WAITING else ""),
        )
        if was == Status.REGISTERED:
            moved = locked
            transaction.on_commit(
                lambda: invitations.send_cancellation(
                    registration=moved, prefix="session_changed", session=former
                )
            )
        if locked.status != Status.PENDING:
            _after_commit(locked, "")
        if was in SEATED:
            _offer_seats(webinar, now=now, repeat=former_repeat)
    return locked


def confirm_offer(*, token: str, now: datetime | None = None) -> Registration:
    """Take the seat offered to the registrant of the signed management link.

    Raises ``RegistrationRefused`` when the offer expired (the seat went to the next in line)
    or there is no offer. Confirming twice changes nothing.

    Side effects: status registered; one audit entry "webinars.registered"; after the commit,
    the invitation.
    """
    now = now or timezone.now()
    registration = registration_for(token)
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=registration.webinar_id)
        locked = changes.locked(Registration, pk=registration.pk)
        if locked.status == Status.REGISTERED:
            return locked
        expired = locked.offer_expires_at is not None and locked.offer_expires_at <= now
        reason = closed(webinar, now=now, session=locked.session)
        if locked.status != Status.OFFERED or expired or reason:
            raise RegistrationRefused(
                _(
                    "This offer has expired: the seat was offered to the next person on the "
                    "waiting list."
                )
                if expired or locked.status == Status.CANCELLED
                else reason or _("No seat is offered to you at the moment.")
            )
        locked.status = Status.REGISTERED
        locked.offer_expires_at = None
        locked.save(update_fields=["status", "offer_expires_at", "updated_at"])
        _record(None, locked, Status.REGISTERED, f"Offered seat of webinar {webinar.pk} taken")
        locked.webinar = webinar
        _after_commit(locked, Status.OFFERED)
    return locked


def expire_offers(*, now: datetime | None = None) -> int:
    """Pass on every expired seat offer: the offer is cancelled and the seat offered to the
    next in line. Returns how many offers expired. Run by the scheduler (``periodic``).

    Side effects: per expired offer, status cancelled and one audit entry
    "webinars.offer_expired"; the next offers (see ``_offer_seats``)."""
    now = now or timezone.now()
    count = 0
    webinar_pks = set(
        Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now).values_list(
            "webinar", flat=True
        )
    )
    for pk in sorted(webinar_pks):
        with transaction.atomic():
            webinar = changes.locked(Webinar, pk=pk)
            expired = list(
                Registration.objects.select_for_update().filter(
                    webinar=webinar, status=Status.OFFERED, offer_expires_at__lte=now
                )
            )
            for registration in expired:
                registration.status = Status.CANCELLED
                registration.save(update_fields=["status", "updated_at"])
                audit.record(
                    actor=None,
                    action=WebinarAction.OFFER_EXPIRED,
                    subject=registration,
                    summary=f"Seat offer of webinar {webinar.pk} expired",
                )
                count += 1
            _offer_all_seats(webinar, now=now)
    return count


def change_answers(
    *, registration: Registration, actor: Actor | None, answers: dict[str, Any], name: str = ""
) -> dict[str, list[str]]:
    """Change a registrant's answers (from their signed link or their own account).

    Side effects: the changed fields written; one audit entry
    "webinars.registration_answers_changed" (field names only: the answers are personal)."""
    values = _clean_answers(answers)
    if name.strip() and registration.user_id is None:
        values["name"] = name.strip()
    with transaction.atomic():
        locked = changes.locked(Registration, pk=registration.pk)
        before = {field: getattr(locked, field) for field in values}
        for field, value in values.items():
            setattr(locked, field, value)
        changed = [field for field in values if before[field] != getattr(locked, field)]
        if not changed:
            return {}
        locked.save(update_fields=[*changed, "updated_at"])
        audit.record(
            actor=actor,
            action=WebinarAction.ANSWERS_CHANGED,
            subject=locked,
            summary="Changed: " + ", ".join(changed),
        )
    return {field: ["", ""] for field in changed}


def questions_for(series: Series) -> RegistrationQuestions:
    """The series' registration questions; the defaults (everything asked) when none are set."""
    found = RegistrationQuestions.objects.filter(series=series).first()
    return found or RegistrationQuestions(series=series)


def set_questions(*, actor: User, series: Series, **asks: bool) -> dict[str, list[str]]:
    """Set which questions the series' registration form asks (the secretariat).

    Side effects: the series' RegistrationQuestions row created or changed; one audit entry
    "webinars.registration_questions_changed" with the changes."""
    require_secretariat(actor)
    with transaction.atomic():
        RegistrationQuestions.objects.get_or_create(series=series)
        questions = changes.locked(RegistrationQuestions, series=series)
        return changes.update(
            questions,
            actor=actor,
            action=WebinarAction.QUESTIONS_CHANGED,
            summary=f"Registration questions of {series.slug}",
            **asks,
        )


def most_seats_taken(webinar: Webinar) -> int:
    """The seats taken in the fullest of the webinar's sessions: the lowest capacity allowed."""
    counts = [seats_taken(webinar)]
    repeat = sessions.repeat_of(webinar)
    if repeat is not None:
        counts.append(seats_taken(webinar, repeat))
    return max(counts)


def set_capacity(
    *, actor: User, webinar: Webinar, capacity: int | None, now: datetime | None = None
) -> Webinar:
    """Set the seats of each of the webinar's sessions (``None``: no limit); the secretariat.

    Refused: anyone but the secretariat (PermissionDenied); (``RegistrationRefused``, beside
    "capacity") fewer than 1 seat, or fewer seats than a session has people holding one (no
    one loses a seat they were given: they may cancel, or the capacity waits).

    Side effects: ``capacity``; one audit entry ("webinars.capacity_changed") when it changed;
    more seats (or no limit) offer the free seats to the first in each session's waiting
    line, who are e-mailed after the commit.
    """
    require_secretariat(actor)
    now = now or timezone.now()
    if capacity is not None and capacity < 1:
        raise RegistrationRefused(
            errors={"capacity": [_("Give at least 1 seat, or leave it empty for no limit.")]}
        )
    with transaction.atomic():
        locked = _lock(webinar)
        taken = most_seats_taken(locked)
        if capacity is not None and capacity < taken:
            raise RegistrationRefused(
                errors={
                    "capacity": [
                        _(
                            "%(taken)s people already hold a seat: the capacity cannot be "
                            "lower. Leave it at %(taken)s or more."
                        )
                        % {"taken": taken}
                    ]
                }
            )
        changed = changes.update(
            locked,
            actor=actor,
            action=WebinarAction.CAPACITY_CHANGED,
            summary=f"Capacity of webinar {locked.pk}: {capacity or 'no limit'}",
            capacity=capacity,
        )
        if changed:
            _offer_all_seats(locked, now=now)
    webinar.capacity = locked.capacity
    return locked
