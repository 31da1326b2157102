"""The reports as files: XLSX (``workbook``) and CSV (``csv_file``), from the same sheets.

A sheet is ``(name, headers, rows)``. The XLSX file opens on a sheet that says where the
figures come from, the filters, the date it was made and the suppression rule; then one sheet
each, with numbers as numbers and dates as dates (with a date format). The CSV file holds the
same, one section after the other. Text a spreadsheet would run as a formula is written as
text (``core.exports``). Hidden counts are written "fewer than 5", never their number.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from deepdive.core.exports import csv_bytes, set_xlsx_cell
from deepdive.webinars.attendance.sheet import SMALLEST_SHOWN
from deepdive.webinars.models import Feedback

from .coverage import Coverage
from .diversity import Diversity
from .engagement import Engagement
from .participation import Filters, Participation

Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT = "yyyy-mm-dd"
MONTH_FORMAT = "yyyy-mm"


def hidden() -> str:
    return _("fewer than %(n)s") % {"n": SMALLEST_SHOWN}


def suppression_rule() -> str:
    return _(
        "Every group of fewer than %(n)s people is shown as “fewer than %(n)s”, never as its "
        "number; when a single group of a table is hidden, the next smallest is hidden too, so "
        "that it cannot be worked out from the total."
    ) % {"n": SMALLEST_SHOWN}


def _cell(value: Any) -> Any:
    """A count hidden by the suppression rule is ``None`` in the reports."""
    return hidden() if value is None else value


def _about(title: str, filters: Sequence[tuple[str, str]], made: datetime) -> list[list[Any]]:
    return [
        [title],
        [],
        [_("Source"), _("Deep Dive: the series' registrations, attendance and feedback")],
        *[[name, value] for name, value in filters],
        [_("Made on (UTC)"), made],
        [_("Suppression"), suppression_rule()],
    ]


def workbook(
    *,
    title: str,
    filters: Sequence[tuple[str, str]],
    sheets: list[Sheet],
    made: datetime | None = None,
) -> bytes:
    """The XLSX file of a report: a first sheet about it, then ``sheets``."""
    made = timezone.now() if made is None else made
    book = Workbook()
    about = book.active
    about.title = _("About")[:31]
    bold = Font(bold=True)
    for r, row in enumerate(_about(title, filters, made.replace(tzinfo=None)), start=1):
        for c, value in enumerate(row, start=1):
            cell = about.cell(row=r, column=c)
            set_xlsx_cell(cell, value)
            if isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            if c == 1:
                cell.font = bold
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 80
    used: set[str] = {about.title}
    for name, headers, rows in sheets:
        sheet_title = name[:31]
        while sheet_title in used:
            sheet_title = sheet_title[:29] + f" {len(used)}"
        used.add(sheet_title)
        sheet = book.create_sheet(sheet_title)
        for c, header in enumerate(headers, start=1):
            cell = sheet.cell(row=1, column=c)
            set_xlsx_cell(cell, header)
            cell.font = bold
        for r, cells in enumerate(rows, start=2):
            for c, value in enumerate(cells, start=1):
                cell = sheet.cell(row=r, column=c)
                set_xlsx_cell(cell, _cell(value))
                if isinstance(value, date):
                    cell.number_format = DATE_FORMAT
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_file(
    *,
    title: str,
    filters: Sequence[tuple[str, str]],
    sheets: list[Sheet],
    made: datetime | None = None,
) -> bytes:
    """The CSV file of a report: what the workbook's first sheet says, then each sheet as a
    section (its name, its headers, its rows), a blank line between."""
    made = timezone.now() if made is None else made
    lines: list[list[Any]] = [
        [v.isoformat(timespec="minutes") if isinstance(v, datetime) else v for v in row]
        for row in _about(title, filters, made)
    ]
    for name, headers, rows in sheets:
        lines += [[], [name], list(headers)]
        lines += [[v.isoformat() if isinstance(v, date) else _cell(v) for v in row] for row in rows]
    return csv_bytes(lines)


def file_response(
    file_format: str,
    *,
    name: str,
    title: str,
    filters: Filters,
    sheets: Callable[[], list[Sheet]],
) -> HttpResponse | None:
    """The report as a download when ``file_format`` (the address's ``format``) is "xlsx" or
    "csv", else ``None`` (show the page). ``sheets`` is called only then: a page view does
    not build them."""
    if file_format not in ("xlsx", "csv"):
        return None
    make = workbook if file_format == "xlsx" else csv_file
    content = make(title=title, filters=filters.described(), sheets=sheets())
    response = HttpResponse(content, content_type=XLSX_TYPE if file_format == "xlsx" else CSV_TYPE)
    filename = f"{slugify(filters.series.slug)}-{name}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ------------------------------------------------------------------------ the reports' sheets


def participation_sheets(report: Participation) -> list[Sheet]:
    headers = [_("Registered"), _("Attended")]
    sheets: list[Sheet] = [
        (_("Totals"), ["", *headers], [[_("Total"), report.registered, report.attended]])
    ]
    for breakdown in report.breakdowns:
        sheets.append(
            (
                breakdown.title,
                [breakdown.heading, *headers],
                [[row.value, row.registered, row.attended] for row in breakdown.rows],
            )
        )
    sheets.append(
        (
            _("Expected and came"),
            [
                _("Time zone"),
                _("Expected audience (%)"),
                _("Attendees"),
                _("Attendees (%)"),
            ],
            [[z.zone, z.expected, z.attended, z.attended_share] for z in report.reach],
        )
    )
    return sheets


def engagement_sheets(report: Engagement) -> list[Sheet]:
    ratings = [str(label) for _value, label in Feedback.Usefulness.choices]
    blank: list[int | None] = [None] * len(ratings)  # hidden under 5 answers
    rows = [
        [
            rating.webinar.title,
            rating.webinar.starts_at.date() if rating.webinar.starts_at else "",
            rating.answers,
            rating.average if rating.average is not None else "",
            *(rating.distribution or blank),
        ]
        for rating in report.ratings
    ]
    usage = [
        [
            line.webinar.title,
            line.webinar.starts_at.date() if line.webinar.starts_at else "",
            line.plays,
            line.downloads,
        ]
        for line in report.usage
    ]
    # Counts say nothing about anyone: written whatever their size.
    usage.append([_("Total"), "", report.plays, report.downloads])
    return [
        (
            _("Feedback"),
            [_("Webinar"), _("Date"), _("Answers"), _("Average (1 to 5)"), *ratings],
            rows,
        ),
        (
            _("Plays and downloads"),
            [_("Webinar"), _("Date"), _("Recording plays"), _("Material downloads")],
            usage,
        ),
    ]


def coverage_sheets(report: Coverage) -> list[Sheet]:
    """The workplan coverage: one line per Output, with its Outcome and whether it is a gap."""
    yes, no = _("yes"), _("no")
    rows = [
        [
            str(block.outcome),
            str(row.output),
            row.output.display_text(),
            row.proposed,
            row.selected,
            row.held,
            row.recorded,
            yes if row.is_gap else no,
        ]
        for block in report.outcomes
        for row in block.outputs
    ]
    headers = [
        _("Outcome"),
        _("Output"),
        _("Text"),
        _("Proposed"),
        _("Selected"),
        _("Held"),
        _("Recorded"),
        _("No webinar selected"),
    ]
    return [(_("Workplan coverage"), headers, rows)]


def diversity_sheets(report: Diversity) -> list[Sheet]:
    """The diversity of the series: the totals, the calls side by side (when the report has
    them), then one sheet per dimension."""
    headers = [_("Proposals"), _("Selected"), _("Held")]
    sheets: list[Sheet] = [(_("Totals"), ["", *headers], [[_("Total"), *report.totals.values()]])]
    if report.calls is not None:
        sheets.append(
            (
                _("Calls side by side"),
                [_("Call"), *report.calls.columns],
                [[line.label, *line.values()] for line in report.calls.lines],
            )
        )
    for dimension in report.dimensions:
        sheets.append(
            (
                str(dimension.title),
                ["", *headers],
                [[line.label, *line.values()] for line in dimension.lines],
            )
        )
    return sheets
