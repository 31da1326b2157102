"""Diversity of the series: partner types, ILO regions, Pathfinder Countries, themes, sectors
and joint proposals, for proposals, selected and held, counted as the selection counts them;
per call and per series; the secretariat only; queries that do not grow with the rows."""

import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deepdive.insight.diversity import diversity
from deepdive.insight.participation import Filters
from deepdive.selection.models import Decision, SelectionRun
from deepdive.webinars.models import Webinar
from tests.accounts.factories import SecretariatFactory
from tests.directory.factories import partner_type, theme
from tests.webinars.factories import (
    CallFactory,
    CoSubmitterFactory,
    OrganisationFactory,
    ProposalFactory,
    ReaderFactory,
    SeriesFactory,
    WebinarFactory,
)

pytestmark = pytest.mark.django_db


def organisation(kind: str, countries=("FR",)):
    return OrganisationFactory(partner_type=partner_type(kind), countries=list(countries))


def decide(proposal, outcome=Decision.Outcome.SELECTED):
    run = SelectionRun.objects.filter(call=proposal.call).first() or SelectionRun.objects.create(
        call=proposal.call, solver_status="optimal", status=SelectionRun.Status.CONFIRMED
    )
    Decision.objects.create(proposal=proposal, run=run, outcome=outcome)


@pytest.fixture
def secretariat():
    return SecretariatFactory()


@pytest.fixture
def world():
    series = SeriesFactory(slug="deep-dive")
    call, later = CallFactory(series=series), CallFactory(series=series)
    # 1: civil society (FR) with a business co-submitter that confirmed, acts in Ghana and
    #    Peru, Pathfinder, child labour, mining: selected and held.
    joint = ProposalFactory(
        call=call,
        lead_organisation=organisation("civil_society"),
        countries=["GH", "PE"],
        themes=["child_labour"],
        sectors=["mining"],
        includes_pathfinder=True,
    )
    CoSubmitterFactory(proposal=joint, organisation=organisation("business"))
    decide(joint)
    WebinarFactory(proposal=joint, state=Webinar.State.HELD)
    # 2: business (Nepal), no country of action: the lead's country counts; a co-submitter
    #    still pending does not make it joint. Forced labour. Selected, not held yet.
    alone = ProposalFactory(
        call=call,
        lead_organisation=organisation("business", countries=["NP"]),
        themes=["forced_labour"],
    )
    CoSubmitterFactory(proposal=alone, organisation=organisation("academic"), status="pending")
    decide(alone)
    # 3: civil society, Jordan, not selected.
    third = ProposalFactory(
        call=call, lead_organisation=organisation("civil_society"), countries=["JO"]
    )
    decide(third, Decision.Outcome.NOT_SELECTED)
    # A draft and a proposal to the later call.
    ProposalFactory(call=call, status="draft", lead_organisation=organisation("academic"))
    ProposalFactory(call=later, lead_organisation=organisation("academic"), countries=["MA"])
    return {"series": series, "call": call, "later": later}


def table(report, key):
    dimension = next(d for d in report.dimensions if d.key == key)
    return {line.label: tuple(line.values()) for line in dimension.lines}


def test_diversity_of_one_call(world, secretariat):
    report = diversity(reader=secretariat, filters=Filters(world["series"], call=world["call"]))
    assert tuple(report.totals.values()) == (3, 2, 1)
    assert table(report, "partner_types") == {
        "Business": (2, 2, 1),
        "Civil society organisation": (2, 1, 1),
    }
    assert table(report, "regions") == {
        "Africa": (1, 1, 1),
        "Americas": (1, 1, 1),
        "Arab States": (1, 0, 0),
        "Asia and the Pacific": (1, 1, 0),
    }
    assert table(report, "pathfinder") == {"Yes": (1, 1, 1)}
    assert table(report, "joint") == {"Yes": (1, 1, 1)}
    assert table(report, "themes") == {"Child labour": (1, 1, 1), "Forced labour": (1, 1, 0)}
    assert table(report, "sectors") == {"Mining": (1, 1, 1)}


def test_diversity_of_the_series(world, secretariat):
    report = diversity(reader=secretariat, filters=Filters(world["series"]))
    assert tuple(report.totals.values()) == (4, 2, 1)
    assert table(report, "partner_types")["Academic institution or think tank"] == (1, 0, 0)
    assert table(report, "regions")["Africa"] == (2, 1, 1)


def test_diversity_for_the_secretariat_only(world):
    with pytest.raises(PermissionDenied):
        diversity(reader=ReaderFactory(), filters=Filters(world["series"]))


def test_diversity_queries_do_not_grow_with_rows(world, secretariat):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            diversity(reader=secretariat, filters=Filters(world["series"]))
        return len(queries)

    before = count()
    for _n in range(4):
        proposal = ProposalFactory(
            call=world["call"], lead_organisation=organisation("business", ["PE"])
        )
        CoSubmitterFactory(proposal=proposal, organisation=organisation("civil_society"))
    assert count() == before


