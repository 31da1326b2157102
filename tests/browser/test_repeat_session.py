"""The secretariat plans a repeat session in Chromium: the plan says who a webinar's start
leaves outside their hours, the window for the repeat is widened (a wrong one first, refused
beside its field), the best repeat is added and published, and the programme shows both
times. The pages pass axe-core and read at 375 px."""

import re
from datetime import date, datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from deepdive.series.times import local_to_utc
from deepdive.timetable.models import TimetableRules
from deepdive.webinars.models import RepeatSession
from tests.accounts.factories import PASSWORD, SecretariatFactory
from tests.proposals.factories import CallFactory
from tests.timetable.conftest import make_webinar

from .conftest import log_in

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
TITLE = "Fair recruitment in the Pacific"


@pytest.fixture
def planning(reference_data):
    call = CallFactory(title="Deep dive 2027")
    TimetableRules.objects.create(
        call=call,
        first_date=date(2027, 1, 11),
        last_date=date(2027, 2, 26),
        weekdays=[1, 2, 3, 4, 5],
        min_days_between=1,
    )
    webinar = make_webinar(
        call,
        title=TITLE,
        audience={
            "Europe/Paris": 30,
            "America/Mexico_City": 30,
            "Pacific/Fiji": 20,
            "Pacific/Apia": 20,
        },
    )
    webinar.planned_start = local_to_utc(datetime(2027, 1, 13, 17, 0), "Europe/Paris")
    webinar.save()
    return SecretariatFactory(email="planner@ilo.example"), call, webinar


def label(text: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(text)}:?$")


def no_axe_violations(page) -> None:
    result = Axe().run(page, options=WCAG)
    assert not result.violations_count, result.generate_report()


def test_the_secretariat_adds_and_publishes_a_repeat_for_the_pacific(
    page, live_server, planning, screenshot
):
    secretariat, call, webinar = planning
    log_in(page, secretariat.email, PASSWORD)
    page.goto(f"/manage/calls/{call.pk}/timetable/")

    # who is left out, and no repeat inside the rules' window
    left_out = page.get_by_role("region", name=TITLE)
    expect(left_out).to_contain_text("leaves 40% of its audience outside their hours")
    expect(left_out).to_contain_text("Pacific/Fiji (20% of the audience)")
    expect(left_out).to_contain_text("Pacific/Apia (20% of the audience)")
    expect(left_out).to_contain_text("No start in this window reaches them")
    no_axe_violations(page)

    # a window that ends before it starts: refused beside the field, what was typed kept
    page.get_by_label(label("Repeat may start from")).fill("22:00")
    page.get_by_label(label("Repeat must end by")).fill("06:00")
    page.get_by_role("button", name="Look for repeats in this window").click()
    expect(page.get_by_text("The end must come after the start.")).to_be_visible()
    expect(page.get_by_label(label("Repeat may start from"))).to_have_value("22:00")
    no_axe_violations(page)

    # widened: 06:00 in Paris is the Pacific's evening
    page.get_by_label(label("Repeat may start from")).fill("06:00")
    page.get_by_label(label("Repeat must end by")).fill("22:00")
    page.get_by_role("button", name="Look for repeats in this window").click()
    left_out = page.get_by_role("region", name=TITLE)
    expect(left_out).to_contain_text("Best repeat: Wed 13 Jan 2027, 06:00 (Europe/Paris")
    expect(left_out).to_contain_text("It reaches 100% of those left out.")
    expect(left_out).to_contain_text("17:00 (Pacific/Fiji, UTC+12:00)")
    no_axe_violations(page)
    page.set_viewport_size({"width": 375, "height": 800})
    left_out.scroll_into_view_if_needed()
    screenshot("repeat-offer-375")
    page.set_viewport_size({"width": 1280, "height": 800})
    left_out.get_by_role("button", name=re.compile("^Add this repeat session")).click()

    expect(page.get_by_text(f"A repeat session of “{TITLE}” is in the plan")).to_be_visible()
    plan = page.get_by_role(
        "table", name="The working plan: each webinar's start, reach and conflicts"
    )
    expect(plan.locator("tbody tr", has_text=TITLE)).to_contain_text("Repeat session:")
    assert RepeatSession.objects.get(webinar=webinar).starts_at is None

    # publish: both sessions
    expect(page.get_by_text("1 repeat session will be published.")).to_be_visible()
    page.get_by_role("button", name="Publish the timetable").click()
    expect(page.get_by_text("The timetable is published")).to_be_visible()
    assert RepeatSession.objects.get(webinar=webinar).is_published

    # the programme shows both times, in the reader's zone
    page.goto(call.series.get_absolute_url())
    entry = page.locator(".programme-entry", has_text=TITLE)
    expect(entry.get_by_text("First session")).to_be_visible()
    expect(entry.get_by_text("Repeat session")).to_be_visible()
    no_axe_violations(page)
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot("repeat-programme-375")
