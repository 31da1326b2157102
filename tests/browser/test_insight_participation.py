"""The secretariat opens a series' participation report in Chromium: the totals, a table with
a small group shown as "fewer than 5", a chart beside it; filters a period that ends before it
starts and reads the error beside the field; then the engagement page. Both pass axe-core and
read at 375 px."""

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from deepdive.accounts.models import User
from tests.insight.test_participation import PEOPLE, attend, held, register
from tests.webinars.factories import CallFactory, SeriesFactory

from .conftest import log_in

SECRETARIAT = "secretariat.insight@example.org"
PASSWORD = "insight-browser-password"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def series(reference_data):
    series = SeriesFactory()
    webinar = held(CallFactory(series=series), proposal__title="Decent work in supply chains")
    for sex, code, zone, is_member, came in PEOPLE:
        registration = register(webinar, sex, code, zone, is_member)
        if came:
            attend(webinar, registration)
    user = User.objects.create_user(
        email=SECRETARIAT, password=PASSWORD, name="Sam Secretariat", is_secretariat=True
    )
    EmailAddress.objects.create(user=user, email=SECRETARIAT, verified=True, primary=True)
    return series


def no_axe_violations(page) -> None:
    result = Axe().run(page, options=WCAG)
    assert not result.violations_count, result.generate_report()


def test_the_secretariat_reads_the_participation_and_engagement(page, series, screenshot):
    log_in(page, SECRETARIAT, PASSWORD)
    page.goto(f"/manage/insight/series/{series.slug}/participation/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Participation in")
    by_sex = page.get_by_role("table", name="By sex")
    male = by_sex.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="male", exact=True)
    )
    expect(male).to_contain_text("fewer than 5")
    expect(page.get_by_role("img", name="By sex")).to_be_visible()
    no_axe_violations(page)
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("insight-participation-375")

    page.get_by_label("From").fill("2026-05-01")
    page.get_by_label("Until").fill("2026-04-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("must not come before its start")).to_be_visible()
    expect(page.get_by_label("Until")).to_have_value("2026-04-01")
    no_axe_violations(page)

    page.get_by_role("link", name="Engagement").click()
    expect(page.get_by_role("table", name="Plays and downloads per webinar")).to_be_visible()
    no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("insight-engagement-375")
