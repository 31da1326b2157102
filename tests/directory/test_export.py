import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from deepdive.directory.interfaces.exports import EXPORT_COLUMNS
from deepdive.directory.models import Affiliation

from .factories import (
    AffiliationFactory,
    OrganisationFactory,
    action_group,
    partner_type,
    sector,
    theme,
)

pytestmark = pytest.mark.django_db
URL = reverse("directory:export")
IMPORT = reverse("directory:import")


@pytest.fixture
def directory():
    fca = OrganisationFactory(
        name="Fair Cocoa Alliance",
        acronym="FCA",
        countries=["GH", "MA"],
        partner_type=partner_type("civil_society"),
        website="https://fca.example.org",
        action_groups=[action_group()],
        themes=[theme("child_labour", "Child labour"), theme("forced_labour", "Forced labour")],
        sectors=[sector("cocoa", "Cocoa")],
        domains=["fca.example.org", "fca.example.com"],
        description="Works with cocoa farmers,\nin Ghana; and in Morocco.",
    )
    AffiliationFactory(organisation=fca)
    AffiliationFactory(organisation=fca)
    AffiliationFactory(organisation=fca, status=Affiliation.Status.PENDING)
    bank = OrganisationFactory(
        name="=Paris Bank", partner_type=partner_type("business"), countries=["FR"]
    )
    OrganisationFactory(name="Merged Away", merged_into=bank)
    return {"fca": fca, "bank": bank}


def read_csv(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_export(secretariat_client, directory):
    response = secretariat_client.get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="directory-{today}.csv"'
    rows = read_csv(response)
    assert list(rows[0]) == EXPORT_COLUMNS
    # Text a spreadsheet would run as a formula is written with a leading "'".
    assert [r["name"] for r in rows] == ["'=Paris Bank", "Fair Cocoa Alliance"]
    fca = rows[1]
    assert fca == {
        "id": str(directory["fca"].pk),
        "name": "Fair Cocoa Alliance",
        "acronym": "FCA",
        "partner_type": "Civil society organisation",
        "countries": "GH; MA",
        "country_names": "Ghana; Morocco",
        "website": "https://fca.example.org",
        "action_groups": "Supply Chains",
        "themes": "Child labour; Forced labour",
        "sectors": "Cocoa",
        "domains": "fca.example.com; fca.example.org",
        "description": "Works with cocoa farmers,\nin Ghana; and in Morocco.",
        "verified_contacts": "2",
    }


def test_export_applies_the_list_filters(secretariat_client, directory):
    rows = read_csv(secretariat_client.get(URL, {"format": "csv", "region": "africa"}))
    assert [r["name"] for r in rows] == ["Fair Cocoa Alliance"]
    rows = read_csv(secretariat_client.get(URL, {"format": "csv", "q": "bank"}))
    assert [r["name"] for r in rows] == ["'=Paris Bank"]


def test_xlsx_export(secretariat_client, directory):
    response = secretariat_client.get(URL, {"format": "xlsx"})
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith(
        f'filename="directory-{timezone.localdate().isoformat()}.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == EXPORT_COLUMNS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert rows[1][1] == "=Paris Bank"  # text, not a formula
    assert sheet.cell(row=2, column=2).data_type == "s"
    fca = dict(zip(EXPORT_COLUMNS, rows[2], strict=True))
    assert fca["countries"] == "GH; MA"
    assert fca["verified_contacts"] == 2
    assert len(rows) == 3


@pytest.fixture
def formulas():
    return OrganisationFactory(
        name="+cmd",
        acronym="@SUM(1+1)",
        partner_type=partner_type("business"),
        countries=["FR"],
        description='=HYPERLINK("http://x","y")',
    )


def test_csv_export_neutralises_formulas(secretariat_client, formulas):
    (row,) = read_csv(secretariat_client.get(URL, {"format": "csv"}))
    assert (row["name"], row["acronym"], row["description"]) == (
        "'+cmd",
        "'@SUM(1+1)",
        '\'=HYPERLINK("http://x","y")',
    )
    assert row["id"] == str(formulas.pk)


def test_xlsx_export_keeps_formulas_as_text(secretariat_client, formulas):
    response = secretariat_client.get(URL, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    row = {header.value: cell for header, cell in zip(sheet[1], sheet[2], strict=True)}
    assert row["name"].value == "+cmd"
    assert row["description"].value == '=HYPERLINK("http://x","y")'
    for name in ("name", "acronym", "description"):
        assert row[name].data_type == "s"
        assert row[name].quotePrefix


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_neutralised_export_imports_back_unchanged(secretariat_client, formulas, file_format):
    exported = secretariat_client.get(URL, {"format": file_format})
    upload = SimpleUploadedFile(f"directory.{file_format}", exported.content)
    preview = secretariat_client.post(IMPORT, {"file": upload}).context["preview"]
    assert [(r.name, r.action, r.errors) for r in preview.rows] == [("+cmd", "unchanged", [])]


def test_unknown_format_is_404(secretariat_client, directory):
    assert secretariat_client.get(URL, {"format": "pdf"}).status_code == 404


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(secretariat_client, directory, file_format):
    exported = secretariat_client.get(URL, {"format": file_format})
    upload = SimpleUploadedFile(f"directory.{file_format}", exported.content)
    response = secretariat_client.post(IMPORT, {"file": upload})
    preview = response.context["preview"]
    assert [(r.name, r.action, r.errors) for r in preview.rows] == [
        ("=Paris Bank", "unchanged", []),
        ("Fair Cocoa Alliance", "unchanged", []),
    ]
    assert preview.ignored_columns == []


def test_export_then_import_with_the_shipped_reference_data(secretariat_client, reference_data):
    from deepdive.reference.models import ActionGroup, Country, PartnerType, Sector, Theme

    org = OrganisationFactory(
        name="Every Field Org",
        partner_type=PartnerType.objects.get(code="workers_organisation"),
        countries=list(Country.objects.filter(code__in=["CI", "KR", "US"])),
        action_groups=list(ActionGroup.objects.all()),
        themes=list(Theme.objects.all()),
        sectors=list(Sector.objects.all()),
        domains=["every.example.org"],
    )
    exported = secretariat_client.get(URL, {"format": "csv"})
    upload = SimpleUploadedFile("directory.csv", exported.content)
    preview = secretariat_client.post(IMPORT, {"file": upload}).context["preview"]
    assert [(r.name, r.action, r.errors) for r in preview.rows] == [(org.name, "unchanged", [])]
