"""The attendance page of a held webinar: upload, the dry run shown (attendees, hosts kept
apart, rows that could not be read), nothing saved until "Confirm the import", an unusable
file's message beside the file field, and who may open the page."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deepdive.webinars.models import Attendance
from tests.accounts.factories import SecretariatFactory
from tests.webinars.attendance import reports
from tests.webinars.attendance.test_service import host, registered, webex_report, webinar  # noqa: F401
from tests.webinars.factories import ReaderFactory

pytestmark = pytest.mark.django_db


def upload(client, webinar, data: bytes, name: str = "attendance.csv"):  # noqa: F811
    return client.post(
        reverse("webinars:attendance", kwargs={"pk": webinar.pk}),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def test_the_host_sees_the_dry_run_then_confirms(client, webinar, host, registered):  # noqa: F811
    client.force_login(host)
    page = upload(client, webinar, webex_report())

    assert page.status_code == 200
    text = page.content.decode()
    assert "Confirm the import" in text
    assert "bo.li@example.org" in text and "new: not registered" in text
    assert "Hosts, panelists and speakers" in text and "Host Person" in text
    assert "no name and no e-mail address" in text
    assert not Attendance.objects.exists()

    signed = re.search(r'name="report" value="([^"]+)"', text).group(1)
    done = client.post(
        reverse("webinars:attendance", kwargs={"pk": webinar.pk}), {"report": signed}, follow=True
    )
    # Kofi Mensah is not one of this webinar's speakers here: he counts as an attendee.
    assert (
        "Attendance imported. Attendees: 4 (registered: 2, not registered: 2). "
        "Hosts, panelists and speakers: 1." in done.content.decode()
    )
    assert Attendance.objects.filter(counted_as_host=False).count() == 4


def test_a_tampered_confirmation_saves_nothing(client, webinar):  # noqa: F811
    client.force_login(SecretariatFactory())
    page = client.post(
        reverse("webinars:attendance", kwargs={"pk": webinar.pk}), {"report": "forged"}
    )
    assert page.status_code == 400
    assert "choose the file again" in page.content.decode()
    assert not Attendance.objects.exists()


def test_an_unusable_file_is_refused_beside_the_field(client, webinar):  # noqa: F811
    client.force_login(SecretariatFactory())
    page = upload(client, webinar, b"Item,Amount\nTea,3\n", name="teams.csv")
    assert page.status_code == 400
    errors = page.context["form"].errors
    assert list(errors) == ["file"]
    assert errors["file"][0].startswith("Line 1: this is not an attendance report")
    assert "Confirm the import" not in page.content.decode()


def test_a_reader_may_not_open_the_page(client, webinar):  # noqa: F811
    client.force_login(ReaderFactory())
    assert client.get(reverse("webinars:attendance", kwargs={"pk": webinar.pk})).status_code == 403
    client.force_login(SecretariatFactory())
    assert client.get(reverse("webinars:attendance", kwargs={"pk": webinar.pk})).status_code == 200


def test_a_zoom_report_for_another_meeting_is_flagged_before_confirming(client, webinar):  # noqa: F811
    client.force_login(SecretariatFactory())
    data = reports.zoom_meeting(
        [
            (
                "Ana Lopez",
                "ana@example.org",
                "06/02/2025 02:00:00 PM",
                "06/02/2025 02:30:00 PM",
                "30",
            )
        ],
        topic="Quarterly budget review",
    )
    text = upload(client, webinar, data).content.decode()
    assert "is it the right report?" in text and "Confirm the import" in text
