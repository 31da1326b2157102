"""Reads of the reviewing side: a reviewer's list and review page, and the secretariat's ranking
with calibrated scores (see ``calibration.py`` for the model)."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deepdive.proposals.models import CoSubmitter, Proposal
from deepdive.reference.models import Criterion
from deepdive.series.models import Call

from . import access
from .calibration import DEFAULT_RIDGE, calibrate
from .descriptors import descriptors_for
from .models import Assignment, Review, Reviewer, ReviewRound

# A proposal's reviewers disagree when their totals (4..20) are this far apart or more, or when
# one recommends selecting it and another recommends not selecting it.
DISAGREEMENT_SPREAD = 6
# A change smaller than this is shown as "unchanged" (the table shows one decimal).
UNCHANGED_BELOW = 0.05
# A reviewer whose leniency is within this of 0 scores "like the average".
LENIENCY_NOTICEABLE = 0.05


# --- The reviewer's list ----------------------------------------------------------------------


@dataclass
class MyReview:
    proposal: Proposal
    reviewer: Reviewer
    review: Review | None
    round: ReviewRound | None
    is_open: bool

    @property
    def status(self) -> str:
        if self.proposal.status == Proposal.Status.WITHDRAWN:
            return "withdrawn"
        return self.review.status if self.review else "to_do"


def my_reviews(user) -> list[MyReview]:
    """The proposals assigned to ``user`` (an active reviewer) that they are not in conflict
    with, across calls, with their review (or None), the round and whether it is open now.
    Calls closing soonest first, then by proposal title."""
    assignments = list(
        Assignment.objects.filter(
            reviewer__in=access.reviewer_roles(user), status=Assignment.Status.ACTIVE
        ).select_related("reviewer", "proposal__call__series", "proposal__lead_organisation")
    )
    if not assignments:
        return []
    calls = {a.proposal.call_id: a.proposal.call for a in assignments}
    conflicts: set[tuple[int, int]] = set()
    for call in calls.values():
        conflicts |= access.conflict_pairs(call)
    rounds = {r.call_id: r for r in ReviewRound.objects.filter(call_id__in=calls)}
    reviews = {
        (r.reviewer_id, r.proposal_id): r
        for r in Review.objects.filter(
            reviewer__in=[a.reviewer_id for a in assignments],
            proposal__in=[a.proposal_id for a in assignments],
        )
    }
    now = timezone.now()
    rows = []
    for a in assignments:
        if (a.reviewer_id, a.proposal_id) in conflicts:
            continue
        round_ = rounds.get(a.proposal.call_id)
        rows.append(
            MyReview(
                proposal=a.proposal,
                reviewer=a.reviewer,
                review=reviews.get((a.reviewer_id, a.proposal_id)),
                round=round_,
                is_open=bool(round_ and round_.is_open_at(now)),
            )
        )
    far = timezone.now().replace(year=9999)
    rows.sort(
        key=lambda row: (
            (row.round.closes_at if row.round and row.round.closes_at else far),
            row.proposal.call_id,
            str(row.proposal).casefold(),
        )
    )
    return rows


# --- The review page ----------------------------------------------------------------------------


@dataclass
class CriterionScale:
    criterion: Criterion
    descriptors: dict[int, str]


def criteria_with_descriptors() -> list[CriterionScale]:
    return [CriterionScale(c, descriptors_for(c.code)) for c in Criterion.objects.all()]


@dataclass
class OtherReview:
    label: str  # "Reviewer A"
    review: Review
    scores: list[tuple[Criterion, int | None, str]]  # criterion, score, comment


def reviewer_letter(index: int) -> str:
    """A, B, …, Z, AA, AB, …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def other_reviews(reviewer: Reviewer, proposal: Proposal) -> list[OtherReview] | None:
    """The other submitted reviews of ``proposal``, names hidden ("Reviewer A", …), once
    ``reviewer`` has submitted their own and when the round lets reviewers see them; None when
    they may not see them (yet)."""
    round_ = ReviewRound.objects.filter(call_id=proposal.call_id).first()
    if round_ is None or not round_.others_visible_after_submit:
        return None
    if not Review.objects.filter(
        reviewer=reviewer, proposal=proposal, status=Review.Status.SUBMITTED
    ).exists():
        return None
    criteria = list(Criterion.objects.all())
    others = (
        Review.objects.filter(proposal=proposal, status=Review.Status.SUBMITTED)
        .exclude(reviewer=reviewer)
        .order_by("submitted_at", "pk")
    )
    return [
        OtherReview(
            label=_("Reviewer %(letter)s") % {"letter": reviewer_letter(i)},
            review=review,
            scores=[
                (c, review.scores.get(c.code), review.comments.get(c.code, "")) for c in criteria
            ],
        )
        for i, review in enumerate(others)
    ]


