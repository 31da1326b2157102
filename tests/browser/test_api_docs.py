"""The public API's documentation page in Chromium at 375 px: reached from the footer, every
endpoint listed with an example address that answers, readable without scrolling sideways
(beyond the addresses' own boxes), and passing axe-core."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.webinars.factories import ProposalFactory, PublishedWebinarFactory

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def webinar(reference_data):
    return PublishedWebinarFactory(proposal=ProposalFactory(title="Decent work in fisheries"))


def test_the_documentation_reads_on_a_phone(page, webinar, screenshot):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    page.get_by_role("link", name="Public API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Public API")
    expect(page.get_by_role("heading", name="Webinars", exact=True)).to_be_visible()
    expect(page.get_by_role("list", name="Parameters").first).to_be_visible()
    # The rules of use come first; allowed values read as words, not markdown.
    expect(page.get_by_role("list", name="How to use it")).to_contain_text("If-None-Match")
    themes = page.get_by_role("region", name="Themes", exact=True)
    expect(themes).to_contain_text("The themes a webinar can be about")
    webinars = page.get_by_role("region", name="Webinars", exact=True)
    expect(webinars).to_contain_text("One of: English (en), French (fr), Spanish (es)")
    assert "* `" not in page.inner_text("main")
    axe = Axe().run(page, options=WCAG)
    assert not axe.violations_count, axe.generate_report()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width} px wide"
    screenshot("api-docs-375")
    # An example address answers with the programme.
    page.goto("/api/webinars/")
    assert "Decent work in fisheries" in page.content()
