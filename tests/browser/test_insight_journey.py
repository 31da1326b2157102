"""Issue 15's "Done when", on the demo data, in Chromium: the secretariat finds the reports on
the management home and opens the workplan coverage, the diversity and the participation of
the demo series, each with its charts (SVG with a title and a description) and data tables;
reads them again in French and in Spanish after choosing the language as a person does;
downloads each as XLSX and opens it. Then anyone reads the API's documentation from the footer
and the programme through the API. Each page passes axe-core; screenshots at 375 px go to
``var/screenshots`` (``DEEPDIVE_SCREENSHOTS``) for a person to look at."""

import re
from datetime import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from playwright.sync_api import expect

from deepdive.demo.operations import load_demo
from deepdive.reference.models import Output
from deepdive.series.models import Series
from deepdive.webinars.models import Attendance, Webinar
from deepdive.webinars.queries import published

from .conftest import log_in

PASSWORD = "demo-pass-123"
SECRETARIAT = "secretariat@example.org"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
LANGUAGES = {"fr": "Français", "es": "Español"}  # as the chooser names them
FEWER = "fewer than 5"
# The reports the journey opens: their address, heading, first chart and file name.
REPORTS = (
    (
        "coverage",
        "Workplan coverage of “%(series)s”",
        "Webinars per workplan Output",
        "workplan-coverage",
    ),
    ("diversity", "Diversity of “%(series)s”", "Partner types", "diversity"),
    ("participation", "Participation in “%(series)s”", "Per webinar", "participation"),
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def series(page):
    load_demo(password=PASSWORD)
    return Series.objects.get(slug="supply-chains-deep-dive")


def reads_well(page, screenshot, name: str) -> None:
    """axe-core finds nothing; at 375 px nothing scrolls sideways; a screenshot to look at."""
    result = Axe().run(page, options=WCAG)
    assert not result.violations_count, result.generate_report()
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(name)
    assert width <= PHONE["width"], f"{name}: the page is {width} px wide"
    page.set_viewport_size(DESKTOP)


def said(language: str, text: str, **values: str) -> str:
    """``text`` in ``language`` as the site's catalogue has it, its placeholders filled."""
    with translation.override(language):
        return gettext(text) % values if values else gettext(text)


def in_words(language: str, text: str) -> str:
    """``text`` in ``language``; the catalogue must have it (not the English again)."""
    translated = said(language, text)
    assert translated != text, f"{text!r} has no {language} translation"
    return translated


def figure(cell: str) -> int | None:
    """A count as the page shows it: its number, or None for a hidden or empty one."""
    cell = cell.strip()
    return int(cell) if cell.isdigit() else None


def gaps_of(series: Series) -> list[Output]:
    """Outputs of the series' workplan that no webinar of the series serves (cancelled ones
    do not count): computed here, not by the report."""
    outputs = Output.objects.filter(outcome__action_group=series.action_group)
    served = Webinar.objects.filter(proposal__call__series=series).exclude(
        state=Webinar.State.CANCELLED
    )
    return [o for o in outputs if not o.webinars.filter(pk__in=served).exists()]


def open_report(page, link: str) -> None:
    """From the management home's "Reports" card, as a person finds it."""
    page.goto("/manage/")
    reports = page.locator("section").filter(
        has=page.get_by_role("heading", name="Reports", exact=True)
    )
    # The first chart of a server process loads matplotlib's fonts: allow it time.
    with page.expect_navigation(timeout=60_000):
        reports.get_by_role("link", name=link, exact=True).click()


def chart_and_table(page, title: str) -> None:
    # Named by its title, then its description (aria-labelledby both, as the SVG advice has it).
    chart = page.get_by_role("img", name=re.compile("^" + re.escape(title) + " "))
    expect(chart).to_be_visible()
    assert chart.evaluate("svg => svg.tagName.toLowerCase()") == "svg"
    assert chart.locator(":scope > title").text_content().strip() == title
    assert chart.locator(":scope > desc").text_content().strip(), (
        "the chart says in words what it shows"
    )


def test_the_secretariat_reads_and_exports_the_reports_in_three_languages(
    page, live_server, series, screenshot
):
    title = series.text("title")
    log_in(page, SECRETARIAT, PASSWORD)

    # 1. The workplan coverage: its chart, the table beside it, the gaps named.
    open_report(page, f"Workplan coverage: {title}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Workplan coverage of “{title}”")
    chart_and_table(page, "Webinars per workplan Output")
    expect(
        page.get_by_role("table", name="Webinars per workplan Output: the figures")
    ).to_be_visible()
    gaps = gaps_of(series)
    section = page.get_by_role("region", name="Gaps: Outputs no webinar serves")
    if gaps:
        named = section.get_by_role("listitem")
        expect(named).to_have_count(len(gaps))
        for output in gaps:
            expect(named.filter(has_text=str(output))).to_have_count(1)
    else:
        expect(section).to_contain_text("Every Output of the workplan has at least one webinar.")
    matrix = page.get_by_role("table", name="Outcomes and Outputs against the webinars")
    linked = Webinar.objects.filter(proposal__call__series=series, outputs__isnull=False)
    assert linked.exists(), "the demo links webinars to Outputs"
    expect(matrix.get_by_role("link", name=linked.first().title).first).to_be_visible()
    reads_well(page, screenshot, "insight-journey-coverage-375")

    # 2. The diversity, the same way.
    open_report(page, f"Diversity: {title}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Diversity of “{title}”")
    chart_and_table(page, "Partner types")
    expect(page.get_by_role("table", name="Partner types: the figures")).to_be_visible()
    reads_well(page, screenshot, "insight-journey-diversity-375")

    # ... and the participation: registrations and attendance per webinar.
    open_report(page, f"Participation: {title}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Participation in “{title}”")
    chart_and_table(page, "Per webinar")
    per_webinar = page.get_by_role("table", name="Per webinar", exact=True)
    rows = per_webinar.locator("tbody tr")
    expect(rows.first).to_be_visible()
    figures = []
    for n in range(rows.count()):
        row = rows.nth(n)
        webinar = row.get_by_role("rowheader").inner_text()
        registered, attended = (c.inner_text() for c in row.get_by_role("cell").all())
        for shown in (registered, attended):
            assert shown.strip().isdigit() or shown.strip() == FEWER, (webinar, shown)
        figures.append((webinar, figure(registered), figure(attended)))
    assert any(registered and registered >= 5 for _w, registered, _a in figures), figures
    # The demo imports its held webinars' attendance: someone came to one of them, as shown.
    assert Attendance.objects.exists(), "the demo imports attendance"
    assert any(attended and attended >= 5 for _w, _r, attended in figures), figures
    reads_well(page, screenshot, "insight-journey-participation-375")

    # 3. In French, then in Spanish, as chosen in the site's language chooser.
    chooser, change = "Language", "Change"
    for language, name in LANGUAGES.items():
        page.goto("/manage/")
        page.get_by_label(chooser, exact=True).select_option(label=name)
        page.get_by_role("button", name=change, exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        chooser, change = said(language, "Language"), said(language, "Change")
        heading = in_words(language, "Reports")
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        local_title = series.text("title", language)
        for key, h1, chart, _file in REPORTS:
            page.goto(f"/manage/insight/series/{series.slug}/{key}/", timeout=60_000)
            expect(page.locator("html")).to_have_attribute("lang", language)
            expect(page.get_by_role("heading", level=1)).to_have_text(
                in_words(language, h1) % {"series": local_title}
            )
            chart_and_table(page, in_words(language, chart))
            reads_well(page, screenshot, f"insight-journey-{key}-{language}-375")

    # Back to English for the files.
    page.get_by_label(chooser, exact=True).select_option(label="English")
    page.get_by_role("button", name=change, exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # 4. Each report as XLSX: a first sheet about it, then its figures as numbers.
    for key, h1, _chart, file_name in REPORTS:
        page.goto(f"/manage/insight/series/{series.slug}/{key}/", timeout=60_000)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download as a spreadsheet (XLSX)").click()
        assert download.value.suggested_filename == f"{series.slug}-{file_name}.xlsx"
        with open(download.value.path(), "rb") as handle:  # the saved file has no extension
            book = load_workbook(handle)
        about = book.worksheets[0]
        assert about.title == "About"
        facts = {row[0]: row[1] for row in about.iter_rows(values_only=True) if row and row[0]}
        assert facts[h1 % {"series": title}] is None  # the title, alone on its line
        assert facts["Source"].startswith("Deep Dive")
        assert facts["Series"] == title
        assert facts["Call"] == "every call"
        assert (facts["From"], facts["Until"]) == ("the first webinar", "the last webinar")
        assert isinstance(facts["Made on (UTC)"], datetime)  # a date, not text
        assert "fewer than 5" in facts["Suppression"]
        numbers = [
            value
            for sheet in book.worksheets[1:]
            for row in sheet.iter_rows(min_row=2, values_only=True)
            for value in row[1:]
            if isinstance(value, int)
        ]
        assert numbers and any(n > 0 for n in numbers), key
        assert not any(
            isinstance(value, str) and value.isdigit()
            for sheet in book.worksheets[1:]
            for row in sheet.iter_rows(min_row=2, values_only=True)
            for value in row[1:]
        ), f"{key}: a number written as text"


def test_anyone_reads_the_api_documentation_and_the_programme(page, series, screenshot):
    # Not signed in: the documentation from the footer of the home page.
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Public API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Public API")
    expect(page.get_by_role("heading", name="Webinars", exact=True)).to_be_visible()
    reads_well(page, screenshot, "insight-journey-api-docs-375")

    # The programme through the API, page after page: the demo's published webinars.
    titles: set[str] = set()
    address = "/api/webinars/"
    while address:
        response = page.request.get(address)
        assert response.ok, address
        assert response.headers["content-type"].startswith("application/json")
        answer = response.json()
        titles |= {webinar["title"] for webinar in answer["results"]}
        address = answer["next"]
    expected = {webinar.title for webinar in published()}
    assert expected, "the demo publishes webinars"
    assert titles == expected