def review_page(reviewer: Reviewer, proposal: Proposal) -> dict[str, Any]:
    """Everything the review page shows besides the form."""
    round_ = ReviewRound.objects.filter(call_id=proposal.call_id).first()
    proposal = (
        Proposal.objects.select_related("call__series", "lead_organisation")
        .prefetch_related(
            "outcomes",
            "themes",
            "sectors",
            "countries",
            "speakers",
            Prefetch(
                "co_submitters",
                queryset=CoSubmitter.objects.select_related("organisation"),
            ),
        )
        .get(pk=proposal.pk)
    )
    return {
        "proposal": proposal,
        "reviewer": reviewer,
        "review": Review.objects.filter(reviewer=reviewer, proposal=proposal).first(),
        "round": round_,
        "is_open": bool(round_ and round_.is_open_at(timezone.now())),
        "others": other_reviews(reviewer, proposal),
    }


# --- The ranking --------------------------------------------------------------------------------


@dataclass
class Stats:
    mean: float
    median: float
    spread: float  # max − min

    @classmethod
    def of(cls, values: list[float]) -> Stats | None:
        if not values:
            return None
        return cls(
            mean=statistics.fmean(values),
            median=float(statistics.median(values)),
            spread=float(max(values) - min(values)),
        )


@dataclass
class ReviewerLeniency:
    reviewer: Reviewer
    reviews: int
    leniency: float


@dataclass
class RankingRow:
    proposal: Proposal
    n: int
    criteria: list[tuple[Criterion, Stats | None]]
    total: Stats | None
    raw_mean: float | None
    calibrated: float | None
    raw_rank: int | None = None
    calibrated_rank: int | None = None
    disagreement: list[str] = field(default_factory=list)  # why, empty when they agree
    sentence: str = ""
    recommendations: dict[str, int] = field(default_factory=dict)
    reviewers: list[ReviewerLeniency] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if self.raw_mean is None or self.calibrated is None:
            return None
        return self.calibrated - self.raw_mean


@dataclass
class Ranking:
    rows: list[RankingRow]
    leniencies: list[ReviewerLeniency]
    criteria: list[Criterion]
    mu: float | None
    ridge: float


def _counted(call: Call) -> list[Review]:
    return list(
        Review.objects.filter(access.counted_reviews(call))
        .select_related("reviewer__user")
        .order_by("proposal_id", "reviewer_id")
    )


def _total(review: Review, codes: list[str]) -> int:
    return sum(int(review.scores.get(code, 0) or 0) for code in codes)


def _ranks(values: dict[int, float]) -> dict[int, int]:
    """Competition ranks (1, 2, 2, 4), highest value first; ties compared at 6 decimals."""
    ordered = sorted(values.items(), key=lambda item: -round(item[1], 6))
    ranks: dict[int, int] = {}
    previous = None
    for position, (key, value) in enumerate(ordered, start=1):
        rounded = round(value, 6)
        if rounded != previous:
            rank, previous = position, rounded
        ranks[key] = rank
    return ranks


def _one_decimal(value: float) -> str:
    return number_format(round(abs(value), 1), 1)


def calibration_sentence(change: float, leniencies: list[float]) -> str:
    """One plain sentence on what calibration did to a proposal, from the change of its total
    and the leniencies of its reviewers."""
    if abs(change) < UNCHANGED_BELOW:
        if leniencies and all(abs(x) < LENIENCY_NOTICEABLE for x in leniencies):
            return _("Unchanged: its reviewers score like the average across the call.")
        return _("Unchanged: its reviewers' harsher and kinder scoring cancel out.")
    amount = _one_decimal(change)
    if change > 0:
        count = sum(1 for x in leniencies if x <= -LENIENCY_NOTICEABLE)
        if count == 0:
            return _(
                "Raised by %(change)s: the reviewers it shares with other proposals score "
                "lower than average across the call."
            ) % {"change": amount}
        if count == len(leniencies):
            return _("Raised by %(change)s: its reviewers are harsher than average.") % {
                "change": amount
            }
        return ngettext(
            "Raised by %(change)s: %(count)s of its reviewers scores lower than average "
            "across the call.",
            "Raised by %(change)s: %(count)s of its reviewers score lower than average "
            "across the call.",
            count,
        ) % {"change": amount, "count": count}
    count = sum(1 for x in leniencies if x >= LENIENCY_NOTICEABLE)
    if count == 0:
        return _(
            "Lowered by %(change)s: the reviewers it shares with other proposals score higher "
            "than average across the call."
        ) % {"change": amount}
    if count == len(leniencies):
        return _("Lowered by %(change)s: its reviewers are kinder than average.") % {
            "change": amount
        }
    return ngettext(
        "Lowered by %(change)s: %(count)s of its reviewers scores higher than average "
        "across the call.",
        "Lowered by %(change)s: %(count)s of its reviewers score higher than average "
        "across the call.",
        count,
    ) % {"change": amount, "count": count}


