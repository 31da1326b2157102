"""A call's public page in Chromium: the right action for each reader, readable on a phone."""

import re

import pytest
from playwright.sync_api import expect

from deepdive.demo.operations import load_demo
from deepdive.series.models import Call

from .conftest import log_in

PASSWORD = "demo-pass-123"


@pytest.fixture
def call(page):
    load_demo(password=PASSWORD)
    # the demo's open call
    return Call.objects.select_related("series").get(slug__startswith="call-")


def test_a_member_opens_the_series_then_the_call_and_may_submit(page, call, screenshot):
    log_in(page, "member@example.org", PASSWORD)
    page.goto(call.series.get_absolute_url())
    page.get_by_role("link", name=call.title).click()
    expect(page.get_by_role("heading", level=1, name=call.title)).to_be_visible()
    submit = page.get_by_role("link", name="Submit a proposal")
    expect(submit).to_be_visible()
    expect(submit).to_have_attribute("href", f"/calls/{call.pk}/propose/")
    expect(page.get_by_role("link", name="How to take part")).to_have_count(0)


def test_an_anonymous_reader_is_told_how_to_take_part_on_a_phone(page, call, screenshot):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/")
    page.get_by_role("link", name=call.title).click()
    expect(page.get_by_role("link", name="Submit a proposal")).to_have_count(0)
    page.get_by_role("link", name="How to take part").click()
    expect(page).to_have_url(re.compile("#take-part$"))
    expect(page.get_by_role("heading", name="How to take part")).to_be_in_viewport()
    expect(page.get_by_role("link", name="State your affiliation")).to_be_visible()
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("call-page-phone")


def test_the_call_page_works_without_javascript(browser, live_server, call):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(call.get_absolute_url())
    expect(page.get_by_role("link", name="How to take part")).to_be_visible()
    expect(page.get_by_text("In the call's time zone").first).to_be_visible()
    context.close()
