"""Reviewers' pages (their list, the review form) and the secretariat's ranking.

A reviewer sees only the proposals assigned to them that they are not in conflict with: any
other proposal, and its reviews, is a 404 (``access.reviewable``, checked for every request).
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from deepdive.core.exports import csv_writer
from deepdive.core.permissions import secretariat_required
from deepdive.proposals.models import Proposal
from deepdive.reference.models import Criterion
from deepdive.series.models import Call

from .. import access, queries_reviewing
from ..forms_reviewing import ReviewForm
from ..models import Review, Reviewer
from ..operations import reviewing as operations

FORM_TEMPLATE = "reviews/reviewing/review.html"


@login_required
@require_safe
def mine(request):
    return render(
        request,
        "reviews/reviewing/mine.html",
        {"rows": queries_reviewing.my_reviews(request.user)},
    )


def _reviewable(request, proposal_id: int) -> tuple[Proposal, Reviewer]:
    proposal = get_object_or_404(Proposal.objects.select_related("call"), pk=proposal_id)
    reviewer = access.reviewable(request.user, proposal)
    if reviewer is None:
        raise Http404
    return proposal, reviewer


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review(request, proposal_id: int):
    proposal, reviewer = _reviewable(request, proposal_id)
    criteria = list(Criterion.objects.all())
    if request.method != "POST":
        existing = Review.objects.filter(reviewer=reviewer, proposal=proposal).first()
        form = ReviewForm(criteria=criteria, review=existing)
        return _page(request, reviewer, proposal, form)
    form = ReviewForm(request.POST, criteria=criteria)
    if not form.is_valid():
        messages.error(request, _("The review was not saved: correct the fields marked below."))
        return _page(request, reviewer, proposal, form, status=400)
    try:
        saved = operations.save_review(
            actor=request.user,
            reviewer=reviewer,
            proposal=proposal,
            expected_version=form.cleaned_data["version"],
            data=form.review_data(),
            submit=form.submitting,
        )
    except operations.NotAllowed as refusal:
        raise Http404 from refusal
    except operations.Invalid as refusal:
        form.add_problems(refusal.problems)
        messages.error(request, str(refusal))
        return _page(request, reviewer, proposal, form, status=400)
    except operations.StaleVersion as refusal:
        messages.error(request, str(refusal))
        form.keep_typed_values_with_version(refusal.review.version)
        return _page(request, reviewer, proposal, form, status=409)
    except operations.ReviewError as refusal:  # window closed, proposal withdrawn
        messages.error(request, str(refusal))
        return _page(request, reviewer, proposal, form, status=409)
    if saved.status == Review.Status.SUBMITTED:
        messages.success(
            request,
            _(
                "Your review is submitted. You can still change it until reviewing closes; "
                "it stays submitted."
            ),
        )
    else:
        messages.success(
            request, _("Draft saved. Only you can see it until you submit the review.")
        )
    return redirect("reviews:review", proposal_id=proposal.pk)


def _page(request, reviewer: Reviewer, proposal: Proposal, form: ReviewForm, *, status=200):
    return render(
        request,
        FORM_TEMPLATE,
        {**queries_reviewing.review_page(reviewer, proposal), "form": form},
        status=status,
    )


@secretariat_required
@require_safe
def ranking(request, call_id: int):
    call = get_object_or_404(Call.objects.select_related("series"), pk=call_id)
    return render(
        request,
        "reviews/ranking/ranking.html",
        {"call": call, "ranking": queries_reviewing.ranking(call), "now": timezone.now()},
    )


@secretariat_required
@require_safe
def ranking_export(request, call_id: int):
    call = get_object_or_404(Call.objects.select_related("series"), pk=call_id)
    result = queries_reviewing.ranking(call)
    out = io.StringIO()
    writer = csv_writer(out)
    header = [
        _("Calibrated rank"),
        _("Raw rank"),
        _("Proposal"),
        _("Lead organisation"),
        _("Reviews"),
        _("Calibrated total"),
        _("Raw mean total"),
        _("Median total"),
        _("Spread of the total"),
    ]
    for criterion in result.criteria:
        header += [
            _("%(criterion)s: mean") % {"criterion": criterion.code},
            _("%(criterion)s: median") % {"criterion": criterion.code},
            _("%(criterion)s: spread") % {"criterion": criterion.code},
        ]
    header += [_("Disagreement"), _("What calibration did")]
    writer.writerow(header)

    def number(value):
        return "" if value is None else f"{value:.2f}"

    for row in result.rows:
        line = [
            row.calibrated_rank or "",
            row.raw_rank or "",
            str(row.proposal),
            str(row.proposal.lead_organisation),
            row.n,
            number(row.calibrated),
            number(row.raw_mean),
            number(row.total.median if row.total else None),
            number(row.total.spread if row.total else None),
        ]
        for _criterion, stats in row.criteria:
            line += [
                number(stats.mean if stats else None),
                number(stats.median if stats else None),
                number(stats.spread if stats else None),
            ]
        line += [" ".join(row.disagreement), row.sentence]
        writer.writerow(line)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"ranking-{call.series.slug}-{call.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
