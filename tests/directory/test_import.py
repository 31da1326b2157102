import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from deepdive.core.models import AuditEntry
from deepdive.directory.interfaces.imports import COLUMNS
from deepdive.directory.models import Organisation

from .factories import OrganisationFactory, UserFactory, country, partner_type, sector, theme

pytestmark = pytest.mark.django_db
URL = reverse("directory:import")

HEADER = [
    "id",
    "Name",
    "acronym",
    "partner_type",
    "countries",
    "website",
    "action_groups",
    "themes",
    "sectors",
    "domains",
    "description",
]


def csv_file(rows, header=HEADER, delimiter=",", bom=False, name="partners.csv"):
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    content = ("\ufeff" if bom else "") + buffer.getvalue()
    return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, header=HEADER, name="partners.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def existing():
    partner_type("business")
    partner_type("civil_society")
    theme("child_labour", "Child labour")
    theme("forced_labour", "Forced labour")
    sector("cocoa", "Cocoa")
    for code in ("GH", "MA"):
        country(code)
    return {
        "bank": OrganisationFactory(
            name="Paris Bank",
            partner_type=partner_type("business"),
            countries=["FR"],
            domains=["bank.example.org"],
        ),
        "union": OrganisationFactory(
            name="Miners Union",
            acronym="MU",
            partner_type=partner_type("civil_society"),
            countries=["PE"],
        ),
    }


