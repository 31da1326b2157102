"""The directory as CSV or XLSX: one row per active organisation, with the import's column
names, so that an exported file imports back unchanged."""

from __future__ import annotations

import io
from collections.abc import Iterable

from deepdive.core.exports import csv_bytes, set_xlsx_cell

from ..models import Organisation
from .imports import COLUMNS, EXPORT_ONLY_COLUMNS

SEPARATOR = "; "
EXPORT_COLUMNS = [*COLUMNS[:5], "country_names", *COLUMNS[5:], "verified_contacts"]
assert set(EXPORT_COLUMNS) == set(COLUMNS) | set(EXPORT_ONLY_COLUMNS)


def _names(rows) -> str:
    return SEPARATOR.join(row.name for row in rows)


def export_rows(organisations: Iterable[Organisation]) -> list[list[str | int]]:
    """The header row and one row per organisation (the queryset from
    ``queries.directory_organisations``, which prefetches and counts contacts)."""
    rows: list[list[str | int]] = [list(EXPORT_COLUMNS)]
    for org in organisations:
        countries = list(org.countries.all())
        values = {
            "id": org.pk,
            "name": org.name,
            "acronym": org.acronym,
            "partner_type": org.partner_type.name,
            "countries": SEPARATOR.join(c.code for c in countries),
            "country_names": SEPARATOR.join(str(c) for c in countries),
            "website": org.website,
            "action_groups": _names(org.action_groups.all()),
            "themes": _names(org.themes.all()),
            "sectors": _names(org.sectors.all()),
            "domains": SEPARATOR.join(d.domain for d in org.domains.all()),
            "description": org.description,
            "verified_contacts": getattr(org, "verified_contacts", 0),
        }
        rows.append([values[c] for c in EXPORT_COLUMNS])
    return rows


def to_csv(rows: list[list[str | int]]) -> bytes:
    """UTF-8 with a byte order mark, so spreadsheets open it with the right accents; a text
    a spreadsheet would run as a formula is written with a leading ``'`` (the import removes
    it again)."""
    return csv_bytes(rows)


def to_xlsx(rows: list[list[str | int]], title: str) -> bytes:
    """One sheet, bold header, first row frozen; text is never taken for a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    bold = Font(bold=True)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            set_xlsx_cell(cell, value)
            if r == 1:
                cell.font = bold
    sheet.freeze_panes = "A2"
    for c, name in enumerate(rows[0], start=1):
        width = 40 if name in {"description", "name"} else 18
        sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
