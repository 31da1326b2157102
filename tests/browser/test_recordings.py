"""A host adds a held webinar's recording with SRT captions, the secretariat publishes it, and
an anonymous reader sees the click-to-load player: nothing is requested from YouTube until
the click (then the requests are blocked, so the test needs no network), the transcript, and
the library listing and filtering it. The pages pass axe-core and read at 375 px."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from deepdive.accounts.models import User
from deepdive.webinars.models import Recording, RecordingPlays, Speaker, Webinar
from tests.webinars.factories import ProposalFactory, PublishedWebinarFactory

from .conftest import log_in

HOST = "host.recording@example.org"
SECRETARIAT = "secretariat.recording@example.org"
PASSWORD = "recording-browser-password"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
THIRD_PARTIES = re.compile(r"(youtube|youtube-nocookie|ytimg|googlevideo|vimeo|vimeocdn)\.")
SRT = (
    b"1\n00:00:01,000 --> 00:00:04,000\nWelcome to the webinar on cocoa.\n\n"
    b"2\n00:00:05,000 --> 00:00:08,000\nToday: child labour & supply chains.\n"
)


def person(email: str, name: str, **kwargs) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, name=name, **kwargs)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def webinar(reference_data):
    host = person(HOST, "Hana Host")
    person(SECRETARIAT, "Sam Secretariat", is_secretariat=True)
    start = timezone.now() - timedelta(days=5)
    webinar = PublishedWebinarFactory(
        proposal=ProposalFactory(title="Cocoa and child labour", created_by=host),
        starts_at=start,
        planned_start=start,
        state=Webinar.State.HELD,
    )
    Speaker.objects.create(webinar=webinar, name="Aïssata Koné", consents_to_recording=True)
    return webinar


def no_axe_violations(page) -> None:
    result = Axe().run(page, options=WCAG)
    assert not result.violations_count, result.generate_report()


def at_375(page, screenshot, name: str) -> None:
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(name)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_recording_added_published_and_played_only_after_the_click(page, webinar, screenshot):
    # The host adds the recording and its SRT captions from the webinar's page.
    log_in(page, HOST, PASSWORD)
    page.goto(f"/webinars/{webinar.pk}/")
    page.get_by_role("link", name="Add or publish the recording").click()
    page.get_by_label("Address of the recording").fill("https://www.example.org/our-talk")
    page.get_by_label("Language of the recording").select_option("en")
    page.get_by_role("button", name="Save the recording").click()
    expect(page.get_by_text("This is not the address of a video")).to_be_visible()
    expect(page.get_by_label("Address of the recording")).to_have_value(
        "https://www.example.org/our-talk"
    )
    page.get_by_label("Address of the recording").fill("https://youtu.be/dQw4w9WgXcQ")
    page.get_by_role("button", name="Save the recording").click()
    expect(page.get_by_role("heading", name="Recording in English")).to_be_visible()
    page.get_by_label("Captions file").set_input_files(
        {"name": "cocoa.srt", "mimeType": "application/x-subrip", "buffer": SRT}
    )
    page.get_by_role("button", name="Save the captions").click()
    expect(page.get_by_text("The captions are saved.")).to_be_visible()
    no_axe_violations(page)
    at_375(page, screenshot, "recordings-manage-375")
    page.context.clear_cookies()

    # The secretariat publishes it.
    log_in(page, SECRETARIAT, PASSWORD)
    page.goto(f"/webinars/{webinar.pk}/recordings/")
    page.get_by_role("button", name="Publish the recording").click()
    expect(page.get_by_text("The recording is published.")).to_be_visible()
    assert Recording.objects.get().is_published
    page.context.clear_cookies()

    # An anonymous reader: the player's button, nothing from YouTube before the click.
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"/webinars/{webinar.pk}/")
    button = page.get_by_role("link", name=re.compile(r"Play the recording \(loads from YouTube\)"))
    expect(button).to_be_visible()
    recording = Recording.objects.get()
    expect(button).to_have_attribute("href", f"/webinars/recordings/{recording.pk}/play/")
    expect(page.locator("iframe")).to_have_count(0)
    no_axe_violations(page)
    at_375(page, screenshot, "recording-player-375")
    assert not [url for url in requested if THIRD_PARTIES.search(url)]

    blocked: list[str] = []

    def block(route) -> None:
        blocked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<p>player</p>")

    page.route(THIRD_PARTIES, block)
    # The click is counted by the player's beacon, once, and loads the player in the page.
    with page.expect_response(
        lambda response: response.url.endswith("/play/") and response.request.method == "POST"
    ) as beacon:
        button.click()
    assert beacon.value.status == 204
    assert list(RecordingPlays.objects.values_list("count", flat=True)) == [1]
    frame = page.locator("iframe")
    expect(frame).to_have_attribute(
        "src", re.compile(r"^https://www\.youtube-nocookie\.com/embed/dQw4w9WgXcQ")
    )
    expect(frame).to_have_attribute("title", re.compile("Recording of “Cocoa and child labour”"))
    assert blocked and all("youtube-nocookie.com" in url for url in blocked)

    # The transcript, made of the captions.
    page.get_by_role("link", name="transcript in English").click()
    expect(
        page.get_by_role("heading", name="Transcript of “Cocoa and child labour”")
    ).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="0:05")).to_contain_text(
        "Today: child labour & supply chains."
    )
    no_axe_violations(page)

    # The library lists it, and filters it by language.
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Library").click()
    expect(page.get_by_role("link", name="Cocoa and child labour")).to_be_visible()
    search = page.get_by_role("search", name="Search the library")
    search.get_by_label("Language:", exact=True).select_option("fr")
    page.get_by_role("button", name="Search").click()
    assert "language=fr" in page.url
    expect(page.get_by_text("Nothing in the library matches this search.")).to_be_visible()
    search.get_by_label("Language:", exact=True).select_option("en")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Cocoa and child labour")).to_be_visible()
    no_axe_violations(page)
    at_375(page, screenshot, "library-375")
    assert not [url for url in requested if THIRD_PARTIES.search(url) and url not in blocked]
