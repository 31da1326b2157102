"""What the public API reads: the same public queries as the public pages (``series.queries``,
``webinars.queries``, ``webinars.library``), so the API shows exactly what those pages show to
an anonymous reader: published webinars only, published recordings only, public materials
only, and never a person's contact, a registration or a joining link."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from deepdive.directory.models import Organisation
from deepdive.insight.coverage import Coverage, coverage
from deepdive.insight.participation import Filters
from deepdive.proposals.models import CoSubmitter
from deepdive.reference.models import Outcome, Output, Theme
from deepdive.series import queries as series_queries
from deepdive.series.models import Call, Series
from deepdive.webinars import library
from deepdive.webinars import queries as webinar_queries
from deepdive.webinars.models import Material, Recording, Webinar


def series() -> QuerySet[Series]:
    """Every series, newest first, with its calls (as the public pages list them)."""
    return series_queries.public_series()


def calls(series_slug: str, *, status: str = "", now: datetime) -> QuerySet[Call] | None:
    """The calls of the series ``series_slug`` in the order they open (None: no such series);
    ``status``: "open" (open at ``now``), "past" (closed), "scheduled" (not open yet)."""
    found = Series.objects.filter(slug=series_slug).first()
    if found is None:
        return None
    rows = Call.objects.filter(series=found).select_related("series").order_by("opens_at", "pk")
    if status == "open":
        rows = rows.filter(opens_at__lte=now, closes_at__gt=now)
    elif status == "past":
        rows = rows.filter(closes_at__lte=now)
    elif status == "scheduled":
        rows = rows.filter(opens_at__gt=now)
    return rows


def call_status(call: Call, *, now: datetime) -> str:
    if call.is_open_at(now):
        return Call.Status.OPEN
    return Call.Status.SCHEDULED if now < call.opens_at else Call.Status.CLOSED


def _day_start(day: date, *, end: bool = False) -> datetime:
    """The UTC instant a day begins (``end``: the next day begins)."""
    return datetime.combine(day + timedelta(days=1) if end else day, time(0), tzinfo=UTC)


def webinars(filters: dict[str, Any]) -> QuerySet[Webinar] | None:
    """The published webinars matching ``filters`` in time order, with what a list shows;
    None when ``series`` names no series. Each filter is optional: ``series`` (a slug),
    ``theme``, ``outcome``, ``sector``, ``region``, ``language`` (as on a programme page),
    ``from``, ``to`` and ``q`` (words).

    ``outcome`` is an Outcome's number: of the series' Action Group when ``series`` is given
    (as on the programme page), else of any Action Group. ``from`` and ``to`` are UTC dates,
    both included."""
    rows = webinar_queries.published()
    chosen = None
    if filters.get("series"):
        chosen = Series.objects.filter(slug=filters["series"]).first()
        if chosen is None:
            return None
        rows = rows.filter(proposal__call__series=chosen)
    page_filters = {
        key: filters[key]
        for key in ("theme", "sector", "region", "language", "outcome")
        if filters.get(key)
    }
    if chosen is None and "outcome" in page_filters:
        rows = rows.filter(proposal__outcomes__number=int(page_filters.pop("outcome")))
    if page_filters:
        # The programme page's own filters. They read the series only for an Outcome, which
        # was taken out above when there is none: hence None is safe where a Series is typed.
        rows = webinar_queries.filter_webinars(rows, page_filters, series=chosen)  # type: ignore[arg-type]
    if filters.get("from"):
        rows = rows.filter(starts_at__gte=_day_start(filters["from"]))
    if filters.get("to"):
        rows = rows.filter(starts_at__lt=_day_start(filters["to"], end=True))
    if filters.get("q"):
        words = filters["q"]
        rows = rows.filter(
            Q(proposal__title__icontains=words)
            | Q(proposal__description__icontains=words)
            | Q(proposal__lead_organisation__name__icontains=words)
        )
    return webinar_queries.with_details(rows.distinct()).order_by("starts_at", "pk")


def webinar(pk: int) -> Webinar | None:
    """The published webinar ``pk`` as its public page shows it to an anonymous reader."""
    return webinar_queries.visible_webinar(AnonymousUser(), pk)


def speakers(found: Webinar) -> list[dict[str, str]]:
    """The speakers the webinar's page names: those of the workspace who agreed to be listed,
    else the proposal's; only name, role and organisation (what the page shows beside it)."""
    listed = webinar_queries.listed_speakers(found)
    if listed:
        return [
            {
                "name": person.name,
                "role": ", ".join(
                    part for part in (str(person.get_role_display()), person.title) if part
                ),
                "organisation": str(person.organisation or person.organisation_name or ""),
            }
            for person in listed
        ]
    return [
        {"name": person.name, "role": person.role, "organisation": person.organisation}
        for person in found.proposal.speakers.all()
    ]


def public_materials(found: Webinar) -> list[Material]:
    """The webinar's materials everyone may download (what an anonymous reader sees)."""
    return webinar_queries.visible_materials(AnonymousUser(), found, host=False)


def published_recordings() -> QuerySet[Recording]:
    """Published recordings of published webinars, newest webinar first, with captions."""
    return (
        Recording.objects.filter(
            published_at__isnull=False, webinar__in=webinar_queries.published()
        )
        .select_related("webinar__proposal__call__series")
        .prefetch_related("captions")
        .order_by("-webinar__starts_at", "pk")
    )


def materials() -> QuerySet[Material]:
    """Public materials of published webinars (the library's rule for an anonymous reader)."""
    shelved = library.shelf(AnonymousUser())
    return (
        Material.objects.filter(
            visibility__in=library.material_levels(AnonymousUser()), webinar__in=shelved
        )
        .select_related("webinar__proposal")
        .order_by("-webinar__starts_at", "title", "pk")
    )


def themes() -> QuerySet[Theme]:
    return Theme.objects.all()


def outcomes() -> QuerySet[Outcome]:
    """Every Action Group's Outcomes with their Outputs, in number order."""
    return (
        Outcome.objects.select_related("action_group")
        .prefetch_related(Prefetch("outputs", queryset=Output.objects.order_by("number")))
        .order_by("action_group__code", "number")
    )


def host_organisations() -> QuerySet[Organisation]:
    """The organisations hosting a published webinar: its lead organisation or a
    co-submitter that confirmed (as the programme names them), by name."""
    shown = webinar_queries.published()
    confirmed = CoSubmitter.objects.filter(
        status=CoSubmitter.Status.CONFIRMED,
        organisation=OuterRef("pk"),
        proposal__webinar__in=shown,
    )
    return (
        Organisation.objects.filter(
            Q(Exists(shown.filter(proposal__lead_organisation=OuterRef("pk"))))
            | Q(Exists(confirmed))
        )
        .prefetch_related("countries")
        .order_by("name", "pk")
    )


def workplan_coverage(series_slug: str, *, call_slug: str = "") -> Coverage | None:
    """The public summary of the series' workplan coverage (``insight.coverage`` with
    ``public``: published webinars only, no proposal named), of one call if given. None when
    there is no such series or call."""
    found = Series.objects.filter(slug=series_slug).first()
    if found is None:
        return None
    call = None
    if call_slug:
        call = Call.objects.filter(series=found, slug=call_slug).first()
        if call is None:
            return None
    return coverage(reader=None, filters=Filters(series=found, call=call), public=True)
