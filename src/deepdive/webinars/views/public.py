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

from .. import queries, recordings, registration, sessions
from ..attendance import sheet as attendance_sheet
from ..forms import ProgrammeFilterForm
from ..interfaces import calendar
from ..interfaces.registration_forms import SessionForm
from ..models import Registration, RepeatSession, Webinar
from .recordings import with_player
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


def _webinar(request, pk: int, *, details: bool = True) -> Webinar:
    """The webinar ``pk`` if the reader may see it (404 otherwise); ``details``: see
    ``queries.visible_webinar``."""
    webinar = queries.visible_webinar(request.user, pk, details=details)
    if webinar is None:
        raise Http404
    return webinar


def _zone(request) -> str:
    return getattr(request, "timezone_name", "UTC")


def _detail(request, webinar: Webinar, *, session_form=None, status: int = 200):
    now = timezone.now()
    # Asked once: the joining link, the materials and the workspace's button all depend on it.
    host = queries.hosts_or_secretariat(request.user, webinar)
    context = queries.webinar_page(
        webinar, user=request.user, reader_zone=_zone(request), now=now, host=host
    )
    if session_form is None:
        session_form = SessionForm(
            options=registration.session_options(webinar, now=now), zone=_zone(request)
        )
    mine = context["registration"]
    # Each session's time, around the world and to add to a calendar; named ("First
    # session", "Repeat session") when the webinar has a published repeat.
    context["world_times"] = queries.session_times(webinar, reader_zone=_zone(request))
    context["world_times_stamp"] = queries.convert_stamp(context["world_times"])
    context["session_times"] = [item for item in context["world_times"] if item.label]
    context["session_form"] = session_form if session_form.fields else None
    context["my_session"] = (
        sessions.label(mine.session) if mine is not None and context["session_times"] else ""
    )
    context.update(
        queries.workspace_sections(
            webinar, user=request.user, language=getattr(request, "LANGUAGE_CODE", ""), host=host
        )
    )
    context.update(registration_box(context["registration"]))
    context.update(queries.cancellation_facts(webinar, user=request.user))
    context.update(recordings.page_sections(webinar, user=request.user))
    context.update(attendance_sheet.links(webinar, user=request.user))
    response = render(request, "webinars/detail.html", context, status=status)
    # For ``with_player``: the players are read already (a refused form's page allows none).
    players = context["players"] if status < 300 else []
    response.player_origins = list(  # type: ignore[attr-defined]
        dict.fromkeys(p.video.origin for p in players)
    )
    return response


@never_cache
@require_safe
@with_player
def detail(request, pk: int):
    """A webinar's page; kept briefly for anonymous readers (signed-in readers see their own
    registration, links and materials: always rendered afresh, without reading the stamp)."""
    if request.user.is_authenticated:
        return _detail(request, _webinar(request, pk))
    freshness = queries.webinar_page_freshness(pk, now=timezone.now(), cap=30)
    if freshness is None:
        raise Http404
    response = anonymous_page(
        request,
        # A new key with any change to what the page shows; never kept across a session's
        # start or end.
        key=f"webinar:{freshness.stamp}",
        seconds=freshness.seconds,
        render=lambda: _detail(request, _webinar(request, pk)),
    )
    if getattr(response, "player_origins", None) is None and not freshness.players:
        # A kept copy without players needs no player policy: ``with_player`` need not ask.
        response.player_origins = []  # type: ignore[attr-defined]
    return response


def _filename(title: str, fallback: str) -> str:
    return (slugify(title)[:60].strip("-") or fallback) + ".ics"


@never_cache
@require_safe
def ics(request, pk: int):
    """One webinar's calendar file; the joining link only for who may see it on the page."""
    webinar = _webinar(request, pk, details=False)  # the file shows none of the page's lists
    session = sessions.by_key(webinar, request.GET.get("session", sessions.FIRST))
    if not webinar.is_published or session is None:
        raise Http404
    content = calendar.webinar_file(
        webinar, joining=queries.can_see_joining(request.user, webinar), session=session
    )
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
    """One click; with a published repeat, the choice of session beside the button."""
    webinar = _webinar(request, pk)
    form = SessionForm(
        request.POST, options=registration.session_options(webinar), zone=_zone(request)
    )
    if not form.is_valid():
        return _detail(request, webinar, session_form=form, status=422)
    chosen = sessions.by_key(webinar, form.cleaned_data.get("session", sessions.FIRST))
    try:
        registration.register(
            actor=request.user,
            webinar=webinar,
            repeat=chosen if isinstance(chosen, RepeatSession) else None,
        )
    except registration.RegistrationRefused as refused:
        if form.fields and refused.errors.get("session"):
            refused.show_on(form)
            return _detail(request, webinar, session_form=form, status=422)
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
