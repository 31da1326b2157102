"""A call's proposals as CSV or XLSX: one row per proposal, every field, lists joined with
"; " and written out so that a person can read them (organisations with their status,
speakers with role, organisation and gender), plus speaker counts by gender for
sex-disaggregated reporting. Instants are in UTC, ISO 8601."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from deepdive.core.exports import csv_bytes, set_xlsx_cell

from ..models import CoSubmitter, Proposal
from ..queries import language_name, month_names, speakers_by_gender

SEPARATOR = "; "
COLUMNS = [
    "id",
    "status",
    "title",
    "description",
    "lead_organisation",
    "lead_acronym",
    "lead_partner_type",
    "contact_name",
    "contact_email",
    "co_submitters",
    "joint",
    "organisations",
    "outcomes",
    "themes",
    "sectors",
    "countries",
    "pathfinder",
    "language",
    "interpretation",
    "preferred_months",
    "unavailable_dates",
    "speakers",
    "speakers_count",
    "speakers_women",
    "speakers_men",
    "speakers_another",
    "speakers_undisclosed",
    "created_at",
    "submitted_at",
    "withdrawn_at",
    "updated_at",
    "version",
    "link",
]
WIDE = {"title": 40, "description": 60, "co_submitters": 45, "speakers": 60, "outcomes": 45}


def _utc(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def co_submitter_text(co: CoSubmitter) -> str:
    """ "Name (confirmed)", "Other (pending)", "Unlisted Org (not in the directory)"."""
    statuses = {
        CoSubmitter.Status.CONFIRMED: _("confirmed"),
        CoSubmitter.Status.PENDING: _("pending"),
        CoSubmitter.Status.DECLINED: _("declined"),
        CoSubmitter.Status.UNLISTED: _("not in the directory"),
    }
    if co.organisation_id:
        name = co.organisation.name
        if co.organisation.acronym:
            name = f"{name} ({co.organisation.acronym})"
    else:
        name = co.unlisted_name
    if not co.organisation_id and co.status != CoSubmitter.Status.UNLISTED:
        status = f"{statuses.get(co.status, co.status)}, {_('not in the directory')}"
    else:
        status = statuses.get(co.status, co.status)
    return f"{name} ({status})"


def speaker_text(speaker) -> str:
    """ "Name — role, organisation (gender)"."""
    details = ", ".join(part for part in (speaker.role, speaker.organisation) if part)
    text = f"{speaker.name} — {details}" if details else speaker.name
    if speaker.gender:
        text = f"{text} ({speaker.get_gender_display()})"
    return text


def export_rows(
    proposals: Iterable[Proposal], link: Callable[[Proposal], str]
) -> list[list[str | int]]:
    """The header row and one row per proposal (the queryset of ``queries.call_proposals``,
    which prefetches and annotates what is written). ``link`` gives a proposal's address."""
    rows: list[list[str | int]] = [list(COLUMNS)]
    for p in proposals:
        lead = p.lead_organisation
        speakers = list(p.speakers.all())
        genders = speakers_by_gender(speakers)
        values = {
            "id": p.pk,
            "status": p.status,
            "title": p.title,
            "description": p.description,
            "lead_organisation": lead.name,
            "lead_acronym": lead.acronym,
            "lead_partner_type": lead.partner_type.name if lead.partner_type_id else "",
            "contact_name": p.contact_name,
            "contact_email": p.contact_email,
            "co_submitters": SEPARATOR.join(co_submitter_text(c) for c in p.co_submitters.all()),
            "joint": _yes_no(getattr(p, "partners", 0) >= 1),
            "organisations": getattr(p, "organisation_count", ""),
            "outcomes": SEPARATOR.join(
                f"{o.number}. {o.display_title()}" for o in p.outcomes.all()
            ),
            "themes": SEPARATOR.join(t.name for t in p.themes.all()),
            "sectors": SEPARATOR.join(s.name for s in p.sectors.all()),
            "countries": SEPARATOR.join(sorted(str(c) for c in p.countries.all())),
            "pathfinder": _yes_no(p.includes_pathfinder),
            "language": language_name(p.language),
            "interpretation": SEPARATOR.join(language_name(c) for c in p.interpretation or []),
            "preferred_months": SEPARATOR.join(month_names(p.preferred_months)),
            "unavailable_dates": p.unavailable_dates,
            "speakers": SEPARATOR.join(speaker_text(s) for s in speakers),
            "speakers_count": len(speakers),
            "speakers_women": genders["woman"],
            "speakers_men": genders["man"],
            "speakers_another": genders["another"],
            "speakers_undisclosed": genders["undisclosed"],
            "created_at": _utc(p.created_at),
            "submitted_at": _utc(p.submitted_at),
            "withdrawn_at": _utc(p.withdrawn_at),
            "updated_at": _utc(p.updated_at),
            "version": p.version,
            "link": link(p),
        }
        rows.append([values[c] for c in COLUMNS])
    return rows


def to_csv(rows: list[list[str | int]]) -> bytes:
    """UTF-8 with a byte order mark, so spreadsheets open it with the right accents; a text
    a spreadsheet would run as a formula is written with a leading ``'``."""
    return csv_bytes(rows)


def to_xlsx(rows: list[list[str | int]], title: str) -> bytes:
    """One sheet, bold header, first row frozen, wide columns for long texts; text is never
    taken for a formula, and characters a sheet cannot hold are dropped."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31] or "Proposals"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            set_xlsx_cell(cell, value)
            if r == 1:
                cell.font = bold
            elif rows[0][c - 1] in WIDE:
                cell.alignment = wrap
    sheet.freeze_panes = "A2"
    for c, name in enumerate(rows[0], start=1):
        letter = sheet.cell(row=1, column=c).column_letter
        sheet.column_dimensions[letter].width = WIDE.get(name, max(12, len(str(name)) + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
