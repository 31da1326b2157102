"""Registering in Chromium without an account: a person registers for a public webinar with
their name and e-mail, confirms by the link in the e-mail and sees their registration with the
joining link; a full webinar's waiting list promotes the first in line when someone cancels.
The pages pass axe and stay readable on a phone (375 px)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from deepdive.outbox.models import OutboxMessage
from deepdive.webinars import registration as registrations
from deepdive.webinars.models import Registration
from tests.webinars.factories import ProposalFactory, PublishedWebinarFactory, ReaderFactory

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def link_in_email(address: str, kind: str, part: str) -> str:
    """The path of the link containing ``part`` in the last ``kind`` e-mail to ``address``."""
    message = OutboxMessage.objects.filter(to_email=address, kind=kind).order_by("-pk").first()
    assert message is not None, f"no {kind} e-mail to {address}"
    [url] = [u for u in re.findall(r"https?://\S+", message.body_text) if part in u]
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def check_axe(page) -> None:
    axe = Axe().run(page, options=WCAG)
    assert not axe.violations_count, axe.generate_report()


@pytest.fixture
def webinar(reference_data):
    return PublishedWebinarFactory(
        proposal=ProposalFactory(title="Decent work in fisheries"), members_only=False
    )


def test_a_public_registrant_confirms_by_the_emailed_link(page, webinar, screenshot):
    page.goto(webinar.get_absolute_url())
    page.get_by_role(
        "link", name="Register with your name and e-mail address, without an account"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register for this webinar")
    check_axe(page)

    page.get_by_label("Your name").fill("Ana Pérez")
    page.get_by_label("Your e-mail address").fill("not an address")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Ana Pérez")

    page.get_by_label("Your e-mail address").fill("ana@example.net")
    page.get_by_label("prefer not to say").check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Almost done: we sent a link to ana@example.net.")).to_be_visible()

    page.goto(link_in_email("ana@example.net", "confirm_address", "/registrations/confirm/"))
    page.get_by_role("button", name="Confirm my registration").click()
    expect(page.get_by_text("Your registration is confirmed.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your registration")
    expect(page.get_by_role("link", name=webinar.joining_url)).to_be_visible()
    assert Registration.objects.get(email="ana@example.net").sex == "not_said"
    assert OutboxMessage.objects.filter(to_email="ana@example.net", kind="registered").count() == 1

    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    check_axe(page)
    screenshot("registration-mine-375")


def test_a_full_webinars_waiting_list_promotes_on_a_cancellation(page, reference_data):
    webinar = PublishedWebinarFactory(
        proposal=ProposalFactory(title="Domestic work"), members_only=False, capacity=1
    )
    seated = registrations.register(actor=ReaderFactory(), webinar=webinar)
    waiting = registrations.register(actor=ReaderFactory(), webinar=webinar)
    assert (seated.status, waiting.status) == ("registered", "waiting")

    page.goto(link_in_email(waiting.email, "waiting_list", "/registrations/"))
    expect(page.get_by_text("you are on its waiting list")).to_be_visible()
    expect(page.get_by_role("link", name=webinar.joining_url)).to_have_count(0)

    page.goto(f"/registrations/{registrations.manage_token(seated)}/")
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.get_by_text("Your registration is cancelled.")).to_be_visible()

    page.goto(link_in_email(waiting.email, "seat_offered", "/registrations/"))
    expect(page.get_by_role("heading", name="A seat is offered to you")).to_be_visible()
    check_axe(page)
    page.get_by_role("button", name="Take the seat").click()
    expect(page.get_by_text("The seat is yours: you are registered.")).to_be_visible()
    expect(page.get_by_role("link", name=webinar.joining_url)).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.status == "registered"
    assert registrations.seats_taken(webinar) == 1
