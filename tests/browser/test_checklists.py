"""The proposal form's co-submitting organisations: a list of checkboxes filtered by typing,
ticked by touch on a phone-wide page, and the same form sent without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from deepdive.demo.operations import load_demo
from deepdive.proposals.models import Proposal
from deepdive.series.models import Call

from .conftest import log_in

PASSWORD = "demo-pass-123"
ANDES = "Andes Coffee Growers' Federation (ACGF)"


@pytest.fixture
def call(page):
    load_demo(password=PASSWORD)
    return Call.objects.get(slug__startswith="call-")  # the demo's open call


def co_submitters(page):
    return page.get_by_role("group", name=re.compile("^Co-submitting organisations"))


def test_co_submitters_are_filtered_by_typing_and_ticked_on_a_phone(page, call, screenshot):
    page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, "member@example.org", PASSWORD)
    page.goto(f"/calls/{call.pk}/propose/")
    lead = page.get_by_label("Lead organisation").locator("option:checked").inner_text().strip()
    group = co_submitters(page)
    expect(group.get_by_label(lead, exact=True)).to_be_hidden()
    total = group.get_by_role("checkbox").count()

    group.get_by_label("Filter the list").fill("coffee")
    expect(group.get_by_role("checkbox", name=ANDES)).to_be_visible()
    visible = group.locator(".checklist-option:visible").count()
    assert 1 <= visible < total
    expect(group.locator("[aria-live]")).to_have_text(re.compile(rf"^{visible} of \d+ shown$"))
    group.get_by_label(ANDES, exact=True).check()
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("co-submitters-filtered-375")

    group.get_by_label("Filter the list").fill("")
    expect(group.locator(".checklist-option:visible")).to_have_count(total)
    # The one ticked is listed first once the page is drawn again.
    page.get_by_label("Tentative title").fill("Coffee and child labour")
    page.get_by_role("button", name="Save draft").click()
    expect(co_submitters(page).get_by_role("checkbox").first).to_be_checked()
    expect(co_submitters(page).get_by_role("checkbox").first).to_have_accessible_name(ANDES)


def test_without_javascript_the_list_is_all_there_and_the_form_is_sent(browser, live_server, call):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, "member@example.org", PASSWORD)
        page.goto(f"/calls/{call.pk}/propose/")
        group = co_submitters(page)
        expect(group.get_by_label("Filter the list")).to_be_hidden()
        group.get_by_label(ANDES, exact=True).check()
        page.get_by_role("group", name=re.compile("^Countries of action")).get_by_label(
            "Malawi (Pathfinder Country)", exact=True
        ).check()
        page.get_by_label("Tentative title").fill("Coffee without scripts")
        page.get_by_role("button", name="Save draft").click()
        expect(page.get_by_text(re.compile("saved", re.I)).first).to_be_visible()
    finally:
        context.close()
    proposal = Proposal.objects.get(title="Coffee without scripts")
    assert [c.organisation.name for c in proposal.co_submitters.all()] == [
        "Andes Coffee Growers' Federation"
    ]
    assert [c.code for c in proposal.countries.all()] == ["MW"]
