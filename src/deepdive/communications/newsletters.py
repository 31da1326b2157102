"""Newsletter issues: written by the secretariat, composed from the programme when rendered,
previewed in each language, sent as a test to oneself, then sent for approval as a campaign.

An issue holds its own texts (subject, introduction and free text blocks, in English and
optionally French and Spanish) and which sections of the programme to include; the
programme itself (the published webinars to come, the recordings published in the last days,
the open call) is read when the issue is rendered, so a preview shows today's programme and
each message the programme of the moment it was drafted, in the recipient's language with
the times in their zone.

The HTML e-mail is a table layout with a ``<style>`` block, its CSS inlined by ``css_inline``
when rendered (Outlook and Gmail drop ``<style>``); its plain text comes from its own
template. Rich text from the secretariat is cleaned by nh3 (never refused for it).

Sending for approval drafts a ``Campaign`` (``issue`` set) whose messages are held, one per
person of the audience, category "newsletter" (List-Unsubscribe; an address that
unsubscribed or bounced is stored suppressed); the secretariat sends it from the campaign's
page (``campaigns.start_sending``: pace, pause, resume, retry). The web version is public
once that sending started.

Every service takes keyword arguments, checks its actor, runs in one transaction and records
one audit entry (``CommunicationsAction``) when something changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import css_inline
import nh3
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from deepdive.accounts.models import User
from deepdive.core import audit, changes
from deepdive.core.permissions import require_secretariat
from deepdive.core.refusals import Refused
from deepdive.core.timezones import is_valid_zone
from deepdive.outbox import consent
from deepdive.outbox import operations as outbox
from deepdive.outbox.models import OutboxMessage
from deepdive.series.models import Call, Series
from deepdive.webinars import queries as webinar_queries
from deepdive.webinars.models import Recording, Webinar

from . import audiences, campaigns, queries
from .actions import CommunicationsAction
from .models import Campaign, NewsletterIssue

TEMPLATE = "communications/email/newsletter"
KIND = "newsletter"
TEST_KIND = "newsletter_test"
CATEGORY = OutboxMessage.Category.NEWSLETTER
LANGUAGES = queries.LANGUAGES  # en, fr, es: English is required, the others fall back to it
TEXT_FIELDS = ("subject", "introduction")
MAX_BLOCKS = 10
MAX_DAYS = 366
# What the secretariat may write in braces in an issue's texts, filled for each recipient.
FIELDS = ("name", "series")
_FIELD = re.compile(r"\{\s*([^{}\s]+)\s*\}")


class NewsletterRefused(Refused):
    """The issue cannot be saved or sent as asked; ``errors`` name the form's fields."""


# Reads -----------------------------------------------------------------------------------------


def issues_of(series: Series) -> list[NewsletterIssue]:
    """The series' newsletter issues, newest first, with their campaigns."""
    return list(NewsletterIssue.objects.filter(series=series).select_related("campaign"))


def campaign_of(issue: NewsletterIssue) -> Campaign | None:
    try:
        return issue.campaign
    except Campaign.DoesNotExist:
        return None


def is_public(issue: NewsletterIssue) -> bool:
    """Whether the issue's web version may be shown: its campaign's sending started (on the
    campaign's page, or the whole batch approved in the outbox)."""
    campaign = campaign_of(issue)
    return campaign is not None and campaign.status != Campaign.Status.DRAFT


def public_issue(slug: str, pk: int) -> NewsletterIssue | None:
    """The issue of the web version's address, or None when unknown or not sent yet."""
    issue = (
        NewsletterIssue.objects.filter(series__slug=slug, pk=pk)
        .select_related("series", "campaign")
        .first()
    )
    return issue if issue is not None and is_public(issue) else None


def web_url(issue: NewsletterIssue, language: str) -> str:
    path = reverse(
        "communications:newsletter_web", kwargs={"slug": issue.series.slug, "pk": issue.pk}
    )
    return campaigns.absolute(f"{path}?lang={language}")


def series_zone(series: Series) -> str:
    """The series' reference zone (its latest call's timetable rules), for a reader whose
    zone is not known."""
    call = Call.objects.filter(series=series).order_by("-opens_at").first()
    return (
        webinar_queries.reference_zone(call) if call is not None else webinar_queries.DEFAULT_ZONE
    )


