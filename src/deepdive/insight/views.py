"""The workplan coverage (the secretariat's page and the public summary) and the diversity of
a series (the secretariat's page), filtered in the address (``?call=…&start=…&end=…``).
Each chart is drawn here from the report's figures and shown with its data table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from deepdive.core.permissions import secretariat_required
from deepdive.series.models import Series

from . import charts, exports
from .coverage import Coverage, coverage
from .diversity import STAGE_LABELS, STAGES, Diversity, diversity
from .participation_views import file_or_page, report_filters


@dataclass
class Chart:
    """What ``_chart.html`` shows: the drawing, its title and description, and its data as a
    table (the first column names the row)."""

    key: str
    title: str
    description: str
    heading: str
    columns: list[str]
    rows: list[tuple[str, list[int]]]
    svg: SafeString

    @classmethod
    def bars(
        cls,
        *,
        key: str,
        title: str,
        description: str,
        heading: str,
        columns: Sequence[str],
        rows: list[tuple[str, list[int]]],
        drawn: int | None = None,
    ) -> Chart:
        """``drawn``: how many of the first columns the drawing shows (all by default); the
        table gives every column."""
        svg = charts.bar_chart(
            title=title,
            description=description,
            categories=[label for label, _values in rows],
            series={
                column: [values[n] for _label, values in rows]
                for n, column in enumerate(columns[:drawn])
            },
        )
        # Drawn by matplotlib from our own labels, escaped in the SVG: markup to show as it is.
        return cls(key, title, description, heading, list(columns), rows, mark_safe(svg))  # noqa: S308


def _coverage_chart(report: Coverage) -> Chart | None:
    if not report.rows:
        return None
    if report.public:
        columns = [_("On the programme"), _("Held"), _("Recorded")]
        rows = [(str(r.output), [r.selected, r.held, r.recorded]) for r in report.rows]
        description = _(
            "For each workplan Output, the published webinars that serve it, those held and "
            "those whose recording is published."
        )
    else:
        columns = [_("Proposals"), _("Selected"), _("Held"), _("Recorded")]
        rows = [(str(r.output), [r.proposed, r.selected, r.held, r.recorded]) for r in report.rows]
        description = _(
            "For each workplan Output, the proposals naming its Outcome, the webinars that "
            "serve it, those held and those whose recording is published."
        )
    gaps = len(report.gaps)
    description += " " + (
        ngettext(
            "%(count)s Output has no webinar yet.", "%(count)s Outputs have no webinar yet.", gaps
        )
        % {"count": gaps}
        if gaps
        else _("Every Output has a webinar.")
    )
    return Chart.bars(
        key="coverage",
        title=_("Webinars per workplan Output"),
        description=description,
        heading=_("Output"),
        columns=columns,
        rows=rows,
    )


def _coverage_page(request: HttpRequest, slug: str, *, public: bool) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    form, filters = report_filters(request, series)
    report = coverage(reader=request.user, filters=filters, public=public)
    return file_or_page(
        request,
        name="workplan-coverage",
        title=_("Workplan coverage of “%(series)s”") % {"series": series.text("title")},
        form=form,
        filters=filters,
        sheets=lambda: exports.coverage_sheets(report),
        template="insight/coverage_public.html" if public else "insight/coverage.html",
        context=lambda: {"report": report, "chart": _coverage_chart(report)},
    )


@require_safe
@secretariat_required
def coverage_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _coverage_page(request, slug, public=False)


@require_safe
def public_coverage(request: HttpRequest, slug: str) -> HttpResponse:
    return _coverage_page(request, slug, public=True)


def _calls_chart(report: Diversity) -> Chart | None:
    """The calls side by side: proposals, selected and held drawn per call; the table beside
    gives every column."""
    if report.calls is None:
        return None
    title = _("Calls side by side")
    description = _(
        "Each call of the series, in order of opening: its proposals, selected proposals and "
        "held webinars (drawn), and in the table its joint proposals, its proposals with "
        "action in a Pathfinder Country, and its selected proposals per theme."
    )
    return Chart.bars(
        key="calls",
        title=title,
        description=description,
        heading=_("Call"),
        columns=report.calls.columns,
        rows=[(line.label, line.values()) for line in report.calls.lines],
        drawn=len(STAGES),  # proposals, selected, held: the rest would crowd a phone's width
    )


def _stage_columns() -> list[str]:
    return [str(STAGE_LABELS[stage]) for stage in STAGES]


def _diversity_sections(report: Diversity) -> list[Chart]:
    columns = _stage_columns()
    return [
        Chart.bars(
            key=dimension.key,
            title=dimension.title,
            description=_(
                "%(what)s: proposals, selected proposals and held webinars. A proposal counts "
                "once in each group it belongs to."
            )
            % {"what": dimension.title},
            heading=dimension.title,
            columns=columns,
            rows=[(line.label, line.values()) for line in dimension.lines],
        )
        if dimension.lines
        else Chart(dimension.key, dimension.title, "", dimension.title, columns, [], SafeString())
        for dimension in report.dimensions
    ]


@require_safe
@secretariat_required
def diversity_page(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    form, filters = report_filters(request, series)
    report = diversity(reader=request.user, filters=filters)
    return file_or_page(
        request,
        name="diversity",
        title=_("Diversity of “%(series)s”") % {"series": series.text("title")},
        form=form,
        filters=filters,
        sheets=lambda: exports.diversity_sheets(report),
        template="insight/diversity.html",
        context=lambda: {
            "report": report,
            "totals": list(zip(_stage_columns(), report.totals.values(), strict=True)),
            "calls": _calls_chart(report),
            "sections": _diversity_sections(report),
        },
    )
