"""Reads of series and calls for the public pages and the secretariat's."""

import hashlib
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from django.conf.locale import LANG_INFO
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.timesince import timeuntil
from django.utils.translation import gettext

from deepdive.reference.models import Criterion, Outcome, Sector, Theme

from . import branding
from .models import Call, Series
from .texts import LocalText, reader_language
from .times import utc_to_local


def public_series() -> QuerySet[Series]:
    """Every series with its Action Group and its calls (in the order they open), newest
    series first."""
    return (
        Series.objects.select_related("action_group")
        .prefetch_related(Prefetch("calls", queryset=Call.objects.order_by("opens_at", "pk")))
        .order_by("-created_at", "-pk")
    )


def series_band_style(series: Series) -> str:
    """The series' colours as CSS custom properties (``--series-primary: #1e2dbe; ...``)."""
    props = branding.band(series.colour_primary, series.colour_accent)
    return "; ".join(f"{name}: {value}" for name, value in props.items())


def series_band_css_url(series: Series) -> str:
    """The address of the series' colours stylesheet (no inline style: the CSP forbids it),
    versioned by the colours so a browser may keep it."""
    version = hashlib.sha256(series_band_style(series).encode()).hexdigest()[:10]
    return reverse("series:colours", kwargs={"slug": series.slug}) + f"?v={version}"


def language_names(codes: list[str]) -> list[tuple[str, str]]:
    """(code, name in the reader's language) of a series' languages; unknown codes as is."""
    names = []
    for code in codes if isinstance(codes, list) else []:
        info = LANG_INFO.get(str(code))
        names.append((str(code), gettext(info["name"]) if info else str(code)))
    return names


# ------------------------------------------------------------------------- a call's page


def call_moments(series_slug: str, call_slug: str) -> Call | None:
    """Just enough of a call to decide whether a kept copy of its page may serve: one query."""
    return (
        Call.objects.only("pk", "opens_at", "closes_at")
        .filter(series__slug=series_slug, slug=call_slug)
        .first()
    )


def public_call(series_slug: str, call_slug: str) -> Call | None:
    """The call ``call_slug`` of the series ``series_slug``, with what the page shows."""
    return (
        Call.objects.select_related("series", "series__action_group")
        .prefetch_related("themes", "sectors")
        .filter(series__slug=series_slug, slug=call_slug)
        .first()
    )


def call_outcomes(call: Call) -> list[Outcome]:
    """The Outcomes that apply to ``call``; a call saved without any shows all of its Action
    Group's (calls made before they could be chosen)."""
    chosen = list(call.outcomes.order_by("number"))
    if chosen:
        return chosen
    return list(Outcome.objects.filter(action_group=call.series.action_group_id).order_by("number"))


def default_background(call: Call) -> str:
    """The concept note's background, for a call whose own is left empty."""
    group = str(call.series.action_group)
    return gettext(
        "Achieving progress towards SDG target 8.7 requires collaboration to share knowledge "
        "and scale up action. As the Secretariat of the %(group)s Action Group, the ILO "
        "coordinates a virtual deep dive workshop series to facilitate knowledge sharing among "
        "its members on impacts and lessons learned in relation to child labour, forced labour "
        "and human trafficking.\n\n"
        "The workshops are an opportunity for members of the %(group)s Action Group to share "
        "information and experiences on key areas of work including research, policy, "
        "advocacy, capacity building and country-level action."
    ) % {"group": group}


def default_who_may_apply(call: Call) -> str:
    return gettext(
        "All members of the %(group)s Action Group are invited to submit a proposal, "
        "independently or jointly with other members. A proposal is submitted by a verified "
        "contact of a member organisation."
    ) % {"group": str(call.series.action_group)}


def seconds_until_status_change(call: Call, *, now: datetime, cap: int) -> int:
    """Whole seconds until the call next opens or closes, at most ``cap`` (0 when it is due)."""
    upcoming = [moment for moment in (call.opens_at, call.closes_at) if moment > now]
    if not upcoming:
        return cap
    return max(0, min(cap, int((min(upcoming) - now).total_seconds())))