def test_diversity_page(world, secretariat, client):
    url = reverse("insight:diversity", kwargs={"slug": "deep-dive"})
    client.force_login(secretariat)
    page = client.get(url, {"call": world["call"].slug}).content.decode()
    assert page.count('role="img"') == 6
    assert "Arab States" in page and "Joint proposals" in page
    client.force_login(ReaderFactory())
    assert client.get(url).status_code == 403


def side_by_side(report):
    return {line.label: tuple(line.values()) for line in report.calls.lines}


@pytest.fixture
def first_call(world):
    """A call that opened a year before the others: one selected proposal on human
    trafficking with action in a Pathfinder Country, one on child labour not selected."""
    first = CallFactory(
        series=world["series"],
        title="The first call",
        opens_at=timezone.now() - timedelta(days=365),
        closes_at=timezone.now() - timedelta(days=300),
    )
    trafficking = ProposalFactory(
        call=first,
        lead_organisation=organisation("business"),
        themes=[theme("human_trafficking", "Human trafficking")],
        includes_pathfinder=True,
    )
    decide(trafficking)
    children = ProposalFactory(
        call=first, lead_organisation=organisation("academic"), themes=["child_labour"]
    )
    decide(children, Decision.Outcome.NOT_SELECTED)
    return first


def test_the_calls_side_by_side(world, first_call, secretariat):
    report = diversity(reader=secretariat, filters=Filters(world["series"]))
    assert report.calls.columns == [
        "Proposals",
        "Selected",
        "Held",
        "Joint proposals",
        "Action in a Pathfinder Country",
        "Child labour, selected",
        "Forced labour, selected",
        "Human trafficking, selected",
    ]
    # In order of opening: the first call, then the two opened yesterday (by creation).
    assert [line.call for line in report.calls.lines] == [
        first_call,
        world["call"],
        world["later"],
    ]
    assert side_by_side(report) == {
        "The first call": (2, 1, 0, 0, 1, 0, 0, 1),
        world["call"].title: (3, 2, 1, 1, 1, 1, 1, 0),
        world["later"].title: (1, 0, 0, 0, 0, 0, 0, 0),
    }
    # The rows add up to the series' totals.
    assert [sum(column) for column in zip(*side_by_side(report).values(), strict=True)][:3] == list(
        report.totals.values()
    )


def test_the_calls_side_by_side_only_for_the_whole_of_a_series_of_calls(world, secretariat):
    one_call = diversity(reader=secretariat, filters=Filters(world["series"], call=world["call"]))
    assert one_call.calls is None
    lonely = ProposalFactory(lead_organisation=organisation("business"))
    alone = diversity(reader=secretariat, filters=Filters(lonely.call.series))
    assert alone.calls is None


def test_the_calls_side_by_side_follow_the_period(world, first_call, secretariat):
    first_call.proposals.update(submitted_at=timezone.now() - timedelta(days=320))
    since = (timezone.now() - timedelta(days=30)).date()
    report = diversity(reader=secretariat, filters=Filters(world["series"], start=since))
    assert side_by_side(report)["The first call"] == (0, 0, 0, 0, 0, 0, 0, 0)
    assert side_by_side(report)[world["call"].title] == (3, 2, 1, 1, 1, 1, 1, 0)


def test_the_calls_side_by_side_queries_do_not_grow_with_the_calls(world, secretariat):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            diversity(reader=secretariat, filters=Filters(world["series"]))
        return len(queries)

    before = count()
    for _n in range(3):
        ProposalFactory(
            call=CallFactory(series=world["series"]), lead_organisation=organisation("business")
        )
    assert count() == before


def test_the_calls_side_by_side_on_the_page_and_in_the_files(
    world, first_call, secretariat, client
):
    url = reverse("insight:diversity", kwargs={"slug": "deep-dive"})
    client.force_login(secretariat)
    page = client.get(url).content.decode()
    assert '<caption id="calls-table">Calls side by side: the figures</caption>' in page
    assert re.search(
        r'<th scope="row">The first call</th>'
        + "".join(rf"<td>{n}</td>" for n in (2, 1, 0, 0, 1, 0, 0, 1)),
        page,
    )
    assert page.count('role="img"') == 7  # the calls, then the six dimensions
    # One call chosen: no calls side by side.
    page = client.get(url, {"call": world["call"].slug}).content.decode()
    assert "Calls side by side" not in page

    book = openpyxl.load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    sheet = book["Calls side by side"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Call", "Proposals", "Selected", "Held")
    assert rows[1] == ("The first call", 2, 1, 0, 0, 1, 0, 0, 1)
    csv_text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert "The first call,2,1,0,0,1,0,0,1" in csv_text
