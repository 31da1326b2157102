"""The page shell in Chromium: one load on a first visit (the times are redrawn in the
browser's zone in place), no Content-Security-Policy violation, light first visits, and the
webinar page on a 375 px phone."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, UserFactory
from tests.directory.factories import OrganisationFactory

from .conftest import SCREENSHOTS, log_in
from .test_programme import programme  # noqa: F401  (the fixture)

BUDGET = 60 * 1024
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def reader(browser, live_server, zone: str, **options):
    context = browser.new_context(
        base_url=live_server.url, timezone_id=zone, locale="en-GB", **options
    )
    context.set_default_timeout(10_000)
    return context


def documents_loaded(page, url: str) -> list[str]:
    """The documents the browser requested while opening ``url`` (a reload would be two)."""
    documents = []
    page.on(
        "request",
        lambda request: (
            documents.append(request.url) if request.resource_type == "document" else None
        ),
    )
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    return documents


def test_a_first_visit_loads_the_programme_once_in_the_browsers_zone(
    browser,
    live_server,
    programme,  # noqa: F811
):
    series, cocoa, fishing = programme
    context = reader(browser, live_server, "Asia/Kathmandu")
    page = context.new_page()
    try:
        assert len(documents_loaded(page, series.get_absolute_url())) == 1
        expect(page.locator("#timezone-note")).to_contain_text(re.compile("Asia/Kath?mandu"))
        card = page.locator("article").filter(has_text=cocoa.title)
        expect(card).to_contain_text("Tue 12 Jan")
        expect(card).to_contain_text("18:45–19:45")
        expect(card).to_contain_text(re.compile(r"Your time: Asia/Kath?mandu, UTC\+05:45"))
        expect(card).to_contain_text("In Europe/Paris: ")
        assert any(c["name"] == "deepdive_tz" for c in context.cookies())
    finally:
        context.close()


def test_a_first_visit_to_a_webinar_page_marks_the_readers_row_without_a_reload(
    browser,
    live_server,
    programme,  # noqa: F811
):
    series, cocoa, fishing = programme
    context = reader(browser, live_server, "America/Mexico_City")
    page = context.new_page()
    try:
        assert len(documents_loaded(page, cocoa.get_absolute_url())) == 1
        when = page.get_by_role("region", name="When")
        expect(when.locator(".webinar-hours")).to_have_text("07:00–08:00")
        expect(when).to_contain_text("In your time zone, America/Mexico City (UTC-06:00)")
        table = page.get_by_role("table", name=re.compile("The webinar's time in its audience"))
        mine = table.locator("tr.is-reader")
        expect(mine).to_have_count(1)
        expect(mine).to_contain_text("America/Mexico City")
        expect(mine).to_contain_text("07:00–08:00")
        expect(mine).to_contain_text("your time zone")
        # west to east: Mexico City comes first; Fiji is on the next day from there
        expect(table.locator("tbody tr").first).to_have_class(re.compile("is-reader"))
        expect(table.locator("tbody tr").filter(has_text="Pacific/Fiji")).to_contain_text(
            "next day"
        )
    finally:
        context.close()


def test_no_content_security_policy_violation_on_the_main_pages(
    browser,
    live_server,
    programme,  # noqa: F811
):
    series, cocoa, fishing = programme
    OrganisationFactory(name="Cocoa Research Centre")
    context = reader(browser, live_server, "Europe/Paris")
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    reported = []
    page.on(
        "console",
        lambda message: (
            reported.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    public = [
        "/",
        reverse("directory:list"),
        series.get_absolute_url(),
        series.calls.first().get_absolute_url(),
        cocoa.get_absolute_url(),
        "/accounts/login/",
        "/accounts/signup/",
        "/no/such/page/",
    ]
    try:
        for url in public:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            reported += [f"{url}: {v}" for v in page.evaluate("window.__csp")]
        UserFactory(email="reader@example.org", verified_email=True)
        log_in(page, "reader@example.org", PASSWORD)
        for url in [
            reverse("core:dashboard"),
            reverse("accounts:profile"),
            cocoa.get_absolute_url(),
        ]:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            reported += [f"{url}: {v}" for v in page.evaluate("window.__csp")]
    finally:
        context.close()
    assert reported == []


def transferred(context, url: str) -> int:
    """Bytes received (headers and bodies, compressed as served) opening ``url`` with an empty
    cache: the page, its styles, scripts and images."""
    page = context.new_page()
    sizes = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()))
    response = page.goto(url)
    assert response is not None and response.ok, url
    page.wait_for_load_state("networkidle")
    page.close()
    return sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)


def test_first_visits_to_public_pages_stay_under_60_kb(
    browser,
    live_server,
    programme,  # noqa: F811
):
    series, cocoa, fishing = programme
    for number in range(30):
        OrganisationFactory(name=f"Partner organisation {number:02d}")
    urls = [
        "/",
        series.get_absolute_url(),
        cocoa.get_absolute_url(),
        series.calls.first().get_absolute_url(),
        reverse("directory:list"),
    ]
    heavy = {}
    for url in urls:
        context = reader(browser, live_server, "Asia/Kathmandu")  # a new context: empty cache
        try:
            size = transferred(context, url)
        finally:
            context.close()
        if size >= BUDGET:
            heavy[url] = size
    assert heavy == {}


def test_on_a_375_px_phone_the_time_table_fits_and_the_heading_clears_the_header(
    browser,
    live_server,
    programme,  # noqa: F811
):
    series, cocoa, fishing = programme
    context = reader(browser, live_server, "Asia/Kathmandu", viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        page.goto(cocoa.get_absolute_url())
        table = page.locator("table.webinar-convert")
        expect(table.locator("tr.is-reader")).to_contain_text("18:45–19:45")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "webinar-375.png"), full_page=True)
        fits = table.evaluate(
            "t => [t.scrollWidth, t.parentElement.clientWidth,"
            " document.documentElement.scrollWidth]"
        )
        assert fits[0] <= fits[1] and fits[2] <= 375, fits
        # the end time of each row is inside the screen
        for box in table.locator("td.convert-time").evaluate_all(
            "cells => cells.map(c => c.getBoundingClientRect().right)"
        ):
            assert box <= 375
        header = page.locator("header.site-header").bounding_box()
        heading = page.get_by_role("heading", level=1).bounding_box()
        assert heading["y"] >= header["y"] + header["height"] + 12, (header, heading)
        for url in ["/", series.get_absolute_url(), reverse("directory:list")]:
            page.goto(url)
            header = page.locator("header.site-header").bounding_box()
            heading = page.get_by_role("heading", level=1).bounding_box()
            assert heading["y"] >= header["y"] + header["height"] + 12, (url, header, heading)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
        page.goto(series.get_absolute_url())
        page.screenshot(path=str(SCREENSHOTS / "series-375.png"))
    finally:
        context.close()
