"""Issue 14's "Done when", on the demo data, in Chromium: the secretariat previews the series'
branding, downloads a webinar's link-preview card in English, French and Spanish, invites all
members of the Supply Chains Action Group and watches the invitations leave; a recipient
unsubscribes in one click from their e-mail's link, another with the one POST of RFC 8058.
Each page passes axe-core; the progress page reads at 375 px.

Then the newsletter issue of the "Done when": the secretariat opens the demo's draft issue,
previews it in French, sends it for approval to all members of the Supply Chains Action
Group, sends it from the campaign's page, watches it leave and opens its web version."""

import io
import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from deepdive.communications import audiences, campaigns
from deepdive.communications.models import Campaign
from deepdive.demo.newsletters import DRAFT_BLOCKS, DRAFT_SUBJECT, DRAFT_TEXTS
from deepdive.demo.operations import load_demo
from deepdive.outbox import consent
from deepdive.outbox.models import OutboxMessage
from deepdive.series.models import Series

from .conftest import SCREENSHOTS, log_in

PASSWORD = "demo-pass-123"
SECRETARIAT = "secretariat@example.org"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
LANGUAGES = {"en": "English", "fr": "French", "es": "Spanish"}
GROUP = "supply_chains"
RATE = 25  # a minute: the demo's Supply Chains members take three minutes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def series(page):
    load_demo(password=PASSWORD)
    return Series.objects.get(slug="supply-chains-deep-dive")


def no_axe_violations(page, *, skip_meta_refresh: bool = False) -> None:
    options = {**WCAG, "rules": {"meta-refresh": {"enabled": False}}} if skip_meta_refresh else WCAG
    result = Axe().run(page, options=options)
    assert not result.violations_count, result.generate_report()


def png_size(content: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(content))
    assert image.format == "PNG"
    return image.size


def progress_of(page, row: str) -> int:
    header = page.get_by_role("rowheader", name=row, exact=True)
    return int(page.get_by_role("row").filter(has=header).get_by_role("cell").inner_text())


