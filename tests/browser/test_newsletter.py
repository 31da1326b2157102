"""A newsletter issue in Chromium: the secretariat writes it, previews it in French, sends a
test to themself, sends it for approval, sends the campaign from its page, and the web version
opens; each page passes axe-core and reads at 375 px."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from deepdive.accounts.models import User
from deepdive.communications.models import Campaign, NewsletterIssue
from deepdive.outbox.models import OutboxMessage
from deepdive.webinars.models import Registration
from tests.webinars.factories import ProposalFactory, PublishedWebinarFactory, paris

from .conftest import log_in

SECRETARIAT = "secretariat.newsletter@example.org"
PASSWORD = "newsletter-browser-password"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def webinar(reference_data):
    start = paris(*(timezone.now() + timedelta(days=20)).date().timetuple()[:3])
    webinar = PublishedWebinarFactory(
        proposal=ProposalFactory(title="Due diligence in cocoa supply chains"),
        starts_at=start,
        planned_start=start,
    )
    for email, language in (("kwame@example.org", "en"), ("elodie@example.org", "fr")):
        Registration.objects.create(
            webinar=webinar,
            email=email,
            name=email.split("@")[0].title(),
            language=language,
            consents_to_contact=True,
        )
    user = User.objects.create_user(
        email=SECRETARIAT,
        password=PASSWORD,
        name="Sam Secretariat",
        timezone="Africa/Abidjan",
        is_secretariat=True,
    )
    EmailAddress.objects.create(user=user, email=SECRETARIAT, verified=True, primary=True)
    return webinar


def no_axe_violations(page) -> None:
    result = Axe().run(page, options=WCAG)
    assert not result.violations_count, result.generate_report()


def fits_375(page, screenshot, name: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 800})


def test_the_secretariat_writes_tests_and_sends_a_newsletter_issue(page, webinar, screenshot):
    series = webinar.call.series
    log_in(page, SECRETARIAT, PASSWORD)
    page.goto(f"/manage/series/{series.slug}/campaigns/")
    page.get_by_role("link", name=f"Newsletter issues of {series.title}").click()
    expect(page.get_by_role("heading", name=f"Newsletter issues of {series.title}")).to_be_visible()
    no_axe_violations(page)

    page.get_by_role("link", name="Write a new issue").click()
    page.get_by_label("Subject (French)").fill("Nouvelles de la série")
    page.get_by_label("Block 1: heading (English)").fill("A word from the chair")
    page.get_by_label("Block 1: text (English)").fill(
        '<p onclick="x()">Welcome, <b>partners</b>.</p><script>alert(1)</script>'
    )
    page.get_by_role("button", name="Save and preview").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()  # no English subject
    expect(page.get_by_label("Subject (French)")).to_have_value("Nouvelles de la série")
    no_axe_violations(page)
    fits_375(page, screenshot, "newsletter-form-375")

    page.get_by_label("Subject (English)").fill("News of the series")
    page.get_by_role("button", name="Save and preview").click()
    expect(page.get_by_text("The issue is saved.")).to_be_visible()
    issue = NewsletterIssue.objects.get()
    assert "script" not in issue.blocks[0]["body"]["en"]

    page.get_by_role("navigation", name="Preview in").get_by_role("link", name="French").click()
    frame = page.frame_locator("iframe.email-preview")
    expect(frame.get_by_role("heading", name="Nouvelles de la série")).to_be_visible()
    expect(frame.get_by_text("Due diligence in cocoa supply chains")).to_be_visible()
    expect(frame.get_by_role("heading", name="A word from the chair")).to_be_visible()
    no_axe_violations(page)
    fits_375(page, screenshot, "newsletter-preview-375")

    page.get_by_label("Language of the test").select_option(label="French")
    page.get_by_role("button", name="Send me a test").click()
    expect(
        page.get_by_text(f"A test in this language is on its way to {SECRETARIAT}")
    ).to_be_visible()
    test = OutboxMessage.objects.get(kind="newsletter_test")
    assert (test.to_email, test.language, test.subject) == (
        SECRETARIAT,
        "fr",
        "Nouvelles de la série",
    )
    assert "List-Unsubscribe" in test.headers
    assert not Campaign.objects.exists()

    page.get_by_label("Who").select_option(label="People who agreed to hear about the series")
    page.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_text("2 messages drafted")).to_be_visible()
    campaign = Campaign.objects.get()
    assert campaign.issue == issue
    expect(page.get_by_role("link", name="News of the series")).to_be_visible()
    no_axe_violations(page)

    page.get_by_role("button", name="Send the newsletter to 2 people").click()
    expect(page.get_by_text("Sending:")).to_be_visible()
    assert sorted(
        OutboxMessage.objects.filter(batch=campaign.batch).values_list("to_email", "subject")
    ) == [
        ("elodie@example.org", "Nouvelles de la série"),
        ("kwame@example.org", "News of the series"),
    ]

    page.get_by_role("link", name="News of the series").click()
    href = (
        page.get_by_role("definition")
        .get_by_role("link", name="/newsletter/")
        .get_attribute("href")
    )
    page.goto(urlsplit(href).path + "?" + urlsplit(href).query)  # the site's address is not
    # the test server's: the same path on the test server
    expect(page.get_by_role("heading", name="News of the series", level=1)).to_be_visible()
    assert "Kwame" not in page.content()
    no_axe_violations(page)
    fits_375(page, screenshot, "newsletter-web-375")
