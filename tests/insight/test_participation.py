"""The participation report: registrations and attendance of a series' webinars, per webinar,
per month and by group, checked against counts worked out here from the people made; groups of
fewer than 5 shown as "fewer than 5" (at 4 hidden, at 5 shown, and the next smallest hidden
when a single group is); the expected audience against who came; the page, its filters, who may
see it, and a number of queries that does not grow with the registrations."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deepdive.directory.models import Affiliation
from deepdive.insight.participation import Filters, participation
from deepdive.reference.regions import IloRegion, M49Region
from deepdive.webinars.audience import default_audience
from deepdive.webinars.models import Attendance, Registration
from deepdive.webinars.queries import past_audience_zones
from tests.accounts.factories import AffiliationFactory, SecretariatFactory
from tests.directory.factories import action_group, country, partner_type
from tests.webinars.factories import (
    CallFactory,
    OrganisationFactory,
    PublishedWebinarFactory,
    ReaderFactory,
    RegistrationFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db

# (sex, country, zone, is member, attended): the people of the first webinar.
PEOPLE = (
    [("female", "FR", "Europe/Paris", True, True)] * 5
    + [("male", "GH", "Africa/Accra", False, True)] * 3
    + [("male", "GH", "Africa/Accra", False, False)]
    + [("another", "GH", "Africa/Accra", False, False)]
    + [("", "NP", "Asia/Kathmandu", False, False)] * 6
)
WALK_INS = 2  # attended without registering


def held(call, days_ago=30, **kwargs):
    start = timezone.now() - timedelta(days=days_ago)
    return PublishedWebinarFactory(
        proposal__call=call, starts_at=start, planned_start=start, **kwargs
    )


def attend(webinar, registration=None, *, name="", host=False):
    return Attendance.objects.create(
        webinar=webinar,
        registration=registration,
        name=name or (registration.user.name if registration else "Walk-in"),
        email=registration.user.email if registration else "",
        minutes=40,
        counted_as_host=host,
        imported_at=timezone.now(),
    )


def register(webinar, sex, code, zone, is_member):
    person = ReaderFactory()
    if is_member:
        AffiliationFactory(
            user=person,
            organisation=OrganisationFactory(is_member=True, partner_type=partner_type("business")),
            status=Affiliation.Status.VERIFIED,
        )
    country(code)
    return RegistrationFactory(
        webinar=webinar,
        user=person,
        email=person.email,
        sex=sex,
        country=code,
        timezone=zone,
        partner_type="civil_society" if not is_member else "",
        organisation=person.affiliations.first().organisation if is_member else None,
        status=Registration.Status.REGISTERED,
    )


@pytest.fixture
def series():
    return SeriesFactory()


@pytest.fixture
def call(series):
    return CallFactory(series=series)


@pytest.fixture
def webinar(call):
    webinar = held(call)
    for sex, code, zone, is_member, came in PEOPLE:
        registration = register(webinar, sex, code, zone, is_member)
        if came:
            attend(webinar, registration)
    for i in range(WALK_INS):
        attend(webinar, name=f"Walk-in {i}")
    attend(webinar, name="The host", host=True)
    RegistrationFactory(webinar=webinar, status=Registration.Status.CANCELLED, country="FR")
    return webinar


def figures(breakdown):
    return {row.label: (row.registered, row.attended) for row in breakdown.rows}


def report_of(series, **filters):
    return participation(reader=SecretariatFactory(), filters=Filters(series, **filters))


def by_title(report, title):
    return next(b for b in report.breakdowns if b.title == title)


def test_totals_and_breakdowns_match_the_people(webinar, series):
    report = report_of(series)
    registered = len(PEOPLE)
    attended = sum(1 for p in PEOPLE if p[4]) + WALK_INS
    assert (report.registered, report.attended) == (registered, attended) == (16, 10)
    assert figures(by_title(report, "Per webinar")) == {webinar.title: (16, 10)}

    by_country = Counter(p[1] for p in PEOPLE)
    came_country = Counter(p[1] for p in PEOPLE if p[4])
    assert figures(by_title(report, "By country")) == {
        "France": (by_country["FR"], came_country["FR"]),  # 5 and 5: shown
        # Ghana: 5 registered shown; 3 attended and the 2 walk-ins: both hidden.
        "Ghana": (by_country["GH"], None),
        "Nepal": (by_country["NP"], 0),
        "unknown": (0, None),
    }
    ilo = figures(by_title(report, "By ILO region"))
    assert ilo[IloRegion.AFRICA.label] == (5, None)  # Ghana
    assert ilo[IloRegion.EUROPE_CENTRAL_ASIA.label] == (5, 5)  # France
    m49 = figures(by_title(report, "By UN M49 region"))
    assert m49[M49Region.ASIA.label] == (6, 0)  # Nepal: registered, none came
    kinds = figures(by_title(report, "By partner type"))
    assert kinds["Business"] == (5, 5)  # the members' organisations
    assert kinds["Civil society organisation"] == (11, None)  # the others' answer
    members = figures(by_title(report, "Members and public"))
    assert members["member (verified affiliation)"] == (5, 5)
    assert members["public"] == (11, 5)


def test_a_group_of_4_is_hidden_and_a_group_of_5_is_shown(webinar, series):
    sexes = figures(by_title(report_of(series), "By sex"))
    # Registered: female 5 shown; male 4 and another 1 hidden (two hidden: nothing more).
    assert sexes["female"] == (5, 5)
    assert sexes["male"][0] is None
    assert sexes["another"][0] is None
    assert sexes["unknown"][0] == 6
    # Attended: female 5, male 3, unknown (walk-ins) 2: the two small ones hidden.
    assert sexes["male"][1] is None and sexes["unknown"][1] is None


def test_a_single_hidden_group_hides_the_next_smallest(call, series):
    webinar = held(call)
    for _ in range(4):
        register(webinar, "male", "GH", "Africa/Accra", False)
    for _ in range(5):
        register(webinar, "female", "FR", "Europe/Paris", False)
    for _ in range(7):
        register(webinar, "", "NP", "Asia/Kathmandu", False)
    sexes = figures(by_title(report_of(series), "By sex"))
    # Male 4 alone hidden: female 5, the next smallest, goes too (16 - 7 = 9 tells nothing).
    assert sexes == {"female": (None, 0), "male": (None, 0), "unknown": (7, 0)}


def test_no_attendance_at_all_reads_0_not_fewer_than_5(call, series, client):
    webinar = held(call)
    for _ in range(6):
        register(webinar, "female", "FR", "Europe/Paris", False)
    report = report_of(series)
    # Zero people identify no one: the total reads 0, as every row does.
    assert (report.registered, report.attended) == (6, 0)
    assert figures(by_title(report, "Per webinar")) == {webinar.title: (6, 0)}
    client.force_login(SecretariatFactory())
    page = client.get(reverse("insight:participation", kwargs={"slug": series.slug}))
    text = " ".join(page.content.decode().split())
    assert "<dt>Registered</dt><dd>6</dd> <dt>Attended</dt><dd>0</dd>" in text


def test_a_total_of_1_to_4_is_hidden(call, series):
    webinar = held(call)
    for _ in range(6):
        attend(webinar, register(webinar, "female", "FR", "Europe/Paris", False))
    attend(webinar, name="Walk-in")
    assert report_of(series, call=call).attended == 7
    other = held(CallFactory(series=series, slug="other"))
    attend(other, register(other, "male", "GH", "Africa/Accra", False))
    assert report_of(series, call=other.proposal.call).attended is None  # 1: fewer than 5


def test_filters_by_call_and_period(webinar, series, call):
    other_call = CallFactory(series=series, slug="second")
    later = held(other_call, days_ago=2)
    for _ in range(5):
        register(later, "female", "FR", "Europe/Paris", False)
    assert report_of(series).registered == 21
    assert report_of(series, call=other_call).registered == 5
    today = timezone.now().date()
    assert report_of(series, start=today - timedelta(days=10)).registered == 5
    assert report_of(series, end=today - timedelta(days=10)).registered == 16
    months = by_title(report_of(series), "Per month").rows
    assert sum(r.registered or 0 for r in months) in (21, 16, 5)


def test_the_expected_audience_against_who_came(webinar, series):
    reach = {z.zone: z for z in report_of(series).reach}
    # Attendees by their registration's zone: Paris 5 shown, Accra 3 hidden, so the next
    # smallest (Paris) is hidden too.
    assert reach["Africa/Accra"].attended is None
    assert reach["Europe/Paris"].attended is None
    assert round(sum(z.expected for z in reach.values())) == 100


def test_only_the_secretariat(webinar, series, client):
    with pytest.raises(PermissionDenied):
        participation(reader=ReaderFactory(), filters=Filters(series))
    client.force_login(ReaderFactory())
    url = reverse("insight:participation", kwargs={"slug": series.slug})
    assert client.get(url).status_code == 403


def test_the_page(webinar, series, client):
    client.force_login(SecretariatFactory())
    url = reverse("insight:participation", kwargs={"slug": series.slug})
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "fewer than 5" in html
    assert "<svg" in html  # a chart beside each table
    assert re.search(r"<th scope=\"row\">France</th><td>5</td><td>5</td>", html)
    # A wrong period keeps what was typed and says why beside the field.
    page = client.get(url, {"start": "2026-05-01", "end": "2026-04-01"})
    assert "must not come before its start" in page.content.decode()
    assert 'value="2026-04-01"' in page.content.decode()


def test_queries_do_not_grow_with_the_registrations(series, call, client):
    client.force_login(SecretariatFactory())
    url = reverse("insight:participation", kwargs={"slug": series.slug})
    webinar = held(call)
    for sex, code, zone, is_member, _came in PEOPLE[:6]:
        attend(webinar, register(webinar, sex, code, zone, is_member))
    client.get(url)  # charts cached, sessions warm
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for sex, code, zone, is_member, _came in PEOPLE * 2:
        attend(webinar, register(webinar, sex, code, zone, is_member))
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_the_next_calls_default_audience_learns_from_who_came(series, call):
    member = OrganisationFactory(is_member=True, countries=[country("FR")])
    member.action_groups.add(series.action_group or action_group())
    before = held(call)
    for _ in range(5):
        registration = register(before, "", "NP", "Asia/Kathmandu", False)
    attend(before, registration)
    upcoming = PublishedWebinarFactory(proposal__call=call)  # not yet held: does not count
    register(upcoming, "", "PE", "America/Lima", False)
    RegistrationFactory(webinar=before, timezone="Asia/Kathmandu", status="cancelled")

    # 5 registrations, one of them attended: Kathmandu weighs 6.
    assert past_audience_zones(series) == {"Asia/Kathmandu": 6}
    next_call = CallFactory(series=series, slug="next")
    webinar = PublishedWebinarFactory(proposal__call=next_call)
    # No country of action: the members' half takes all, shared between the directory's
    # member (Paris) and the series' past audience (Kathmandu).
    assert default_audience(webinar) == {"Asia/Kathmandu": 50, "Europe/Paris": 50}