def _disagreement(total: Stats | None, recommendations: Counter) -> list[str]:
    reasons = []
    if total is not None and total.spread >= DISAGREEMENT_SPREAD:
        reasons.append(
            _("Totals are %(spread)s points apart.") % {"spread": number_format(total.spread, 0)}
        )
    if recommendations.get(Review.Recommendation.SELECT) and recommendations.get(
        Review.Recommendation.REJECT
    ):
        reasons.append(_("One reviewer recommends selecting it, another not selecting it."))
    return reasons


def ranking(call: Call, *, ridge: float = DEFAULT_RIDGE) -> Ranking:
    """The call's proposals under review, best calibrated total first.

    Only ``access.counted_reviews(call)`` count: submitted reviews of proposals still
    submitted (a withdrawn proposal's reviews stay in the history, out of the ranking; a
    reviewer removed from the pool still counts). Per proposal: the number of reviews; the
    mean, median and spread (max − min) of each criterion and of the total; the raw mean total
    and the calibrated total (``calibration.calibrate`` over all counted reviews of the call),
    the rank by each; a disagreement flag (totals ``DISAGREEMENT_SPREAD`` or more apart, or both
    "select" and "do not select" recommended) with its reasons; one sentence on what
    calibration did. Submitted proposals without a counted review come last, unranked.
    """
    criteria = list(Criterion.objects.all())
    codes = [c.code for c in criteria]
    reviews = _counted(call)
    fit = calibrate(
        [(r.proposal_id, r.reviewer_id, _total(r, codes)) for r in reviews], ridge=ridge
    )
    by_proposal: dict[int, list[Review]] = {}
    reviewers: dict[int, Reviewer] = {}
    for review in reviews:
        by_proposal.setdefault(review.proposal_id, []).append(review)
        reviewers[review.reviewer_id] = review.reviewer
    leniency_rows = {
        pk: ReviewerLeniency(reviewer, fit.reviews_by_reviewer[pk], fit.leniency[pk])
        for pk, reviewer in reviewers.items()
    }
    proposals = (
        Proposal.objects.filter(call=call, status=Proposal.Status.SUBMITTED)
        .select_related("lead_organisation")
        .order_by("title", "pk")
    )
    rows = []
    for proposal in proposals:
        mine = by_proposal.get(proposal.pk, [])
        total = Stats.of([_total(r, codes) for r in mine])
        recommendations = Counter(r.recommendation for r in mine if r.recommendation)
        row = RankingRow(
            proposal=proposal,
            n=len(mine),
            criteria=[
                (c, Stats.of([r.scores[c.code] for r in mine if r.scores.get(c.code)]))
                for c in criteria
            ],
            total=total,
            raw_mean=fit.raw_mean.get(proposal.pk),
            calibrated=fit.calibrated.get(proposal.pk),
            disagreement=_disagreement(total, recommendations),
            recommendations=dict(recommendations),
            reviewers=[leniency_rows[r.reviewer_id] for r in mine],
        )
        if row.change is not None:
            row.sentence = calibration_sentence(row.change, [x.leniency for x in row.reviewers])
        else:
            row.sentence = _("No submitted review yet.")
        rows.append(row)
    raw_ranks = _ranks({p: v for p, v in fit.raw_mean.items()})
    calibrated_ranks = _ranks({p: v for p, v in fit.calibrated.items()})
    for row in rows:
        row.raw_rank = raw_ranks.get(row.proposal.pk)
        row.calibrated_rank = calibrated_ranks.get(row.proposal.pk)
    rows.sort(
        key=lambda row: (
            row.calibrated_rank is None,
            row.calibrated_rank or 0,
            row.raw_rank or 0,
            str(row.proposal).casefold(),
        )
    )
    return Ranking(
        rows=rows,
        leniencies=sorted(leniency_rows.values(), key=lambda x: (x.leniency, str(x.reviewer))),
        criteria=criteria,
        mu=fit.mu if reviews else None,
        ridge=ridge,
    )


def calibrated_scores(call: Call, *, ridge: float = DEFAULT_RIDGE) -> dict[int, float]:
    """{proposal id: calibrated total (4..20)} for every submitted proposal of ``call`` with at
    least one counted review: what the selection uses as a proposal's score."""
    criteria_codes = list(Criterion.objects.values_list("code", flat=True))
    reviews = _counted(call)
    fit = calibrate(
        [(r.proposal_id, r.reviewer_id, _total(r, criteria_codes)) for r in reviews],
        ridge=ridge,
    )
    return dict(fit.calibrated)
