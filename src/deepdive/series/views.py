from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from deepdive.core.pagecache import anonymous_page
from deepdive.core.permissions import secretariat_required
from deepdive.webinars import queries as webinar_queries
from deepdive.webinars.forms import ProgrammeFilterForm

from . import operations, queries
from .forms import CallForm, SeriesForm
from .models import Call, Series


@never_cache
def series_detail(request, slug: str):
    """A series' public page: a page of its programme of published webinars (filtered by the
    GET form) with the calendar feed, and its calls. Kept briefly for anonymous readers."""
    now = timezone.now()
    freshness = webinar_queries.programme_freshness(slug, now=now, cap=30)
    if freshness is None:
        raise Http404
    stamp, seconds = freshness

    def page():
        series = get_object_or_404(queries.public_series(), slug=slug)
        filter_form = ProgrammeFilterForm(request.GET, series=series)
        feed_url = request.build_absolute_uri(
            reverse("webinars:feed", kwargs={"slug": series.slug})
        )
        return render(
            request,
            "series/detail.html",
            {
                "series": series,
                "calls": series.calls.all(),
                "band_css": queries.series_band_css_url(series),
                "languages": queries.language_names(series.languages),
                "filter_form": filter_form,
                "programme": webinar_queries.programme(
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


def series_colours(request, slug: str):
    """The series' colours as a stylesheet for its pages' header band (kept a year: its
    address changes with the colours)."""
    series = get_object_or_404(Series.objects.only("colour_primary", "colour_accent"), slug=slug)
    response = HttpResponse(
        f":root {{ {queries.series_band_style(series)}; }}\n", content_type="text/css"
    )
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@never_cache
def call_detail(request, slug: str, call_slug: str):
    """A call's public page; its status is worked out at each request."""
    moments = queries.call_moments(slug, call_slug)
    if moments is None:
        raise Http404
    now = timezone.now()

    def page():
        call = queries.public_call(slug, call_slug)
        return render(
            request, "series/call.html", queries.call_page(call, user=request.user, now=now)
        )

    return anonymous_page(
        request,
        key=f"call:{moments.pk}",
        # Short, and never across the opening or the deadline: the status must flip on time.
        seconds=queries.seconds_until_status_change(moments, now=now, cap=30),
        render=page,
    )


# ---------------------------------------------------------------- the secretariat's pages


@never_cache
@secretariat_required
def manage_list(request):
    return render(
        request,
        "series/manage_list.html",
        {"series_list": queries.managed_series(now=timezone.now())},
    )


@secretariat_required
def manage_create(request):
    form = SeriesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        series = operations.create_series(actor=request.user, fields=form.series_fields())
        messages.success(request, _("The series %(title)s was created.") % {"title": series})
        return redirect("series:manage_list")
    return render(request, "series/series_form.html", {"form": form, "series": None})


@secretariat_required
def manage_edit(request, slug: str):
    series = get_object_or_404(Series, slug=slug)
    form = SeriesForm(request.POST or None, request.FILES or None, instance=series)
    if request.method == "POST" and form.is_valid():
        changed = operations.update_series(
            actor=request.user, series=series, fields=form.series_fields()
        )
        if changed:
            messages.success(request, _("The series %(title)s was saved.") % {"title": series})
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("series:manage_list")
    stored = Series.objects.get(pk=series.pk)
    return render(request, "series/series_form.html", {"form": form, "series": stored})


@secretariat_required
def call_create(request, slug: str):
    series = get_object_or_404(Series.objects.select_related("action_group"), slug=slug)
    form = CallForm(
        request.POST or None,
        instance=Call(series=series),
        series=series,
        initial=queries.call_initial(series, now=timezone.now()),
    )
    if request.method == "POST" and form.is_valid():
        call = operations.create_call(actor=request.user, series=series, fields=form.call_fields())
        messages.success(request, _("The call %(title)s was created.") % {"title": call})
        return redirect(call)
    return render(request, "series/call_form.html", {"form": form, "series": series, "call": None})


@secretariat_required
def call_edit(request, pk: int):
    call = get_object_or_404(Call.objects.select_related("series__action_group"), pk=pk)
    form = CallForm(request.POST or None, instance=call, series=call.series)
    if request.method == "POST" and form.is_valid():
        changed = operations.update_call(actor=request.user, call=call, fields=form.call_fields())
        if changed:
            messages.success(request, _("The call %(title)s was saved.") % {"title": call})
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect(call)
    stored = Call.objects.select_related("series").get(pk=call.pk)
    return render(
        request, "series/call_form.html", {"form": form, "series": call.series, "call": stored}
    )
