"""Calendar files (RFC 5545) for webinars, written with the ``icalendar`` library.

Times are written in UTC (``DTSTART:20270112T130000Z``), which every calendar reads without a
VTIMEZONE and shows in its reader's zone. The UID is the webinar's for its whole life and
SEQUENCE is the webinar's ``sequence``, raised on every published change, so an imported or
subscribed event is replaced, never duplicated. A published repeat session is its own event
(its UID, start and SEQUENCE: ``session=``), with the webinar's title and text.
Members-only webinars never carry their joining link unless ``joining`` is asked for (an
invitation to a registrant or a host).
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from deepdive.webinars.models import RepeatSession, Webinar
from deepdive.webinars.sessions import published_repeat

# The occurrence an event is about: the webinar (its first session) or its repeat.
Session = Webinar | RepeatSession

PRODID = "-//Alliance 8.7//Deep Dive//EN"


def absolute_url(webinar: Webinar) -> str:
    return settings.SITE_URL.rstrip("/") + webinar.get_absolute_url()


def shows_joining(webinar: Webinar, *, joining: bool) -> bool:
    """Whether the joining link goes into a file: public webinars always, members-only ones
    only in an invitation to someone entitled to it."""
    return bool(webinar.joining_url) and (joining or not webinar.members_only)


def description(webinar: Webinar, *, joining: bool = False) -> str:
    """The event's text: the webinar's description, its page and, when the file may carry it,
    the joining link; a members-only webinar without it says how to get it."""
    parts = [webinar.proposal.description.strip(), absolute_url(webinar)]
    if shows_joining(webinar, joining=joining):
        parts.append(webinar.joining_url)
    elif webinar.members_only:
        parts.append(
            gettext(
                "For Alliance 8.7 members: register on the webinar's page to receive the "
                "joining link."
            )
        )
    return "\n\n".join(part for part in parts if part)


def event(
    webinar: Webinar,
    *,
    joining: bool = False,
    stamp: datetime | None = None,
    sequence: int | None = None,
    session: Session | None = None,
) -> Event:
    """The VEVENT of a published webinar's ``session`` (the webinar itself unless given;
    ``sequence``: the session's unless given)."""
    session = session or webinar
    start = _start_of(session)
    item = Event()
    item.add("uid", session.uid)
    item.add("dtstamp", (stamp or timezone.now()).astimezone(UTC))
    item.add("sequence", session.sequence if sequence is None else sequence)
    item.add("dtstart", start)
    item.add("dtend", start + timedelta(minutes=webinar.minutes))
    item.add("summary", webinar.title)
    item.add("description", description(webinar, joining=joining))
    item.add("url", absolute_url(webinar))
    item.add("status", "CONFIRMED")
    if shows_joining(webinar, joining=joining):
        item.add("location", webinar.joining_url)
    if webinar.published_at:
        item.add("last-modified", webinar.updated_at.astimezone(UTC))
    return item


def _calendar(name: str, *, method: str = "PUBLISH") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    return cal


def webinar_file(
    webinar: Webinar, *, joining: bool = False, session: Session | None = None
) -> bytes:
    """The ``.ics`` file of one webinar's session (the first unless given), for download."""
    cal = _calendar(webinar.title)
    cal.add_component(event(webinar, joining=joining, session=session))
    return cal.to_ical()


def feed(name: str, webinars: Iterable[Webinar], *, empty_zone: str = "Europe/Paris") -> bytes:
    """A subscribable feed of published webinars (a published repeat session as its own
    event), never with members-only joining links."""
    cal = _calendar(name)
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    stamp = timezone.now()
    for webinar in webinars:
        if webinar.starts_at is not None:
            cal.add_component(event(webinar, stamp=stamp))
            repeat = published_repeat(webinar)
            if repeat is not None:
                cal.add_component(event(webinar, stamp=stamp, session=repeat))
    if not cal.subcomponents:
        # RFC 5545 wants at least one component: before the first webinar is published, the
        # series' zone stands in (harmless: no event refers to it)
        today = stamp.date()
        cal.add_component(
            Timezone.from_tzid(
                empty_zone, first_date=today, last_date=today.replace(year=today.year + 1)
            )
        )
    return cal.to_ical()


