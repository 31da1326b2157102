"""Engagement: what people did with the series' webinars beyond attending — the feedback
ratings per webinar (how useful, 1 to 5), the plays started on the recordings' player and the
materials' downloads.

Plays and downloads are the counters ``webinars`` keeps per object per day
(``webinars.engagement``): a webinar's figure is the sum of its recordings' (or materials')
days that fall in the filters' period (every day without one), for the webinars the filters
choose. A count says nothing about anyone, so it is shown whatever its size. A webinar's
distribution of ratings is hidden under 5 answers (``SMALLEST_SHOWN``), so that a host cannot
tell whose answer is whose; the number of answers and the average are shown. Read-only, for
the secretariat; five queries whatever the number of answers, plays or downloads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, QuerySet, Sum

from deepdive.core.permissions import Actor, require_secretariat
from deepdive.webinars.attendance.sheet import SMALLEST_SHOWN
from deepdive.webinars.models import Feedback, MaterialDownloads, RecordingPlays, Webinar

from .participation import Filters

RATINGS = [value for value, _label in Feedback.Usefulness.choices]


@dataclass(frozen=True)
class Rating:
    """A webinar's feedback: ``distribution`` (rating → answers, lowest first) is ``None``
    under 5 answers; ``average`` to one decimal, ``None`` without answers."""

    webinar: Webinar
    answers: int
    average: float | None
    distribution: list[int] | None


@dataclass(frozen=True)
class Usage:
    """A webinar's recording plays and material downloads in the period."""

    webinar: Webinar
    plays: int
    downloads: int


@dataclass
class Engagement:
    filters: Filters
    ratings: list[Rating] = field(default_factory=list)
    answers: int = 0
    average: float | None = None
    distribution: list[int] | None = None
    usage: list[Usage] = field(default_factory=list)
    plays: int = 0
    downloads: int = 0


def engagement(*, reader: Actor, filters: Filters) -> Engagement:
    """The engagement report for the secretariat (PermissionDenied for anyone else)."""
    require_secretariat(reader)
    webinars = list(filters.webinars().select_related("proposal").order_by("starts_at", "pk"))
    chosen = [w.pk for w in webinars]
    feedback = Feedback.objects.filter(webinar__in=chosen).order_by()
    by_rating: dict[tuple[int, int], int] = {
        (row["webinar"], row["usefulness"]): row["n"]
        for row in feedback.values("webinar", "usefulness").annotate(n=Count("pk"))
    }
    averages = {
        row["webinar"]: (row["n"], row["average"])
        for row in feedback.values("webinar").annotate(n=Count("pk"), average=Avg("usefulness"))
    }
    report = Engagement(filters)
    plays = _per_webinar(
        RecordingPlays.objects.filter(recording__webinar__in=chosen),
        "recording__webinar",
        filters,
    )
    downloads = _per_webinar(
        MaterialDownloads.objects.filter(material__webinar__in=chosen),
        "material__webinar",
        filters,
    )
    report.usage = [
        Usage(webinar, plays.get(webinar.pk, 0), downloads.get(webinar.pk, 0))
        for webinar in webinars
    ]
    report.plays = sum(plays.values())
    report.downloads = sum(downloads.values())
    for webinar in webinars:
        answers, average = averages.get(webinar.pk, (0, None))
        distribution = [by_rating.get((webinar.pk, r), 0) for r in RATINGS]
        report.ratings.append(
            Rating(
                webinar,
                answers,
                round(average, 1) if average is not None else None,
                distribution if answers >= SMALLEST_SHOWN else None,
            )
        )
    report.answers = sum(r.answers for r in report.ratings)
    if report.answers:
        # The mean over every answer, not a mean of the webinars' rounded averages.
        exact = sum(rating * n for (_pk, rating), n in by_rating.items()) / report.answers
        report.average = round(exact, 1)
        if report.answers >= SMALLEST_SHOWN:
            report.distribution = [
                sum(n for (_pk, r), n in by_rating.items() if r == rating) for rating in RATINGS
            ]
    return report


def _per_webinar(
    counts: QuerySet[RecordingPlays] | QuerySet[MaterialDownloads], webinar: str, filters: Filters
) -> dict[int, int]:
    """The counters' days in the filters' period (both ends included), summed per webinar."""
    if filters.start is not None:
        counts = counts.filter(day__gte=filters.start)
    if filters.end is not None:
        counts = counts.filter(day__lte=filters.end)
    return {
        row[webinar]: row["n"] for row in counts.order_by().values(webinar).annotate(n=Sum("count"))
    }
