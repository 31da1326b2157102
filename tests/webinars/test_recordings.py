"""A held webinar's recording: who may add it, addresses and captions refused with a clear
message and nothing written, publishing refused without every speaker's consent, the state
"recording published" and back, one audit entry each; the webinar's page showing the
click-to-load player (nothing from the provider in the page), captions and transcript."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from deepdive.core.models import AuditEntry
from deepdive.directory.models import Affiliation
from deepdive.webinars import recordings
from deepdive.webinars.models import Captions, Material, Recording, Speaker, Webinar
from tests.accounts.factories import AffiliationFactory, SecretariatFactory
from tests.webinars.factories import ProposalFactory, PublishedWebinarFactory, member

pytestmark = pytest.mark.django_db

YOUTUBE = "https://youtu.be/dQw4w9WgXcQ"
SRT = (
    b"1\n00:00:01,000 --> 00:00:04,000\nWelcome to the webinar.\n\n"
    b"2\n00:00:05,000 --> 00:00:07,500\nOn cocoa & child labour.\n"
)


@pytest.fixture
def webinar():
    start = timezone.now() - timedelta(days=3)
    webinar = PublishedWebinarFactory(
        proposal=ProposalFactory(title="Cocoa and child labour"),
        starts_at=start,
        planned_start=start,
        state=Webinar.State.HELD,
    )
    Speaker.objects.create(webinar=webinar, name="Aïssata Koné", consents_to_recording=True)
    return webinar


@pytest.fixture
def host(webinar):
    person = member(name="Hana Host")
    AffiliationFactory(
        user=person,
        organisation=webinar.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    return person


@pytest.fixture
def secretariat():
    return SecretariatFactory()


def actions() -> list[str]:
    """The recordings' audit entries, oldest first."""
    entries = AuditEntry.objects.filter(
        Q(action__startswith="webinars.recording") | Q(action="webinars.captions_saved")
    )
    return list(entries.order_by("pk").values_list("action", flat=True))


# ------------------------------------------------------------------------- services


