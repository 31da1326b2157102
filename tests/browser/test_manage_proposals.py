"""The secretariat goes through a call's proposals in Chromium: filters, sorts, opens one
with its history and downloads the XLSX."""

import io
import re

import pytest
from allauth.account.models import EmailAddress
from openpyxl import load_workbook
from playwright.sync_api import expect

from deepdive.accounts.models import User
from deepdive.core import audit
from deepdive.proposals.models import CoSubmitter, Speaker
from tests.proposals.factories import (
    CallFactory,
    CoSubmitterFactory,
    OrganisationFactory,
    ProposalFactory,
    SpeakerFactory,
)

from .conftest import log_in

PASSWORD = "a-Long-pass-2027"


@pytest.fixture
def secretariat(page):
    user = User.objects.create_user(
        email="secretariat@example.org",
        password=PASSWORD,
        name="Sara Secretariat",
        timezone="Europe/Paris",
        is_secretariat=True,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def call(page):
    call = CallFactory(title="Call for proposals 2027")
    cocoa = ProposalFactory(
        call=call,
        title="Remediation in cocoa",
        description="Community monitoring of child labour with cooperatives in Ghana.",
        lead_organisation=OrganisationFactory(name="Cocoa Workers' Union", acronym="CWU"),
        themes=["child_labour"],
        sectors=["cocoa"],
        outcomes=[1],
        countries=["GH"],
        includes_pathfinder=True,
    )
    CoSubmitterFactory(proposal=cocoa, organisation=OrganisationFactory(name="Choco Buyers Ltd"))
    CoSubmitterFactory(
        proposal=cocoa,
        organisation=None,
        unlisted_name="Village Savings Group",
        status=CoSubmitter.Status.UNLISTED,
    )
    SpeakerFactory(
        proposal=cocoa,
        name="Amina Diallo",
        role="Researcher",
        organisation="University of Ghana",
        gender=Speaker.Gender.WOMAN,
    )
    alone = ProposalFactory(
        call=call,
        title="Artisanal mining and children",
        description="A study of child labour in artisanal gold mining in Peru.",
        lead_organisation=OrganisationFactory(name="Andes Research Centre"),
        themes=["child_labour"],
        sectors=["mining"],
        outcomes=[2],
    )
    pending = ProposalFactory(
        call=call,
        title="Abuse on fishing vessels",
        description="Forced labour among migrant fishers: port inspections and unions.",
        lead_organisation=OrganisationFactory(name="Seafarers Network"),
        themes=["forced_labour"],
        sectors=["fishing"],
    )
    CoSubmitterFactory(
        proposal=pending,
        organisation=OrganisationFactory(name="Harbour Employers"),
        status=CoSubmitter.Status.PENDING,
    )
    ProposalFactory(
        call=call,
        title="Remediation in cocoa farms",
        description="Community monitoring of child labour with cooperatives in Ghana.",
        lead_organisation=OrganisationFactory(name="Cocoa Farmers Alliance"),
        themes=["child_labour"],
        status="draft",
        submitted_at=None,
    )
    audit.record(
        actor=cocoa.created_by,
        action="proposal.update",
        subject=cocoa,
        summary="Proposal edited",
        changes={"title": ["Remediation", "Remediation in cocoa"]},
    )
    assert alone
    return call


def test_secretariat_filters_sorts_opens_and_exports(page, secretariat, call, screenshot):
    log_in(page, "secretariat@example.org", PASSWORD)
    page.goto(f"/manage/calls/{call.pk}/proposals/")
    expect(page.get_by_role("heading", name="Proposals: Call for proposals 2027")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(5)
    expect(table.get_by_text("Village Savings Group")).to_be_visible()
    expect(table.get_by_text("not in the directory")).to_be_visible()
    expect(table.get_by_text("Similar to").first).to_be_visible()
    screenshot("manage-proposals-table")

    # Filter: child labour, joint only.
    page.get_by_text("More filters").click()
    page.get_by_role("group", name="Theme").get_by_label("Child labour").check()
    page.get_by_label("Joint proposal").select_option("yes")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"joint=yes.*theme=child_labour"))
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table.get_by_role("link", name="Remediation in cocoa", exact=True)).to_be_visible()

    # Back to child labour only, sorted by title, both ways, keeping the filter.
    page.get_by_label("Joint proposal").select_option("")
    page.get_by_role("button", name="Apply").click()
    expect(table.get_by_role("row")).to_have_count(4)
    page.get_by_role("link", name="Title").click()
    expect(page).to_have_url(re.compile(r"theme=child_labour&sort=title"))
    expect(page.get_by_role("columnheader", name="Title")).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(table.get_by_role("rowheader")).to_have_text(
        ["Artisanal mining and children", "Remediation in cocoa", "Remediation in cocoa farms"]
    )
    page.get_by_role("link", name="Title").click()
    expect(table.get_by_role("rowheader")).to_have_text(
        ["Remediation in cocoa farms", "Remediation in cocoa", "Artisanal mining and children"]
    )
    screenshot("manage-proposals-table-filtered")

    # The XLSX of what is shown.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export these proposals (XLSX)").click()
    download = download_info.value
    assert re.fullmatch(r"proposals-.+-\d{4}-\d{2}-\d{2}\.xlsx", download.suggested_filename)
    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
    header = [cell.value for cell in sheet[1]]
    titles = [row[header.index("title")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == [
        "Remediation in cocoa farms",
        "Remediation in cocoa",
        "Artisanal mining and children",
    ]
    cocoa_row = [c.value for c in sheet[3]]
    assert cocoa_row[header.index("co_submitters")] == (
        "Choco Buyers Ltd (confirmed); Village Savings Group (not in the directory)"
    )
    assert cocoa_row[header.index("speakers")] == (
        "Amina Diallo — Researcher, University of Ghana (woman)"
    )

    # One proposal, its history.
    table.get_by_role("rowheader").get_by_role(
        "link", name="Remediation in cocoa", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Remediation in cocoa", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    history = page.get_by_role("table").filter(has_text="Every change to this proposal")
    expect(history.get_by_text("Proposal edited")).to_be_visible()
    expect(history.get_by_text("Tentative title")).to_be_visible()
    expect(history.locator("del")).to_have_text("Remediation")
    expect(page.get_by_text("looks like another one")).to_be_visible()
    screenshot("manage-proposal-detail")