def test_the_secretariat_brands_shares_and_invites_and_a_member_unsubscribes(
    page, browser, live_server, series, screenshot
):
    log_in(page, SECRETARIAT, PASSWORD)

    # The branding, previewed on the series' next webinar.
    page.goto("/manage/series/")
    page.get_by_role("link", name=f"Branding of the cards of {series.title}").click()
    expect(page.get_by_role("heading", name=f"Branding of {series.title}")).to_be_visible()
    preview = page.get_by_role("img", name="Preview of a link-preview card")
    expect(preview).to_be_visible()
    response = page.request.get(preview.get_attribute("src"))
    assert response.ok
    assert png_size(response.body()) == (1200, 630)
    no_axe_violations(page)

    # The cards of the webinar to invite to, from its page through the hosts' workspace.
    webinar = campaigns.upcoming(series)[0]
    page.goto(webinar.get_absolute_url())
    page.get_by_role("link", name="Open the hosts' workspace").click()
    page.get_by_role("link", name="Announcement cards to download").click()
    expect(page.get_by_role("heading", name="Announcement cards")).to_be_visible()
    no_axe_violations(page)
    downloaded: dict[str, bytes] = {}
    for language, name in LANGUAGES.items():
        link = page.get_by_role("link", name=f"Download the link preview card in {name} (PNG)")
        with page.expect_download() as download:
            link.click()
        with open(download.value.path(), "rb") as handle:
            downloaded[language] = handle.read()
        assert png_size(downloaded[language]) == (1200, 630), language
    assert len(set(downloaded.values())) == 3  # each in its own language

    # The invitation to every member of the Supply Chains Action Group.
    page.goto("/manage/series/")
    page.get_by_role("link", name=f"Invitations to {series.title}").click()
    expect(page.get_by_role("heading", name=f"Invitations of {series.title}")).to_be_visible()
    earlier = Campaign.objects.get(issue=None)  # the demo's earlier one, listed by its name
    listed = page.get_by_role("region", name="Campaigns").get_by_role("article")
    listed = listed.filter(has=page.get_by_role("link", name=str(earlier), exact=True))
    expect(listed.get_by_role("definition").filter(has_text="Done")).to_be_visible()
    no_axe_violations(page)
    page.get_by_label("Invitation to").select_option(str(webinar.pk))
    page.get_by_label("Who").select_option(label="The members of one Action Group")
    page.get_by_label("Action Group").select_option(label="Supply Chains")
    page.get_by_label("Messages a minute").fill(str(RATE))
    page.get_by_role("button", name="Count the people").click()
    members = audiences.count(
        audiences.Audience(series_id=series.pk, kind=audiences.ACTION_GROUP, value=GROUP)
    )
    assert members > 2 * RATE
    expect(page.get_by_role("heading", name=f"{members} people in this audience")).to_be_visible()
    no_axe_violations(page)
    page.set_viewport_size({"width": 375, "height": 812})
    screenshot("communications-journey-count-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("button", name=f"Draft {members} invitations").click()
    expect(page.get_by_text(f"{members} invitations drafted")).to_be_visible()
    campaign = Campaign.objects.filter(status=Campaign.Status.DRAFT).get()
    languages = set(
        OutboxMessage.objects.filter(batch=campaign.batch).values_list("language", flat=True)
    )
    assert languages == {"en", "fr", "es"}

    page.get_by_role("button", name=f"Send {members} invitations").click()
    expect(page.get_by_text(f"Sending: {RATE} invitations a minute")).to_be_visible()
    assert progress_of(page, "Sent") == RATE
    assert progress_of(page, "Waiting to be sent") == members - RATE
    no_axe_violations(page, skip_meta_refresh=True)  # it refreshes itself; a link stops it
    page.set_viewport_size({"width": 375, "height": 812})
    screenshot("communications-journey-progress-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 800})
    # The scheduler's minutes, each followed by the page's own refresh.
    while progress_of(page, "Waiting to be sent"):
        campaigns.release()
        page.reload()
    assert progress_of(page, "Sent") == members
    expect(page.get_by_text("Done", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Follow the progress")).to_have_count(0)
    # The card the invitation carries is one link away.
    expect(page.get_by_role("link", name="its announcement cards")).to_have_attribute(
        "href", reverse("communications:cards", kwargs={"pk": webinar.pk})
    )
    no_axe_violations(page)

    # A member unsubscribes from their e-mail's link (no login) ...
    french = OutboxMessage.objects.filter(batch=campaign.batch, language="fr").first()
    link = french.headers["List-Unsubscribe"].strip("<>")
    reader = browser.new_context(base_url=live_server.url, locale="fr-FR")
    reader_page = reader.new_page()
    reader_page.set_viewport_size({"width": 375, "height": 812})
    reader_page.goto(urlsplit(link).path)
    assert not consent.is_suppressed(french.to_email, "invitation", GROUP)  # opening is not enough
    no_axe_violations(reader_page)
    reader_page.get_by_role("button", name=re.compile("^Unsubscribe|^Se désabonner")).click()
    expect(reader_page.get_by_role("status")).to_contain_text(french.to_email)
    assert consent.is_suppressed(french.to_email, "invitation", GROUP)
    no_axe_violations(reader_page)
    reader_page.screenshot(path=str(SCREENSHOTS / "communications-journey-unsubscribed-375.png"))
    reader.close()

    # ... and another's mail program unsubscribes with one POST (RFC 8058), no page needed.
    spanish = OutboxMessage.objects.filter(batch=campaign.batch, language="es").first()
    assert spanish.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail_program = browser.new_context(base_url=live_server.url)  # no cookie, no page
    response = mail_program.request.post(
        urlsplit(spanish.headers["List-Unsubscribe"].strip("<>")).path,
        form={"List-Unsubscribe": "One-Click"},
    )
    assert response.status == 200
    mail_program.close()
    assert consent.is_suppressed(spanish.to_email, "invitation", GROUP)


def test_the_secretariat_previews_approves_and_sends_the_demos_newsletter_issue(
    page, live_server, series, screenshot
):
    log_in(page, SECRETARIAT, PASSWORD)
    page.goto("/manage/series/")
    page.get_by_role("link", name=f"Invitations to {series.title}").click()
    page.get_by_role("link", name=f"Newsletter issues of {series.title}").click()
    expect(page.get_by_role("heading", name=f"Newsletter issues of {series.title}")).to_be_visible()
    no_axe_violations(page)

    # The draft, previewed as its French readers will see it.
    page.get_by_role("link", name=DRAFT_SUBJECT, exact=True).click()
    expect(page.get_by_role("heading", name=DRAFT_SUBJECT, level=1)).to_be_visible()
    page.get_by_role("navigation", name="Preview in").get_by_role("link", name="French").click()
    frame = page.frame_locator("iframe.email-preview")
    expect(frame.get_by_role("heading", name=DRAFT_TEXTS["fr"]["subject"])).to_be_visible()
    expect(frame.get_by_role("heading", name=DRAFT_BLOCKS[0]["heading"]["fr"])).to_be_visible()
    expect(frame.get_by_text(campaigns.upcoming(series)[0].title).first).to_be_visible()
    no_axe_violations(page)

    # Sent for approval to every member of the Supply Chains Action Group.
    members = audiences.count(
        audiences.Audience(series_id=series.pk, kind=audiences.ACTION_GROUP, value=GROUP)
    )
    assert members > 2 * RATE
    page.get_by_label("Who").select_option(label="The members of one Action Group")
    page.get_by_label("Action Group").select_option(label="Supply Chains")
    page.get_by_label("Messages a minute").fill(str(RATE))
    page.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_text(f"{members} messages drafted")).to_be_visible()
    expect(
        page.get_by_role("heading", name=f"Newsletter: {DRAFT_SUBJECT}", level=1)
    ).to_be_visible()
    campaign = Campaign.objects.get(issue__subject=DRAFT_SUBJECT)
    french = OutboxMessage.objects.filter(batch=campaign.batch, language="fr").first()
    assert french.subject == DRAFT_TEXTS["fr"]["subject"]
    assert french.status == OutboxMessage.Status.HELD  # nothing leaves before it is sent
    no_axe_violations(page)

    # Sent (approved) on the campaign's page, and watched until all are sent.
    page.get_by_role("button", name=f"Send the newsletter to {members} people").click()
    expect(page.get_by_text(f"Sending: {RATE} newsletters a minute")).to_be_visible()
    assert progress_of(page, "Sent") == RATE
    no_axe_violations(page, skip_meta_refresh=True)
    while progress_of(page, "Waiting to be sent"):
        campaigns.release()
        page.reload()
    assert progress_of(page, "Sent") == members
    expect(page.get_by_text("Done", exact=True)).to_be_visible()
    no_axe_violations(page)
    page.set_viewport_size({"width": 375, "height": 812})
    screenshot("communications-journey-newsletter-sent-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 800})

    # Its web version, public now, in French.
    page.get_by_role("link", name=DRAFT_SUBJECT, exact=True).click()
    href = (
        page.get_by_role("definition")
        .get_by_role("link", name="/newsletter/")
        .get_attribute("href")
    )
    web = urlsplit(href)  # the site's address is not the test server's: the same path on it
    page.goto(f"{web.path}?lang=fr")
    expect(page.get_by_role("heading", name=DRAFT_TEXTS["fr"]["subject"], level=1)).to_be_visible()
    no_axe_violations(page)
