"""Suppression at the edge, as the secretariat reads it on the page and in the XLSX and CSV
exports: a group of 4 people reads "fewer than 5", a group of 5 reads 5 (participation); a
webinar's ratings from 4 answers are hidden, from 5 shown (engagement)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.accounts.factories import SecretariatFactory
from tests.insight.test_demo_figures import HIDDEN, Tables
from tests.insight.test_engagement import answer
from tests.insight.test_participation import attend, held, register
from tests.webinars.factories import CallFactory, SeriesFactory

pytestmark = pytest.mark.django_db

# (sex, how many registered, how many of them attended). Two groups are small, so the rule
# hides them and nothing more: the group of 5 stays shown.
GROUPS = [("female", 5, 5), ("male", 4, 4), ("another", 1, 1), ("", 6, 0)]


@pytest.fixture
def series():
    return SeriesFactory()


@pytest.fixture
def secretariat(client):
    client.force_login(SecretariatFactory())
    return client


def files(client, url) -> tuple[dict[str, list[list]], list[list[str]]]:
    """The report's XLSX sheets ({name: rows below the headers}) and its CSV rows."""
    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    sheets = {
        sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
        for sheet in book.worksheets
    }
    text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    return sheets, list(csv.reader(io.StringIO(text)))


def test_a_group_of_4_reads_fewer_than_5_and_a_group_of_5_reads_5(series, secretariat):
    webinar = held(CallFactory(series=series))
    for sex, registered, attended in GROUPS:
        for n in range(registered):
            registration = register(webinar, sex, "FR", "Europe/Paris", False)
            if n < attended:
                attend(webinar, registration)
    url = reverse("insight:participation", kwargs={"slug": series.slug})

    tables = Tables(secretariat.get(url).content.decode()).tables
    by_sex = {row[0]: row[1:] for row in tables["By sex"]}
    assert by_sex["female"] == ["5", "5"]
    assert by_sex["male"] == [HIDDEN, HIDDEN]
    assert by_sex["another"] == [HIDDEN, HIDDEN]
    assert by_sex["unknown"] == ["6", "0"]

    sheets, rows = files(secretariat, url)
    in_sheet = {row[0]: row[1:] for row in sheets["By sex"]}
    assert in_sheet["female"] == [5, 5]  # numbers, not text
    assert in_sheet["male"] == [HIDDEN, HIDDEN]
    assert in_sheet["unknown"] == [6, 0]
    assert ["female", "5", "5"] in rows
    assert ["male", HIDDEN, HIDDEN] in rows
    # Nowhere is the group of 4 given as a number.
    assert not any(row[:1] == ["male"] and "4" in row for row in rows)


def test_ratings_from_4_answers_are_hidden_and_from_5_shown(series, secretariat):
    call = CallFactory(series=series)
    four, five = held(call, days_ago=20), held(call, days_ago=10)
    answer(four, 5, 4, 4, 2)
    answer(five, 5, 5, 3, 1, 4)
    url = reverse("insight:engagement", kwargs={"slug": series.slug})

    tables = Tables(secretariat.get(url).content.decode()).tables
    first, second = tables["Feedback per webinar"]
    assert first[0].startswith(four.title) and second[0].startswith(five.title)
    assert first[1:] == ["4", "3.8", "fewer than 5 answers: not shown"]
    assert second[1:] == ["5", "3.6", "1", "0", "1", "1", "2"]

    sheets, rows = files(secretariat, url)
    first, second = sheets["Feedback"]
    assert first[2:] == [4, 3.8, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN]
    assert second[2:] == [5, 3.6, 1, 0, 1, 1, 2]
    on_csv: dict[str, list[str]] = {}
    for row in rows:  # the feedback section comes first
        if row[:1] in ([four.title], [five.title]):
            on_csv.setdefault(row[0], row[2:])
    assert on_csv[four.title] == ["4", "3.8", *[HIDDEN] * 5]
    assert on_csv[five.title] == ["5", "3.6", "1", "0", "1", "1", "2"]
