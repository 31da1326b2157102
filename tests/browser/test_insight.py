"""The workplan coverage and diversity reports in Chromium: the public summary and the
secretariat's pages read at 375 px, pass axe-core, show their charts and tables with
JavaScript turned off, and print whole (the figures without the navigation or the filters)."""

import re

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from deepdive.accounts.models import User
from deepdive.reference.models import Output
from deepdive.webinars.models import Webinar
from tests.webinars.factories import (
    CallFactory,
    ProposalFactory,
    PublishedWebinarFactory,
    SeriesFactory,
)

from .conftest import SCREENSHOTS, log_in

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PASSWORD = "insight-password"
SECRETARIAT = "secretariat@example.org"


@pytest.fixture
def series(reference_data):
    series = SeriesFactory(slug="deep-dive", title="Virtual deep dive series")
    outputs = Output.objects.filter(outcome__action_group=series.action_group)
    assert outputs.count() >= 2, "the shipped workplan has Outputs"
    webinar = PublishedWebinarFactory(
        proposal=ProposalFactory(
            call__series=series, title="Cocoa cooperatives against child labour"
        ),
        state=Webinar.State.HELD,
        starts_at=timezone.now() - timezone.timedelta(days=3),
    )
    webinar.outputs.set([outputs.first()])
    CallFactory(series=series, title="The second call")  # so the calls stand side by side
    user = User.objects.create_user(
        email=SECRETARIAT, password=PASSWORD, name="Sam Secretariat", is_secretariat=True
    )
    EmailAddress.objects.create(user=user, email=SECRETARIAT, verified=True, primary=True)
    return series


def reads_well(page) -> None:
    result = Axe().run(page, options=WCAG)
    assert not result.violations_count, result.generate_report()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width} px wide"


def test_the_reports_read_on_a_phone(page, series, screenshot):
    page.set_viewport_size({"width": 375, "height": 800})
    # The first chart of a server process loads matplotlib's fonts: allow it time.
    response = page.goto("/insight/deep-dive/coverage/", timeout=60_000)
    assert len(response.body()) < 60_000, "a public page stays under 60 KB"
    expect(page.get_by_role("heading", level=1)).to_contain_text("Workplan coverage")
    expect(page.get_by_role("img", name="Webinars per workplan Output")).to_be_visible()
    expect(
        page.get_by_role("table", name="Webinars per workplan Output: the figures")
    ).to_be_visible()
    reads_well(page)
    screenshot("insight-public-coverage-375")

    log_in(page, SECRETARIAT, PASSWORD)
    page.goto("/manage/")
    page.get_by_role("link", name="Workplan coverage: Virtual deep dive series").click()
    gaps = page.get_by_role("heading", name="Gaps: Outputs no webinar serves")
    expect(gaps).to_be_visible()
    matrix = page.get_by_role("table", name="Outcomes and Outputs against the webinars")
    expect(
        matrix.get_by_role("link", name="Cocoa cooperatives against child labour")
    ).to_be_visible()
    reads_well(page)
    screenshot("insight-coverage-375")

    page.get_by_role("link", name="Diversity", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Diversity")
    expect(page.get_by_role("img", name="Partner types")).to_be_visible()
    expect(page.get_by_role("table", name="Partner types: the figures")).to_be_visible()
    calls = page.get_by_role("table", name="Calls side by side: the figures")
    expect(calls.get_by_role("rowheader", name="The second call")).to_be_visible()
    reads_well(page)
    screenshot("insight-diversity-375")


def test_the_reports_work_without_javascript(browser, live_server, series):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/insight/deep-dive/coverage/", timeout=60_000)
        expect(page.get_by_role("img", name="Webinars per workplan Output")).to_be_visible()
        log_in(page, SECRETARIAT, PASSWORD)
        page.goto("/manage/insight/series/deep-dive/diversity/")
        expect(page.get_by_role("img", name="Partner types")).to_be_visible()
        page.goto("/manage/insight/series/deep-dive/coverage/")
        page.get_by_label("Until").fill("2000-01-01")
        page.get_by_role("button", name="Show").click()
        expect(page).to_have_url(re.compile(r"end=2000-01-01"))
        matrix = page.get_by_role("table", name="Outcomes and Outputs against the webinars")
        expect(matrix.get_by_text("None: a gap").first).to_be_visible()
    finally:
        context.close()


def prints_whole(page) -> None:
    """In print: no site navigation, no filter form, no download links; every table within
    the paper's width (nothing left in a scrolling box)."""
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Show")).to_be_hidden()
    expect(page.get_by_role("combobox", name="Call")).to_be_hidden()
    expect(page.get_by_role("link", name="Download as CSV")).to_be_hidden()
    widest = page.evaluate(
        "Math.max(0, ...[...document.querySelectorAll('table')]"
        ".map(t => t.getBoundingClientRect().right))"
    )
    assert widest <= page.viewport_size["width"], f"a table is {widest} px wide"


def test_the_reports_print_whole(page, series, screenshot):
    # About the width of A4 paper within its margins, at 96 dots per inch.
    page.set_viewport_size({"width": 700, "height": 1000})
    log_in(page, SECRETARIAT, PASSWORD)
    page.goto("/manage/insight/series/deep-dive/diversity/", timeout=60_000)
    prints_whole(page)
    expect(page.get_by_role("img", name="Calls side by side")).to_be_visible()
    expect(page.get_by_role("table", name="Calls side by side: the figures")).to_be_visible()
    expect(page.get_by_role("img", name="Partner types")).to_be_visible()
    screenshot("insight-diversity-print")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SCREENSHOTS / "insight-diversity.pdf"), format="A4")
    for report in ("coverage", "participation", "engagement"):
        page.emulate_media(media="screen")
        page.goto(f"/manage/insight/series/deep-dive/{report}/")
        prints_whole(page)
        screenshot(f"insight-{report}-print")
    page.goto("/manage/insight/series/deep-dive/coverage/")
    expect(page.get_by_role("img", name="Webinars per workplan Output")).to_be_visible()