def _people(item: Event, *, attendee_email: str, attendee_name: str, partstat: str) -> None:
    """The ORGANIZER (the platform's sender) and one ATTENDEE line for the person."""
    organiser_name, organiser_email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organiser = vCalAddress(f"mailto:{organiser_email}")
    organiser.params["cn"] = vText(organiser_name or organiser_email)
    item.add("organizer", organiser)
    attendee = vCalAddress(f"mailto:{attendee_email}")
    if attendee_name:
        attendee.params["cn"] = vText(attendee_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    if partstat:
        attendee.params["partstat"] = vText(partstat)
    if partstat == "NEEDS-ACTION":
        attendee.params["rsvp"] = vText("TRUE")
    item.add("attendee", attendee)


def invitation(
    webinar: Webinar,
    *,
    attendee_email: str,
    attendee_name: str = "",
    sequence: int | None = None,
    zone: str = "",
    session: Session | None = None,
) -> bytes:
    """An iTIP REQUEST for one person (RFC 5546): sent on publication and on every change, it
    updates the event already in their calendar because UID stays and SEQUENCE rises. Times
    are in UTC; ``zone`` (the event's reference zone) is noted in X-WR-TIMEZONE."""
    cal = _calendar(webinar.title, method="REQUEST")
    if zone:
        cal.add("x-wr-timezone", zone)
    item = event(webinar, joining=True, sequence=sequence, session=session)
    _people(
        item, attendee_email=attendee_email, attendee_name=attendee_name, partstat="NEEDS-ACTION"
    )
    cal.add_component(item)
    return cal.to_ical()


def cancellation(
    webinar: Webinar,
    *,
    attendee_email: str,
    attendee_name: str = "",
    sequence: int,
    session: Session | None = None,
) -> bytes:
    """An iTIP CANCEL for one person (RFC 5546): same UID, a SEQUENCE above the last one sent
    to them, STATUS:CANCELLED; their calendar removes the event."""
    cal = _calendar(webinar.title, method="CANCEL")
    item = event(webinar, sequence=sequence, session=session)
    item["status"] = vText("CANCELLED")
    _people(item, attendee_email=attendee_email, attendee_name=attendee_name, partstat="")
    cal.add_component(item)
    return cal.to_ical()


def invitation_attachment(
    webinar: Webinar,
    *,
    attendee_email: str,
    attendee_name: str = "",
    sequence: int | None = None,
    zone: str = "",
    session: Session | None = None,
) -> dict[str, str]:
    """The invitation as an outbox attachment (``outbox.operations.queue_email``)."""
    content = invitation(
        webinar,
        attendee_email=attendee_email,
        attendee_name=attendee_name,
        sequence=sequence,
        zone=zone,
        session=session,
    )
    return {
        "filename": "invite.ics",
        "content_type": "text/calendar; method=REQUEST",
        "content": content.decode("utf-8"),
    }


def cancellation_attachment(
    webinar: Webinar,
    *,
    attendee_email: str,
    attendee_name: str = "",
    sequence: int,
    session: Session | None = None,
) -> dict[str, str]:
    """The cancellation as an outbox attachment, its MIME method matching (CANCEL)."""
    content = cancellation(
        webinar,
        attendee_email=attendee_email,
        attendee_name=attendee_name,
        sequence=sequence,
        session=session,
    )
    return {
        "filename": "cancel.ics",
        "content_type": "text/calendar; method=CANCEL",
        "content": content.decode("utf-8"),
    }


def _start_of(session: Session) -> datetime:
    """The published start in UTC; a session without one has no calendar event."""
    if session.starts_at is None:
        raise ValueError(f"{session!r} has no published start")
    return session.starts_at.astimezone(UTC)


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_link(webinar: Webinar, *, session: Session | None = None) -> str:
    """ "Add to Google Calendar": Google's documented event template address, for the
    webinar's ``session`` (its first unless given)."""
    start = _start_of(session or webinar)
    query = {
        "action": "TEMPLATE",
        "text": webinar.title,
        "dates": f"{_utc_stamp(start)}/{_utc_stamp(start + timedelta(minutes=webinar.minutes))}",
        "details": description(webinar),
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_link(webinar: Webinar, *, session: Session | None = None) -> str:
    """ "Add to Outlook": Outlook on the web's compose deep link, for the webinar's
    ``session`` (its first unless given)."""
    start = _start_of(session or webinar)
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": webinar.title,
        "startdt": start.isoformat().replace("+00:00", "Z"),
        "enddt": (start + timedelta(minutes=webinar.minutes)).isoformat().replace("+00:00", "Z"),
        "body": description(webinar),
    }
    return "https://outlook.office.com/calendar/0/deeplink/compose?" + urlencode(query)
