"""The secretariat's participation and engagement pages of a series, filtered in the address
(``?call=…&start=…&end=…``), also as files (``&format=xlsx`` or ``csv``); and what every report
page shares (``views.py`` too): its filters (``report_filters``) and the choice between the file
and the page (``file_or_page``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from deepdive.core.permissions import secretariat_required
from deepdive.series.models import Call, Series
from deepdive.webinars.models import Feedback

from . import charts, exports
from .engagement import engagement
from .participation import Breakdown, Filters, participation


class FilterForm(forms.Form):
    """The filters of a report page, read from the address."""

    call = forms.ChoiceField(label=gettext_lazy("Call"), required=False)
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, series: Series, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Their titles read the series' languages: fetched with them.
        found = Call.objects.filter(series=series).select_related("series")
        self.calls = {call.slug: call for call in found}
        call_field = self.fields["call"]
        assert isinstance(call_field, forms.ChoiceField)
        call_field.choices = [("", _("every call"))] + [
            (slug, call.text("title")) for slug, call in self.calls.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("end", _("The end of the period must not come before its start."))
        return data


def report_filters(request: HttpRequest, series: Series) -> tuple[FilterForm, Filters]:
    """The filters in the address, and their form. A field that does not read (a date that is
    no date, an end before the start) is left out of the figures and shown with its message
    beside it, keeping what was typed; the fields that read still apply."""
    form = FilterForm(request.GET or None, series=series)
    if not form.is_bound:
        return form, Filters(series)
    form.is_valid()
    data = form.cleaned_data
    call = form.calls.get(data["call"]) if data.get("call") else None
    return form, Filters(series, call=call, start=data.get("start"), end=data.get("end"))


def _query(request: HttpRequest, file_format: str) -> str:
    query = request.GET.copy()
    query["format"] = file_format
    return query.urlencode()


def file_links(request: HttpRequest) -> dict[str, str]:
    """The queries of the page's XLSX and CSV downloads, with the reader's filters."""
    return {"xlsx_query": _query(request, "xlsx"), "csv_query": _query(request, "csv")}


def file_or_page(
    request: HttpRequest,
    *,
    name: str,
    title: str,
    form: FilterForm,
    filters: Filters,
    sheets: Callable[[], list[exports.Sheet]],
    template: str,
    context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """A report as the file the address asks for (``format=xlsx`` or ``csv``, from
    ``sheets()``), else as its page (``template`` with ``context()``, the filters and the
    download links). Only the one asked for is built."""
    response = exports.file_response(
        request.GET.get("format", ""), name=name, title=title, filters=filters, sheets=sheets
    )
    if response is not None:
        return response
    return render(
        request,
        template,
        {
            "series": filters.series,
            "form": form,
            "filters": filters,
            "title": title,
            **context(),
            **file_links(request),
        },
    )


def _chart(breakdown: Breakdown) -> str:
    """The breakdown's groups whose both counts are shown, as bars (a hidden count drawn as a
    bar would be a number after all); "" when none is."""
    rows = [r for r in breakdown.rows if r.registered is not None and r.attended is not None]
    if not rows:
        return ""
    svg = charts.bar_chart(
        title=breakdown.title,
        description=_(
            "People registered and people who attended, per group. Groups of fewer than 5 "
            "people are left out; the table gives every figure."
        ),
        categories=[row.label for row in rows],
        series={
            _("Registered"): [row.registered or 0 for row in rows],
            _("Attended"): [row.attended or 0 for row in rows],
        },
    )
    # Drawn by matplotlib from our own labels, escaped in the SVG: markup to show as it is.
    return mark_safe(svg)  # noqa: S308


@require_safe
@secretariat_required
def participation_page(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    form, filters = report_filters(request, series)
    report = participation(reader=request.user, filters=filters)
    return file_or_page(
        request,
        name="participation",
        title=_("Participation in “%(series)s”") % {"series": series.text("title")},
        form=form,
        filters=filters,
        sheets=lambda: exports.participation_sheets(report),
        template="insight/participation.html",
        context=lambda: {
            "report": report,
            "tables": [{"breakdown": b, "chart": _chart(b)} for b in report.breakdowns],
        },
    )


@require_safe
@secretariat_required
def engagement_page(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    form, filters = report_filters(request, series)
    report = engagement(reader=request.user, filters=filters)
    return file_or_page(
        request,
        name="engagement",
        title=_("Engagement with “%(series)s”") % {"series": series.text("title")},
        form=form,
        filters=filters,
        sheets=lambda: exports.engagement_sheets(report),
        template="insight/engagement.html",
        context=lambda: {
            "report": report,
            "ratings": [label for _value, label in Feedback.Usefulness.choices],
        },
    )
