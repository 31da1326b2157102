"""Invitation campaigns: drafted once per person, released at a steady rate, with progress.

A campaign's messages are an outbox batch ("campaign-<id>"): ``draft_campaign`` drafts one
held message per person of the audience (``audiences``), in their language with the time in
their zone, the webinar's card and its registration link, category "invitation" (so the
outbox adds List-Unsubscribe and never sends to an address that unsubscribed or bounced: such
a message is stored *suppressed*). Nothing leaves before the secretariat presses Send
(``start_sending``) or approves the batch on the outbox's page.

Rather than approving everything at once, the scheduler's ``communications.release``
(``release``) approves up to ``rate_per_minute`` held messages of each *sending* campaign a
minute through the outbox's ``approve``, as the person who pressed Send: pausing stops the
releases, resuming starts them again. The outbox delivers each approved message at most once
(its claim), so a second Send, a second scheduler or a dead worker never sends twice.

Every service takes keyword arguments, checks its actor, runs in one transaction and records
one audit entry (``CommunicationsAction``) when something changed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deepdive.accounts.models import User
from deepdive.core import audit, changes
from deepdive.core.permissions import require_secretariat
from deepdive.core.refusals import Refused
from deepdive.outbox import operations as outbox
from deepdive.outbox.models import OutboxMessage
from deepdive.series.models import Series
from deepdive.webinars import queries as webinar_queries
from deepdive.webinars.models import Webinar

from . import audiences, cards, queries
from .actions import CommunicationsAction
from .models import Campaign

log = logging.getLogger(__name__)

TEMPLATE = "communications/email/invitation"
KIND = "campaign_invitation"
CATEGORY = OutboxMessage.Category.INVITATION
DEFAULT_RATE = 60
MAX_RATE = 10_000


class CampaignRefused(Refused):
    """The campaign cannot be drafted or sent as asked; ``errors`` name the form's fields."""


# Reads -----------------------------------------------------------------------------------------


def audience_of(campaign: Campaign) -> audiences.Audience:
    return audiences.Audience.from_spec(campaign.series_id, campaign.audience)


def upcoming(series: Series) -> list[Webinar]:
    """The series' published webinars to come, soonest first (a programme invitation)."""
    return list(
        webinar_queries.with_details(
            Webinar.objects.filter(
                proposal__call__series=series,
                published_at__isnull=False,
                starts_at__gte=timezone.now(),
                cancelled_at__isnull=True,
            )
        ).order_by("starts_at", "pk")
    )


def campaigns_of(series: Series) -> list[Campaign]:
    """The series' campaigns, newest first."""
    return list(Campaign.objects.filter(series=series).select_related("webinar__proposal", "issue"))


@dataclass(frozen=True)
class Progress:
    held: int
    queued: int  # approved, waiting for the worker or being sent
    sent: int
    failed: int
    suppressed: int  # never sent: unsubscribed or bounced
    interrupted: int  # a worker died while sending: the outbox's page decides
    discarded: int

    @property
    def total(self) -> int:
        return (
            self.held
            + self.queued
            + self.sent
            + self.failed
            + self.suppressed
            + self.interrupted
            + self.discarded
        )


