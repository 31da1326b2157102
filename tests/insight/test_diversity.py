"""Diversity of the series: partner types, ILO regions, Pathfinder Countries, themes, sectors
and joint proposals, for proposals, selected and held, counted as the selection counts them;
per call and per series; the secretariat only; queries that do not grow with the rows."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deepdive.insight.diversity import diversity
from deepdive.insight.participation import Filters
from deepdive.selection.models import Decision, SelectionRun
from deepdive.webinars.models import Webinar
from tests.accounts.factories import SecretariatFactory
from tests.directory.factories import partner_type
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
