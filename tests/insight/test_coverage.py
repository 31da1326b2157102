"""Workplan coverage: each Output's proposals (by its Outcome), selected, held and recorded
webinars, the gaps named; the public summary counts published webinars only; filters; who
may see it; queries that do not grow with the rows."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deepdive.insight.coverage import coverage
from deepdive.insight.participation import Filters
from deepdive.reference.models import Output
from deepdive.webinars.models import Recording, Webinar
from tests.accounts.factories import SecretariatFactory
from tests.proposals.factories import outcome
from tests.webinars.factories import (
    CallFactory,
    ProposalFactory,
    PublishedWebinarFactory,
    ReaderFactory,
    SeriesFactory,
    WebinarFactory,
)

pytestmark = pytest.mark.django_db


def output(outcome_number: int, number: int, group_code: str = "supply_chains") -> Output:
    return Output.objects.get_or_create(
        outcome=outcome(outcome_number, group_code=group_code),
        number=number,
        defaults={"text": f"Output text {outcome_number}.{number}"},
    )[0]


def webinar_on(call, outputs, *, title, published=True, state=Webinar.State.PREPARING, days=14):
    factory = PublishedWebinarFactory if published else WebinarFactory
    values = {"starts_at": timezone.now() + timedelta(days=days)} if published else {}
    webinar = factory(proposal=ProposalFactory(call=call, title=title), state=state, **values)
    webinar.outputs.set(outputs)
    return webinar


def recorded(webinar):
    Recording.objects.create(
        webinar=webinar,
        url="https://video.example.org/v/1",
        provider=Recording.Provider.FILE,
        language="en",
        published_at=timezone.now(),
    )


@pytest.fixture
def secretariat():
    return SecretariatFactory()


@pytest.fixture
def world():
    """A series whose workplan has Outputs 1.1, 1.2 and 3.1 and whose webinars serve some."""
    series = SeriesFactory(slug="deep-dive")
    call = CallFactory(series=series)
    o11, o12, o31 = output(1, 1), output(1, 2), output(3, 1)
    output(1, 1, group_code="migration")  # another workplan: never shown
    # Proposals naming Outcome 1: three submitted (one becomes a webinar), one draft.
    ProposalFactory(call=call, outcomes=[1])
    ProposalFactory(call=call, outcomes=[1, 3])
    ProposalFactory(call=call, outcomes=[1], status="draft")
    ProposalFactory(call=CallFactory(), outcomes=[1])  # another series
    held = webinar_on(
        call, [o11, o31], title="Cocoa and child labour", state=Webinar.State.HELD, days=-10
    )
    held.proposal.outcomes.set([outcome(1)])
    recorded(held)
    webinar_on(call, [o11], title="Fishing at sea")
    webinar_on(call, [o31], title="Draft plan", published=False)
    webinar_on(call, [o31], title="Cancelled one", state=Webinar.State.CANCELLED)
    return {"series": series, "call": call, "o11": o11, "o12": o12, "o31": o31}


def figures(report):
    return {
        str(row.output): (row.proposed, row.selected, row.held, row.recorded) for row in report.rows
    }


def test_coverage_counts_each_output(world, secretariat):
    report = coverage(reader=secretariat, filters=Filters(world["series"]))
    # Outcome 1: the two proposals of the call plus the held webinar's proposal = 3.
    # Outcome 3: one proposal. Cancelled webinars are not counted.
    assert figures(report) == {
        "Output 1.1": (3, 2, 1, 1),
        "Output 1.2": (3, 0, 0, 0),
        "Output 3.1": (1, 2, 1, 1),
    }
    assert [str(row.output) for row in report.gaps] == ["Output 1.2"]
    titles = {str(r.output): [w.title for w in r.webinars] for r in report.rows}
    assert titles["Output 1.1"] == ["Cocoa and child labour", "Fishing at sea"]
    assert sorted(titles["Output 3.1"]) == ["Cocoa and child labour", "Draft plan"]
    assert [str(group.outcome) for group in report.outcomes] == [
        "Outcome 1. Outcome title 1",
        "Outcome 3. Outcome title 3",
    ]


def test_public_coverage_counts_published_webinars_only(world):
    report = coverage(reader=None, filters=Filters(world["series"]), public=True)
    assert figures(report)["Output 3.1"][1:] == (1, 1, 1)
    titles = [w.title for row in report.rows for w in row.webinars]
    assert "Draft plan" not in titles and "Cancelled one" not in titles


def test_coverage_filtered_by_period(world, secretariat):
    today = timezone.now().date()
    filters = Filters(world["series"], start=today, end=today + timedelta(days=30))
    report = coverage(reader=secretariat, filters=filters)
    # Only "Fishing at sea" starts within the period (the held one was ten days ago).
    assert [figures(report)[name][1] for name in ("Output 1.1", "Output 3.1")] == [1, 0]


def test_coverage_filtered_by_call(world, secretariat):
    other = CallFactory(series=world["series"])
    report = coverage(reader=secretariat, filters=Filters(world["series"], call=other))
    assert set(figures(report).values()) == {(0, 0, 0, 0)}
    assert len(report.gaps) == 3


def test_coverage_for_the_secretariat_only(world):
    with pytest.raises(PermissionDenied):
        coverage(reader=ReaderFactory(), filters=Filters(world["series"]))


def test_coverage_queries_do_not_grow_with_rows(world, secretariat):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            coverage(reader=secretariat, filters=Filters(world["series"]))
        return len(queries)

    before = count()
    for n in range(5):
        webinar_on(world["call"], [world["o12"]], title=f"More {n}")
        ProposalFactory(call=world["call"], outcomes=[3])
    assert count() == before == 2


def test_coverage_pages(world, secretariat, client):
    public = client.get(reverse("insight:public_coverage", kwargs={"slug": "deep-dive"}))
    assert public.status_code == 200
    text = public.content.decode()
    assert "Fishing at sea" in text and "Draft plan" not in text and "<svg" in text
    assert len(public.content) < 60_000
    url = reverse("insight:coverage", kwargs={"slug": "deep-dive"})
    assert client.get(url).status_code in (302, 403)
    client.force_login(secretariat)
    page = client.get(url, {"call": world["call"].slug}).content.decode()
    assert "Output 1.2" in page and "None: a gap" in page and "Draft plan" in page
    assert 'role="img"' in page


def test_coverage_and_diversity_download_as_spreadsheets(world, secretariat, client):
    client.force_login(secretariat)
    url = reverse("insight:coverage", kwargs={"slug": "deep-dive"})
    page = client.get(url).content.decode()
    assert "format=xlsx" in page and "format=csv" in page

    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx["Content-Disposition"] == 'attachment; filename="deep-dive-workplan-coverage.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    lines = list(book.worksheets[1].iter_rows(values_only=True))
    row = next(line for line in lines if line[1] == "Output 1.1")
    assert row[3:7] == (3, 2, 1, 1)  # numbers as numbers

    csv_text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert "Output 1.2" in csv_text

    diversity = client.get(
        reverse("insight:diversity", kwargs={"slug": "deep-dive"}), {"format": "xlsx"}
    )
    assert len(openpyxl.load_workbook(io.BytesIO(diversity.content)).worksheets) > 2
