"""The secretariat selects the demo's reviewed call in Chromium: the rules page, a run with the
chosen series and the coverage table, a second run with other rules, the two compared."""

import pytest
from playwright.sync_api import expect

from deepdive.demo.operations import load_demo
from deepdive.series.models import Call

from .conftest import log_in

PASSWORD = "selection-demo-password"


@pytest.fixture
def demo(reference_data):
    load_demo(password=PASSWORD)
    return Call.objects.get(slug="first-round-reviewed")


def test_the_secretariat_runs_and_compares_selections(page, demo, screenshot):
    log_in(page, "secretariat@example.org", PASSWORD)
    page.goto(f"/manage/calls/{demo.pk}/selection/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Selection of")
    expect(page.get_by_text("These are the concept note's defaults")).to_be_visible()
    page.get_by_label("Webinars to select").fill("3")
    screenshot("selection-rules")
    page.get_by_role("button", name="Run the selection").click()

    expect(page.get_by_role("heading", name="The chosen series")).to_be_visible()
    chosen = page.get_by_role("table", name="The chosen series, highest score first")
    expect(chosen.locator("tbody tr")).to_have_count(3)
    expect(
        page.get_by_role("table", name="Coverage of the chosen series and of the top by score")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Against the top 3 by score")).to_be_visible()
    expect(page.get_by_role("heading", name="Proposals left out, and why")).to_be_visible()
    screenshot("selection-run")

    # Again with other rules: four seats, at most two per region.
    page.get_by_role("link", name="Selection of").first.click()
    page.get_by_label("Webinars to select").fill("4")
    page.get_by_label("At most per ILO region").fill("2")
    page.get_by_role("button", name="Run the selection").click()
    expect(
        page.get_by_role("table", name="The chosen series, highest score first").locator("tbody tr")
    ).to_have_count(4)
    screenshot("selection-run-2")

    page.get_by_role("link", name="Selection of").first.click()
    expect(page.get_by_role("heading", name="Earlier runs")).to_be_visible()
    page.get_by_role("button", name="Compare the two runs").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Two selection runs of")
    expect(page.get_by_role("heading", name="Only in B")).to_be_visible()
    rules = page.get_by_role("table", name="The rules of the two runs; differences in bold")
    expect(rules.locator("tr.differs")).to_have_count(2)  # seats and the cap per region
    screenshot("selection-compare")
