"""Announcement cards in Chromium: the secretariat changes the series' branding, previews it
without saving, then saves it; a host opens the cards from the workspace and downloads one. Each
page passes axe-core and reads at 375 px."""

import io

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import expect

from deepdive.accounts.models import User
from deepdive.communications.models import Branding
from deepdive.directory.models import Affiliation
from tests.webinars.factories import ProposalFactory, PublishedWebinarFactory

from .conftest import log_in

HOST = "aissata.cards@example.org"
SECRETARIAT = "secretariat.cards@example.org"
PASSWORD = "cards-browser-password"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def person(email: str, name: str, **extra) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, name=name, timezone="Africa/Abidjan", **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def webinar(reference_data):
    webinar = PublishedWebinarFactory(
        proposal=ProposalFactory(title="Child labour monitoring in cocoa cooperatives")
    )
    host = person(HOST, "Aïssata Koné")
    Affiliation.objects.create(
        user=host,
        organisation=webinar.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    person(SECRETARIAT, "Sam Secretariat", is_secretariat=True)
    return webinar


def no_axe_violations(page) -> None:
    result = Axe().run(page, options=WCAG)
    assert not result.violations_count, result.generate_report()


def preview_colour(page) -> tuple[int, int, int]:
    """The colour of the preview card's top left corner, fetched as the browser does."""
    source = page.get_by_role("img", name="Preview of a link-preview card").get_attribute("src")
    response = page.request.get(source)
    assert response.ok
    return Image.open(io.BytesIO(response.body())).convert("RGB").getpixel((5, 5))


def test_the_secretariat_previews_and_saves_the_branding(page, webinar, screenshot):
    series = webinar.call.series
    log_in(page, SECRETARIAT, PASSWORD)
    page.goto("/manage/series/")
    page.get_by_role("link", name=f"Branding of the cards of {series.title}").click()
    expect(page.get_by_role("heading", name=f"Branding of {series.title}")).to_be_visible()
    expect(page.get_by_text(webinar.title)).to_be_visible()  # the next webinar is the sample
    no_axe_violations(page)

    page.get_by_label("Main colour").fill("#006644")
    page.get_by_label("Layout").select_option("split")
    page.get_by_role("button", name="Preview without saving").click()
    expect(page.get_by_text("not saved yet")).to_be_visible()
    assert preview_colour(page) == (0, 0x66, 0x44)
    assert not Branding.objects.exists()

    page.get_by_label("Main colour").fill("#00664")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Give a colour as # and six hex digits.")).to_be_visible()
    expect(page.get_by_label("Main colour")).to_have_value("#00664")
    no_axe_violations(page)

    page.get_by_label("Main colour").fill("#006644")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The branding was saved.")).to_be_visible()
    assert Branding.objects.get(series=series).colour_primary == "#006644"
    page.set_viewport_size({"width": 375, "height": 800})
    preview = page.get_by_role("img", name="Preview of a link-preview card")
    expect(preview).to_have_js_property("naturalWidth", 1200)
    assert preview.bounding_box()["width"] <= 375
    screenshot("branding-375")


def test_a_host_downloads_a_card_from_the_workspace(page, webinar, screenshot):
    log_in(page, HOST, PASSWORD)
    page.goto(f"/webinars/{webinar.pk}/workspace/")
    page.get_by_role("link", name="Announcement cards to download").click()
    expect(page.get_by_role("heading", name="Announcement cards")).to_be_visible()
    french = page.get_by_role("region", name="French")
    alt = french.get_by_role("img").first.get_attribute("alt") or ""
    assert alt.startswith(f"Annonce du webinaire “{webinar.title}”")  # the card's language
    assert french.get_by_role("img").count() == 4
    no_axe_violations(page)
    with page.expect_download() as info:
        french.get_by_role("link", name="Download the square card in French (PNG)").click()
    download = info.value
    assert download.suggested_filename == f"webinar-{webinar.pk}-fr-square.png"
    with open(download.path(), "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot("cards-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
