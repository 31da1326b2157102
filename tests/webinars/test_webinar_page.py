"""The public webinar page stays cheap: its "time around the world" tables are kept under a
stamp of what they show (never out of date), its reads do not grow with what it lists, and the
whole page is kept briefly for anonymous readers, never once anything it shows has changed."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deepdive.directory.models import Affiliation
from deepdive.webinars import cancellation, queries, recordings
from deepdive.webinars import registration as registrations
from deepdive.webinars.models import Material, Registration, Speaker, Webinar
from tests.accounts.factories import AffiliationFactory, SecretariatFactory
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
    # Besides the page's reads, the two of the stamp under which it is kept (a new material:
    # a new stamp, so the page is read afresh).
    assert anonymous_five == anonymous_three <= 13
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


# ------------------------------------------------------------------------- the kept page


def test_the_kept_page_shows_a_new_material_at_once(client, webinar):
    assert "Slides for public" not in client.get(webinar.get_absolute_url()).content.decode()
    material(webinar, "public")
    assert "Slides for public" in client.get(webinar.get_absolute_url()).content.decode()


def test_the_kept_page_costs_at_most_three_queries(client, webinar, django_assert_max_num_queries):
    first = client.get(webinar.get_absolute_url())
    with django_assert_max_num_queries(3):
        again = client.get(webinar.get_absolute_url())
    assert again.status_code == 200
    assert again.content == first.content
    assert "no-cache" in again["Cache-Control"]  # browsers and proxies still ask each time


def test_the_kept_page_says_at_once_that_the_webinar_is_cancelled(client, webinar):
    assert (
        "This webinar is cancelled." not in client.get(webinar.get_absolute_url()).content.decode()
    )
    cancellation.cancel_webinar(
        actor=SecretariatFactory(), webinar=webinar, reason="The speakers cannot travel."
    )
    page = client.get(webinar.get_absolute_url()).content.decode()
    assert "This webinar is cancelled." in page and "The speakers cannot travel." in page


def test_filling_the_last_seat_gives_the_page_a_new_stamp(webinar):
    """The page shows an anonymous reader nothing of its seats yet; its stamp follows them
    anyway, so a page that shows them one day is never out of date."""
    webinar.capacity = 1
    webinar.save()
    now = timezone.now()
    before = queries.webinar_page_freshness(webinar.pk, now=now, cap=30)
    registrations.register(actor=member(), webinar=webinar)
    assert Registration.objects.get().status == Registration.Status.REGISTERED
    after = queries.webinar_page_freshness(webinar.pk, now=now, cap=30)
    assert before is not None and after is not None and before.stamp != after.stamp


def test_the_page_is_never_kept_across_a_start_or_an_end(webinar):
    now = timezone.now()
    assert queries.webinar_page_freshness(webinar.pk, now=now, cap=30).seconds == 30
    webinar.starts_at = now + timedelta(seconds=12)
    webinar.save()
    assert queries.webinar_page_freshness(webinar.pk, now=now, cap=30).seconds == 12
    webinar.starts_at = now - timedelta(minutes=webinar.minutes, seconds=-7)  # ends in 7 s
    webinar.save()
    assert queries.webinar_page_freshness(webinar.pk, now=now, cap=30).seconds == 7
    RepeatSessionFactory(webinar=webinar, starts_at=now + timedelta(seconds=5))
    assert queries.webinar_page_freshness(webinar.pk, now=now, cap=30).seconds == 5
    webinar.published_at = None
    webinar.save()
    assert queries.webinar_page_freshness(webinar.pk, now=now, cap=30) is None


def test_a_signed_in_reader_never_gets_the_kept_page(client, webinar):
    anonymous = client.get(webinar.get_absolute_url()).content.decode()
    assert "Log in to register" in anonymous
    client.force_login(member())
    page = client.get(webinar.get_absolute_url()).content.decode()
    assert "Log in to register" not in page
    assert 'action="/webinars/' in page  # the registration form


@pytest.fixture
def held():
    start = timezone.now() - timedelta(days=3)
    webinar = PublishedWebinarFactory(
        proposal=ProposalFactory(title="Cocoa and child labour"),
        starts_at=start,
        planned_start=start,
        state=Webinar.State.HELD,
    )
    Speaker.objects.create(webinar=webinar, name="Aïssata Koné", consents_to_recording=True)
    return webinar


def test_a_published_recording_shows_at_once_with_the_same_policy_when_kept(client, held):
    policy = client.get(held.get_absolute_url()).get("Content-Security-Policy", "")
    assert "youtube" not in policy
    secretariat = SecretariatFactory()
    recording = recordings.add_recording(
        actor=secretariat, webinar=held, url="https://youtu.be/dQw4w9WgXcQ", language="en"
    )
    assert "Play the recording" not in client.get(held.get_absolute_url()).content.decode()
    recordings.publish(actor=secretariat, recording=recording)
    fresh = client.get(held.get_absolute_url())
    kept = client.get(held.get_absolute_url())
    assert "Play the recording (loads from YouTube)" in kept.content.decode()
    assert kept.content == fresh.content
    assert "frame-src 'self' https://www.youtube-nocookie.com" in kept["Content-Security-Policy"]
    assert kept["Content-Security-Policy"] == fresh["Content-Security-Policy"]