def open_call(series: Series, now: datetime) -> Call | None:
    return (
        Call.objects.filter(series=series, opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at", "pk")
        .first()
    )


def recent_recordings(series: Series, days: int, now: datetime) -> list[Webinar]:
    """The series' published webinars with a recording published in the last ``days`` days,
    most recently published first."""
    since = now - timedelta(days=days)
    recordings = Recording.objects.filter(published_at__gte=since, published_at__lte=now)
    webinars = (
        Webinar.objects.filter(
            proposal__call__series=series,
            published_at__isnull=False,
            recordings__in=recordings,
        )
        .select_related("proposal")
        .distinct()
    )
    latest = {
        webinar_id: moment
        for webinar_id, moment in recordings.filter(webinar__in=webinars)
        .order_by("published_at")
        .values_list("webinar_id", "published_at")
    }
    return sorted(webinars, key=lambda w: (latest.get(w.pk) or since, w.pk), reverse=True)


# Composition -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    """Who a rendering is for: the recipient's address and name (empty for the web
    version), language and zone."""

    email: str
    name: str
    language: str
    zone: str


def _language(code: str) -> str:
    code = (code or "").split("-")[0]
    return code if code in LANGUAGES else "en"


def _in_language(values: Any, language: str) -> str:
    """A block's value ({language: text}) in ``language``, else in English."""
    if not isinstance(values, dict):
        return ""
    return str(values.get(language) or values.get("en") or "")


def unknown_fields(text: str) -> list[str]:
    """The fields in braces in ``text`` that ``FIELDS`` does not know, as written."""
    return sorted(
        {"{" + m.group(1) + "}" for m in _FIELD.finditer(text) if m.group(1) not in FIELDS}
    )


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each known field in braces replaced by its value."""
    return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), text)


class Composer:
    """What every rendering of an issue shares, read once: the programme's sections and the
    cards' alt texts (per language)."""

    def __init__(self, issue: NewsletterIssue, *, now: datetime | None = None) -> None:
        self.issue = issue
        self.series = issue.series
        self.now = now or timezone.now()
        self.zone = series_zone(self.series)
        self.webinars = campaigns.upcoming(self.series) if issue.include_upcoming else []
        self.recordings = (
            recent_recordings(self.series, issue.recordings_days, self.now)
            if issue.include_recordings
            else []
        )
        self.call = open_call(self.series, self.now) if issue.include_call else None
        self.card_alt = campaigns.CardAlts()

    def context(self, reader: Reader, *, web: bool = False) -> dict[str, Any]:
        language = _language(reader.language)
        zone = reader.zone if reader.zone and is_valid_zone(reader.zone) else self.zone
        issue = self.issue
        upcoming = [
            campaigns.webinar_item(w, language=language, zone=zone, card_alt=self.card_alt)
            for w in self.webinars
        ]
        recordings = [
            {
                "title": webinar.title,
                "url": campaigns.absolute(webinar.get_absolute_url()) + "#recording-title",
            }
            for webinar in self.recordings
        ]
        call = None
        if self.call is not None:
            closes = self.call.closes_at.astimezone(ZoneInfo(zone))
            call = {
                "title": self.call.text("title", language) or self.call.title,
                "url": campaigns.absolute(self.call.get_absolute_url()),
                "closes": closes.replace(tzinfo=None),
                "zone": zone.replace("_", " "),
                "offset": webinar_queries.offset_label(closes),
            }
        with translation.override(language):
            anyone = _("colleague")  # the name of a reader we do not know (the web version)
        fields = {
            "name": ("" if web else reader.name) or anyone,
            "series": self.series.text("title", language) or self.series.title,
        }
        in_html = {key: str(escape(value)) for key, value in fields.items()}
        blocks = []
        for block in issue.blocks if isinstance(issue.blocks, list) else []:
            if not isinstance(block, dict):
                continue
            body = clean_html(_in_language(block.get("body"), language))
            blocks.append(
                {
                    "heading": fill(_in_language(block.get("heading"), language), fields),
                    # cleaned by nh3 when saved and again here; the fields' values escaped
                    "body": mark_safe(fill(body, in_html)),  # noqa: S308
                    "text": fill(as_text(body), fields),
                }
            )
        introduction = fill(str(issue.local_text("introduction", language)), fields)
        return {
            "language": language,
            "subject": fill(str(issue.local_text("subject", language)), fields),
            "introduction": introduction,
            "introduction_html": mark_safe(linebreaks(introduction, autoescape=True)),  # noqa: S308
            "blocks": [b for b in blocks if b["heading"] or b["text"].strip()],
            "webinars": upcoming,
            "recordings": recordings,
            "call": call,
            "series_title": self.series.text("title", language) or self.series.title,
            "programme_url": campaigns.absolute(self.series.get_absolute_url()),
            "library_url": campaigns.absolute(reverse("webinars:library")),
            "name": "" if web else reader.name,
            "web": web,
            "web_url": web_url(issue, language),
            **({} if web else consent.links(reader.email, CATEGORY)),
        }


