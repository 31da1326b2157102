"""Consent (issue 14): non-transactional e-mail carries List-Unsubscribe (RFC 8058), one POST
unsubscribes, the preferences page, and no invitation or newsletter ever reaches an address
that unsubscribed or bounced: refused when queued, checked again before the SMTP server
(aiosmtpd on 127.0.0.1, the real database task worker)."""

import re
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core import signing
from django.urls import reverse

from deepdive.core.models import AuditEntry
from deepdive.outbox import consent, operations
from deepdive.outbox.models import OutboxMessage, Suppression

from .conftest import Collector, free_port, point_delivery_at

pytestmark = pytest.mark.django_db(transaction=True)

TEMPLATES_DIR = Path(__file__).parent / "templates"


def queue(to: str = "member@example.org", category: str = "invitation", **kwargs):
    return operations.queue_email(
        to=to,
        subject="Invitation: deep dive on supply chains",
        text="Join us.\n",
        language="en",
        kind="test",
        category=category,
        **kwargs,
    )


def token(address: str = "member@example.org", category: str = "invitation") -> str:
    return consent.make_token(address, category)


# Headers -----------------------------------------------------------------------------------------


def test_an_invitation_carries_one_click_unsubscribe_and_a_transactional_message_does_not(
    smtp, run_worker
):
    invitation = queue()
    queue(to="registrant@example.org", category="")

    run_worker()

    received = {m["To"]: m for m in smtp.messages}
    invited = received["member@example.org"]
    assert invited["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = "".join(invited["List-Unsubscribe"].split())  # unfolded: the header is long
    assert link.startswith("<http") and link.endswith(">")
    prefix = reverse("outbox:unsubscribe", args=["TOKEN"]).replace("TOKEN/", "")
    assert prefix in link
    signed = link[1:-1].rstrip("/").rpartition("/")[2]
    assert consent.read_token(signed) == ("member@example.org", "invitation", "")
    assert "List-Unsubscribe" not in received["registrant@example.org"]
    assert "List-Unsubscribe-Post" not in received["registrant@example.org"]
    invitation.refresh_from_db()
    assert (invitation.category, invitation.status) == ("invitation", "sent")


def test_an_unknown_category_is_a_mistake():
    with pytest.raises(ValueError):
        queue(category="promotion")
    assert not OutboxMessage.objects.exists()


def test_the_templates_get_the_links_for_their_footer(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [TEMPLATES_DIR]}]
    newsletter = operations.queue_templated_email(
        to="Member@Example.org",
        template_prefix="outbox_test/campaign",
        context={},
        language="en",
        kind="test",
        category="newsletter",
    )
    receipt = operations.queue_templated_email(
        to="member@example.org",
        template_prefix="outbox_test/campaign",
        context={},
        language="en",
        kind="test",
    )

    preferences = consent.preferences_url("member@example.org", "newsletter")
    unsubscribe = consent.unsubscribe_url("member@example.org", "newsletter")
    assert preferences in newsletter.body_text and unsubscribe in newsletter.body_text
    assert f'href="{preferences}"' in newsletter.body_html
    assert newsletter.headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert "Unsubscribe" not in receipt.body_text and "Unsubscribe" not in receipt.body_html
    assert receipt.headers == {}


# Unsubscribing ---------------------------------------------------------------------------------


def test_one_post_unsubscribes_without_a_csrf_token_and_twice_is_harmless(client, smtp, run_worker):
    from django.test import Client

    mail_client = Client(enforce_csrf_checks=True)
    url = reverse("outbox:unsubscribe", args=[token("Member@Example.org")])
    for _ in range(2):
        response = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        assert "will receive no more invitations" in response.content.decode()

    [row] = Suppression.objects.all()
    assert (row.address, row.scope, row.reason) == (
        "member@example.org",
        "invitation",
        "unsubscribed",
    )
    assert AuditEntry.objects.filter(action="outbox.unsubscribe").count() == 1
    assert consent.is_suppressed("MEMBER@example.org", "invitation")
    assert not consent.is_suppressed("member@example.org", "newsletter")
    assert not consent.is_suppressed("member@example.org", "")


def test_get_only_shows_the_button(client):
    url = reverse("outbox:unsubscribe", args=[token()])

    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert '<form method="post"' in page and "Unsubscribe from invitations" in page
    assert not Suppression.objects.exists()


def test_a_forged_or_foreign_token_is_not_found(client):
    forged = token()[:-2] + "xx"
    other_salt = signing.dumps(["member@example.org", "invitation"])
    transactional = signing.dumps(["member@example.org", ""], salt=consent.TOKEN_SALT)
    for bad in (forged, other_salt, transactional):
        assert client.post(reverse("outbox:unsubscribe", args=[bad])).status_code == 404
        assert client.get(reverse("outbox:preferences", args=[bad])).status_code == 404
    assert not Suppression.objects.exists()


# Never sent --------------------------------------------------------------------------------------


