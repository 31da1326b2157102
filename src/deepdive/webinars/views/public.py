"""The public programme (a series' page), webinar pages, calendar files, and registering for a
webinar."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from deepdive.core.pagecache import anonymous_page
from deepdive.series import queries as series_queries
from deepdive.series.models import Series

from .. import queries, registration
from ..forms import ProgrammeFilterForm
from ..interfaces import calendar
from ..models import Registration, Webinar
from .registrations import box as registration_box

CALENDAR_TYPE = "text/calendar; charset=utf-8"


@never_cache
def programme(request, slug: str):
    """A series' public page: a page of its programme of published webinars (filtered by the
    GET form) with the calendar feed, and its calls. Kept briefly for anonymous readers."""
    now = timezone.now()
    freshness = queries.programme_freshness(slug, now=now, cap=30)
    if freshness is None:
        raise Http404
    stamp, seconds = freshness

    def page():
        series = get_object_or_404(series_queries.public_series(), slug=slug)
        filter_form = ProgrammeFilterForm(request.GET, series=series)
        feed_url = request.build_absolute_uri(
            reverse("webinars:feed", kwargs={"slug": series.slug})
        )
        return render(
            request,
            "webinars/programme.html",
            {
                "series": series,
                "calls": series.calls.all(),
                "band_css": series_queries.series_band_css_url(series),
                "languages": series_queries.language_names(series.languages),
                "filter_form": filter_form,
                "programme": queries.programme(
                    series,
                    filters=filter_form.filters(),
                    reader_zone=getattr(request, "timezone_name", "UTC"),
                    now=now,
                    page=request.GET.get("page"),
                ),
                "feed_url": feed_url,
                "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
            },
        )

    return anonymous_page(
        request,
        # A new key as soon as a webinar is published, changed, added or removed; never kept
        # across a webinar's start (it moves to the past) or a call's opening or deadline.
        key=f"series:{stamp}",
        seconds=seconds,
        render=page,
    )


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
    context.update(
        queries.workspace_sections(
            webinar, user=request.user, language=getattr(request, "LANGUAGE_CODE", "")
        )
    )
    context.update(registration_box(context["registration"]))
    context.update(queries.cancellation_facts(webinar, user=request.user))
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