def as_text(html: str) -> str:
    """A block's rich text for the plain-text part: paragraphs and line breaks kept, the
    links' addresses written after their text, no tag."""
    html = re.sub(
        r'<a\s[^>]*href="([^"]*)"[^>]*>(.*?)</a>', r"\2 (\1)", clean_html(html), flags=re.S
    )
    html = re.sub(r"<br\s*/?>", "\n", html)
    html = re.sub(r"</(p|li|h[1-6]|div|blockquote)>", "\n\n", html)
    html = re.sub(r"<li[^>]*>", "- ", html)
    text = unescape(strip_tags(html))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.splitlines())).strip()


def clean_html(html: str) -> str:
    """Rich text kept from the secretariat: nh3's allow-list, links to the web and to
    addresses only (scripts, styles, event handlers, forms and other schemes go)."""
    return nh3.clean(html or "", url_schemes=outbox.URL_SCHEMES).strip()


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str  # with its CSS inlined


def render(
    issue: NewsletterIssue,
    *,
    reader: Reader,
    web: bool = False,
    composer: Composer | None = None,
) -> Rendered:
    """The issue as ``reader`` receives it (or, with ``web``, its public web version: no
    name, no personal links), in their language with the times in their zone."""
    composer = composer or Composer(issue)
    subject, text, html = outbox.render_email(
        template_prefix=TEMPLATE,
        context=composer.context(reader, web=web),
        language=_language(reader.language),
    )
    return Rendered(subject=subject, text=text, html=css_inline.inline(html))


def preview(*, actor: User, issue: NewsletterIssue, language: str) -> Rendered:
    """The issue as a recipient of ``language`` sees it today, addressed to the actor.

    Refused: not the secretariat (PermissionDenied)."""
    require_secretariat(actor)
    return render(issue, reader=_actor_reader(actor, language))


def _actor_reader(actor: User, language: str) -> Reader:
    return Reader(
        email=actor.email,
        name=actor.get_full_name(),
        language=_language(language),
        zone=actor.timezone or "",
    )


def _empty() -> str:
    return _("The issue has nothing in it: include a section of the programme or write a block.")


def _has_content(*, blocks: list[dict[str, Any]], sections: list[bool]) -> bool:
    return bool(blocks) or any(sections)


# Changes ---------------------------------------------------------------------------------------


def _blocks(raw: list[dict[str, Any]]) -> list[dict[str, dict[str, str]]]:
    """The blocks kept: each {"heading": {language: text}, "body": {language: clean HTML}},
    in order, the empty ones dropped."""
    kept = []
    for block in raw[:MAX_BLOCKS]:
        heading = {
            code: " ".join(str(block.get("heading", {}).get(code, "")).split())[:200]
            for code in LANGUAGES
        }
        body = {code: clean_html(str(block.get("body", {}).get(code, ""))) for code in LANGUAGES}
        heading = {code: text for code, text in heading.items() if text}
        body = {code: text for code, text in body.items() if text}
        if heading or body:
            kept.append({"heading": heading, "body": body})
    return kept


