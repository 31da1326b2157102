"""The public webinar page stays cheap: its "time around the world" tables are kept under a
stamp of what they show (never out of date), and its reads do not grow with what it lists."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deepdive.directory.models import Affiliation
from deepdive.webinars.models import Material
from tests.accounts.factories import AffiliationFactory
from tests.webinars.factories import (
    CallFactory,
    ProposalFactory,
    PublishedWebinarFactory,
    ReaderFactory,
    RegistrationFactory,
    RepeatSessionFactory,
    member,
    paris,
    rules_for,
)

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.now().year + 1
# 12 and 13 January next year, as the table abbreviates them.
TWELFTH = paris(NEXT_YEAR, 1, 12).strftime("%a 12 Jan %Y")
THIRTEENTH = paris(NEXT_YEAR, 1, 13).strftime("%a 13 Jan %Y")


@pytest.fixture
def webinar():
    """12 January next year at 14:00 Paris, for audiences in Accra and Fiji."""
    call = CallFactory()
    rules_for(call)
    start = paris(NEXT_YEAR, 1, 12, 14, 0)
    webinar = PublishedWebinarFactory(
        proposal=ProposalFactory(call=call, title="Child labour in West African cocoa"),
        starts_at=start,
        planned_start=start,
    )
    webinar.audience = {"Africa/Accra": 50, "Pacific/Fiji": 10}
    webinar.save()
    return webinar


def convert_rows(response) -> list[str]:
    """The rows of the page's first "time around the world" table, as a reader reads them."""
    html = response.content.decode()
    table = html.split('class="webinar-convert"', 1)[1].split("</table>", 1)[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr\b.*?</tr>", table.split("<tbody>", 1)[1], flags=re.S)
    ]


def test_the_time_table_follows_a_moved_webinar_and_the_readers_language(client, webinar):
    client.cookies["deepdive_tz"] = "America/Mexico_City"
    first = convert_rows(client.get(webinar.get_absolute_url()))
    assert first[0] == f"America/Mexico City UTC-06:00 your time zone {TWELFTH} 07:00–08:00"
    assert convert_rows(client.get(webinar.get_absolute_url())) == first  # the kept copy

    webinar.starts_at += timedelta(hours=1)
    webinar.save()
    moved = convert_rows(client.get(webinar.get_absolute_url()))
    assert moved[0].endswith(f"12 Jan {NEXT_YEAR} 08:00–09:00")
    assert moved[-1] == f"Pacific/Fiji UTC+12:00 {THIRTEENTH} next day 02:00–03:00"

    french = convert_rows(client.get(webinar.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr"))
    assert "votre fuseau horaire" in french[0]
    assert french[-1].endswith("lendemain 02:00–03:00")


def test_the_time_tables_of_both_sessions_are_their_own(client, webinar):
    RepeatSessionFactory(webinar=webinar)  # 10 hours later: 17:00 in Mexico City
    client.cookies["deepdive_tz"] = "America/Mexico_City"
    html = client.get(webinar.get_absolute_url()).content.decode()
    tables = html.split('class="webinar-convert"')[1:]
    assert len(tables) == 2
    assert "07:00–08:00" in tables[0] and "17:00–18:00" in tables[1]


def material(webinar, visibility: str) -> Material:
    return Material.objects.create(
        webinar=webinar,
        title=f"Slides for {visibility}",
        file=f"materials/{visibility}.pdf",
        content_type="application/pdf",
        size=2048,
        visibility=visibility,
    )


def test_the_page_reads_the_same_whatever_it_lists(client, webinar):
    """A fixed number of queries: whoever reads, however many materials there are."""
    reader = member()
    RegistrationFactory(webinar=webinar, user=reader)

    def count(client) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as made:
            response = client.get(webinar.get_absolute_url())
        assert response.status_code == 200
        return len(made), response.content.decode()

    for visibility in ("public", "members", "hosts"):
        material(webinar, visibility)
    anonymous_three, _ = count(client)
    client.force_login(reader)
    member_three, _ = count(client)
    material(webinar, "public")
    material(webinar, "members")
    member_five, page = count(client)
    assert member_five == member_three
    assert page.count("Slides for public") == 2 and page.count("Slides for members") == 2
    assert "Slides for hosts" not in page
    client.logout()
    anonymous_five, page = count(client)
    assert anonymous_five == anonymous_three <= 11
    assert page.count("Slides for public") == 2 and "Slides for members" not in page


def test_a_host_sees_every_material_and_the_workspace_link(client, webinar):
    host = ReaderFactory()
    AffiliationFactory(
        user=host,
        organisation=webinar.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    for visibility in ("public", "members", "hosts"):
        material(webinar, visibility)
    client.force_login(host)
    page = client.get(webinar.get_absolute_url()).content.decode()
    assert all(f"Slides for {v}" in page for v in ("public", "members", "hosts"))
    assert "Open the hosts' workspace" in page
    # ... and the joining link, as the hosts always do.
    assert webinar.joining_url in page


def test_the_calendar_file_reads_only_the_webinar(client, webinar, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the webinar, its proposal and its repeat at once
        response = client.get(reverse("webinars:ics", kwargs={"pk": webinar.pk}))
    assert response.status_code == 200
    assert b"SUMMARY:Child labour in West African cocoa" in response.content
