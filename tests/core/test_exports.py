"""The one CSV writer and XLSX cell setter of every export: no text is ever run as a formula."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from deepdive.core.exports import csv_bytes, csv_writer, neutralise, restore, set_xlsx_cell

DANGEROUS = [
    '=HYPERLINK("http://x","y")',
    "+cmd",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like_text_gets_a_leading_quote(text):
    assert neutralise(text) == "'" + text
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("value", ["Fair Cocoa", "", "it's = fine", -3, 2.5, "-0.50", "+41", None])
def test_other_cells_are_unchanged(value):
    assert neutralise(value) == value


def test_restore_leaves_an_ordinary_quote():
    assert restore("'Tis the season") == "'Tis the season"


def test_csv_writer_neutralises_every_cell():
    buffer = io.StringIO()
    csv_writer(buffer).writerows(
        [["name", "score"], ["+cmd", -1.5], ['=HYPERLINK("http://x","y")', 3]]
    )
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows == [
        ["name", "score"],
        ["'+cmd", "-1.5"],
        ['\'=HYPERLINK("http://x","y")', "3"],
    ]


def test_csv_bytes_has_a_byte_order_mark():
    content = csv_bytes([["@SUM(1)"]])
    assert content == "\ufeff'@SUM(1)\r\n".encode()
    assert csv_bytes([["a"]], bom=False) == b"a\r\n"


def test_xlsx_text_is_stored_as_text():
    workbook = Workbook()
    sheet = workbook.active
    for row, value in enumerate(['=HYPERLINK("http://x","y")', "+cmd", "plain", -4], start=1):
        set_xlsx_cell(sheet.cell(row=row, column=1), value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert [sheet.cell(row=r, column=1).value for r in range(1, 5)] == [
        '=HYPERLINK("http://x","y")',
        "+cmd",
        "plain",
        -4,
    ]
    assert [sheet.cell(row=r, column=1).data_type for r in range(1, 5)] == ["s", "s", "s", "n"]
    assert sheet["A1"].quotePrefix and sheet["A2"].quotePrefix
    assert not sheet["A3"].quotePrefix