def _texts(raw: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    texts: dict[str, dict[str, str]] = {}
    for code in LANGUAGES[1:]:
        values = raw.get(code, {}) if isinstance(raw, dict) else {}
        kept = {
            field: str(values.get(field, "")).strip()
            for field in TEXT_FIELDS
            if str(values.get(field, "")).strip()
        }
        if "subject" in kept:
            kept["subject"] = " ".join(kept["subject"].split())[:200]
        if kept:
            texts[code] = kept
    return texts


def _unknown_fields(
    subject: str,
    introduction: str,
    texts: dict[str, dict[str, str]],
    blocks: list[dict[str, Any]],
) -> dict[str | None, list[str]]:
    """An error for each text (named as the form names its field) that uses a field in
    braces other than ``FIELDS``."""
    written: dict[str, str] = {"subject": subject, "introduction": introduction}
    for code, values in texts.items():
        for field, text in values.items():
            written[f"{field}_{code}"] = text
    for n, block in enumerate(blocks[:MAX_BLOCKS], start=1):
        for part in ("heading", "body"):
            values = block.get(part, {})
            for code in LANGUAGES:
                text = str(values.get(code, "") or "")
                # what is kept of the HTML: a script's braces are gone with the script
                written[f"block{n}_{part}_{code}"] = clean_html(text) if part == "body" else text
    known = ", ".join("{" + field + "}" for field in FIELDS)
    errors: dict[str | None, list[str]] = {}
    for name, text in written.items():
        unknown = unknown_fields(text)
        if unknown:
            errors[name] = [
                _("%(fields)s is not a field the platform can fill; use %(known)s.")
                % {"fields": ", ".join(unknown), "known": known}
            ]
    return errors


def save_issue(
    *,
    actor: User,
    series: Series,
    issue: NewsletterIssue | None = None,
    subject: str,
    introduction: str = "",
    texts: dict[str, dict[str, str]] | None = None,
    blocks: list[dict[str, Any]] | None = None,
    include_upcoming: bool = True,
    include_recordings: bool = True,
    recordings_days: int = 30,
    include_call: bool = True,
) -> NewsletterIssue:
    """Create a newsletter issue of ``series`` (``issue`` None) or change a draft one.

    ``texts``: {"fr": {"subject", "introduction"}, "es": {...}}, each optional; ``blocks``:
    [{"heading": {language: text}, "body": {language: HTML}}] in order. The HTML is cleaned
    (``clean_html``), never refused; empty blocks are dropped.

    Refused: not the secretariat (PermissionDenied); no English subject (field ``subject``),
    a number of days out of range (``recordings_days``), no section and no block (no field),
    an issue already sent for approval or of another series (``NewsletterRefused``).

    Side effects: the NewsletterIssue row; one audit entry "communications.newsletter_saved"
    when created or changed.
    """
    require_secretariat(actor)
    subject = " ".join(str(subject).split())[:200]
    kept_blocks = _blocks(blocks or [])
    kept_texts = _texts(texts or {})
    errors: dict[str | None, list[str]] = {}
    if not subject:
        errors["subject"] = [_("Give the issue a subject in English.")]
    if not 1 <= recordings_days <= MAX_DAYS:
        errors["recordings_days"] = [
            _("Give a number of days between 1 and %(max)s.") % {"max": MAX_DAYS}
        ]
    errors.update(_unknown_fields(subject, introduction, kept_texts, blocks or []))
    if not _has_content(
        blocks=kept_blocks, sections=[include_upcoming, include_recordings, include_call]
    ):
        errors[None] = [_empty()]
    if errors:
        raise NewsletterRefused(errors=errors)
    values = {
        "subject": subject,
        "introduction": str(introduction).strip(),
        "texts": kept_texts,
        "blocks": kept_blocks,
        "include_upcoming": include_upcoming,
        "include_recordings": include_recordings,
        "recordings_days": recordings_days,
        "include_call": include_call,
    }
    with transaction.atomic():
        if issue is None:
            created = NewsletterIssue.objects.create(series=series, created_by=actor, **values)
            audit.record(
                actor=actor,
                action=CommunicationsAction.NEWSLETTER_SAVED,
                subject=created,
                summary=f"Newsletter issue {created.pk} of {series.slug} written",
                changes={"subject": [None, subject]},
            )
            return created
        locked = changes.locked(NewsletterIssue, pk=issue.pk)
        if locked.series_id != series.pk:
            raise NewsletterRefused(_("This issue is not of this series."))
        if locked.status != NewsletterIssue.Status.DRAFT:
            raise NewsletterRefused(
                _("This issue was already sent for approval: it can no longer change.")
            )
        changes.update(
            locked,
            actor=actor,
            action=CommunicationsAction.NEWSLETTER_SAVED,
            summary=f"Newsletter issue {locked.pk} of {series.slug} changed",
            **values,
        )
    return locked


def send_test(*, actor: User, issue: NewsletterIssue, language: str) -> OutboxMessage:
    """Send the issue, as a recipient of ``language`` receives it, to the actor alone: one
    message, not held, category newsletter (so it carries List-Unsubscribe). No campaign is
    made and the issue stays as it is.

    Refused: not the secretariat (PermissionDenied); an actor without an address
    (``NewsletterRefused``).

    Side effects: one OutboxMessage (delivered after the commit, unless the actor's address
    unsubscribed from newsletters: then stored suppressed); audit entry
    "communications.newsletter_tested".
    """
    require_secretariat(actor)
    if not actor.email:
        raise NewsletterRefused(_("Your account has no address to send the test to."))
    rendered = preview(actor=actor, issue=issue, language=language)
    with transaction.atomic():
        message = outbox.queue_email(
            to=actor.email,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            language=_language(language),
            kind=TEST_KIND,
            related=issue,
            category=CATEGORY,
        )
        audit.record(
            actor=actor,
            action=CommunicationsAction.NEWSLETTER_TESTED,
            subject=issue,
            summary=f"Newsletter issue {issue.pk} tested in {_language(language)}",
            changes={"language": _language(language)},
        )
    return message


def _recipients(audience: audiences.Audience) -> list[audiences.Recipient]:
    if audience.kind not in audiences.KINDS:
        raise NewsletterRefused(errors={"kind": [_("Choose who to send it to from the list.")]})
    if audience.kind in audiences.NEEDS_VALUE and not audience.value:
        raise NewsletterRefused(
            errors={"kind": [_("Choose which one, in the list that goes with this audience.")]}
        )
    found = audiences.recipients(audience)
    if not found:
        raise NewsletterRefused(
            errors={"kind": [_("Nobody is in this audience: there is no one to send it to.")]}
        )
    return found


def send_for_approval(
    *,
    actor: User,
    issue: NewsletterIssue,
    audience: audiences.Audience,
    rate_per_minute: int = campaigns.DEFAULT_RATE,
) -> tuple[Campaign, int]:
    """Draft the issue's campaign: one held message per person of ``audience``, in their
    language with the times in their zone, category "newsletter"; the issue is then sent
    for approval and no longer changes. Nothing leaves before the secretariat sends the
    campaign from its page. Returns the campaign and the number of messages drafted.

    Refused: not the secretariat (PermissionDenied); an unknown audience or an audience of
    zero (field ``kind``), a rate out of range (``rate_per_minute``), an issue with nothing in
    it, an issue already sent for approval (``NewsletterRefused``: a second press sends
    nothing).

    Side effects: the Campaign row (``issue`` set); held OutboxMessages (those to an address
    that unsubscribed or bounced stored suppressed); the issue's status and sent_at; one
    audit entry "communications.newsletter_sent".
    """
    require_secretariat(actor)
    audience = audiences.Audience(
        series_id=issue.series_id, kind=audience.kind, value=audience.value
    )
    if not 1 <= rate_per_minute <= campaigns.MAX_RATE:
        raise NewsletterRefused(
            errors={
                "rate_per_minute": [
                    _("Give a number of messages a minute between 1 and %(max)s.")
                    % {"max": campaigns.MAX_RATE}
                ]
            }
        )
    with transaction.atomic():
        locked = changes.locked(NewsletterIssue, pk=issue.pk)
        if locked.status != NewsletterIssue.Status.DRAFT:
            raise NewsletterRefused(
                _("This issue was already sent for approval: nothing more was sent.")
            )
        if not _has_content(
            blocks=locked.blocks,
            sections=[locked.include_upcoming, locked.include_recordings, locked.include_call],
        ):
            raise NewsletterRefused(_empty())
        recipients = _recipients(audience)
        campaign = Campaign.objects.create(
            series_id=locked.series_id,
            issue=locked,
            audience=audience.spec(),
            created_by=actor,
            rate_per_minute=rate_per_minute,
        )
        composer = Composer(locked)
        drafted: set[str] = set()
        for recipient in recipients:
            if recipient.email in drafted:
                continue
            drafted.add(recipient.email)
            rendered = render(
                locked,
                reader=Reader(recipient.email, recipient.name, recipient.language, recipient.zone),
                composer=composer,
            )
            outbox.queue_email(
                to=recipient.email,
                subject=rendered.subject,
                text=rendered.text,
                html=rendered.html,
                language=_language(recipient.language),
                kind=KIND,
                related=campaign,
                hold=True,
                batch=campaign.batch,
                category=CATEGORY,
            )
        changes.update(
            locked,
            actor=actor,
            action=CommunicationsAction.NEWSLETTER_SENT,
            summary=(
                f"Newsletter issue {locked.pk}: {len(drafted)} messages drafted for "
                f"{audiences.describe(audience)}"
            ),
            status=NewsletterIssue.Status.SENT,
            sent_at=timezone.now(),
        )
    issue.refresh_from_db()
    return campaign, len(drafted)
