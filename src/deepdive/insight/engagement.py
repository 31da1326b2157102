"""Engagement: what people did with the series' webinars beyond attending — the feedback
ratings per webinar (how useful, 1 to 5), and, once the platform counts them, recording plays
and material downloads.

The platform does not count plays or downloads yet (no counter in ``webinars``; the library's
player is an embedded video): the report says so rather than guess (``PLAYS_RECORDED``).
A webinar's distribution of ratings is hidden under 5 answers (``SMALLEST_SHOWN``), so that a
host cannot tell whose answer is whose; the number of answers and the average are shown.
Read-only, for the secretariat; three queries whatever the number of answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count

from deepdive.core.permissions import Actor, require_secretariat
from deepdive.webinars.attendance.sheet import SMALLEST_SHOWN
from deepdive.webinars.models import Feedback, Webinar

from .participation import Filters

# Whether the platform counts recording plays and material downloads: not yet.
PLAYS_RECORDED = False
DOWNLOADS_RECORDED = False

RATINGS = [value for value, _label in Feedback.Usefulness.choices]


@dataclass(frozen=True)
class Rating:
    """A webinar's feedback: ``distribution`` (rating → answers, lowest first) is ``None``
    under 5 answers; ``average`` to one decimal, ``None`` without answers."""

    webinar: Webinar
    answers: int
    average: float | None
    distribution: list[int] | None


@dataclass
class Engagement:
    filters: Filters
    ratings: list[Rating] = field(default_factory=list)
    answers: int = 0
    average: float | None = None
    distribution: list[int] | None = None
    plays_recorded: bool = PLAYS_RECORDED
    downloads_recorded: bool = DOWNLOADS_RECORDED


def engagement(*, reader: Actor, filters: Filters) -> Engagement:
    """The engagement report for the secretariat (PermissionDenied for anyone else)."""
    require_secretariat(reader)
    webinars = list(filters.webinars().select_related("proposal").order_by("starts_at", "pk"))
    feedback = Feedback.objects.filter(webinar__in=[w.pk for w in webinars]).order_by()
    by_rating: dict[tuple[int, int], int] = {
        (row["webinar"], row["usefulness"]): row["n"]
        for row in feedback.values("webinar", "usefulness").annotate(n=Count("pk"))
    }
    averages = {
        row["webinar"]: (row["n"], row["average"])
        for row in feedback.values("webinar").annotate(n=Count("pk"), average=Avg("usefulness"))
    }
    report = Engagement(filters)
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
