"""A recipient of an invitation of the Supply Chains Action Group opens its unsubscribe link
in Chromium (no login): the page only asks, one button stops that group's invitations; then
they choose what they receive on the preferences page, one choice per Action Group. The pages
pass axe-core and read at 375 px."""

from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from deepdive.outbox import consent, operations
from tests.directory.factories import action_group

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
ADDRESS = "ana@example.org"


def no_axe_violations(page) -> None:
    result = Axe().run(page, options=WCAG)
    assert not result.violations_count, result.generate_report()


def test_a_recipient_unsubscribes_in_one_click_then_chooses_what_they_receive(page, screenshot):
    invitation = operations.queue_email(
        to=ADDRESS,
        subject="Invitation: decent work in supply chains",
        text="Join us.\n",
        language="en",
        category="invitation",
        action_group=action_group("supply_chains", "Supply Chains"),
        hold=True,
    )
    link = invitation.headers["List-Unsubscribe"].strip("<>")
    page.set_viewport_size({"width": 375, "height": 812})

    response = page.goto(urlsplit(link).path)
    assert len(response.body()) < 60_000
    expect(page.get_by_role("heading", name="Unsubscribe")).to_be_visible()
    assert not consent.is_suppressed(ADDRESS, "invitation")  # opening the link is not enough
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    no_axe_violations(page)
    screenshot("unsubscribe-375")

    page.get_by_role(
        "button", name="Unsubscribe from invitations of the Supply Chains Action Group"
    ).click()

    expect(
        page.get_by_text(
            "You will no longer receive invitations from the Supply Chains Action Group"
        )
    ).to_be_visible()
    assert consent.is_suppressed(ADDRESS, "invitation", "supply_chains")
    assert not consent.is_suppressed(ADDRESS, "invitation", "migration")
    no_axe_violations(page)

    page.get_by_role("link", name="Choose what you receive").click()
    group = page.get_by_label("Invitations from the Supply Chains Action Group")
    expect(group).not_to_be_checked()
    expect(page.get_by_label("Invitations to webinars")).to_be_checked()
    expect(page.get_by_label("Newsletters")).to_be_checked()
    expect(page.get_by_label("Nothing but what I register for")).not_to_be_checked()
    group.check()
    page.get_by_label("Newsletters").uncheck()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    no_axe_violations(page)
    screenshot("email-preferences-375")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Your choices are saved.")).to_be_visible()
    expect(group).to_be_checked()
    assert not consent.is_suppressed(ADDRESS, "invitation", "supply_chains")
    assert consent.is_suppressed(ADDRESS, "newsletter")
    no_axe_violations(page)
