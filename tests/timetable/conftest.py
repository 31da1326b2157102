"""Shared set-up for the timetable tests: a call, webinars of selected proposals whose hosts
confirmed (``make_webinar``), hosts with their own zone and language, timetable rules."""

from datetime import date

import pytest

from deepdive.directory.models import Affiliation
from deepdive.selection.models import Decision, SelectionRun
from deepdive.timetable.models import TimetableRules
from deepdive.webinars.models import Webinar
from tests.accounts.factories import AffiliationFactory, SecretariatFactory
from tests.accounts.factories import UserFactory as AccountFactory
from tests.proposals.factories import CallFactory, OrganisationFactory, ProposalFactory, country

PASSWORD = "a-Strong-passw0rd!"


@pytest.fixture
def secretariat(db):
    return SecretariatFactory()


@pytest.fixture
def call(db):
    return CallFactory(seats=4)


@pytest.fixture
def rules(call):
    """Winter weekdays of 2027 (no daylight-saving change), one day apart at least."""
    return TimetableRules.objects.create(
        call=call,
        first_date=date(2027, 1, 11),
        last_date=date(2027, 2, 26),
        weekdays=[1, 2, 3, 4, 5],
        min_days_between=1,
    )


def make_webinar(
    call,
    *,
    title: str | None = None,
    countries=(),
    audience: dict | None = None,
    available=(),
    unavailable=(),
    minutes: int = 60,
    outcome: str = Decision.Outcome.SELECTED,
    host_status: str = Decision.HostStatus.CONFIRMED,
    host=None,
) -> Webinar:
    """A webinar of a submitted proposal of ``call`` with its decision (selected, host
    confirmed unless told). ``host``: the account that created the proposal."""
    host = host or AccountFactory()
    proposal = ProposalFactory(
        call=call,
        created_by=host,
        countries=[country(c) for c in countries],
        **({"title": title} if title else {}),
    )
    run = SelectionRun.objects.filter(call=call).first() or SelectionRun.objects.create(
        call=call, solver_status="optimal", status=SelectionRun.Status.CONFIRMED
    )
    Decision.objects.create(
        proposal=proposal,
        run=run,
        outcome=outcome,
        host_status=host_status if outcome == Decision.Outcome.SELECTED else "",
    )
    return Webinar.objects.create(
        proposal=proposal,
        minutes=minutes,
        audience=audience or {},
        audience_edited=audience is not None,
        available=[list(pair) for pair in available],
        unavailable=list(unavailable),
        joining_url="https://meet.example.org/j/123",
    )


@pytest.fixture
def webinar_maker(call):
    def make(**kwargs):
        return make_webinar(call, **kwargs)

    return make


def verified_contact(organisation, **kwargs):
    person = AccountFactory(**kwargs)
    AffiliationFactory(user=person, organisation=organisation, status=Affiliation.Status.VERIFIED)
    return person


__all__ = ["OrganisationFactory", "PASSWORD", "make_webinar", "verified_contact"]
