"""Reminders to a webinar's hosts while something is missing from their workspace: sent by the
scheduler 21, 14 and 7 days before the start (each kind once per webinar), and by hand from the
secretariat's board.

The hosts are the verified contacts of the proposal's lead organisation (else, when it has
none, the proposal's contact address); each is written to in their own language and zone, with
what is missing (``readiness.missing``) and the link to the workspace. Only webinars still
being prepared, published with a start in the future and not complete are reminded.

Exactly once: the ``ReminderSent`` row (webinar, kind) is inserted in the same transaction as
the e-mails are queued; a rerun, a restart or a second worker meets the unique constraint and
sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from deepdive.accounts.models import User
from deepdive.accounts.operations import language_of
from deepdive.core import audit
from deepdive.core.permissions import require_secretariat
from deepdive.core.refusals import Refused
from deepdive.core.timezones import is_valid_zone, moment_text
from deepdive.directory.models import Affiliation
from deepdive.outbox.operations import queue_templated_email

from . import readiness
from .actions import WebinarAction
from .board import workspace_url
from .models import ReminderSent, Webinar

# (kind, how long before the start), latest first: the run sends the latest one that is due.
KINDS: tuple[tuple[str, timedelta], ...] = (
    ("host.7d", timedelta(days=7)),
    ("host.14d", timedelta(days=14)),
    ("host.21d", timedelta(days=21)),
)
TEMPLATE = "webinars/email/host_reminder"


class ReminderRefused(Refused):
    """A reminder cannot be sent; the message says why."""


@dataclass(frozen=True)
class Host:
    email: str
    name: str
    language: str
    zone: str


def hosts_to_remind(webinar: Webinar) -> list[Host]:
    """The verified contacts of the lead organisation (active accounts, by address), else the
    proposal's contact address in its creator's language."""
    proposal = webinar.proposal
    people = (
        User.objects.filter(
            is_active=True,
            affiliations__organisation_id=proposal.lead_organisation_id,
            affiliations__status=Affiliation.Status.VERIFIED,
        )
        .exclude(email="")
        .distinct()
        .order_by("email")
    )
    hosts = [
        Host(person.email, person.get_full_name(), language_of(person), person.timezone)
        for person in people
    ]
    if hosts or not proposal.contact_email:
        return hosts
    creator = proposal.created_by
    return [
        Host(
            proposal.contact_email,
            proposal.contact_name,
            language_of(creator) if creator else settings.LANGUAGE_CODE,
            creator.timezone if creator else "",
        )
    ]


def due_kind(webinar: Webinar, *, now: datetime) -> str:
    """The latest reminder kind whose time has come (``""`` before 21 days)."""
    if webinar.starts_at is None:
        return ""
    for kind, before in KINDS:
        if now >= webinar.starts_at - before:
            return kind
    return ""


def remindable() -> QuerySet[Webinar]:
    """Webinars whose hosts may be reminded: still being prepared, published with a start."""
    return Webinar.objects.filter(
        state=Webinar.State.PREPARING, published_at__isnull=False, starts_at__isnull=False
    )


def _email(webinar: Webinar, starts_at: datetime, hosts: list[Host], *, kind: str) -> int:
    link = workspace_url(webinar) or webinar.get_absolute_url()
    for host in hosts:
        zone = host.zone if is_valid_zone(host.zone) else "UTC"
        with translation.override(host.language):
            missing = readiness.missing(webinar)
            when = moment_text(starts_at, zone)
        queue_templated_email(
            to=host.email,
            template_prefix=TEMPLATE,
            context={
                "name": host.name,
                "title": webinar.title,
                "when": when,
                "missing": missing,
                "workspace_url": settings.SITE_URL.rstrip("/") + link,
            },
            language=host.language,
            kind=kind,
            related=webinar,
        )
    return len(hosts)


def send_host_reminders(*, now: datetime | None = None) -> int:
    """Remind the hosts of every published webinar still being prepared with something
    missing, 21, 14 and 7 days before its start: the latest kind that is due, once per webinar
    and kind (none after the start). Returns how many e-mails were queued.

    Side effects, per reminder: a ``ReminderSent`` row (registration None), one e-mail per
    host, one audit entry (``WebinarAction.HOST_REMINDED``), in one transaction.
    """
    now = now or timezone.now()
    candidates = (
        remindable()
        .filter(starts_at__gt=now, starts_at__lte=now + KINDS[-1][1])
        .select_related("proposal__created_by")
        .prefetch_related("agenda", "speakers")
    )
    count = 0
    for webinar in candidates:
        kind = due_kind(webinar, now=now)
        if not kind or webinar.starts_at is None or not readiness.missing(webinar):
            continue
        if ReminderSent.objects.filter(webinar=webinar, registration=None, kind=kind).exists():
            continue
        hosts = hosts_to_remind(webinar)
        if not hosts:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(webinar=webinar, registration=None, kind=kind)
                sent = _email(webinar, webinar.starts_at, hosts, kind=kind)
                audit.record(
                    actor=None,
                    action=WebinarAction.HOST_REMINDED,
                    subject=webinar,
                    summary=f"Hosts of “{webinar.title}” reminded ({kind}, {sent} e-mails)",
                )
        except IntegrityError:
            continue  # another run sent this one first
        count += sent
    return count


def remind_now(*, actor: User, webinar: Webinar) -> int:
    """The secretariat reminds the hosts of ``webinar`` now of what is missing; returns how
    many e-mails were queued.

    Refused (``ReminderRefused``): the webinar is not being prepared any more (ready, held,
    cancelled); nothing is missing; no host has an address. ``PermissionDenied`` for anyone
    but the secretariat.

    Side effects: one e-mail per host (kind "host.manual"), one audit entry
    (``WebinarAction.HOST_REMINDED_BY_HAND``), in one transaction. No ``ReminderSent`` row:
    the automatic reminders still go at their time.
    """
    require_secretariat(actor)
    webinar = Webinar.objects.select_related("proposal__created_by").get(pk=webinar.pk)
    starts_at = webinar.starts_at
    if webinar.state != Webinar.State.PREPARING:
        raise ReminderRefused(_("Only a webinar still being prepared can be reminded."))
    if not webinar.is_published or starts_at is None:
        raise ReminderRefused(_("The webinar has no published time yet."))
    if not readiness.missing(webinar):
        raise ReminderRefused(_("Nothing is missing: there is nothing to remind the hosts of."))
    hosts = hosts_to_remind(webinar)
    if not hosts:
        raise ReminderRefused(_("The hosts have no e-mail address to write to."))
    with transaction.atomic():
        sent = _email(webinar, starts_at, hosts, kind="host.manual")
        audit.record(
            actor=actor,
            action=WebinarAction.HOST_REMINDED_BY_HAND,
            subject=webinar,
            summary=f"Hosts of “{webinar.title}” reminded by hand ({sent} e-mails)",
        )
    return sent
