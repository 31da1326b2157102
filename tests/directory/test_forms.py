import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from deepdive.core.models import AuditEntry
from deepdive.directory.models import Organisation

from .factories import OrganisationFactory, action_group, country, partner_type, theme

pytestmark = pytest.mark.django_db
CREATE = reverse("directory:create")


def image_file(name="logo.png", image_format="PNG", size=(40, 20)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format}")


def form_data(**changes):
    data = {
        "name": "Fair Cocoa Alliance",
        "acronym": "FCA",
        "partner_type": partner_type("civil_society").pk,
        "countries": [country("GH").pk, country("FR").pk],
        "website": "https://fca.example.org",
        "action_groups": [action_group().pk],
        "themes": [theme().pk],
        "description": "Works with cocoa farmers.",
        "is_member": "on",
        "domains": "FCA.example.org\nmail.fca.example.org, fca.example.com",
    }
    data.update(changes)
    return data


def field_errors(response, field) -> list[str]:
    return response.context["form"].errors.get(field, [])


def test_create_organisation(secretariat_client):
    response = secretariat_client.post(CREATE, form_data(logo=image_file()))
    org = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == org.get_absolute_url()
    assert org.slug == "fair-cocoa-alliance"
    assert sorted(org.domains.values_list("domain", flat=True)) == [
        "fca.example.com",
        "fca.example.org",
        "mail.fca.example.org",
    ]
    assert set(org.countries.values_list("code", flat=True)) == {"GH", "FR"}
    assert org.logo.name.startswith("logos/")
    entry = AuditEntry.objects.get(action="directory.create")
    assert entry.object_id == str(org.pk)
    assert entry.changes["name"] == ["", "Fair Cocoa Alliance"]


def test_slug_is_unique(secretariat_client):
    OrganisationFactory(name="Fair Cocoa Alliance", slug="fair-cocoa-alliance")
    secretariat_client.post(CREATE, form_data(domains=""))
    assert Organisation.objects.filter(slug="fair-cocoa-alliance-2").exists()


def test_bad_domain_is_named_beside_the_field_and_values_are_kept(secretariat_client):
    response = secretariat_client.post(CREATE, form_data(domains="good.org\nnot a domain@x"))
    assert response.status_code == 200
    errors = field_errors(response, "domains")
    assert any(e.startswith("“domain@x” is not a valid e-mail domain") for e in errors)
    html = response.content.decode()
    assert 'id="id_domains_errors"' in html
    assert 'value="Fair Cocoa Alliance"' in html  # typed values kept
    assert "good.org" in html
    assert not Organisation.objects.exists()


def test_malformed_domain_message_names_it(secretariat_client):
    response = secretariat_client.post(CREATE, form_data(domains="fca.example.org, exa_mple..org"))
    assert field_errors(response, "domains") == [
        "“exa_mple..org” is not a valid e-mail domain: write it like example.org "
        "(letters, digits, hyphens and dots, no @ or spaces)."
    ]


def test_domain_of_another_organisation_is_refused(secretariat_client):
    OrganisationFactory(name="Other Org", domains=["fca.example.org"])
    response = secretariat_client.post(CREATE, form_data())
    assert field_errors(response, "domains") == [
        "The e-mail domain fca.example.org already belongs to Other Org."
    ]
    assert Organisation.objects.count() == 1


def test_non_image_logo_is_refused(secretariat_client):
    fake = SimpleUploadedFile("logo.png", b"this is not an image", content_type="image/png")
    response = secretariat_client.post(CREATE, form_data(logo=fake))
    errors = field_errors(response, "logo")
    assert errors == [
        "This file is not an image we can read. Upload a PNG, JPEG, GIF or WebP image."
    ]
    assert 'id="id_logo_errors"' in response.content.decode()
    assert 'value="Fair Cocoa Alliance"' in response.content.decode()
    assert not Organisation.objects.exists()


def test_image_of_another_format_is_refused(secretariat_client):
    response = secretariat_client.post(
        CREATE, form_data(logo=image_file("logo.bmp", image_format="BMP"))
    )
    assert field_errors(response, "logo") == [
        "The logo is a BMP image. Upload a PNG, JPEG, GIF or WebP image."
    ]


def test_oversized_logo_is_refused(secretariat_client):
    big = SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * (1024 * 1024 + 10))
    response = secretariat_client.post(CREATE, form_data(logo=big))
    [error] = field_errors(response, "logo")
    assert "the limit is 1 MB" in error
    assert "Make the image smaller" in error
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "GIF", "WEBP"])
def test_accepted_logo_formats(secretariat_client, image_format):
    logo = image_file(f"logo.{image_format.lower()}", image_format=image_format)
    response = secretariat_client.post(CREATE, form_data(logo=logo, domains=""))
    assert response.status_code == 302


def test_edit_organisation_records_changed_fields(secretariat_client):
    org = OrganisationFactory(name="Fair Cocoa Alliance", slug="fca", domains=["fca.example.org"])
    url = reverse("directory:edit", kwargs={"slug": org.slug})
    page = secretariat_client.get(url)
    assert "fca.example.org" in page.content.decode()  # domains shown in the textarea

    response = secretariat_client.post(
        url, form_data(acronym="FCAL", domains="fca.example.org\nfca.example.net")
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.acronym == "FCAL"
    assert org.slug == "fca"  # addresses stay stable
    assert sorted(org.domains.values_list("domain", flat=True)) == [
        "fca.example.net",
        "fca.example.org",
    ]
    entry = AuditEntry.objects.get(action="directory.update")
    assert entry.changes["acronym"] == ["", "FCAL"]
    assert entry.changes["domains"] == ["fca.example.org", "fca.example.net, fca.example.org"]


def test_edit_keeps_own_domain_but_refuses_anothers(secretariat_client):
    org = OrganisationFactory(slug="fca", domains=["fca.example.org"])
    OrganisationFactory(name="Other Org", domains=["other.example.org"])
    url = reverse("directory:edit", kwargs={"slug": org.slug})
    response = secretariat_client.post(url, form_data(domains="fca.example.org\nother.example.org"))
    assert field_errors(response, "domains") == [
        "The e-mail domain other.example.org already belongs to Other Org."
    ]


def test_edit_merged_organisation_is_404(secretariat_client):
    target = OrganisationFactory()
    old = OrganisationFactory(merged_into=target)
    url = reverse("directory:edit", kwargs={"slug": old.slug})
    assert secretariat_client.get(url).status_code == 404
