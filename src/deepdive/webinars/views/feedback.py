"""The feedback form by each attendee's signed link (no login), its thank-you page, and the
answers' page of a webinar for its hosts and the secretariat."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from .. import feedback
from ..interfaces.feedback_forms import FeedbackForm
from ..models import Webinar


def _refused(request: HttpRequest, refused: feedback.FeedbackRefused) -> HttpResponse:
    return render(
        request,
        "webinars/feedback/invalid.html",
        {"refusal": str(refused), "expired": refused.expired},
        status=410 if refused.expired else 404,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def form(request: HttpRequest, token: str) -> HttpResponse:
    """The three questions; the person's earlier answer, if any, to change."""
    try:
        attendance = feedback.attendance_for(token)
    except feedback.FeedbackRefused as refused:
        return _refused(request, refused)
    earlier = feedback.feedback_of(attendance)
    if request.method == "POST":
        bound = FeedbackForm(request.POST)
        if bound.is_valid():
            try:
                feedback.answer(
                    token=token,
                    usefulness=bound.cleaned_data["usefulness"],
                    learned=bound.cleaned_data["learned"],
                    wished_topics=bound.cleaned_data["wished_topics"],
                    language=get_language() or "",
                )
            except feedback.FeedbackRefused as refused:
                if not refused.errors:
                    return _refused(request, refused)
                refused.show_on(bound)
            else:
                return redirect("webinars:feedback_thanks", token=token)
    else:
        initial = (
            {
                "usefulness": earlier.usefulness,
                "learned": earlier.learned,
                "wished_topics": earlier.wished_topics,
            }
            if earlier is not None
            else {}
        )
        bound = FeedbackForm(initial=initial)
    return render(
        request,
        "webinars/feedback/form.html",
        {"webinar": attendance.webinar, "form": bound, "answered": earlier is not None},
        status=422 if bound.errors else 200,
    )


@never_cache
@require_safe
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    try:
        attendance = feedback.attendance_for(token)
    except feedback.FeedbackRefused as refused:
        return _refused(request, refused)
    return render(
        request, "webinars/feedback/thanks.html", {"webinar": attendance.webinar, "token": token}
    )


@never_cache
@login_required
@require_safe
def answers(request: HttpRequest, pk: int) -> HttpResponse:
    """The webinar's feedback, without names: for its hosts and the secretariat (403)."""
    webinar = get_object_or_404(
        Webinar.objects.select_related("proposal__call__series", "proposal__lead_organisation"),
        pk=pk,
    )
    found = feedback.answers_of(actor=request.user, webinar=webinar)
    return render(request, "webinars/feedback/answers.html", {"webinar": webinar, "answers": found})
