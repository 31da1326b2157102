"""An attendee opens the feedback link of their thanks e-mail in Chromium (no login), answers
the three questions, and a host of the webinar reads the answer, without the attendee's name,
from the webinar's page. The pages pass axe-core and read at 375 px."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from deepdive.accounts.models import User
from deepdive.directory.models import Affiliation
from deepdive.outbox.models import OutboxMessage
from deepdive.webinars import follow_up
from deepdive.webinars.models import Attendance, Webinar
from tests.accounts.factories import AffiliationFactory
from tests.webinars.factories import ProposalFactory, RegistrationFactory, WebinarFactory, paris

from .conftest import log_in

HOST = "host.feedback@example.org"
PASSWORD = "feedback-browser-password"
TITLE = "Decent work in supply chains"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def webinar(reference_data):
    start = paris(2025, 3, 10, 14)
    webinar = WebinarFactory(
        proposal=ProposalFactory(title=TITLE),
        starts_at=start,
        planned_start=start,
        published_at=start,
        state=Webinar.State.HELD,
    )
    host = User.objects.create_user(email=HOST, password=PASSWORD, name="Hana Host")
    EmailAddress.objects.create(user=host, email=HOST, verified=True, primary=True)
    AffiliationFactory(
        user=host,
        organisation=webinar.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    ana = RegistrationFactory(webinar=webinar, user=None, name="Ana Lopez", email="ana@example.org")
    Attendance.objects.create(
        webinar=webinar,
        name="Ana Lopez",
        email="ana@example.org",
        minutes=55,
        registration=ana,
        imported_at=start,
    )
    follow_up.draft_follow_up(actor=None, webinar=webinar)
    return webinar


def no_axe_violations(page) -> None:
    result = Axe().run(page, options=WCAG)
    assert not result.violations_count, result.generate_report()


def link_in_thanks(address: str) -> str:
    """The feedback link of the thanks e-mail drafted to ``address``, as a path on the test
    server."""
    message = OutboxMessage.objects.get(kind=follow_up.THANKS, to_email=address)
    url = re.search(r"https?://\S+/webinars/feedback/\S+/", message.body_text).group(0)
    return urlsplit(url).path


def test_an_attendee_answers_and_the_host_reads_it(page, webinar, screenshot):
    page.goto(link_in_thanks("ana@example.org"))
    expect(page.get_by_role("heading", name=f"Your feedback on “{TITLE}”")).to_be_visible()
    no_axe_violations(page)

    page.get_by_role("button", name="Send my feedback").click()
    expect(page.get_by_text("Say how useful the webinar was.")).to_be_visible()
    no_axe_violations(page)

    page.get_by_role("group", name="How useful was the webinar for your work?").get_by_label(
        "4 — Very useful"
    ).check()
    page.get_by_label("One thing you learned").fill("How to map a supply chain's tiers")
    page.get_by_label("Topics you would like a next webinar to cover").fill("Remediation")
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("feedback-form-375")
    page.get_by_role("button", name="Send my feedback").click()

    expect(page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    no_axe_violations(page)

    log_in(page, HOST, PASSWORD)
    page.goto(webinar.get_absolute_url())
    page.get_by_role("link", name="The attendees' feedback").click()
    expect(page.get_by_role("heading", name=f"Feedback on “{TITLE}”")).to_be_visible()
    expect(page.get_by_text("1 answer", exact=True)).to_be_visible()
    expect(page.get_by_text("The distribution is shown from 5 answers on")).to_be_visible()
    learned = page.get_by_role("region", name="One thing learned")
    expect(learned.get_by_role("listitem")).to_have_text(["How to map a supply chain's tiers"])
    expect(page.get_by_role("region", name="Topics wished for next")).to_contain_text("Remediation")
    expect(page.get_by_text("Ana Lopez")).to_have_count(0)
    no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("feedback-answers-375")
