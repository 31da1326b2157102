"""The export of a call's proposals: the filtered list, one row per proposal, every field."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from deepdive.proposals.interfaces.exports import COLUMNS
from deepdive.proposals.models import CoSubmitter, Proposal, Speaker

from .factories import (
    CallFactory,
    CoSubmitterFactory,
    OrganisationFactory,
    ProposalFactory,
    SeriesFactory,
    SpeakerFactory,
    UserFactory,
    partner_type,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat_client(client):
    client.force_login(UserFactory(is_secretariat=True))
    return client


@pytest.fixture
def call():
    return CallFactory(series=SeriesFactory(slug="deep-dive-2027"), slug="first-call")


@pytest.fixture
def full(call):
    proposal = ProposalFactory(
        call=call,
        title="Remediation in cocoa",
        description="Monitoring; remediation, and more.",
        lead_organisation=OrganisationFactory(
            name="Cocoa Workers' Union",
            acronym="CWU",
            partner_type=partner_type("workers_organisation"),
        ),
        contact_name="Kofi Mensah",
        contact_email="kofi@example.org",
        themes=["child_labour", "forced_labour"],
        sectors=["cocoa"],
        outcomes=[1, 3],
        countries=["GH", "FR"],
        includes_pathfinder=True,
        language="en",
        interpretation=["fr"],
        preferred_months=[2, 1],
        unavailable_dates="15 to 20 March",
        submitted_at=datetime(2027, 1, 5, 9, 30, tzinfo=UTC),
    )
    CoSubmitterFactory(proposal=proposal, organisation=OrganisationFactory(name="Buyer Ltd"))
    CoSubmitterFactory(
        proposal=proposal,
        organisation=OrganisationFactory(name="Port NGO", acronym="PN"),
        status=CoSubmitter.Status.PENDING,
    )
    CoSubmitterFactory(
        proposal=proposal, organisation=None, unlisted_name="Village Group", status="unlisted"
    )
    SpeakerFactory(
        proposal=proposal,
        name="Amina Diallo",
        role="Researcher",
        organisation="University of Ghana",
        gender=Speaker.Gender.WOMAN,
        order=1,
    )
    SpeakerFactory(proposal=proposal, name="Jo Smith", role="", organisation="", gender="", order=2)
    SpeakerFactory(proposal=proposal, name="Ali Ben", gender=Speaker.Gender.MAN, order=3)
    return proposal


def export(client, call, **params):
    return client.get(reverse("proposals:manage_export", kwargs={"call_id": call.pk}), params)


def test_csv_has_every_field_readable(secretariat_client, call, full):
    ProposalFactory(call=call, title="Other", status=Proposal.Status.DRAFT)
    response = export(secretariat_client, call, format="csv", status="submitted")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="proposals-deep-dive-2027-first-call-'
    )
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    assert len(rows) == 2  # the filter applies: the draft is not there
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["id"] == str(full.pk)
    assert row["status"] == "submitted"
    assert row["description"] == "Monitoring; remediation, and more."
    assert row["lead_organisation"] == "Cocoa Workers' Union"
    assert row["lead_acronym"] == "CWU"
    assert row["lead_partner_type"] == "Workers' organisation"
    assert row["contact_email"] == "kofi@example.org"
    assert row["co_submitters"] == (
        "Buyer Ltd (confirmed); Port NGO (PN) (pending); Village Group (not in the directory)"
    )
    assert row["joint"] == "yes"
    assert row["organisations"] == "4"
    assert row["outcomes"] == "1. Outcome title 1; 3. Outcome title 3"
    assert row["themes"] in ("Child labour; Forced labour", "Forced labour; Child labour")
    assert row["countries"] == "France; Ghana"
    assert row["pathfinder"] == "yes"
    assert row["language"] == "English"
    assert row["interpretation"] == "French"
    assert row["preferred_months"] == "January; February"
    assert row["unavailable_dates"] == "15 to 20 March"
    assert row["speakers"] == (
        "Amina Diallo — Researcher, University of Ghana (woman); Jo Smith; "
        "Ali Ben — Programme officer, Organisation of the speaker (man)"
    )
    assert (row["speakers_count"], row["speakers_women"], row["speakers_men"]) == ("3", "1", "1")
    assert (row["speakers_another"], row["speakers_undisclosed"]) == ("0", "1")
    assert row["submitted_at"] == "2027-01-05T09:30:00Z"
    assert row["created_at"].endswith("Z")
    assert row["withdrawn_at"] == ""
    assert row["version"] == "1"
    assert row["link"] == f"http://testserver/manage/proposals/{full.pk}/"


def test_xlsx_cells(secretariat_client, call, full):
    ProposalFactory(call=call, title="=cmd|' /C calc'!A0", description="@SUM(1+1)")
    alone = ProposalFactory(call=call, title="Alone")
    response = export(secretariat_client, call, format="xlsx", sort="title")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header == COLUMNS
    assert sheet["A1"].value == "id" and sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width == 60  # description
    col = {name: i + 1 for i, name in enumerate(COLUMNS)}
    # Sorted by title: the formula-like one, then "Alone", then "Remediation in cocoa".
    formula = sheet.cell(row=2, column=col["title"])
    assert formula.value == "=cmd|' /C calc'!A0"
    assert formula.data_type == "s"
    assert sheet.cell(row=3, column=col["id"]).value == alone.pk
    assert sheet.cell(row=3, column=col["joint"]).value == "no"
    assert sheet.cell(row=3, column=col["co_submitters"]).value in (None, "")
    assert sheet.cell(row=4, column=col["id"]).value == full.pk
    assert sheet.cell(row=4, column=col["speakers"]).value.startswith(
        "Amina Diallo — Researcher, University of Ghana (woman); Jo Smith; "
    )
    assert sheet.cell(row=4, column=col["co_submitters"]).value == (
        "Buyer Ltd (confirmed); Port NGO (PN) (pending); Village Group (not in the directory)"
    )
    assert sheet.cell(row=4, column=col["speakers_women"]).value == 1
    assert sheet.max_row == 4


def test_export_applies_filters_and_search(secretariat_client, call, full):
    ProposalFactory(call=call, title="Fishing", themes=["forced_labour"])
    response = export(secretariat_client, call, format="csv", q="diallo")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[2] for r in rows[1:]] == ["Remediation in cocoa"]
    response = export(secretariat_client, call, format="csv", theme="forced_labour", joint="no")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[2] for r in rows[1:]] == ["Fishing"]


def test_unknown_format_is_404(secretariat_client, call):
    assert export(secretariat_client, call, format="pdf").status_code == 404


def test_the_table_links_to_the_exports_with_its_filters(secretariat_client, call, full):
    html = secretariat_client.get(
        reverse("proposals:manage_list", kwargs={"call_id": call.pk}), {"theme": "child_labour"}
    ).content.decode()
    assert f"/manage/calls/{call.pk}/proposals/export/?theme=child_labour&amp;format=xlsx" in html


@pytest.fixture
def formulas(call):
    return ProposalFactory(
        call=call,
        title='=HYPERLINK("http://x","y")',
        description="-2+3+cmd|' /C calc'!A0",
        lead_organisation=OrganisationFactory(name="+cmd"),
        contact_name="@SUM(1+1)",
    )


def test_csv_neutralises_formulas(secretariat_client, call, formulas):
    response = export(secretariat_client, call, format="csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["title"] == '\'=HYPERLINK("http://x","y")'
    assert row["description"] == "'-2+3+cmd|' /C calc'!A0"
    assert row["lead_organisation"] == "'+cmd"
    assert row["contact_name"] == "'@SUM(1+1)"
    assert row["id"] == str(formulas.pk)  # numbers stay numbers
    assert row["speakers_count"] == "0"


def test_xlsx_keeps_formulas_as_text(secretariat_client, call, formulas):
    response = export(secretariat_client, call, format="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = {header.value: cell for header, cell in zip(sheet[1], sheet[2], strict=True)}
    assert row["title"].value == '=HYPERLINK("http://x","y")'
    assert row["lead_organisation"].value == "+cmd"
    for name in ("title", "description", "lead_organisation", "contact_name"):
        assert row[name].data_type == "s"
        assert row[name].quotePrefix
    assert row["id"].value == formulas.pk
