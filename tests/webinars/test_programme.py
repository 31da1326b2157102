"""The public programme on the series page and the webinar pages: times in the reader's zone
and the series' zone, the filters, who sees what, and the number of queries."""

import html as entities
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deepdive.proposals.models import CoSubmitter
from deepdive.webinars import queries
from tests.proposals.factories import outcome, sector, theme
from tests.webinars.factories import (
    CallFactory,
    CoSubmitterFactory,
    OrganisationFactory,
    ProposalFactory,
    PublishedWebinarFactory,
    ReaderFactory,
    RegistrationFactory,
    SpeakerFactory,
    WebinarFactory,
    member,
    paris,
    rules_for,
)

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.now().year + 1


def text(response) -> str:
    """The page's text without tags, spaces collapsed: what a reader sees."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    words = " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", html)).split())
    return re.sub(r"\( ", "(", re.sub(r" ([,;.)])", r"\1", words))


@pytest.fixture
def call():
    call = CallFactory(
        opens_at=timezone.now() - timedelta(days=200),
        closes_at=timezone.now() - timedelta(days=100),
    )
    rules_for(call)
    return call


@pytest.fixture
def series(call):
    return call.series


def webinar_in(call, *, start=None, **proposal):
    """A published webinar of ``call`` (at ``start``), its proposal given by keywords."""
    proposal.setdefault("call", call)
    return PublishedWebinarFactory(
        proposal=ProposalFactory(**proposal),
        **({"starts_at": start, "planned_start": start} if start else {}),
    )


@pytest.fixture
def cocoa(call):
    """12 January next year at 14:00 Paris: 07:00 Mexico City, 18:45 Kathmandu, 01:00 on the
    13th in Fiji."""
    webinar = webinar_in(
        call,
        start=paris(NEXT_YEAR, 1, 12, 14, 0),
        title="Child labour in West African cocoa",
        description="Traceability and remediation in cocoa cooperatives.",
        themes=["child_labour"],
        outcomes=[1, 4],
        sectors=["cocoa"],
        countries=["GH"],
        language="en",
        interpretation=["fr"],
        lead_organisation=OrganisationFactory(name="Cocoa Workers' Union"),
    )
    CoSubmitterFactory(
        proposal=webinar.proposal, organisation=OrganisationFactory(name="Ghana Research Lab")
    )
    CoSubmitterFactory(
        proposal=webinar.proposal,
        organisation=OrganisationFactory(name="Not Yet Confirmed NGO"),
        status=CoSubmitter.Status.PENDING,
    )
    SpeakerFactory(proposal=webinar.proposal, name="Ama Mensah", role="Researcher")
    webinar.audience = {"Africa/Accra": 50, "Asia/Kathmandu": 20, "Pacific/Fiji": 10}
    webinar.save()
    return webinar


@pytest.fixture
def fishing(call):
    return webinar_in(
        call,
        start=paris(NEXT_YEAR, 2, 2, 9, 30),
        title="Forced labour at sea",
        themes=["forced_labour"],
        outcomes=[2],
        sectors=["fishing"],
        countries=["NP"],
        language="es",
    )


@pytest.fixture
def past(call):
    return webinar_in(
        call,
        start=timezone.now() - timedelta(days=20),
        title="Trafficking pilot webinar",
        themes=["human_trafficking"],
        countries=["PE"],
        language="fr",
    )


# ----------------------------------------------------------------------------- series page


def test_the_programme_lists_upcoming_and_past_webinars_in_the_readers_zone(
    client, series, cocoa, fishing, past
):
    client.cookies["deepdive_tz"] = "Asia/Kathmandu"
    response = client.get(series.get_absolute_url())
    page = text(response)
    assert response.status_code == 200

    upcoming = page.split("Upcoming webinars", 1)[1].split("Past webinars", 1)[0]
    assert upcoming.index("Child labour in West African cocoa") < upcoming.index(
        "Forced labour at sea"
    )
    assert "Trafficking pilot webinar" not in upcoming
    assert "Trafficking pilot webinar" in page.split("Past webinars", 1)[1]

    # The reader's zone first, then the series' reference zone.
    weekday = paris(NEXT_YEAR, 1, 12).strftime("%a")
    assert f"{weekday} 12 Jan {NEXT_YEAR} 18:45–19:45 Your time: Asia/Kathmandu, UTC+05:45" in (
        page
    )
    assert f"Europe/Paris: {weekday} 12 Jan, 14:00–15:00 (UTC+01:00)" in page
    html = response.content.decode()
    assert f'datetime="{NEXT_YEAR}-01-12T18:45:00+05:45"' in html
    assert f'href="{cocoa.get_absolute_url()}"' in html


def test_each_webinar_shows_hosts_themes_outcomes_languages(client, series, cocoa, fishing):
    fishing.members_only = True
    fishing.save()
    page = text(client.get(series.get_absolute_url()))
    card = page.split("Child labour in West African cocoa", 1)[1].split("Forced labour", 1)[0]
    assert "Hosts Cocoa Workers' Union, Ghana Research Lab" in card
    assert "Not Yet Confirmed NGO" not in page
    assert "Themes Child labour" in card
    assert "Outcomes Outcome 1, Outcome 4" in card
    assert "Languages English; interpretation into French" in card
    assert "members only" not in card
    other = page.split("Forced labour at sea", 1)[1]
    assert other.startswith(" members only")
    assert "Languages Spanish" in other


def test_only_published_webinars_of_this_series_are_listed(client, series, call, cocoa):
    WebinarFactory(proposal=ProposalFactory(call=call, title="Still being planned"))
    planned = WebinarFactory(proposal=ProposalFactory(call=call, title="Planned, not published"))
    planned.planned_start = paris(NEXT_YEAR, 1, 19)
    planned.save()
    PublishedWebinarFactory(proposal=ProposalFactory(title="Another series' webinar"))
    page = text(client.get(series.get_absolute_url()))
    assert "Child labour in West African cocoa" in page
    assert "Still being planned" not in page
    assert "Planned, not published" not in page
    assert "Another series' webinar" not in page


def test_without_webinars_the_page_says_so_and_keeps_the_calls(client, series, call):
    page = text(client.get(series.get_absolute_url()))
    assert "The programme of webinars has not been published yet." in page
    assert "Calls for proposals" in page and call.title in page
    assert "Past webinars" not in page
    assert "Show webinars" not in page  # no filters for an empty programme


def test_the_reference_zone_is_the_timetable_rules_else_paris(client, series, call, cocoa):
    rules_for(call, "America/New_York")
    page = text(client.get(series.get_absolute_url()))
    assert "America/New York: " in page and "08:00–09:00 (UTC-05:00)" in page
    call.timetable_rules.delete()
    page = text(client.get(series.get_absolute_url()))
    assert "Europe/Paris: " in page and "14:00–15:00 (UTC+01:00)" in page


def test_with_only_past_webinars_none_is_upcoming(client, series, past):
    page = text(client.get(series.get_absolute_url()))
    assert "No upcoming webinar is on the programme yet." in page
    assert "Trafficking pilot webinar" in page.split("Past webinars", 1)[1]


def test_subscribe_links(client, series):
    html = client.get(series.get_absolute_url()).content.decode()
    feed = reverse("webinars:feed", args=[series.slug])
    assert f'href="webcal://testserver{feed}"' in html
    assert f'href="{feed}"' in html
    assert f"http://testserver{feed}" in html


# ------------------------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"theme": "child_labour"}, ["cocoa"]),
        ({"theme": "human_trafficking"}, ["pilot"]),
        ({"outcome": "2"}, ["sea"]),
        ({"outcome": "4"}, ["cocoa"]),
        ({"sector": "fishing"}, ["sea"]),
        ({"region": "africa"}, ["cocoa"]),
        ({"region": "asia_pacific"}, ["sea"]),
        ({"region": "americas"}, ["pilot"]),
        ({"language": "fr"}, ["cocoa", "pilot"]),  # cocoa is interpreted into French
        ({"language": "es"}, ["sea"]),
        ({"theme": "child_labour", "language": "es"}, []),
        ({"theme": "forced_labour", "region": "asia_pacific"}, ["sea"]),
    ],
)
def test_filters_narrow_the_programme(client, series, cocoa, fishing, past, query, shown):
    titles = {
        "cocoa": "Child labour in West African cocoa",
        "sea": "Forced labour at sea",
        "pilot": "Trafficking pilot webinar",
    }
    response = client.get(series.get_absolute_url(), query)
    page = text(response)
    for key, title in titles.items():
        assert (title in page) == (key in shown), (key, query)
    assert "of 3 match" in page
    # The filters are kept in the form, so the URL can be shared and changed.
    html = response.content.decode()
    for name, value in query.items():
        assert re.search(rf'<option value="{value}" selected>', html), (name, value)
    assert "Clear filters" in page


def test_an_unknown_filter_value_is_reported_and_ignored(client, series, cocoa, fishing):
    page = text(client.get(series.get_absolute_url(), {"theme": "nonsense", "sector": "fishing"}))
    assert "Select a valid choice" in page
    assert "Forced labour at sea" in page
    assert "Child labour in West African cocoa" not in page


def test_filter_choices_are_the_reference_data(client, series, cocoa):
    outcome(3, "Promoting cooperation")
    sector("mining")
    theme("forced_labour")
    html = client.get(series.get_absolute_url()).content.decode()
    form = html.split('aria-label="Filter the programme"', 1)[1].split("</form>", 1)[0]
    for label in ("Theme", "Outcome", "Sector", "Region", "Language"):
        assert re.search(rf"<label for=\"programme-\w+\">{label}:?</label>", form), label
    assert "Outcome 3. Promoting cooperation" in form
    assert '<option value="asia_pacific">Asia and the Pacific</option>' in form
    assert 'method="get"' in html.split('aria-label="Filter the programme"', 1)[0][-200:]


def test_the_programme_takes_a_fixed_number_of_queries(
    client, series, call, cocoa, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries_made:
            assert client.get(series.get_absolute_url()).status_code == 200
        return len(queries_made)

    one = count()
    for n in range(5):
        webinar = webinar_in(
            call,
            start=paris(NEXT_YEAR, 3, 1 + n),
            themes=["child_labour", "forced_labour"],
            outcomes=[1, 2],
            countries=["GH", "NP"],
            interpretation=["fr", "es"],
        )
        CoSubmitterFactory(proposal=webinar.proposal)
    six = count()
    assert six == one
    assert one <= 14
    with django_assert_max_num_queries(one + 1):  # + counting the whole programme
        client.get(series.get_absolute_url(), {"theme": "child_labour", "language": "fr"})


# ----------------------------------------------------------------------------- webinar page


def test_the_webinar_page_shows_the_time_in_the_readers_zone_and_a_convert_table(client, cocoa):
    client.cookies["deepdive_tz"] = "America/Mexico_City"
    response = client.get(cocoa.get_absolute_url())
    page = text(response)
    assert response.status_code == 200
    assert "Child labour in West African cocoa" in page
    assert "Traceability and remediation in cocoa cooperatives." in page
    weekday = paris(NEXT_YEAR, 1, 12).strftime("%A")
    assert (
        f"{weekday} 12 January {NEXT_YEAR} 07:00–08:00 In your time zone, America/Mexico City"
        in (page)
    )
    assert (
        f"The series' time zone, Europe/Paris: {weekday} 12 January {NEXT_YEAR}, 14:00–15:00"
        in (page)
    )
    # The convert table: audience zones, the series' zone, UTC and the reader's, west to east.
    html = response.content.decode()
    table = html.split('class="webinar-convert"', 1)[1].split("</table>", 1)[0]
    rows = [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr\b.*?</tr>", table.split("<tbody>", 1)[1], flags=re.S)
    ]
    assert [row.split(" ")[0] for row in rows] == [
        "America/Mexico",
        "Africa/Accra",
        "UTC",
        "Europe/Paris",
        "Asia/Kathmandu",
        "Pacific/Fiji",
    ]
    assert rows[0].startswith("America/Mexico City UTC-06:00 your time zone")
    assert rows[0].endswith(f"12 Jan {NEXT_YEAR} 07:00–08:00")
    assert rows[1].startswith("Africa/Accra UTC+00:00") and rows[1].endswith("13:00–14:00")
    assert rows[3].startswith("Europe/Paris UTC+01:00 series' time zone")
    assert rows[4].startswith("Asia/Kathmandu UTC+05:45") and rows[4].endswith("18:45–19:45")
    assert rows[5].startswith("Pacific/Fiji UTC+12:00")
    assert rows[5].endswith(f"13 Jan {NEXT_YEAR} next day 01:00–02:00")
    assert "next day" not in " ".join(rows[:5])


def test_the_convert_table_says_previous_day_for_a_reader_east_of_the_date_line(client, cocoa):
    client.cookies["deepdive_tz"] = "Pacific/Fiji"
    page = text(client.get(cocoa.get_absolute_url()))
    assert "01:00–02:00 In your time zone, Pacific/Fiji (UTC+12:00)" in page
    weekday = paris(NEXT_YEAR, 1, 12).strftime("%a")
    assert f"UTC UTC+00:00 {weekday} 12 Jan {NEXT_YEAR} previous day 13:00–14:00" in page


def test_a_browsers_old_zone_name_is_not_a_second_row(client, cocoa):
    # Chromium reports Nepal as Asia/Katmandu, a link to Asia/Kathmandu in the IANA database.
    client.cookies["deepdive_tz"] = "Asia/Katmandu"
    page = text(client.get(cocoa.get_absolute_url()))
    table = page.split("The time around the world", 1)[1].split("Times are shown", 1)[0]
    assert "Asia/Kathmandu UTC+05:45 your time zone" in table
    assert "Katmandu" not in table


def test_without_an_audience_the_convert_table_uses_the_countries(client, fishing):
    page = text(client.get(fishing.get_absolute_url()))
    table = page.split("The time around the world", 1)[1]
    assert "Asia/Kathmandu" in table and "UTC" in table and "Europe/Paris" in table
    assert "Africa/Accra" not in table


def test_the_webinar_page_shows_hosts_speakers_and_topics(client, cocoa):
    page = text(client.get(cocoa.get_absolute_url()))
    assert "Hosts Cocoa Workers' Union, Ghana Research Lab" in page
    assert "Ama Mensah, Researcher" in page
    assert "Themes Child labour" in page
    assert "Outcome 1. Outcome title 1" in page and "Outcome 4. Outcome title 4" in page
    assert "Sectors Cocoa" in page
    assert "Countries Ghana" in page
    assert "Languages English; interpretation into French" in page
    assert "Open to the public" in page


def test_add_to_calendar_links(client, cocoa):
    html = client.get(cocoa.get_absolute_url()).content.decode()
    assert f'href="{reverse("webinars:ics", args=[cocoa.pk])}"' in html
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in html
    assert f"dates={NEXT_YEAR}0112T130000Z%2F{NEXT_YEAR}0112T140000Z" in html
    assert "https://outlook.office.com/calendar/0/deeplink/compose?" in html


def test_unpublished_webinars_are_404_except_for_the_secretariat(client, call):
    webinar = WebinarFactory(proposal=ProposalFactory(call=call, title="Not yet"))
    webinar.planned_start = paris(NEXT_YEAR, 1, 19, 9, 0)
    webinar.save()
    url = webinar.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(member())
    assert client.get(url).status_code == 404
    client.force_login(ReaderFactory(is_secretariat=True))
    response = client.get(url)
    assert response.status_code == 200
    page = text(response)
    assert "Not published: only the secretariat sees this page" in page
    assert "This is the planned time; it is not published yet." in page
    assert "Add to calendar" not in page
    assert client.get(reverse("webinars:ics", args=[webinar.pk])).status_code == 404


def test_an_unknown_webinar_is_404(client, db):
    assert client.get(reverse("webinars:detail", args=[999])).status_code == 404


# ------------------------------------------------------------------------- the joining link


def test_a_public_webinars_joining_link_is_for_registered_people(client, cocoa):
    link = cocoa.joining_url
    assert link not in client.get(cocoa.get_absolute_url()).content.decode()
    reader = ReaderFactory()
    client.force_login(reader)
    assert link not in client.get(cocoa.get_absolute_url()).content.decode()
    registration = RegistrationFactory(webinar=cocoa, user=reader)
    assert link in client.get(cocoa.get_absolute_url()).content.decode()
    registration.status = "cancelled"
    registration.save()
    assert link not in client.get(cocoa.get_absolute_url()).content.decode()


def test_a_members_only_joining_link_is_for_registered_verified_members(client, cocoa):
    cocoa.members_only = True
    cocoa.save()
    link = cocoa.joining_url
    outsider = ReaderFactory()
    RegistrationFactory(webinar=cocoa, user=outsider)  # e.g. their affiliation was revoked
    client.force_login(outsider)
    assert link not in client.get(cocoa.get_absolute_url()).content.decode()

    insider = member()
    client.force_login(insider)
    assert link not in client.get(cocoa.get_absolute_url()).content.decode()
    RegistrationFactory(webinar=cocoa, user=insider)
    assert link in client.get(cocoa.get_absolute_url()).content.decode()

    client.force_login(ReaderFactory(is_secretariat=True))
    assert link in client.get(cocoa.get_absolute_url()).content.decode()
    client.force_login(cocoa.proposal.created_by)
    assert link in client.get(cocoa.get_absolute_url()).content.decode()


def test_convert_rows_follow_daylight_saving(cocoa):
    # On 29 March 2027 Paris is on summer time (UTC+2): 14:00 there is 12:00 UTC.
    cocoa.starts_at = paris(2027, 3, 29, 14, 0)
    cocoa.published_at = timezone.now()
    rows = {row.zone: row for row in queries.convert_table(cocoa, reader_zone="UTC")}
    assert rows["Europe/Paris"].offset == "UTC+02:00"
    assert rows["UTC"].local_start.hour == 12
    assert rows["Asia/Kathmandu"].local_start.strftime("%H:%M") == "17:45"
