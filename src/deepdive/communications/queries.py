"""Reads for the cards: what a webinar's card says, the series' branding, who may download,
and the cards themselves, drawn once and kept in storage.

A card is stored under a name made of the webinar, its language, its size and a hash of what
is drawn (``CardData``, the branding's colours, layout, logo and version, ``DRAWING``): when
the webinar's title, time or hosts change, or the branding does, the name changes and a new
card is drawn on the next request; no signal is needed. Old cards are left in storage.
"""

from __future__ import annotations

import hashlib
import json
import zoneinfo
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from deepdive.core.timezones import zone_labels
from deepdive.series.models import Series
from deepdive.webinars import audience
from deepdive.webinars import queries as webinar_queries
from deepdive.webinars.models import Webinar

from . import cards
from .models import DEFAULT_ACCENT, DEFAULT_PRIMARY, Branding

LANGUAGES = ("en", "fr", "es")
DRAWING = 1  # raise when cards.py draws differently: every stored card is drawn again
THUMBNAIL = "thumbnail"


def branding_of(series: Series) -> Branding:
    """The series' branding; unsaved defaults (the series' own colours) when it has none."""
    try:
        return series.branding
    except Branding.DoesNotExist:
        return Branding(
            series=series,
            colour_primary=series.colour_primary or DEFAULT_PRIMARY,
            colour_accent=series.colour_accent or DEFAULT_ACCENT,
            version=0,
        )


def _read(field_file) -> bytes | None:
    if not field_file:
        return None
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except OSError:  # a file gone from storage: the card is drawn without it
        return None


def style_of(branding: Branding, **overrides: str) -> cards.Style:
    """The drawing style of ``branding``; ``overrides`` (primary, accent, layout) preview
    values not saved yet."""
    return cards.Style(
        primary=overrides.get("primary") or branding.colour_primary,
        accent=overrides.get("accent") or branding.colour_accent,
        layout=overrides.get("layout") or branding.layout,
        logo=_read(branding.logo),
        version=branding.version,
    )


def _zone_label(zone: str, language: str) -> str:
    return dict(zone_labels(language)).get(zone, zone.replace("_", " "))


def _offset(local) -> str:
    offset = local.strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"


def card_data(webinar: Webinar, language: str) -> cards.CardData:
    """What ``webinar``'s card says in ``language``: its time in the series' zone (the
    call's) and in up to three main audience zones, hosts, themes, languages, address."""
    with translation.override(language):
        call = webinar.call
        start = webinar.starts_at or webinar.planned_start or timezone.now()
        end = start + timedelta(minutes=webinar.minutes)
        home = zoneinfo.ZoneInfo(call.timezone)
        local, local_end = start.astimezone(home), end.astimezone(home)
        when = "{}, {}–{} ({}, {})".format(
            date_format(local, "DATE_FORMAT"),
            time_format(local, "H:i"),
            time_format(local_end, "H:i"),
            _zone_label(call.timezone, language),
            _offset(local),
        )
        elsewhere: list[str] = []
        weights = {zone: float(w) for zone, w in audience.audience_of(webinar).items()}
        for zone, _weight in audience.main_zones(weights, 3):
            if zone == call.timezone or len(elsewhere) == 3:
                continue
            there = start.astimezone(zoneinfo.ZoneInfo(zone))
            day = "" if there.date() == local.date() else " " + date_format(there, "D j M")
            elsewhere.append(
                f"{time_format(there, 'H:i')}{day} {_zone_label(zone, language)} ({_offset(there)})"
            )
        hosts = webinar_queries.hosts_of(webinar)
        lead = hosts[0] if hosts else None
        return cards.CardData(
            title=webinar.title,
            series=call.series.text("title", language) or call.series.title,
            when=when,
            elsewhere=tuple(elsewhere),
            hosts=tuple(o.name for o in hosts if o is not None),
            themes=tuple(str(t) for t in webinar.proposal.themes.all()),
            languages=tuple(name for _code, name in webinar_queries.languages_of(webinar.proposal)),
            url=settings.SITE_URL.rstrip("/") + webinar.get_absolute_url(),
            host_logo=_read(lead.logo) if lead is not None and lead.logo else None,
        )


