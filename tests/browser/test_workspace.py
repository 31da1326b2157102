"""A host prepares their webinar in the workspace in Chromium: the description, an agenda that
first does not add up (the message beside it, what was typed kept), the speakers and the
moderator, the technical set-up and a presentation; submits it as ready; the secretariat
approves it. Each page passes axe-core."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from deepdive.accounts.models import User
from deepdive.directory.models import Affiliation
from deepdive.webinars.models import Material, Webinar
from tests.webinars.factories import ProposalFactory, WebinarFactory
from tests.webinars.test_workspace import pdf_bytes

from .conftest import log_in

HOST = "aissata.host@example.org"
SECRETARIAT = "secretariat.workspace@example.org"
PASSWORD = "workspace-browser-password"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def person(email: str, name: str, **extra) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, name=name, timezone="Africa/Abidjan", **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def webinar(reference_data):
    webinar = WebinarFactory(
        proposal=ProposalFactory(title="Child labour monitoring in cocoa cooperatives"),
        joining_url="",
    )
    host = person(HOST, "Aïssata Koné")
    Affiliation.objects.create(
        user=host,
        organisation=webinar.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    person(SECRETARIAT, "Sam Secretariat", is_secretariat=True)
    return webinar


def no_axe_violations(page) -> None:
    result = Axe().run(page, options=WCAG)
    assert not result.violations_count, result.generate_report()


def group(page, name: str):
    return page.get_by_role("group", name=name, exact=True)


def label(text: str):
    return re.compile(rf"^{re.escape(text)}:?$")


def test_a_host_completes_the_workspace_and_the_secretariat_approves(page, webinar, screenshot):
    log_in(page, HOST, PASSWORD)
    page.goto("/my/")
    page.get_by_role("link", name="workspace").click()
    expect(page.get_by_role("heading", name=f"Workspace: {webinar.title}")).to_be_visible()
    checklist = page.get_by_role("list", name="Readiness checklist")
    expect(checklist).to_contain_text("Add the agenda, with a duration for each item.")
    no_axe_violations(page)

    # The description in English (French and Spanish left missing) and the languages.
    page.get_by_label(label("Public description in English")).fill(
        "How cocoa cooperatives find children at work and help them back to school."
    )
    group(page, "Languages spoken").get_by_label("English").check()
    page.get_by_role("button", name="Save the description and languages").click()
    expect(page.get_by_text("The description and languages are saved.")).to_be_visible()

    # An agenda that does not add up: the message, and what was typed kept.
    group(page, "Agenda item 1").get_by_label(label("Item")).fill("Welcome")
    group(page, "Agenda item 1").get_by_label(label("Minutes")).fill("10")
    group(page, "Agenda item 2").get_by_label(label("Item")).fill("Talks and questions")
    group(page, "Agenda item 2").get_by_label(label("Minutes")).fill("40")
    page.get_by_role("button", name="Save the agenda").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The agenda lasts 50 minutes; the webinar lasts 60. Make them agree."
    )
    expect(group(page, "Agenda item 2").get_by_label(label("Item"))).to_have_value(
        "Talks and questions"
    )
    no_axe_violations(page)
    screenshot("workspace-agenda-error")
    group(page, "Agenda item 2").get_by_label(label("Minutes")).fill("50")
    page.get_by_role("button", name="Save the agenda").click()
    expect(page.get_by_text("The agenda is saved.")).to_be_visible()

    # A speaker and the moderator, both agreeing to be listed.
    first = group(page, "Person 1")
    first.get_by_label(label("Name")).fill("Ama Mensah")
    first.get_by_label(label("Organisation (if not in the directory)")).fill("Cocoa Growers")
    first.get_by_label("Agrees to be listed publicly").check()
    second = group(page, "Person 2")
    second.get_by_label(label("Role")).select_option(label="moderator")
    second.get_by_label(label("Name")).fill("Jean Dupont")
    second.get_by_label("Agrees to be listed publicly").check()
    page.get_by_role("button", name="Save the speakers").click()
    expect(page.get_by_text("The speakers are saved.")).to_be_visible()

    # The technical set-up.
    page.get_by_label(label("Platform")).select_option(label="Zoom")
    page.get_by_label(label("Joining link")).fill("https://zoom.example.org/j/123456")
    page.get_by_label(label("Test call")).fill(
        (timezone.localdate() + timedelta(days=20)).isoformat()
    )
    page.get_by_role("button", name="Save the technical set-up").click()
    expect(page.get_by_text("The technical set-up is saved.")).to_be_visible()

    # A presentation for everyone.
    page.get_by_label(label("Title")).fill("Slides")
    page.get_by_label(label("File")).set_input_files(
        files=[{"name": "slides.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.get_by_label("everyone").check()
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("The file is uploaded.")).to_be_visible()
    expect(page.get_by_role("link", name="Slides")).to_be_visible()

    # Nothing missing: submit.
    expect(page.get_by_role("list", name="Readiness checklist")).not_to_contain_text("missing")
    page.get_by_role("button", name="Submit as ready for publication").click()
    expect(page.get_by_text("Submitted as ready: the secretariat is checking it.")).to_be_visible()
    no_axe_violations(page)
    screenshot("workspace-submitted")

    # The secretariat approves.
    page.context.clear_cookies()
    log_in(page, SECRETARIAT, PASSWORD)
    page.goto(f"/webinars/{webinar.pk}/workspace/")
    page.get_by_role("button", name="Approve: the webinar is ready").click()
    expect(page.get_by_text("The secretariat approved this webinar: it is ready.")).to_be_visible()
    no_axe_violations(page)

    webinar.refresh_from_db()
    assert webinar.state == Webinar.State.READY
    assert webinar.submitted_at is not None and webinar.approved_at is not None
    assert [(a.title, a.minutes) for a in webinar.agenda.all()] == [
        ("Welcome", 10),
        ("Talks and questions", 50),
    ]
    assert Material.objects.get(webinar=webinar).content_type == "application/pdf"


def test_a_host_names_a_speakers_organisation_on_a_phone(page, webinar, screenshot):
    lead = webinar.proposal.lead_organisation
    log_in(page, HOST, PASSWORD)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"/webinars/{webinar.pk}/workspace/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    no_axe_violations(page)
    screenshot("workspace-375")

    first = group(page, "Person 1")
    first.get_by_label(label("Name")).fill("Ama Mensah")
    first.get_by_label(label("Organisation in the directory")).fill("Nowhere Union")
    page.get_by_role("button", name="Save the speakers").click()
    box = group(page, "Person 1").get_by_label(label("Organisation in the directory"))
    expect(box).to_have_value("Nowhere Union")
    expect(group(page, "Person 1")).to_contain_text(
        "This organisation is not in the directory: choose one of the names suggested"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    no_axe_violations(page)
    screenshot("workspace-375-organisation-error")

    box.fill(lead.name)
    page.get_by_role("button", name="Save the speakers").click()
    expect(page.get_by_text("The speakers are saved.")).to_be_visible()
    expect(
        group(page, "Person 1").get_by_label(label("Organisation in the directory"))
    ).to_have_value(str(lead))
    assert webinar.speakers.get().organisation == lead
