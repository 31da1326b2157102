"""Calendar invitations attached to outbox messages reach the recipient intact, through a real
SMTP conversation (aiosmtpd on 127.0.0.1) and the real database task worker."""

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from deepdive.outbox import operations
from deepdive.outbox.models import OutboxMessage
from deepdive.webinars.interfaces.calendar import invitation_attachment
from deepdive.webinars.models import Webinar
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Non-ASCII text and a line longer than a mail line, folded as RFC 5545 says.
LITERAL = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//Alliance 8.7//Deep Dive test//EN\r\n"
    "METHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:webinar-42@deepdive.test\r\n"
    "DTSTAMP:20270101T120000Z\r\n"
    "SEQUENCE:1\r\n"
    "DTSTART:20270112T130000Z\r\n"
    "DTEND:20270112T140000Z\r\n"
    "SUMMARY:Cacao en Côte d’Ivoire : garder les enfants à l’école — séance de travail\r\n"
    " partagée\r\n"
    "ORGANIZER;CN=Deep Dive:mailto:deepdive@example.org\r\n"
    "ATTENDEE;CN=Aïssata Koné;ROLE=REQ-PARTICIPANT:mailto:aissata@example.org\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def attachments_of(message) -> list:
    return [part for part in message.walk() if part.get_content_disposition() == "attachment"]


def queue(attachment: dict) -> OutboxMessage:
    return operations.queue_email(
        to="aissata@example.org",
        subject="Invitation: cocoa and schooling",
        text="You are invited. The calendar invitation is attached.\n",
        html="<p>You are invited. The calendar invitation is attached.</p>",
        language="en",
        kind="test",
        attachments=[attachment],
    )


def test_a_literal_invitation_arrives_as_text_calendar_with_method_request(smtp, run_worker):
    message = queue(
        {
            "filename": "invite.ics",
            "content_type": "text/calendar; method=REQUEST",
            "content": LITERAL,
        }
    )
    run_worker()

    [received] = smtp.messages
    assert received["To"] == "aissata@example.org"
    [part] = attachments_of(received)
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_charset() == "utf-8"
    assert part.get_filename() == "invite.ics"
    assert part.get_payload(decode=True).decode("utf-8") == LITERAL
    # The body is still there beside it.
    bodies = {p.get_content_type() for p in received.walk() if not p.is_multipart()}
    assert {"text/plain", "text/html", "text/calendar"} <= bodies
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_a_webinar_invitation_arrives_and_parses_back(smtp, run_worker):
    proposal = ProposalFactory(title="Cacao en Côte d’Ivoire : garder les enfants à l’école")
    start = datetime(2027, 1, 12, 13, 0, tzinfo=UTC)
    webinar = Webinar.objects.create(
        proposal=proposal,
        planned_start=start,
        starts_at=start,
        published_at=datetime(2026, 12, 1, tzinfo=UTC),
        sequence=2,
        joining_url="https://meet.example.org/cocoa",
    )
    attachment = invitation_attachment(
        webinar, attendee_email="aissata@example.org", attendee_name="Aïssata Koné"
    )
    queue(attachment)
    run_worker()

    [received] = smtp.messages
    [part] = attachments_of(received)
    assert (part.get_content_type(), part.get_param("method")) == ("text/calendar", "REQUEST")
    assert part.get_filename() == attachment["filename"] == "invite.ics"
    content = part.get_payload(decode=True).decode("utf-8")
    assert content == attachment["content"]

    calendar = Calendar.from_ical(content)
    assert str(calendar["method"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == webinar.uid
    assert int(event["sequence"]) == 2
    assert event.decoded("dtstart") == start
    assert str(event["summary"]) == proposal.title
    assert str(event["attendee"]) == "mailto:aissata@example.org"
    assert "https://meet.example.org/cocoa" in str(event["description"])
