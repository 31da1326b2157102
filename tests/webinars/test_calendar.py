"""Calendar files, read back with vobject (a parser independent of the icalendar library that
writes them): the file of one webinar, the series feed, and the invitation; RFC 5545 line
folding and CRLF; UTC times on both sides of a daylight-saving change."""

from datetime import UTC, datetime, timedelta

import pytest
import vobject
from django.urls import reverse
from django.utils import timezone

from deepdive.webinars.interfaces import calendar
from tests.webinars.factories import (
    ProposalFactory,
    PublishedWebinarFactory,
    ReaderFactory,
    RegistrationFactory,
    WebinarFactory,
    member,
    paris,
)

pytestmark = pytest.mark.django_db

LONG_FRENCH = (
    "Un webinaire sur le travail des enfants dans les chaînes d'approvisionnement du cacao : "
    "traçabilité, remédiation, rôle des coopératives et des partenaires sociaux — "
    "expériences de Côte d'Ivoire, du Ghana et d'ailleurs. " * 3
)


def parse(content: bytes):
    """The calendar as vobject reads it (it raises on what it cannot parse)."""
    return vobject.readOne(content.decode("utf-8"))


def events(cal) -> list:
    return list(getattr(cal, "vevent_list", []))


def check_lines(content: bytes) -> None:
    """Every line ends in CRLF and is at most 75 octets (RFC 5545 §3.1)."""
    assert content.endswith(b"\r\n")
    lines = content.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    # Folded lines start with a space and never split a UTF-8 character.
    assert any(line.startswith(b" ") for line in lines)
    for line in lines:
        line.decode("utf-8")


@pytest.fixture
def webinar():
    return PublishedWebinarFactory(
        proposal=ProposalFactory(
            title="Child labour in cocoa: what works", description=LONG_FRENCH
        ),
        starts_at=paris(2027, 1, 12, 14, 0),
        sequence=2,
        members_only=False,
    )


@pytest.fixture
def members_only(webinar):
    return PublishedWebinarFactory(
        proposal=ProposalFactory(call=webinar.call, title="For members: forced labour at sea"),
        starts_at=paris(2027, 2, 2, 9, 30),
        members_only=True,
    )