def test_an_unsubscribed_address_is_refused_at_queue_time_but_still_gets_its_receipts(
    smtp, run_worker
):
    consent.unsubscribe(address="member@example.org", scope="invitation")

    refused = queue(to="MEMBER@example.org")
    newsletter = queue(category="newsletter")
    receipt = queue(category="")
    run_worker()

    refused.refresh_from_db()
    assert refused.status == OutboxMessage.Status.SUPPRESSED
    assert refused.last_error == "Not sent: the address unsubscribed (invitation)"
    assert (
        sorted(m["Subject"] for m in smtp.messages)
        == ["Invitation: deep dive on supply chains"] * 2
    )
    newsletter.refresh_from_db()
    receipt.refresh_from_db()
    assert (newsletter.status, receipt.status) == ("sent", "sent")
    assert refused.pk not in [int(m["X-Deepdive-Message"]) for m in smtp.messages]


def test_unsubscribing_between_queueing_and_sending_stops_the_message(client, smtp, run_worker):
    held = queue(hold=True, batch="Invitations — March")
    queued = queue(to="other@example.org")
    client.post(reverse("outbox:unsubscribe", args=[token("other@example.org")]))
    consent.set_preferences(
        address="member@example.org", invitation=True, newsletter=True, all_mail=False
    )
    operations.approve(actor=_secretariat(), messages=[held])

    run_worker()

    assert smtp.envelopes == []
    for message in (held, queued):
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.SUPPRESSED
        assert message.last_error.startswith("Not sent: the address unsubscribed")


def _secretariat():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        email="sec@example.org", password="x-pass-12345", is_secretariat=True
    )


# Bounces -----------------------------------------------------------------------------------------


class RefusingRecipients(Collector):
    """Answers 550 to RCPT TO for addresses at nowhere.example."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@nowhere.example"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing_smtp(settings, db_tasks):
    handler = RefusingRecipients()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    point_delivery_at(settings, controller.port)
    try:
        yield handler
    finally:
        controller.stop()


def test_a_550_on_rcpt_marks_the_address_bounced_and_nothing_goes_to_it_again(
    refusing_smtp, run_worker
):
    first = queue(to="gone@nowhere.example")
    run_worker()

    first.refresh_from_db()
    assert first.status == OutboxMessage.Status.SUPPRESSED
    assert "550" in first.last_error and "bounced" in first.last_error
    [row] = Suppression.objects.all()
    assert (row.address, row.scope, row.reason) == ("gone@nowhere.example", "all", "bounced")
    assert AuditEntry.objects.filter(action="outbox.bounce").count() == 1

    second = queue(to="gone@nowhere.example", category="newsletter")
    assert second.status == OutboxMessage.Status.SUPPRESSED
    assert refusing_smtp.envelopes == []


def test_a_550_on_data_marks_the_address_bounced_but_a_transactional_message_is_retried(
    smtp, run_worker
):
    smtp.refuse = True
    receipt = queue(category="")
    run_worker()

    receipt.refresh_from_db()
    assert receipt.status == OutboxMessage.Status.QUEUED  # retried later, as any failure
    assert consent.is_suppressed("member@example.org", "newsletter")
    assert Suppression.objects.get().reason == "bounced"


def test_a_temporary_refusal_is_not_a_bounce():
    import smtplib

    from deepdive.outbox.attempts import permanent_refusal

    assert permanent_refusal(smtplib.SMTPRecipientsRefused({"a@x": (450, b"busy")})) == ""
    assert permanent_refusal(smtplib.SMTPDataError(451, b"try later")) == ""
    assert permanent_refusal(smtplib.SMTPAuthenticationError(535, b"bad login")) == ""
    assert permanent_refusal(smtplib.SMTPDataError(554, b"rejected")) == "554 rejected"


def ticked(page: str) -> set[str]:
    """The names of the ticked boxes of a page."""
    boxes = re.findall(r"<input [^>]*>", page)
    return {re.search(r'name="([^"]+)"', b)[1] for b in boxes if re.search(r"\bchecked\b", b)}


# Preferences -------------------------------------------------------------------------------------


def test_the_preferences_page_saves_what_the_recipient_wants(client):
    url = reverse("outbox:preferences", args=[token(category="newsletter")])
    page = client.get(url).content.decode()
    assert "member@example.org" in page
    for label in ("Invitations to webinars", "Newsletters", "Nothing but what I register for"):
        assert label in page
    assert ticked(page) == {"invitation", "newsletter"}  # everything, until they say otherwise

    response = client.post(url, {"invitation": "on"}, follow=True)

    assert "Your choices are saved." in response.content.decode()
    assert consent.is_suppressed("member@example.org", "newsletter")
    assert not consent.is_suppressed("member@example.org", "invitation")
    assert consent.preferences("member@example.org") == {
        "invitation": True,
        "newsletter": False,
        "all": True,
    }

    client.post(url, {"invitation": "on", "newsletter": "on"})
    assert not Suppression.objects.exists()
    assert AuditEntry.objects.filter(action="outbox.preferences").count() == 2

    client.post(url, {"invitation": "on", "newsletter": "on", "nothing_else": "on"})
    assert consent.is_suppressed("member@example.org", "invitation")
    assert not consent.is_suppressed("member@example.org", "")
    assert ticked(client.get(url).content.decode()) == {"invitation", "newsletter", "nothing_else"}


def test_preferences_do_not_lift_a_bounce(client):
    consent.mark_bounced(address="member@example.org", error="550 No such user")
    url = reverse("outbox:preferences", args=[token()])

    client.post(url, {"invitation": "on", "newsletter": "on"})

    assert consent.is_suppressed("member@example.org", "invitation")
    assert "refused by its mail server" in client.get(url).content.decode()