#: ``check(user, call) -> bool``: whether ``user`` may propose to ``call``; registered by the
#: proposals app in its ``AppConfig.ready`` (``proposals.access.can_propose``).
PROPOSE_CHECKS: list[Callable[[Any, Call], bool]] = []


def register_propose_check(check: Callable[[Any, Call], bool]) -> Callable[[Any, Call], bool]:
    """Let the call's page ask ``check`` whether a reader may propose (once per check)."""
    if check not in PROPOSE_CHECKS:
        PROPOSE_CHECKS.append(check)
    return check


def _may_propose(user: Any, call: Call) -> bool:
    return any(check(user, call) for check in PROPOSE_CHECKS)


def call_page(call: Call, *, user: Any, now: datetime) -> dict[str, Any]:
    """What the public page of ``call`` shows to ``user`` at ``now`` (its status is worked out
    here, at each request, from the stored instants: nothing is cached).

    Whether ``user`` may propose is asked of the check the proposals app registers
    (``register_propose_check``): series stands below proposals and does not import it."""
    status = call.status_at(now)
    return {
        "call": call,
        "series": call.series,
        "status": status,
        "is_open": status == Call.Status.OPEN,
        "is_scheduled": status == Call.Status.SCHEDULED,
        "is_closed": status == Call.Status.CLOSED,
        "status_label": Call.Status(status).label,
        "time_left": timeuntil(call.closes_at, now) if status == Call.Status.OPEN else "",
        "opens_in": timeuntil(call.opens_at, now) if status == Call.Status.SCHEDULED else "",
        "can_propose": status == Call.Status.OPEN and _may_propose(user, call),
        "is_secretariat": bool(getattr(user, "is_secretariat", False)),
        # Each a LocalText: in the reader's language, else marked as in another.
        "series_title": call.series.local_text("title"),
        "title": call.local_text("title"),
        "description": call.local_text("description"),
        "background": call.local_text("background")
        or LocalText(default_background(call), reader_language()),
        "who_may_apply": call.local_text("who_may_apply")
        or LocalText(default_who_may_apply(call), reader_language()),
        "outcomes": call_outcomes(call),
        "criteria": list(Criterion.objects.all()),
        "themes": list(call.themes.all()),
        "sectors": list(call.sectors.all()),
        "band_css": series_band_css_url(call.series),
    }


# ------------------------------------------------------------------- the secretariat's pages


def managed_series(*, now: datetime) -> list[tuple[Series, list[tuple[Call, Call.Status]]]]:
    """Every series (newest first) with its calls (latest first) and each call's status at
    ``now``, for the secretariat's list."""
    series_list = (
        Series.objects.select_related("action_group")
        .prefetch_related(Prefetch("calls", queryset=Call.objects.order_by("-opens_at", "-pk")))
        .order_by("-created_at", "-pk")
    )
    return [
        (series, [(call, Call.Status(call.status_at(now))) for call in series.calls.all()])
        for series in series_list
    ]


def next_deadline(now: datetime, zone_name: str) -> datetime:
    """The next 30 September, 23:59 in ``zone_name`` (the concept note's deadline), as a
    wall-clock time: this year's until that day, then next year's."""
    today = utc_to_local(now, zone_name).date()
    year = today.year if today < date(today.year, 9, 30) else today.year + 1
    return datetime(year, 9, 30, 23, 59)


def call_initial(series: Series, *, now: datetime) -> dict[str, Any]:
    """The values a new call's form starts with: Europe/Zurich, opening today at 09:00 and
    closing on the next 30 September at 23:59 there, 250 words, 8 seats, every Outcome of the
    series' Action Group, every theme and every sector, co-submitters asked to confirm."""
    zone_name = "Europe/Zurich"
    today = utc_to_local(now, zone_name).date()
    return {
        "timezone": zone_name,
        "opens_local": datetime.combine(today, time(9, 0)),
        "closes_local": next_deadline(now, zone_name),
        "word_limit": 250,
        "seats": 8,
        "outcomes": list(
            Outcome.objects.filter(action_group=series.action_group_id).values_list("pk", flat=True)
        ),
        "themes": list(Theme.objects.values_list("pk", flat=True)),
        "sectors": list(Sector.objects.values_list("pk", flat=True)),
        "co_submitters_must_confirm": True,
    }