def valid_rows(existing):
    return [
        # new
        [
            "",
            "Fair Cocoa Alliance",
            "FCA",
            "Civil society organisation",
            "GH; Morocco",
            "https://fca.example.org",
            "",
            "child_labour; Forced labour",
            "Cocoa",
            "fca.example.org; fca.example.com",
            "Works with cocoa farmers.",
        ],
        # update by name (case-insensitive): acronym and countries change
        ["", "paris bank", "PB", "business", "FR,MA", "", "", "", "", "bank.example.org", ""],
        # update by id, unchanged
        [
            str(existing["union"].pk),
            "Miners Union",
            "MU",
            "CIVIL_SOCIETY",
            "PE",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]


def actions(response):
    rows = response.context["preview"].rows
    return [(r.name, r.action, *r.errors) for r in rows]


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_dry_run_shows_every_row_and_writes_nothing(secretariat_client, existing, make_file):
    response = secretariat_client.post(URL, {"file": make_file(valid_rows(existing))})
    assert response.status_code == 200
    assert actions(response) == [
        ("Fair Cocoa Alliance", "create"),
        ("paris bank", "update"),
        ("Miners Union", "unchanged"),
    ]
    update = response.context["preview"].rows[1]
    assert ("acronym", "", "PB") in update.changes
    assert ("countries", "FR", "FR; MA") in update.changes
    assert [c[0] for c in update.changes] == ["acronym", "countries"]  # name found, kept
    create = response.context["preview"].rows[0]
    assert ("partner type", "", "Civil society organisation") in create.changes
    html = response.content.decode()
    assert "Import 3 organisations" in html
    assert 'name="token"' in html
    assert "1 to add, 1 to update, 1 unchanged" in html
    # Nothing written.
    assert Organisation.objects.count() == 2
    assert Organisation.objects.get(pk=existing["bank"].pk).acronym == ""
    assert not AuditEntry.objects.filter(action="directory.import").exists()


def test_semicolon_csv_with_bom(secretariat_client, existing):
    upload = csv_file(valid_rows(existing), delimiter=";", bom=True)
    response = secretariat_client.post(URL, {"file": upload})
    assert actions(response)[0] == ("Fair Cocoa Alliance", "create")
    assert not response.context["preview"].has_errors


def test_confirm_writes_everything_once(secretariat_client, existing):
    response = secretariat_client.post(URL, {"file": csv_file(valid_rows(existing))})
    token = response.context["confirm_form"].initial["token"]
    assert (settings.VAR_DIR / "imports" / token).is_file()

    response = secretariat_client.post(URL, {"token": token})
    assert response.status_code == 302
    assert Organisation.objects.count() == 3
    fca = Organisation.objects.get(name="Fair Cocoa Alliance")
    assert fca.slug == "fair-cocoa-alliance"
    assert fca.partner_type.code == "civil_society"
    assert set(fca.countries.values_list("code", flat=True)) == {"GH", "MA"}
    assert set(fca.themes.values_list("code", flat=True)) == {"child_labour", "forced_labour"}
    assert set(fca.sectors.values_list("code", flat=True)) == {"cocoa"}
    assert sorted(fca.domains.values_list("domain", flat=True)) == [
        "fca.example.com",
        "fca.example.org",
    ]
    bank = Organisation.objects.get(pk=existing["bank"].pk)
    assert bank.acronym == "PB"
    assert bank.name == "Paris Bank"  # matched by name whatever the case; name kept
    assert set(bank.countries.values_list("code", flat=True)) == {"FR", "MA"}
    entry = AuditEntry.objects.get(action="directory.import")
    assert entry.changes["counts"] == {"created": 1, "updated": 1, "unchanged": 1}
    assert "1 created, 1 updated, 1 unchanged" in entry.summary
    assert not (settings.VAR_DIR / "imports" / token).exists()

    # The token cannot be used twice.
    secretariat_client.post(URL, {"token": token})
    assert Organisation.objects.count() == 3
    assert AuditEntry.objects.filter(action="directory.import").count() == 1


def test_bad_rows_write_nothing_and_each_error_is_shown(secretariat_client, existing):
    rows = [
        ["", "Good New Org", "", "business", "FR", "", "", "", "", "", ""],
        ["", "Typo Org", "", "NGO", "FR", "", "", "", "", "", ""],
        ["57000", "Ghost Org", "", "business", "", "", "", "", "", "", ""],
        ["", "Domain Org", "", "business", "", "", "", "", "", "bad_domain..org", ""],
        ["", "Thief Org", "", "business", "", "", "", "", "", "bank.example.org", ""],
        ["", "Atlantis Org", "", "business", "Atlantis", "", "", "", "", "", ""],
        ["", "", "NN", "business", "", "", "", "", "", "", ""],
        ["", "good new org", "", "business", "", "", "", "", "", "", ""],
        ["", "Web Org", "", "business", "", "fca dot org", "", "", "", "", ""],
        ["", "Theme Org", "", "business", "", "", "", "slavery", "", "", ""],
    ]
    response = secretariat_client.post(URL, {"file": csv_file(rows)})
    preview = response.context["preview"]
    errors = {r.line: r.errors for r in preview.rows}
    assert errors[2] == []
    [typo] = errors[3]
    assert typo.startswith("Column “partner_type”: “NGO” is not a partner type. Use one of: ")
    assert "business (Business)" in typo and "civil_society (Civil society organisation)" in typo
    assert errors[4] == ["No organisation has id 57000; leave id empty to add a new organisation."]
    assert errors[5] == [
        "Column “domains”: “bad_domain..org” is not a valid e-mail domain. Write domains like "
        "example.org, separated by “;”."
    ]
    assert errors[6] == [
        f"Column “domains”: bank.example.org already belongs to Paris Bank (id "
        f"{existing['bank'].pk}). Remove it here, or from Paris Bank first."
    ]
    assert errors[7] == [
        "Column “countries”: “Atlantis” is not a country we know. Use ISO codes such as FR or "
        "English names such as France, separated by “;”."
    ]
    assert errors[8] == ["Column “name” is empty: every organisation needs a name."]
    assert errors[9] == [
        "Column “name”: “good new org” is also on line 2; each organisation may appear only "
        "once in the file."
    ]
    assert errors[10][0].startswith("Column “website”: “fca dot org” is not a web address.")
    assert errors[11][0].startswith("Column “themes”: “slavery” is unknown. Use codes or names")
    assert preview.error_count == 9

    html = response.content.decode()
    assert "9 rows have errors." in html
    assert "Nothing was imported" in html
    assert 'name="token"' not in html
    assert "Import 10 organisations" not in html
    assert "No organisation has id 57000" in html
    assert Organisation.objects.count() == 2
    imports_dir = settings.VAR_DIR / "imports"  # an invalid file is not kept
    assert not imports_dir.exists() or not any(imports_dir.iterdir())


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("partners.txt", b"name\nA"), "is neither a CSV nor an XLSX file"),
        (
            SimpleUploadedFile("partners.xlsx", b"not a workbook"),
            "cannot be read as an Excel workbook",
        ),
        (
            SimpleUploadedFile("partners.csv", "name\nCafé".encode("latin-1")),
            "The file is not UTF-8 text",
        ),
        (SimpleUploadedFile("partners.csv", b""), "The file is empty"),
        (
            SimpleUploadedFile("partners.csv", b"organisation,acronym\nA,B"),
            "The first row has no “name” column",
        ),
        (SimpleUploadedFile("partners.csv", b"name,acronym\n"), "no organisations under it"),
    ],
)
def test_unusable_files_are_refused_beside_the_field(secretariat_client, upload, message):
    response = secretariat_client.post(URL, {"file": upload})
    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert message in error
    assert 'id="id_file_errors"' in response.content.decode()


