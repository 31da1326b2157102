"""The library: every published recording and every material a reader may see, of every
series, one entry per webinar, newest first; searched and filtered by series, theme, Outcome,
workplan Output, sector, region, language and year.

What a reader may see: published recordings of published webinars, for everyone; materials
of published webinars by their visibility: public ones for everyone, members' ones for
verified members, all for the secretariat, and "hosts only" ones to the webinar's hosts (the
webinars a reader hosts are found once per page, ``queries.hosted_webinar_ids``). The page
takes the same number of queries whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from deepdive.core.paging import page_links
from deepdive.core.permissions import is_secretariat

from . import queries
from .models import Material, Recording, Webinar
from .recordings import language_name

LIBRARY_PAGE = 20
FILTERS = ("q", "series", "theme", "outcome", "output", "sector", "region", "language", "year")


def material_levels(user: Any) -> list[str]:
    """The materials' visibilities ``user`` sees in the library."""
    if is_secretariat(user):
        return list(Material.Visibility.values)
    if queries.is_verified_member(user):
        return [Material.Visibility.PUBLIC, Material.Visibility.MEMBERS]
    return [Material.Visibility.PUBLIC]


def _shown_materials(user: Any) -> QuerySet[Material]:
    """The materials ``user`` sees in the library: by visibility, plus the "hosts only" ones
    of the webinars they host (the secretariat sees those already)."""
    shown = Q(visibility__in=material_levels(user))
    hosted = set() if is_secretariat(user) else queries.hosted_webinar_ids(user)
    if hosted:
        shown |= Q(visibility=Material.Visibility.HOSTS, webinar__in=hosted)
    return Material.objects.filter(shown)


@dataclass(frozen=True)
class ShelvedRecording:
    recording: Recording
    language_name: str


@dataclass(frozen=True)
class Entry:
    """A webinar of the library with its published recordings and the materials shown."""

    webinar: Webinar
    recordings: list[ShelvedRecording]
    materials: list[Material]


@dataclass
class Library:
    """One page of the library; ``count`` matches the filters over every page."""

    entries: list[Entry] = field(default_factory=list)
    count: int = 0
    filtered: bool = False
    page: Page | None = None
    page_links: list[int | None] = field(default_factory=list)


def _filtered(
    webinars: QuerySet[Webinar], filters: dict[str, Any], *, recordings: QuerySet[Recording]
) -> QuerySet[Webinar]:
    if filters.get("series"):
        webinars = webinars.filter(proposal__call__series__slug=filters["series"])
    if filters.get("theme"):
        webinars = webinars.filter(proposal__themes__code=filters["theme"])
    if filters.get("outcome"):
        webinars = webinars.filter(proposal__outcomes__pk=filters["outcome"])
    if filters.get("output"):
        # An Output belongs to an Outcome: the webinars that serve its Outcome.
        webinars = webinars.filter(proposal__outcomes__outputs__pk=filters["output"])
    if filters.get("sector"):
        webinars = webinars.filter(proposal__sectors__code=filters["sector"])
    if filters.get("region"):
        webinars = webinars.filter(proposal__countries__ilo_region=filters["region"])
    if filters.get("language"):
        code = filters["language"]
        webinars = webinars.filter(
            Exists(recordings.filter(webinar=OuterRef("pk"), language=code))
            | Q(proposal__language=code)
        )
    if filters.get("year"):
        webinars = webinars.filter(starts_at__year=int(filters["year"]))
    if filters.get("q"):
        words = filters["q"]
        webinars = webinars.filter(
            Q(proposal__title__icontains=words)
            | Q(proposal__description__icontains=words)
            | Q(proposal__lead_organisation__name__icontains=words)
            | Exists(Material.objects.filter(webinar=OuterRef("pk"), title__icontains=words))
        )
    return webinars.distinct()


def shelf(user: Any, materials: QuerySet[Material] | None = None) -> QuerySet[Webinar]:
    """The published webinars with a published recording or a material ``user`` may see
    (``materials``, when the caller already has them)."""
    recordings = Recording.objects.filter(published_at__isnull=False)
    if materials is None:
        materials = _shown_materials(user)
    return queries.published().filter(
        Exists(recordings.filter(webinar=OuterRef("pk")))
        | Exists(materials.filter(webinar=OuterRef("pk")))
    )


def library(*, user: Any, filters: dict[str, Any], page: int | str | None = 1) -> Library:
    """Page ``page`` of the library for ``user``, matching ``filters`` (each optional)."""
    recordings = Recording.objects.filter(published_at__isnull=False)
    materials = _shown_materials(user)  # one query for a signed-in reader, once
    webinars = shelf(user, materials)
    filtered = any(filters.get(name) for name in FILTERS)
    if filtered:
        webinars = _filtered(webinars, filters, recordings=recordings)
    ordered = (
        webinars.select_related("proposal__call__series", "proposal__lead_organisation")
        .prefetch_related(
            Prefetch(
                "recordings",
                queryset=recordings.order_by("language"),
                to_attr="shown_recordings",
            ),
            Prefetch("materials", queryset=materials.order_by("title"), to_attr="shown_materials"),
        )
        .order_by("-starts_at", "-pk")
    )
    shown = Paginator(ordered, LIBRARY_PAGE).get_page(page)
    result = Library(
        entries=[
            Entry(
                webinar,
                [
                    ShelvedRecording(r, language_name(r.language))
                    for r in getattr(webinar, "shown_recordings", [])
                ],
                list(getattr(webinar, "shown_materials", [])),
            )
            for webinar in shown.object_list
        ],
        count=shown.paginator.count,
        filtered=filtered,
        page=shown,
    )
    if shown.has_other_pages():
        result.page_links = page_links(shown)
    return result


def years() -> list[int]:
    """The years of the webinars in the library, newest first (the filter's choices)."""
    found = (
        queries.published()
        .filter(
            Exists(Recording.objects.filter(webinar=OuterRef("pk"), published_at__isnull=False))
            | Exists(Material.objects.filter(webinar=OuterRef("pk")))
        )
        .datetimes("starts_at", "year", order="DESC")
    )
    return [day.year for day in found]
