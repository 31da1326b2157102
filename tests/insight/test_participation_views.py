"""The filters of the report pages (series, call, period) on every page and in its files; a
filter that does not read is shown beside its field, keeping what was typed; a page view builds
no file."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from deepdive.insight import exports
from deepdive.insight.participation import Filters
from tests.accounts.factories import SecretariatFactory
from tests.webinars.factories import CallFactory, SeriesFactory

pytestmark = pytest.mark.django_db

REPORTS = ["coverage", "diversity", "participation", "engagement"]


@pytest.fixture
def series():
    series = SeriesFactory(slug="deep-dive")
    CallFactory(series=series, slug="first", title="The first call")
    CallFactory(series=series, slug="second", title="The second call")
    return series


@pytest.fixture
def secretariat_client(client):
    client.force_login(SecretariatFactory())
    return client


def about(response) -> dict[str, str]:
    """The first sheet of an XLSX download, as {name: value}."""
    book = load_workbook(io.BytesIO(response.content))
    return {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row and row[0]}


@pytest.mark.parametrize("report", REPORTS)
def test_the_filters_apply_to_the_page_and_its_files(series, secretariat_client, report):
    url = reverse(f"insight:{report}", kwargs={"slug": "deep-dive"})
    chosen = {"call": "second", "start": "2026-01-01", "end": "2026-06-30"}
    page = secretariat_client.get(url, chosen).content.decode()
    assert re.search(r"<dt>Call</dt><dd>The second call</dd>", page)
    assert re.search(r"<dt>From</dt><dd>1 January 2026</dd>", page)
    assert '<option value="second" selected>' in page
    # The download links keep the filters.
    assert "call=second&amp;start=2026-01-01&amp;end=2026-06-30&amp;format=xlsx" in page

    described = about(secretariat_client.get(url, {**chosen, "format": "xlsx"}))
    assert described["Call"] == "The second call"
    assert described["From"] == "1 January 2026"
    assert described["Until"] == "30 June 2026"
    csv_text = secretariat_client.get(url, {**chosen, "format": "csv"}).content.decode("utf-8-sig")
    assert "Call,The second call" in csv_text


@pytest.mark.parametrize("report", REPORTS)
def test_a_date_that_is_no_date_is_shown_beside_its_field(series, secretariat_client, report):
    url = reverse(f"insight:{report}", kwargs={"slug": "deep-dive"})
    response = secretariat_client.get(url, {"call": "first", "start": "2026-13-45"})
    assert response.status_code == 200
    page = response.content.decode()
    field = re.search(r'<div class="field has-error">(.*?)</div>', page, re.S)
    assert field and 'for="id_start"' in field.group(1)
    assert "Enter a valid date." in field.group(1)
    assert 'value="2026-13-45"' in field.group(1)  # what was typed
    # The filters that read still apply, and say which period the figures cover.
    assert re.search(r"<dt>Call</dt><dd>The first call</dd>", page)
    assert re.search(r"<dt>From</dt><dd>the first webinar</dd>", page)
    described = about(
        secretariat_client.get(url, {"call": "first", "start": "2026-13-45", "format": "xlsx"})
    )
    assert described["Call"] == "The first call"
    assert described["From"] == "the first webinar"


def test_the_public_summary_takes_the_filters_too(series, client):
    url = reverse("insight:public_coverage", kwargs={"slug": "deep-dive"})
    page = client.get(url, {"call": "first", "end": "not a date"}).content.decode()
    assert "Enter a valid date." in page and 'value="not a date"' in page
    assert re.search(r"<dt>Call</dt><dd>The first call</dd>", page)


def test_a_page_view_builds_no_file(series):
    def never():
        raise AssertionError("the sheets were built for a page")

    filters = Filters(series)
    assert exports.file_response("", name="x", title="X", filters=filters, sheets=never) is None
    response = exports.file_response(
        "csv", name="x", title="X", filters=filters, sheets=lambda: [("S", ["A"], [[1]])]
    )
    assert response["Content-Disposition"] == 'attachment; filename="deep-dive-x.csv"'
