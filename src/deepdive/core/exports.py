"""Spreadsheet files that cannot run formulas: the one CSV writer and the one XLSX cell setter
every export uses.

A spreadsheet reads a text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula, so a proposal titled ``=HYPERLINK(...)`` would become a live link (CSV
formula injection). OWASP's rule: such a text is written with a ``'`` in front, which the
spreadsheet shows as text. Numbers stay numbers: an ``int`` or ``float`` is written as it is,
and so is a text that is only a number (``-0.50``), which no spreadsheet runs. Imports that read
our own exports back undo the prefix with ``restore``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

#: The first characters that make a spreadsheet evaluate a cell (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_formula_like(value: Any) -> bool:
    """Whether a spreadsheet would take ``value`` for a formula (a plain number is not)."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_TRIGGERS)
        and not _NUMBER_RE.fullmatch(value)
    )


def neutralise(value: Any) -> Any:
    """``value`` as a spreadsheet must receive it: formula-like text gets a leading ``'``."""
    return "'" + value if is_formula_like(value) else value


def restore(text: str) -> str:
    """Undo ``neutralise`` on a cell read back from one of our exports."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


class SafeCSVWriter:
    """``csv.writer`` whose every cell goes through ``neutralise``."""

    def __init__(self, file, **kwargs):
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file, **kwargs) -> SafeCSVWriter:
    """The writer for every CSV export (same arguments as ``csv.writer``)."""
    return SafeCSVWriter(file, **kwargs)


def csv_bytes(rows: Iterable[Iterable[Any]], *, bom: bool = True) -> bytes:
    """``rows`` as UTF-8 CSV; with a byte order mark by default, so that spreadsheets open it
    with the right accents."""
    buffer = io.StringIO()
    csv_writer(buffer).writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def set_xlsx_cell(cell, value: Any) -> None:
    """Put ``value`` in an openpyxl cell, text always as text: openpyxl would store a text
    beginning with ``=`` as a formula. Formula-like text is also marked "quote prefix", so the
    spreadsheet keeps it text even when the cell is edited; the text itself is unchanged."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