def test_one_webinars_file(client, webinar):
    response = client.get(reverse("webinars:ics", args=[webinar.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="child-labour-in-cocoa-what-works.ics"'
    )
    content = response.content
    check_lines(content)
    cal = parse(content)
    assert cal.version.value == "2.0"
    assert cal.prodid.value
    assert cal.method.value == "PUBLISH"
    [event] = events(cal)
    assert event.uid.value == f"webinar-{webinar.pk}@deepdive.alliance87.org"
    assert event.sequence.value == "2"
    assert event.dtstart.value == datetime(2027, 1, 12, 13, 0, tzinfo=UTC)
    assert event.dtend.value == datetime(2027, 1, 12, 14, 0, tzinfo=UTC)
    assert event.dtstamp.value.tzinfo is not None
    assert abs(event.dtstamp.value - timezone.now()) < timedelta(minutes=1)
    assert event.summary.value == "Child labour in cocoa: what works"
    assert event.url.value == f"http://testserver/webinars/{webinar.pk}/"
    assert event.description.value.startswith(LONG_FRENCH.strip())
    assert f"http://testserver/webinars/{webinar.pk}/" in event.description.value
    # A public webinar's joining link is in its file.
    assert webinar.joining_url in event.description.value
    assert event.location.value == webinar.joining_url
    # Raw text: UTC times, no floating times and no VTIMEZONE needed.
    assert b"DTSTART:20270112T130000Z\r\n" in content
    assert b"VTIMEZONE" not in content


def test_the_uid_is_stable_and_sequence_follows_the_webinar(client, webinar):
    url = reverse("webinars:ics", args=[webinar.pk])
    before = events(parse(client.get(url).content))[0]
    webinar.starts_at = paris(2027, 1, 19, 10, 0)
    webinar.sequence = 3
    webinar.save()
    after = events(parse(client.get(url).content))[0]
    assert after.uid.value == before.uid.value
    assert (before.sequence.value, after.sequence.value) == ("2", "3")
    assert after.dtstart.value == datetime(2027, 1, 19, 9, 0, tzinfo=UTC)


def test_the_series_feed(client, webinar, members_only):
    WebinarFactory(proposal=ProposalFactory(call=webinar.call, title="Not published yet"))
    PublishedWebinarFactory(proposal=ProposalFactory(title="Another series"))
    response = client.get(reverse("webinars:feed", args=[webinar.call.series.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    content = response.content
    check_lines(content)
    cal = parse(content)
    assert cal.x_wr_calname.value == webinar.call.series.title
    found = {event.summary.value: event for event in events(cal)}
    assert set(found) == {"Child labour in cocoa: what works", "For members: forced labour at sea"}
    for item, event in ((webinar, found[webinar.title]), (members_only, found[members_only.title])):
        assert event.uid.value == item.uid
        assert event.sequence.value == str(item.sequence)
        assert event.dtstart.value == item.starts_at.astimezone(UTC)
        assert event.url.value == f"http://testserver/webinars/{item.pk}/"
        assert event.dtstamp.value.tzinfo is not None
    # Members-only joining details never reach the feed; a public webinar's do.
    assert members_only.joining_url.encode() not in content
    assert not hasattr(found[members_only.title], "location")
    assert "register on the webinar's page" in found[members_only.title].description.value
    assert webinar.joining_url in found[webinar.title].description.value


def test_the_feed_is_the_same_for_a_registered_member(client, members_only):
    reader = member()
    RegistrationFactory(webinar=members_only, user=reader)
    client.force_login(reader)
    content = client.get(reverse("webinars:feed", args=[members_only.call.series.slug])).content
    assert members_only.joining_url.encode() not in content
    # Their own file of the webinar has it.
    own = client.get(reverse("webinars:ics", args=[members_only.pk])).content
    assert events(parse(own))[0].location.value == members_only.joining_url


def test_a_members_only_file_has_no_joining_link_for_others(client, members_only):
    content = client.get(reverse("webinars:ics", args=[members_only.pk])).content
    assert members_only.joining_url.encode() not in content
    client.force_login(ReaderFactory())
    content = client.get(reverse("webinars:ics", args=[members_only.pk])).content
    assert members_only.joining_url.encode() not in content


def test_daylight_saving_in_utc(client, webinar):
    """Europe/Paris moves to summer time on Sunday 28 March 2027: 14:00 there is 13:00Z on
    Monday 22 March and 12:00Z on Monday 29 March."""
    before = PublishedWebinarFactory(
        proposal=ProposalFactory(call=webinar.call, title="Before the change"),
        starts_at=paris(2027, 3, 22, 14, 0),
    )
    after = PublishedWebinarFactory(
        proposal=ProposalFactory(call=webinar.call, title="After the change"),
        starts_at=paris(2027, 3, 29, 14, 0),
        minutes=45,
    )
    cal = parse(client.get(reverse("webinars:feed", args=[webinar.call.series.slug])).content)
    found = {event.summary.value: event for event in events(cal)}
    assert found[before.title].dtstart.value == datetime(2027, 3, 22, 13, 0, tzinfo=UTC)
    assert found[after.title].dtstart.value == datetime(2027, 3, 29, 12, 0, tzinfo=UTC)
    assert found[after.title].dtend.value == datetime(2027, 3, 29, 12, 45, tzinfo=UTC)
    for item in (before, after):
        one = client.get(reverse("webinars:ics", args=[item.pk])).content
        assert events(parse(one))[0].dtstart.value == found[item.title].dtstart.value


def test_the_invitation_is_an_itip_request(webinar):
    reader = ReaderFactory(name="Aïcha Koné", email="aicha@example.org")
    attachment = calendar.invitation_attachment(
        webinar, attendee_email=reader.email, attendee_name=reader.name
    )
    assert attachment["content_type"] == "text/calendar; method=REQUEST"
    assert attachment["filename"].endswith(".ics")
    content = attachment["content"].encode("utf-8")
    check_lines(content)
    cal = parse(content)
    assert cal.method.value == "REQUEST"
    [event] = events(cal)
    assert event.uid.value == webinar.uid
    assert event.sequence.value == "2"
    assert event.organizer.value.startswith("mailto:")
    assert event.attendee.value == "mailto:aicha@example.org"
    assert event.attendee.params["CN"] == ["Aïcha Koné"]
    assert event.attendee.params["PARTSTAT"] == ["NEEDS-ACTION"]


def test_calendar_links_are_in_utc(webinar):
    google = calendar.google_link(webinar)
    assert "dates=20270112T130000Z%2F20270112T140000Z" in google
    outlook = calendar.outlook_link(webinar)
    assert "startdt=2027-01-12T13%3A00%3A00Z" in outlook
    assert "enddt=2027-01-12T14%3A00%3A00Z" in outlook


def test_an_unknown_series_has_no_feed(client, db):
    assert client.get(reverse("webinars:feed", args=["nope"])).status_code == 404


def test_a_feed_before_the_first_publication_is_still_a_valid_calendar(client):
    unpublished = WebinarFactory(proposal=ProposalFactory(title="Not published yet"))
    response = client.get(reverse("webinars:feed", args=[unpublished.call.series.slug]))
    cal = parse(response.content)
    assert events(cal) == []
    # RFC 5545: a calendar holds at least one component; the series' zone stands in
    assert cal.vtimezone.tzid.value == "Europe/Paris"
    assert b"Not published yet" not in response.content
