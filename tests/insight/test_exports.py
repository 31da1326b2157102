"""The reports as files: the XLSX read back with openpyxl (a first sheet saying the source, the
filters, the date and the suppression rule; numbers as numbers; dates as dates; hidden counts
as "fewer than 5"; a title that looks like a formula kept as text) and the CSV likewise."""

import csv
import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from deepdive.insight import exports
from deepdive.insight.coverage import coverage
from deepdive.insight.diversity import diversity
from deepdive.insight.participation import Filters
from tests.accounts.factories import SecretariatFactory
from tests.insight.test_participation import PEOPLE, attend, held, register
from tests.webinars.factories import CallFactory, SeriesFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def series():
    series = SeriesFactory()
    webinar = held(CallFactory(series=series), proposal__title=FORMULA)
    for sex, code, zone, is_member, came in PEOPLE:
        registration = register(webinar, sex, code, zone, is_member)
        if came:
            attend(webinar, registration)
    return series


def test_workbook_reads_back():
    content = exports.workbook(
        title="A report",
        filters=[("Series", "-Danger")],
        sheets=[
            ("Figures", ["Name", "Count", "Day"], [["=1+1", 7, date(2026, 3, 1)], ["b", None, ""]])
        ],
        made=datetime(2026, 3, 2, 9, 30),
    )
    book = load_workbook(io.BytesIO(content))
    about, figures = book.worksheets
    texts = [cell.value for row in about.iter_rows() for cell in row if cell.value is not None]
    assert "A report" in texts and "-Danger" in texts
    assert any("fewer than 5" in str(t) for t in texts)
    assert datetime(2026, 3, 2, 9, 30) in texts
    assert figures["A2"].value == "=1+1" and figures["A2"].data_type == "s"
    assert figures["B2"].value == 7 and isinstance(figures["B2"].value, int)
    assert figures["C2"].is_date and figures["C2"].value.date() == date(2026, 3, 1)
    assert figures["B3"].value == "fewer than 5"


def test_participation_as_xlsx(series, client):
    client.force_login(SecretariatFactory())
    url = reverse("insight:participation", kwargs={"slug": series.slug})
    response = client.get(url, {"format": "xlsx"})
    assert response["Content-Type"] == exports.XLSX_TYPE
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    first = book.worksheets[0]
    text = " ".join(str(c.value) for row in first.iter_rows() for c in row if c.value)
    assert "Source" in text and "fewer than 5" in text and "every call" in text
    totals = book["Totals"]
    assert (totals["B2"].value, totals["C2"].value) == (16, 8)
    per_webinar = book["Per webinar"]
    assert per_webinar["A2"].value == FORMULA and per_webinar["A2"].data_type == "s"
    assert per_webinar["B2"].value == 16
    months = book["Per month"]
    assert months["A2"].is_date
    by_sex = {row[0].value: row[1].value for row in book["By sex"].iter_rows(min_row=2)}
    assert by_sex["female"] == 5 and by_sex["male"] == "fewer than 5"


def test_participation_as_csv(series, client):
    client.force_login(SecretariatFactory())
    url = reverse("insight:participation", kwargs={"slug": series.slug})
    response = client.get(url, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    flat = [cell for row in rows for cell in row]
    assert "'" + FORMULA in flat  # neutralised: a spreadsheet shows it as text
    assert ["Total", "16", "8"] in rows
    # Attended: female 5, male 3 hidden, so female, the next smallest, is hidden too.
    assert ["female", "5", "fewer than 5"] in rows
    assert any("fewer than 5" in cell for cell in flat)


def test_engagement_as_xlsx(series, client):
    client.force_login(SecretariatFactory())
    url = reverse("insight:engagement", kwargs={"slug": series.slug})
    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    feedback = book["Feedback"]
    assert feedback["A2"].value == FORMULA and feedback["A2"].data_type == "s"
    assert feedback["B2"].is_date
    assert feedback["C2"].value == 0
    usage = book["Plays and downloads"]
    assert usage["A2"].value == FORMULA and usage["A2"].data_type == "s"
    assert (usage["C2"].value, usage["D2"].value) == (0, 0)  # numbers, not text
    assert [cell.value for cell in usage[usage.max_row]] == ["Total", None, 0, 0]


def test_coverage_and_diversity_sheets(series, reference_data):
    reader = SecretariatFactory()
    filters = Filters(series)
    sheets = exports.coverage_sheets(coverage(reader=reader, filters=filters))
    sheets += exports.diversity_sheets(diversity(reader=reader, filters=filters))
    book = load_workbook(io.BytesIO(exports.workbook(title="All", filters=[], sheets=sheets)))
    assert book.sheetnames[:3] == ["About", "Workplan coverage", "Totals"]
    totals = book["Totals"]
    assert totals["B2"].value == 1 and isinstance(totals["B2"].value, int)  # one proposal
    for row in book["Workplan coverage"].iter_rows(min_row=2):
        assert all(isinstance(cell.value, int) for cell in row[3:7])
