"""The series' public pages (its colours, a call's page) and the secretariat's pages for series
and calls. The series' page with its programme of webinars is ``webinars.views.public
.programme``."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from deepdive.core.pagecache import anonymous_page
from deepdive.core.permissions import secretariat_required

from . import operations, queries
from .forms import CallForm, SeriesForm
from .models import Call, Series


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