def progress(campaign: Campaign) -> Progress:
    """How many of the campaign's messages are in each state."""
    counts: dict[str, int] = dict(
        OutboxMessage.objects.filter(batch=campaign.batch)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    status = OutboxMessage.Status
    return Progress(
        held=counts.get(status.HELD, 0),
        queued=counts.get(status.QUEUED, 0) + counts.get(status.SENDING, 0),
        sent=counts.get(status.SENT, 0),
        failed=counts.get(status.FAILED, 0),
        suppressed=counts.get(status.SUPPRESSED, 0),
        interrupted=counts.get(status.INTERRUPTED, 0),
        discarded=counts.get(status.DISCARDED, 0),
    )


# Drafting --------------------------------------------------------------------------------------


def absolute(path: str) -> str:
    """The platform's address of ``path``, for an e-mail."""
    return settings.SITE_URL.rstrip("/") + path


class CardAlts:
    """The cards' alt texts, worked out once per webinar and language of a mailing."""

    def __init__(self) -> None:
        self._alts: dict[tuple[int, str], str] = {}

    def __call__(self, webinar: Webinar, language: str) -> str:
        key = (webinar.pk, language)
        if key not in self._alts:
            self._alts[key] = str(cards.alt_text(queries.card_data(webinar, language)))
        return self._alts[key]


def webinar_item(
    webinar: Webinar, *, language: str, zone: str, card_alt: CardAlts
) -> dict[str, Any]:
    """A published webinar to come as a mailing shows it: its time in ``zone``, its card
    (in ``language``, English for another) and the link to register."""
    assert webinar.starts_at is not None  # published webinars to come have a time
    language = language if language in queries.LANGUAGES else "en"
    card = reverse(
        "communications:card",
        kwargs={"pk": webinar.pk, "language": language, "size": "preview", "kind": cards.PNG},
    )
    return {
        "title": webinar.title,
        "local": webinar_queries.zone_time(webinar.starts_at, webinar.minutes, zone),
        "card_url": absolute(card),
        "card_alt": card_alt(webinar, language),
        "register_url": absolute(webinar.get_absolute_url()) + "#register-title",
    }


class _Composer:
    """What every message of a campaign shares, worked out once per language."""

    def __init__(self, series: Series, webinar: Webinar | None) -> None:
        self.series = series
        self.webinar = webinar
        self.webinars = [webinar] if webinar is not None else upcoming(series)
        self.reference_zone = (
            webinar_queries.reference_zone(self.webinars[0].call) if self.webinars else "UTC"
        )
        self.card_alt = CardAlts()

    def context(self, recipient: audiences.Recipient) -> dict[str, Any]:
        zone = recipient.zone or self.reference_zone
        items = [
            webinar_item(w, language=recipient.language, zone=zone, card_alt=self.card_alt)
            for w in self.webinars
        ]
        return {
            "name": recipient.name,
            "series_title": self.series.text("title", recipient.language) or self.series.title,
            "programme_url": absolute(self.series.get_absolute_url()),
            "webinars": items,
            "webinar": items[0] if self.webinar is not None else None,
        }


def _check(
    series: Series, webinar: Webinar | None, audience: audiences.Audience, rate: int
) -> list[audiences.Recipient]:
    errors: dict[str | None, list[str]] = {}
    if webinar is not None and (
        webinar.call.series_id != series.pk
        or not webinar.is_published
        or webinar.cancelled_at is not None
        or webinar.starts_at is None
        or webinar.starts_at < timezone.now()
    ):
        errors["webinar"] = [_("Choose a published webinar of this series that is still to come.")]
    if webinar is None and not upcoming(series):
        errors["webinar"] = [_("The series has no published webinar to come to invite people to.")]
    if not 1 <= rate <= MAX_RATE:
        errors["rate_per_minute"] = [
            _("Give a number of messages a minute between 1 and %(max)s.") % {"max": MAX_RATE}
        ]
    found: list[audiences.Recipient] = []
    if audience.kind not in audiences.KINDS:
        errors["kind"] = [_("Choose who to invite from the list.")]
    elif audience.kind in audiences.NEEDS_VALUE and not audience.value:
        errors["kind"] = [_("Choose which one, in the list that goes with this audience.")]
    else:
        found = audiences.recipients(audience)
        if not found:
            errors["kind"] = [_("Nobody is in this audience: there is no one to invite.")]
    if errors:
        raise CampaignRefused(errors=errors)
    return found


def draft_campaign(
    *,
    actor: User,
    series: Series,
    audience: audiences.Audience,
    webinar: Webinar | None = None,
    rate_per_minute: int = DEFAULT_RATE,
) -> tuple[Campaign, int]:
    """Draft the invitation to ``webinar`` (None: the series' programme to come) for everyone
    in ``audience``: one held outbox message per person, in the batch "campaign-<id>". Returns
    the campaign and the number of messages drafted now.

    Idempotent: the draft campaign with the same webinar and audience is reused, and a person
    who already has a message in it gets none (by lower-case address); the series row, then
    the campaign row, are locked, so two requests at once draft each person once. Pressing
    again later drafts only the people who joined the audience since.

    Refused: not the secretariat (PermissionDenied); a webinar not of the series, not
    published, cancelled or past, a programme with nothing to come, a rate out of range, an
    unknown audience or an audience of zero (``CampaignRefused``, fields ``webinar``,
    ``rate_per_minute``, ``kind``).

    Side effects: the Campaign row; held OutboxMessages (category "invitation", so those to a
    suppressed address are stored suppressed); one audit entry
    ("communications.campaign_drafted") when anything was drafted or created.
    """
    require_secretariat(actor)
    audience = audiences.Audience(series_id=series.pk, kind=audience.kind, value=audience.value)
    recipients = _check(series, webinar, audience, rate_per_minute)
    composer = _Composer(series, webinar)
    with transaction.atomic():
        changes.locked(Series, pk=series.pk)  # one drafting of the series at a time
        campaign = (
            Campaign.objects.filter(
                series=series,
                webinar=webinar,
                audience=audience.spec(),
                status=Campaign.Status.DRAFT,
                issue__isnull=True,  # a newsletter's campaign is never an invitation's
            )
            .order_by("pk")
            .first()
        )
        created = campaign is None
        if campaign is None:
            campaign = Campaign.objects.create(
                series=series,
                webinar=webinar,
                audience=audience.spec(),
                created_by=actor,
                rate_per_minute=rate_per_minute,
            )
        campaign = changes.locked(Campaign, pk=campaign.pk)
        drafted = set(
            OutboxMessage.objects.filter(batch=campaign.batch)
            .annotate(address=Lower("to_email"))
            .values_list("address", flat=True)
        )
        new = [r for r in recipients if r.email not in drafted]
        for recipient in new:
            outbox.queue_templated_email(
                to=recipient.email,
                template_prefix=TEMPLATE,
                context=composer.context(recipient),
                language=recipient.language,
                kind=KIND,
                related=campaign,
                hold=True,
                batch=campaign.batch,
                category=CATEGORY,
                action_group=series.action_group,  # one click stops this group's invitations
            )
        if new or created:
            audit.record(
                actor=actor,
                action=CommunicationsAction.CAMPAIGN_DRAFTED,
                subject=campaign,
                summary=f"{len(new)} invitations drafted for {audiences.describe(audience)}",
                changes={"drafted": len(new), "audience": audience.spec()},
            )
    return campaign, len(new)


# Sending ---------------------------------------------------------------------------------------


def _release_one(campaign: Campaign) -> int:
    """Approve up to the campaign's rate of its held messages (call with the row locked);
    the campaign is done when none is left held."""
    held = list(
        OutboxMessage.objects.filter(batch=campaign.batch, status=OutboxMessage.Status.HELD)
        .only("pk")
        .order_by("pk")[: campaign.rate_per_minute]
    )
    released = 0
    if held:
        released = outbox.approve(actor=campaign.approved_by, messages=held)
    if not OutboxMessage.objects.filter(
        batch=campaign.batch, status=OutboxMessage.Status.HELD
    ).exists():
        changes.update(
            campaign,
            actor=None,
            action=CommunicationsAction.CAMPAIGN_DONE,
            summary=f"Campaign {campaign.pk}: every message released",
            status=Campaign.Status.DONE,
        )
    return released


def start_sending(*, actor: User, campaign: Campaign) -> int:
    """Send a drafted campaign: it becomes *sending* and its first minute's messages are
    released at once (``release`` does the rest). Returns the number released now.

    Idempotent: a campaign already sending, paused or done is left as it is (0).
    Refused: not the secretariat (PermissionDenied).
    Side effects: status, approved_by, approved_at; audit entry
    "communications.campaign_started"; the outbox's approval of the released messages (their
    delivery tasks on commit).
    """
    require_secretariat(actor)
    with transaction.atomic():
        locked = changes.locked(Campaign, pk=campaign.pk)
        if locked.status != Campaign.Status.DRAFT:
            return 0
        changes.update(
            locked,
            actor=actor,
            action=CommunicationsAction.CAMPAIGN_STARTED,
            summary=f"Campaign {locked.pk} sending at {locked.rate_per_minute} a minute",
            status=Campaign.Status.SENDING,
            approved_by=actor,
            approved_at=timezone.now(),
        )
        released = _release_one(locked)
    campaign.refresh_from_db()
    return released


def _switch(
    *, actor: User, campaign: Campaign, source: str, target: str, action: CommunicationsAction
) -> bool:
    require_secretariat(actor)
    with transaction.atomic():
        locked = changes.locked(Campaign, pk=campaign.pk)
        if locked.status != source:
            return False
        changes.update(
            locked, actor=actor, action=action, summary=f"Campaign {locked.pk}", status=target
        )
    campaign.status = target
    return True


def pause(*, actor: User, campaign: Campaign) -> bool:
    """Stop releasing the campaign's messages (those already released still go).

    Returns False, doing nothing, unless the campaign was sending. Refused: not the
    secretariat (PermissionDenied). Side effects: status paused; audit entry
    "communications.campaign_paused"."""
    return _switch(
        actor=actor,
        campaign=campaign,
        source=Campaign.Status.SENDING,
        target=Campaign.Status.PAUSED,
        action=CommunicationsAction.CAMPAIGN_PAUSED,
    )


def resume(*, actor: User, campaign: Campaign) -> bool:
    """Release the campaign's messages again, from the next run of ``release``.

    Returns False, doing nothing, unless the campaign was paused. Refused: not the
    secretariat (PermissionDenied). Side effects: status sending; audit entry
    "communications.campaign_resumed"."""
    return _switch(
        actor=actor,
        campaign=campaign,
        source=Campaign.Status.PAUSED,
        target=Campaign.Status.SENDING,
        action=CommunicationsAction.CAMPAIGN_RESUMED,
    )


def retry_failed(*, actor: User, campaign: Campaign) -> int:
    """Send the campaign's failed messages again (the outbox's ``retry``); returns how many.

    Refused: not the secretariat (PermissionDenied). Side effects: those of the outbox's
    ``retry`` for each; one audit entry "communications.campaign_retried" when any."""
    require_secretariat(actor)
    with transaction.atomic():
        failed = OutboxMessage.objects.filter(
            batch=campaign.batch, status=OutboxMessage.Status.FAILED
        ).order_by("pk")
        retried = sum(1 for message in failed if outbox.retry(actor=actor, message=message))
        if retried:
            audit.record(
                actor=actor,
                action=CommunicationsAction.CAMPAIGN_RETRIED,
                subject=campaign,
                summary=f"{retried} failed messages of campaign {campaign.pk} sent again",
                changes={"retried": retried},
            )
    return retried


def release() -> str:
    """The scheduler's job (``communications.release``, every minute): for each sending
    campaign, approve up to its ``rate_per_minute`` held messages; a campaign with none left
    held is done, and so is a draft whose whole batch was approved on the outbox's page. A
    campaign whose sender is no longer of the secretariat is skipped (logged):
    someone of the secretariat pauses it or approves the batch.

    Side effects: the outbox's approvals (delivery tasks on commit); status done; audit
    entries of those."""
    released = 0
    for pk in Campaign.objects.filter(status=Campaign.Status.SENDING).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                campaign = changes.locked(Campaign, pk=pk)
                if campaign.status == Campaign.Status.SENDING:
                    released += _release_one(campaign)
        except PermissionDenied:
            log.warning("Campaign %s: its sender may no longer approve messages.", pk)
    # A draft whose batch the secretariat approved on the outbox's page has nothing left.
    for pk in Campaign.objects.filter(status=Campaign.Status.DRAFT).values_list("pk", flat=True):
        with transaction.atomic():
            campaign = changes.locked(Campaign, pk=pk)
            messages = OutboxMessage.objects.filter(batch=campaign.batch)
            if messages.exists() and not messages.filter(status=OutboxMessage.Status.HELD).exists():
                changes.update(
                    campaign,
                    actor=None,
                    action=CommunicationsAction.CAMPAIGN_DONE,
                    summary=f"Campaign {campaign.pk}: approved in the outbox",
                    status=Campaign.Status.DONE,
                )
    return f"{released} released"
