"""A member's proposal from draft to withdrawal, in Chromium, with the confirmation e-mail
delivered to a real SMTP server and a co-submitting organisation confirming."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from deepdive.accounts.models import User
from deepdive.demo.operations import load_demo
from deepdive.directory.models import Affiliation, Organisation
from deepdive.proposals.models import Proposal
from deepdive.series.models import Call
from tests.outbox.conftest import point_delivery_at, smtp_server  # noqa: F401

from .conftest import log_in

PASSWORD = "demo-pass-123"
CO_SUBMITTER = "ana@andes-coffee.example.org"


@pytest.fixture
def demo(page):
    load_demo(password=PASSWORD)
    user = User.objects.create_user(email=CO_SUBMITTER, password=PASSWORD, name="Ana Quispe")
    EmailAddress.objects.create(user=user, email=CO_SUBMITTER, verified=True, primary=True)
    Affiliation.objects.create(
        user=user,
        organisation=Organisation.objects.get(name="Andes Coffee Growers' Federation"),
        status=Affiliation.Status.VERIFIED,
    )
    return Call.objects.get(slug__startswith="call-")  # the demo's open call


@pytest.fixture
def smtp(settings, smtp_server):  # noqa: F811
    """The live server's outbox delivers to a real SMTP server on 127.0.0.1."""
    point_delivery_at(settings, smtp_server.port)
    return smtp_server.handler


def test_a_member_drafts_submits_edits_and_withdraws_a_joint_proposal(
    page, browser, live_server, demo, smtp, screenshot
):
    call = demo
    log_in(page, "member@example.org", PASSWORD)
    page.goto(f"/calls/{call.pk}/propose/")
    expect(page.get_by_role("heading", name="Propose a webinar")).to_be_visible()
    expect(page.get_by_label("Contact person")).to_have_value("Malik Member")

    page.get_by_label("Tentative title").fill("Living wages on Malawi's tea estates")
    page.get_by_role("group", name=re.compile("^Co-submitting organisations")).get_by_label(
        "Andes Coffee Growers' Federation (ACGF)", exact=True
    ).check()
    page.get_by_label("Organisations not in the directory").fill("Tea Estate Trust")
    page.get_by_role("group", name=re.compile("^Outcomes")).get_by_label(
        re.compile(r"Outcome 1\.")
    ).check()
    page.get_by_role("group", name=re.compile("^Themes")).get_by_label(
        re.compile("child labour", re.I)
    ).check()
    page.get_by_role("group", name=re.compile("^Countries of action")).get_by_label(
        "Malawi (Pathfinder Country)", exact=True
    ).check()
    description = page.get_by_label("Description of the session")
    description.fill("How unions and tea buyers raise wages to end child labour.")
    expect(page.locator("#description-count")).to_have_text("11 of 250 words")
    description.fill(" ".join(["word"] * 251))
    expect(page.locator("#description-count")).to_have_text("251 of 250 words")
    expect(page.locator("#description-count")).to_have_class(re.compile("over"))
    description.fill("How unions and tea buyers raise wages to end child labour.")
    speaker = page.get_by_role("group", name="Speaker 1")
    speaker.get_by_label("Name").fill("Grace Banda")
    speaker.get_by_label("Title or role").fill("Researcher")
    speaker.get_by_label("Gender (optional)").select_option(label="woman")
    page.get_by_role("button", name="Add a speaker").click()
    page.get_by_role("group", name="Speaker 2").get_by_label("Name").fill("Joseph Phiri")

    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot("proposal-form-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("proposal-form-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    proposal = Proposal.objects.get(pk=int(page.url.rstrip("/").split("/")[-2]))
    assert page.url.endswith(f"/proposals/{proposal.pk}/edit/")
    assert proposal.status == "draft" and proposal.includes_pathfinder
    assert [s.name for s in proposal.speakers.all()] == ["Grace Banda", "Joseph Phiri"]

    # Autosave while typing.
    page.get_by_label("Dates the hosts cannot do").fill("Any Friday")
    expect(page.locator("#autosave-status")).to_have_text(
        re.compile(r"Draft saved at \d\d:\d\d"), timeout=15_000
    )
    proposal.refresh_from_db()
    assert (proposal.unavailable_dates, proposal.version) == ("Any Friday", 2)

    page.get_by_role("button", name="Submit proposal").click()
    expect(page.get_by_text("Your proposal is submitted")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == "submitted"

    # The confirmation reached the SMTP server, with a copy and the edit link.
    confirmations = [m for m in smtp.messages if m["To"] == "member@example.org"]
    assert len(confirmations) == 1
    text = next(
        p.get_payload(decode=True).decode()
        for p in confirmations[0].walk()
        if p.get_content_type() == "text/plain"
    )
    assert "Grace Banda" in text and f"/proposals/{proposal.pk}/edit/" in text
    [invitation] = [m for m in smtp.messages if m["To"] == CO_SUBMITTER]
    assert "asks your organisation to propose a webinar jointly" in " ".join(
        invitation["Subject"].split()
    )

    # Edit and save: it stays submitted.
    page.get_by_role("link", name="Edit the proposal").click()
    page.get_by_label("Tentative title").fill("Living wages on tea estates in Malawi")
    page.get_by_role("button", name="Save changes").click()
    expect(
        page.get_by_role("heading", name="Living wages on tea estates in Malawi")
    ).to_be_visible()

    # The co-submitting organisation's contact confirms.
    other = browser.new_context(base_url=live_server.url, locale="en-GB")
    co_page = other.new_page()
    log_in(co_page, CO_SUBMITTER, PASSWORD)
    co_page.goto("/proposals/")
    co_page.get_by_role("link", name="Living wages on tea estates in Malawi").click()
    co_page.get_by_role("button", name=re.compile("^Confirm")).click()
    expect(co_page.get_by_text("is marked as confirmed")).to_be_visible()
    other.close()

    page.reload()
    expect(page.get_by_text("A joint proposal")).to_be_visible()
    expect(page.locator(".badge", has_text="confirmed")).to_have_count(1)

    # Withdraw.
    page.get_by_role("link", name="Withdraw").click()
    page.get_by_role("button", name="Withdraw the proposal").click()
    expect(page.get_by_text("The proposal is withdrawn")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
