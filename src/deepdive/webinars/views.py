"""Public webinar pages, calendar files, and registering for a webinar."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from deepdive.series.models import Series

from . import queries, registration
from .interfaces import calendar
from .models import Registration, Webinar

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _webinar(request, pk: int) -> Webinar:
    """The webinar ``pk`` if the reader may see it (404 otherwise)."""
    webinar = queries.visible_webinar(request.user, pk)
    if webinar is None:
        raise Http404
    return webinar


@never_cache
@require_safe
def detail(request, pk: int):
    webinar = _webinar(request, pk)
    context = queries.webinar_page(
        webinar,
        user=request.user,
        reader_zone=getattr(request, "timezone_name", "UTC"),
        now=timezone.now(),
    )
    return render(request, "webinars/detail.html", context)


def _filename(title: str, fallback: str) -> str:
    return (slugify(title)[:60].strip("-") or fallback) + ".ics"


@never_cache
@require_safe
def ics(request, pk: int):
    """One webinar's calendar file; the joining link only for who may see it on the page."""
    webinar = _webinar(request, pk)
    if not webinar.is_published:
        raise Http404
    content = calendar.webinar_file(webinar, joining=queries.can_see_joining(request.user, webinar))
    response = HttpResponse(content, content_type=CALENDAR_TYPE)
    filename = _filename(webinar.title, f"webinar-{webinar.pk}")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def feed(request, slug: str):
    """The series' subscribable feed: every published webinar, never a members-only joining
    link (the same file for everyone, so calendars may fetch it without signing in)."""
    series = get_object_or_404(Series, slug=slug)
    content = calendar.feed(series.title, queries.feed_webinars(series))
    response = HttpResponse(content, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'inline; filename="{_filename(series.slug, "series")}"'
    response["Cache-Control"] = "public, max-age=900"
    return response


@login_required
@require_POST
def register(request, pk: int):
    webinar = _webinar(request, pk)
    try:
        registration.register(actor=request.user, webinar=webinar)
    except registration.RegistrationRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _(
                "You are registered. An e-mail with the calendar invitation is on its way to "
                "%(email)s."
            )
            % {"email": request.user.email},
        )
    return redirect(webinar)


@login_required
@require_POST
def cancel(request, pk: int):
    webinar = _webinar(request, pk)
    mine = Registration.objects.filter(webinar=webinar, user=request.user).first()
    if mine is None:
        raise Http404
    registration.cancel(actor=request.user, registration=mine)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(webinar)
