"""WCAG 2.1 A and AA, checked by axe-core in Chromium on the pages each kind of reader uses,
on the demo with its timetable published. axe finds what a machine can (names, labels,
contrast, structure); the browser tests that drive the pages by labels and roles do the rest."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from deepdive.accounts.models import User
from deepdive.demo.operations import load_demo
from deepdive.series.models import Call
from deepdive.timetable import operations as timetable
from deepdive.webinars.models import Webinar

from .conftest import log_in

PASSWORD = "demo-pass-123"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def demo(page):
    load_demo(password=PASSWORD)
    selected = Call.objects.get(slug="2026-round-selected")
    secretariat = User.objects.get(email="secretariat@example.org")
    timetable.run(actor=secretariat, call=selected)
    timetable.publish(actor=secretariat, call=selected)
    return {
        "series": selected.series,
        "open": Call.objects.get(slug__startswith="call-"),
        "reviewed": Call.objects.get(slug="first-round-reviewed"),
        "selected": selected,
        "webinar": Webinar.objects.get(proposal__lead_organisation__name__startswith="Atlas"),
    }


def violations(page, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    result = Axe().run(page, options=WCAG)
    return [] if not result.violations_count else [f"{url}\n{result.generate_report()}"]


def test_public_pages(page, demo):
    urls = [
        "/",
        reverse("directory:list"),
        demo["series"].get_absolute_url(),
        demo["open"].get_absolute_url(),
        demo["webinar"].get_absolute_url(),
        "/accounts/login/",
        "/accounts/signup/",
    ]
    found = [v for url in urls for v in violations(page, url)]
    assert not found, "\n\n".join(found)


def test_secretariat_pages(page, demo):
    log_in(page, "secretariat@example.org", PASSWORD)
    selected, reviewed, webinar = demo["selected"], demo["reviewed"], demo["webinar"]
    urls = [
        reverse("core:manage"),
        reverse("series:manage_list"),
        reverse("timetable:plan", kwargs={"call_id": selected.pk}),
        reverse("timetable:rules", kwargs={"call_id": selected.pk}),
        reverse("timetable:webinar", kwargs={"pk": webinar.pk}),
        reverse("timetable:move", kwargs={"pk": webinar.pk})
        + f"?date={webinar.starts_at:%Y-%m-%d}&time=09:00",
        reverse("selection:rules", kwargs={"call_id": reviewed.pk}),
        reverse("reviews:pool", kwargs={"call_id": reviewed.pk}),
        reverse("reviews:ranking", kwargs={"call_id": reviewed.pk}),
        reverse("proposals:manage_detail", kwargs={"pk": webinar.proposal_id}),
        reverse("outbox:list"),
    ]
    found = [v for url in urls for v in violations(page, url)]
    assert not found, "\n\n".join(found)


def test_host_pages(page, demo):
    log_in(page, "host@example.org", PASSWORD)
    webinar = demo["webinar"]
    urls = [
        reverse("core:dashboard"),
        reverse("proposals:mine"),
        reverse("selection:host", kwargs={"proposal_id": webinar.proposal_id}),
        webinar.get_absolute_url(),
    ]
    found = [v for url in urls for v in violations(page, url)]
    assert not found, "\n\n".join(found)


def test_member_and_reviewer_pages(page, demo):
    log_in(page, "member@example.org", PASSWORD)
    found = violations(page, reverse("proposals:new", kwargs={"call_id": demo["open"].pk}))
    page.context.clear_cookies()
    log_in(page, "reviewer@example.org", PASSWORD)
    found += violations(page, reverse("reviews:mine"))
    assert not found, "\n\n".join(found)