def sample_data(series: Series, language: str) -> cards.CardData:
    """A made-up webinar for the branding preview when the series has none published."""
    with translation.override(language):
        start = (timezone.now() + timedelta(days=30)).replace(
            hour=13, minute=0, second=0, microsecond=0
        )
        return cards.CardData(
            title=_("Sample webinar: what works against forced labour in supply chains"),
            series=series.title,
            when="{}, {}–{} (UTC)".format(date_format(start, "DATE_FORMAT"), "13:00", "14:30"),
            elsewhere=(),
            hosts=(_("A host organisation"),),
            themes=(_("Supply chains"),),
            languages=(_("English"),),
            url=settings.SITE_URL.rstrip("/") + series.get_absolute_url(),
        )


def next_webinar(series: Series) -> Webinar | None:
    """The series' next published webinar (the preview's sample), if any."""
    return (
        webinar_queries.with_details(
            Webinar.objects.filter(
                proposal__call__series=series,
                published_at__isnull=False,
                starts_at__gte=timezone.now(),
                cancelled_at__isnull=True,
            )
        )
        .order_by("starts_at")
        .first()
    )


def may_download(user, webinar: Webinar) -> bool:
    """The webinar's hosts and the secretariat download every card, published or not."""
    return webinar_queries.hosts_or_secretariat(user, webinar)


def card_webinar(user, pk: int) -> Webinar | None:
    """The webinar whose cards ``user`` may fetch: any published one (its cards are public),
    or one ``user`` hosts or the secretariat; None otherwise (a 404, never a leak)."""
    webinar = webinar_queries.with_details(Webinar.objects.filter(pk=pk)).first()
    if webinar is None:
        return None
    if webinar.is_published and webinar.starts_at is not None:
        return webinar
    return webinar if may_download(user, webinar) else None


@dataclass(frozen=True)
class StoredCard:
    name: str  # the file in storage
    kind: str  # png or pdf
    alt: str
    warnings: tuple[str, ...]
    etag: str


def _key(data: cards.CardData, style: cards.Style, size: str) -> str:
    drawn = asdict(data)
    drawn["host_logo"] = hashlib.sha256(data.host_logo or b"").hexdigest()
    look = asdict(style)
    look["logo"] = hashlib.sha256(style.logo or b"").hexdigest()
    text = json.dumps([DRAWING, size, drawn, look], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def card(
    data: cards.CardData, style: cards.Style, *, owner: str, language: str, size: str
) -> StoredCard:
    """The card of ``data`` in ``size``: read from storage, or drawn and stored once (with a
    small thumbnail and its warnings beside it). ``owner`` names the folder (webinar-12)."""
    kind = cards.SIZES[size][2]
    digest = _key(data, style, size)
    base = f"cards/{owner}/{language}/{size}-{digest}"
    with translation.override(language):
        alt = cards.alt_text(data)
        if not default_storage.exists(f"{base}.json"):
            drawn = cards.draw(data, style, size)
            default_storage.save(f"{base}.{kind}", ContentFile(drawn.encoded(kind)))
            default_storage.save(
                f"{base}-{THUMBNAIL}.png", ContentFile(cards.thumbnail(drawn.image))
            )
            # Written last: its presence says the card and its thumbnail are there.
            default_storage.save(f"{base}.json", ContentFile(json.dumps(drawn.warnings).encode()))
            warnings = tuple(drawn.warnings)
        else:
            with default_storage.open(f"{base}.json", "rb") as handle:
                warnings = tuple(json.loads(handle.read()))
    return StoredCard(name=base, kind=kind, alt=alt, warnings=warnings, etag=digest)


def webinar_card(webinar: Webinar, *, language: str, size: str) -> StoredCard:
    branding = branding_of(webinar.call.series)
    return card(
        card_data(webinar, language),
        style_of(branding),
        owner=f"webinar-{webinar.pk}",
        language=language,
        size=size,
    )


@dataclass(frozen=True)
class CardEntry:
    language: str
    language_name: str
    size: str
    size_name: str
    kind: str
    alt: str
    warnings: tuple[str, ...]
    etag: str  # in the addresses: a changed card is fetched again


def card_sheet(webinar: Webinar) -> list[CardEntry]:
    """Every card of ``webinar``: language × size, each drawn if not stored yet."""
    names = dict(settings.LANGUAGES)
    entries = []
    for language in LANGUAGES:
        for size in cards.SIZES:
            stored = webinar_card(webinar, language=language, size=size)
            size_name = str(cards.size_name(size))  # in the reader's language
            entries.append(
                CardEntry(
                    language=language,
                    language_name=str(names.get(language, language)),
                    size=size,
                    size_name=size_name,
                    kind=stored.kind,
                    alt=stored.alt,
                    warnings=stored.warnings,
                    etag=stored.etag,
                )
            )
    return entries