def test_file_over_5_mb_is_refused(secretariat_client):
    big = SimpleUploadedFile("partners.csv", b"name\n" + b"x" * (5 * 1024 * 1024))
    response = secretariat_client.post(URL, {"file": big})
    [error] = response.context["form"].errors["file"]
    assert "the limit is 5 MB" in error


def test_other_users_token_and_bad_tokens_are_refused(client, secretariat_client, existing):
    response = secretariat_client.post(URL, {"file": csv_file(valid_rows(existing))})
    token = response.context["confirm_form"].initial["token"]

    colleague = UserFactory(is_secretariat=True)
    client.force_login(colleague)
    response = client.post(URL, {"token": token}, follow=True)
    assert "upload the file again" in response.content.decode()
    assert Organisation.objects.count() == 2

    for bad in ["../../secret_key", "abc.csv", token.replace(".csv", ".exe")]:
        response = secretariat_client.post(URL, {"token": bad}, follow=True)
        assert "upload the file again" in response.content.decode()
    assert Organisation.objects.count() == 2


def test_confirm_checks_again(secretariat_client, existing):
    response = secretariat_client.post(URL, {"file": csv_file(valid_rows(existing))})
    token = response.context["confirm_form"].initial["token"]
    # Meanwhile, someone gives one of the file's domains to another organisation.
    OrganisationFactory(name="Quick Org", domains=["fca.example.com"])
    response = secretariat_client.post(URL, {"token": token})
    assert response.status_code == 200
    [row] = [r for r in response.context["preview"].rows if r.errors]
    assert "fca.example.com already belongs to Quick Org" in row.errors[0]
    assert not Organisation.objects.filter(name="Fair Cocoa Alliance").exists()


def test_partial_columns_leave_other_fields_alone(secretariat_client, existing):
    upload = csv_file([["Paris Bank", "https://bank.example.org"]], header=["name", "website"])
    response = secretariat_client.post(URL, {"file": upload})
    [row] = response.context["preview"].rows
    assert row.action == "update"
    assert row.changes == [("website", "", "https://bank.example.org")]
    secretariat_client.post(URL, {"token": response.context["confirm_form"].initial["token"]})
    bank = Organisation.objects.get(pk=existing["bank"].pk)
    assert bank.website == "https://bank.example.org"
    assert list(bank.domains.values_list("domain", flat=True)) == ["bank.example.org"]
    assert list(bank.countries.values_list("code", flat=True)) == ["FR"]


def test_new_organisation_needs_a_partner_type_column(secretariat_client, existing):
    upload = csv_file([["Brand New"]], header=["name"])
    response = secretariat_client.post(URL, {"file": upload})
    [row] = response.context["preview"].rows
    assert row.errors[0].startswith("The file has no “partner_type” column")


def test_template_csv(secretariat_client):
    response = secretariat_client.get(reverse("directory:import_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode().strip() == ",".join(COLUMNS)