def test_host_adds_recording_and_srt_captions_converted(webinar, host):
    recording = recordings.add_recording(actor=host, webinar=webinar, url=YOUTUBE, language="en")
    assert (recording.provider, recording.video_id, recording.url) == (
        "youtube",
        "dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    captions = recordings.save_captions(actor=host, recording=recording, language="en", text=SRT)
    assert captions.vtt.startswith("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n")
    assert "On cocoa &amp; child labour." in captions.vtt
    assert actions() == ["webinars.recording_saved", "webinars.captions_saved"]


def test_a_member_who_is_not_a_host_cannot_add(webinar):
    with pytest.raises(PermissionDenied):
        recordings.add_recording(actor=member(), webinar=webinar, url=YOUTUBE, language="en")
    assert not Recording.objects.exists()


def test_not_a_video_refused_beside_the_field_nothing_written(webinar, host):
    with pytest.raises(recordings.RecordingInvalid) as refused:
        recordings.add_recording(
            actor=host, webinar=webinar, url="https://www.example.org/our-webinar", language="en"
        )
    assert list(refused.value.errors) == ["url"]
    assert "not the address of a video" in refused.value.errors["url"][0]
    assert not Recording.objects.exists() and not actions()


def test_invalid_captions_refused_with_line_nothing_written(webinar, host):
    recording = recordings.add_recording(actor=host, webinar=webinar, url=YOUTUBE, language="en")
    with pytest.raises(recordings.RecordingInvalid) as refused:
        recordings.save_captions(
            actor=host,
            recording=recording,
            language="en",
            text="WEBVTT\n\n00:00:01.000 --> later\nHello\n",
        )
    assert refused.value.errors == {
        "captions": [
            "Line 3: the timing cannot be read (it looks like 00:01:02.500 --> 00:01:05.000)."
        ]
    }
    assert not Captions.objects.exists()


def test_a_webinar_not_yet_held_takes_no_recording(host):
    upcoming = PublishedWebinarFactory()
    AffiliationFactory(
        user=host,
        organisation=upcoming.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    with pytest.raises(recordings.RecordingRefused):
        recordings.add_recording(actor=host, webinar=upcoming, url=YOUTUBE, language="en")


def test_publish_refused_naming_who_has_not_consented(webinar, host):
    Speaker.objects.create(webinar=webinar, name="Bruno Silva", consents_to_recording=False)
    recording = recordings.add_recording(actor=host, webinar=webinar, url=YOUTUBE, language="en")
    with pytest.raises(recordings.RecordingRefused) as refused:
        recordings.publish(actor=host, recording=recording)
    assert "Bruno Silva" in str(refused.value) and "Aïssata" not in str(refused.value)
    recording.refresh_from_db()
    webinar.refresh_from_db()
    assert recording.published_at is None and webinar.state == Webinar.State.HELD


def test_publish_then_unpublish_changes_the_state_one_entry_each(webinar, host, secretariat):
    recording = recordings.add_recording(actor=host, webinar=webinar, url=YOUTUBE, language="en")
    recordings.publish(actor=host, recording=recording)
    recordings.publish(actor=host, recording=recording)  # a second click: nothing more
    webinar.refresh_from_db()
    recording.refresh_from_db()
    assert webinar.state == Webinar.State.RECORDING_PUBLISHED
    assert recording.published_by == host
    entry = AuditEntry.objects.get(action="webinars.recording_published")
    assert entry.changes["state"] == ["held", "recording_published"]

    with pytest.raises(PermissionDenied):
        recordings.unpublish(actor=host, recording=recording)
    recordings.unpublish(actor=secretariat, recording=recording)
    webinar.refresh_from_db()
    recording.refresh_from_db()
    assert webinar.state == Webinar.State.HELD and recording.published_at is None
    assert actions() == [
        "webinars.recording_saved",
        "webinars.recording_published",
        "webinars.recording_unpublished",
    ]


# ------------------------------------------------------------------------- pages


def test_recordings_page_is_for_hosts_and_the_secretariat(client, webinar, host):
    url = reverse("webinars:recordings", kwargs={"pk": webinar.pk})
    client.force_login(member())
    assert client.get(url).status_code == 403
    client.force_login(host)
    assert client.get(url).status_code == 200
    detail = client.get(webinar.get_absolute_url()).content.decode()
    assert url in detail  # the link from the webinar's page


def test_page_keeps_what_was_typed_beside_the_field(client, webinar, host):
    client.force_login(host)
    url = reverse("webinars:recordings", kwargs={"pk": webinar.pk})
    response = client.post(
        url, {"step": "recording", "url": "https://www.example.org/talk", "language": "en"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "not the address of a video" in form.errors["url"][0]
    assert 'value="https://www.example.org/talk"' in response.content.decode()
    assert not Recording.objects.exists()


def test_upload_srt_file_then_publish_on_the_page(client, webinar, host):
    client.force_login(host)
    url = reverse("webinars:recordings", kwargs={"pk": webinar.pk})
    client.post(url, {"step": "recording", "url": YOUTUBE, "language": "en"})
    recording = Recording.objects.get()
    upload = SimpleUploadedFile("cocoa.srt", SRT, content_type="application/x-subrip")
    response = client.post(
        url,
        {
            "step": "captions",
            "recording": recording.pk,
            "captions_language": "en",
            "captions_file": upload,
        },
    )
    assert response.status_code == 302
    assert Captions.objects.get().vtt.startswith("WEBVTT")
    client.post(url, {"step": "publish", "recording": recording.pk})
    recording.refresh_from_db()
    assert recording.is_published


def test_published_recording_on_the_page_loads_nothing_from_youtube(client, webinar, host):
    recording = recordings.add_recording(actor=host, webinar=webinar, url=YOUTUBE, language="en")
    captions = recordings.save_captions(actor=host, recording=recording, language="en", text=SRT)
    recordings.publish(actor=host, recording=recording)
    Material.objects.create(
        webinar=webinar,
        title="Slides",
        content_type="application/pdf",
        size=10,
        visibility="public",
    )
    response = client.get(webinar.get_absolute_url())
    page = response.content.decode()
    assert "Play the recording (loads from YouTube)" in page
    # Without JavaScript: the link counts the play and goes on to the video's page.
    play = reverse("webinars:recording_play", kwargs={"pk": recording.pk})
    assert f'href="{play}"' in page
    assert client.get(play)["Location"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert "<iframe" not in page and "ytimg" not in page
    assert 'data-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page
    assert (
        "frame-src 'self' https://www.youtube-nocookie.com" in response["Content-Security-Policy"]
    )
    assert "Slides" in page and "for everyone" in page

    download = client.get(reverse("webinars:captions", kwargs={"pk": captions.pk}) + "?download")
    assert download["Content-Type"] == "text/vtt; charset=utf-8"
    assert download.content.decode() == captions.vtt
    transcript = client.get(reverse("webinars:transcript", kwargs={"pk": captions.pk}))
    text = transcript.content.decode()
    assert "<time>0:01</time>" in text and "On cocoa &amp; child labour." in text


def test_unpublished_captions_are_not_shown_to_readers(client, webinar, host):
    recording = recordings.add_recording(actor=host, webinar=webinar, url=YOUTUBE, language="en")
    captions = recordings.save_captions(actor=host, recording=recording, language="en", text=SRT)
    assert client.get(reverse("webinars:transcript", kwargs={"pk": captions.pk})).status_code == 404
    page = client.get(webinar.get_absolute_url())
    assert "Play the recording" not in page.content.decode()
    assert "frame-src" not in page["Content-Security-Policy"]


def test_video_file_plays_in_a_video_element_with_its_captions(client, webinar, host):
    address = "https://media.example.org/webinars/cocoa.mp4"
    recording = recordings.add_recording(actor=host, webinar=webinar, url=address, language="fr")
    captions = recordings.save_captions(actor=host, recording=recording, language="fr", text=SRT)
    recordings.publish(actor=host, recording=recording)
    response = client.get(webinar.get_absolute_url())
    page = response.content.decode()
    assert "Play the recording (loads from media.example.org)" in page
    assert 'data-kind="file"' in page and 'data-type="video/mp4"' in page
    track = reverse("webinars:captions", kwargs={"pk": captions.pk})
    assert f'data-track data-src="{track}" data-lang="fr"' in page
    assert "<video" not in page  # only once the reader asks
    assert "media-src 'self' https://media.example.org" in response["Content-Security-Policy"]


def test_a_member_who_is_not_a_host_cannot_post_a_recording(client, webinar):
    client.force_login(member())
    response = client.post(
        reverse("webinars:recordings", kwargs={"pk": webinar.pk}),
        {"step": "recording", "url": YOUTUBE, "language": "en"},
    )
    assert response.status_code == 403
    assert not Recording.objects.exists()
