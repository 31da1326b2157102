"""A speaker's organisation in the workspace: typed by its name with the directory's names
suggested (one list per page, not a select of every organisation in every speaker's row, so
the page stays light on a phone), or written as free text when it is not in the directory."""

import pytest
from django.urls import reverse

from deepdive.directory.models import Organisation
from deepdive.webinars import preparation
from deepdive.webinars.models import Speaker
from tests.webinars.test_workspace import host, webinar  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def directory_of(size: int, partner_type) -> None:
    Organisation.objects.bulk_create(
        Organisation(
            name=f"National Coalition against Child Labour and Forced Labour {n:04d}",
            acronym=f"NCCL{n:04d}",
            slug=f"national-coalition-{n:04d}",
            partner_type=partner_type,
        )
        for n in range(size)
    )


@pytest.mark.parametrize("size", [60, 1000])
def test_workspace_page_weight(client, webinar, host, size, record_property):  # noqa: F811
    directory_of(size, webinar.proposal.lead_organisation.partner_type)
    preparation.save_speakers(
        actor=host,
        webinar=webinar,
        people=[preparation.Person(name="Ama Mensah"), preparation.Person(name="Jean Dupont")],
    )
    client.force_login(host)
    page = client.get(reverse("webinars:workspace", kwargs={"pk": webinar.pk})).content
    print(f"\nworkspace page with {size} organisations: {len(page)} bytes")
    # Measured before the list: 47,982 bytes with 60 organisations, 446,398 with 1,000.
    assert len(page) < 30_000 + 90 * size
    assert page.count(b"<datalist") == 1
    assert page.count(b"NCCL0000") == 1


def speakers_post(**first):
    data = {
        "section": "speakers",
        "speakers-TOTAL_FORMS": "1",
        "speakers-INITIAL_FORMS": "0",
        "speakers-0-role": "speaker",
        "speakers-0-name": "Ama Mensah",
    }
    data.update({f"speakers-0-{key}": value for key, value in first.items()})
    return data


@pytest.mark.parametrize("typed", ["Cocoa Growers Union (CGU)", "cocoa growers union", "CGU"])
def test_a_speakers_organisation_is_found_by_its_name_or_acronym(
    client,
    webinar,  # noqa: F811
    host,  # noqa: F811
    typed,
):
    union = Organisation.objects.create(
        name="Cocoa Growers Union",
        acronym="CGU",
        slug="cocoa-growers-union",
        partner_type=webinar.proposal.lead_organisation.partner_type,
    )
    client.force_login(host)
    url = reverse("webinars:workspace", kwargs={"pk": webinar.pk})
    response = client.post(url, speakers_post(organisation=typed))
    assert response.status_code == 302
    speaker = Speaker.objects.get(webinar=webinar)
    assert (speaker.organisation, speaker.organisation_name) == (union, "")
    page = client.get(url).content.decode()
    assert 'value="Cocoa Growers Union (CGU)"' in page


def test_an_organisation_not_in_the_directory_is_refused_with_what_was_typed(
    client,
    webinar,  # noqa: F811
    host,  # noqa: F811
):
    client.force_login(host)
    url = reverse("webinars:workspace", kwargs={"pk": webinar.pk})
    response = client.post(url, speakers_post(organisation="Cocoa Friends"))
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "This organisation is not in the directory: choose one of the names suggested, or "
        "write it in the field below." in page
    )
    assert 'value="Cocoa Friends"' in page
    assert not Speaker.objects.exists()


def test_an_organisation_written_as_free_text_is_kept(
    client,
    webinar,  # noqa: F811
    host,  # noqa: F811
):
    client.force_login(host)
    url = reverse("webinars:workspace", kwargs={"pk": webinar.pk})
    response = client.post(url, speakers_post(organisation_name="Cocoa Friends"))
    assert response.status_code == 302
    speaker = Speaker.objects.get(webinar=webinar)
    assert (speaker.organisation, speaker.organisation_name) == (None, "Cocoa Friends")
