"""An invitation campaign in Chromium: the secretariat invites all members of the Supply Chains
Action Group to a webinar, sees how many people that is, drafts, sends at a set pace and
watches the progress; each page passes axe-core and reads at 375 px."""

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from deepdive.accounts.models import User
from deepdive.communications.models import Campaign
from deepdive.directory.models import Affiliation
from deepdive.outbox.models import OutboxMessage
from deepdive.reference.models import ActionGroup
from tests.accounts.factories import OrganisationFactory
from tests.webinars.factories import ProposalFactory, PublishedWebinarFactory

from .conftest import log_in

SECRETARIAT = "secretariat.campaign@example.org"
PASSWORD = "campaign-browser-password"
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
    webinar = PublishedWebinarFactory(
        proposal=ProposalFactory(title="Due diligence in cocoa supply chains")
    )
    chains = ActionGroup.objects.get(code="supply_chains")
    for n, (name, language) in enumerate(
        [("Kwame Mensah", "en"), ("Élodie Martin", "fr"), ("Lucía Pérez", "es")]
    ):
        organisation = OrganisationFactory(name=f"Supply chains partner {n}")
        organisation.action_groups.add(chains)
        member = person(f"member{n}@chains.example", name, language=language)
        Affiliation.objects.create(
            user=member, organisation=organisation, status=Affiliation.Status.VERIFIED
        )
    outsider = person("outsider@elsewhere.example", "Not In The Group")
    Affiliation.objects.create(
        user=outsider, organisation=OrganisationFactory(), status=Affiliation.Status.VERIFIED
    )
    person(SECRETARIAT, "Sam Secretariat", is_secretariat=True)
    return webinar


def no_axe_violations(page, *, skip_meta_refresh: bool = False) -> None:
    options = {**WCAG, "rules": {"meta-refresh": {"enabled": False}}} if skip_meta_refresh else WCAG
    result = Axe().run(page, options=options)
    assert not result.violations_count, result.generate_report()


def progress_of(page, row: str) -> str:
    header = page.get_by_role("rowheader", name=row, exact=True)
    return page.get_by_role("row").filter(has=header).get_by_role("cell").inner_text()


def test_the_secretariat_invites_the_supply_chains_action_group(page, webinar, screenshot):
    series = webinar.call.series
    log_in(page, SECRETARIAT, PASSWORD)
    page.goto("/manage/series/")
    page.get_by_role("link", name=f"Invitations to {series.title}").click()
    expect(page.get_by_role("heading", name=f"Invitations of {series.title}")).to_be_visible()
    no_axe_violations(page)

    page.get_by_label("Invitation to").select_option(str(webinar.pk))
    page.get_by_label("Who").select_option(label="The members of one Action Group")
    page.get_by_role("button", name="Count the people").click()
    expect(page.get_by_text("Choose one here for this audience.")).to_be_visible()
    expect(page.get_by_label("Who")).to_have_value("action_group")  # kept what was chosen

    page.get_by_label("Action Group").select_option(label="Supply Chains")
    page.get_by_label("Messages a minute").fill("2")
    page.get_by_role("button", name="Count the people").click()
    expect(page.get_by_role("heading", name="3 people in this audience")).to_be_visible()
    expect(page.get_by_text("The members of one Action Group: Supply Chains")).to_be_visible()
    assert not Campaign.objects.exists()  # counting drafts nothing
    no_axe_violations(page)
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot("campaign-count-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("button", name="Draft 3 invitations").click()
    expect(page.get_by_text("3 invitations drafted")).to_be_visible()
    assert progress_of(page, "Waiting to be sent") == "3"
    campaign = Campaign.objects.get()
    assert sorted(
        OutboxMessage.objects.filter(batch=campaign.batch).values_list("to_email", "language")
    ) == [
        ("member0@chains.example", "en"),
        ("member1@chains.example", "fr"),
        ("member2@chains.example", "es"),
    ]

    page.get_by_role("button", name="Send 3 invitations").click()
    expect(page.get_by_text("Sending: 2 invitations a minute")).to_be_visible()
    assert progress_of(page, "Waiting to be sent") == "1"  # the rest leaves next minute
    assert progress_of(page, "Sent") == "2"
    assert page.locator('meta[http-equiv="refresh"]').count() == 1
    # The refresh is what the brief asks for; WCAG 2.2.1 holds as the person can stop it
    # (axe's meta-refresh rule cannot see the link), so that one rule is left out here...
    no_axe_violations(page, skip_meta_refresh=True)
    page.get_by_role("link", name="Stop refreshing").click()
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    no_axe_violations(page)  # ... and the page without it passes every rule
    expect(page.get_by_role("link", name="Follow the progress")).to_be_visible()

    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("Paused: no more invitations leave")).to_be_visible()
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot("campaign-progress-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
