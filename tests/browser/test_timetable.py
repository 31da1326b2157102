"""The secretariat plans a timetable in Chromium: sets the rules, runs the optimiser, reads the
plan with its reach beside the naive plan, moves a webinar (preview, then save) and publishes."""

import re

import pytest
from playwright.sync_api import expect

from deepdive.outbox.models import OutboxMessage
from deepdive.webinars.models import Webinar
from tests.accounts.factories import PASSWORD, SecretariatFactory
from tests.proposals.factories import CallFactory
from tests.timetable.conftest import make_webinar


@pytest.fixture
def planning(reference_data):
    call = CallFactory(title="Deep dive 2027")
    webinars = [
        make_webinar(call, title="Fishing in South-East Asia", audience={"Asia/Tokyo": 100}),
        make_webinar(call, title="Coffee in Peru", audience={"America/Lima": 100}),
        make_webinar(
            call,
            title="Cocoa in West Africa",
            audience={"Africa/Abidjan": 70, "Asia/Kathmandu": 30},
            available=[["2027-02-01", "2027-02-12"]],
        ),
    ]
    return SecretariatFactory(email="planner@ilo.example"), call, webinars


def label(text: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(text)}:?$")


def test_the_secretariat_plans_moves_and_publishes(page, live_server, planning, screenshot):
    secretariat, call, webinars = planning
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(secretariat.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.goto("/manage/series/")
    page.get_by_role("link", name=re.compile(r"^Timetable")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Timetable of Deep dive 2027")
    page.get_by_role("link", name="Edit the rules").click()

    # the rules: winter 2027, Monday to Thursday, a blackout date
    expect(page.get_by_text("These are the defaults from the partners' survey")).to_be_visible()
    page.get_by_label(label("First date")).fill("2027-01-11")
    page.get_by_label(label("Last date")).fill("2027-01-01")  # wrong on purpose
    page.get_by_label("Friday").uncheck()
    page.get_by_label(label("Blackout dates")).fill("2027-01-18 Martin Luther King Day")
    page.get_by_role("button", name="Save the rules").click()
    expect(page.get_by_text("The last date comes before the first date.")).to_be_visible()
    expect(page.get_by_label(label("Blackout dates"))).to_have_value(
        "2027-01-18 Martin Luther King Day"
    )
    expect(page.get_by_label("Friday")).not_to_be_checked()
    screenshot("timetable-rules-error")
    page.get_by_label(label("Last date")).fill("2027-02-26")
    page.get_by_role("button", name="Save the rules").click()
    expect(page.get_by_text("The timetable rules are saved.")).to_be_visible()
    expect(
        page.get_by_text("From 11 January 2027 to 26 February 2027, Monday to Thursday")
    ).to_be_visible()

    # run
    page.get_by_role("button", name="Run the optimiser").click()
    expect(page.get_by_text("The optimiser placed the webinars.")).to_be_visible()
    expect(page.get_by_text("Best timetable, every rule kept")).to_be_visible()
    plan = page.get_by_role(
        "table", name="The working plan: each webinar's start, reach and conflicts"
    )
    expect(plan.locator("tbody tr")).to_have_count(3)
    expect(plan.locator("tbody tr").first).to_contain_text("100%")
    expect(
        page.get_by_text("Naive plan (every webinar at the same hour, in order)")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="The naive plan, for comparison")).to_be_visible()
    expect(page.get_by_text("Gain over the naive plan")).to_be_visible()
    screenshot("timetable-plan")

    # move the Tokyo webinar to an afternoon: preview first
    row = plan.locator("tbody tr", has_text="Fishing in South-East Asia")
    row.get_by_label(label("Date")).fill("2027-02-03")
    row.get_by_label(label("Time")).fill("15:00")
    row.get_by_role("button", name=re.compile("Preview the move")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move “Fishing in South-East Asia”")
    expect(page.get_by_role("heading", name="If it moves here")).to_be_visible()
    expect(page.get_by_text("23:00 (Asia/Tokyo, UTC+09:00)")).to_be_visible()
    expect(page.get_by_text("outside their hours")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^0%$"))).to_be_visible()
    screenshot("timetable-move-preview")
    page.get_by_role("button", name="Save this time").click()
    expect(page.get_by_text("“Fishing in South-East Asia” is moved")).to_be_visible()
    moved = Webinar.objects.get(pk=webinars[0].pk)
    assert moved.planned_start.isoformat() == "2027-02-03T14:00:00+00:00"
    expect(plan.locator("tbody tr", has_text="Fishing in South-East Asia")).to_contain_text("0%")

    # publish
    expect(
        page.get_by_text("3 webinars will be published and their hosts notified.")
    ).to_be_visible()
    page.get_by_role("button", name="Publish the timetable").click()
    expect(page.get_by_text("The timetable is published")).to_be_visible()
    expect(page.get_by_text("Everything is published as planned")).to_be_visible()
    webinars_table = page.get_by_role("table", name=re.compile("^The webinars to place"))
    expect(
        webinars_table.get_by_text("Wed 3 Feb 2027, 15:00 (Europe/Paris, UTC+01:00)")
    ).to_be_visible()
    assert OutboxMessage.objects.filter(kind="published").count() == 3
    screenshot("timetable-published")

    # a webinar's length and audience: the table of zones, one weight changed
    page.get_by_role("link", name="Cocoa in West Africa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Timetable of “Cocoa in West Africa”")
    expect(page.get_by_label("Time zone, row 1")).to_have_value("Africa/Abidjan")
    page.get_by_label("45 minutes").check()
    page.get_by_label("Weight, row 2").fill("50")
    screenshot("timetable-webinar")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("The webinar's timetable facts are saved.")).to_be_visible()
    cocoa = Webinar.objects.get(pk=webinars[2].pk)
    assert cocoa.minutes == 45
    assert cocoa.audience == {"Africa/Abidjan": 70, "Asia/Kathmandu": 50}
